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
    "fund_no",
    "voucher_no",
    "seq",
    "occurred_on",
    "entry_kind",
    "income_fen",
    "expense_fen",
    "cash_fen",
    "bank_fen",
    "person_id",
    "person_role",
    "category",
    "reverses_voucher_no",
)  # what is shown but not summed (memo, payee, handler …) stays in the event itself
JournalRow = tuple[Any, ...]


@dataclass(frozen=True)
class _Money:
    """How one kind of money event becomes a journal row."""

    kind: str
    direction: int  # +1 income, -1 expense, 0 neither (cash moves) or taken from the original
    person_key: str | None = None  # the field naming a person, and the person's role
    role: str | None = None
    category_key: str | None = None  # the field giving the category …
    fixed_category: str | None = None  # … or the category itself


def _reversible(row: JournalRow) -> tuple[Any, ...]:
    """What a reversal negates or copies: income, expense, person, role, category, cash, bank."""
    return (row[6], row[7], row[10], row[11], row[12], row[8], row[9])


class VoucherIndex:
    """What a reversal needs of the voucher it names (amount columns and person), kept in
    memory for the vouchers of each fund's open fiscal year: a voucher can be reversed only
    within its year (R5), so closing December drops that year's. A miss (after a restart)
    asks the store, whose unique (fund_id, voucher_no) index answers it."""

    def __init__(self, fallback: Callable[[int, str], JournalRow | None]) -> None:
        self.fallback = fallback
        self.funds: dict[int, dict[str, tuple[Any, ...]]] = {}

    def add(self, row: JournalRow) -> None:
        vouchers = self.funds.get(row[1])
        if vouchers is None:
            vouchers = self.funds[row[1]] = {}
        vouchers[row[2]] = _reversible(row)

    def find(self, fund_no: int, voucher_no: str) -> tuple[Any, ...] | None:
        found = self.funds.get(fund_no, {}).get(voucher_no)
        if found is None:
            row = self.fallback(fund_no, voucher_no)
            found = _reversible(row) if row is not None else None
        return found

    def year_closed(self, fund_no: int, year: str) -> None:
        vouchers = self.funds.get(fund_no, {})
        self.funds[fund_no] = {k: v for k, v in vouchers.items() if k[:4] > year}


@dataclass
class Batch:
    vouchers: VoucherIndex
    journal: list[JournalRow] = field(default_factory=list)
    fund_deltas: dict[int, list[int]] = field(default_factory=dict)  # income, expense, cash, bank
    ops: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    last_position: int = 0
    fund_numbers: dict[str, int] = field(default_factory=dict)  # fund id → fund_no, across batches
    chain: list[tuple[int, str]] = field(default_factory=list)  # (position, hash hex): ledger/audit/chain.py

    def apply(self, record: Record) -> None:
        self.apply_raw(record.position, record.originator_id, record.topic, record.state)

    def apply_raw(self, position: int, fund_or_other_id: str, topic: str, state: dict[str, Any]) -> None:
        """Fold one stored event (already decoded to a dict); the hot path of a rebuild."""
        self.last_position = position
        money = _MONEY.get(topic)
        if money is not None:
            self._money(position, fund_or_other_id, state, money)
            if topic == AID_PAID:  # the payment consumes the case's reservation
                self.ops.append(("fund_reserved", (-state["amount_fen"], fund_or_other_id)))
                day = state["occurred_on"]["_data_"]
                self.ops.append(("reservation", (position, fund_or_other_id, day, -state["amount_fen"])))
            elif topic == STIPEND_PAID:  # the months paid, for the stipend schedule
                for month in state["months"]:
                    row = (fund_or_other_id, state["person_id"], month, state["voucher_no"])
                    self.ops.append(("stipend_month", row))
            elif topic == REVERSED:  # a reversed stipend's months are due again (no-op otherwise)
                self.ops.append(("stipend_month_reversed", (fund_or_other_id, state["reverses_voucher_no"])))
                original = self.journal_person(fund_or_other_id, state["reverses_voucher_no"])
                if original is not None and original[1] == "fee_payer":  # a reversed fee is owed again
                    self.ops.append(("fee_paid", (-state["amount_fen"], fund_or_other_id, original[0])))
            elif topic == FEE_PAID:
                self.ops.append(("fee_paid", (state["amount_fen"], fund_or_other_id, state["person_id"])))
            elif topic == REFUND_PAID:
                self.ops.append(("fee_refunded", (state["amount_fen"], fund_or_other_id, state["person_id"])))
        else:
            handler = _HANDLERS.get(topic)
            if handler is not None:
                handler(self, Record(position, fund_or_other_id, 0, topic, state))

    def journal_person(self, fund_id: str, voucher_no: str) -> tuple[Any, ...] | None:
        """(person, role) of a voucher already folded (for a reversal of a fee)."""
        found = self.vouchers.find(self.fund_numbers[fund_id], voucher_no)
        return (found[2], found[3]) if found is not None else None

    # --- money ----------------------------------------------------------------------------
    def _money(self, position: int, fund_id: str, state: dict[str, Any], money: _Money) -> None:
        fund_no = self.fund_numbers[fund_id]
        kind = money.kind
        amount = state["amount_fen"]
        if kind == "reversal":  # the exact negation (R7): of a cash move, its cash and bank
            original = self._find(fund_no, state["reverses_voucher_no"])
            income, expense = -original[0], -original[1]
            person_id, person_role, category = original[2:5]
            cash, bank = -original[5], -original[6]
        else:
            income, expense = (
                (amount, 0) if money.direction > 0 else (0, amount) if money.direction else (0, 0)
            )
            person_id = state.get(money.person_key) if money.person_key else None
            person_role = money.role if person_id is not None else None
            category = state.get(money.category_key) if money.category_key else money.fixed_category
            if kind == "cash_move":
                cash, bank = (-amount, amount) if state["account"] == "cash" else (amount, -amount)
            elif state["account"] == "cash":
                cash, bank = income - expense, 0
            else:
                cash, bank = 0, income - expense
        voucher_no = state["voucher_no"]
        row = (
            position,
            fund_no,
            voucher_no,
            int(voucher_no[7:]),
            state["occurred_on"]["_data_"],
            kind,
            income,
            expense,
            cash,
            bank,
            person_id,
            person_role,
            category,
            state.get("reverses_voucher_no"),
        )
        self.journal.append(row)
        self.vouchers.add(row)
        delta = self.fund_deltas.get(fund_no)
        if delta is None:
            delta = self.fund_deltas[fund_no] = [0, 0, 0, 0]
        delta[0] += income
        delta[1] += expense
        delta[2] += cash
        delta[3] += bank

    def _find(self, fund_no: int, voucher_no: str) -> tuple[Any, ...]:
        row = self.vouchers.find(fund_no, voucher_no)
        assert row is not None, (fund_no, voucher_no)  # the domain only reverses what exists
        return row


_MONEY: dict[str, _Money] = {
    "fundbook:Fund.DonationReceived": _Money("donation", 1, "donor_person_id", "donor", "donor_kind"),
    "fundbook:Fund.GrantReceived": _Money("grant", 1, None, None, "grant_kind"),
    "fundbook:Fund.InterestCredited": _Money("interest", 1),
    "fundbook:Fund.TransferredIn": _Money("transfer_in", 1),
    "fundbook:Fund.ExpensePaid": _Money("expense", -1, "payee_person_id", "payee", "category"),
    "fundbook:Fund.StipendPaid": _Money("stipend", -1, "person_id", "stipend", None, "stipend"),
    "fundbook:Fund.TransferredOut": _Money("transfer_out", -1),
    "fundbook:Fund.EntryReversed": _Money("reversal", 0),
    "fundbook:Fund.CashMoved": _Money("cash_move", 0),
    "fundbook:Fund.AidPaid": _Money("aid", -1, "beneficiary_person_id", "payee", "aid_kind"),
    "fundbook:Fund.FeePaid": _Money("fee", 1, "person_id", "fee_payer", None, "fee"),
    "fundbook:Fund.RefundPaid": _Money("refund", -1, "person_id", "refund", None, "refund"),
}
AID_PAID = "fundbook:Fund.AidPaid"
STIPEND_PAID = "fundbook:Fund.StipendPaid"
REVERSED = "fundbook:Fund.EntryReversed"
FEE_PAID = "fundbook:Fund.FeePaid"
REFUND_PAID = "fundbook:Fund.RefundPaid"
MONEY_TOPICS = frozenset(_MONEY)


# --- the slow-moving tables: organisations, people, memberships, funds, period closes ---------
def _fund_established(batch: Batch, r: Record) -> None:
    s = r.state
    batch.fund_numbers[r.originator_id] = r.position
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


def _handed_over(batch: Batch, r: Record) -> None:
    """R22: the incoming person holds the role from the handover date (a custodian row, as an
    assignment makes), and the handover itself is kept with its count."""
    s = r.state
    day = iso(s["handed_over_on"])
    batch.ops.append(("custodian", (r.originator_id, s["role"], s["to_person_id"], day, r.position)))
    row = (r.position, r.originator_id, s["role"], s["from_person_id"], s["to_person_id"])
    row += (s["supervisor_person_id"], day, s["book_cash_fen"], s["book_bank_fen"])
    row += (s["cash_counted_fen"], s["bank_balance_fen"], s["cash_difference_fen"])
    row += (s["bank_difference_fen"], s["difference_note"], s["last_voucher_no"], s["inventory_ref"])
    batch.ops.append(("handover", (*row, s["recorded_by"])))


def _period_closed(batch: Batch, r: Record) -> None:
    s = r.state
    if s["period"].endswith("-12"):
        batch.vouchers.year_closed(batch.fund_numbers[r.originator_id], s["period"][:4])
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
    row = (r.originator_id, s["org_id"], iso(s["effective_on"]), None, r.position, s["membership_status"])
    batch.ops.append(("membership", row))


def _transferred(batch: Batch, r: Record) -> None:
    s = r.state
    start = iso(s["effective_on"])
    day_before = (date.fromisoformat(start) - timedelta(days=1)).isoformat()
    person = r.originator_id
    batch.ops.append(("membership_moved", (person, s["to_org_id"], start, r.position, person)))
    batch.ops.append(("membership_end_before", (day_before, person, r.position)))


def _left(batch: Batch, r: Record) -> None:
    batch.ops.append(("membership_end", (r.day("effective_on"), r.originator_id)))


def _deceased(batch: Batch, r: Record) -> None:
    day = r.day("died_on")
    batch.ops.append(("membership_end", (day, r.originator_id)))
    batch.ops.append(("person_deceased", (day, r.originator_id)))


# --- aid cases and reservations (issue 5) -------------------------------------------------------
def _stipend_terms(batch: Batch, r: Record) -> None:
    s = r.state
    row = (
        r.originator_id,
        s["person_id"],
        s["role"],
        s["monthly_fen"],
        s["from_month"],
        s["fund_id"],
        r.position,
    )
    batch.ops.append(("stipend_terms", row))


def _fees_assessed(batch: Batch, r: Record) -> None:
    for n, row in enumerate(r.state["participants"]):  # seq keeps the assessment order
        row_ = (r.originator_id, row["person_id"], row["owed_fen"], r.position * 1000 + n)
        batch.ops.append(("fee_assessed", row_))


def _collection_status(status: str) -> Callable[[Batch, Record], None]:
    def handler(batch: Batch, r: Record) -> None:
        batch.ops.append(("collection_status", (r.originator_id, status, r.position)))

    return handler


def _voucher_objection(batch: Batch, r: Record) -> None:
    s = r.state
    row = (r.originator_id, s["fund_id"], s["voucher_no"], iso(s["raised_on"]), r.position)
    batch.ops.append(("voucher_objection", row))


# --- the mutual-aid roll (issue 21 item 1) --------------------------------------------------------
def _roll_enrolled(batch: Batch, r: Record) -> None:
    s = r.state
    batch.ops.append(("roll_member", (r.position, s["fund_id"], s["person_id"], r.day("enrolled_on"))))


def _roll_left(batch: Batch, r: Record) -> None:
    s = r.state
    batch.ops.append(("roll_member_left", (r.day("left_on"), s["fund_id"], s["person_id"])))


def _roll_charge(batch: Batch, r: Record) -> None:
    s = r.state
    row = (s["fund_id"], s["year"], s["amount_fen"], r.day("due_on"), s["charter_ref"], r.position)
    batch.ops.append(("roll_charge", row))


def _roll_waiver(batch: Batch, r: Record) -> None:
    s = r.state
    row = (s["fund_id"], s["person_id"], s["year"], s["approved_by"], r.day("approved_on"), r.position)
    batch.ops.append(("roll_waiver", row))


def _roll_payment(batch: Batch, r: Record) -> None:
    s = r.state
    row = (r.position, s["fund_id"], s["person_id"], s["year"], s["voucher_no"], s["amount_fen"])
    batch.ops.append(("roll_payment", (*row, r.day("paid_on"))))


def _voucher_objection_answered(batch: Batch, r: Record) -> None:
    batch.ops.append(("voucher_objection_answered", (r.state["outcome"], r.originator_id)))


def _aid_reserved(batch: Batch, r: Record) -> None:
    batch.ops.append(("fund_reserved", (r.state["amount_fen"], r.originator_id)))
    row = (r.position, r.originator_id, iso(r.state["reserved_on"]), r.state["amount_fen"])
    batch.ops.append(("reservation", row))


def _aid_released(batch: Batch, r: Record) -> None:
    batch.ops.append(("fund_reserved", (-r.state["amount_fen"], r.originator_id)))
    row = (r.position, r.originator_id, iso(r.state["released_on"]), -r.state["amount_fen"])
    batch.ops.append(("reservation", row))


def _aid_applied(batch: Batch, r: Record) -> None:
    s = r.state
    batch.ops.append(
        (
            "aid_case",
            (
                r.originator_id,
                s["fund_id"],
                s["owner_org_id"],
                s["beneficiary_person_id"],
                s["applicant_person_id"],
                s["aid_kind"],
                s["reason_public_category"],
                int(s["publicity_consent"]),
                s["requested_fen"],
                s["signatures_required"],
                int(s["decision_required"]),
                iso(s["applied_on"]),
                r.position,
            ),
        )
    )


def _aid_signed(batch: Batch, r: Record) -> None:
    s = r.state
    batch.ops.append(
        (
            "aid_signature",
            (r.originator_id, s["signer_person_id"], s["signer_user_id"], r.day("signed_on"), r.position),
        )
    )


def _aid_approved(batch: Batch, r: Record) -> None:
    batch.ops.append(("aid_approved", (r.day("approved_on"), r.originator_id)))


def _aid_notice(batch: Batch, r: Record) -> None:
    batch.ops.append(("aid_window", (r.day("window_end"), r.originator_id)))


def _aid_closed(status: str) -> Callable[[Batch, Record], None]:
    def handler(batch: Batch, r: Record) -> None:
        batch.ops.append(("aid_status", (status, r.originator_id)))

    return handler


def _aid_paid(batch: Batch, r: Record) -> None:
    batch.ops.append(("aid_paid", (r.state["voucher_no"], r.day("paid_on"), r.originator_id)))


def _aid_payment_reversed(batch: Batch, r: Record) -> None:
    """Approved and unpaid again (ADR 0033); the fund's ``AidReserved`` sets the amount aside."""
    batch.ops.append(("aid_payment_reversed", (r.originator_id,)))


def _objection_raised(batch: Batch, r: Record) -> None:
    no = r.state["objection_no"]
    batch.ops.append(("aid_objections", (1, r.originator_id)))
    batch.ops.append(("aid_objection", (r.originator_id, no, r.day("raised_on"), r.position)))


def _objection_answered(batch: Batch, r: Record) -> None:
    case, no = r.originator_id, r.state["objection_no"]
    batch.ops.append(("aid_escalation_answered", (case, no, case)))  # reads the row, so first
    batch.ops.append(("aid_objections", (-1, case)))
    batch.ops.append(("aid_objection_answered", (r.day("answered_on"), case, no)))


def _objection_escalated(batch: Batch, r: Record) -> None:
    s = r.state
    batch.ops.append(("aid_escalated", (r.originator_id,)))
    batch.ops.append(
        (
            "aid_objection_escalated",
            (r.day("escalated_on"), s["escalated_to_org_id"], r.originator_id, s["objection_no"]),
        )
    )


def _voucher_objection_escalated(batch: Batch, r: Record) -> None:
    row = (r.day("escalated_on"), r.state["escalated_to_org_id"], r.originator_id)
    batch.ops.append(("voucher_objection_escalated", row))


def _in_kind(batch: Batch, r: Record) -> None:
    s = r.state
    row = (
        s["org_id"],
        s["gift_no"],
        r.day("received_on"),
        s["kind"],
        s["value_fen"],
        s["donor_kind"],
        s["donor_name"],
        s["public_summary"],
        s["fund_id"],
        r.position,
    )
    batch.ops.append(("in_kind", row))


def _asset(batch: Batch, r: Record) -> None:
    s = r.state
    row = (
        s["org_id"],
        s["asset_no"],
        r.day("acquired_on"),
        s["source"],
        s["fund_id"],
        s["voucher_no"],
        s["gift_no"],
        s["value_fen"],
        s["public_name"],
        s["keeper_person_id"],
        r.position,
    )
    batch.ops.append(("asset", row))


def _asset_written_off(batch: Batch, r: Record) -> None:
    row = (r.day("written_off_on"), r.state["org_id"], r.state["asset_no"])
    batch.ops.append(("asset_written_off", row))


def _dues_base(batch: Batch, r: Record) -> None:
    s = r.state
    key = (s["org_id"], s["person_id"], s["from_month"])
    batch.ops.append(("dues_base_replaced", key))
    batch.ops.append(("dues_base", (*key, s["category"], s["base_fen"], s["fixed_fen"], r.position)))


def _dues_paid(batch: Batch, r: Record) -> None:
    s = r.state
    months = ",".join(s["months"])
    row = (s["org_id"], s["payment_no"], s["person_id"], months, s["amount_fen"], s["standard_fen"])
    batch.ops.append(("dues_payment", (*row, r.day("paid_on"), r.position)))
    for month, standard in zip(s["months"], s["standards_fen"], strict=True):
        batch.ops.append(("dues_month", (s["org_id"], s["person_id"], month, standard, s["payment_no"])))


def _dues_reversed(batch: Batch, r: Record) -> None:
    s = r.state
    batch.ops.append(("dues_reversed", (r.day("reversed_on"), s["org_id"], s["payment_no"])))
    batch.ops.append(("dues_months_reversed", (s["org_id"], s["payment_no"])))


def _dues_handed_up(batch: Batch, r: Record) -> None:
    s = r.state
    batch.ops.append(("dues_handed_up", (s["handup_no"], s["org_id"])))
    row = (s["org_id"], s["handup_no"], s["to_org_id"], r.day("handed_on"), s["period_from"], s["period_to"])
    batch.ops.append(("dues_handup", (*row, s["amount_fen"], r.position)))


def _dues_rebate(batch: Batch, r: Record) -> None:
    s = r.state
    row = (
        s["org_id"],
        s["rebate_no"],
        s["from_org_id"],
        r.day("received_on"),
        s["period_from"],
        s["period_to"],
    )
    figures = (s["amount_fen"], s["rebate_share_bp"], s["handed_up_fen"], s["expected_fen"], r.position)
    batch.ops.append(("dues_rebate", (*row, *figures)))


_HANDLERS: dict[str, Callable[[Batch, Record], None]] = {
    "fundbook:Fund.Established": _fund_established,
    "fundbook:Fund.CustodianAssigned": _custodian,
    "fundbook:Fund.CustodyHandedOver": _handed_over,
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
    "fundbook:Organisation.StipendTermsSet": _stipend_terms,
    "fundbook:Fund.FeeAssessed": _fees_assessed,
    "fundbook:AidRoll.MemberEnrolled": _roll_enrolled,
    "fundbook:AidRoll.MemberLeft": _roll_left,
    "fundbook:AidRoll.ContributionSet": _roll_charge,
    "fundbook:AidRoll.ContributionWaived": _roll_waiver,
    "fundbook:AidRoll.ContributionPaid": _roll_payment,
    "fundbook:VoucherObjection.Raised": _voucher_objection,
    "fundbook:VoucherObjection.Answered": _voucher_objection_answered,
    "fundbook:VoucherObjection.Escalated": _voucher_objection_escalated,
    "fundbook:Fund.CollectionSettled": _collection_status("settled"),
    "fundbook:Fund.CollectionClosed": _collection_status("closed"),
    "fundbook:Fund.AidReserved": _aid_reserved,
    "fundbook:Fund.AidReleased": _aid_released,
    "fundbook:AidCase.Applied": _aid_applied,
    "fundbook:AidCase.Signed": _aid_signed,
    "fundbook:AidCase.Approved": _aid_approved,
    "fundbook:AidCase.NoticePosted": _aid_notice,
    "fundbook:AidCase.Rejected": _aid_closed("rejected"),
    "fundbook:AidCase.Cancelled": _aid_closed("cancelled"),
    "fundbook:AidCase.Paid": _aid_paid,
    "fundbook:AidCase.PaymentReversed": _aid_payment_reversed,
    "fundbook:AidCase.ObjectionRaised": _objection_raised,
    "fundbook:AidCase.ObjectionAnswered": _objection_answered,
    "fundbook:AidCase.ObjectionEscalated": _objection_escalated,
    "fundbook:AssetRegister.InKindReceived": _in_kind,
    "fundbook:AssetRegister.AssetRegistered": _asset,
    "fundbook:AssetRegister.AssetWrittenOff": _asset_written_off,
    "fundbook:DuesBook.BaseDeclared": _dues_base,
    "fundbook:DuesBook.DuesPaid": _dues_paid,
    "fundbook:DuesBook.PaymentReversed": _dues_reversed,
    "fundbook:DuesBook.HandedUp": _dues_handed_up,
    "fundbook:DuesBook.RebateReceived": _dues_rebate,
}
