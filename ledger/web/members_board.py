"""The public notice of an organisation's members' figures (the mutual-aid roll's counts and a
branch's dues totals), needing no token: ``/board/members/{org_id}``. Counts and sums only
(``ledger.exports.members_notice``). Included before the statement routes, like the asset
notice: ``/board/{fund_id}/{period}`` would take the path too."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ledger.api.deps import ViewsDep
from ledger.domain.money import format_amount
from ledger.exports import members_notice
from ledger.exports.html import environment, stylesheet

router = APIRouter(tags=["noticeboard"])


@router.get("/board/members/{org_id}", response_class=HTMLResponse, include_in_schema=False)
def members_notice_page(org_id: str, request: Request, views: ViewsDep) -> HTMLResponse:
    notice = members_notice.build(views, org_id, today=request.app.state.ledger.today())
    template = environment().get_template("members_notice.html")
    return HTMLResponse(template.render(n=notice, css=stylesheet(), money=format_amount))
