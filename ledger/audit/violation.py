"""One broken rule found by an audit fold: its code, the log position that shows it, and what."""

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
