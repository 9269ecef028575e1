"""Reads of a branch's dues book (ADR 0160), from the ``v_dues_*`` tables.

A member's rows (base, payments, months) are private: the API gives them to the member and to
the branch's officers (``ledger.api.routers.dues``); the board reads ``totals`` alone (counts and
sums of a branch, never a name or a base). A reversed payment stays in ``payments``, dated; its
months leave ``months``, so they can be paid again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ledger.projections.store import ViewStore


@dataclass(frozen=True)
class Base:
    org_id: str
    person_id: str
    from_month: str
    category: str
    base_fen: int | None
    fixed_fen: int | None


@dataclass(frozen=True)
class Payment:
    org_id: str
    payment_no: str
    person_id: str
    months: tuple[str, ...]
    amount_fen: int
    standard_fen: int
    paid_on: str
    handup_no: str | None
    reversed_on: str | None

    @property
    def difference_fen(self) -> int:
        """Paid less the standard: above zero, a voluntary extra; below, less than the standard."""
        return self.amount_fen - self.standard_fen

    @property
    def held(self) -> bool:
        return self.handup_no is None and self.reversed_on is None


@dataclass(frozen=True)
class Month:
    org_id: str
    person_id: str
    month: str
    standard_fen: int
    payment_no: str


@dataclass(frozen=True)
class HandUp:
    org_id: str
    handup_no: str
    to_org_id: str
    handed_on: str
    period_from: str
    period_to: str
    amount_fen: int


@dataclass(frozen=True)
class Rebate:
    org_id: str
    rebate_no: str
    from_org_id: str
    received_on: str
    period_from: str
    period_to: str
    amount_fen: int
    rebate_share_bp: int
    handed_up_fen: int
    expected_fen: int

    @property
    def difference_fen(self) -> int:
        return self.amount_fen - self.expected_fen

    @property
    def warning(self) -> str | None:
        """A rebate that is not the configured share of what was handed up: shown, not refused."""
        return None if self.amount_fen == self.expected_fen else "dues_rebate_differs_from_share"


@dataclass(frozen=True)
class MonthTotal:
    """A branch's dues month on the board: how many members paid it and the standards paid."""

    month: str
    paid_count: int
    standard_fen: int


@dataclass(frozen=True)
class Totals:
    org_id: str
    collected_fen: int  # every payment not reversed
    handed_up_fen: int
    held_fen: int  # collected and not yet handed up: the clearing balance
    rebate_fen: int
    months: tuple[MonthTotal, ...]


def bases(store: ViewStore, org_id: str | None, person_id: str | None = None) -> list[Base]:
    where, params = _of(org_id, person_id)
    rows = store.fetch(
        "SELECT org_id, person_id, from_month, category, base_fen, fixed_fen FROM v_dues_base "
        f"{where} ORDER BY person_id, from_month",
        params,
    )
    return [Base(*row[:4], _int(row[4]), _int(row[5])) for row in rows]


def payments(store: ViewStore, org_id: str | None, person_id: str | None = None) -> list[Payment]:
    """In the order recorded."""
    where, params = _of(org_id, person_id)
    rows = store.fetch(
        "SELECT org_id, payment_no, person_id, months, amount_fen, standard_fen, paid_on, handup_no, "
        f"reversed_on FROM v_dues_payment {where} ORDER BY position",
        params,
    )
    return [
        Payment(r[0], r[1], r[2], tuple(r[3].split(",")), int(r[4]), int(r[5]), r[6], r[7], r[8])
        for r in rows
    ]


def months(store: ViewStore, org_id: str | None, person_id: str | None = None) -> list[Month]:
    """The months paid (by a payment not reversed), each with its standard."""
    where, params = _of(org_id, person_id)
    rows = store.fetch(
        f"SELECT org_id, person_id, month, standard_fen, payment_no FROM v_dues_month {where} "
        "ORDER BY person_id, month",
        params,
    )
    return [Month(r[0], r[1], r[2], int(r[3]), r[4]) for r in rows]


def handups(store: ViewStore, org_id: str) -> list[HandUp]:
    rows = store.fetch(
        "SELECT org_id, handup_no, to_org_id, handed_on, period_from, period_to, amount_fen "
        "FROM v_dues_handup WHERE org_id = ? ORDER BY position",
        (org_id,),
    )
    return [HandUp(*r[:6], int(r[6])) for r in rows]


def rebates(store: ViewStore, org_id: str) -> list[Rebate]:
    rows = store.fetch(
        "SELECT org_id, rebate_no, from_org_id, received_on, period_from, period_to, amount_fen, "
        "rebate_share_bp, handed_up_fen, expected_fen FROM v_dues_rebate WHERE org_id = ? ORDER BY position",
        (org_id,),
    )
    return [Rebate(*r[:6], *(int(v) for v in r[6:])) for r in rows]


def totals(store: ViewStore, org_id: str) -> Totals:
    """The branch's figures, no person in them: what the board may print."""
    paid = [p for p in payments(store, org_id) if p.reversed_on is None]
    handed = handups(store, org_id)
    rows = store.fetch(
        "SELECT month, COUNT(*), SUM(standard_fen) FROM v_dues_month WHERE org_id = ? "
        "GROUP BY month ORDER BY month",
        (org_id,),
    )
    return Totals(
        org_id=org_id,
        collected_fen=sum(p.amount_fen for p in paid),
        handed_up_fen=sum(h.amount_fen for h in handed),
        held_fen=sum(p.amount_fen for p in paid if p.handup_no is None),
        rebate_fen=sum(r.amount_fen for r in rebates(store, org_id)),
        months=tuple(MonthTotal(r[0], int(r[1]), int(r[2])) for r in rows),
    )


def member_masks(store: ViewStore, org_id: str) -> dict[str, str]:
    """person_id → the masked name (王*明) of each member who paid the branch dues."""
    rows = store.fetch(
        "SELECT DISTINCT d.person_id, p.display_mask FROM v_dues_payment d "
        "JOIN v_person p ON p.person_id = d.person_id WHERE d.org_id = ?",
        (org_id,),
    )
    return {str(pid): str(mask) for pid, mask in rows}


def _of(org_id: str | None, person_id: str | None) -> tuple[str, tuple[Any, ...]]:
    """One branch's rows, one member's in it, or (no branch) one member's in every branch."""
    if org_id is None:
        return "WHERE person_id = ?", (person_id,)
    if person_id is None:
        return "WHERE org_id = ?", (org_id,)
    return "WHERE org_id = ? AND person_id = ?", (org_id, person_id)


def _int(value: Any) -> int | None:
    return None if value is None else int(value)
