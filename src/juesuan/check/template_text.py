"""Template text left in a published document: the official template's alternatives
(“增加（减少）”), its instructions (“（不涉及的不列）”, “（如持平作持平表述）”, “仍保留该表格式”)
and an unclosed “（其中”.

The phrase list is derived from an official template's text, not typed: run

    python -m juesuan.check.template_text 模板.txt > src/juesuan/check/data/template_phrases.txt

(:func:`derive`). The method, on the template with all whitespace removed:

- an *alternative* is “X（Y）” where X and Y are two-character words and either the template
  also writes “Y（X）” (增加（减少） and 减少（增加）) or X and Y share their last character
  (大于（小于）, 高于（低于）): the template offers both words, a finished document keeps one;
- an *instruction* is a parenthesis whose text starts with “如” or says what not to list or how
  to phrase (“不列”, “不涉及”, “表述”): “（如持平作持平表述）”, “（不涉及的不列）”;
- a *fill-in label* is a parenthesis right after an “XX” placeholder that names what to write
  there (“XXXX（制度名称）”): the finished document writes the name, not the label;
- an *instruction clause* is a clause (between ，。：) that tells the writer what to do with a
  table (“仍保留该表格式”, “并在本表下方作下述说明”).

The data file bundled was derived from the Shanghai 2024 template (the reference template of
the project's shared material, copied to ``tests/golden/shanghai-2024-template.txt``; a test
derives the list again from it and compares).
"""

from __future__ import annotations

import re
import sys
from functools import cache
from importlib import resources

from juesuan.check.text import Narrative, Para, around

PAREN = re.compile(r"（([^（）]{1,24})）")
WORD2 = re.compile(r"[\u4e00-\u9fff]{2}")
FILL_LABEL = re.compile(r"(?:XX|ＸＸ|××)（([\u4e00-\u9fff]{2,8}?名称)）")
TABLE_INSTRUCTION = re.compile(r"仍保留该表格式|并?在本表下方作下述说明")


def derive(template: str) -> list[str]:
    """The template phrases a finished document must not contain (see the module docstring)."""
    flat = re.sub(r"\s+", "", template)
    found: set[str] = set()
    for m in PAREN.finditer(flat):
        inner = m.group(1)
        before = flat[max(0, m.start() - 2) : m.start()]
        if inner.startswith("如") or any(w in inner for w in ("不列", "不涉及", "表述")):
            found.add(m.group(0))
        elif WORD2.fullmatch(inner) and WORD2.fullmatch(before) and inner != before:
            if f"{inner}（{before}）" in flat or inner[-1] == before[-1]:
                found.add(f"{before}（{inner}）")
    for m in FILL_LABEL.finditer(flat):
        found.add(f"（{m.group(1)}）")
    for clause in re.split(r"[，。：:,]", flat):
        for m in TABLE_INSTRUCTION.finditer(clause):
            found.add(m.group(0).removeprefix("并"))
    return sorted(found, key=lambda p: (-len(p), p))


@cache
def phrases() -> tuple[str, ...]:
    data = resources.files("juesuan.check") / "data" / "template_phrases.txt"
    lines = data.read_text(encoding="utf-8").splitlines()
    return tuple(ln.strip() for ln in lines if ln.strip() and not ln.startswith("#"))


def template_left(chk: Narrative, paras: list[Para]) -> None:
    """CHK-115: a template phrase, or an unclosed “（其中”, left in the running text."""
    known = phrases()
    pattern = re.compile("|".join(re.escape(p) for p in known)) if known else None
    for para in paras:
        chk.sink.checked("CHK-115")
        if pattern is not None:
            for m in pattern.finditer(para.text):
                chk.sink.add(
                    "CHK-115",
                    f"遗留模板文字“{m.group(0)}”（应按实际情况改写或删除）",
                    quote=around(para.text, m.start(), m.end()),
                    **para.where(m.start()),
                )
        for m in re.finditer(r"（其中", para.text):
            close = para.text.find("）", m.end())
            reopen = para.text.find("（", m.end())
            if close < 0 or 0 <= reopen < close:
                chk.sink.add(
                    "CHK-115",
                    "“（其中”没有对应的右括号",
                    quote=around(para.text, m.start(), m.end()),
                    **para.where(m.start()),
                )


if __name__ == "__main__":  # python -m juesuan.check.template_text 模板.txt
    with open(sys.argv[1], encoding="utf-8") as fh:
        print("# derived by `python -m juesuan.check.template_text` from an official template")
        print("\n".join(derive(fh.read())))
