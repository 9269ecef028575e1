"""The whole ``fundbook`` program: every command group registered on the one app, and ``main``.

Importing a command group registers its commands on ``ledger.cli.root.app``; this module is the
only one that imports them all (the console script ``fundbook = "ledger.cli:main"`` lands here).
"""

from __future__ import annotations

import typer

from ledger.cli import audit, backup, commands, custody, dues, setup  # noqa: F401  (registers their commands)
from ledger.cli.errors import explain
from ledger.cli.root import app

__all__ = ["app", "main"]


def main() -> None:
    """The ``fundbook`` script: an expected failure ends in one line and a non-zero exit code,
    never a traceback (``ledger.cli.errors``)."""
    try:
        app()
    except Exception as error:
        explained = explain(error)
        if explained is None:
            raise
        line, code = explained
        typer.secho(f"fundbook: {line}", fg="red", err=True)
        raise SystemExit(code) from None
