"""Per-member totals (donated, paid to, stipends) by the branch of membership on each entry's
business date; a reversal counts where its original counted (issue 21 item 4).
"""

from __future__ import annotations

from dataclasses import dataclass

from ledger.projections.store import ViewStore


@dataclass(frozen=True)
class MemberTotal:
    person_id: str
    branch_org_id: str | None  # the branch of formal membership on the business date
    donated_fen: int
    paid_to_fen: int  # aid and other payments made to the person
    stipends_fen: int


def member_totals(store: ViewStore, person_id: str | None = None) -> list[MemberTotal]:
    where, params = ("AND j.person_id = ?", (person_id,)) if person_id else ("", ())
    rows = store.fetch(
        "SELECT j.person_id, m.org_id, "
        "SUM(CASE WHEN j.person_role = 'donor' THEN j.income_fen ELSE 0 END), "
        "SUM(CASE WHEN j.person_role = 'payee' THEN j.expense_fen ELSE 0 END), "
        "SUM(CASE WHEN j.person_role = 'stipend' THEN j.expense_fen ELSE 0 END) "
        # A reversal counts where its original counted (issue 21 item 4): the branch of the
        # original's date, not of the reversal's own, so a transfer in between moves nothing.
        "FROM v_journal j LEFT JOIN v_journal o ON j.reverses_voucher_no IS NOT NULL "
        "AND o.fund_no = j.fund_no AND o.voucher_no = j.reverses_voucher_no "
        "LEFT JOIN v_membership m ON m.person_id = j.person_id "
        "AND m.from_date <= COALESCE(o.occurred_on, j.occurred_on) "
        "AND (m.to_date IS NULL OR m.to_date >= COALESCE(o.occurred_on, j.occurred_on)) "
        f"WHERE j.person_id IS NOT NULL AND j.person_role IN ('donor', 'payee', 'stipend') {where} "
        # No branch (NULL) first on both backends (they sort NULL differently by default).
        "GROUP BY j.person_id, m.org_id "
        "ORDER BY j.person_id, CASE WHEN m.org_id IS NULL THEN 0 ELSE 1 END, m.org_id",
        params,
    )
    return [MemberTotal(pid, org, int(d), int(p), int(s)) for pid, org, d, p, s in rows]
