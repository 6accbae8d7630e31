"""Other producers' PDFs of our own documents, for the checker's producer matrix.

- LibreOffice: the built DOCX converted with ``soffice --headless --convert-to pdf`` (a
  private profile per conversion, see tests/libreoffice.py);
- Chromium: the built HTML printed with ``chromium --headless --print-to-pdf`` (a private
  user-data folder per run, so parallel test workers do not share one).

Each returns None when the producer is not installed (the matrix tests then skip).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from libreoffice import convert, soffice

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")


def libreoffice_pdf(docx: Path, outdir: Path) -> Path | None:
    exe = soffice("writer")
    if exe is None:
        return None
    outdir.mkdir(parents=True, exist_ok=True)
    convert(exe, docx, "pdf", outdir)
    out = outdir / (docx.stem + ".pdf")
    return out if out.exists() else None


def chromium_pdf(html: Path, out: Path) -> Path | None:
    exe = next((found for name in CHROMIUM if (found := shutil.which(name))), None)
    if exe is None:
        return None
    profile = out.parent / f".chromium-{out.stem}"
    subprocess.run(
        [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            html.resolve().as_uri(),
        ],
        capture_output=True,
        timeout=240,
        check=False,
    )
    return out if out.exists() and out.stat().st_size else None
