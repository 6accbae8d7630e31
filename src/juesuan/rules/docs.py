"""docs/rules.md, generated from the code catalog (a test keeps the file current)."""

from __future__ import annotations

from juesuan.core.codes import FAMILIES, RULE_FAMILIES, in_family

_PREFACE = [
    "# 一致性规则目录",
    "",
    "本文件由 `juesuan rules --markdown` 生成，请勿手工编辑。数据校验（`juesuan validate`）",
    "与已公开文件的检查共用同一套规则。每条检查结果包含规则编码、严重程度、中文说明和位置。",
    "",
]
_CHECK_NOTE = [
    "检查器在恢复出的报表上运行以上 TOT、BTW、CAT 规则，另有以下针对公开文件的规则；",
    "用法与各规则的依据见 [check.md](check.md)。",
    "",
]


def rules_markdown() -> str:
    out = list(_PREFACE)
    for family in RULE_FAMILIES:
        out += [
            f"## {FAMILIES[family]}",
            "",
            "| 编码 | 严重程度 | 规则 | 说明 |",
            "|---|---|---|---|",
        ]
        out += [
            f"| {c.code} | {c.severity.label if c.severity else '—'} | {c.title} | {c.doc} |"
            for c in in_family(family)
        ]
        out.append("")
    for family in ("load", "workbook", "system", "check", "read", "import", "serve"):
        out += [f"## {FAMILIES[family]}", ""]
        if family == "check":
            out += _CHECK_NOTE
        out += ["| 编码 | 严重程度 | 说明 |", "|---|---|---|"]
        out += [
            f"| {c.code} | {c.severity.label if c.severity else '—'} | {c.title} |"
            for c in in_family(family)
        ]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
