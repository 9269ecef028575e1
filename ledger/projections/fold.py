"""The pure fold: stored events in, view rows and balance deltas out.

``Batch.apply(record)`` turns one stored event into changes of the view tables, in memory:
journal rows (one per voucher), balance deltas per fund, and ordered row operations for the
slow-moving tables (organisations, people, memberships, period closes). A store writes a whole
batch, with the tracking positions, in one transaction. Nothing here touches a database: the
only outside input is ``lookup``, which finds an earlier journal row for a reversal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import orjson

from ledger.projections.records import Record, iso

# The journal's columns, in table order.
JOURNAL_COLUMNS = (
    "position",
    "fund_id",
    "voucher_no",
    "seq",
    "period",
    "occurred_on",
    "entry_kind",
    "income_fen",
    "expense_fen",
    "cash_fen",
    "bank_fen",
    "person_id",
    "person_role",
    "counterparty",
    "category",
    "memo",
    "handled_by",
    "recorded_by",
    "reverses_voucher_no",
    "details",
)
JournalRow = tuple[Any, ...]
Lookup = Callable[[str, str], "JournalRow | None"]

# topic → (entry kind, direction, role of the person named by the entry)
MONEY_TOPICS: dict[str, tuple[str, int]] = {
    "fundbook:Fund.DonationReceived": ("donation", 1),
    "fundbook:Fund.GrantReceived": ("grant", 1),
    "fundbook:Fund.InterestCredited": ("interest", 1),
    "fundbook:Fund.TransferredIn": ("transfer_in", 1),
    "fundbook:Fund.ExpensePaid": ("expense", -1),
    "fundbook:Fund.StipendPaid": ("stipend", -1),
    "fundbook:Fund.TransferredOut": ("transfer_out", -1),
    "fundbook:Fund.EntryReversed": ("reversal", 0),
    "fundbook:Fund.CashMoved": ("cash_move", 0),
}
_DETAIL_KEYS = (
    "campaign",
    "donor_kind",
    "publish_donor_name",
    "receipt_no",
    "grant_kind",
    "purpose",
    "bank_ref",
    "months",
    "role",
    "decision_ref",
    "counterpart_voucher_no",
    "to_fund_id",
    "from_fund_id",
    "to_account",
    "reason",
    "approved_by",
    "witnessed_by",
    "grantor_org_id",
    "doc_refs",
)


@dataclass
class Batch:
    lookup: Lookup
    journal: list[JournalRow] = field(default_factory=list)
    fund_deltas: dict[str, list[int]] = field(default_factory=dict)  # income, expense, cash, bank
    ops: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    last_position: int = 0
    _pending: dict[tuple[str, str], JournalRow] = field(default_factory=dict)

    def apply(self, record: Record) -> None:
        self.last_position = record.position
        topic = record.topic
        if topic in MONEY_TOPICS:
            self._money(record, *MONEY_TOPICS[topic])
        elif topic in _HANDLERS:
            _HANDLERS[topic](self, record)

    # --- money ----------------------------------------------------------------------------
    def _money(self, record: Record, kind: str, direction: int) -> None:
        state = record.state
        amount = state["amount_fen"]
        fund_id = record.originator_id
        income = expense = cash = bank = 0
        person_id = person_role = counterparty = category = None
        if kind == "reversal":
            original = self._find(fund_id, state["reverses_voucher_no"])
            income, expense = -original[7], -original[8]
            person_id, person_role, counterparty, category = original[11:15]
        elif kind == "cash_move":
            pass
        elif direction > 0:
            income = amount
        else:
            expense = amount
        signed = income - expense
        if kind == "cash_move":
            cash, bank = (-amount, amount) if state["account"] == "cash" else (amount, -amount)
        elif state["account"] == "cash":
            cash = signed
        else:
            bank = signed
        if kind == "donation":
            person_id, person_role = state.get("donor_person_id"), "donor"
            counterparty, category = state.get("donor_name"), state["donor_kind"]
        elif kind == "expense":
            person_id, person_role = state.get("payee_person_id"), "payee"
            counterparty, category = state["payee"], state["category"]
        elif kind == "stipend":
            person_id, person_role, category = state["person_id"], "stipend", "stipend"
        elif kind == "grant":
            counterparty, category = state["grantor_name"], state["grant_kind"]
        if person_id is None:
            person_role = None
        voucher_no = state["voucher_no"]
        row = (
            record.position,
            fund_id,
            voucher_no,
            int(voucher_no.split("-")[1]),
            voucher_no[:4] + "-" + voucher_no[4:6],
            iso(state["occurred_on"]),
            kind,
            income,
            expense,
            cash,
            bank,
            person_id,
            person_role,
            counterparty,
            category,
            state.get("memo"),
            state.get("handled_by"),
            state["recorded_by"],
            state.get("reverses_voucher_no"),
            _details(state),
        )
        self.journal.append(row)
        self._pending[(fund_id, voucher_no)] = row
        delta = self.fund_deltas.setdefault(fund_id, [0, 0, 0, 0])
        delta[0] += income
        delta[1] += expense
        delta[2] += cash
        delta[3] += bank

    def _find(self, fund_id: str, voucher_no: str) -> JournalRow:
        row = self._pending.get((fund_id, voucher_no)) or self.lookup(fund_id, voucher_no)
        assert row is not None, (fund_id, voucher_no)  # the domain only reverses what exists
        return row


def _details(state: dict[str, Any]) -> str | None:
    details = {k: iso(state[k]) for k in _DETAIL_KEYS if state.get(k) not in (None, [], "")}
    return orjson.dumps(details, option=orjson.OPT_SORT_KEYS).decode() if details else None


# --- the slow-moving tables: organisations, people, memberships, funds, period closes ---------
def _fund_established(batch: Batch, r: Record) -> None:
    s = r.state
    batch.ops.append(
        (
            "fund",
            (
                r.originator_id,
                s["owner_org_id"],
                s["kind"],
                s["name_zh"],
                s["custody"]["kind"],
                iso(s["established_on"]),
                orjson.dumps(s["allowed_purposes"]).decode(),
                orjson.dumps(s["policy"], option=orjson.OPT_SORT_KEYS).decode(),
                r.position,
            ),
        )
    )


def _custodian(batch: Batch, r: Record) -> None:
    s = r.state
    batch.ops.append(
        ("custodian", (r.originator_id, s["role"], s["person_id"], iso(s["from_date"]), r.position))
    )


def _period_closed(batch: Batch, r: Record) -> None:
    s = r.state
    batch.ops.append(
        (
            "period_close",
            (
                r.originator_id,
                s["period"],
                s["opening_fen"],
                s["income_fen"],
                s["expense_fen"],
                s["closing_fen"],
                s["cash_fen"],
                s["bank_fen"],
                iso(s["closed_on"]),
                s["recorded_by"],
                s.get("reviewed_by"),
                s.get("seal_position"),
                s.get("seal_hash"),
                r.position,
            ),
        )
    )


def _org_registered(batch: Batch, r: Record) -> None:
    s = r.state
    day = iso(s["established_on"])
    batch.ops.append(("org", (r.originator_id, s["kind"], s.get("branch_kind"), day, r.position)))
    batch.ops.append(("org_name", (r.originator_id, day, r.position, s["name_zh"])))
    batch.ops.append(("org_parent", (r.originator_id, day, r.position, s.get("parent_org_id"))))


def _org_renamed(batch: Batch, r: Record) -> None:
    batch.ops.append(("org_name", (r.originator_id, r.day("effective_on"), r.position, r.state["name_zh"])))


def _org_reparented(batch: Batch, r: Record) -> None:
    parent = r.state.get("new_parent_org_id")
    batch.ops.append(("org_parent", (r.originator_id, r.day("effective_on"), r.position, parent)))


def _org_dissolved(batch: Batch, r: Record) -> None:
    batch.ops.append(("org_dissolved", (r.day("effective_on"), r.originator_id)))


def _office_appointed(batch: Batch, r: Record) -> None:
    s = r.state
    batch.ops.append(
        (
            "office",
            (
                r.originator_id,
                s["person_id"],
                s["role"],
                iso(s["from_date"]),
                iso(s.get("term_end")),
                r.position,
            ),
        )
    )


def _office_left(batch: Batch, r: Record) -> None:
    s = r.state
    batch.ops.append(("office_left", (iso(s["to_date"]), r.originator_id, s["person_id"], s["role"])))


def _person_registered(batch: Batch, r: Record) -> None:
    s = r.state
    batch.ops.append(
        (
            "person",
            (
                r.originator_id,
                s["name_zh"],
                s["display_mask"],
                int(s["public_notice"]),
                int(s["internal_notice"]),
                r.position,
            ),
        )
    )


def _consent_changed(batch: Batch, r: Record) -> None:
    s = r.state
    batch.ops.append(("consent", (int(s["public_notice"]), int(s["internal_notice"]), r.originator_id)))


def _joined(batch: Batch, r: Record) -> None:
    s = r.state
    batch.ops.append(("membership", (r.originator_id, s["org_id"], iso(s["effective_on"]), None, r.position)))


def _transferred(batch: Batch, r: Record) -> None:
    s = r.state
    start = iso(s["effective_on"])
    day_before = (date.fromisoformat(start) - timedelta(days=1)).isoformat()
    batch.ops.append(("membership_end", (day_before, r.originator_id)))
    batch.ops.append(("membership", (r.originator_id, s["to_org_id"], start, None, r.position)))


def _left(batch: Batch, r: Record) -> None:
    batch.ops.append(("membership_end", (r.day("effective_on"), r.originator_id)))


def _deceased(batch: Batch, r: Record) -> None:
    day = r.day("died_on")
    batch.ops.append(("membership_end", (day, r.originator_id)))
    batch.ops.append(("person_deceased", (day, r.originator_id)))


_HANDLERS: dict[str, Callable[[Batch, Record], None]] = {
    "fundbook:Fund.Established": _fund_established,
    "fundbook:Fund.CustodianAssigned": _custodian,
    "fundbook:Fund.PeriodClosed": _period_closed,
    "fundbook:Organisation.Registered": _org_registered,
    "fundbook:Organisation.Renamed": _org_renamed,
    "fundbook:Organisation.Reparented": _org_reparented,
    "fundbook:Organisation.Dissolved": _org_dissolved,
    "fundbook:Organisation.OfficeHolderAppointed": _office_appointed,
    "fundbook:Organisation.OfficeHolderLeft": _office_left,
    "fundbook:Person.Registered": _person_registered,
    "fundbook:Person.ConsentChanged": _consent_changed,
    "fundbook:Person.JoinedBranch": _joined,
    "fundbook:Person.Transferred": _transferred,
    "fundbook:Person.LeftParty": _left,
    "fundbook:Person.Deceased": _deceased,
}
