"""The setup pages of the console (设置, issue 17): an administrator registers organisations on
both trees, people with their consent, memberships and transfers, office holders, funds and
users, each in the three steps of every console form (form → check → confirm, ADR 0040).

The check step runs every rule of the Ledger command and saves nothing (``dry_run``), then
reads back what would be recorded, with names instead of ids; a refusal is shown beside its
field with what was typed kept; the form's one-time key makes a double submit record once.
An administrator of the organisation concerned may record (a root or a person: an
administrator anywhere), as over the API.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ledger.api.deps import LedgerDep, fresh_views
from ledger.api.routers.common import require_any, require_somewhere
from ledger.application import Ledger, Recorded
from ledger.domain import errors
from ledger.domain.money import format_yuan_symbol, parse_typed_amount, to_capital
from ledger.domain.user import User
from ledger.projections import queries
from ledger.projections.store import ViewStore
from ledger.web.console import entry_forms
from ledger.web.console.pages import (
    PREFIX,
    ConsoleRoute,
    after_write,
    current_views,
    lang_of,
    page,
    refusal_status,
)
from ledger.web.console.session import FormDep, SessionDep
from ledger.web.console.setup_forms import FORMS, SetupForm, field_of, read
from ledger.web.console.setup_texts import SETUP_TEXTS, choice

router = APIRouter(prefix=f"{PREFIX}/setup", route_class=ConsoleRoute, include_in_schema=False)
ADMIN = ("admin",)


def _form(key: str) -> SetupForm:
    if key not in FORMS:
        raise errors.ValueNotAllowed(field="form", value=key, allowed=", ".join(FORMS))
    return FORMS[key]


def _register(ledger: Ledger, views: ViewStore) -> dict[str, Any]:
    """The organisations (as of today), people and funds the selects offer, by id."""
    tree = queries.tree_on(views, ledger.today())
    people = views.fetch("SELECT person_id, name_zh FROM v_person ORDER BY name_zh")
    return {
        "orgs": [(org_id, name, kind, parent) for org_id, (name, kind, parent) in tree.items()],
        "people": list(people),
        "funds": [(f.fund_id, f.name_zh) for f in queries.fund_balances(views)],
    }


@router.get("", response_class=HTMLResponse)
def setup_home(
    request: Request, session: SessionDep, ledger: LedgerDep, position: int | None = None
) -> Response:
    """The setup forms, and the organisations and people registered so far."""
    require_somewhere(session.user, ADMIN)
    views = fresh_views(request, position) if position else current_views(request)
    return page(
        request,
        "setup.html",
        st=SETUP_TEXTS[lang_of(request)],
        forms=list(FORMS),
        done=position is not None,
        choice=choice,
        **_register(ledger, views),
    )


@router.get("/{key}", response_class=HTMLResponse)
def setup_form(request: Request, key: str, session: SessionDep, ledger: LedgerDep) -> Response:
    require_somewhere(session.user, ADMIN)
    values = {"request_id": str(uuid.uuid4())}
    return _form_page(request, ledger, _form(key), values, {})


def _form_page(
    request: Request,
    ledger: Ledger,
    form: SetupForm,
    values: dict[str, str],
    problems: dict[str, errors.LedgerError],
) -> HTMLResponse:
    return page(
        request,
        "setup_form.html",
        status=refusal_status(problems),
        st=SETUP_TEXTS[lang_of(request)],
        form=form,
        values=values,
        problems=problems,
        choice=choice,
        **_register(ledger, current_views(request)),
    )


def _check_page(request: Request, ledger: Ledger, form: SetupForm, values: dict[str, str]) -> HTMLResponse:
    """What would be recorded, field by field, in words: names for ids, labels for choices."""
    lang = lang_of(request)
    st = SETUP_TEXTS[lang]
    register = _register(ledger, current_views(request))
    names = {org_id: name for org_id, name, _, _ in register["orgs"]} | dict(register["people"])
    names |= dict(register["funds"])
    rows = []
    for field in form.fields:
        text = values.get(field.name, "").strip()
        if field.kind == "flag":
            shown = st["yes"] if text else st["no"]
        elif field.kind == "password":
            shown = st["hidden_password"] if text else "—"
        elif field.kind in ("org", "branch", "person", "fund"):
            shown = names.get(text, text) or "—"
        elif field.kind == "choice":
            shown = choice(text, lang) if text else "—"
        elif field.kind == "amount" and text:
            fen = parse_typed_amount(text)  # as understood: in figures and in capitals
            shown = f"{format_yuan_symbol(fen)}（{to_capital(fen)}）"
        else:
            shown = text or "—"
        rows.append((field.name, shown))
    return page(request, "setup_check.html", st=st, form=form, values=values, rows=rows)


def _require(ledger: Ledger, user: User, form: SetupForm, values: dict[str, str]) -> None:
    """An administrator of the organisation the form concerns, else of any (a root, a person)."""
    org = values.get(form.scope or "", "").strip() if form.scope else ""
    if org:
        require_any(ledger, user, ADMIN, org)
    else:
        require_somewhere(user, ADMIN)


def _submit(
    ledger: Ledger, form: SetupForm, arguments: dict[str, Any], actor: str, key: str, dry_run: bool
) -> tuple[Recorded | None, dict[str, errors.LedgerError]]:
    try:
        return form.submit(ledger, dict(arguments), actor, key, dry_run), {}
    except errors.LedgerError as error:
        return None, {field_of(form, error): error}


@router.post("/{key}", response_class=HTMLResponse)
def record_setup(
    request: Request, key: str, session: SessionDep, form: FormDep, ledger: LedgerDep
) -> Response:
    """step=check: every rule checked, nothing saved, read back; step=confirm: recorded."""
    spec = _form(key)
    _require(ledger, session.user, spec, form)
    return entry_forms.check_then_record(
        form,
        read=lambda values: read(spec, values),
        submit=lambda arguments, request_id, dry_run: _submit(
            ledger, spec, arguments, str(session.user.id), request_id, dry_run
        ),
        show=lambda problems, checked: (
            _form_page(request, ledger, spec, form, problems)
            if checked is None
            else _check_page(request, ledger, spec, form)
        ),
        done=lambda recorded: after_write(request, f"{PREFIX}/setup", recorded),
    )
