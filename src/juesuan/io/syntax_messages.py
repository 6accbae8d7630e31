"""Explain YAML syntax errors from PyYAML/libyaml in Chinese, as ``LOAD-005`` findings.

(A newer libyaml refuses deep nesting itself; that becomes ``LOAD-007`` like our own limit.)
"""

from __future__ import annotations

import yaml

from juesuan.core.findings import Finding
from juesuan.io.load_findings import finding, not_text

_TAB_HINT = "不能用制表符（Tab）缩进或分隔，请改用空格"

# (fragment of the PyYAML/libyaml problem text, Chinese explanation)
_SYNTAX_HINTS: tuple[tuple[str, str], ...] = (
    (
        "mapping values are not allowed",
        "此处不能出现「键: 值」：可能是缩进不对，或值中含有「: 」需要加引号",
    ),
    ("could not find expected ':'", "缺少冒号「:」，或上一行的引号、括号没有闭合"),
    ("while scanning a block scalar", "「|」或「>」后只能换行或写注释；若是普通文本请加引号"),
    ("while scanning a tag", "以「!」开头的写法是 YAML 标签；若是普通文本请加引号"),
    ("while scanning a directive", "以「%」开头的行是 YAML 指令；若是普通文本请加引号"),
    ("mapping keys are not allowed", "此处不能出现键，可能是缩进不对"),
    ("'\\t'", _TAB_HINT),
    ("found a tab character", _TAB_HINT),
    ("cannot start any token", "出现了不能开始任何内容的字符；以 @、`、% 等开头的文本需要加引号"),
    ("did not find expected key", "缩进不一致，或在映射中出现了不是「键: 值」的内容"),
    ("did not find expected '-' indicator", "列表缩进不一致，或在列表中出现了不以「- 」开头的内容"),
    ("expected <block end>", "缩进不一致"),
    ("did not find expected ',' or ']'", "方括号列表缺少逗号或右方括号「]」"),
    ("expected ',' or ']'", "方括号列表缺少逗号或右方括号「]」"),
    ("did not find expected ',' or '}'", "花括号映射缺少逗号或右花括号「}」"),
    ("expected ',' or '}'", "花括号映射缺少逗号或右花括号「}」"),
    ("unknown escape", "双引号文本中有无法识别的转义字符（反斜杠），可改用单引号"),
    ("end of stream", "文件意外结束：引号或括号可能没有闭合"),
    ("found undefined tag handle", "使用了未定义的标签前缀"),
    ("duplicate", "重复的定义"),
    ("expected the node content", "缺少内容"),
    ("did not find expected node content", "缺少内容"),
    ("block sequence entries are not allowed", "此处不能出现列表项「- 」，可能是缩进不对"),
    (
        "expected alphabetic or numeric character",
        "锚点「&」或别名「*」的名字不合法；若是普通文本请加引号",
    ),
)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    if 0 < line <= len(lines) and 0 < column <= len(lines[line - 1]):
        return lines[line - 1][column - 1]
    return ""


def yaml_error(exc: yaml.YAMLError, text: str, origin: str, *, max_depth: int) -> Finding:
    """The finding for a PyYAML/libyaml parse error (``max_depth``: the nesting limit)."""
    if isinstance(exc, yaml.reader.ReaderError):  # pragma: no cover - pre-checked
        return not_text(origin, 1, f"含有不允许的字符（{exc.reason}）")
    line: int | None = None
    column: int | None = None
    original = str(exc)
    problem = ""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        if mark is not None:
            line, column = mark.line + 1, mark.column + 1
        problem = exc.problem or ""
        original = "; ".join(p for p in (exc.context, exc.problem) if p) or original
    haystack = f"{exc.context if isinstance(exc, yaml.MarkedYAMLError) else ''} {problem}".lower()
    if "nesting depth" in haystack:  # newer libyaml refuses deep nesting itself
        return finding("LOAD-007", f"嵌套过深（超过{max_depth}层），拒绝处理", origin, line or 1)
    explanation = next((zh for en, zh in _SYNTAX_HINTS if en in haystack), "无法解析")
    if line is None:
        line = 1
    elif column is not None and _char_at(text, line, column) == "\t":
        explanation = _TAB_HINT
    where = f"第 {line} 行第 {column} 列" if column else f"第 {line} 行"
    message = f"YAML 语法错误（{where}）：{explanation}（{original}）"
    return finding("LOAD-005", message, origin, line)
