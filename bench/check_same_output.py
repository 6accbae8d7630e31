"""Compare what `juesuan check` prints with two source trees: the text report, the exit code and
the standard error, `--json`, the `--html` report and, for a PDF, `--engine pdfplumber`.

A change meant to make the command faster must print the same bytes. Both trees run as
`python -m juesuan` with PYTHONPATH set to their `src` folder.

Run:  python bench/check_same_output.py --old /tmp/old/src [--new src] FILE...
Prints one line per file and form that differs, and a count; exits 1 if any differs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def outputs(src: Path, file: Path, tmp: Path) -> dict[str, bytes]:
    """Every form's output for ``file`` with the tree at ``src`` (the HTML path is the same
    for both trees: the report quotes it)."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    forms = {"text": [], "json": ["--json"], "html": ["--html", str(tmp / "report.html")]}
    if file.suffix.lower() == ".pdf":
        forms["pdfplumber"] = ["--engine", "pdfplumber"]
    out = {}
    for name, extra in forms.items():
        (tmp / "report.html").unlink(missing_ok=True)
        done = subprocess.run(
            [sys.executable, "-m", "juesuan", "check", str(file), *extra],
            capture_output=True,
            env=env,
        )
        out[name] = b"%d\n%s\n--\n%s" % (done.returncode, done.stdout, done.stderr)
        if name == "html":
            report = tmp / "report.html"
            out["html file"] = report.read_bytes() if report.exists() else b"(none)"
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", type=Path, required=True, help="the old tree's src folder")
    ap.add_argument("--new", type=Path, default=ROOT / "src", help="the new tree's src folder")
    ap.add_argument("files", nargs="+", type=Path)
    args = ap.parse_args()
    differ = 0
    with tempfile.TemporaryDirectory() as tmp:
        for file in args.files:
            old = outputs(args.old, file.resolve(), Path(tmp))
            new = outputs(args.new, file.resolve(), Path(tmp))
            for form in old:
                if old[form] != new[form]:
                    differ += 1
                    print(f"DIFFERS: {file.name} ({form})")
            print(f"{file.name}: {len(old)} forms compared", flush=True)
    print(f"{len(args.files)} files, {differ} outputs differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
