"""Load a :class:`~juesuan.model.dataset.Dataset` from YAML, keeping the line of every value.

Bad input never raises: every problem becomes a :class:`~juesuan.findings.Finding` with a
stable ``LOAD-xxx`` code (see :data:`LOAD_CODES`), a Chinese message and a location.

The YAML is read as an *event stream* and turned into plain Python by an iterative
composer of our own instead of ``yaml.compose()``: libyaml's composer recurses in C and
crashes the interpreter (segfault) on deeply nested input such as ``[[[[…]]]]``, and the
pure-Python one hits ``RecursionError``. Building the values ourselves also lets us

* record the 1-based line of every mapping key and sequence item under its dotted path
  (``functional.2.expenditure.basic``),
* turn YAML floats into ``Decimal`` straight from the source text (never via ``float``),
* report duplicate keys (PyYAML silently keeps the last one), and
* bound nesting depth and the number of nodes, counting aliases by their expanded size
  (guards against "billion laughs").

Mapping keys are always taken as their source text, so ``no:`` or ``2024:`` stay the
strings ``"no"`` and ``"2024"``. Timestamps stay text (the dataset has no date fields).
Merge keys (``<<: *base``) are supported; explicit keys win over merged ones.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from yaml import events as ev

from juesuan.findings import Finding, Location, Severity
from juesuan.model.dataset import Dataset

__all__ = [
    "LOAD_CODES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "load_yaml",
    "parse_yaml_bytes",
    "parse_yaml_text",
]

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 20 * 1024 * 1024
"""Largest file accepted (bytes; for text: UTF-8 encoded size)."""
MAX_NODES = 1_000_000
"""Most YAML nodes (keys and values, aliases counted expanded) in one file."""
MAX_DEPTH = 100
"""Deepest nesting of mappings/sequences (a dataset needs about six)."""

LOAD_CODES: dict[str, str] = {
    "LOAD-001": "文件不存在或无法读取",
    "LOAD-002": "文件过大",
    "LOAD-003": "不是文本文件（含二进制内容、控制字符，或不是 UTF-8 编码）",
    "LOAD-004": "文件为空",
    "LOAD-005": "YAML 语法错误",
    "LOAD-006": "顶层不是映射（键: 值）",
    "LOAD-007": "嵌套过深、节点过多或别名循环引用，拒绝处理",
    "LOAD-008": "同一映射中键重复",
    "LOAD-009": "不允许的数值（无穷大、非数 .inf/.nan 或数量级过大）",
    "LOAD-010": "不支持的 YAML 写法（标签、以列表或映射为键、多个文档等）",
    "LOAD-101": "缺少必填项",
    "LOAD-102": "未知字段（可能拼写错误）",
    "LOAD-103": "应为数字",
    "LOAD-104": "数值超出允许范围（如金额为负数）",
    "LOAD-105": "科目编码或其他文本格式不正确",
    "LOAD-106": "文本为空",
    "LOAD-107": "取值不在允许的选项中",
    "LOAD-108": "类型不符（应为列表、映射或文本等）",
    "LOAD-199": "其他数据校验错误",
    "LOAD-020": "文件类型暂不支持（如 Excel 工作簿）",
    "LOAD-021": "未知的地区模板（profile）",
}

Result = tuple[Dataset | None, list[Finding]]

# ---------------------------------------------------------------------------------------
# entry points


def load_yaml(path: Path | str) -> Result:
    """Load the dataset in the YAML file at ``path``."""
    origin = str(path)
    p = Path(path)
    try:
        if not p.exists():
            return None, [_file_error(origin, f"文件不存在：{origin}")]
        if p.is_dir():
            return None, [_file_error(origin, f"这是一个目录而不是文件：{origin}")]
        if not p.is_file():
            return None, [_file_error(origin, f"不是普通文件（设备、管道等），无法读取：{origin}")]
        if p.stat().st_size > MAX_BYTES:
            return None, [_too_large(origin, p.stat().st_size)]
        with p.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return None, [_file_error(origin, f"无法读取文件：{origin}（{reason}）")]
    except ValueError as exc:  # e.g. embedded NUL in the path
        return None, [_file_error(origin, f"文件路径无效：{origin!r}（{exc}）")]
    return parse_yaml_bytes(data, origin)


def parse_yaml_bytes(data: bytes, origin: str) -> Result:
    """Decode ``data`` as UTF-8 (a BOM is allowed) and parse it; binary input is refused."""
    if len(data) > MAX_BYTES:
        return None, [_too_large(origin, len(data))]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [_not_text(origin, 1, "文件是 UTF-16 编码，请另存为 UTF-8 编码")]
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        return None, [_not_text(origin, line, f"第 {line} 行含有空字节（NUL），可能是二进制文件")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        hint = "，请以 UTF-8 编码保存"
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            pass
        else:
            hint = "；文件似乎是 GBK/GB18030 编码，请另存为 UTF-8 编码"
        return None, [_not_text(origin, line, f"第 {line} 行不是有效的 UTF-8 文本{hint}")]
    return parse_yaml_text(text, origin)


def parse_yaml_text(text: str, origin: str) -> Result:
    """Parse YAML ``text`` into a :class:`Dataset`; ``origin`` names the file in locations."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if len(text) > MAX_BYTES:
        return None, [_too_large(origin, len(text))]
    bad = _NON_PRINTABLE.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        char = ord(bad.group())
        what = (
            "空字符（NUL），可能是二进制文件"
            if char == 0
            else f"不允许的字符 U+{char:04X}（控制字符等）"
        )
        return None, [_not_text(origin, line, f"第 {line} 行含有{what}")]
    size = len(text.encode("utf-8"))  # no surrogates left after the check above
    if size > MAX_BYTES:
        return None, [_too_large(origin, size)]
    if not text.strip():
        return None, [_empty(origin)]

    composer = _Composer(origin)
    try:
        composer.run(text)
    except _Fatal as fatal:
        return None, [fatal.finding]
    except yaml.YAMLError as exc:
        return None, [_yaml_error(exc, text, origin)]

    findings = composer.findings
    data = composer.root
    if not isinstance(data, dict):  # pragma: no cover - the composer rejects this earlier
        return None, [*findings, _empty(origin)]

    dataset: Dataset | None = None
    try:
        dataset = Dataset.model_validate(data)
    except ValidationError as exc:
        findings.extend(_translate(exc, composer.sources, composer.poisoned, origin))
    if dataset is None and not findings:  # pragma: no cover - defensive
        findings.append(_finding("LOAD-199", "数据校验未通过", origin, 1))
    if findings or dataset is None:
        return None, sorted(findings, key=lambda f: f.location.line or 0)
    return dataset.with_sources(origin, composer.sources), []


# ---------------------------------------------------------------------------------------
# whole-file problems


def _finding(
    code: str, message: str, origin: str, line: int | None, path: str | None = None
) -> Finding:
    return Finding(code, Severity.ERROR, message, Location(file=origin, line=line, path=path))


def _file_error(origin: str, message: str) -> Finding:
    return _finding("LOAD-001", message, origin, None)


def _too_large(origin: str, size: int) -> Finding:
    return _finding(
        "LOAD-002",
        f"文件过大（{size / 1024 / 1024:.1f} MB），"
        f"超过 {MAX_BYTES // 1024 // 1024} MB 的上限，拒绝读取",
        origin,
        1,
    )


def _not_text(origin: str, line: int, detail: str) -> Finding:
    return _finding("LOAD-003", f"不是文本文件：{detail}", origin, line)


def _empty(origin: str) -> Finding:
    return _finding("LOAD-004", "文件为空（没有任何数据，只有空白或注释）", origin, 1)


# YAML 1.1 printable characters (what PyYAML's reader accepts), plus NUL handled above.
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)

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


def _yaml_error(exc: yaml.YAMLError, text: str, origin: str) -> Finding:
    if isinstance(exc, yaml.reader.ReaderError):  # pragma: no cover - pre-checked
        return _not_text(origin, 1, f"含有不允许的字符（{exc.reason}）")
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
        return _finding("LOAD-007", f"嵌套过深（超过{MAX_DEPTH}层），拒绝处理", origin, line or 1)
    explanation = next((zh for en, zh in _SYNTAX_HINTS if en in haystack), "无法解析")
    if line is None:
        line = 1
    elif column is not None and _char_at(text, line, column) == "\t":
        explanation = _TAB_HINT
    where = f"第 {line} 行第 {column} 列" if column else f"第 {line} 行"
    message = f"YAML 语法错误（{where}）：{explanation}（{original}）"
    return _finding("LOAD-005", message, origin, line)


# ---------------------------------------------------------------------------------------
# composing: events -> plain Python with line numbers


class _Fatal(Exception):
    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


_PENDING = object()
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAGS = {None, "!", "tag:yaml.org,2002:map"}
_SEQ_TAGS = {None, "!", "tag:yaml.org,2002:seq"}
_SCALAR = yaml.ScalarNode
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_RESOLVER = yaml.resolver.Resolver()


@dataclass(slots=True)
class _Anchored:
    value: Any
    size: int
    height: int
    tainted: bool


@dataclass(slots=True)
class _Frame:
    kind: str  # "map" or "seq"
    path: str | None  # None: the value is discarded (a key, a duplicate's value)
    value: Any
    line: int
    anchor: str | None
    as_key: bool = False
    size: int = 1
    height: int = 1
    tainted: bool = False
    # mapping state
    has_key: bool = False
    key: str = ""
    key_line: int = 0
    drop_value: bool = False
    merge_pending: bool = False
    key_lines: dict[str, int] = field(default_factory=dict)
    merges: list[tuple[int, Any]] = field(default_factory=list)


def _expect_value(frame: _Frame, key_line: int, *, drop: bool) -> None:
    """A key has been read in ``frame``; its value comes next (and is dropped if ``drop``)."""
    frame.has_key = True
    frame.key_line = key_line
    frame.drop_value = drop
    frame.merge_pending = False


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


class _Composer:
    def __init__(self, origin: str):
        self.origin = origin
        self.sources: dict[str, Location] = {}
        self.findings: list[Finding] = []
        self.poisoned: set[str] = set()
        self.anchors: dict[str, Any] = {}
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.total = 0
        self.documents = 0

    # -- driver ---------------------------------------------------------------------------

    def run(self, text: str) -> None:
        loader = _Loader(text)
        try:
            while True:
                event = loader.get_event()
                if isinstance(event, ev.StreamEndEvent):
                    break
                self._event(event)
        finally:
            loader.dispose()
        if self.documents == 0:
            raise _Fatal(_empty(self.origin))

    def _event(self, event: ev.Event) -> None:
        if isinstance(event, ev.ScalarEvent):
            self._scalar(event)
        elif isinstance(event, ev.MappingStartEvent | ev.SequenceStartEvent):
            self._start(event)
        elif isinstance(event, ev.MappingEndEvent | ev.SequenceEndEvent):
            self._end()
        elif isinstance(event, ev.AliasEvent):
            self._alias(event)
        elif isinstance(event, ev.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise _Fatal(
                    self._error(
                        "LOAD-010",
                        "文件包含多个 YAML 文档（以「---」分隔），一个文件只能有一个数据集",
                        _line(event),
                    )
                )
            self.anchors.clear()

    # -- helpers --------------------------------------------------------------------------

    def _error(self, code: str, message: str, line: int, path: str | None = None) -> Finding:
        return _finding(code, message, self.origin, line, path)

    def _problem(self, code: str, message: str, line: int, path: str | None) -> None:
        self.findings.append(self._error(code, message, line, path))
        if path is not None:
            self.poisoned.add(path)
        if self.stack:
            self.stack[-1].tainted = True

    def _count(self, n: int, line: int) -> None:
        self.total += n
        if self.total > MAX_NODES:
            raise _Fatal(
                self._error(
                    "LOAD-007",
                    f"数据节点超过 {MAX_NODES} 个（别名「*」展开后计），"
                    "疑似恶意构造的文件（“十亿笑”攻击），拒绝处理",
                    line,
                )
            )

    def _check_depth(self, extra: int, line: int) -> None:
        if len(self.stack) + extra > MAX_DEPTH:
            raise _Fatal(
                self._error(
                    "LOAD-007",
                    f"嵌套层数超过 {MAX_DEPTH} 层，拒绝处理（数据集通常不超过 6 层）",
                    line,
                )
            )

    def _slot(self) -> tuple[str | None, bool]:
        """(path of the node that starts now, whether it is a mapping key)."""
        if not self.stack:
            return "", False
        top = self.stack[-1]
        if top.kind == "seq":
            return (None if top.path is None else _join(top.path, len(top.value))), False
        if not top.has_key:
            return None, True
        if top.path is None or top.drop_value or top.merge_pending:
            return None, False
        return _join(top.path, top.key), False

    def _record_item(self, path: str | None, line: int) -> None:
        """Record a node that starts now, unless it is a mapping value (keyed at its key)."""
        if not self.stack or self.stack[-1].kind == "seq":
            self._record(path, line)

    def _record(self, path: str | None, line: int) -> None:
        if path == "":
            line = 1  # the file itself
        if path is not None:
            self.sources[path] = Location(file=self.origin, line=line, path=path)

    def _register(self, anchor: str | None, entry: Any) -> None:
        if anchor is not None:
            self.anchors[anchor] = entry

    # -- nodes ----------------------------------------------------------------------------

    def _root_check(self, event: ev.NodeEvent) -> None:
        if self.stack or self.root is not None:
            return
        line = _line(event)
        if isinstance(event, ev.MappingStartEvent):
            return
        if isinstance(event, ev.SequenceStartEvent):
            message = "文件顶层应为映射（「键: 值」），实际为列表"
            raise _Fatal(self._error("LOAD-006", message, line))
        if isinstance(event, ev.ScalarEvent):
            if event.value == "" and event.implicit[0]:
                raise _Fatal(_empty(self.origin))
            message = f"文件顶层应为映射（「键: 值」），实际为单个值「{_clip(event.value)}」"
            raise _Fatal(self._error("LOAD-006", message, line))

    def _scalar(self, event: ev.ScalarEvent) -> None:
        self._root_check(event)
        line = _line(event)
        path, as_key = self._slot()
        self._count(1, line)
        if as_key:
            self._key(event, line)
            return
        value, problem = _construct_scalar(event)
        self._record_item(path, line)
        if problem is not None:
            self._problem(problem[0], problem[1], line, path)
        self._register(event.anchor, _Anchored(value, 1, 0, problem is not None))
        self._attach(value, 1, 0, problem is not None)

    def _key(self, event: ev.ScalarEvent, line: int) -> None:
        top = self.stack[-1]
        top.size += 1
        _expect_value(top, line, drop=False)
        tag = event.tag
        if tag in (None, "!"):
            tag = _RESOLVER.resolve(_SCALAR, event.value, event.implicit)
        if tag == _MERGE_TAG:
            top.merge_pending = True
            return
        key = event.value
        top.key = key
        self._register(event.anchor, _Anchored(key, 1, 0, False))
        if key in top.key_lines:
            where = _join(top.path, key) if top.path is not None else None
            self.findings.append(
                self._error(
                    "LOAD-008",
                    f"键「{key}」重复：同一层中已在第 {top.key_lines[key]} 行出现过，"
                    "每个键只能出现一次（请删除或合并其中一处）",
                    line,
                    where,
                )
            )
            top.drop_value = True
            return
        top.key_lines[key] = line
        if top.path is not None:
            self._record(_join(top.path, key), line)

    def _start(self, event: ev.MappingStartEvent | ev.SequenceStartEvent) -> None:
        self._root_check(event)
        line = _line(event)
        path, as_key = self._slot()
        self._count(1, line)
        self._check_depth(1, line)
        is_map = isinstance(event, ev.MappingStartEvent)
        if not as_key:
            self._record_item(path, line)
        frame = _Frame(
            kind="map" if is_map else "seq",
            path=path,
            value={} if is_map else [],
            line=line,
            anchor=event.anchor,
            as_key=as_key,
        )
        if event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
            self._problem(
                "LOAD-010", f"不支持的 YAML 标签「{_short_tag(event.tag)}」，请去掉标签", line, path
            )
            frame.tainted = True
        self._register(event.anchor, _PENDING)
        self.stack.append(frame)

    def _end(self) -> None:
        frame = self.stack.pop()
        if frame.kind == "map" and frame.merges:
            self._merge(frame)
        entry = _Anchored(frame.value, frame.size, frame.height, frame.tainted)
        self._register(frame.anchor, entry)
        if frame.as_key:
            top = self.stack[-1]
            top.size += frame.size
            _expect_value(top, frame.line, drop=True)
            self._problem(
                "LOAD-010",
                "不支持以列表或映射作为键，键应为简单的文本",
                frame.line,
                None,
            )
            return
        self._attach(frame.value, frame.size, frame.height, frame.tainted)

    def _merge(self, frame: _Frame) -> None:
        result: dict[str, Any] = frame.value
        for line, merged in frame.merges:
            items = merged if isinstance(merged, list) else [merged]
            for item in items:
                if not isinstance(item, dict):
                    message = "合并键「<<」的值必须是映射（或映射的列表）"
                    self._problem("LOAD-010", message, line, None)
                    continue
                for key, value in item.items():
                    if key not in result:
                        result[key] = value
                        if frame.path is not None:
                            self._record(_join(frame.path, key), line)

    def _alias(self, event: ev.AliasEvent) -> None:
        line = _line(event)
        path, as_key = self._slot()
        entry = self.anchors.get(event.anchor)
        if entry is None:
            name = event.anchor
            message = f"YAML 语法错误（第 {line} 行）：别名「*{name}」没有对应的锚点「&{name}」"
            raise _Fatal(self._error("LOAD-005", message, line))
        if entry is _PENDING:
            message = f"别名「*{event.anchor}」引用了包含它自身的锚点（循环引用），拒绝处理"
            raise _Fatal(self._error("LOAD-007", message, line))
        assert isinstance(entry, _Anchored)
        self._count(entry.size, line)
        self._check_depth(entry.height, line)
        if as_key:
            top = self.stack[-1]
            top.size += entry.size
            _expect_value(top, line, drop=True)
            self._problem("LOAD-010", "不支持用别名「*」作为键，键应为简单的文本", line, None)
            return
        self._record_item(path, line)
        if entry.tainted and path is not None:
            self.poisoned.add(path)
        self._attach(entry.value, entry.size, entry.height, entry.tainted)

    def _attach(self, value: Any, size: int, height: int, tainted: bool) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        top.size += size
        top.height = max(top.height, height + 1)
        top.tainted = top.tainted or tainted
        if top.kind == "seq":
            top.value.append(value)
            return
        if top.merge_pending:
            top.merges.append((top.key_line, value))
        elif not top.drop_value:
            top.value[top.key] = value
        top.has_key, top.drop_value, top.merge_pending = False, False, False


def _line(event: ev.Event) -> int:
    mark = event.start_mark
    return mark.line + 1 if mark is not None else 1


def _short_tag(tag: str | None) -> str:
    tag = tag or ""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


def _clip(text: str, limit: int = 40) -> str:
    text = text.replace("\n", "⏎")
    return text if len(text) <= limit else text[: limit - 1] + "…"


_FLOAT_TAG = "tag:yaml.org,2002:float"
_INT_TAG = "tag:yaml.org,2002:int"
_MAX_EXPONENT = 30  # |log10| beyond this is no amount; keeps later Decimal arithmetic finite
_SPECIAL_FLOATS = {".inf", "+.inf", "-.inf", ".nan", "+.nan", "-.nan"}


def _construct_scalar(event: ev.ScalarEvent) -> tuple[Any, tuple[str, str] | None]:
    """Plain value of a scalar; (value, (code, message)) when it cannot be accepted."""
    text = event.value
    tag = event.tag
    if tag in (None, "!"):
        tag = _RESOLVER.resolve(_SCALAR, text, event.implicit)
    if tag == _STR_TAG or tag == "tag:yaml.org,2002:timestamp" or tag == _MERGE_TAG:
        return text, None
    if tag == "tag:yaml.org,2002:null":
        return None, None
    if tag == "tag:yaml.org,2002:bool":
        value = _CONSTRUCTOR.bool_values.get(text.lower())
        if value is None:
            return text, ("LOAD-010", f"「{_clip(text)}」不是有效的是/否（true/false）值")
        return value, None
    if tag == _INT_TAG:
        node = yaml.ScalarNode(tag, text)
        try:
            return _CONSTRUCTOR.construct_yaml_int(node), None
        except (ValueError, IndexError):
            return text, ("LOAD-010", f"「{_clip(text)}」不是有效的整数")
    if tag == _FLOAT_TAG:
        return _decimal(text)
    return text, ("LOAD-010", f"不支持的 YAML 标签「{_short_tag(tag)}」，请去掉标签")


def _decimal(text: str) -> tuple[Any, tuple[str, str] | None]:
    cleaned = text.replace("_", "").strip()
    if cleaned.lower() in _SPECIAL_FLOATS:
        return text, ("LOAD-009", f"不允许使用无穷大或非数「{text}」，请填写具体数字")
    try:
        if ":" in cleaned:  # YAML 1.1 sexagesimal, e.g. 1:30.5
            sign = -1 if cleaned.startswith("-") else 1
            parts = cleaned.lstrip("+-").split(":")
            value = Decimal(0)
            for part in parts:
                value = value * 60 + Decimal(part)
            value = sign * value
        else:
            value = Decimal(cleaned)
    except ArithmeticError:  # InvalidOperation, Overflow
        return text, ("LOAD-010", f"「{_clip(text)}」不是有效的数字")
    if not value.is_finite():
        return text, ("LOAD-009", f"不允许使用无穷大或非数「{text}」，请填写具体数字")
    if value and abs(value.adjusted()) > _MAX_EXPONENT:
        return text, ("LOAD-009", f"数值「{_clip(text)}」的数量级超出合理范围，请检查")
    return value, None


# ---------------------------------------------------------------------------------------
# pydantic errors -> findings

_NUMBER_TYPES = {
    "decimal_parsing",
    "decimal_type",
    "float_parsing",
    "float_type",
    "int_parsing",
    "int_type",
    "int_from_float",
    "int_parsing_size",
    "finite_number",
    "decimal_max_digits",
    "decimal_max_places",
    "decimal_whole_digits",
}
_RANGE_TYPES = {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}
_CONTAINER_TYPES = {
    "list_type": "列表（每项以「- 」开头）",
    "tuple_type": "列表（每项以「- 」开头）",
    "set_type": "列表（每项以「- 」开头）",
    "dict_type": "映射（「键: 值」）",
    "model_type": "映射（「键: 值」）",
    "model_attributes_type": "映射（「键: 值」）",
    "dataclass_type": "映射（「键: 值」）",
    "string_type": "文本",
    "bool_type": "是/否（true/false）",
    "bool_parsing": "是/否（true/false）",
}

# Names for fields the model leaves without a description.
_FALLBACK_NAMES = {
    "department": "部门基本情况",
    "structure": "机构设置",
    "staffing": "人员编制",
    "income": "本年收入",
    "balances": "结转结余",
    "sangong": '"三公"经费',
    "procurement": "政府采购",
    "assets": "国有资产占用",
    "performance": "预算绩效管理",
    "prior_year": "上年数",
    "reasons": "变动原因",
    "count": "数量",
}

_CODE_KINDS = {
    "functional": "功能分类项级",
    "basic_by_economic": "经济分类款级",
    "project_by_economic": "经济分类款级",
}


def _translate(
    exc: ValidationError, sources: dict[str, Location], poisoned: set[str], origin: str
) -> list[Finding]:
    out: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for err in exc.errors(include_url=False):
        loc = tuple(item for item in err.get("loc", ()) if item != "[key]")
        path = ".".join(str(item) for item in loc)
        if any(path == p or path.startswith(p + ".") for p in poisoned):
            continue
        code, message = _explain(err, loc, path)
        if (path, message) in seen:
            continue
        seen.add((path, message))
        out.append(Finding(code, Severity.ERROR, message, _nearest(path, sources, origin)))
    return out


def _nearest(path: str, sources: dict[str, Location], origin: str) -> Location:
    probe = path
    while probe:
        if probe in sources:
            found = sources[probe]
            return Location(file=origin, line=found.line, path=path)
        probe = probe.rpartition(".")[0]
    return Location(file=origin, line=1, path=path)


def _explain(err: Any, loc: tuple[Any, ...], path: str) -> tuple[str, str]:
    kind: str = err.get("type", "")
    ctx: dict[str, Any] = err.get("ctx") or {}
    value = err.get("input")
    info = _field_at(loc)
    label = _label(loc, path, info)
    name = str(loc[-1]) if loc else ""
    parent = ".".join(str(item) for item in loc[:-1])

    if kind == "missing":
        where = f"「{parent}」下" if parent else "文件顶层"
        desc = _describe(info)
        extra = f"（{desc}）" if desc else ""
        return "LOAD-101", f"缺少必填项「{name}」{extra}，应写在{where}"

    if kind == "extra_forbidden":
        allowed = _allowed_fields(loc[:-1])
        where = f"「{parent}」下" if parent else "文件顶层"
        message = f"未知字段「{name}」({path})，可能拼写错误"
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        if close:
            message += f"（是否应为「{close[0]}」）"
        if allowed:
            message += f"；{where}允许的字段：{'、'.join(allowed)}"
        return "LOAD-102", message

    if kind in _NUMBER_TYPES:
        integer = kind.startswith("int") or _base_type(info) is int
        want = "整数" if integer else "数字"
        message = f"{label} 应为{want}，实际为{_show(value)}"
        if kind == "finite_number":
            message = f"{label} 应为有限的数字，实际为{_show(value)}"
        elif kind == "int_from_float":
            message = f"{label} 应为整数，不能有小数，实际为{_show(value)}"
        message += _number_hint(value)
        return "LOAD-103", message

    if kind in _RANGE_TYPES:
        bound = next((ctx[k] for k in ("ge", "gt", "le", "lt") if k in ctx), None)
        if kind == "greater_than_equal" and bound is not None and Decimal(str(bound)) == 0:
            what = "数量" if _base_type(info) is int else "金额"
            if name in ("score", "department_score"):
                what = "得分"
            return "LOAD-104", f"{label}：{what}不能为负数，实际为{_show(value)}"
        relation = {
            "greater_than_equal": "应不小于",
            "greater_than": "应大于",
            "less_than_equal": "应不大于",
            "less_than": "应小于",
        }[kind]
        return "LOAD-104", f"{label} {relation} {bound}，实际为{_show(value)}"

    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        digits = re.search(r"\\d\{(\d+)\}", pattern)
        if name == "code" and loc:
            kind_name = _CODE_KINDS.get(str(loc[0]), "科目编码")
            need = f"应为{digits.group(1)}位数字" if digits else f"应符合格式 {pattern}"
            return "LOAD-105", f"科目编码{_show(value)}格式不正确，{kind_name}{need}({path})"
        return "LOAD-105", f"{label} 格式不正确，实际为{_show(value)}，应符合 {pattern}"

    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return "LOAD-106", f"{label} 不能为空"
        return "LOAD-106", f"{label} 至少应有 {ctx.get('min_length')} 个字符，实际为{_show(value)}"

    if kind == "literal_error":
        options = _literal_options(info) or [str(ctx.get("expected", ""))]
        choices = "或".join(f"「{o}」" for o in options)
        if name == "unit" and len(loc) == 1:
            return "LOAD-107", f"单位应为{choices}，实际为{_show(value)}(unit)"
        return "LOAD-107", f"{label} 应为{choices}，实际为{_show(value)}"

    if kind in _CONTAINER_TYPES:
        message = f"{label} 应为{_CONTAINER_TYPES[kind]}，实际为{_show(value)}"
        if kind == "string_type" and name == "code" and isinstance(value, int):
            message += f'；科目编码请加引号写成文本，如 code: "{value}"'
        elif kind == "string_type" and isinstance(value, int | Decimal):
            message += "；如需按原样保留数字，请加引号"
        return "LOAD-108", message

    msg = err.get("msg", "")
    return "LOAD-199", f"{label} 数据不符合要求：{msg}（{kind}）"


def _number_hint(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    text = value.strip()
    if not text:
        return "；不填请整行删除或写 null"
    if "," in text or "，" in text:
        return "；请去掉千位分隔符（逗号），如 2,940.05 写成 2940.05"
    if re.search(r"万?元|%", text):
        return "；请只写数字，不要带单位（单位由文件顶层的 unit 统一规定）"
    if re.search(r"[０-９．]", text):
        return "；请使用半角数字"
    if " " in text:
        return "；数字中不能有空格"
    return ""


def _show(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "「true」" if value else "「false」"
    if isinstance(value, dict):
        return "映射"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, str):
        return f"空文本「{value}」" if not value.strip() else f"「{_clip(value)}」"
    return f"「{_clip(str(value))}」"


def _label(loc: tuple[Any, ...], path: str, info: FieldInfo | None) -> str:
    desc = _describe(info)
    if loc and isinstance(loc[-1], int):
        list_desc = _describe(_field_at(loc[:-1]))
        base = f"「{list_desc}」" if list_desc else "列表"
        return f"{base}第 {loc[-1] + 1} 项({path})"
    if desc:
        return f"「{desc}」({path})"
    return f"「{path}」" if path else "文件顶层"


def _describe(info: FieldInfo | None) -> str | None:
    if info is None:
        return None
    if info.description:
        return info.description.split("；")[0]
    return None


# -- walking the model along a pydantic loc -------------------------------------------------


def _unwrap(tp: Any) -> Any:
    """Strip Annotated / Optional so that what remains is a model, list, dict or scalar type."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _walk(loc: tuple[Any, ...]) -> tuple[Any, FieldInfo | None]:
    """(type at ``loc``, FieldInfo of the field it belongs to); list indices keep the field."""
    tp: Any = Dataset
    info: FieldInfo | None = None
    for item in loc:
        tp = _unwrap(tp)
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if isinstance(item, int) and origin in (list, tuple, set):
            tp = args[0] if args else Any
        elif origin is dict:
            tp, info = (args[1] if len(args) == 2 else Any), None
        elif isinstance(tp, type) and issubclass(tp, BaseModel) and isinstance(item, str):
            found = tp.model_fields.get(item)
            if found is None:
                return None, None
            info = found
            if not found.description and item in _FALLBACK_NAMES:
                info = FieldInfo(annotation=found.annotation, description=_FALLBACK_NAMES[item])
            tp = found.annotation
        else:
            return None, None
    return _unwrap(tp), info


def _field_at(loc: tuple[Any, ...]) -> FieldInfo | None:
    return _walk(loc)[1]


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    tp = _walk(loc)[0]
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _allowed_fields(loc: tuple[Any, ...]) -> list[str]:
    model = _model_at(loc)
    return list(model.model_fields) if model is not None else []


def _base_type(info: FieldInfo | None) -> Any:
    return _unwrap(info.annotation) if info is not None else None


def _literal_options(info: FieldInfo | None) -> list[str]:
    tp = _base_type(info)
    if typing.get_origin(tp) is typing.Literal:
        return [str(a) for a in typing.get_args(tp)]
    return []
