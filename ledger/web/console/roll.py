"""The mutual-aid roll (互助会会员名册, ADR 0130) of one fund, read-only: each member's status
for a year (owed, paid, waived) with the vouchers that paid it, who is behind, and the counts
the public may see. Names are masked as on the internal board; enrolling, paying and waiving go
through the API or the CLI (``fundbook roll``)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ledger.api.deps import LedgerDep
from ledger.api.routers.common import BOOK_ROLES, fund_owner, require_any
from ledger.projections import roll
from ledger.web.console.aid_cases import masked_names
from ledger.web.console.pages import PREFIX, ConsoleRoute, current_views, page
from ledger.web.console.session import SessionDep

router = APIRouter(prefix=f"{PREFIX}/funds", route_class=ConsoleRoute, include_in_schema=False)


@router.get("/{fund_id}/roll", response_class=HTMLResponse)
def roll_page(
    request: Request,
    fund_id: str,
    session: SessionDep,
    ledger: LedgerDep,
    year: int | None = Query(default=None, ge=1949, le=2999),
) -> HTMLResponse:
    require_any(ledger, session.user, BOOK_ROLES, fund_owner(ledger, fund_id))
    fund = ledger.fund(fund_id)
    views = current_views(request)
    today = ledger.today()
    shown = year if year is not None else today.year
    rows = roll.statuses(views, str(fund.id), shown)
    late = roll.behind(views, str(fund.id), today)
    names = masked_names(views, sorted({r.person_id for r in (*rows, *late)}))
    return page(
        request,
        "roll.html",
        fund=fund,
        year=shown,
        rows=rows,
        behind=late,
        names=names,
        counts=roll.counts(views, str(fund.id), today),
    )
