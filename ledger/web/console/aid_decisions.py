"""Objections to an aid case and the approvers' decisions other than signing, on the case's
page: lodge an objection, answer one, reject the case, cancel it.

Who may is what the API says (``ledger/api/routers/aid_cases.py``): anyone holding a reading
role may object (anonymously: then no identity is stored, R36); answering, rejecting and
cancelling need the approver role for the fund's organisation or one above it (403
``role_required`` otherwise), and the domain refuses the rest with its own codes
(``aid_signer_is_beneficiary``, ``aid_case_not_awaiting_signatures``, ``aid_case_closed``,
``objection_already_answered`` …), shown on the case page beside the field, keeping what was
typed. An upheld objection cancels the case and releases its reservation.

What is typed here is private: the objection's text, the answer, the reason for a rejection or
a cancellation are recorded in the events and never shown, on the console or the board. Every
form carries the CSRF token and its own one-time key, the Ledger's ``request_id``: a double
submit records once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ledger.api.deps import LedgerDep
from ledger.api.routers.common import READ_ROLES, require_somewhere
from ledger.application import Ledger, Recorded
from ledger.domain import errors
from ledger.web.console.aid_cases import back_to_case, case_for, refused_on_case_page
from ledger.web.console.entry_forms import FORM_ERROR
from ledger.web.console.pages import PREFIX, ConsoleRoute
from ledger.web.console.session import FormDep, SessionDep

router = APIRouter(prefix=f"{PREFIX}/aid-cases", route_class=ConsoleRoute, include_in_schema=False)
FIELDS = {"object": ("text",), "answer": ("outcome", "answer"), "reject": ("reason",), "cancel": ("reason",)}


def _decide(
    request: Request,
    ledger: Ledger,
    session: SessionDep,
    case_id: str,
    form_name: str,
    form: dict[str, str],
    command: Callable[[str], Recorded],
) -> Response:
    """Run ``command`` with the form's one-time key; a refusal shows on the case page."""
    form.setdefault("request_id", str(uuid.uuid4()))
    try:
        recorded = command(form["request_id"])
    except errors.LedgerError as error:
        field = str(error.details.get("field", ""))
        key = f"{form_name}.{field}" if field in FIELDS[form_name] else FORM_ERROR
        return refused_on_case_page(request, ledger, session.user, case_id, (form_name, form), {key: error})
    return back_to_case(request, case_id, recorded)


@router.post("/{case_id}/objections", response_class=HTMLResponse)
def lodge_objection(
    request: Request, case_id: str, session: SessionDep, form: FormDep, ledger: LedgerDep
) -> Response:
    """Anyone holding a reading role somewhere objects (as the API); ``anonymous``: recorded
    without who raised it."""
    require_somewhere(session.user, READ_ROLES)
    case = ledger.aid_case(case_id)
    anonymous = form.get("anonymous") == "on"
    return _decide(
        request,
        ledger,
        session,
        str(case.id),
        "object",
        form,
        lambda key: ledger.raise_aid_objection(
            str(case.id),
            actor=str(session.user.id),
            text=form.get("text", ""),
            anonymous=anonymous,
            request_id=key,
        ),
    )


@router.post("/{case_id}/objections/{objection_no}/answer", response_class=HTMLResponse)
def answer_objection(
    request: Request, case_id: str, objection_no: str, session: SessionDep, form: FormDep, ledger: LedgerDep
) -> Response:
    """An approver's answer: upheld (the case is cancelled), partly upheld, or dismissed."""
    case = case_for(ledger, session.user, case_id, "approver")
    form["objection_no"] = objection_no
    return _decide(
        request,
        ledger,
        session,
        str(case.id),
        "answer",
        form,
        lambda key: ledger.answer_aid_objection(
            str(case.id),
            actor=str(session.user.id),
            objection_no=objection_no,
            outcome=form.get("outcome", ""),
            answer=form.get("answer", ""),
            request_id=key,
        ),
    )


@router.post("/{case_id}/reject", response_class=HTMLResponse)
def reject(request: Request, case_id: str, session: SessionDep, form: FormDep, ledger: LedgerDep) -> Response:
    """An approver's rejection of a case still collecting signatures; the reason is required."""
    return _with_reason(request, ledger, session, case_id, "reject", form, ledger.reject_aid_case)


@router.post("/{case_id}/cancel", response_class=HTMLResponse)
def cancel(request: Request, case_id: str, session: SessionDep, form: FormDep, ledger: LedgerDep) -> Response:
    """An approver withdraws an open case; an approved one gives its reservation back."""
    return _with_reason(request, ledger, session, case_id, "cancel", form, ledger.cancel_aid_case)


def _with_reason(
    request: Request,
    ledger: Ledger,
    session: SessionDep,
    case_id: str,
    form_name: str,
    form: dict[str, str],
    command: Callable[..., Recorded],
) -> Response:
    """An approver's decision that ends a case and needs a reason (rejecting, cancelling)."""
    case = case_for(ledger, session.user, case_id, "approver")
    return _decide(
        request,
        ledger,
        session,
        str(case.id),
        form_name,
        form,
        lambda key: command(
            str(case.id), actor=str(session.user.id), reason=form.get("reason", ""), request_id=key
        ),
    )
