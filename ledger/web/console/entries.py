"""Money in and out, and reversals, in three steps: the form, the check (the amount read back in
capital numerals beside the fund and the masked counterparty, every rule checked without saving),
and the confirmed post. The form's one-time key is the Ledger's ``request_id``: a double click
or a resubmitted form records once."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ledger.api.deps import LedgerDep
from ledger.api.routers.common import fund_owner, require_any
from ledger.application import Recorded
from ledger.exports.public_line import public_line
from ledger.exports.statement import capital
from ledger.projections import queries
from ledger.web.console import entry_forms, people_picker
from ledger.web.console.pages import PREFIX, ConsoleRoute, after_write, current_views, page, refusal_status
from ledger.web.console.session import FormDep, SessionDep
from ledger.web.console.vouchers import is_cash_move, voucher_amount_fen

router = APIRouter(prefix=f"{PREFIX}/funds/{{fund_id}}", route_class=ConsoleRoute, include_in_schema=False)
BOOKKEEPER = ("bookkeeper",)


def _form_page(
    request: Request,
    ledger: LedgerDep,
    fund_id: str,
    kind: entry_forms.EntryKind,
    values: dict[str, str],
    problems: dict[str, Any],
    *,
    status: int = 200,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    views = current_views(request)
    meta = queries.fund_meta(views, fund_id)
    payers = None
    if kind.key == "fee":  # only the collection's participants pay its fees
        payers = [
            r[0]
            for r in views.fetch("SELECT person_id FROM v_fee WHERE fund_id = ? ORDER BY seq", (fund_id,))
        ]
    people = people_picker.choices(views, ledger.today(), payers)
    found = people_picker.narrowed(people, form or {}, values)
    funds = [(f.fund_id, f.name_zh) for f in queries.fund_balances(views) if f.fund_id != fund_id]
    return page(
        request,
        "record_form.html",
        status=status,
        fund=meta,
        kind=kind,
        values=values,
        problems=problems,
        people=[(c.person_id, c.label) for c in people],
        found={f: [(c.person_id, c.label) for c in matches] for f, matches in found.items()},
        funds=funds,
        purposes=meta["allowed_purposes"],
    )


@router.get("/record/{kind}", response_class=HTMLResponse)
def record_form(
    request: Request, fund_id: str, kind: str, session: SessionDep, ledger: LedgerDep
) -> Response:
    """The empty form; its fields may come filled from the query (the stipends-due page links
    here with the person, the office, the unpaid months and their amount)."""
    entry = entry_forms.entry_kind(kind)
    require_any(ledger, session.user, entry.roles, fund_owner(ledger, fund_id))
    values = {"occurred_on": ledger.today().isoformat(), "request_id": str(uuid.uuid4())}
    values.update(
        {f.name: request.query_params[f.name] for f in entry.fields if f.name in request.query_params}
    )
    return _form_page(request, ledger, fund_id, entry, values, {})


@router.post("/record/{kind}", response_class=HTMLResponse)
def record_entry(
    request: Request, fund_id: str, kind: str, session: SessionDep, form: FormDep, ledger: LedgerDep
) -> Response:
    """step=check: read, check every rule, show the read-back; step=confirm: record it."""
    entry = entry_forms.entry_kind(kind)
    require_any(ledger, session.user, entry.roles, fund_owner(ledger, fund_id))
    if entry.key == "transfer" and form.get("to_fund_id"):
        require_any(ledger, session.user, BOOKKEEPER, fund_owner(ledger, form["to_fund_id"]))
    if form.get(people_picker.FIND):  # 查找: the form again, that person field narrowed
        return _form_page(request, ledger, fund_id, entry, dict(form), {}, form=form)
    return entry_forms.check_then_record(
        form,
        read=lambda values: entry_forms.read(entry, values),
        submit=lambda arguments, key, dry_run: entry_forms.submit(
            ledger, fund_id, entry, arguments, actor=str(session.user.id), request_id=key, dry_run=dry_run
        ),
        show=lambda problems, checked: (
            _form_page(request, ledger, fund_id, entry, form, problems, status=refusal_status(problems))
            if checked is None
            else _confirm_page(request, fund_id, entry, form, checked)
        ),
        done=lambda recorded: after_write(request, _voucher_path(fund_id, recorded), recorded),
    )


def _voucher_path(fund_id: str, recorded: Recorded) -> str:
    """The recorded voucher's page (of a transfer: the paying fund's voucher)."""
    number = recorded.result.get("voucher_no") or recorded.result["from_voucher_no"]
    return f"{PREFIX}/funds/{fund_id}/vouchers/{number}"


def _confirm_page(
    request: Request,
    fund_id: str,
    entry: entry_forms.EntryKind,
    values: dict[str, str],
    arguments: dict[str, Any],
) -> HTMLResponse:
    """The check step: the entry read back, its amount in capitals, the counterparty masked."""
    views = current_views(request)
    return page(
        request,
        "record_confirm.html",
        fund=queries.fund_meta(views, fund_id),
        kind=entry,
        values=values,
        amount_fen=arguments["amount_fen"],
        capital=capital(arguments["amount_fen"]),
        counterparty=entry_forms.counterparty(views, entry, arguments),
        person_full=people_picker.full_label(
            views,
            request.app.state.ledger.today(),
            arguments.get("donor_person_id")
            or arguments.get("payee_person_id")
            or arguments.get("person_id"),
        ),
        public_line=public_line(views, fund_id, entry.key, arguments),
    )


@router.get("/vouchers/{voucher_no}/reverse", response_class=HTMLResponse)
def reverse_form(
    request: Request, fund_id: str, voucher_no: str, session: SessionDep, ledger: LedgerDep
) -> Response:
    require_any(ledger, session.user, BOOKKEEPER, fund_owner(ledger, fund_id))
    values = {"occurred_on": ledger.today().isoformat(), "request_id": str(uuid.uuid4()), "reason": ""}
    return _reverse_page(request, fund_id, voucher_no, values, {})


def _reverse_page(
    request: Request,
    fund_id: str,
    voucher_no: str,
    values: dict[str, str],
    problems: dict[str, Any],
    *,
    status: int = 200,
    confirm: bool = False,
) -> HTMLResponse:
    views = current_views(request)
    original = queries.journal_voucher(views, fund_id, voucher_no)
    return page(
        request,
        "reverse.html",
        status=status,
        fund=queries.fund_meta(views, fund_id),
        original=original,
        values=values,
        problems=problems,
        confirm=confirm,
        capital=capital(voucher_amount_fen(original)),  # of a cash move, the amount it moved
        moves_money=is_cash_move(original),
    )


@router.post("/vouchers/{voucher_no}/reverse", response_class=HTMLResponse)
def reverse_entry(
    request: Request, fund_id: str, voucher_no: str, session: SessionDep, form: FormDep, ledger: LedgerDep
) -> Response:
    require_any(ledger, session.user, BOOKKEEPER, fund_owner(ledger, fund_id))
    return entry_forms.check_then_record(
        form,
        read=lambda values: _reversal_arguments(voucher_no, values),
        submit=lambda arguments, key, dry_run: entry_forms.submit_reversal(
            ledger, fund_id, arguments, actor=str(session.user.id), request_id=key, dry_run=dry_run
        ),
        show=lambda problems, checked: _reverse_page(
            request,
            fund_id,
            voucher_no,
            form,
            problems,
            status=refusal_status(problems),
            confirm=checked is not None,
        ),
        done=lambda recorded: after_write(
            request, f"{PREFIX}/funds/{fund_id}/vouchers/{recorded['voucher_no']}", recorded
        ),
    )


def _reversal_arguments(voucher_no: str, form: dict[str, str]) -> tuple[dict[str, Any], entry_forms.Problems]:
    arguments: dict[str, Any] = {"voucher_no": voucher_no, "reason": form.get("reason", "")}
    day = form.get("occurred_on", "")
    problems = entry_forms.reading(
        "occurred_on", lambda: arguments.update(occurred_on=entry_forms.read_date(day))
    )
    return arguments, problems
