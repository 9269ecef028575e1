"""The `fundbook` command (Typer): one app (``root``), one module per command group, and the
program that registers them all (``program``). ``from ledger.cli import app, main`` is the front
door; see docs/concepts/architecture.md for the layers and the direction of imports.
"""

from ledger.cli.program import app, main

__all__ = ["app", "main"]
