"""Uploaded bytes: type sniffed from content, bounded sizes, zip/XML/YAML bombs refused.

Everything here runs before any library loader sees the bytes. The guards raise
:class:`Refused` carrying the status and Chinese message; callers keep the upload as a
rejected version where the workflow asks for it.
"""

from __future__ import annotations

import io
import re
import zipfile

from juesuan.serve.config import Limits
from juesuan.serve.errors import Invalid, ServiceError, Unsupported

XLSX = "xlsx"
DOCX = "docx"
YAML = "yaml"
PDF = "pdf"
HTML = "html"
TEXT = "text"

DECLARED = {
    "application/x-yaml": YAML,
    "application/yaml": YAML,
    "text/yaml": YAML,
    "text/x-yaml": YAML,
    "text/plain": TEXT,
    "text/markdown": TEXT,
    "text/html": HTML,
    "application/pdf": PDF,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": XLSX,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": DOCX,
}
SUFFIX = {XLSX: ".xlsx", DOCX: ".docx", YAML: ".yaml", PDF: ".pdf", HTML: ".html", TEXT: ".txt"}
_ENTITY = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_HTML = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<meta|<div|<p[ >]|<table)", re.I)


class Refused(ServiceError):
    """An upload the service will not load (status from the subclass given)."""

    def __init__(self, kind: type[ServiceError], code: str, message: str) -> None:
        super().__init__(message, code=code)
        self.status = kind.status


def sniff(data: bytes) -> str | None:
    """The type of ``data`` from its first bytes (and a zip's member names)."""
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "xl/workbook.xml" in names:
            return XLSX
        if "word/document.xml" in names:
            return DOCX
        return None
    if data.startswith(b"%PDF-"):
        return PDF
    if b"\x00" in data[:8192]:
        return None
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a cut multi-byte character at the end is fine
            return None
    return HTML if _HTML.match(head) else TEXT


def declared_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    return DECLARED.get(content_type.split(";")[0].strip().lower())


def guard_zip(data: bytes, limits: Limits) -> None:
    """Refuse zip bombs (too many members, too large, too compressed) and XML entities."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise Refused(Invalid, "bad_zip", "文件已损坏，无法作为工作簿或文档读取") from None
    if len(infos) > limits.zip_entries:
        raise Refused(Invalid, "zip_bomb", f"文件包含的部件过多（{len(infos)}个），拒绝读取")
    total = sum(i.file_size for i in infos)
    if total > limits.zip_total_bytes:
        raise Refused(Invalid, "zip_bomb", "文件解压后过大，疑似压缩炸弹，拒绝读取")
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > limits.zip_ratio * max(
            info.compress_size, 1
        ):
            raise Refused(Invalid, "zip_bomb", "文件压缩比异常，疑似压缩炸弹，拒绝读取")
    for info in infos:
        if info.filename.endswith((".xml", ".rels", ".vml")):
            with zf.open(info) as fh:
                if _ENTITY.search(fh.read(min(info.file_size, 64 * 1024) or 64 * 1024)):
                    raise Refused(
                        Invalid, "xml_entity", "文件中的 XML 含有 DOCTYPE/实体声明，拒绝读取"
                    )


def guard_yaml(data: bytes, limits: Limits) -> None:
    """Refuse non-UTF-8 text, oversized YAML and alias bombs ("billion laughs")."""
    import yaml

    if len(data) > limits.yaml_bytes:
        raise Refused(Invalid, "too_large", "YAML 文件过大")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused(Invalid, "encoding", "YAML 文件不是 UTF-8 编码") from None
    if data.count(b"*") <= limits.yaml_aliases:
        return  # every alias starts with "*": too few of them to count, no need to scan
    aliases = 0
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed
        for token in yaml.scan(text, Loader=loader):
            if isinstance(token, yaml.AliasToken):
                aliases += 1
                if aliases > limits.yaml_aliases:
                    raise Refused(Invalid, "yaml_bomb", "YAML 文件中的别名（*引用）过多，拒绝读取")
    except yaml.YAMLError:
        return  # a syntax error: the loader reports it with its line


def guard_pdf(data: bytes, limits: Limits) -> None:
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except Exception:  # pdfium raises its own error types for damaged files
        raise Refused(Invalid, "bad_pdf", "PDF 文件已损坏或已加密，无法读取") from None
    try:
        if len(pdf) > limits.pdf_pages:
            raise Refused(Invalid, "too_many_pages", f"PDF 超过 {limits.pdf_pages} 页，拒绝检查")
    finally:
        pdf.close()


def dataset_kind(data: bytes, content_type: str | None, limits: Limits) -> str:
    """``yaml`` or ``xlsx`` for an uploaded dataset, after every guard."""
    sniffed = sniff(data)
    kind = YAML if sniffed == TEXT else sniffed
    if kind not in (YAML, XLSX):
        raise Refused(
            Unsupported, "unsupported_type", "数据文件只接受 YAML 文本或 Excel 工作簿（.xlsx）"
        )
    declared = declared_type(content_type)
    declared = YAML if declared == TEXT else declared
    if declared is not None and declared != kind:
        raise Refused(Unsupported, "type_mismatch", "声明的文件类型与文件内容不符")
    if kind == XLSX:
        guard_zip(data, limits)
    else:
        guard_yaml(data, limits)
    return kind


def document_kind(data: bytes, limits: Limits) -> str:
    """The kind of a published document uploaded for checking, after every guard."""
    kind = sniff(data)
    if kind not in (PDF, DOCX, HTML, TEXT):
        raise Refused(
            Unsupported, "unsupported_type", "只能检查 PDF、Word（.docx）、网页或文本文件"
        )
    if kind == DOCX:
        guard_zip(data, limits)
    elif kind == PDF:
        guard_pdf(data, limits)
    return kind
