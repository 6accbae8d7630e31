"""Regional profiles: wording, order, tables and settings of a disclosure, as data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from juesuan.document.numbers import NumberStyle, Styles
from juesuan.profiles.yaml_data import load

PROFILES_DIR = Path(__file__).parent
TABLE_NUMBERS = NumberStyle(thousands=True, zero_money="0.00", blank="")
DEFAULT_BUDGET_NAMES = {"initial_budget": "年初预算", "adjusted_budget": "全年预算"}


@dataclass(frozen=True)
class Profile:
    name: str
    label: str
    directory: Path
    catalog_year: int
    completion_basis: str
    title: str
    numbers: NumberStyle
    narrative: Path
    table_numbers: NumberStyle = field(default_factory=lambda: TABLE_NUMBERS)
    glossary_before: tuple[tuple[str, str], ...] = ()
    glossary_after: tuple[tuple[str, str], ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def budget_basis(self) -> Any:
        """Which budget each fund's sentences compare the 决算 with (see
        :func:`juesuan.derive.basis_preferences`): the profile's ``budget_basis`` (per fund,
        each a basis or a preference order), else its ``completion_basis`` for every fund."""
        return self.settings.get("budget_basis") or self.completion_basis

    def budget_name(self, basis: str) -> str:
        """How the text names a budget basis ("年初预算", "全年预算"; Sichuan's documents say
        "预算" for the 全年预算): the profile's ``budget_names``."""
        names = {**DEFAULT_BUDGET_NAMES, **(self.settings.get("budget_names") or {})}
        return names[basis]

    @property
    def styles(self) -> Styles:
        layout = self.settings.get("layout") or {}
        return Styles(
            self.numbers,
            self.table_numbers,
            table_new_page=bool(layout.get("table_new_page", True)),
        )


# A profile is chosen by name, never by path: lowercase letters, digits and dashes only.
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def available_profiles() -> list[str]:
    return sorted(
        p.parent.name for p in PROFILES_DIR.glob("*/profile.yaml") if _NAME.fullmatch(p.parent.name)
    )


def profile_dir(name: object) -> Path:
    """The folder of the registered profile ``name``; ``KeyError`` for anything else (a path,
    ``..``, an unknown name). Data names a profile, it never points at a folder."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise KeyError(name)
    if name not in available_profiles():
        raise KeyError(name)
    return PROFILES_DIR / name


def _raw(name: str) -> tuple[dict[str, Any], Path]:
    path = profile_dir(name) / "profile.yaml"
    data = load(path.read_text(encoding="utf-8"))
    base = data.pop("extends", None)
    if base:
        parent, _ = _raw(base)
        parent.update(data)
        data = parent
    return data, path.parent


def _terms(items: list[dict[str, str]] | None) -> tuple[tuple[str, str], ...]:
    return tuple((i["term"], i["text"]) for i in items or ())


@lru_cache(maxsize=16)
def load_profile(name: str) -> Profile:
    """Load a bundled profile by name; ``KeyError`` when there is none."""
    data, directory = _raw(name)
    glossary = data.get("glossary") or {}
    narrative = directory / data["narrative"]
    if not narrative.is_file():  # inherited template lives with the profile that defines it
        narrative = next(PROFILES_DIR.glob(f"*/{data['narrative']}"))
    return Profile(
        name=data["name"],
        label=data.get("label", data["name"]),
        directory=directory,
        catalog_year=int(data["catalog_year"]),
        completion_basis=data.get("completion_basis", "adjusted_budget"),
        title=data.get("title", "{name}{year}年度部门决算"),
        numbers=NumberStyle(**(data.get("numbers") or {})),
        table_numbers=NumberStyle(
            **{
                "thousands": True,
                "zero_money": "0.00",
                "blank": "",
                **(data.get("table_numbers") or {}),
            }
        ),
        narrative=narrative,
        glossary_before=_terms(glossary.get("before")),
        glossary_after=_terms(glossary.get("after")),
        settings=data,
    )
