"""Stipend schedules (R12): the months due to each office holder with terms, and which are paid."""

from __future__ import annotations

from dataclasses import dataclass

from ledger.domain.periods import check_period, next_period
from ledger.projections.queries.views import one_snapshot
from ledger.projections.store import ViewStore


@dataclass(frozen=True)
class StipendDue:
    org_id: str
    person_id: str
    role: str
    fund_id: str
    monthly_fen: int
    months_due: list[str]
    months_paid: list[str]

    @property
    def months_unpaid(self) -> list[str]:
        return [m for m in self.months_due if m not in self.months_paid]

    @property
    def unpaid_fen(self) -> int:
        return self.monthly_fen * len(self.months_unpaid)


@one_snapshot
def stipend_schedule(store: ViewStore, *, through: str, org_id: str | None = None) -> list[StipendDue]:
    """Per office holder with stipend terms: the months due from the first month of the terms
    through ``through`` (stopping at the end of the term or the day the office was left), and
    which of them the paying fund has paid (reversed payments not counted)."""
    through = check_period(through, "through")
    where, params = ("WHERE t.org_id = ?", (org_id,)) if org_id else ("", ())
    rows = store.fetch(
        "SELECT t.org_id, t.person_id, t.role, t.fund_id, t.monthly_fen, t.from_month, o.to_date, o.term_end "
        "FROM v_stipend_terms t JOIN v_office o ON o.org_id = t.org_id AND o.person_id = t.person_id "
        "AND o.role = t.role AND o.position = (SELECT MAX(o2.position) FROM v_office o2 "
        "WHERE o2.org_id = t.org_id AND o2.person_id = t.person_id AND o2.role = t.role "
        f"AND o2.position < t.position) {where} ORDER BY t.position",
        params,
    )
    out = []
    for org, person, role, fund, monthly, first, to_date, term_end in rows:
        last = min([through] + [d[:7] for d in (to_date, term_end) if d])
        due, month = [], first
        while month <= last:
            due.append(month)
            month = next_period(month)
        paid = store.fetch(
            "SELECT month FROM v_stipend_month WHERE fund_id = ? AND person_id = ? ORDER BY month",
            (fund, person),
        )
        out.append(StipendDue(org, person, role, fund, int(monthly), due, [m for (m,) in paid]))
    return out
