"""Income by kind (收入分类统计, issue 21 item 5), read-only: what each organisation the user
reads took in over a range of whole years, by kind, with the total; the same figures as
``GET /organisations/income`` and ``fundbook income`` (``ledger.projections.income``)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ledger.api.deps import LedgerDep
from ledger.api.routers.common import READ_ROLES, readable_orgs, require_somewhere
from ledger.projections import income, queries
from ledger.web.console import code_words
from ledger.web.console.pages import PREFIX, ConsoleRoute, current_views, lang_of, page
from ledger.web.console.session import SessionDep

router = APIRouter(prefix=PREFIX, route_class=ConsoleRoute, include_in_schema=False)
FIRST_YEAR_SHOWN = 2017  # the seeds quote income "2017年以来"; any range can be asked for


@router.get("/income", response_class=HTMLResponse)
def income_page(
    request: Request,
    session: SessionDep,
    ledger: LedgerDep,
    from_year: int | None = Query(default=None, ge=income.YEAR_MIN, le=income.YEAR_MAX),
    to_year: int | None = Query(default=None, ge=income.YEAR_MIN, le=income.YEAR_MAX),
) -> HTMLResponse:
    require_somewhere(session.user, READ_ROLES)
    views = current_views(request)
    last = to_year if to_year is not None else ledger.today().year
    first = from_year if from_year is not None else min(FIRST_YEAR_SHOWN, last)
    report = income.income_by_kind(views, from_year=first, to_year=last)
    readable = readable_orgs(views, session.user, READ_ROLES)
    names = {oid: name for oid, (name, _, _) in queries.tree_on(views, date(last, 12, 31)).items()}
    rows = sorted((r for oid, r in report.items() if oid in readable), key=lambda r: names.get(r.org_id, ""))
    kinds = [k for k in income.INCOME_KINDS if any(k in r.by_kind for r in rows)]
    lang = lang_of(request)
    return page(
        request,
        "income.html",
        first=first,
        last=last,
        rows=rows,
        names=names,
        kinds=kinds,
        kind_words={k: code_words.any_word(k, lang) for k in kinds},
        totals={k: sum(r.by_kind.get(k, 0) for r in rows) for k in kinds},
        grand_total=sum(r.total_fen for r in rows),
    )
