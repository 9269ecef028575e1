"""A fund's custody handovers (移交, R22) in the console: the list, and recording one in the
three steps of every money form (form → check → confirm).

The check step reads the count back against the books: the cash counted beside the book's
cash, the bank balance beside the book's bank, each in capital numerals, and the differences
(counted − book), which need a note to be recorded and are never booked. As the API
(``POST /funds/{fund}/handovers``), an administrator of the fund's organisation records it; the
custodians and auditors read the list. The domain refuses the rest with its own codes
(``custodian_not_assigned``, ``handover_supervisor_not_independent``,
``handover_before_latest_entry``, ``handover_difference_unexplained`` …), shown beside the field
with what was typed kept; the one-time key makes a double submit record once.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ledger.api.deps import LedgerDep, fresh_views
from ledger.api.routers.common import BOOK_ROLES, fund_owner, require_any
from ledger.application import Ledger, Recorded
from ledger.domain import errors
from ledger.domain.fund import CUSTODIAN_ROLES
from ledger.domain.money import parse_typed_amount
from ledger.domain.user import User
from ledger.exports.statement import capital
from ledger.projections import queries
from ledger.projections.store import ViewStore
from ledger.web.console import entry_forms, people_picker
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

router = APIRouter(
    prefix=f"{PREFIX}/funds/{{fund_id}}/handovers", route_class=ConsoleRoute, include_in_schema=False
)
ADMIN = ("admin",)
FIELDS = (
    "role",
    "to_person_id",
    "supervisor_person_id",
    "handed_over_on",
    "cash_counted",
    "bank_balance",
    "inventory_ref",
    "difference_note",
)
_FIELD_OF_ERROR = {  # refusals that name no field of the form, by code
    "custodian_not_assigned": "role",
    "handover_to_same_person": "to_person_id",
    "cashier_cannot_be_bookkeeper": "to_person_id",
    "handover_supervisor_not_independent": "supervisor_person_id",
    "handover_before_holder_began": "handed_over_on",
    "handover_before_latest_entry": "handed_over_on",
    "entry_before_handover": "handed_over_on",
    "handover_inventory_required": "inventory_ref",
    "handover_difference_unexplained": "difference_note",
}


def _names(views: ViewStore) -> dict[str, str]:
    return dict(views.fetch("SELECT person_id, name_zh FROM v_person"))


def _page(
    request: Request,
    ledger: Ledger,
    user: User,
    fund_id: str,
    views: ViewStore,
    values: dict[str, str],
    problems: dict[str, errors.LedgerError],
    *,
    status: int = 200,
    replayed: bool = False,
) -> HTMLResponse:
    """The fund's handovers, its current custodians and, for an administrator, the form."""
    owner = fund_owner(ledger, fund_id)
    require_any(ledger, user, BOOK_ROLES, owner)
    fund = ledger.fund(fund_id)
    return page(
        request,
        "handovers.html",
        status=status,
        fund=queries.fund_meta(views, fund_id),
        handovers=queries.handovers(views, str(fund.id)),
        holders={role: fund.holder(role) for role in CUSTODIAN_ROLES},
        names=_names(views),
        people=people_picker.labelled(views, ledger.today()),
        roles=CUSTODIAN_ROLES,
        may_record=may(ledger, user, ADMIN, owner),
        values=values,
        problems=problems,
        replayed=replayed,
    )


@router.get("", response_class=HTMLResponse)
def handovers_page(
    request: Request,
    fund_id: str,
    session: SessionDep,
    ledger: LedgerDep,
    position: int | None = None,
    replayed: int = 0,
) -> HTMLResponse:
    views = fresh_views(request, position) if position else current_views(request)
    values = {"handed_over_on": ledger.today().isoformat(), "request_id": str(uuid.uuid4())}
    return _page(request, ledger, session.user, fund_id, views, values, {}, replayed=bool(replayed))


def read(values: dict[str, str]) -> tuple[dict[str, Any], entry_forms.Problems]:
    """The Ledger's arguments from what was typed; the counts may be zero (an empty cash box)."""
    arguments: dict[str, Any] = {}
    problems: entry_forms.Problems = {}
    for name in FIELDS:
        text = values.get(name, "").strip()
        if name in ("cash_counted", "bank_balance"):
            key = "cash_counted_fen" if name == "cash_counted" else "bank_balance_fen"
            if not text:
                problems[name] = errors.TextRequired(field=name)
                continue
            problems.update(
                entry_forms.reading(
                    name, lambda t=text, k=key: arguments.update({k: parse_typed_amount(t, allow_zero=True)})
                )
            )
        elif name == "handed_over_on":
            problems.update(
                entry_forms.reading(
                    name,
                    lambda t=text: arguments.update(
                        handed_over_on=entry_forms.read_date(t, "handed_over_on")
                    ),
                )
            )
        else:
            arguments[name] = text or None
    return arguments, problems


def submit(
    ledger: Ledger, fund_id: str, arguments: dict[str, Any], *, actor: str, request_id: str, dry_run: bool
) -> tuple[Recorded | None, entry_forms.Problems]:
    try:
        recorded = ledger.record(
            fund_id, "hand_over_custody", actor=actor, request_id=request_id, dry_run=dry_run, **arguments
        )
    except errors.LedgerError as error:
        name = str(error.details.get("field", ""))
        name = {"cash_counted_fen": "cash_counted", "bank_balance_fen": "bank_balance"}.get(name, name)
        name = _FIELD_OF_ERROR.get(error.code, name)
        return None, {name if name in FIELDS else entry_forms.FORM_ERROR: error}
    return recorded, {}


def _check_page(
    request: Request, ledger: Ledger, fund_id: str, values: dict[str, str], arguments: dict[str, Any]
) -> HTMLResponse:
    """The count read back against the books, in figures and capitals, with the differences."""
    views = current_views(request)
    fund = ledger.fund(fund_id)
    book = {"cash": fund.balances_fen["cash"], "bank": fund.balances_fen["bank"]}
    counted = {"cash": arguments["cash_counted_fen"], "bank": arguments["bank_balance_fen"]}
    lines = [
        {
            "account": account,
            "book_fen": book[account],
            "counted_fen": counted[account],
            "difference_fen": counted[account] - book[account],
            "capital": capital(counted[account]),
        }
        for account in ("cash", "bank")
    ]
    names = _names(views)
    return page(
        request,
        "handover_check.html",
        fund=queries.fund_meta(views, fund_id),
        values=values,
        lines=lines,
        from_name=names.get(fund.holder(arguments["role"]) or "", "—"),
        to_name=names.get(arguments["to_person_id"], "—"),
        supervisor_name=names.get(arguments["supervisor_person_id"], "—"),
        last_voucher_no=fund.last_voucher_no(),
    )


@router.post("", response_class=HTMLResponse)
def record_handover(
    request: Request, fund_id: str, session: SessionDep, form: FormDep, ledger: LedgerDep
) -> Response:
    """step=check: every rule checked, nothing saved, the count read back; step=confirm: record."""
    require_any(ledger, session.user, ADMIN, fund_owner(ledger, fund_id))
    return entry_forms.check_then_record(
        form,
        read=read,
        submit=lambda arguments, key, dry_run: submit(
            ledger, fund_id, arguments, actor=str(session.user.id), request_id=key, dry_run=dry_run
        ),
        show=lambda problems, checked: (
            _page(
                request,
                ledger,
                session.user,
                fund_id,
                current_views(request),
                form,
                problems,
                status=refusal_status(problems),
            )
            if checked is None
            else _check_page(request, ledger, fund_id, form, checked)
        ),
        done=lambda recorded: after_write(request, f"{PREFIX}/funds/{fund_id}/handovers", recorded),
    )
