"""The collection forms: reading what was typed into the Ledger's arguments for assessing fees
and settling, the read-backs in capital numerals, and the settlement preview — what settling
would refund to whom, split by the domain's own rule (``refund_shares``) over the views.

Participants are ticked boxes named ``participant_<person_id>``, in the page's order (the
assessment order: the first ones owe the odd fen of an equal split). Errors are keyed by field,
each a ``LedgerError`` (code and bilingual message), so the page shows them beside the field and
keeps what was typed.
"""

from __future__ import annotations

import re
from typing import Any

from ledger.application import Ledger, Recorded
from ledger.domain import errors
from ledger.domain.fund import equal_shares, refund_shares
from ledger.domain.money import parse_typed_amount
from ledger.exports.statement import capital
from ledger.projections import queries
from ledger.projections.store import ViewStore
from ledger.web.console.aid_cases import masked_names
from ledger.web.console.entry_forms import FORM_ERROR, read_date, reading
from ledger.web.console.session import Session

TICK = "participant_"
ASSESS_FIELDS = ("basis", "participants", "amount")
SETTLE_FIELDS = ("occurred_on", "rule", "account", "doc_refs")


def ticked(values: dict[str, str]) -> list[str]:
    """The participants ticked on the form, in the page's order."""
    return [name[len(TICK) :] for name, value in values.items() if name.startswith(TICK) and value]


def assessment_arguments(form: dict[str, str]) -> tuple[dict[str, Any], dict[str, errors.LedgerError]]:
    """``equal_split`` reads the amount as the target, ``per_head`` as each one's fee."""
    basis = form.get("basis", "").strip()
    arguments: dict[str, Any] = {"basis": basis, "participants": ticked(form)}
    problems: dict[str, errors.LedgerError] = {}
    if not arguments["participants"]:
        problems["participants"] = errors.TextRequired(field="participants")
    amount_key = "fee_fen" if basis == "per_head" else "target_fen"
    text = form.get("amount", "").strip()
    if not text:
        problems["amount"] = errors.TextRequired(field="amount")
    else:
        problems.update(reading("amount", lambda: arguments.update({amount_key: parse_typed_amount(text)})))
    return arguments, problems


def assessment_read_back(views: ViewStore, arguments: dict[str, Any]) -> dict[str, Any]:
    """Who owes what (masked), and the total in capitals, as the assessment would record it."""
    people = arguments["participants"]
    if arguments["basis"] == "per_head":
        owed = [arguments["fee_fen"]] * len(people)
    else:
        owed = equal_shares(arguments["target_fen"], len(people))
    names = masked_names(views, people)
    total = sum(owed)
    return {
        "rows": [{"name": names.get(p, "—"), "owed_fen": o} for p, o in zip(people, owed, strict=True)],
        "total_fen": total,
        "capital": capital(total),
        "per_head_capital": capital(owed[0]),
    }


def settlement_arguments(form: dict[str, str]) -> tuple[dict[str, Any], dict[str, errors.LedgerError]]:
    arguments: dict[str, Any] = {
        "rule": form.get("rule", "").strip() or "pro_rata",
        "account": form.get("account", "").strip() or None,
        "doc_refs": [p for p in re.split(r"[,，、;；\s]+", form.get("doc_refs", "")) if p],
    }
    day = form.get("occurred_on", "").strip()
    problems = reading("occurred_on", lambda: arguments.update(occurred_on=read_date(day)))
    return arguments, problems


def settlement_preview(views: ViewStore, fund_id: str, rule: str) -> dict[str, Any]:
    """What settling now would do: the whole balance back to those who paid, by ``rule``; the
    receipts, the spending, and any shortfall against what was assessed (to be collected from
    the participants or covered by an approved transfer, never silently)."""
    balance = queries.fund_balance(views, fund_id)
    people = queries.collection_members(views, fund_id)
    payers = [(m.person_id, m.paid_fen) for m in people if m.paid_fen > 0]
    shares = [(p, fen) for p, fen in refund_shares(balance.balance_fen, payers, rule) if fen > 0]
    names = masked_names(views, [p for p, _ in shares])
    owed = sum(m.owed_fen for m in people)
    return {
        "rule": rule,
        "receipts_fen": balance.income_fen,
        "expenses_fen": balance.expense_fen,
        "surplus_fen": balance.balance_fen,
        "shortfall_fen": max(0, balance.expense_fen - owed),
        "capital": capital(balance.balance_fen),
        "refunds": [
            {"person_id": p, "name": names.get(p, "—"), "amount_fen": fen, "capital": capital(fen)}
            for p, fen in shares
        ],
    }


def submit(
    ledger: Ledger,
    fund_id: str,
    command: str,
    arguments: dict[str, Any],
    session: Session,
    request_id: str,
    dry_run: bool,
) -> tuple[Recorded | None, dict[str, errors.LedgerError]]:
    """Check (``dry_run``) or record; a refusal comes back keyed by the field it names."""
    try:
        recorded = ledger.record(
            fund_id, command, actor=str(session.user.id), request_id=request_id, dry_run=dry_run, **arguments
        )
    except errors.LedgerError as error:
        return None, {_field_of(error, command): error}
    return recorded, {}


def _field_of(error: errors.LedgerError, command: str) -> str:
    name = str(error.details.get("field", ""))
    name = {"target_fen": "amount", "fee_fen": "amount", "amount_fen": "amount"}.get(name, name)
    if error.code.startswith("amount_"):
        name = "amount"
    if error.code == "person_not_found":
        name = "participants"
    fields = ASSESS_FIELDS if command == "assess_fees" else SETTLE_FIELDS
    return name if name in fields else FORM_ERROR
