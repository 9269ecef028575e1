"""A fund's journal (running balance, paginated) and its statements (the noticeboard's data).

Both are the books themselves (payees by name whatever their consent, memos, handlers, details):
the custodians and auditors of the fund's organisation read them, a member does not; a member
reads the balance and the internal board (ADR 0013)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query

from ledger.api.deps import CurrentUser, LedgerDep, ViewsDep
from ledger.api.inputs import PAGE_MAX
from ledger.api.routers.common import BOOK_ROLES, fund_owner, require_any
from ledger.api.schemas import JournalPublic, StatementPublic, money
from ledger.projections import queries

router = APIRouter(prefix="/funds", tags=["journal"])


def _row(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in row.items() if not k.endswith("_fen")}
    for key in ("income_fen", "expense_fen", "balance_fen"):
        out[key[:-4]] = money(row[key])
    return out


@router.get("/{fund_id}/journal", response_model=JournalPublic)
def fund_journal(
    fund_id: str,
    ledger: LedgerDep,
    views: ViewsDep,
    user: CurrentUser,
    period_from: str | None = None,
    period_to: str | None = None,
    page: int = Query(default=1, ge=1, le=PAGE_MAX),
    page_size: int = Query(default=50, ge=1, le=500),
) -> dict[str, Any]:
    """The vouchers in journal order with the running balance: for the fund's custodians and
    auditors (``role_required`` for a member: the internal board is theirs)."""
    require_any(ledger, user, BOOK_ROLES, fund_owner(ledger, fund_id))
    result = queries.journal(
        views,
        str(ledger.fund(fund_id).id),
        period_from=period_from,
        period_to=period_to,
        page=page,
        page_size=page_size,
    )
    return {
        "data": [_row(r) for r in result.rows],
        "count": result.count,
        "page": page,
        "page_size": page_size,
        "as_of_position": views.snapshot_position,
    }


@router.get("/{fund_id}/statements/{period}", tags=["statements"], response_model=StatementPublic)
def fund_statement(
    fund_id: str,
    period: str,
    ledger: LedgerDep,
    views: ViewsDep,
    user: CurrentUser,
    limit: int = Query(default=queries.STATEMENT_PAGE_DEFAULT, ge=1, le=queries.STATEMENT_PAGE_MAX),
    after: str | None = Query(default=None, description="the ``next`` cursor of the page before"),
    before: str | None = Query(default=None, description="the ``prev`` cursor of the page after"),
) -> dict[str, Any]:
    """Opening, vouchers, totals, closing (bank and cash) for ``2024-07``, ``2024-Q3`` or ``2024``;
    ``closed`` false means provisional. Custodians and auditors of the fund's organisation.
    The figures are the whole period's; the vouchers come ``limit`` at a time in journal order,
    ``next`` and ``prev`` (and their links) naming the pages after and before (ADR 0175)."""
    require_any(ledger, user, BOOK_ROLES, fund_owner(ledger, fund_id))
    fund = str(ledger.fund(fund_id).id)
    st = queries.statement(views, fund, period, limit=limit, after=after, before=before)

    def link(key: str, cursor: str | None) -> str | None:
        query = urlencode({"limit": limit, key: cursor})
        return f"/funds/{fund_id}/statements/{period}?{query}" if cursor else None

    return {
        "fund_id": st.fund["fund_id"],
        "name_zh": st.fund["name_zh"],
        "period": period,
        "start": st.start,
        "end": st.end,
        "opening": money(st.opening_fen),
        "income": money(st.income_fen),
        "expense": money(st.expense_fen),
        "closing": money(st.closing_fen),
        "cash": money(st.cash_fen),
        "bank": money(st.bank_fen),
        "closed": st.closed,
        "months_closed": st.months_closed,
        "rows": [_row(r) for r in st.rows],
        "row_count": st.row_count,
        "next": st.next_after,
        "next_link": link("after", st.next_after),
        "prev": st.prev_before,
        "prev_link": link("before", st.prev_before),
        "as_of_position": st.position,
    }
