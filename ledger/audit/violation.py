"""One place where the recorded history breaks a rule, as every auditor's fold reports it."""

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
