"""The money forms: which fields each kind of entry asks for, reading what was typed into the
Ledger's arguments, and checking them by the domain's own rules before anything is saved.

A form's errors are keyed by field, each a ``LedgerError`` (code and bilingual message), so
the page shows them next to the field and keeps what was typed. ``check_then_record`` is the
steps every money form of the console follows (entries, collections, aid cases).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from ledger.application import Ledger, Recorded
from ledger.domain import errors
from ledger.domain.fund import DONOR_KINDS, GRANT_KINDS
from ledger.domain.money import parse_typed_amount
from ledger.domain.person import mask_name
from ledger.projections.store import ViewStore

FORM_ERROR = "_form"  # errors that name no field of the form
Problems = dict[str, errors.LedgerError]
Page = TypeVar("Page")


@dataclass(frozen=True)
class Field:
    name: str
    kind: str = "text"  # text, date, amount, choice, person, fund, list
    required: bool = True
    choices: tuple[str, ...] = ()
    label: str = ""  # the text key of its label, if not the field's name


_MONEY = (Field("occurred_on", "date"), Field("amount", "amount"))
_PAPERS = (
    Field("account", "choice", False, ("cash", "bank")),
    Field("doc_refs", "list"),
    Field("memo", required=False),
)
# 公示摘要: the text the board prints, for entries that concern no person (ADR 0080)
_PUBLIC = Field("public_summary", required=False)


@dataclass(frozen=True)
class EntryKind:
    key: str
    command: str  # a Ledger fund command, or "transfer_between_funds"
    fields: tuple[Field, ...]
    collection_only: bool = False  # a fee: only a fund of kind ``collection`` takes it
    roles: tuple[str, ...] = ("bookkeeper",)  # who records it (the domain checks R16 again)


ENTRY_KINDS: dict[str, EntryKind] = {
    kind.key: kind
    for kind in (
        EntryKind(
            "donation",
            "receive_donation",
            (
                *_MONEY,
                Field("donor_kind", "choice", True, DONOR_KINDS),
                Field("donor_person_id", "person", False),
                Field("donor_name", required=False),
                Field("receipt_no", required=False),
                *_PAPERS,
                _PUBLIC,
            ),
        ),
        EntryKind(
            "grant",
            "receive_grant",
            (
                *_MONEY,
                Field("grant_kind", "choice", True, GRANT_KINDS),
                Field("grantor_name"),
                *_PAPERS,
                _PUBLIC,
            ),
        ),
        EntryKind(
            "interest",
            "credit_interest",
            (*_MONEY, Field("bank_ref"), Field("memo", required=False), _PUBLIC),
        ),
        EntryKind(
            "expense",
            "pay_expense",
            (
                *_MONEY,
                Field("category", "choice"),  # the fund's allowed purposes
                Field("payee"),
                Field("payee_person_id", "person", False),
                Field("handled_by"),
                Field("approved_by"),
                Field("witnessed_by", required=False),
                *_PAPERS,
                _PUBLIC,
            ),
        ),
        EntryKind(
            "stipend",
            "pay_stipend",
            (
                *_MONEY,
                Field("person_id", "person"),
                Field("months", "list"),
                Field("role", "choice", True, ("secretary", "deputy_secretary", "group_leader")),
                Field("handled_by"),
                *_PAPERS,
            ),
        ),
        EntryKind(
            "fee",
            "pay_fee",
            (
                *_MONEY,
                Field("person_id", "person", label="fee_payer"),
                Field("receipt_no", required=False),
                *_PAPERS,
            ),
            collection_only=True,
        ),
        EntryKind(
            # 存现/取现: neither income nor expense, so the cashier, who handles the cash, may
            # record it as the API lets them (the domain's move_cash)
            "cash_move",
            "move_cash",
            (
                *_MONEY,
                Field("from_account", "choice", True, ("cash", "bank")),
                Field("to_account", "choice", True, ("bank", "cash")),
                Field("doc_refs", "list"),
                Field("memo", required=False),
                _PUBLIC,
            ),
            roles=("cashier", "bookkeeper"),
        ),
        EntryKind(
            "transfer",
            "transfer_between_funds",
            (
                *_MONEY,
                Field("to_fund_id", "fund"),
                Field("decision_ref"),
                Field("doc_refs", "list", False),
                Field("memo", required=False),
            ),
        ),
    )
}


def entry_kind(key: str) -> EntryKind:
    if key not in ENTRY_KINDS:
        raise errors.ValueNotAllowed(field="kind", value=key, allowed=", ".join(ENTRY_KINDS))
    return ENTRY_KINDS[key]


def kinds_for(fund_kind: str) -> dict[str, EntryKind]:
    """The entries a fund's page offers: a collection takes fees and spending (Party money
    reaches it only by a transfer from another fund, R32); other funds take everything else."""
    if fund_kind == "collection":
        return {key: ENTRY_KINDS[key] for key in ("fee", "expense", "cash_move")}
    return {key: kind for key, kind in ENTRY_KINDS.items() if not kind.collection_only}


def read(kind: EntryKind, values: dict[str, str]) -> tuple[dict[str, Any], dict[str, errors.LedgerError]]:
    """The Ledger's arguments from what was typed, and the errors of fields that cannot be read."""
    arguments: dict[str, Any] = {}
    problems: dict[str, errors.LedgerError] = {}
    for field in kind.fields:
        text = values.get(field.name, "").strip()
        if not text:
            if field.required and field.kind not in ("list", "choice"):
                problems[field.name] = errors.TextRequired(field=field.name)
            arguments[field.name] = [] if field.kind == "list" else None
            continue
        if field.kind == "amount":
            problems.update(
                reading(field.name, lambda t=text: arguments.update(amount_fen=parse_typed_amount(t)))
            )
        elif field.kind == "date":
            problems.update(reading(field.name, lambda t=text: arguments.update(occurred_on=read_date(t))))
        elif field.kind == "list":
            arguments[field.name] = [
                part.strip() for part in re.split(r"[,，、;；\s]+", text) if part.strip()
            ]
        else:
            arguments[field.name] = text
    if kind.key == "interest":
        arguments.pop("account", None)
    return arguments, problems


def reading(name: str, read_it: Any) -> dict[str, errors.LedgerError]:
    try:
        read_it()
    except errors.LedgerError as error:
        return {name: error}
    return {}


def check_then_record(
    form: dict[str, str],
    read: Callable[[dict[str, str]], tuple[dict[str, Any], Problems]],
    submit: Callable[[dict[str, Any], str, bool], tuple[Recorded | None, Problems]],
    show: Callable[[Problems, dict[str, Any] | None], Page],
    done: Callable[[Recorded], Page],
) -> Page:
    """A money form's steps, by ``form["step"]``: ``edit``, the form again as typed; ``check``,
    ``read`` it and ``submit(arguments, request_id, dry_run=True)`` (every rule, nothing saved);
    ``confirm``, the same but recorded, then ``done``. ``show(problems, checked)`` answers the
    form with its refusals (``checked`` is None), or the check's read-back of ``checked``. The
    form's one-time key ``request_id`` (made here if it has none) is the Ledger's, so a double
    submit records once."""
    form.setdefault("request_id", str(uuid.uuid4()))
    if form.get("step") == "edit":
        return show({}, None)
    confirm = form.get("step") == "confirm"
    arguments, problems = read(form)
    recorded = None
    if not problems:
        recorded, problems = submit(arguments, form["request_id"], not confirm)
    if problems or not confirm:
        return show(problems, None if problems else arguments)
    assert recorded is not None
    return done(recorded)


def read_date(text: str, field: str = "occurred_on") -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise errors.DateInvalid(field=field, value=text) from None


def submit(
    ledger: Ledger,
    fund_id: str,
    kind: EntryKind,
    arguments: dict[str, Any],
    *,
    actor: str,
    request_id: str,
    dry_run: bool,
) -> tuple[Recorded | None, dict[str, errors.LedgerError]]:
    """Check (``dry_run``) or record the entry; a refusal comes back keyed by its field."""
    try:
        if kind.command == "transfer_between_funds":
            recorded = ledger.transfer_between_funds(
                actor=actor, request_id=request_id, dry_run=dry_run, from_fund_id=fund_id, **arguments
            )
        else:
            recorded = ledger.record(
                fund_id, kind.command, actor=actor, request_id=request_id, dry_run=dry_run, **arguments
            )
    except errors.LedgerError as error:
        return None, {field_of(error, kind): error}
    return recorded, {}


def field_of(error: errors.LedgerError, kind: EntryKind) -> str:
    name = str(error.details.get("field", ""))
    name = {"amount_fen": "amount"}.get(name, name)
    if error.code.startswith("amount_") or error.code in ("overdraft", "insufficient_funds"):
        name = "amount"
    if error.code == "purpose_not_allowed":
        name = "category"
    if error.code == "fee_payer_not_participant":
        name = "person_id"
    if error.code == "cash_move_same_account":
        name = "to_account"
    return name if any(f.name == name for f in kind.fields) else FORM_ERROR


def submit_reversal(
    ledger: Ledger, fund_id: str, arguments: dict[str, Any], *, actor: str, request_id: str, dry_run: bool
) -> tuple[Recorded | None, dict[str, errors.LedgerError]]:
    try:
        recorded = ledger.reverse_entry(
            fund_id, actor=actor, request_id=request_id, dry_run=dry_run, **arguments
        )
    except errors.LedgerError as error:
        name = str(error.details.get("field", ""))
        return None, {name if name in ("reason", "occurred_on") else FORM_ERROR: error}
    return recorded, {}


def counterparty(views: ViewStore, kind: EntryKind, arguments: dict[str, Any]) -> str:
    """Who pays or is paid, masked as on the noticeboard (王*明); organisations by name."""
    person = (
        arguments.get("donor_person_id") or arguments.get("payee_person_id") or arguments.get("person_id")
    )
    if person:
        rows = views.fetch("SELECT display_mask FROM v_person WHERE person_id = ?", (person,))
        return rows[0][0] if rows else "—"
    if kind.key == "donation":
        name = arguments.get("donor_name") or ""
        return mask_name(name) if arguments.get("donor_kind") in ("member", "resident") else name
    if kind.key == "expense":
        return mask_name(arguments.get("payee") or "")
    if kind.key == "grant":
        return arguments.get("grantor_name") or ""
    if kind.key == "transfer":
        rows = views.fetch("SELECT name_zh FROM v_fund WHERE fund_id = ?", (arguments.get("to_fund_id"),))
        return rows[0][0] if rows else "—"
    return arguments.get("bank_ref") or "—"
