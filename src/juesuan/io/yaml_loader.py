"""Load a :class:`~juesuan.model.dataset.Dataset` from YAML, keeping the line of every value.

Bad input never raises: every problem becomes a :class:`~juesuan.core.findings.Finding` with a
stable ``LOAD-xxx`` code (listed in :mod:`juesuan.core.codes`), a Chinese message and a location.

This module checks the file as a whole (size, encoding, characters) and drives the steps:
:mod:`~juesuan.io.yaml_events` composes the YAML into plain Python values with their lines,
:mod:`~juesuan.io.syntax_messages` explains YAML syntax errors, and
:mod:`~juesuan.io.validation_messages` explains what the dataset model rejects.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import ValidationError

from juesuan.core.findings import Finding
from juesuan.io.load_findings import empty_file, finding, not_text
from juesuan.io.syntax_messages import yaml_error
from juesuan.io.validation_messages import translate
from juesuan.io.yaml_events import Composer, Fatal
from juesuan.model.dataset import Dataset

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "load_yaml",
    "parse_yaml_bytes",
    "parse_yaml_text",
]

MAX_BYTES = 20 * 1024 * 1024
"""Largest file accepted (bytes; for text: UTF-8 encoded size)."""
MAX_NODES = 1_000_000
"""Most YAML nodes (keys and values, aliases counted expanded) in one file."""
MAX_DEPTH = 100
"""Deepest nesting of mappings/sequences (a dataset needs about six)."""


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
        return None, [not_text(origin, 1, "文件是 UTF-16 编码，请另存为 UTF-8 编码")]
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        return None, [not_text(origin, line, f"第 {line} 行含有空字节（NUL），可能是二进制文件")]
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
        return None, [not_text(origin, line, f"第 {line} 行不是有效的 UTF-8 文本{hint}")]
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
        return None, [not_text(origin, line, f"第 {line} 行含有{what}")]
    size = len(text.encode("utf-8"))  # no surrogates left after the check above
    if size > MAX_BYTES:
        return None, [_too_large(origin, size)]
    if not text.strip():
        return None, [empty_file(origin)]

    composer = Composer(origin, max_nodes=MAX_NODES, max_depth=MAX_DEPTH)
    try:
        composer.run(text)
    except Fatal as fatal:
        return None, [fatal.finding]
    except yaml.YAMLError as exc:
        return None, [yaml_error(exc, text, origin, max_depth=MAX_DEPTH)]

    findings = composer.findings
    data = composer.root
    if not isinstance(data, dict):  # pragma: no cover - the composer rejects this earlier
        return None, [*findings, empty_file(origin)]

    dataset: Dataset | None = None
    try:
        dataset = Dataset.model_validate(data)
    except ValidationError as exc:
        findings.extend(translate(exc, composer.sources, composer.poisoned, origin))
    if dataset is None and not findings:  # pragma: no cover - defensive
        findings.append(finding("LOAD-199", "数据校验未通过", origin, 1))
    if findings or dataset is None:
        return None, sorted(findings, key=lambda f: f.location.line or 0)
    return dataset.with_sources(origin, composer.sources), []


# ---------------------------------------------------------------------------------------
# whole-file problems


def _file_error(origin: str, message: str) -> Finding:
    return finding("LOAD-001", message, origin, None)


def _too_large(origin: str, size: int) -> Finding:
    return finding(
        "LOAD-002",
        f"文件过大（{size / 1024 / 1024:.1f} MB），"
        f"超过 {MAX_BYTES // 1024 // 1024} MB 的上限，拒绝读取",
        origin,
        1,
    )


_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
