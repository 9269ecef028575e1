"""``verify`` over the branches' dues books (ADR 0160), from the events alone.

Invariants (reported like the others, with the position of the record that shows it):

- ``dues_clearing_not_zero``: a hand-up that does not carry exactly what the branch held (the
  payments collected and neither handed up nor reversed), so the clearing balance would not be
  zero after it;
- ``dues_month_paid_twice``: a member's month paid while a payment not reversed covers it;
- ``dues_reversal_invalid``: a reversal of a payment never recorded, reversed, or handed up;
- ``dues_rebate_expectation_wrong``: a rebate's recorded expectation that is not its share of
  the hand-ups dated in its period.

And the ``v_dues_*`` views against a fresh fold of the same events (``view_differs``, view
``dues``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ledger.audit.violation import Violation
from ledger.domain.dues_book import DuesBook, expected_rebate_fen
from ledger.projections import dues_queries
from ledger.projections.store import ViewStore


class DuesInvariants:
    def __init__(self, report: Callable[[Violation], None]) -> None:
        self.report = report
        self.held: dict[tuple[str, str], int] = {}  # (branch, payment) -> amount, while held
        self.months: dict[tuple[str, str, str], str] = {}  # (branch, person, month) -> payment
        self.handups: dict[str, list[tuple[str, int]]] = {}  # branch -> (handed-on month, amount)

    def apply(self, position: int, event: Any) -> None:
        if isinstance(event, DuesBook.DuesPaid):
            self._paid(position, event)
        elif isinstance(event, DuesBook.PaymentReversed):
            if self.held.pop((event.org_id, event.payment_no), None) is None:
                self.report(Violation("dues_reversal_invalid", position, f"payment {event.payment_no}"))
            for key in [
                k for k, no in self.months.items() if k[0] == event.org_id and no == event.payment_no
            ]:
                del self.months[key]
        elif isinstance(event, DuesBook.HandedUp):
            held = sum(fen for (org, _), fen in self.held.items() if org == event.org_id)
            if event.amount_fen != held:
                detail = f"hand-up {event.handup_no}: {event.amount_fen} fen of {held} held"
                self.report(Violation("dues_clearing_not_zero", position, detail))
            self.held = {k: v for k, v in self.held.items() if k[0] != event.org_id}
            month = event.handed_on.isoformat()[:7]
            self.handups.setdefault(event.org_id, []).append((month, event.amount_fen))
        elif isinstance(event, DuesBook.RebateReceived):
            handed = sum(
                fen
                for month, fen in self.handups.get(event.org_id, [])
                if event.period_from <= month <= event.period_to
            )
            expected = expected_rebate_fen(handed, event.rebate_share_bp)
            if (event.handed_up_fen, event.expected_fen) != (handed, expected):
                detail = f"rebate {event.rebate_no}: {event.expected_fen} fen, not {expected}"
                self.report(Violation("dues_rebate_expectation_wrong", position, detail))

    def _paid(self, position: int, event: Any) -> None:
        for month in event.months:
            key = (event.org_id, event.person_id, month)
            if key in self.months:
                self.report(
                    Violation("dues_month_paid_twice", position, f"{month} of payment {event.payment_no}")
                )
            self.months[key] = event.payment_no
        self.held[(event.org_id, event.payment_no)] = event.amount_fen


def fresh_rows(decoded: list[tuple[int, Any]]) -> dict[str, list[Any]]:
    """What the views should hold, folded again from the events (in log order)."""
    bases: dict[tuple[str, str, str], dues_queries.Base] = {}
    payments: dict[tuple[str, str], dict[str, Any]] = {}
    handups, rebates = [], []
    for _, e in decoded:
        if isinstance(e, DuesBook.BaseDeclared):
            key = (e.org_id, e.person_id, e.from_month)
            bases[key] = dues_queries.Base(*key, e.category, e.base_fen, e.fixed_fen)
        elif isinstance(e, DuesBook.DuesPaid):
            payments[(e.org_id, e.payment_no)] = {"event": e, "handup_no": None, "reversed_on": None}
        elif isinstance(e, DuesBook.PaymentReversed):
            payments[(e.org_id, e.payment_no)]["reversed_on"] = e.reversed_on.isoformat()
        elif isinstance(e, DuesBook.HandedUp):
            for no in e.payment_nos:
                payments[(e.org_id, no)]["handup_no"] = e.handup_no
            day = e.handed_on.isoformat()
            handups.append(
                dues_queries.HandUp(
                    e.org_id, e.handup_no, e.to_org_id, day, e.period_from, e.period_to, e.amount_fen
                )
            )
        elif isinstance(e, DuesBook.RebateReceived):
            rebates.append(
                dues_queries.Rebate(
                    e.org_id,
                    e.rebate_no,
                    e.from_org_id,
                    e.received_on.isoformat(),
                    e.period_from,
                    e.period_to,
                    e.amount_fen,
                    e.rebate_share_bp,
                    e.handed_up_fen,
                    e.expected_fen,
                )
            )
    rows, months = [], []
    for p in payments.values():
        e = p["event"]
        day = e.paid_on.isoformat()
        rows.append(
            dues_queries.Payment(
                e.org_id,
                e.payment_no,
                e.person_id,
                tuple(e.months),
                e.amount_fen,
                e.standard_fen,
                day,
                p["handup_no"],
                p["reversed_on"],
            )
        )
        if p["reversed_on"] is None:
            for month, fen in zip(e.months, e.standards_fen, strict=True):
                months.append(dues_queries.Month(e.org_id, e.person_id, month, fen, e.payment_no))
    return {
        "bases": list(bases.values()),
        "payments": rows,
        "months": months,
        "handups": handups,
        "rebates": rebates,
    }


def views_agree(views: ViewStore, decoded: list[tuple[int, Any]]) -> bool:
    fresh = fresh_rows(decoded)
    orgs = sorted({row.org_id for rows in fresh.values() for row in rows} | _view_orgs(views))
    ours: dict[str, list[Any]] = {"bases": [], "payments": [], "months": [], "handups": [], "rebates": []}
    for org in orgs:
        ours["bases"] += dues_queries.bases(views, org)
        ours["payments"] += dues_queries.payments(views, org)
        ours["months"] += dues_queries.months(views, org)
        ours["handups"] += dues_queries.handups(views, org)
        ours["rebates"] += dues_queries.rebates(views, org)
    return all(sorted(ours[k], key=repr) == sorted(fresh[k], key=repr) for k in ours)


def _view_orgs(views: ViewStore) -> set[str]:
    rows = views.fetch(
        "SELECT org_id FROM v_dues_payment UNION SELECT org_id FROM v_dues_base "
        "UNION SELECT org_id FROM v_dues_rebate",
        (),
    )
    return {row[0] for row in rows}
