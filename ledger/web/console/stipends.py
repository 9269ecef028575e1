"""Stipends due (工作补贴): for every office holder with stipend terms in my organisations, the
months due through a month (this one by default), which are paid, which not and what they come
to — what ``GET /organisations/{org}/stipends/due`` and ``fundbook stipends-due`` show.

A bookkeeper of the paying fund gets a link to the existing stipend entry form
(``/console/funds/{fund}/record/stipend``) filled with the person, the office, the unpaid
months and their amount; the form's check step and the domain's rules (R12, the terms, a month
paid once) do the rest."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ledger.api.deps import LedgerDep
from ledger.api.routers.aid_cases import orgs_where
from ledger.api.routers.common import READ_ROLES, require_somewhere
from ledger.domain.money import format_amount
from ledger.domain.periods import period_of
from ledger.exports.statement import capital
from ledger.projections import queries
from ledger.web.console.aid_cases import masked_names
from ledger.web.console.pages import PREFIX, ConsoleRoute, current_views, may, page
from ledger.web.console.session import SessionDep

router = APIRouter(prefix=f"{PREFIX}/stipends", route_class=ConsoleRoute, include_in_schema=False)


def record_link(row: queries.StipendDue) -> str:
    """The stipend form of the paying fund, filled with the unpaid months and their amount."""
    filled = {
        "person_id": row.person_id,
        "role": row.role,
        "months": ", ".join(row.months_unpaid),
        "amount": format_amount(row.unpaid_fen),
    }
    return f"{PREFIX}/funds/{row.fund_id}/record/stipend?{urlencode(filled)}"


@router.get("", response_class=HTMLResponse)
def stipends_due(
    request: Request, session: SessionDep, ledger: LedgerDep, through: str | None = None
) -> HTMLResponse:
    require_somewhere(session.user, READ_ROLES)
    views = current_views(request)
    month = (through or "").strip() or period_of(ledger.today())
    orgs = set(orgs_where(ledger, views, session.user, READ_ROLES))
    schedule = [r for r in queries.stipend_schedule(views, through=month) if r.org_id in orgs]
    tree = queries.tree_on(views, ledger.today())
    funds = {b.fund_id: b.name_zh for b in queries.fund_balances(views)}
    names = masked_names(views, sorted({r.person_id for r in schedule}))
    rows: list[dict[str, Any]] = [
        {
            "row": r,
            "org": tree.get(r.org_id, (r.org_id,))[0],
            "name": names.get(r.person_id, "—"),
            "fund": funds.get(r.fund_id, r.fund_id),
            "capital": capital(r.unpaid_fen),
            "link": record_link(r)
            if r.months_unpaid and may(ledger, session.user, ("bookkeeper",), r.org_id)
            else None,
        }
        for r in schedule
    ]
    total = sum(r.unpaid_fen for r in schedule)
    return page(
        request, "stipends.html", rows=rows, through=month, total_fen=total, total_capital=capital(total)
    )
