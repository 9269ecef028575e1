"""Every view equal to a fresh fold: the SQL views against ``projections.reference``.

``reference.Reference`` folds the decoded events the slow, obvious way and shares no code with
the views. Compared here: every fund's balances, every fund's journal (voucher, date, amounts,
person, reversal, running balance) and custody handovers (R22), every person's totals, every
period close (with its seal) and the organisation rollups as of the last business date in the
log. A history that cannot be
folded at all (a tampered reversal naming nothing) is reported as ``fresh_fold_failed``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ledger.audit import dues_check, register_check
from ledger.audit.invariants import Violation
from ledger.audit.log import recorded_chain, stored_rows
from ledger.audit.verify import Progress, Report, check_log
from ledger.domain.fund import Fund
from ledger.projections import queries
from ledger.projections.reference import JOURNAL_KEYS, Reference
from ledger.projections.store import ViewStore

JOURNAL_PAGE = queries.PAGE_SIZE_MAX


def verify_store(
    views: ViewStore, decode: Any, *, fingerprints: list[str], progress: Progress | None = None
) -> Report:
    """Verify the database: chain, seals, invariants, and every view against a fresh fold."""
    report = check_log(
        stored_rows(views), recorded_chain(views), decode=decode, fingerprints=fingerprints, progress=progress
    )
    try:
        reference = Reference(report.decoded)
    except Exception as error:  # e.g. a reversal of a voucher that is not there
        report.add(Violation("fresh_fold_failed", None, f"{type(error).__name__}: {error}"))
        return report
    compare_views(views, reference, report)
    return report


def compare_views(views: ViewStore, reference: Reference, report: Report) -> None:
    def differs(view: str, what: str) -> None:
        report.add(Violation("view_differs", None, f"{view}: {what} differs from a fresh fold"))

    ours = {b.fund_id: b for b in queries.fund_balances(views)}
    for fresh in reference.balances():
        if ours.pop(fresh.fund_id, None) != fresh:
            differs("funds", f"fund {fresh.fund_id}")
        elif _journal(views, fresh.fund_id) != reference.journal(fresh.fund_id):
            differs("journal", f"fund {fresh.fund_id}")
        if queries.handovers(views, fresh.fund_id) != reference.handovers(fresh.fund_id):
            differs("funds", f"the custody handovers of fund {fresh.fund_id}")
    for fund_id in ours:
        differs("funds", f"fund {fund_id} (not in the log)")
    if queries.member_totals(views) != reference.member_totals():
        differs("journal", "member totals")
    if not register_check.views_agree(views, report.decoded):
        differs("assets", "the gifts in kind or the asset register")
    if not dues_check.views_agree(views, report.decoded):
        differs("dues", "the branches' dues books")
    if _closes(views) != _fresh_closes(report.decoded):
        differs("period_closes", "the period closes")
    days = [e.occurred_on for e in reference.entries] or [date.today()]
    day = max(days)
    if queries.org_rollups(views, as_of=day) != reference.rollups(day):
        differs("organisations", f"the rollups as of {day}")


def _journal(views: ViewStore, fund_id: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        got = queries.journal(views, fund_id, page=page, page_size=JOURNAL_PAGE)
        rows.extend({key: row[key] for key in JOURNAL_KEYS} for row in got.rows)
        if page * JOURNAL_PAGE >= got.count:
            return rows
        page += 1


def _closes(views: ViewStore) -> set[tuple[Any, ...]]:
    rows = views.fetch(
        "SELECT fund_id, period, closing_fen, cash_fen, bank_fen, seal_position, seal_hash "
        "FROM v_period_close"
    )
    return {
        (f, p, int(c), int(ca), int(b), None if sp is None else int(sp), h) for f, p, c, ca, b, sp, h in rows
    }


def _fresh_closes(decoded: list[tuple[int, Any]]) -> set[tuple[Any, ...]]:
    return {
        (str(e.originator_id), e.period, e.closing_fen, e.cash_fen, e.bank_fen, e.seal_position, e.seal_hash)
        for _, e in decoded
        if isinstance(e, Fund.PeriodClosed)
    }
