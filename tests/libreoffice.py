"""LibreOffice for the tests that open our outputs in a real office suite (optional).

A Writer-only install (libreoffice-writer-nogui) cannot open spreadsheets, so each test asks
for the component it needs. Every conversion uses its own profile folder: two soffice
processes sharing one profile (parallel test workers) make the second one fail silently.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

_LIBRARY = {"writer": "libswlo.*", "calc": "libsclo.*"}


def soffice(component: str) -> str | None:
    """The soffice executable when it has ``component`` (writer or calc), else None."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        return None
    program = Path(exe).resolve().parent
    return exe if any(program.glob(_LIBRARY[component])) else None


def convert(exe: str, source: Path, fmt: str, outdir: Path) -> subprocess.CompletedProcess:
    """``soffice --convert-to fmt`` with a private profile; the result lands in ``outdir``."""
    profile = (outdir / f".profile-{source.stem}").as_uri()
    return subprocess.run(
        [
            exe,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(source),
        ],
        capture_output=True,
        timeout=240,
        check=False,
    )
