"""docs/rules.md, generated from the rule catalog (a test keeps the file current)."""

from __future__ import annotations

from juesuan.rules.registry import FAMILIES, load_rules


def rules_markdown() -> str:
    from juesuan.catalog.importer import IMPORT_CODES
    from juesuan.io.yaml_loader import LOAD_CODES
    from juesuan.pipeline import ANALYSIS_CODES

    rules = load_rules()
    out = [
        "# 一致性规则目录",
        "",
        "本文件由 `juesuan rules --markdown` 生成，请勿手工编辑。数据校验（`juesuan validate`）",
        "与已公开文件的检查共用同一套规则。每条检查结果包含规则编码、严重程度、中文说明和位置。",
        "",
    ]
    for family, label in FAMILIES.items():
        members = [r for r in rules.values() if r.family == family]
        if not members:
            continue
        out += [f"## {label}", "", "| 编码 | 严重程度 | 规则 | 说明 |", "|---|---|---|---|"]
        for r in members:
            doc = "".join(line.strip() for line in r.doc.splitlines())
            out.append(f"| {r.code} | {r.severity.label} | {r.title} | {doc} |")
        out.append("")
    out += ["## 数据文件读取", "", "| 编码 | 说明 |", "|---|---|"]
    out += [f"| {code} | {text} |" for code, text in {**LOAD_CODES, **ANALYSIS_CODES}.items()]
    from juesuan.performance.system_loader import SYSTEM_CODES

    out += ["", "## 绩效指标体系文件", "", "| 编码 | 说明 |", "|---|---|"]
    out += [f"| {code} | {text} |" for code, text in SYSTEM_CODES.items()]
    from juesuan.check.model import CHECK_RULES, READ_CODES

    out += [
        "",
        "## 已公开文件的检查（juesuan check）",
        "",
        "检查器在恢复出的报表上运行以上 TOT、BTW、CAT 规则，另有以下针对公开文件的规则；",
        "用法与各规则的依据见 [check.md](check.md)。",
        "",
        "| 编码 | 严重程度 | 规则 |",
        "|---|---|---|",
    ]
    out += [f"| {code} | {sev.label} | {title} |" for code, (sev, title) in CHECK_RULES.items()]
    out += ["", "| 编码 | 说明 |", "|---|---|"]
    out += [f"| {code} | {text} |" for code, text in READ_CODES.items()]
    out += ["", "## 分类科目目录导入（juesuan catalog import）", "", "| 编码 | 说明 |", "|---|---|"]
    out += [f"| {code} | {text} |" for code, text in IMPORT_CODES.items()]
    return "\n".join(out) + "\n"
