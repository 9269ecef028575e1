"""Gifts in kind and the asset register (ADR 0140) of my organisations: each gift at its stated
value (goods, or a service its donor paid for directly) and each asset with what paid for it,
its keeper and its write-off, read from the views. Recording goes through the API or the CLI
(``fundbook assets …``); the domain's rules are the same there."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ledger.api.deps import LedgerDep
from ledger.api.routers.aid_cases import orgs_where
from ledger.api.routers.common import READ_ROLES, require_somewhere
from ledger.projections import asset_queries, queries
from ledger.web.console.aid_cases import masked_names
from ledger.web.console.pages import PREFIX, ConsoleRoute, current_views, lang_of, page
from ledger.web.console.session import SessionDep

router = APIRouter(prefix=f"{PREFIX}/assets", route_class=ConsoleRoute, include_in_schema=False)

# This page's own words (kept here, not in texts.py, while the console's texts are reworked).
WORDS = {
    "zh": {
        "title": "实物捐赠和资产",
        "hint": "实物捐赠按捐赠方所述价值登记，不是现金，不改变任何基金的现金或银行余额。",
        "gifts": "实物捐赠",
        "assets": "资产登记",
        "no": "编号",
        "org": "组织",
        "date": "日期",
        "donor": "捐赠方",
        "summary": "摘要",
        "kind_heading": "类别",
        "value": "价值",
        "name": "名称",
        "source": "来源",
        "keeper": "保管人",
        "written_off": "核销日期",
        "goods": "物品",
        "service": "服务（捐赠方直接支付）",
        "none": "暂无。",
        "in_use": "在用合计",
    },
    "en": {
        "title": "Gifts in kind and assets",
        "hint": "A gift in kind is recorded at its stated value: not cash, no fund's balance changes.",
        "gifts": "Gifts in kind",
        "assets": "Asset register",
        "no": "No.",
        "org": "Organisation",
        "date": "Date",
        "donor": "Donor",
        "summary": "Summary",
        "kind_heading": "Kind",
        "value": "Value",
        "name": "Name",
        "source": "Source",
        "keeper": "Keeper",
        "written_off": "Written off",
        "goods": "goods",
        "service": "service (paid by the donor)",
        "none": "None yet.",
        "in_use": "In use",
    },
}


@router.get("", response_class=HTMLResponse)
def assets_page(request: Request, session: SessionDep, ledger: LedgerDep) -> HTMLResponse:
    require_somewhere(session.user, READ_ROLES)
    views = current_views(request)
    orgs = orgs_where(ledger, views, session.user, READ_ROLES)
    tree = queries.tree_on(views, ledger.today())
    gifts = asset_queries.gifts_in_kind(views, orgs)
    assets = asset_queries.assets(views, orgs)
    funds = {b.fund_id: b.name_zh for b in queries.fund_balances(views)}
    return page(
        request,
        "assets.html",
        w=WORDS[lang_of(request)],
        gifts=gifts,
        assets=assets,
        orgs={org: tree.get(org, (org,))[0] for org in orgs},
        funds=funds,
        keepers=masked_names(views, sorted({a.keeper_person_id for a in assets})),
        in_use_fen=sum(a.value_fen for a in assets if a.in_use),
    )
