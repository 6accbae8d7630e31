"""Messages a clerk reads are Chinese: no English identifier (a dataset path, a YAML key, an
internal id) in the catalog of finding codes. File formats and the keys of the expert-written
indicator-system files are named as such."""

from __future__ import annotations

import re

from juesuan.core.codes import CODES

# Names of formats and the words of the indicator-system files (PERF-1xx), not identifiers.
ALLOWED = {
    "YAML",
    "Excel",
    "PDF",
    "UTF",
    "XML",
    "DOCTYPE",
    "inf",
    "nan",
    "txt",
    "md",
    "docx",
    "pdf",
    "html",
    "XX",  # the placeholder a text must not contain
    "catalog.json",
}
SYSTEM_FILE_KEYS = {"figure", "dataset", "projects", "run"}
WORD = re.compile(r"[A-Za-z_][A-Za-z_.]*[A-Za-z_]")


def test_code_catalog_has_no_english_identifier():
    found = []
    for code in CODES.values():
        for text in (code.title, code.doc or ""):
            for word in WORD.findall(text):
                if word in ALLOWED or (code.code == "PERF-104" and word in SYSTEM_FILE_KEYS):
                    continue
                found.append((code.code, word))
    assert found == []
