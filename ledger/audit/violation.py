"""A broken rule ``verify`` found: its code, the log position of the record that shows it, and
what it is. Its own module, below the checks that report it (``invariants``, ``register_check``,
``dues_check``), so that none of them imports another to name it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    code: str
    position: int | None
    detail: str

    def line(self) -> str:
        where = f"position {self.position}" if self.position is not None else "—"
        return f"{self.code} at {where}: {self.detail}"
