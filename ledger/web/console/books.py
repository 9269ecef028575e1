"""Home (my organisations, funds and what waits for me), members, and the
auditor's view (journal, balances as of a date). Everything read here comes from the views."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ledger.api.deps import LedgerDep
from ledger.api.inputs import ConsolePage
from ledger.api.routers.audit import require_auditor_of_everything
from ledger.api.routers.common import (
    BOOK_ROLES,
    PERSON_ROLES,
    READ_ROLES,
    fund_owner,
    readable_orgs,
    require_any,
    require_may_see_person,
    require_somewhere,
)
from ledger.domain import errors
from ledger.domain.periods import period_of
from ledger.domain.scope import person_scope
from ledger.domain.user import User
from ledger.projections import queries
from ledger.projections.store import ViewStore
from ledger.web.console.aid_cases import waiting_cases
from ledger.web.console.closing import open_months
from ledger.web.console.entry_forms import read_date
from ledger.web.console.pages import PREFIX, ConsoleRoute, current_views, may, page
from ledger.web.console.session import SessionDep
from ledger.web.console.voucher_objections import waiting_objections

router = APIRouter(prefix=PREFIX, route_class=ConsoleRoute, include_in_schema=False)
JOURNAL_PAGE_SIZE = 50
_ONE_DAY = timedelta(days=1)


def my_funds(views: ViewStore, user: User, today: date) -> dict[str, list[queries.FundBalance]]:
    """org_id → funds (with balances) of each organisation under one of the user's roles."""
    tree = queries.tree_on(views, today)
    children: dict[str | None, list[str]] = {}
    for org_id, (_, _, parent) in tree.items():
        children.setdefault(parent, []).append(org_id)
    mine: list[str] = []
    todo = [g["org_id"] for g in user.grants]
    while todo:
        org_id = todo.pop(0)
        if org_id in tree and org_id not in mine:
            mine.append(org_id)
            todo.extend(children.get(org_id, []))
    funds: dict[str, list[queries.FundBalance]] = {org_id: [] for org_id in mine}
    for balance in queries.fund_balances(views):
        if balance.owner_org_id in funds:
            funds[balance.owner_org_id].append(balance)
    return funds


@router.get("", response_class=HTMLResponse)
def home(request: Request, session: SessionDep, ledger: LedgerDep) -> HTMLResponse:
    views = current_views(request)
    today = ledger.today()
    tree = queries.tree_on(views, today)
    funds = my_funds(views, session.user, today)
    waiting = [
        {"fund": balance, "periods": months}
        for balances in funds.values()
        for balance in balances
        if may(ledger, session.user, ("bookkeeper",), balance.owner_org_id)
        and (months := open_months(views, balance.fund_id, today))
    ]
    orgs = [{"org_id": oid, "name": tree[oid][0], "funds": funds[oid]} for oid in funds]
    aid = waiting_cases(ledger, views, session.user, today)
    stipends = [  # office holders with unpaid months, for the bookkeeper who pays them
        row
        for row in queries.stipend_schedule(views, through=period_of(today))
        if row.months_unpaid
        and row.org_id in funds
        and may(ledger, session.user, ("bookkeeper",), row.org_id)
    ]
    return page(
        request,
        "home.html",
        orgs=orgs,
        waiting=waiting,
        tree=tree,
        aid=aid,
        stipends_unpaid=stipends,
        objections=waiting_objections(ledger, views, session.user),
        branch_warnings=queries.branch_warnings(views, today, org_ids=funds.keys()),  # R31
    )


@router.get("/people", response_class=HTMLResponse)
def people_page(request: Request, session: SessionDep) -> HTMLResponse:
    """Everyone for an auditor or bookkeeper (who may open anyone's page); anyone else just
    themselves (``require_may_see_person``)."""
    require_somewhere(session.user, READ_ROLES)
    views = current_views(request)
    if _sees_everyone(session.user):
        people = _people_in_scope(views, session.user)
    else:
        people = views.fetch(
            "SELECT person_id, name_zh FROM v_person WHERE person_id = ?", (session.user.person_id,)
        )
    return page(request, "people.html", people=people)


def _people_in_scope(views: ViewStore, user: User) -> list[tuple[str, str]]:
    """The people whose page the user may open: those who ever belonged to a branch of the
    user's subtree (and, for a reader at a root, those in no branch), and the user."""
    readable = readable_orgs(views, user, PERSON_ROLES)
    roots = {org for org, (_, _, parent) in queries.tree_on(views, date.max).items() if parent is None}
    branches: dict[tuple[str, str], set[str]] = {}
    for person_id, name, org_id in views.fetch(
        "SELECT p.person_id, p.name_zh, m.org_id FROM v_person p "
        "LEFT JOIN v_membership m ON m.person_id = p.person_id ORDER BY p.name_zh, p.person_id"
    ):
        branches.setdefault((person_id, name), set()).update([org_id] if org_id else [])
    return [
        (person_id, name)
        for (person_id, name), orgs in branches.items()
        if person_scope(user, person_id, orgs, readable, roots) is not None
    ]


def _sees_everyone(user: User) -> bool:
    try:
        require_somewhere(user, PERSON_ROLES)
    except errors.RoleRequired:
        return False
    return True


@router.get("/people/{person_id}", response_class=HTMLResponse)
def person_page(request: Request, person_id: str, session: SessionDep, ledger: LedgerDep) -> HTMLResponse:
    """A member's totals by branch (at each entry's date) and every entry naming them: their
    own, or anyone's for an auditor or bookkeeper (as ``GET /members/{person_id}``). A voucher
    is a link only where the user reads that fund's books."""
    views = current_views(request)
    found = views.fetch("SELECT person_id, name_zh FROM v_person WHERE person_id = ?", (person_id,))
    if not found:
        raise errors.PersonNotFound(person_id=person_id)
    scope = require_may_see_person(views, session.user, found[0][0])
    person = {"id": found[0][0], "name_zh": found[0][1]}
    tree = queries.tree_on(views, ledger.today())
    history = views.fetch(
        "SELECT f.fund_id, f.name_zh, j.voucher_no, j.occurred_on, j.entry_kind, j.income_fen, "
        "j.expense_fen, j.person_role, f.owner_org_id FROM v_journal j "
        "JOIN v_fund f ON f.position = j.fund_no WHERE j.person_id = ? ORDER BY j.occurred_on, j.position",
        (person["id"],),
    )
    owners = {row[0]: row[8] for row in history}
    return page(
        request,
        "person.html",
        person=person,
        totals=[t for t in queries.member_totals(views, person["id"]) if scope.shows(t.branch_org_id)],
        history=[row for row in history if scope.branches is None or row[8] in scope.branches],
        books={fid for fid, org in owners.items() if may(ledger, session.user, BOOK_ROLES, org)},
        tree=tree,
    )


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request, session: SessionDep, ledger: LedgerDep, as_of: str | None = None
) -> HTMLResponse:
    """Balances of my funds as of a business date (today if none)."""
    require_somewhere(session.user, READ_ROLES)
    views = current_views(request)
    day = read_date(as_of) if as_of else ledger.today()
    mine = {b.fund_id for funds in my_funds(views, session.user, ledger.today()).values() for b in funds}
    balances = [b for b in queries.fund_balances(views, as_of=day) if b.fund_id in mine]
    may_verify = _auditor_of_everything(ledger, views, session.user)
    books = {b.fund_id for b in balances if may(ledger, session.user, BOOK_ROLES, b.owner_org_id)}
    return page(
        request, "audit.html", balances=balances, as_of=day.isoformat(), may_verify=may_verify, books=books
    )


def _auditor_of_everything(ledger: LedgerDep, views: ViewStore, user: User) -> bool:
    try:
        require_auditor_of_everything(ledger, views, user)
    except errors.RoleRequired:
        return False
    return True


@router.get("/audit/{fund_id}/journal", response_class=HTMLResponse)
def journal_page(
    request: Request, fund_id: str, session: SessionDep, ledger: LedgerDep, page_no: ConsolePage = 1
) -> HTMLResponse:
    """The books of one fund: custodians and auditors only (``BOOK_ROLES``)."""
    require_any(ledger, session.user, BOOK_ROLES, fund_owner(ledger, fund_id))
    views = current_views(request)
    journal = queries.journal(views, fund_id, page=page_no, page_size=JOURNAL_PAGE_SIZE)
    more: dict[str, Any] = {"next": page_no + 1 if page_no * JOURNAL_PAGE_SIZE < journal.count else None}
    return page(request, "journal.html", fund=queries.fund_meta(views, fund_id), journal=journal, **more)


@router.get("/{rest:path}", response_class=HTMLResponse)
def not_found(request: Request, rest: str, session: SessionDep) -> Response:
    """``/console/`` is home; anything else unknown is the 404 page."""
    if not rest:
        return RedirectResponse(PREFIX, status_code=303)
    raise errors.NotFound()
