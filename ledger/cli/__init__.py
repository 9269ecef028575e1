"""The `fundbook` command (Typer): one app, one module per command group.

See docs/concepts/architecture.md for the layers and the direction of imports.
"""

from ledger.cli.commands import app, main

__all__ = ["app", "main"]
