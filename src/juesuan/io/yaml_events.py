"""Compose the YAML event stream into plain Python values, keeping the line of every value.

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

from typing import Any

import yaml
from yaml import events as ev

from juesuan.core.findings import Finding, Location, located
from juesuan.io.load_findings import clip, empty_file, finding
from juesuan.io.yaml_nodes import (
    MERGE_TAG,
    Anchored,
    Frame,
    construct_scalar,
    scalar_tag,
    short_tag,
)

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PENDING = object()
# (value, problem) of plain scalars by their text: immutable values, shared between files
_PLAIN: dict[str, tuple[Any, tuple[str, str] | None]] = {}
_PLAIN_MAX = 16_384
_MAP_TAGS = {None, "!", "tag:yaml.org,2002:map"}
_SEQ_TAGS = {None, "!", "tag:yaml.org,2002:seq"}


class Fatal(Exception):
    """A problem that stops composing; ``finding`` is the only one reported."""

    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


class Composer:
    """Turns the events of one YAML document into plain Python, collecting findings.

    After :meth:`run`: ``root`` is the value, ``sources`` the location of every path,
    ``findings`` the problems that did not stop composing, and ``poisoned`` the paths
    whose value is already reported (model validation errors there are not repeated).
    """

    def __init__(self, origin: str, *, max_nodes: int, max_depth: int):
        self.max_nodes = max_nodes
        self.max_depth = max_depth
        self.origin = origin
        self.sources: dict[str, Location] = {}
        self.findings: list[Finding] = []
        self.poisoned: set[str] = set()
        self.anchors: dict[str, Any] = {}
        self.stack: list[Frame] = []
        self.root: Any = None
        self.total = 0
        self.documents = 0

    # -- driver ---------------------------------------------------------------------------

    def run(self, text: str) -> None:
        loader = _Loader(text)
        # the loop runs once per event (~1,200 per department): the handler of each exact
        # event class is looked up in a dict; other classes go through _event
        get_event, other, stream_end = loader.get_event, self._event, ev.StreamEndEvent
        handlers = {
            ev.ScalarEvent: self._scalar,
            ev.MappingStartEvent: self._start,
            ev.SequenceStartEvent: self._start,
            ev.MappingEndEvent: self._end,
            ev.SequenceEndEvent: self._end,
            ev.AliasEvent: self._alias,
        }.get
        try:
            while True:
                event = get_event()
                handler = handlers(type(event))
                if handler is not None:
                    handler(event)
                elif isinstance(event, stream_end):
                    break
                else:
                    other(event)
        finally:
            loader.dispose()
        if self.documents == 0:
            raise Fatal(empty_file(self.origin))

    def _event(self, event: ev.Event) -> None:
        if type(event) is ev.ScalarEvent:  # most events: skip the isinstance chain
            self._scalar(event)
        elif isinstance(event, ev.ScalarEvent):
            self._scalar(event)
        elif isinstance(event, ev.MappingStartEvent | ev.SequenceStartEvent):
            self._start(event)
        elif isinstance(event, ev.MappingEndEvent | ev.SequenceEndEvent):
            self._end(event)
        elif isinstance(event, ev.AliasEvent):
            self._alias(event)
        elif isinstance(event, ev.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise Fatal(
                    self._error(
                        "LOAD-010",
                        "文件包含多个 YAML 文档（以「---」分隔），一个文件只能有一个数据集",
                        _line(event),
                    )
                )
            self.anchors.clear()

    # -- helpers --------------------------------------------------------------------------

    def _error(self, code: str, message: str, line: int, path: str | None = None) -> Finding:
        return finding(code, message, self.origin, line, path)

    def _problem(self, code: str, message: str, line: int, path: str | None) -> None:
        self.findings.append(self._error(code, message, line, path))
        if path is not None:
            self.poisoned.add(path)
        if self.stack:
            self.stack[-1].tainted = True

    def _count(self, n: int, line: int) -> None:
        self.total += n
        if self.total > self.max_nodes:
            raise Fatal(
                self._error(
                    "LOAD-007",
                    f"数据节点超过 {self.max_nodes} 个（别名「*」展开后计），"
                    "疑似恶意构造的文件（“十亿笑”攻击），拒绝处理",
                    line,
                )
            )

    def _check_depth(self, extra: int, line: int) -> None:
        if len(self.stack) + extra > self.max_depth:
            raise Fatal(
                self._error(
                    "LOAD-007",
                    f"嵌套层数超过 {self.max_depth} 层，拒绝处理（数据集通常不超过 6 层）",
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
            self.sources[path] = located(self.origin, line, path)

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
            raise Fatal(self._error("LOAD-006", message, line))
        if isinstance(event, ev.ScalarEvent):
            if event.value == "" and event.implicit[0]:
                raise Fatal(empty_file(self.origin))
            message = f"文件顶层应为映射（「键: 值」），实际为单个值「{clip(event.value)}」"
            raise Fatal(self._error("LOAD-006", message, line))

    def _scalar(self, event: ev.ScalarEvent) -> None:
        """Most events are scalars inside a mapping or sequence: this is :meth:`_slot`,
        :meth:`_count`, :meth:`_record_item` and :meth:`_attach` inlined for that case."""
        stack = self.stack
        if not stack:
            self._root_scalar(event)
            return
        mark = event.start_mark
        line = mark.line + 1 if mark is not None else 1
        self.total += 1
        if self.total > self.max_nodes:
            self._count(0, line)  # raises
        top = stack[-1]
        in_seq = top.kind == "seq"
        if in_seq:
            base = top.path
            if base is None:
                path = None
            else:
                path = f"{base}.{len(top.value)}" if base else str(len(top.value))
                # never "": the file itself is recorded at line 1 by _record
                self.sources[path] = located(self.origin, line, path)
        elif not top.has_key:
            self._key(event, line)
            return
        else:
            path = None  # a mapping value is recorded at its key: its path only names a problem
        if event.implicit[0] and (event.tag is None or event.tag == "!"):
            # a plain scalar: its value depends on its text only (few distinct texts repeat)
            text = event.value
            constructed = _PLAIN.get(text)
            if constructed is None:
                constructed = construct_scalar(event)
                if len(_PLAIN) >= _PLAIN_MAX:
                    _PLAIN.clear()
                _PLAIN[text] = constructed
            value, problem = constructed
        else:
            value, problem = construct_scalar(event)
        if problem is not None:
            if not in_seq and not (top.path is None or top.drop_value or top.merge_pending):
                path = _join(top.path, top.key)
            self._problem(problem[0], problem[1], line, path)
        if event.anchor is not None:
            self._register(event.anchor, Anchored(value, 1, 0, problem is not None))
        # _attach(value, 1, 0, tainted): a scalar's height 0 never raises the frame's
        top.size += 1
        if problem is not None:
            top.tainted = True
        if in_seq:
            top.value.append(value)
            return
        if top.merge_pending:
            top.merges.append((top.key_line, value))
        elif not top.drop_value:
            top.value[top.key] = value
        top.has_key, top.drop_value, top.merge_pending = False, False, False

    def _root_scalar(self, event: ev.ScalarEvent) -> None:
        """A scalar with no enclosing collection: the document is a single value."""
        self._root_check(event)
        line = _line(event)
        self._count(1, line)
        value, problem = construct_scalar(event)
        self._record("", line)
        if problem is not None:
            self._problem(problem[0], problem[1], line, "")
        if event.anchor is not None:
            self._register(event.anchor, Anchored(value, 1, 0, problem is not None))
        self._attach(value, 1, 0, problem is not None)

    def _key(self, event: ev.ScalarEvent, line: int) -> None:
        top = self.stack[-1]
        top.size += 1
        top.has_key, top.key_line, top.drop_value, top.merge_pending = True, line, False, False
        # only «<<» (or an explicit tag) can be a merge key; most keys skip the resolver
        if (event.value == "<<" or event.tag not in (None, "!")) and scalar_tag(event) == MERGE_TAG:
            top.merge_pending = True
            return
        key = event.value
        top.key = key
        if event.anchor is not None:
            self._register(event.anchor, Anchored(key, 1, 0, False))
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
        base = top.path
        if base is not None:
            path = f"{base}.{key}" if base else key  # _join and _record, inlined
            self.sources[path] = located(self.origin, 1 if path == "" else line, path)

    def _start(self, event: ev.MappingStartEvent | ev.SequenceStartEvent) -> None:
        stack = self.stack
        if not stack:
            self._root_check(event)
        mark = event.start_mark
        line = mark.line + 1 if mark is not None else 1
        path, as_key = self._slot()
        self.total += 1
        if self.total > self.max_nodes:
            self._count(0, line)  # raises
        if len(stack) + 1 > self.max_depth:
            self._check_depth(1, line)  # raises
        is_map = isinstance(event, ev.MappingStartEvent)
        if not as_key and (not stack or stack[-1].kind == "seq"):  # _record_item
            self._record(path, line)
        frame = Frame("map" if is_map else "seq", path, {} if is_map else [], line, event.anchor)
        frame.as_key = as_key
        if event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
            self._problem(
                "LOAD-010", f"不支持的 YAML 标签「{short_tag(event.tag)}」，请去掉标签", line, path
            )
            frame.tainted = True
        if event.anchor is not None:
            self.anchors[event.anchor] = _PENDING
        stack.append(frame)

    def _end(self, event: ev.CollectionEndEvent | None = None) -> None:
        frame = self.stack.pop()
        if frame.kind == "map" and frame.merges:
            self._merge(frame)
        if frame.anchor is not None:
            entry = Anchored(frame.value, frame.size, frame.height, frame.tainted)
            self.anchors[frame.anchor] = entry
        if frame.as_key:
            top = self.stack[-1]
            top.size += frame.size
            top.expect_value(frame.line, drop=True)
            self._problem(
                "LOAD-010",
                "不支持以列表或映射作为键，键应为简单的文本",
                frame.line,
                None,
            )
            return
        self._attach(frame.value, frame.size, frame.height, frame.tainted)

    def _merge(self, frame: Frame) -> None:
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
            raise Fatal(self._error("LOAD-005", message, line))
        if entry is _PENDING:
            message = f"别名「*{event.anchor}」引用了包含它自身的锚点（循环引用），拒绝处理"
            raise Fatal(self._error("LOAD-007", message, line))
        assert isinstance(entry, Anchored)
        self._count(entry.size, line)
        self._check_depth(entry.height, line)
        if as_key:
            top = self.stack[-1]
            top.size += entry.size
            top.expect_value(line, drop=True)
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
