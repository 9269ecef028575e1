"""The public notice of gifts in kind and assets (ADR 0140), needing no token:

- ``/board/assets/{org_id}``: an organisation's gifts in kind (their own section, never a fund's
  income) and its asset register; ``.csv`` the same as a file;
- ``?fund_id=``: only what that fund's vouchers bought (a special fund's notice).

Included before the statement routes: ``/board/{fund_id}/{period}`` would take the path too."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from ledger.api.deps import ViewsDep
from ledger.domain.money import format_amount
from ledger.exports import asset_notice
from ledger.exports.html import environment, stylesheet

router = APIRouter(tags=["noticeboard"])
FundFilter = Query(default=None, description="only the assets this fund's vouchers bought")


@router.get("/board/assets/{org_id}.csv", include_in_schema=False)
def asset_notice_csv(
    org_id: str, request: Request, views: ViewsDep, fund_id: str | None = FundFilter
) -> Response:
    notice = asset_notice.build(views, org_id, fund_id=fund_id, today=request.app.state.ledger.today())
    headers = {"Content-Disposition": 'attachment; filename="assets.csv"'}
    return Response(asset_notice.to_csv(notice), media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/board/assets/{org_id}", response_class=HTMLResponse, include_in_schema=False)
def asset_notice_page(
    org_id: str, request: Request, views: ViewsDep, fund_id: str | None = FundFilter
) -> HTMLResponse:
    notice = asset_notice.build(views, org_id, fund_id=fund_id, today=request.app.state.ledger.today())
    page = (
        environment()
        .get_template("asset_notice.html")
        .render(
            n=notice,
            css=stylesheet(),
            kinds=asset_notice.KIND_LABELS,
            money=lambda fen: format_amount(fen),
        )
    )
    return HTMLResponse(page)
