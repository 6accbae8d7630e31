"""Mutation testing of the checker: change one printed number of a built document at a time
and see whether ``check_file`` reports something new at that place.

A target is one stated number: an amount, a rate or a share (with decimals or %), a weight or a
score of a self-evaluation table, a count or a score stated in a sentence (N个, N人, N分).
Table codes, years, dates and the indicators' target and actual values (指标值, 完成值: they
have no arithmetic to break) are not targets. A mutation changes the last digit of the number's
integer part (+1, or -1 for a 9), so the text keeps its length and its format: 40.73 → 41.73,
98.5 → 99.5, 100% → 101%.

Used by tests/check/test_check_mutation.py (a sample) and by ``bench/bench_check.py
--mutations`` (every target; the figures in docs/benchmarks.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
AMOUNT_WORD = re.compile(r"-?\d[\d,]*\.\d+")
CELL = re.compile(r"^-?\d[\d,]*(?:\.\d+)?%?$")
# numbers in sentences: amounts, percentages, scores, counts
SAID = re.compile(r"(?<![\d.])(\d[\d,]*(?:\.\d+)?)(?=万元|%|分(?!之)|个|人|名)")
SCORE_HEADS = ("权重", "得分", "指标分值", "自评得分", "分值")
NOT_TARGET_HEADS = ("指标值", "完成值", "度量单位", "指标性质", "科目编码")
CODE_HEADS = ("类", "款", "项")


@dataclass(frozen=True)
class Target:
    kind: str  # "table" or "text"
    where: str  # table title or paragraph number / page
    label: str  # the row label or the sentence
    old: str
    new: str
    # how to find it again: DOCX (table index, row, column) or (paragraph index, occurrence);
    # PDF (page, occurrence of the text on that page)
    address: tuple = field(default=())


def bump(text: str) -> str:
    """The number with the last digit of its integer part moved by one."""
    m = NUMBER.search(text)
    assert m is not None
    num = m.group(0)
    int_part = num.split(".")[0]
    i = max(k for k, ch in enumerate(int_part) if ch.isdigit())
    d = int(int_part[i])
    new_digit = str(d + 1 if d < 9 else d - 1)
    new = num[:i] + new_digit + num[i + 1 :]
    return text[: m.start()] + new + text[m.end() :]


# ---------------------------------------------------------------- DOCX


def docx_targets(path: Path) -> list[Target]:
    import docx

    d = docx.Document(str(path))
    targets: list[Target] = []
    titles = _docx_titles(d)
    for t_i, table in enumerate(d.tables):
        seen = set()
        heads: dict[int, str] = {}
        for r_i, row in enumerate(table.rows):
            for c_i, cell in enumerate(row.cells):
                if cell._tc in seen:
                    continue
                seen.add(cell._tc)
                text = "".join(cell.text.split())
                if not CELL.match(text):
                    if text:
                        heads[c_i] = text
                    continue
                head = heads.get(c_i, "")
                if head in CODE_HEADS or any(head.startswith(h) for h in NOT_TARGET_HEADS):
                    continue
                is_amount = "." in text or "%" in text
                if not is_amount and not any(head.startswith(h) for h in SCORE_HEADS):
                    continue
                if Decimal(text.replace(",", "").rstrip("%")) == 0 and "%" not in text:
                    continue
                label = next((c.text.strip() for c in row.cells if c.text.strip()), "")
                targets.append(
                    Target("table", titles[t_i], label, text, bump(text), (t_i, r_i, c_i))
                )
    for p_i, para in enumerate(d.paragraphs):
        text = para.text
        counts: dict[str, int] = {}
        for m in SAID.finditer(text):
            token = m.group(1)
            n = counts.get(token, 0)
            counts[token] = n + 1
            if _is_year_or_date(text, m.start(), m.end()) or _is_threshold(text, m.start()):
                continue
            sentence = _sentence(text, m.start())
            targets.append(Target("text", str(p_i + 1), sentence, token, bump(token), (p_i, n)))
    return targets


def _docx_titles(d) -> list[str]:
    titles, last = [], ""
    for el in d.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(x.text or "" for x in el.iter() if x.tag.endswith("}t")).strip()
            if text and not text.startswith("单位"):
                last = text
        elif tag == "tbl":
            titles.append("".join(last.split()))
    return titles


def mutate_docx(path: Path, target: Target, out: Path) -> bool:
    import docx

    d = docx.Document(str(path))
    if target.kind == "table":
        t_i, r_i, c_i = target.address
        cell = d.tables[t_i].rows[r_i].cells[c_i]
        para = next((p for p in cell.paragraphs if target.old in "".join(p.text.split())), None)
        if para is None:
            return False
        _rewrite(para, para.text.replace(target.old, target.new, 1))
    else:
        p_i, n = target.address
        para = d.paragraphs[p_i]
        text = para.text
        spans = [m for m in SAID.finditer(text) if m.group(1) == target.old]
        if n >= len(spans):
            return False
        m = spans[n]
        _rewrite(para, text[: m.start(1)] + target.new + text[m.end(1) :])
    d.save(str(out))
    return True


def _rewrite(para, text: str) -> None:
    runs = para.runs
    runs[0].text = text
    for run in runs[1:]:
        run.text = ""


# ---------------------------------------------------------------- PDF


def pdf_targets(path: Path) -> list[Target]:
    """Numbers as the checker reads them from each page: on table pages every amount (a
    number with decimals), on text pages the numbers with a unit as in :func:`docx_targets`.
    In text the target carries up to three characters before the number and its unit, so that
    the PDF edit finds this number and not the same digits inside another one."""
    from juesuan.check.read.pdf_grid import ruled_tables
    from juesuan.check.read.pdf_tables import pdf_tables
    from juesuan.check.read.reader import read_pdf

    doc = read_pdf(path)
    table_pages = pdf_tables(doc)[1] | ruled_tables(doc)[1]
    targets: list[Target] = []
    for page in doc.pages:
        page_text = "".join("".join(w.text for w in ln) for ln in page.lines)
        seen: dict[str, int] = {}
        for line in page.lines:
            text = "".join(w.text for w in line)
            if page.number in table_pages:
                # every amount word: cells side by side join into one text ("66.3366.33")
                found = [w.text for w in line if AMOUNT_WORD.fullmatch(w.text)]
            else:
                found = [m.group(0) for m in NUMBER.finditer(text)]
            spans = iter(m for m in NUMBER.finditer(text))
            for token in found:
                if page.number in table_pages:
                    if Decimal(token.replace(",", "")) == 0:
                        continue
                    old = token
                else:
                    m = next(spans)
                    said = SAID.match(text, m.start())
                    if said is None or said.end() != m.end():
                        continue
                    if _is_year_or_date(text, m.start(), m.end()):
                        continue
                    if _is_threshold(text, m.start()):
                        continue
                    unit = re.match(r"万元|%|分|个|人|名", text[m.end() :]).group(0)
                    lead = re.search(r"[^\d.,]{0,3}$", text[: m.start()]).group(0)
                    old = lead + token + unit
                n = seen.get(old, 0)
                seen[old] = n + 1
                if n >= page_text.count(old):
                    continue
                new = old.replace(token, bump(token), 1) if old != token else bump(token)
                targets.append(
                    Target("pdf", f"第{page.number}页", text[:60], old, new, (page.number, n))
                )
    return targets


def mutate_pdf(path: Path, target: Target, out: Path) -> bool:
    from pdf_edit import replace_on_page

    page, n = target.address
    return replace_on_page(path, out, page, target.old, target.new, occurrence=n)


# ---------------------------------------------------------------- running


@dataclass
class Outcome:
    target: Target
    at_place: bool  # a new finding at the mutated table, paragraph or page
    elsewhere: bool  # a new finding, but located elsewhere
    applied: bool = True
    noted: bool = False  # only a rounding note: the stated inputs' rounding can explain it


def keys(report) -> set[tuple]:
    from juesuan.core.findings import Severity

    out = set()
    for i in report.items:
        f = i.finding
        if f.severity is Severity.INFO:
            continue
        out.add(
            (
                f.code,
                "".join((f.location.table or "").split()),
                f.location.row,
                f.location.column,
                i.paragraph,
                i.page,
                str(f.stated),
                f.message,
            )
        )
    return out


def run_mutations(
    path: Path,
    targets: list[Target],
    mutate: Callable[[Path, Target, Path], bool],
    scratch: Path,
) -> Iterator[Outcome]:
    from juesuan.check import check_file

    first = check_file(path)
    baseline, notes = keys(first), len(first.rounding)
    tables_on = _tables_on_pages(path) if path.suffix == ".pdf" else {}
    out = scratch / f"mutated{path.suffix}"
    for target in targets:
        if not mutate(path, target, out):
            yield Outcome(target, False, False, applied=False)
            continue
        report = check_file(out)
        new = keys(report) - baseline
        here = {k for k in new if _at(k, target, tables_on)}
        yield Outcome(target, bool(here), bool(new - here), noted=len(report.rounding) > notes)


def _at(key: tuple, target: Target, tables_on: dict[int, set[str]]) -> bool:
    """A finding at the mutated place: the same table (DOCX), the same or the neighbouring
    paragraph (a sentence may state its whole in the one before), the same page or a table
    that is printed on that page (PDF: a total row may sit on the next page)."""
    _, table, _row, _col, paragraph, page, _, _ = key
    if target.kind == "table":
        return bool(table) and (table in target.where or target.where in table)
    if target.kind == "text":
        return paragraph is not None and abs(paragraph - int(target.where)) <= 1
    number = int(target.where.strip("第页"))
    return page == number or (bool(table) and table in tables_on.get(number, set()))


def _tables_on_pages(path: Path) -> dict[int, set[str]]:
    """The titles the checker gives the tables printed on each page of a PDF."""
    from juesuan.check.read.kinds import TITLES, kind_of
    from juesuan.check.read.pdf_grid import ruled_tables
    from juesuan.check.read.pdf_tables import pdf_tables
    from juesuan.check.read.reader import read_pdf

    doc = read_pdf(path)
    out: dict[int, set[str]] = {}
    for table in pdf_tables(doc)[0] + ruled_tables(doc)[0]:
        title = TITLES.get(kind_of(table.title) or "", "".join(table.title.split()))
        for row in table.rows:
            if row.page is not None:
                out.setdefault(row.page, set()).add(title)
    return out


def _is_year_or_date(text: str, start: int, end: int) -> bool:
    after = text[end : end + 1]
    token = text[start:end]
    return (len(token) == 4 and token.startswith("20") and after in "年-/") or after in "月日"


def _is_threshold(text: str, start: int) -> bool:
    """A rule's literal, not a figure: 结余率大于10%, 完成率≥95%, 单价50万元以上."""
    before = text[max(0, start - 2) : start]
    after = text[start : start + 12]
    return bool(re.search(r"(大于|小于|超过|低于|不足|≥|≤|>|<)$", before)) or bool(
        re.match(r"[\d.]+(?:万元|%)?(?:（含）|\(含\))?(?:以上|以下)", after)
    )


def _sentence(text: str, at: int) -> str:
    start = text.rfind("。", 0, at) + 1
    end = text.find("。", at)
    return text[start : (end + 1 if end >= 0 else len(text))]
