"""Aid cases in the console (申请-审核-审批-公示-发放): the list of my organisations' cases, one
case's page, an approver's signature, and the cashier's payment in three steps (the form, the
check with the amount read back in capital numerals, the confirmed post).

A case's page shows what ``GET /aid-cases/{id}`` shows, never the private reason. Who may sign
is the domain's rule (R21); the console shows the form only to an approver of the fund's
organisation (or one above it) and lets the Ledger refuse with its own code. Paying needs the
cashier role; the domain refuses before the window ends or with an objection unanswered
(``aid_notice_window_open``, ``aid_objection_unanswered``), and the refusal shows on the form.
Every form carries the CSRF token and a one-time key that is the Ledger's ``request_id``."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ledger.api.deps import LedgerDep, fresh_views
from ledger.api.routers.aid_cases import orgs_where
from ledger.api.routers.common import READ_ROLES, fund_owner, require_any, require_somewhere
from ledger.application import Ledger, Recorded
from ledger.domain import errors
from ledger.domain.aid_case import AID_KINDS, OBJECTION_OUTCOMES, OPEN_STATUSES
from ledger.domain.user import User
from ledger.exports.statement import capital
from ledger.money import parse_amount
from ledger.projections import queries
from ledger.projections.store import ViewStore
from ledger.web.console.entry_forms import FORM_ERROR, read_date
from ledger.web.console.pages import PREFIX, ConsoleRoute, current_views, page
from ledger.web.console.session import FormDep, SessionDep

router = APIRouter(prefix=f"{PREFIX}/aid-cases", route_class=ConsoleRoute, include_in_schema=False)
LIST_PAGE_SIZE = 50
PAY_FIELDS = ("paid_on", "account", "doc_refs", "witnessed_by", "memo")


def masked_names(views: ViewStore, person_ids: list[str]) -> dict[str, str]:
    """person_id → the masked name (王*明), as the noticeboard shows it."""
    if not person_ids:
        return {}
    marks = ", ".join("?" * len(person_ids))
    rows = views.fetch(
        f"SELECT person_id, display_mask FROM v_person WHERE person_id IN ({marks})", person_ids
    )
    return {str(pid): str(mask) for pid, mask in rows}


def _described(views: ViewStore, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
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
    to answer, and approved cases whose notice window has ended, for a cashier to pay (with
    their unanswered objections counted)."""
    to_sign: list[dict[str, Any]] = []
    to_answer: list[dict[str, Any]] = []
    approvable = orgs_where(ledger, views, user, ("approver",))
    if approvable and user.person_id is not None:
        to_sign = queries.aid_cases(
            views, org_ids=approvable, waiting_for_person=user.person_id, page_size=500
        ).rows
    if approvable:
        to_answer = queries.aid_cases(
            views, org_ids=approvable, with_open_objections=True, page_size=500
        ).rows
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
        "sign": _described(views, to_sign),
        "answer": _described(views, to_answer),
        "pay": _described(views, to_pay),
    }


@router.get("", response_class=HTMLResponse)
def case_list(
    request: Request, session: SessionDep, ledger: LedgerDep, status: str | None = None, page_no: int = 1
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
        cases=_described(views, result.rows),
        count=result.count,
        page_no=page_no,
        more=page_no * LIST_PAGE_SIZE < result.count,
        status_filter=status or "",
    )


def holds_role(ledger: Ledger, user: User, role: str, org_id: str) -> bool:
    try:
        require_any(ledger, user, (role,), org_id)
    except errors.RoleRequired:
        return False
    return True


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
    row = _described(views, [queries.aid_case(views, str(case.id))])[0]
    approver = holds_role(ledger, user, "approver", case.owner_org_id)
    party = user.person_id in (row["beneficiary_person_id"], row["applicant_person_id"])
    open_now = row["status"] in OPEN_STATUSES
    may = {
        "sign": row["status"] == "applied"
        and approver
        and not party
        and user.person_id not in row["signed_by"],
        "object": open_now,
        "answer": approver and bool(case.open_objections),
        "reject": row["status"] == "applied" and approver and not party,
        "cancel": open_now and approver,
        "pay": holds_role(ledger, user, "cashier", case.owner_org_id) and row["status"] == "approved",
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
        may=may,
        open_objections=case.open_objections,
        outcomes=OBJECTION_OUTCOMES,
        problems=problems or {},
        values=values,
        replayed=replayed,
    )


# --- applying ------------------------------------------------------------------------------------
APPLY_ROLES = ("bookkeeper", "approver", "member")
APPLY_FIELDS = (
    "fund_id",
    "beneficiary_person_id",
    "applicant_person_id",
    "aid_kind",
    "requested",
    "reason_private",
    "reason_public_category",
    "evidence_refs",
)


def _apply_page(
    request: Request,
    ledger: Ledger,
    user: User,
    values: dict[str, str],
    problems: dict[str, errors.LedgerError],
    *,
    status: int = 200,
    confirm: bool = False,
    amount_fen: int | None = None,
) -> HTMLResponse:
    views = current_views(request)
    orgs = set(orgs_where(ledger, views, user, APPLY_ROLES))
    funds = [(f.fund_id, f.name_zh) for f in queries.fund_balances(views) if f.owner_org_id in orgs]
    people = views.fetch("SELECT person_id, name_zh FROM v_person ORDER BY name_zh")
    chosen = dict(funds).get(values.get("fund_id", ""), "")
    masks = masked_names(views, [values.get("beneficiary_person_id", "")])
    return page(
        request,
        "aid_apply.html",
        status=status,
        funds=funds,
        people=people,
        kinds=AID_KINDS,
        values=values,
        problems=problems,
        confirm=confirm,
        fund_name=chosen,
        beneficiary=masks.get(values.get("beneficiary_person_id", ""), "—"),
        amount_fen=amount_fen,
        capital=capital(amount_fen) if amount_fen is not None else "",
    )


@router.get("/new", response_class=HTMLResponse)
def apply_form(request: Request, session: SessionDep, ledger: LedgerDep) -> Response:
    require_somewhere(session.user, APPLY_ROLES)
    values = {"request_id": str(uuid.uuid4())}
    return _apply_page(request, ledger, session.user, values, {})


def _apply_arguments(form: dict[str, str]) -> tuple[dict[str, Any], dict[str, errors.LedgerError]]:
    arguments: dict[str, Any] = {
        name: form.get(name, "").strip()
        for name in APPLY_FIELDS
        if name not in ("requested", "evidence_refs")
    }
    arguments["evidence_refs"] = _list(form.get("evidence_refs", ""))
    arguments["publicity_consent"] = form.get("publicity_consent") == "on"
    problems: dict[str, errors.LedgerError] = {
        name: errors.TextRequired(field=name)
        for name in APPLY_FIELDS
        if not form.get(name, "").strip() and name != "requested"
    }
    try:
        arguments["requested_fen"] = parse_amount(form.get("requested", "").strip())
    except errors.LedgerError as error:
        problems["requested"] = error
    return arguments, problems


def _apply_field(error: errors.LedgerError) -> str:
    name = str(error.details.get("field", ""))
    name = {"requested_fen": "requested", "amount_fen": "requested"}.get(name, name)
    if error.code.startswith("amount_"):
        name = "requested"
    if error.code == "person_not_found":
        name = "beneficiary_person_id"
    if error.code == "fund_not_found":
        name = "fund_id"
    return name if name in APPLY_FIELDS else FORM_ERROR


@router.post("/new", response_class=HTMLResponse)
def apply(request: Request, session: SessionDep, form: FormDep, ledger: LedgerDep) -> Response:
    """申请: step=check (every rule, nothing saved, the amount read back in capitals);
    step=confirm: recorded, then the case's page."""
    require_somewhere(session.user, APPLY_ROLES)
    form.setdefault("request_id", str(uuid.uuid4()))
    if form.get("step") == "edit":
        return _apply_page(request, ledger, session.user, form, {})
    confirm = form.get("step") == "confirm"
    arguments, problems = _apply_arguments(form)
    if not problems:
        try:
            require_any(ledger, session.user, APPLY_ROLES, fund_owner(ledger, arguments["fund_id"]))
        except errors.LedgerError as error:
            problems = {"fund_id": error}
    recorded = None
    if not problems:
        try:
            recorded = ledger.apply_for_aid(
                actor=str(session.user.id), request_id=form["request_id"], dry_run=not confirm, **arguments
            )
        except errors.LedgerError as error:
            problems = {_apply_field(error): error}
    if problems or not confirm:
        status = max(e.status for e in problems.values()) if problems else 200
        amount = None if problems else arguments["requested_fen"]
        return _apply_page(
            request,
            ledger,
            session.user,
            form,
            problems,
            status=status,
            confirm=not problems,
            amount_fen=amount,
        )
    assert recorded is not None
    request.app.state.follower.poke()
    replayed = "&replayed=1" if recorded.replayed else ""
    return RedirectResponse(
        f"{PREFIX}/aid-cases/{recorded['case_id']}?position={recorded.position or 0}{replayed}", 303
    )


def _list(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,，、;；]+", text) if part.strip()]


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
    case = ledger.aid_case(case_id)
    require_any(ledger, session.user, ("approver",), case.owner_org_id)
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
    status = max(e.status for e in problems.values())
    views = current_views(request)
    return _case_page(request, ledger, user, case_id, views, problems=problems, typed=typed, status=status)


def back_to_case(request: Request, case_id: str, recorded: Recorded) -> RedirectResponse:
    """After a recorded form: the case page once the views reached the write (a replayed
    one-time key says so)."""
    request.app.state.follower.poke()
    replayed = "&replayed=1" if recorded.replayed else ""
    return RedirectResponse(f"{PREFIX}/aid-cases/{case_id}?position={recorded.position or 0}{replayed}", 303)


# --- payment -------------------------------------------------------------------------------------
def _pay_page(
    request: Request,
    case_id: str,
    values: dict[str, str],
    problems: dict[str, errors.LedgerError],
    *,
    status: int = 200,
    confirm: bool = False,
) -> HTMLResponse:
    views = current_views(request)
    row = _described(views, [queries.aid_case(views, case_id)])[0]
    return page(
        request,
        "aid_pay.html",
        status=status,
        case=row,
        values=values,
        problems=problems,
        confirm=confirm,
        capital=capital(row["requested_fen"]),
    )


@router.get("/{case_id}/pay", response_class=HTMLResponse)
def pay_form(request: Request, case_id: str, session: SessionDep, ledger: LedgerDep) -> Response:
    case = ledger.aid_case(case_id)
    require_any(ledger, session.user, ("cashier",), case.owner_org_id)
    values = {"paid_on": ledger.today().isoformat(), "request_id": str(uuid.uuid4())}
    return _pay_page(request, str(case.id), values, {})


def _pay_arguments(form: dict[str, str]) -> tuple[dict[str, Any], dict[str, errors.LedgerError]]:
    arguments: dict[str, Any] = {
        "account": form.get("account", "").strip() or None,
        "doc_refs": _list(form.get("doc_refs", "")),
        "witnessed_by": form.get("witnessed_by", "").strip() or None,
        "memo": form.get("memo", "").strip() or None,
    }
    problems: dict[str, errors.LedgerError] = {}
    day = form.get("paid_on", "").strip()
    try:
        arguments["paid_on"] = read_date(day)
    except errors.DateInvalid:
        problems["paid_on"] = errors.DateInvalid(field="paid_on", value=day)
    if not arguments["doc_refs"]:
        problems["doc_refs"] = errors.TextRequired(field="doc_refs")
    return arguments, problems


def _pay_field(error: errors.LedgerError) -> str:
    name = str(error.details.get("field", ""))
    if error.code == "aid_notice_window_open":
        return "paid_on"
    return name if name in PAY_FIELDS else FORM_ERROR


@router.post("/{case_id}/pay", response_class=HTMLResponse)
def pay(request: Request, case_id: str, session: SessionDep, form: FormDep, ledger: LedgerDep) -> Response:
    """step=check: every rule checked, nothing saved, the amount read back in capitals;
    step=confirm: paid (fund ``AidPaid`` and case ``Paid`` together)."""
    case = ledger.aid_case(case_id)
    require_any(ledger, session.user, ("cashier",), case.owner_org_id)
    form.setdefault("request_id", str(uuid.uuid4()))
    confirm = form.get("step") == "confirm"
    if form.get("step") == "edit":
        return _pay_page(request, str(case.id), form, {})
    arguments, problems = _pay_arguments(form)
    recorded = None
    if not problems:
        try:
            recorded = ledger.pay_aid_case(
                str(case.id),
                actor=str(session.user.id),
                request_id=form["request_id"],
                dry_run=not confirm,
                **arguments,
            )
        except errors.LedgerError as error:
            problems = {_pay_field(error): error}
    if problems or not confirm:
        status = max(e.status for e in problems.values()) if problems else 200
        return _pay_page(request, str(case.id), form, problems, status=status, confirm=not problems)
    assert recorded is not None
    return back_to_case(request, str(case.id), recorded)
