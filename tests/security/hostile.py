"""Generators of hostile inputs (issue 12's corpus). Everything is built at test time; no
large files are committed. Each generator returns bytes or text that the tests write into
a temporary folder.

Also :func:`run_bounded`: run ``juesuan …`` (or any Python snippet) in a child process under
an address-space limit and a timeout, so that a regression ends the test instead of the
machine.
"""

from __future__ import annotations

import io
import os
import re
import resource
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

MEMORY_LIMIT = 3 * 1024**3  # bytes of address space for a hostile case (normal runs need < 1 GB)
TIMEOUT = 240  # seconds: ends a hang; not a speed assertion


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def _limits(memory: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return apply


def run_bounded(
    args: list[str],
    cwd: Path,
    memory: int = MEMORY_LIMIT,
    timeout: float = TIMEOUT,
    python: str | None = None,
) -> Outcome:
    """``juesuan args…`` (or ``python -c python``) in ``cwd`` under RLIMIT_AS and a timeout.
    A timeout raises ``subprocess.TimeoutExpired`` (the test fails, the child is killed)."""
    cmd = [sys.executable, "-c", python] if python else [sys.executable, "-m", "juesuan", *args]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
    proc = subprocess.run(
        cmd,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limits(memory),
        env=env,
    )
    return Outcome(proc.returncode, proc.stdout, proc.stderr)


# --------------------------------------------------------------------------- datasets


def sample_yaml() -> str:
    from juesuan.pipeline import sample_path

    return sample_path("seed").read_text(encoding="utf-8")


def with_field(text: str, old: str, new: str) -> str:
    """``text`` with the first line equal to ``old`` (stripped) replaced by ``new``, keeping
    the indentation."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip() == old:
            lines[i] = line[: len(line) - len(line.lstrip())] + new
            return "\n".join(lines)
    raise AssertionError(f"no line {old!r}")


# --------------------------------------------------------------------------- workbooks


def _base_workbook() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "部门信息"
    for i in range(1, 5):
        ws.cell(i, 1, "x")
        ws.cell(i, 2, i)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rewrite(data: bytes, sheet_xml, move_to: str | None = None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            part = src.read(name)
            if name == "xl/worksheets/sheet1.xml":
                part = sheet_xml(part)
                name = move_to or name
            elif move_to and name == "xl/_rels/workbook.xml.rels":
                part = part.replace(b"worksheets/sheet1.xml", move_to[3:].encode())
            elif move_to and name == "[Content_Types].xml":
                part = part.replace(b"/xl/worksheets/sheet1.xml", b"/" + move_to.encode())
            z.writestr(name, part)
    return out.getvalue()


_FAR = b"XFD1048576"


def _far_cell(attr: bytes) -> bytes:
    return b'<row r="4">' + attr + b"<v>1</v></c>"


WORKBOOK_ATTACKS = {
    # a far cell whose position is written in ways a naive scanner misses
    "single-quotes": lambda d: d.replace(b'<row r="4">', _far_cell(b"<c r='" + _FAR + b"'>")),
    "lower-case": lambda d: d.replace(b'<row r="4">', _far_cell(b'<c r="xfd1048576">')),
    "spaced-attr": lambda d: d.replace(b'<row r="4">', _far_cell(b'<c r = "' + _FAR + b'">')),
    "prefixed": lambda d: d.replace(
        b'<row r="4">',
        b'<row r="4"><x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        b' r="' + _FAR + b'"><x:v>1</x:v></x:c>',
    ),
    # no r= at all: every cell takes the next column
    "implied-columns": lambda d: re.sub(rb' r="[A-Z]*\d+"', b"", d).replace(
        b"</sheetData>", b"<row>" + b"<c><v>1</v></c>" * 20_000 + b"</row></sheetData>"
    ),
    "far-row": lambda d: d.replace(b'<row r="4"', b'<row r="1048576"'),
}


def hostile_workbook(kind: str) -> bytes:
    """A small .xlsx whose one sheet claims a huge size; ``stored-elsewhere`` keeps the
    sheet part outside ``xl/worksheets/``."""
    data = _base_workbook()
    if kind == "stored-elsewhere":
        return _rewrite(
            data,
            lambda d: d.replace(b'<row r="4">', _far_cell(b'<c r="' + _FAR + b'">')),
            move_to="xl/other/s.xml",
        )
    return _rewrite(data, WORKBOOK_ATTACKS[kind])


# --------------------------------------------------------------------------- documents


def huge_page_pdf(glyphs: int = 400_000) -> bytes:
    """One page whose (compressed) content stream shows ``glyphs`` characters."""
    import zlib

    row = b"(12,345.67) Tj 40 0 Td " * 14 + b"-560 -1 Td\n"  # many short words, many lines
    rows = glyphs // (14 * 9)
    content = zlib.compress(b"BT /F1 8 Tf 10 790 Td\n" + row * rows + b"ET\n", 9)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Resources"
        b" << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
        + content
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return _pdf(objs)


def _pdf(objs: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1,
        xref,
    )
    return bytes(out)


def number_lines_text(lines: int = 200, numbers: int = 600) -> str:
    return "\n".join(",".join(str(i) for i in range(numbers)) for _ in range(lines))


def bloated_docx(paragraph_bytes: int = 40_000_000) -> bytes:
    """A .docx whose document.xml inflates to ``paragraph_bytes`` of text (highly compressible)."""
    body = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>"
        + b"<w:p><w:r><w:t>1,2,3,4,5,6,7,8,9,0</w:t></w:r></w:p>" * (paragraph_bytes // 52)
        + b"</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        z.writestr("word/document.xml", body)
    return out.getvalue()
