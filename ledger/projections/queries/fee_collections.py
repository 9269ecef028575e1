"""Collections (R32): each participant's fees owed, paid and refunded, and the collection's status."""

from __future__ import annotations

from dataclasses import dataclass

from ledger.projections.store import ViewStore


@dataclass(frozen=True)
class FeeTotal:
    person_id: str
    owed_fen: int
    paid_fen: int
    refunded_fen: int

    @property
    def outstanding_fen(self) -> int:
        return max(0, self.owed_fen - self.paid_fen)


def collection_members(store: ViewStore, fund_id: str) -> list[FeeTotal]:
    """Each participant of a collection, in assessment order: owed, paid (net of reversals),
    refunded."""
    rows = store.fetch(
        "SELECT person_id, owed_fen, paid_fen, refunded_fen FROM v_fee WHERE fund_id = ? ORDER BY seq",
        (fund_id,),
    )
    return [FeeTotal(p, int(o), int(pd), int(r)) for p, o, pd, r in rows]


def collection_status(store: ViewStore, fund_id: str) -> str:
    """``open``, ``settled`` or ``closed``."""
    rows = store.fetch(
        "SELECT status FROM v_collection_status WHERE fund_id = ? ORDER BY position DESC LIMIT 1", (fund_id,)
    )
    return rows[0][0] if rows else "open"
