"""Collections (活动费, AA制, 集资) in the console: the list of my organisations' collections, one
collection's page (participants owed, paid, refunded; its vouchers; what settling would do, read
back in capital numerals), and the bookkeeper's forms: assess the fees, settle (多退少补: the
surplus refunded to the payers), close (R32). A fee payment is an entry of the fund
(``/console/funds/{fund}/record/fee``, entries.py).

A collection is a fund of kind ``collection``; the pages read the views (``v_fee``,
``v_collection_status``, the journal) and every write goes through ``Ledger.record`` with the
API's roles (bookkeeper to write, any reading role to read). Assessing and settling follow the
form → check (``dry_run``: every rule, nothing saved) → confirm steps; the form's one-time key
is the Ledger's ``request_id``, so a double submit records once."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ledger.api.deps import LedgerDep, fresh_views
from ledger.api.routers.aid_cases import orgs_where
from ledger.api.routers.common import BOOK_ROLES, READ_ROLES, fund_owner, require_any, require_somewhere
from ledger.application import Ledger, Recorded
from ledger.domain import errors
from ledger.domain.fund import REFUND_RULES
from ledger.domain.periods import period_of
from ledger.domain.user import User
from ledger.projections import queries
from ledger.projections.store import ViewStore
from ledger.web.console import collection_forms as forms
from ledger.web.console import people_picker
from ledger.web.console.aid_cases import masked_names
from ledger.web.console.entry_forms import check_then_record
from ledger.web.console.pages import (
    PREFIX,
    ConsoleRoute,
    after_write,
    current_views,
    may,
    page,
    refusal_status,
)
from ledger.web.console.session import FormDep, SessionDep

router = APIRouter(prefix=f"{PREFIX}/collections", route_class=ConsoleRoute, include_in_schema=False)
BOOKKEEPER = ("bookkeeper",)
VOUCHERS_MAX = 500  # a collection's vouchers shown on its page (a few per participant)


def _collection(ledger: Ledger, views: ViewStore, user: User, fund_id: str, roles: tuple[str, ...]) -> dict:
    """The fund's meta, once the user may act on it; a fund of another kind is refused."""
    require_any(ledger, user, roles, fund_owner(ledger, fund_id))
    meta = queries.fund_meta(views, fund_id)
    if meta["kind"] != "collection":
        raise errors.FundNotACollection()
    return meta


def _totals(views: ViewStore) -> dict[str, tuple[int, int, int, int, int]]:
    """fund_id → (participants, owed, paid, refunded, outstanding), every collection at once."""
    rows = views.fetch(
        "SELECT fund_id, COUNT(*), SUM(owed_fen), SUM(paid_fen), SUM(refunded_fen), "
        "SUM(CASE WHEN owed_fen > paid_fen THEN owed_fen - paid_fen ELSE 0 END) FROM v_fee GROUP BY fund_id"
    )
    return {str(r[0]): tuple(int(v) for v in r[1:]) for r in rows}


@router.get("", response_class=HTMLResponse)
def collection_list(request: Request, session: SessionDep, ledger: LedgerDep) -> HTMLResponse:
    """Every collection of the organisations I may read, with status and totals."""
    require_somewhere(session.user, READ_ROLES)
    views = current_views(request)
    orgs = set(orgs_where(ledger, views, session.user, READ_ROLES))
    tree = queries.tree_on(views, ledger.today())
    totals = _totals(views)
    rows = [
        {
            "fund": b,
            "org": tree.get(b.owner_org_id, (b.owner_org_id,))[0],
            "status": queries.collection_status(views, b.fund_id),
            "totals": totals.get(b.fund_id, (0, 0, 0, 0, 0)),
        }
        for b in queries.fund_balances(views)
        if b.kind == "collection" and b.owner_org_id in orgs
    ]
    return page(request, "collections.html", rows=rows)


def members(views: ViewStore, fund_id: str) -> list[dict[str, Any]]:
    """Each participant, masked (王*明), in assessment order: owed, paid, refunded, outstanding."""
    rows = queries.collection_members(views, fund_id)
    names = masked_names(views, [r.person_id for r in rows])
    return [
        {
            "person_id": r.person_id,
            "name": names.get(r.person_id, "—"),
            "owed_fen": r.owed_fen,
            "paid_fen": r.paid_fen,
            "refunded_fen": r.refunded_fen,
            "outstanding_fen": r.outstanding_fen,
        }
        for r in rows
    ]


def _collection_page(
    request: Request,
    ledger: Ledger,
    user: User,
    fund_id: str,
    views: ViewStore,
    *,
    replayed: bool = False,
) -> HTMLResponse:
    meta = _collection(ledger, views, user, fund_id, READ_ROLES)
    books = may(ledger, user, BOOK_ROLES, meta["owner_org_id"])  # the vouchers are the books
    state = queries.collection_status(views, fund_id)
    people = members(views, fund_id)
    preview = forms.settlement_preview(views, fund_id, "pro_rata") if state == "open" and people else None
    return page(
        request,
        "collection.html",
        fund=meta,
        state=state,
        balance=queries.fund_balance(views, fund_id),
        members=people,
        vouchers=queries.journal(views, fund_id, page_size=VOUCHERS_MAX).rows if books else [],
        books=books,
        this_month=period_of(ledger.today()),
        preview=preview,
        may_write=may(ledger, user, BOOKKEEPER, meta["owner_org_id"]),
        close_key=str(uuid.uuid4()),
        replayed=replayed,
    )


@router.get("/{fund_id}", response_class=HTMLResponse)
def collection_page(
    request: Request,
    fund_id: str,
    session: SessionDep,
    ledger: LedgerDep,
    position: int | None = None,
    replayed: int = 0,
) -> HTMLResponse:
    views = fresh_views(request, position) if position else current_views(request)
    return _collection_page(request, ledger, session.user, fund_id, views, replayed=bool(replayed))


def _done(request: Request, fund_id: str, recorded: Recorded) -> RedirectResponse:
    return after_write(request, f"{PREFIX}/collections/{fund_id}", recorded)


# --- assessing the fees --------------------------------------------------------------------------
def _assess_page(
    request: Request,
    fund_id: str,
    values: dict[str, str],
    problems: dict[str, errors.LedgerError],
    *,
    status: int = 200,
    read_back: dict[str, Any] | None = None,
) -> HTMLResponse:
    views = current_views(request)
    return page(
        request,
        "collection_assess.html",
        status=status,
        fund=queries.fund_meta(views, fund_id),
        people=people_picker.labelled(views, request.app.state.ledger.today()),
        ticked=set(forms.ticked(values)),
        values=values,
        problems=problems,
        read_back=read_back,
    )


@router.get("/{fund_id}/assess", response_class=HTMLResponse)
def assess_form(request: Request, fund_id: str, session: SessionDep, ledger: LedgerDep) -> Response:
    _collection(ledger, current_views(request), session.user, fund_id, BOOKKEEPER)
    return _assess_page(request, fund_id, {"request_id": str(uuid.uuid4()), "basis": "equal_split"}, {})


@router.post("/{fund_id}/assess", response_class=HTMLResponse)
def assess(request: Request, fund_id: str, session: SessionDep, form: FormDep, ledger: LedgerDep) -> Response:
    """step=check: every rule, nothing saved, owed per head and the total in capitals;
    step=confirm: assessed, then the collection's page."""
    views = current_views(request)
    _collection(ledger, views, session.user, fund_id, BOOKKEEPER)
    return check_then_record(
        form,
        read=forms.assessment_arguments,
        submit=lambda arguments, key, dry_run: forms.submit(
            ledger, fund_id, "assess_fees", arguments, session, key, dry_run
        ),
        show=lambda problems, checked: _assess_page(
            request,
            fund_id,
            form,
            problems,
            status=refusal_status(problems),
            read_back=None if checked is None else forms.assessment_read_back(views, checked),
        ),
        done=lambda recorded: _done(request, fund_id, recorded),
    )


# --- settling and closing ------------------------------------------------------------------------
def _settle_page(
    request: Request,
    fund_id: str,
    values: dict[str, str],
    problems: dict[str, errors.LedgerError],
    *,
    status: int = 200,
    confirm: bool = False,
) -> HTMLResponse:
    views = current_views(request)
    rule = values.get("rule") if values.get("rule") in REFUND_RULES else "pro_rata"
    return page(
        request,
        "collection_settle.html",
        status=status,
        fund=queries.fund_meta(views, fund_id),
        values=values,
        problems=problems,
        confirm=confirm,
        preview=forms.settlement_preview(views, fund_id, rule),
        rules=REFUND_RULES,
    )


@router.get("/{fund_id}/settle", response_class=HTMLResponse)
def settle_form(request: Request, fund_id: str, session: SessionDep, ledger: LedgerDep) -> Response:
    _collection(ledger, current_views(request), session.user, fund_id, BOOKKEEPER)
    values = {"occurred_on": ledger.today().isoformat(), "request_id": str(uuid.uuid4()), "rule": "pro_rata"}
    return _settle_page(request, fund_id, values, {})


@router.post("/{fund_id}/settle", response_class=HTMLResponse)
def settle(request: Request, fund_id: str, session: SessionDep, form: FormDep, ledger: LedgerDep) -> Response:
    """多退少补. step=check: every rule, nothing saved, each refund and the total in capitals;
    step=confirm: the refunds paid (one voucher each) and the collection settled."""
    _collection(ledger, current_views(request), session.user, fund_id, BOOKKEEPER)
    return check_then_record(
        form,
        read=forms.settlement_arguments,
        submit=lambda arguments, key, dry_run: forms.submit(
            ledger, fund_id, "settle_collection", arguments, session, key, dry_run
        ),
        show=lambda problems, checked: _settle_page(
            request, fund_id, form, problems, status=refusal_status(problems), confirm=checked is not None
        ),
        done=lambda recorded: _done(request, fund_id, recorded),
    )


@router.post("/{fund_id}/close", response_class=HTMLResponse)
def close(request: Request, fund_id: str, session: SessionDep, form: FormDep, ledger: LedgerDep) -> Response:
    """Close a settled collection (R32); no money moves. A refusal is a page with its code."""
    _collection(ledger, current_views(request), session.user, fund_id, BOOKKEEPER)
    recorded = ledger.record(
        fund_id, "close_collection", actor=str(session.user.id), request_id=form.get("request_id") or None
    )
    return _done(request, fund_id, recorded)
