"""Shared pydantic base and field types."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

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


MAX_TEXT = 20_000  # characters of one text field (a long 职责 paragraph has ~1,000)
MAX_ITEMS = 2_000  # items of one list (科目 lines of a large department: a few hundred)
# Characters no output format can carry (XML 1.0 forbids them; a NUL ends a C string):
# control characters other than tab and newline, and the non-characters U+FFFE/U+FFFF.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def writable(value: object) -> object:
    """Refuse what the writers cannot write: control characters in text, overlong text,
    overlong lists (``PydanticCustomError``, reported as LOAD-109)."""
    if isinstance(value, str):
        bad = _UNWRITABLE.search(value)
        if bad:
            raise PydanticCustomError(
                "juesuan_text",
                "含有不可见的控制字符（{char}，第{pos}个字符），请删除后重试",
                {
                    "char": bad.group().encode("unicode_escape").decode("ascii"),
                    "pos": bad.start() + 1,
                },
            )
        if len(value) > MAX_TEXT:
            raise PydanticCustomError(
                "juesuan_text", "文本过长（超过{limit}个字符）", {"limit": MAX_TEXT}
            )
    elif isinstance(value, list | tuple):
        if len(value) > MAX_ITEMS:
            raise PydanticCustomError(
                "juesuan_text", "列表过长（超过{limit}项）", {"limit": MAX_ITEMS}
            )
        for item in value:
            if isinstance(item, str | list | tuple):
                writable(item)
    return value


class Record(BaseModel):
    """Immutable, strict-keyed record. Every text and list field is checked by
    :func:`writable`, so nothing validated can make a writer fail."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)

    @field_validator("*", mode="after")
    @classmethod
    def _writable(cls, value: object) -> object:
        # most fields are amounts: only text and lists need the check
        return writable(value) if isinstance(value, (str, list, tuple)) else value
