"""What a command answers (``Recorded``) and the shape of a command's work (``Work``).

Their own module, so that the Ledger, its command groups and the group committer can all name
them without importing one another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.domain import Aggregate

from ledger.domain.context import Context


@dataclass(frozen=True)
class Recorded:
    """What a command answers: its result, the log position it wrote, and whether this is the
    replayed answer to a retried request."""

    result: dict[str, Any] = field(default_factory=dict)
    position: int | None = None
    replayed: bool = False

    def __getitem__(self, key: str) -> Any:
        return self.result[key]


Work = Callable[[Context], tuple[list[Aggregate], dict[str, Any]]]
