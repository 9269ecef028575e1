"""The two money forms of an aid case, each in three steps (the form, the check with the amount
read back in capital numerals, the confirmed post; ``entry_forms.check_then_record``): applying
(申请, ``/console/aid-cases/new``) and the cashier's payment of an approved case (发放,
``/console/aid-cases/{case}/pay``).

Applying needs the bookkeeper, approver or member role for the fund's organisation. Paying needs
the cashier role; the domain refuses before the window ends or with an objection unanswered
(``aid_notice_window_open``, ``aid_objection_unanswered``), and the refusal shows on the form
beside its field. Every form carries the CSRF token and a one-time key that is the Ledger's
``request_id``: a double submit records once."""

from __future__ import annotations

import re
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ledger.api.deps import LedgerDep
from ledger.api.routers.aid_cases import orgs_where
from ledger.api.routers.common import fund_owner, require_any, require_somewhere
from ledger.application import Ledger, Recorded
from ledger.domain import errors
from ledger.domain.aid_case import AID_KINDS
from ledger.domain.money import parse_typed_amount
from ledger.domain.user import User
from ledger.exports.statement import capital
from ledger.projections import queries
from ledger.web.console import people_picker
from ledger.web.console.aid_cases import back_to_case, case_for, described, masked_names
from ledger.web.console.entry_forms import FORM_ERROR, Problems, check_then_record, read_date
from ledger.web.console.pages import PREFIX, ConsoleRoute, current_views, page, refusal_status
from ledger.web.console.session import FormDep, SessionDep

router = APIRouter(prefix=f"{PREFIX}/aid-cases", route_class=ConsoleRoute, include_in_schema=False)
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
PAY_FIELDS = ("paid_on", "account", "doc_refs", "witnessed_by", "memo")


def _list(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,，、;；]+", text) if part.strip()]


# --- applying ------------------------------------------------------------------------------------
def _apply_page(
    request: Request,
    ledger: Ledger,
    user: User,
    values: dict[str, str],
    problems: Problems,
    *,
    status: int = 200,
    confirm: bool = False,
    amount_fen: int | None = None,
) -> HTMLResponse:
    views = current_views(request)
    orgs = set(orgs_where(ledger, views, user, APPLY_ROLES))
    funds = [(f.fund_id, f.name_zh) for f in queries.fund_balances(views) if f.owner_org_id in orgs]
    people = people_picker.labelled(views, ledger.today())
    found = people_picker.narrowed(people_picker.choices(views, ledger.today()), values, values)
    chosen = dict(funds).get(values.get("fund_id", ""), "")
    masks = masked_names(views, [values.get("beneficiary_person_id", "")])
    return page(
        request,
        "aid_apply.html",
        status=status,
        funds=funds,
        people=people,
        found={f: [(c.person_id, c.label) for c in matches] for f, matches in found.items()},
        kinds=AID_KINDS,
        values=values,
        problems=problems,
        confirm=confirm,
        fund_name=chosen,
        beneficiary=masks.get(values.get("beneficiary_person_id", ""), "—"),
        beneficiary_full=people_picker.full_label(views, ledger.today(), values.get("beneficiary_person_id")),
        amount_fen=amount_fen,
        capital=capital(amount_fen) if amount_fen is not None else "",
    )


@router.get("/new", response_class=HTMLResponse)
def apply_form(request: Request, session: SessionDep, ledger: LedgerDep) -> Response:
    require_somewhere(session.user, APPLY_ROLES)
    values = {"request_id": str(uuid.uuid4())}
    return _apply_page(request, ledger, session.user, values, {})


@router.post("/new", response_class=HTMLResponse)
def apply(request: Request, session: SessionDep, form: FormDep, ledger: LedgerDep) -> Response:
    """申请: step=check (every rule, nothing saved, the amount read back in capitals);
    step=confirm: recorded, then the case's page."""
    require_somewhere(session.user, APPLY_ROLES)
    if form.get(people_picker.FIND):  # 查找: the form again, that person field narrowed
        return _apply_page(request, ledger, session.user, dict(form), {})
    return check_then_record(
        form,
        read=_apply_arguments,
        submit=lambda arguments, key, dry_run: _submit_application(
            ledger, session.user, arguments, key, dry_run
        ),
        show=lambda problems, checked: _apply_page(
            request,
            ledger,
            session.user,
            form,
            problems,
            status=refusal_status(problems),
            confirm=checked is not None,
            amount_fen=None if checked is None else checked["requested_fen"],
        ),
        done=lambda recorded: back_to_case(request, recorded["case_id"], recorded),
    )


def _apply_arguments(form: dict[str, str]) -> tuple[dict[str, Any], Problems]:
    arguments: dict[str, Any] = {
        name: form.get(name, "").strip()
        for name in APPLY_FIELDS
        if name not in ("requested", "evidence_refs")
    }
    arguments["evidence_refs"] = _list(form.get("evidence_refs", ""))
    arguments["publicity_consent"] = form.get("publicity_consent") == "on"
    problems: Problems = {
        name: errors.TextRequired(field=name)
        for name in APPLY_FIELDS
        if not form.get(name, "").strip() and name != "requested"
    }
    try:
        arguments["requested_fen"] = parse_typed_amount(form.get("requested", "").strip())
    except errors.LedgerError as error:
        problems["requested"] = error
    return arguments, problems


def _submit_application(
    ledger: Ledger, user: User, arguments: dict[str, Any], request_id: str, dry_run: bool
) -> tuple[Recorded | None, Problems]:
    """Check (``dry_run``) or record; a refusal comes back keyed by the field it names."""
    try:
        require_any(ledger, user, APPLY_ROLES, fund_owner(ledger, arguments["fund_id"]))
    except errors.LedgerError as error:
        return None, {"fund_id": error}
    try:
        recorded = ledger.apply_for_aid(
            actor=str(user.id), request_id=request_id, dry_run=dry_run, **arguments
        )
    except errors.LedgerError as error:
        return None, {_apply_field(error): error}
    return recorded, {}


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


# --- payment -------------------------------------------------------------------------------------
def _pay_page(
    request: Request,
    case_id: str,
    values: dict[str, str],
    problems: Problems,
    *,
    status: int = 200,
    confirm: bool = False,
) -> HTMLResponse:
    views = current_views(request)
    row = described(views, [queries.aid_case(views, case_id)])[0]
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
    case = case_for(ledger, session.user, case_id, "cashier")
    values = {"paid_on": ledger.today().isoformat(), "request_id": str(uuid.uuid4())}
    return _pay_page(request, str(case.id), values, {})


@router.post("/{case_id}/pay", response_class=HTMLResponse)
def pay(request: Request, case_id: str, session: SessionDep, form: FormDep, ledger: LedgerDep) -> Response:
    """step=check: every rule checked, nothing saved, the amount read back in capitals;
    step=confirm: paid (fund ``AidPaid`` and case ``Paid`` together)."""
    case_id = str(case_for(ledger, session.user, case_id, "cashier").id)
    return check_then_record(
        form,
        read=_pay_arguments,
        submit=lambda arguments, key, dry_run: _submit_payment(
            ledger, session.user, case_id, arguments, key, dry_run
        ),
        show=lambda problems, checked: _pay_page(
            request, case_id, form, problems, status=refusal_status(problems), confirm=checked is not None
        ),
        done=lambda recorded: back_to_case(request, case_id, recorded),
    )


def _pay_arguments(form: dict[str, str]) -> tuple[dict[str, Any], Problems]:
    arguments: dict[str, Any] = {
        "account": form.get("account", "").strip() or None,
        "doc_refs": _list(form.get("doc_refs", "")),
        "witnessed_by": form.get("witnessed_by", "").strip() or None,
        "memo": form.get("memo", "").strip() or None,
    }
    problems: Problems = {}
    day = form.get("paid_on", "").strip()
    try:
        arguments["paid_on"] = read_date(day)
    except errors.DateInvalid:
        problems["paid_on"] = errors.DateInvalid(field="paid_on", value=day)
    if not arguments["doc_refs"]:
        problems["doc_refs"] = errors.TextRequired(field="doc_refs")
    return arguments, problems


def _submit_payment(
    ledger: Ledger, user: User, case_id: str, arguments: dict[str, Any], request_id: str, dry_run: bool
) -> tuple[Recorded | None, Problems]:
    """Check (``dry_run``) or pay; a refusal comes back keyed by the field it names."""
    try:
        recorded = ledger.pay_aid_case(
            case_id, actor=str(user.id), request_id=request_id, dry_run=dry_run, **arguments
        )
    except errors.LedgerError as error:
        return None, {_pay_field(error): error}
    return recorded, {}


def _pay_field(error: errors.LedgerError) -> str:
    name = str(error.details.get("field", ""))
    if error.code == "aid_notice_window_open":
        return "paid_on"
    return name if name in PAY_FIELDS else FORM_ERROR
