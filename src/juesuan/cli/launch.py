"""The ``juesuan`` program (its console script and ``python -m juesuan``).

Before the command line loads, ``juesuan check FILE`` starts checking FILE on the other core
(:mod:`juesuan.cli.check_early`); then :func:`juesuan.cli.app.main` parses and runs the command.
"""

from __future__ import annotations

import sys


def main() -> None:
    from juesuan.cli import check_early

    check_early.start(sys.argv[1:])
    from juesuan.cli.app import main as run

    run()
