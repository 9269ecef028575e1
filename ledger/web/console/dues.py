"""The Party dues books (ADR 0160) of the branches I am an officer of: each branch's totals,
its payments beside their standard (members by their masked names), its hand-ups and its
rebates with their check, read from the views. Read-only: recording goes through the API or
the CLI (``fundbook dues …``); the domain's rules are the same there. A member's dues are
private, so the page needs a book role (``BOOK_ROLES``) of the branch or above."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ledger.api.deps import LedgerDep
from ledger.api.routers.aid_cases import orgs_where
from ledger.api.routers.common import BOOK_ROLES, require_somewhere
from ledger.projections import dues_queries, queries
from ledger.web.console.aid_cases import masked_names
from ledger.web.console.pages import PREFIX, ConsoleRoute, current_views, lang_of, page
from ledger.web.console.session import SessionDep

router = APIRouter(prefix=f"{PREFIX}/dues", route_class=ConsoleRoute, include_in_schema=False)

# This page's own words (kept here, not in texts.py, while the console's texts are reworked).
WORDS = {
    "zh": {
        "title": "党费收缴、上缴和返还",
        "hint": "党费是党组织的钱，不是任何基金的钱：支部收取后全额上缴，每次上缴后待缴余额为零。",
        "collected": "已收",
        "handed_up": "已上缴",
        "held": "待上缴",
        "rebates": "返还",
        "payments": "党费收缴",
        "handups": "上缴",
        "rebate_check": "返还核对",
        "no": "编号",
        "member": "党员",
        "months": "所交月份",
        "paid_on": "交纳日期",
        "amount": "实交",
        "standard": "应交（按基数）",
        "difference": "差额",
        "state": "状态",
        "held_state": "待上缴",
        "reversed": "已冲销",
        "to": "上缴至",
        "period": "期间",
        "received_on": "收到日期",
        "share": "返还比例",
        "expected": "按比例应返",
        "differs": "与比例不符",
        "none": "暂无。",
    },
    "en": {
        "title": "Party dues: collected, handed up, rebated",
        "hint": "Dues are the Party's money, not a fund's: collected, then handed up whole; "
        "nothing is held after a hand-up.",
        "collected": "Collected",
        "handed_up": "Handed up",
        "held": "Held",
        "rebates": "Rebates",
        "payments": "Dues paid",
        "handups": "Hand-ups",
        "rebate_check": "Rebate check",
        "no": "No.",
        "member": "Member",
        "months": "Months",
        "paid_on": "Paid on",
        "amount": "Paid",
        "standard": "Standard (by the base)",
        "difference": "Difference",
        "state": "State",
        "held_state": "held",
        "reversed": "reversed",
        "to": "To",
        "period": "Period",
        "received_on": "Received on",
        "share": "Share",
        "expected": "Expected",
        "differs": "differs from the share",
        "none": "None yet.",
    },
}


@router.get("", response_class=HTMLResponse)
def dues_page(request: Request, session: SessionDep, ledger: LedgerDep) -> HTMLResponse:
    require_somewhere(session.user, BOOK_ROLES)
    views = current_views(request)
    tree = queries.tree_on(views, ledger.today())
    books = []
    for org in orgs_where(ledger, views, session.user, BOOK_ROLES):
        payments = dues_queries.payments(views, org)
        rebates = dues_queries.rebates(views, org)
        if not payments and not rebates:
            continue
        books.append(
            {
                "org_id": org,
                "name": tree.get(org, (org,))[0],
                "totals": dues_queries.totals(views, org),
                "payments": payments,
                "handups": dues_queries.handups(views, org),
                "rebates": rebates,
            }
        )
    people = sorted({p.person_id for b in books for p in b["payments"]})
    orgs = {org: row[0] for org, row in tree.items()}
    return page(
        request,
        "dues.html",
        w=WORDS[lang_of(request)],
        books=books,
        names=masked_names(views, people),
        orgs=orgs,
    )
