"""What the narrative says of the performance self-evaluation tables: the total scores it
states (CHK-206) and, per project type, the projects it counts, their budget, execution
progress and how many have more than 10% left (CHK-205, CHK-207)."""

from __future__ import annotations

import re
from decimal import Decimal

from juesuan.check.model import dec, quantize
from juesuan.check.performance_model import SAID_SCORE, Project, Scored, points_text
from juesuan.check.sink import Sink

PROJECT_CLAIM = re.compile(
    r"(常年项目|阶段（一次性）项目|一次性项目|阶段项目|[^。，]{0,12}项目)绩效分析[。.]?"
    r"该类项目总数(\d+)个，涉及预算总金额(-?\d[\d,]*(?:\.\d+)?)万元"
    r"(?:，1[—\-－~～至]12月预算执行总体进度为(\d+(?:\.\d+)?)%)?"
    r"(?:，其中：预算结余率大于10%的项目共计(\d+)个)?"
)
PROJECT_TYPES = ("常年", "一次性")


class PerformanceClaims:
    def __init__(self, sink: Sink, paras: list) -> None:
        self.sink = sink
        self.paras = paras

    def stated_scores(self, overall: Scored | None, projects: list[Project]) -> None:
        """Total scores the narrative states: the department's (附表1) or a named project's."""
        for para in self.paras:
            start = 0
            for m in SAID_SCORE.finditer(para.text):
                # the clause the score belongs to: back to the previous score or sentence end
                cut = max(para.text.rfind(p, start, m.start()) for p in "。；")
                clause = para.text[max(start, cut + 1) : m.start()]
                start = m.end()
                named = [p for p in projects if p.total and _names(p.name, clause)]
                if len(named) == 1:
                    ref, label = named[0].total, f"项目「{named[0].name}」"
                elif "整体" in clause and not named:
                    ref, label = overall, "部门整体支出绩效自评表"
                else:
                    continue
                if ref is None:
                    self.sink.cannot("CHK-206", f"{label}没有可读取的合计得分")
                    continue
                self.sink.checked("CHK-206")
                stated = dec(m.group(1))
                if stated != ref.score:
                    self.sink.add(
                        "CHK-206",
                        f"说明称自评得分{points_text(stated)}分，{label}合计得分为{points_text(ref.score)}分",
                        **para.where(m.start()),
                        stated=stated,
                        expected=ref.score,
                        quote=para.text[max(0, m.start() - 30) : m.end() + 5],
                    )
        if not self.sink.coverage["CHK-206"].checked:
            self.sink.cannot("CHK-206", "没有可与自评表合计核对的“自评得分X分”")

    def project_claims(self, projects: list[Project]) -> None:
        """“该类项目总数N个，涉及预算总金额X万元，…预算结余率大于10%的项目共计M个” per project
        type, against the project tables (each claimed total is matched to the projects whose
        budgets it sums)."""
        claims = []
        for para in self.paras:
            for m in PROJECT_CLAIM.finditer(para.text):
                if not any(c[0].group(1) == m.group(1) for c in claims):
                    claims.append((m, para))
        if not claims:
            self.sink.cannot("CHK-205", "说明中没有“该类项目总数N个，涉及预算总金额X万元”")
            self.sink.cannot("CHK-207", "说明中没有各类项目的个数")
            return
        budgets = [p.budget for p in projects]
        used: set[int] = set()
        unmatched = []
        for m, para in claims:
            count, amount = int(m.group(2)), dec(m.group(3))
            hit = _subset(budgets, count, amount, used)
            self.sink.checked("CHK-205")
            if hit is None:
                unmatched.append((m, para))
                continue
            used |= set(hit)
            self._claim_details(m, para, [projects[k] for k in hit])
        rest = [k for k in range(len(projects)) if k not in used]
        for m, para in unmatched:
            label, count, amount = m.group(1), int(m.group(2)), dec(m.group(3))
            if count == len(rest) and rest and all(budgets[k] is not None for k in rest):
                expected = sum((budgets[k] for k in rest if budgets[k] is not None), Decimal(0))
                names = "、".join(projects[k].name for k in rest)
                msg = f"说明称{label}{count}个、涉及预算总金额{amount}万元，而项目支出绩效自评表（{names}）的预算数为{expected}万元"
            else:
                expected = None
                msg = f"说明称{label}{count}个、涉及预算总金额{amount}万元，在项目支出绩效自评表中找不到对应的项目"
            self._add_claim("CHK-205", msg, m, para, amount, expected)
        types = {t for m, _ in claims for t in PROJECT_TYPES if t in m.group(1)}
        if len(types) == len(PROJECT_TYPES):
            said = sum(int(m.group(2)) for m, _ in claims)
            self.sink.checked("CHK-207")
            if said != len(projects):
                m, para = claims[-1]
                self._add_claim(
                    "CHK-207",
                    f"说明中各类项目共{said}个，而项目支出绩效自评表有{len(projects)}张",
                    m,
                    para,
                    Decimal(said),
                    Decimal(len(projects)),
                )
        elif not self.sink.coverage["CHK-207"].checked:
            self.sink.cannot("CHK-207", "说明没有同时列出常年项目和一次性项目的个数")

    def _claim_details(self, m: re.Match, para, matched: list[Project]) -> None:
        """The execution progress and the count of projects with more than 10% left."""
        budget = sum((p.budget or Decimal(0) for p in matched), Decimal(0))
        executed = [p.executed for p in matched]
        if m.group(4) is not None and budget and all(e is not None for e in executed):
            stated = dec(m.group(4))
            places = len(m.group(4).split(".")[1]) if "." in m.group(4) else 0
            spent = sum((e for e in executed if e is not None), Decimal(0))
            expected = quantize(spent / budget * 100, places)
            self.sink.checked("CHK-207")
            if stated != expected:
                self._add_claim(
                    "CHK-207",
                    f"说明称{m.group(1)}预算执行总体进度为{m.group(4)}%，按项目支出绩效自评表为{expected}%",
                    m,
                    para,
                    stated,
                    expected,
                )
        if m.group(5) is not None and all(p.budget and p.executed is not None for p in matched):
            left = sum(
                1
                for p in matched
                if p.budget
                and p.executed is not None
                and (p.budget - p.executed) / p.budget > Decimal("0.1")
            )
            self.sink.checked("CHK-207")
            if int(m.group(5)) != left:
                self._add_claim(
                    "CHK-207",
                    f"说明称{m.group(1)}中预算结余率大于10%的项目{m.group(5)}个，按项目支出绩效自评表为{left}个",
                    m,
                    para,
                    Decimal(m.group(5)),
                    Decimal(left),
                )

    def _add_claim(self, code, msg, m, para, stated, expected) -> None:
        self.sink.add(
            code,
            msg,
            **para.where(m.start()),
            stated=stated,
            expected=expected,
            quote=m.group(0),
        )


def _names(project: str, text: str) -> bool:
    """The text names the project: its name without the leading project code and without a
    trailing 经费/资金/项目/专项 (“目标绩效督查营商管理经费” is named “目标绩效督查营商管理专项”)."""
    name = re.sub(r"^[\dA-Za-z]+[-—－]", "", project)
    stem = re.sub(r"(经费|资金|项目|专项|预算)+$", "", name)
    return len(stem) >= 2 and stem in text


def _subset(
    budgets: list[Decimal | None], count: int, amount: Decimal, used: set[int]
) -> list[int] | None:
    """The projects (not yet used) whose budgets sum to the claimed amount, by count."""
    from itertools import combinations

    free = [k for k in range(len(budgets)) if k not in used and budgets[k] is not None]
    if count > len(free) or count <= 0 or len(free) > 20:
        return None
    for combo in combinations(free, count):
        if sum((budgets[k] for k in combo if budgets[k] is not None), Decimal(0)) == amount:
            return list(combo)
    return None
