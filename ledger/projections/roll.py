"""Reading the mutual-aid association's roll (issue 21 item 1): who is on it on a day, each
member's status for a year (owed, paid, waived) with the vouchers that paid it, the internal
list of who is behind, and the public counts (members, paid this year) — counts only, no names.

A member owes a year's contribution when on the roll on its due date. What they paid is the sum
of the linked donation vouchers that stand: a voucher reversed since pays nothing, so the member
is owing again without the roll having to hear of the reversal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ledger.projections.store import ViewStore

# Linked payments whose voucher was not reversed, per (person, year) of one fund.
_PAID_SQL = (
    "SELECT p.person_id, p.year, p.voucher_no, p.amount_fen FROM v_roll_payment p "
    "JOIN v_fund f ON f.fund_id = p.fund_id "
    "LEFT JOIN v_journal r ON r.fund_no = f.position AND r.reverses_voucher_no = p.voucher_no "
    "WHERE p.fund_id = ? AND r.position IS NULL ORDER BY p.position"
)


@dataclass(frozen=True)
class RollStatus:
    person_id: str
    name_zh: str
    year: int
    due_on: str
    amount_fen: int
    paid_fen: int
    vouchers: tuple[str, ...]
    waived_by: str | None

    @property
    def status(self) -> str:
        if self.waived_by is not None:
            return "waived"
        return "paid" if self.paid_fen >= self.amount_fen else "owed"

    @property
    def outstanding_fen(self) -> int:
        return 0 if self.status != "owed" else self.amount_fen - self.paid_fen


@dataclass(frozen=True)
class RollMember:
    person_id: str
    name_zh: str
    enrolled_on: str
    left_on: str | None


def members_on(store: ViewStore, fund_id: str, day: date) -> list[RollMember]:
    """Who is on the roll on ``day``, by name."""
    iso = day.isoformat()
    rows = store.fetch(
        "SELECT m.person_id, p.name_zh, m.enrolled_on, m.left_on FROM v_roll_member m "
        "JOIN v_person p ON p.person_id = m.person_id WHERE m.fund_id = ? AND m.enrolled_on <= ? "
        "AND (m.left_on IS NULL OR m.left_on >= ?) ORDER BY p.name_zh, m.person_id",
        (fund_id, iso, iso),
    )
    return [RollMember(*row) for row in rows]


def statuses(store: ViewStore, fund_id: str, year: int | None = None) -> list[RollStatus]:
    """Each member's status for each year with a contribution set (or one ``year``), by year
    then name."""
    where, params = ("AND c.year = ?", (fund_id, year)) if year is not None else ("", (fund_id,))
    owing = store.fetch(
        "SELECT c.year, c.due_on, c.amount_fen, m.person_id, p.name_zh, w.approved_by "
        "FROM v_roll_charge c JOIN v_roll_member m ON m.fund_id = c.fund_id "
        "AND m.enrolled_on <= c.due_on AND (m.left_on IS NULL OR m.left_on >= c.due_on) "
        "JOIN v_person p ON p.person_id = m.person_id "
        "LEFT JOIN v_roll_waiver w ON w.fund_id = c.fund_id AND w.person_id = m.person_id "
        "AND w.year = c.year "
        f"WHERE c.fund_id = ? {where} ORDER BY c.year, p.name_zh, m.person_id",
        params,
    )
    paid: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for person_id, paid_year, voucher_no, amount in store.fetch(_PAID_SQL, (fund_id,)):
        paid.setdefault((person_id, int(paid_year)), []).append((voucher_no, int(amount)))
    out = []
    for owed_year, due_on, amount, person_id, name, waived_by in owing:
        links = paid.get((person_id, int(owed_year)), [])
        out.append(
            RollStatus(
                person_id,
                name,
                int(owed_year),
                due_on,
                int(amount),
                sum(fen for _, fen in links),
                tuple(voucher for voucher, _ in links),
                waived_by,
            )
        )
    return out


def behind(store: ViewStore, fund_id: str, today: date) -> list[RollStatus]:
    """The internal list of who is behind: contributions owed whose due date has passed."""
    return [s for s in statuses(store, fund_id) if s.status == "owed" and s.due_on < today.isoformat()]


@dataclass(frozen=True)
class RollCounts:
    """What the public board may show of the roll: counts, never names."""

    members: int
    paid_this_year: int
    year: int


def counts(store: ViewStore, fund_id: str, today: date) -> RollCounts:
    year = today.year
    paid = sum(1 for s in statuses(store, fund_id, year) if s.status == "paid")
    return RollCounts(len(members_on(store, fund_id, today)), paid, year)
