"""The public line of an entry not yet recorded: what the board will print in 摘要/事由 for it,
by the board's own rules (``lines._summary``), so the console's check step can show it before
anything is saved. The small-group rule needs the whole statement: on the board the name may be
left out too (never added)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ledger.exports.lines import PUBLIC, BoardContext, summary_of
from ledger.projections.store import ViewStore

# the console's entry kinds → the journal's entry kind, the person argument and its role
_KINDS = {
    "donation": ("donation", "donor_person_id", "donor"),
    "grant": ("grant", None, None),
    "interest": ("interest", None, None),
    "expense": ("expense", "payee_person_id", "payee"),
    "stipend": ("stipend", "person_id", "stipend"),
    "fee": ("fee", "person_id", "fee_payer"),
    "cash_move": ("cash_move", None, None),
    "transfer": ("transfer_out", None, None),
}
_COUNTERPARTY = {"donation": "donor_name", "grant": "grantor_name", "expense": "payee"}


def public_line(store: ViewStore, fund_id: str, kind: str, arguments: dict[str, Any]) -> str:
    entry_kind, person_arg, role = _KINDS[kind]
    day: date = arguments["occurred_on"]
    person_id = arguments.get(person_arg) if person_arg else None
    category = arguments.get("category") or arguments.get("donor_kind") or arguments.get("grant_kind")
    row = {
        "entry_kind": entry_kind,
        "occurred_on": day.isoformat(),
        "person_id": person_id,
        "person_role": role if person_id else None,
        "category": {"stipend": "stipend", "fee": "fee"}.get(kind, category),
        "counterparty": arguments.get(_COUNTERPARTY.get(kind, "")),
        "details": {k: v for k, v in arguments.items() if v is not None},
        "reverses_voucher_no": None,
    }
    ctx = BoardContext.for_day(store, fund_id, day, PUBLIC, [person_id] if person_id else [])
    return summary_of(row, ctx)
