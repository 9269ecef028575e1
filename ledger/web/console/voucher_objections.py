"""Objections to a voucher of a fund (群众异议, R36) in the console: the fund's list of them,
lodging one (anonymously: no identity is stored), and an approver's answer.

Who may is what the API says (``ledger/api/routers/aid_cases.py``, ``voucher_objections``):
anyone holding a reading role over the fund's organisation may object; an approver of that
organisation (or one above it), or of the organisation an overdue objection was escalated to
(ADR 0031), answers. The domain refuses the rest with its own codes (``voucher_not_found``,
``objection_already_answered``, ``objection_answerer_not_approver`` …), shown beside the field
with what was typed kept. The objection's text and the answer are private: recorded in the
events, never shown here, on the board or in the views. An upheld objection records the
finding; the correction is the bookkeeper's reversal of the voucher (R7).
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ledger.api.deps import LedgerDep, fresh_views
from ledger.api.routers.aid_cases import orgs_where
from ledger.api.routers.common import BOOK_ROLES, READ_ROLES, fund_owner, require_any
from ledger.application import Ledger
from ledger.domain import errors
from ledger.domain.aid_case import OBJECTION_OUTCOMES
from ledger.domain.user import User
from ledger.projections import queries
from ledger.projections.store import ViewStore
from ledger.web.console.entry_forms import FORM_ERROR
from ledger.web.console.pages import PREFIX, ConsoleRoute, after_write, current_views, may, page, roles_held
from ledger.web.console.session import FormDep, SessionDep

router = APIRouter(
    prefix=f"{PREFIX}/funds/{{fund_id}}/objections", route_class=ConsoleRoute, include_in_schema=False
)
FIELDS = {"object": ("voucher_no", "text"), "answer": ("outcome", "answer")}


def waiting_objections(ledger: Ledger, views: ViewStore, user: User) -> list[dict[str, Any]]:
    """For the home page: unanswered voucher objections this approver may answer (of funds of
    organisations they approve for, or escalated to one), oldest first, with the fund's name."""
    approvable = orgs_where(ledger, views, user, ("approver",))
    if not approvable:
        return []
    names = {f.fund_id: f.name_zh for f in queries.fund_balances(views)}
    return [
        {**row, "fund_name": names.get(row["fund_id"], row["fund_id"])}
        for row in queries.open_voucher_objections(views, approvable)
    ]


def _objections_page(
    request: Request,
    ledger: Ledger,
    user: User,
    fund_id: str,
    views: ViewStore,
    *,
    problems: dict[str, errors.LedgerError] | None = None,
    typed: tuple[str, dict[str, str]] | None = None,
    status: int = 200,
    replayed: bool = False,
) -> HTMLResponse:
    """The fund's objections (dates and outcomes only), the form to lodge one, and an answer
    form for each open one this user may answer. ``typed`` (form, fields) keeps what was typed
    where a refusal came from; ``problems`` are keyed ``<form>.<field>`` or ``_form``."""
    owner = fund_owner(ledger, fund_id)
    require_any(ledger, user, READ_ROLES, owner)
    rows = queries.voucher_objections(views, fund_id)
    held = roles_held(ledger, user, owner)  # one look at the organisation for the whole page
    approves = {owner: "approver" in held}

    def may_answer(row: dict[str, Any]) -> bool:
        """An approver of the fund's organisation, or of the one the objection went up to."""
        up = row["escalated_to_org_id"]
        if approves[owner] or not up:
            return approves[owner]
        if up not in approves:
            approves[up] = may(ledger, user, ("approver",), up)
        return approves[up]

    answerable = [row["objection_id"] for row in rows if row["outcome"] is None and may_answer(row)]
    values: dict[str, dict[str, str]] = {
        "object": {"request_id": str(uuid.uuid4()), "voucher_no": request.query_params.get("voucher_no", "")},
        "answer": {"request_id": str(uuid.uuid4())},
    }
    if typed is not None:
        values[typed[0]] = typed[1]
    return page(
        request,
        "voucher_objections.html",
        status=status,
        fund=queries.fund_meta(views, fund_id),
        objections=rows,
        answerable=answerable,
        read_vouchers=not held.isdisjoint(BOOK_ROLES),
        outcomes=OBJECTION_OUTCOMES,
        problems=problems or {},
        values=values,
        replayed=replayed,
    )


@router.get("", response_class=HTMLResponse)
def objections_page(
    request: Request,
    fund_id: str,
    session: SessionDep,
    ledger: LedgerDep,
    position: int | None = None,
    replayed: int = 0,
) -> HTMLResponse:
    views = fresh_views(request, position) if position else current_views(request)
    return _objections_page(request, ledger, session.user, fund_id, views, replayed=bool(replayed))


def _refused(
    request: Request,
    ledger: Ledger,
    user: User,
    fund_id: str,
    form_name: str,
    form: dict[str, str],
    error: errors.LedgerError,
) -> HTMLResponse:
    field = str(error.details.get("field", ""))
    if error.code == "voucher_not_found":
        field = "voucher_no"
    key = f"{form_name}.{field}" if field in FIELDS[form_name] else FORM_ERROR
    return _objections_page(
        request,
        ledger,
        user,
        fund_id,
        current_views(request),
        problems={key: error},
        typed=(form_name, form),
        status=error.status,
    )


@router.post("", response_class=HTMLResponse)
def lodge(request: Request, fund_id: str, session: SessionDep, form: FormDep, ledger: LedgerDep) -> Response:
    """Anyone holding a reading role over the fund objects to one of its vouchers."""
    require_any(ledger, session.user, READ_ROLES, fund_owner(ledger, fund_id))
    form.setdefault("request_id", str(uuid.uuid4()))
    try:
        recorded = ledger.raise_voucher_objection(
            fund_id,
            actor=str(session.user.id),
            voucher_no=form.get("voucher_no", "").strip(),
            text=form.get("text", ""),
            anonymous=form.get("anonymous") == "on",
            request_id=form["request_id"],
        )
    except errors.LedgerError as error:
        return _refused(request, ledger, session.user, fund_id, "object", form, error)
    return after_write(request, f"{PREFIX}/funds/{fund_id}/objections", recorded)


@router.post("/{objection_id}/answer", response_class=HTMLResponse)
def answer(
    request: Request, fund_id: str, objection_id: str, session: SessionDep, form: FormDep, ledger: LedgerDep
) -> Response:
    """An approver's answer: upheld, partly upheld or dismissed (the domain checks the role,
    for the fund's organisation or the one the objection was escalated to)."""
    objection = ledger.voucher_objection(objection_id)
    if objection.fund_id != str(ledger.fund(fund_id).id):
        raise errors.ObjectionNotFound(objection_no=objection_id)
    form.setdefault("request_id", str(uuid.uuid4()))
    form["objection_id"] = objection_id
    try:
        recorded = ledger.answer_voucher_objection(
            objection_id,
            actor=str(session.user.id),
            outcome=form.get("outcome", ""),
            answer=form.get("answer", ""),
            request_id=form["request_id"],
        )
    except errors.LedgerError as error:
        return _refused(request, ledger, session.user, fund_id, "answer", form, error)
    return after_write(request, f"{PREFIX}/funds/{fund_id}/objections", recorded)
