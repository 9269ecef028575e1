"""Aid cases in the console (申请-审核-审批-公示-发放): the list of my organisations' cases, one
case's page, and an approver's signature. Applying and paying are in ``aid_forms``; objections,
rejecting and cancelling in ``aid_decisions``.

A case's page shows what ``GET /aid-cases/{id}`` shows, never the private reason. Who may sign
is the domain's rule (R21); the console shows the form only to an approver of the fund's
organisation (or one above it) and lets the Ledger refuse with its own code. Every form carries
the CSRF token and a one-time key that is the Ledger's ``request_id``."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ledger.api.deps import LedgerDep, fresh_views
from ledger.api.inputs import ConsolePage
from ledger.api.routers.aid_cases import orgs_where
from ledger.api.routers.common import BOOK_ROLES, READ_ROLES, require_any, require_somewhere
from ledger.application import Ledger, Recorded
from ledger.domain import errors
from ledger.domain.aid_case import OBJECTION_OUTCOMES, OPEN_STATUSES, AidCase
from ledger.domain.user import User
from ledger.exports.statement import capital
from ledger.projections import queries
from ledger.projections.store import ViewStore
from ledger.web.console.entry_forms import FORM_ERROR
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

router = APIRouter(prefix=f"{PREFIX}/aid-cases", route_class=ConsoleRoute, include_in_schema=False)
LIST_PAGE_SIZE = 50


def masked_names(views: ViewStore, person_ids: list[str]) -> dict[str, str]:
    """person_id → the masked name (王*明), as the noticeboard shows it."""
    if not person_ids:
        return {}
    marks = ", ".join("?" * len(person_ids))
    rows = views.fetch(
        f"SELECT person_id, display_mask FROM v_person WHERE person_id IN ({marks})", person_ids
    )
    return {str(pid): str(mask) for pid, mask in rows}


def described(views: ViewStore, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cases with their fund's name and masked people, for the pages."""
    funds = {f.fund_id: f.name_zh for f in queries.fund_balances(views)}
    people = sorted({p for r in rows for p in (r["beneficiary_person_id"], *r["signed_by"])})
    names = masked_names(views, people)
    return [
        {
            **row,
            "fund_name": funds.get(row["fund_id"], row["fund_id"]),
            "beneficiary": names.get(row["beneficiary_person_id"], "—"),
            "signers": [names.get(p, "—") for p in row["signed_by"]],
        }
        for row in rows
    ]


def waiting_cases(
    ledger: Ledger, views: ViewStore, user: User, today: date
) -> dict[str, list[dict[str, Any]]]:
    """For the home page: cases this user may sign now, cases with objections for this approver
    to answer (also those escalated to an organisation they approve for, R36: the row says
    已上报), and approved cases whose notice window has ended, for a cashier to pay (with
    their unanswered objections counted)."""
    to_sign: list[dict[str, Any]] = []
    to_answer: list[dict[str, Any]] = []
    approvable = orgs_where(ledger, views, user, ("approver",))
    if approvable and user.person_id is not None:
        to_sign = queries.aid_cases(
            views, org_ids=approvable, waiting_for_person=user.person_id, page_size=500
        ).rows
    if approvable:
        own = queries.aid_cases(views, org_ids=approvable, with_open_objections=True, page_size=500).rows
        escalated = queries.aid_cases(views, escalated_to=approvable, page_size=500).rows
        merged = {row["case_id"]: row for row in [*own, *escalated]}
        to_answer = sorted(merged.values(), key=lambda row: row["position"])
    payable = orgs_where(ledger, views, user, ("cashier",))
    to_pay = [
        row
        for row in (
            queries.aid_cases(views, status="approved", org_ids=payable, page_size=500).rows
            if payable
            else []
        )
        if row["window_end"] is not None and row["window_end"] < today.isoformat()
    ]
    return {
        "sign": described(views, to_sign),
        "answer": described(views, to_answer),
        "pay": described(views, to_pay),
    }


@router.get("", response_class=HTMLResponse)
def case_list(
    request: Request,
    session: SessionDep,
    ledger: LedgerDep,
    status: str | None = None,
    page_no: ConsolePage = 1,
) -> HTMLResponse:
    """The cases of every organisation I may read, oldest first."""
    require_somewhere(session.user, READ_ROLES)
    views = current_views(request)
    org_ids = orgs_where(ledger, views, session.user, READ_ROLES)
    result = queries.aid_cases(
        views, status=status or None, org_ids=org_ids, page=page_no, page_size=LIST_PAGE_SIZE
    )
    return page(
        request,
        "aid_cases.html",
        cases=described(views, result.rows),
        count=result.count,
        page_no=page_no,
        more=page_no * LIST_PAGE_SIZE < result.count,
        status_filter=status or "",
    )


def case_for(ledger: Ledger, user: User, case_id: str, role: str) -> AidCase:
    """The case, once ``user`` holds ``role`` for its organisation (or one above it)."""
    case = ledger.aid_case(case_id)
    require_any(ledger, user, (role,), case.owner_org_id)
    return case


CASE_FORMS = ("sign", "object", "answer", "reject", "cancel")


def _case_page(
    request: Request,
    ledger: Ledger,
    user: User,
    case_id: str,
    views: ViewStore,
    *,
    problems: dict[str, errors.LedgerError] | None = None,
    typed: tuple[str, dict[str, str]] | None = None,
    status: int = 200,
    replayed: bool = False,
) -> HTMLResponse:
    """The case, and the forms this user may send: sign, object, answer an objection, reject,
    cancel. Each form has its own one-time key; ``typed`` (form, fields) keeps what was typed
    in the form a refusal came from, and ``problems`` are keyed ``<form>.<field>`` (or
    ``_form`` for a refusal that names no field)."""
    case = ledger.aid_case(case_id)
    require_any(ledger, user, READ_ROLES, case.owner_org_id)
    row = described(views, [queries.aid_case(views, str(case.id))])[0]
    approver = may(ledger, user, ("approver",), case.owner_org_id)
    party = user.person_id in (row["beneficiary_person_id"], row["applicant_person_id"])
    open_now = row["status"] in OPEN_STATUSES
    allowed = {
        "sign": row["status"] == "applied"
        and approver
        and not party
        and user.person_id not in row["signed_by"],
        "object": open_now,
        "answer": bool(case.open_objections)
        and (approver or any(may(ledger, user, ("approver",), o) for o in _escalated_to(case))),
        "reject": row["status"] == "applied" and approver and not party,
        "cancel": open_now and approver,
        "pay": may(ledger, user, ("cashier",), case.owner_org_id) and row["status"] == "approved",
        "read_voucher": may(ledger, user, BOOK_ROLES, case.owner_org_id),
    }
    values = {form: {"request_id": str(uuid.uuid4())} for form in CASE_FORMS}
    if typed is not None:
        values[typed[0]] = typed[1]
    return page(
        request,
        "aid_case.html",
        status=status,
        case=row,
        capital=capital(row["requested_fen"]),
        may=allowed,
        open_objections=case.open_objections,
        escalated_objections=case.escalated_objections,
        outcomes=OBJECTION_OUTCOMES,
        problems=problems or {},
        values=values,
        replayed=replayed,
    )


def _escalated_to(case: AidCase) -> set[str]:
    return {case.objections[no]["escalated_to"] for no in case.escalated_objections}


@router.get("/{case_id}", response_class=HTMLResponse)
def case_page(
    request: Request,
    case_id: str,
    session: SessionDep,
    ledger: LedgerDep,
    position: int | None = None,
    replayed: int = 0,
) -> HTMLResponse:
    views = fresh_views(request, position) if position else current_views(request)
    return _case_page(request, ledger, session.user, case_id, views, replayed=bool(replayed))


@router.post("/{case_id}/sign", response_class=HTMLResponse)
def sign(request: Request, case_id: str, session: SessionDep, form: FormDep, ledger: LedgerDep) -> Response:
    """An approver's signature; a refusal shows on the case page with its code."""
    case_for(ledger, session.user, case_id, "approver")
    form.setdefault("request_id", str(uuid.uuid4()))
    decision_ref = form.get("decision_ref", "").strip() or None
    try:
        recorded = ledger.sign_aid_case(
            case_id, actor=str(session.user.id), request_id=form["request_id"], decision_ref=decision_ref
        )
    except errors.LedgerError as error:
        field = "sign.decision_ref" if error.code == "aid_decision_reference_required" else FORM_ERROR
        return refused_on_case_page(request, ledger, session.user, case_id, ("sign", form), {field: error})
    return back_to_case(request, case_id, recorded)


def refused_on_case_page(
    request: Request,
    ledger: Ledger,
    user: User,
    case_id: str,
    typed: tuple[str, dict[str, str]],
    problems: dict[str, errors.LedgerError],
) -> HTMLResponse:
    """The case page again, with the refusal's code beside its field and what was typed kept."""
    views = current_views(request)
    status = refusal_status(problems)
    return _case_page(request, ledger, user, case_id, views, problems=problems, typed=typed, status=status)


def back_to_case(request: Request, case_id: str, recorded: Recorded) -> RedirectResponse:
    """After a recorded form: the case page once the views reached the write (a replayed
    one-time key says so)."""
    return after_write(request, f"{PREFIX}/aid-cases/{case_id}", recorded)
