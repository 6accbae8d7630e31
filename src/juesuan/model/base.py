"""Shared pydantic base and field types."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

MAX_AMOUNT = Decimal(10) ** 15  # far above any department's money, in 元 or 万元

Amount = Annotated[Decimal, Field(ge=0, le=MAX_AMOUNT, description="金额（单位见文件的 unit）")]
OptAmount = Annotated[
    Decimal | None,
    Field(default=None, ge=0, le=MAX_AMOUNT, description="金额；不填表示空白（无数据），与 0 不同"),
]
Count = Annotated[int, Field(ge=0, description="数量")]


def code_text(value: object) -> object:
    """Classification codes are text; accept an unquoted YAML number (2013101) as its digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Code = Annotated[str, BeforeValidator(code_text)]


class Record(BaseModel):
    """Immutable, strict-keyed record."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
