"""Closing a period (月末结账) in two steps: the preview (the statement, the vouchers being sealed
and who reviews it), then the close, which the server refuses unless the bookkeeper ticked that
she knows it cannot be undone (issue 19): months close in order and never reopen (R6)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ledger.api.deps import LedgerDep, fresh_views
from ledger.api.routers.common import READ_ROLES, fund_owner, require_any
from ledger.application import Ledger
from ledger.domain import errors
from ledger.domain.periods import next_period, period_of, periods_between
from ledger.exports import statement as board
from ledger.projections import queries
from ledger.projections.store import ViewStore
from ledger.web.console.pages import PREFIX, ConsoleRoute, current_views, page
from ledger.web.console.session import FormDep, SessionDep

router = APIRouter(prefix=PREFIX, route_class=ConsoleRoute, include_in_schema=False)
CONFIRMED = "yes"  # the value of the ticked box ``confirm_irreversible``
_ONE_DAY = timedelta(days=1)


def open_months(views: ViewStore, fund_id: str, today: date) -> list[str]:
    """Months of the fund not yet closed that have ended (before the current month)."""
    meta = queries.fund_meta(views, fund_id)
    closed = views.fetch("SELECT MAX(period) FROM v_period_close WHERE fund_id = ?", (fund_id,))[0][0]
    first = next_period(closed) if closed else meta["established_on"][:7]
    last = period_of(today.replace(day=1) - _ONE_DAY)
    return periods_between(first, last) if first <= last else []


def sealed_vouchers(
    views: ViewStore, fund_id: str, first: str, through: str
) -> tuple[list[dict[str, Any]], int]:
    """The vouchers a close through ``through`` seals (every open month from ``first``): one row
    per voucher number (a cash move's two lines are one voucher), and how many there are."""
    fund_no = queries.fund_meta(views, fund_id)["fund_no"]
    start, end = f"{first}-01", f"{through}-31"  # ISO days compare as text
    count = views.fetch(
        "SELECT COUNT(DISTINCT voucher_no) FROM v_journal WHERE fund_no = ? AND occurred_on >= ? "
        "AND occurred_on <= ?",
        (fund_no, start, end),
    )[0][0]
    rows = queries.journal(
        views, fund_id, period_from=first, period_to=through, page_size=queries.PAGE_SIZE_MAX
    ).rows
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        first_line = seen.setdefault(row["voucher_no"], {**row, "income_fen": 0, "expense_fen": 0})
        first_line["income_fen"] += row["income_fen"]
        first_line["expense_fen"] += row["expense_fen"]
    return list(seen.values()), int(count)


def _close_page(
    request: Request,
    ledger: Ledger,
    fund_id: str,
    period: str | None,
    problems: dict[str, errors.LedgerError],
    *,
    status: int = 200,
) -> HTMLResponse:
    views = current_views(request)
    months = open_months(views, fund_id, ledger.today())
    chosen = period if period in months else (months[0] if months else None)
    st = board.build(views, fund_id, chosen, audience=board.INTERNAL) if chosen else None
    vouchers, count = sealed_vouchers(views, fund_id, months[0], chosen) if chosen else ([], 0)
    return page(
        request,
        "close.html",
        status=status,
        fund=queries.fund_meta(views, fund_id),
        months=months,
        st=st,
        sealed_from=months[0] if months else None,
        vouchers=vouchers,
        voucher_count=count,
        request_id=str(uuid.uuid4()),
        capitals=st.capitals() if st else [],
        reviewers=ledger.reviewers(ledger.fund(fund_id), ledger.today()),  # who may sign 审核
        problems=problems,
    )


@router.get("/funds/{fund_id}/close", response_class=HTMLResponse)
def close_preview(
    request: Request, fund_id: str, session: SessionDep, ledger: LedgerDep, period: str | None = None
) -> HTMLResponse:
    """The statement of the month to close, the vouchers it seals, then the confirmation."""
    require_any(ledger, session.user, ("bookkeeper",), fund_owner(ledger, fund_id))
    return _close_page(request, ledger, fund_id, period, {})


@router.post("/funds/{fund_id}/close")
def close_period(
    request: Request, fund_id: str, session: SessionDep, form: FormDep, ledger: LedgerDep
) -> Response:
    require_any(ledger, session.user, ("bookkeeper",), fund_owner(ledger, fund_id))
    period = form.get("period", "")
    if form.get("confirm_irreversible") != CONFIRMED:
        refusal = errors.CloseNotConfirmed(period=period)
        return _close_page(
            request, ledger, fund_id, period, {"confirm_irreversible": refusal}, status=refusal.status
        )
    recorded = ledger.close_periods_through(
        fund_id,
        actor=str(session.user.id),
        period=period,
        reviewed_by=form.get("reviewed_by") or None,
        request_id=form.get("request_id"),
    )
    return RedirectResponse(
        f"{PREFIX}/funds/{fund_id}/closed/{period}?position={recorded.position or 0}", status_code=303
    )


@router.get("/funds/{fund_id}/closed/{period}", response_class=HTMLResponse)
def closed_page(
    request: Request,
    fund_id: str,
    period: str,
    session: SessionDep,
    ledger: LedgerDep,
    position: int | None = None,
) -> HTMLResponse:
    require_any(ledger, session.user, READ_ROLES, fund_owner(ledger, fund_id))
    views = fresh_views(request, position)
    st = board.build(views, fund_id, period, audience=board.INTERNAL)
    return page(request, "closed.html", fund=queries.fund_meta(views, fund_id), st=st, capitals=st.capitals())
