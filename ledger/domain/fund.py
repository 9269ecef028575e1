"""Fund: one earmarked pot of money (专款专用) and every movement of money in and out of it.

A fund belongs to one organisation (a node of either tree), has a kind (mutual aid, activity,
special project, collection), a list of allowed purposes, a custody (cash box, bank account, or
held by another organisation) and a policy. It keeps what every money rule needs, so that each rule
is checked in the fund (here or in one of its concern modules), before any event is raised: the
cash and bank balances (R3, never below zero on any day), the reserved amount, voucher counters per
month (R4), the closed periods (R6), the vouchers of the current fiscal year with their reversals
(R5, R7), the custodians (R16) and the stipend months already paid (R12).

Amounts are integer fen (``amount_fen > 0``); the event type gives the direction. Every money
event carries a ``voucher_no`` (``202407-003``), its business date ``occurred_on``, the account
it moves (``cash`` or ``bank``), who recorded it, the client's ``request_id``, source-document
references (R8), an internal memo (kept in the books, never printed) and, where the line
concerns no person, an optional public summary (公示摘要, the text the board prints, checked by
``ledger.domain.public_text``; ADR 0080).

The other concerns live beside this module as mixins that ``Fund`` inherits (ADR 0155, 0205):
custody and its handovers (``fund_custody.py``, R16, R22), collections (``fund_collections.py``,
R32), stipends (``fund_stipends.py``, R12), aid reservations and payments
(``fund_reservations.py``, R3, R19) and closing a month (``fund_closing.py``, R6). Their events
are the fund's own (``Fund.CustodyHandedOver``, ``Fund.PeriodClosed``, stored under the same
topics). Every voucher's event (``Fund.StipendPaid``, ``Fund.AidPaid`` and ``Fund.FeePaid``
among them), the posting of it, the money commands, reversals and the checks every voucher
passes stay here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from ledger.domain import day_balances, errors
from ledger.domain.context import Context
from ledger.domain.control_chars import ControlCharacterGuard
from ledger.domain.day_balances import DayRecord
from ledger.domain.fund_closing import Closing
from ledger.domain.fund_collections import FEE_BASES as FEE_BASES
from ledger.domain.fund_collections import REFUND_RULES as REFUND_RULES
from ledger.domain.fund_collections import Collection
from ledger.domain.fund_collections import equal_shares as equal_shares
from ledger.domain.fund_collections import refund_shares as refund_shares
from ledger.domain.fund_custody import CUSTODIAN_ROLES as CUSTODIAN_ROLES
from ledger.domain.fund_custody import Custody
from ledger.domain.fund_policy import (
    ACCOUNTS,
    FUND_KINDS,
    check_custody,
    check_policy,
    check_purposes,
    default_account,
)
from ledger.domain.fund_reservations import AidReservations
from ledger.domain.fund_stipends import Stipends
from ledger.domain.limits import (
    MEMO_LEN_MAX,
    NAME_LEN_MAX,
    REASON_LEN_MAX,
    REF_LEN_MAX,
    check_choice,
    check_date,
    check_flag,
    check_not_future,
    check_optional_text,
    check_refs,
    check_text,
)
from ledger.domain.money import check_fen
from ledger.domain.organisation import NOT_ACCOUNTING_ENTITIES
from ledger.domain.periods import (
    next_period,
    period_of,
    voucher_no,
    voucher_period,
)
from ledger.domain.public_text import NO_REGISTER, PublicRegister, check_public_text
from ledger.domain.running_balance import Posting

IMPORT_KEY_PREFIX = "import:"  # request ids of entries imported from paper books
DONOR_KINDS = ("member", "resident", "partner_unit", "company", "other")
GRANT_KINDS = ("dues_rebate", "unit_guarantee", "special_project", "fiscal", "dues_injection")


class MoneyEvent(Aggregate.Event):
    """Fields every voucher carries. ``direction``: +1 money in, -1 money out."""

    direction: ClassVar[int] = 0
    class_version = 2  # v2 adds public_summary (v1: None, the board derives the line; ADR 0080)
    voucher_no: str
    occurred_on: date
    amount_fen: int
    account: str
    recorded_by: str
    request_id: str | None
    doc_refs: list[str]
    memo: str | None
    public_summary: str | None

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["public_summary"] = None

    def postings(self) -> list[Posting]:
        return [(self.occurred_on.isoformat(), self.account, self.direction * self.amount_fen)]

    def apply(self, aggregate: Fund) -> None:
        aggregate._post(self)


class Fund(ControlCharacterGuard, Custody, Collection, Stipends, AidReservations, Closing, Aggregate):
    TOPIC = "fundbook:Fund"
    # Snapshots: v2 keeps the open postings per day and each voucher as a short record (ADR 0110).
    class_version = 2

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        postings = state.pop("open_postings", [])
        state["open_days"] = day_balances.from_postings((p[0], p[1], p[2]) for p in postings)
        state["vouchers"] = {no: compact_voucher(record) for no, record in state.get("vouchers", {}).items()}

    class Created(Aggregate.Created):
        """FundEstablished."""

        TOPIC = "fundbook:Fund.Established"
        owner_org_id: str
        kind: str
        name_zh: str
        allowed_purposes: list[str]
        custody: dict[str, Any]
        policy: dict[str, Any]
        established_on: date
        charter_doc_ref: str | None
        recorded_by: str
        request_id: str | None

    def __init__(
        self,
        owner_org_id: str,
        kind: str,
        name_zh: str,
        allowed_purposes: list[str],
        custody: dict[str, Any],
        policy: dict[str, Any],
        established_on: date,
        charter_doc_ref: str | None,
        recorded_by: str,
        request_id: str | None,
    ) -> None:
        self.owner_org_id = owner_org_id
        self.kind = kind
        self.name_zh = name_zh
        self.allowed_purposes = list(allowed_purposes)
        self.custody = dict(custody)
        self.policy = dict(policy)
        self.established_on = established_on
        self.balances_fen: dict[str, int] = {account: 0 for account in ACCOUNTS}
        self.reserved_fen = 0
        self.custodians: dict[str, dict[str, Any]] = {}
        self.voucher_counters: dict[str, int] = {}
        self.closed_through: str | None = None
        self.closed_balances_fen: dict[str, int] = {account: 0 for account in ACCOUNTS}
        self.open_days: dict[str, DayRecord] = {}  # open periods' postings per day (day_balances)
        self.period_totals: dict[str, list[int]] = {}  # open period -> [income, expense]
        self.vouchers: dict[str, list[Any]] = {}  # this fiscal year's vouchers (``voucher_record``)
        self.stipend_months: dict[str, list[str]] = {}  # person id -> months paid
        self.reservations: dict[str, int] = {}  # aid case id -> reserved fen (approved, unpaid)
        self.fees: dict[str, dict[str, int]] = {}  # collections: person -> owed, paid, refunded
        self.settled = False
        self.receipts_fen = 0  # money in since establishment, net of reversals (collections)
        self.collection_closed = False
        self.handed_over_on: date | None = None  # the latest custody handover (R22)

    def __getattr__(self, name: str) -> Any:
        """State added after a fund's snapshot was taken (aid reservations, collections, custody
        handovers): a snapshot from before has none of it, so it starts empty (called only when
        missing)."""
        factory = _ADDED_STATE.get(name)
        if factory is None:
            raise AttributeError(name)
        value = factory()
        setattr(self, name, value)
        return value

    # --- creation ---------------------------------------------------------------------------
    @classmethod
    def establish(
        cls,
        ctx: Context,
        *,
        owner_org_id: str,
        owner_kind: str,
        kind: str,
        name_zh: str,
        allowed_purposes: list[str],
        custody: dict[str, Any],
        policy: dict[str, Any] | None,
        established_on: date,
        charter_doc_ref: str | None = None,
    ) -> Fund:
        kind = check_choice("kind", kind, FUND_KINDS)
        if owner_kind in NOT_ACCOUNTING_ENTITIES:
            raise errors.OwnerNotAccountingEntity(kind=owner_kind)
        established_on = check_date("established_on", established_on)
        check_not_future("established_on", established_on, ctx.today)
        return cls(
            owner_org_id=owner_org_id,
            kind=kind,
            name_zh=check_text("name_zh", name_zh, max_len=NAME_LEN_MAX),
            allowed_purposes=check_purposes(allowed_purposes),
            custody=check_custody(custody),
            policy=check_policy(kind, policy),
            established_on=established_on,
            charter_doc_ref=check_optional_text("charter_doc_ref", charter_doc_ref, max_len=REF_LEN_MAX),
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    # --- reading ----------------------------------------------------------------------------
    @property
    def balance_fen(self) -> int:
        return sum(self.balances_fen.values())

    @property
    def available_fen(self) -> int:
        return self.balance_fen - self.reserved_fen

    def first_open_period(self) -> str:
        if self.closed_through is None:
            return period_of(self.established_on)
        return next_period(self.closed_through)

    def holder(self, role: str) -> str | None:
        entry = self.custodians.get(role)
        return entry["person_id"] if entry else None

    def last_voucher_no(self) -> str | None:
        """The number of the fund's latest voucher (months in order), or None before any."""
        if not self.voucher_counters:
            return None
        period = max(self.voucher_counters)
        return voucher_no(period, self.voucher_counters[period])

    # --- money in -----------------------------------------------------------------------------
    class DonationReceived(MoneyEvent):
        TOPIC = "fundbook:Fund.DonationReceived"
        direction = 1
        donor_kind: str
        donor_person_id: str | None
        donor_name: str | None
        publish_donor_name: bool
        campaign: str | None
        receipt_no: str | None

    class GrantReceived(MoneyEvent):
        TOPIC = "fundbook:Fund.GrantReceived"
        direction = 1
        grant_kind: str
        grantor_name: str
        grantor_org_id: str | None
        purpose: str | None

    class InterestCredited(MoneyEvent):
        TOPIC = "fundbook:Fund.InterestCredited"
        direction = 1
        bank_ref: str

    class TransferredIn(MoneyEvent):
        TOPIC = "fundbook:Fund.TransferredIn"
        direction = 1
        from_fund_id: str
        counterpart_voucher_no: str
        decision_ref: str

    # --- money out ----------------------------------------------------------------------------
    class ExpensePaid(MoneyEvent):
        TOPIC = "fundbook:Fund.ExpensePaid"
        direction = -1
        category: str
        payee: str
        payee_person_id: str | None
        handled_by: str
        approved_by: str
        witnessed_by: str | None

    class StipendPaid(MoneyEvent):
        TOPIC = "fundbook:Fund.StipendPaid"
        direction = -1
        person_id: str
        role: str
        months: list[str]
        handled_by: str

    class TransferredOut(MoneyEvent):
        TOPIC = "fundbook:Fund.TransferredOut"
        direction = -1
        to_fund_id: str
        counterpart_voucher_no: str
        decision_ref: str

    class AidPaid(MoneyEvent):
        """An approved aid case paid: consumes the case's reservation (saved with the case)."""

        TOPIC = "fundbook:Fund.AidPaid"
        direction = -1
        case_id: str
        beneficiary_person_id: str
        aid_kind: str
        handled_by: str
        approved_by: list[str]
        witnessed_by: str | None

        def apply(self, aggregate: Fund) -> None:
            aggregate._post(self)
            aggregate.reserved_fen -= aggregate.reservations.pop(self.case_id)

    class FeePaid(MoneyEvent):
        TOPIC = "fundbook:Fund.FeePaid"
        direction = 1
        person_id: str
        receipt_no: str | None

    class RefundPaid(MoneyEvent):
        """多退: a participant's share of the surplus, paid back at settlement."""

        TOPIC = "fundbook:Fund.RefundPaid"
        direction = -1
        person_id: str
        rule: str

    # --- corrections and moves --------------------------------------------------------------
    class EntryReversed(MoneyEvent):
        """红字冲销: the exact negation of one earlier voucher of this fund (R7). A reversed
        cash move (``reverses_to_account`` set, ADR 0033) moves the money back: ``account`` is
        the original's source, ``reverses_to_account`` its destination."""

        TOPIC = "fundbook:Fund.EntryReversed"
        class_version = 3  # v2 adds reverses_to_account (v1: None: no cash move was reversible),
        # v3 public_summary (always None: the board prints a reversal as 冲销…号凭证)
        reverses_voucher_no: str
        reverses_topic: str
        reverses_direction: int
        reason: str
        reverses_to_account: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["reverses_to_account"] = None

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["public_summary"] = None

        def postings(self) -> list[Posting]:
            day = self.occurred_on.isoformat()
            if self.reverses_to_account is not None:
                back = self.amount_fen
                return [(day, self.account, back), (day, self.reverses_to_account, -back)]
            return [(day, self.account, -self.reverses_direction * self.amount_fen)]

    class CashMoved(MoneyEvent):
        """存现/取现: money moved between the fund's cash box and its bank account."""

        TOPIC = "fundbook:Fund.CashMoved"
        to_account: str

        def postings(self) -> list[Posting]:
            day = self.occurred_on.isoformat()
            return [(day, self.account, -self.amount_fen), (day, self.to_account, self.amount_fen)]

    # --- commands: money in -----------------------------------------------------------------
    def receive_donation(
        self,
        ctx: Context,
        *,
        occurred_on: date,
        amount_fen: int,
        donor_kind: str,
        donor_person_id: str | None = None,
        donor_name: str | None = None,
        publish_donor_name: bool = False,
        campaign: str | None = None,
        receipt_no: str | None = None,
        account: str | None = None,
        doc_refs: list[str] | None = None,
        memo: str | None = None,
        public_summary: str | None = None,
        register: PublicRegister = NO_REGISTER,
    ) -> str:
        fields = self._entry_fields(
            ctx,
            occurred_on=occurred_on,
            amount_fen=amount_fen,
            account=account,
            doc_refs=doc_refs,
            memo=memo,
        )
        donor_kind = check_choice("donor_kind", donor_kind, DONOR_KINDS)
        donor_name = check_optional_text("donor_name", donor_name, max_len=NAME_LEN_MAX)
        if donor_kind == "member" and donor_person_id is None:
            raise errors.TextRequired(field="donor_person_id")
        if donor_kind != "member" and donor_name is None:
            raise errors.TextRequired(field="donor_name")
        publish = check_flag("publish_donor_name", publish_donor_name)
        if publish:  # the donor consented on this donation: named, but never with a number
            check_public_text("donor_name", donor_name)
        elif donor_kind in ("partner_unit", "company"):  # a unit is printed as recorded
            check_public_text("donor_name", donor_name, register)
        campaign = check_optional_text("campaign", campaign, max_len=NAME_LEN_MAX)
        self._public_summary(fields, public_summary, register, concerns_person=donor_person_id is not None)
        fields.update(
            donor_kind=donor_kind,
            donor_person_id=donor_person_id,
            donor_name=donor_name,
            publish_donor_name=publish,
            campaign=check_public_text("campaign", campaign, register),
            receipt_no=check_optional_text("receipt_no", receipt_no, max_len=REF_LEN_MAX),
        )
        return self._raise_money(Fund.DonationReceived, fields)

    def receive_grant(
        self,
        ctx: Context,
        *,
        occurred_on: date,
        amount_fen: int,
        grant_kind: str,
        grantor_name: str,
        grantor_org_id: str | None = None,
        purpose: str | None = None,
        account: str | None = None,
        doc_refs: list[str] | None = None,
        memo: str | None = None,
        public_summary: str | None = None,
        register: PublicRegister = NO_REGISTER,
    ) -> str:
        fields = self._entry_fields(
            ctx,
            occurred_on=occurred_on,
            amount_fen=amount_fen,
            account=account,
            doc_refs=doc_refs,
            memo=memo,
        )
        if self.kind == "collection":  # R32: Party money reaches a collection only by transfer
            raise errors.CollectionTopUpNeedsTransfer()
        grantor = check_text("grantor_name", grantor_name, max_len=NAME_LEN_MAX)
        self._public_summary(fields, public_summary, register)
        fields.update(
            grant_kind=check_choice("grant_kind", grant_kind, GRANT_KINDS),
            grantor_name=check_public_text("grantor_name", grantor, register),
            grantor_org_id=grantor_org_id,
            purpose=check_optional_text("purpose", purpose, max_len=NAME_LEN_MAX),
        )
        return self._raise_money(Fund.GrantReceived, fields)

    def credit_interest(
        self,
        ctx: Context,
        *,
        occurred_on: date,
        amount_fen: int,
        bank_ref: str,
        memo: str | None = None,
        public_summary: str | None = None,
        register: PublicRegister = NO_REGISTER,
    ) -> str:
        """R13: interest stays in the fund that earned it, which must be kept in a bank."""
        self._check_poster(ctx)
        if self.custody["kind"] == "cash_box":
            raise errors.InterestRequiresBankAccount()
        bank_ref = check_text("bank_ref", bank_ref, max_len=REF_LEN_MAX)
        fields = self._entry_fields(
            ctx,
            occurred_on=occurred_on,
            amount_fen=amount_fen,
            account="bank",
            doc_refs=[bank_ref],
            memo=memo,
        )
        fields["bank_ref"] = bank_ref
        self._public_summary(fields, public_summary, register)
        return self._raise_money(Fund.InterestCredited, fields)

    # --- commands: money out ----------------------------------------------------------------
    def pay_expense(
        self,
        ctx: Context,
        *,
        occurred_on: date,
        amount_fen: int,
        category: str,
        payee: str,
        handled_by: str,
        approved_by: str,
        payee_person_id: str | None = None,
        witnessed_by: str | None = None,
        account: str | None = None,
        doc_refs: list[str] | None = None,
        memo: str | None = None,
        public_summary: str | None = None,
        register: PublicRegister = NO_REGISTER,
    ) -> str:
        fields = self._entry_fields(
            ctx,
            occurred_on=occurred_on,
            amount_fen=amount_fen,
            account=account,
            doc_refs=doc_refs,
            memo=memo,
        )
        category = check_text("category", category, max_len=NAME_LEN_MAX)
        if category not in self.allowed_purposes:
            raise errors.PurposeNotAllowed(category=category)
        # a signature printed in full (an official acting in role): never with a number in it
        handled_by = check_public_text(
            "handled_by", check_text("handled_by", handled_by, max_len=REF_LEN_MAX)
        )
        approved_by = check_text("approved_by", approved_by, max_len=REF_LEN_MAX)
        if approved_by == handled_by:
            raise errors.HandlerCannotApprove()
        if payee_person_id is not None and approved_by == payee_person_id:
            raise errors.ApproverIsPayee()
        payee = check_text("payee", payee, max_len=NAME_LEN_MAX)  # internal: never printed
        self._public_summary(fields, public_summary, register, concerns_person=payee_person_id is not None)
        fields.update(
            category=category,
            payee=payee,
            payee_person_id=payee_person_id,
            handled_by=handled_by,
            approved_by=approved_by,
            witnessed_by=check_optional_text("witnessed_by", witnessed_by, max_len=REF_LEN_MAX),
        )
        return self._raise_money(Fund.ExpensePaid, fields)

    # --- commands: moves between cash and bank ---------------------------------------------
    def move_cash(
        self,
        ctx: Context,
        *,
        occurred_on: date,
        amount_fen: int,
        from_account: str,
        to_account: str,
        doc_refs: list[str] | None = None,
        memo: str | None = None,
        public_summary: str | None = None,
        register: PublicRegister = NO_REGISTER,
    ) -> str:
        """存现 (cash → bank) or 取现 (bank → cash); neither income nor expense, so the cashier,
        who handles the cash, may record it (R16 bars only income and expense entries)."""
        from_account = check_choice("from_account", from_account, ACCOUNTS)
        to_account = check_choice("to_account", to_account, ACCOUNTS)
        if from_account == to_account:
            raise errors.CashMoveSameAccount()
        fields = self._entry_fields(
            ctx,
            occurred_on=occurred_on,
            amount_fen=amount_fen,
            account=from_account,
            doc_refs=doc_refs,
            memo=memo,
            cashier_may_post=True,
        )
        fields["to_account"] = to_account
        self._public_summary(fields, public_summary, register)
        return self._raise_money(Fund.CashMoved, fields)

    # --- commands: corrections (R5, R7) -----------------------------------------------------
    def reverse_entry(
        self,
        ctx: Context,
        *,
        voucher_no: str,
        occurred_on: date,
        reason: str,
        aid_case_id: str | None = None,
    ) -> str:
        """Post the exact negation of one voucher of this fund, once, with a reason. A cash move
        is moved back (ADR 0033). An aid payment is reversed only with its case
        (``aid_case.reverse_case_payment`` names it in ``aid_case_id``): the case is approved
        and unpaid again, so the fund sets its amount aside again (``AidReserved``)."""
        self._check_poster(ctx)
        if self.settled:
            raise errors.CollectionAlreadySettled()
        voucher_no = check_text("voucher_no", voucher_no, max_len=REF_LEN_MAX)
        original = self.voucher(voucher_no)
        if original["is_reversal"]:
            raise errors.CannotReverseAReversal(voucher_no=voucher_no)
        if original["reversed_by"] is not None:
            raise errors.VoucherAlreadyReversed(voucher_no=voucher_no)
        day = self._check_open_date(ctx, occurred_on)
        if day < original["occurred_on"]:
            raise errors.ReversalDatedBeforeOriginal(voucher_no=voucher_no)
        if day.year != original["occurred_on"].year:
            raise errors.ReversalAcrossFiscalYear(voucher_no=voucher_no)
        reason = check_text("reason", reason, max_len=REASON_LEN_MAX)
        is_aid = original["topic"] == Fund.AidPaid.TOPIC
        if is_aid and aid_case_id is None:  # the case would still say "paid"
            raise errors.AidPaymentNotReversible(voucher_no=voucher_no)
        assert not is_aid or original.get("case_id", aid_case_id) == aid_case_id, (voucher_no, aid_case_id)
        fields = {
            "voucher_no": self._next_voucher_no(day),
            "occurred_on": day,
            "amount_fen": original["amount_fen"],
            "account": original["account"],
            "recorded_by": ctx.recorded_by,
            "request_id": ctx.request_id,
            "doc_refs": [],
            "memo": None,
            "public_summary": None,
            "reverses_voucher_no": voucher_no,
            "reverses_topic": original["topic"],
            "reverses_direction": original["direction"],
            "reason": reason,
            "reverses_to_account": _moved_to(original),
        }
        new_no = self._raise_money(Fund.EntryReversed, fields)
        if is_aid:
            self.trigger_event(
                Fund.AidReserved,
                case_id=aid_case_id,
                amount_fen=original["amount_fen"],
                reserved_on=day,
                recorded_by=ctx.recorded_by,
                request_id=ctx.request_id,
            )
        return new_no

    # --- mutators (run on every replay: no checks, no clocks) ----------------------------------
    def _post(self, event: MoneyEvent) -> None:
        column, signed = column_of(event)
        if column == 0:
            self.receipts_fen += signed
        period = period_of(event.occurred_on)
        self.voucher_counters[period] = self.voucher_counters.get(period, 0) + 1
        totals = self.period_totals.setdefault(period, [0, 0])
        for day, account, delta in event.postings():
            self.balances_fen[account] += delta
            day_balances.add_posting(self.open_days, day, account, delta)
            if day > self._open_day_max():
                self.open_day_max = day
        if column is not None:
            totals[column] += signed
        extra: dict[str, Any] = {}
        if isinstance(event, Fund.CashMoved):  # what a reversal moves back (ADR 0033)
            extra["to_account"] = event.to_account
        elif isinstance(event, Fund.AidPaid):  # a reversal goes through this case
            extra["case_id"] = event.case_id
        if isinstance(event, Fund.TransferredOut | Fund.TransferredIn):
            extra["counterpart_voucher_no"] = event.counterpart_voucher_no
            extra["counterpart_fund_id"] = getattr(event, "to_fund_id", None) or getattr(
                event, "from_fund_id", None
            )
        if event.request_id and event.request_id.startswith(IMPORT_KEY_PREFIX):
            self.imported_rows()[event.request_id] = event.voucher_no
        if isinstance(event, Fund.EntryReversed):
            original = self.vouchers[event.reverses_voucher_no]
            original[_REVERSED_BY] = event.voucher_no
            facts = original[_EXTRA] if len(original) > _EXTRA else {}
            for month in facts.get("stipend_months", []):  # the months may be paid again
                self.stipend_months[facts["person_id"]].remove(month)
            if "fee_person_id" in facts:  # a reversed fee is owed again
                self.fees[facts["fee_person_id"]]["paid"] -= original[_AMOUNT]
        if isinstance(event, Fund.FeePaid):
            self.fees[event.person_id]["paid"] += event.amount_fen
            extra["fee_person_id"] = event.person_id
        elif isinstance(event, Fund.RefundPaid):
            self.fees[event.person_id]["refunded"] += event.amount_fen
        if isinstance(event, Fund.StipendPaid):
            self.stipend_months.setdefault(event.person_id, []).extend(event.months)
            extra.update(person_id=event.person_id, stipend_months=list(event.months))
        record = [type(event).TOPIC, event.amount_fen, event.account, event.occurred_on.isoformat(), None]
        self.vouchers[event.voucher_no] = [*record, extra] if extra else record

    def imported_rows(self) -> dict[str, str]:
        """Row keys of imported paper-book entries -> their voucher numbers (re-import skips
        them). Made on first use, so snapshots from before imports existed still load."""
        return self.__dict__.setdefault("imported_rows_", {})

    def _open_day_max(self) -> str:
        """The latest business date among the open postings (an upper bound after a close,
        which only removes earlier ones); computed once for snapshots taken before it existed."""
        day = self.__dict__.get("open_day_max")
        if day is None:
            day = self.open_day_max = max(self.open_days, default="")
        return day

    # --- shared checks ----------------------------------------------------------------------
    def _check_business_date(self, ctx: Context, value: object, field: str) -> date:
        """A real date, not in the future, not before the fund was established."""
        day = check_date(field, value)
        check_not_future(field, day, ctx.today)
        if day < self.established_on:
            raise errors.DateBeforeEstablished(
                date=day.isoformat(), established_on=self.established_on.isoformat()
            )
        return day

    def _check_open_date(self, ctx: Context, occurred_on: object, field: str = "occurred_on") -> date:
        day = self._check_business_date(ctx, occurred_on, field)
        if self.closed_through is not None and period_of(day) <= self.closed_through:
            raise errors.PeriodClosed(period=period_of(day), open_from=next_period(self.closed_through))
        if self.handed_over_on is not None and day < self.handed_over_on:  # R22: counted, final
            raise errors.EntryBeforeHandover(
                date=day.isoformat(), handed_over_on=self.handed_over_on.isoformat()
            )
        return day

    def _check_poster(self, ctx: Context) -> None:
        if ctx.person == self.holder("cashier"):
            raise errors.CashierCannotPostEntries()

    def _check_amount(self, amount_fen: object) -> int:
        return check_fen(amount_fen, max_fen=self.policy["entry_max_fen"])

    def _check_account(self, account: object) -> str:
        if account is None:
            return default_account(self.custody)
        return check_choice("account", account, ACCOUNTS)

    def _check_can_pay(self, postings: list[Posting], *, releasing_fen: int = 0) -> None:
        reserved_fen = self.reserved_fen - releasing_fen
        if all(day >= self._open_day_max() for day, _, _ in postings):
            # Nothing later is on the books: the running balance ends today, so only the end
            # balances can go negative (O(1) instead of replaying the open periods).
            running = dict(self.balances_fen)
            for day, account, delta in postings:
                running[account] += delta
                if running[account] < 0:
                    raise errors.InsufficientFunds(
                        account=account, available_fen=running[account] - delta, date=day
                    )
            available = sum(running.values()) - reserved_fen
            if available < 0 and any(delta < 0 for *_, delta in postings):
                before = available - sum(delta for *_, delta in postings)
                raise errors.InsufficientFunds(account="available", available_fen=before, date="today")
            return
        day_balances.check_never_overdrawn_by_day(
            self.closed_balances_fen, self.open_days, postings, reserved_fen=reserved_fen
        )

    def _next_voucher_no(self, day: date) -> str:
        period = period_of(day)
        return voucher_no(period, self.voucher_counters.get(period, 0) + 1)

    def _entry_fields(
        self,
        ctx: Context,
        *,
        occurred_on: object,
        amount_fen: object,
        account: object,
        doc_refs: object,
        memo: object,
        refs_required: bool = True,
        cashier_may_post: bool = False,
    ) -> dict[str, Any]:
        """Check and gather what every voucher carries (the order is the documented one)."""
        if not cashier_may_post:
            self._check_poster(ctx)
        if self.settled:
            raise errors.CollectionAlreadySettled()
        day = self._check_open_date(ctx, occurred_on)
        amount = self._check_amount(amount_fen)
        return {
            "voucher_no": self._next_voucher_no(day),
            "occurred_on": day,
            "amount_fen": amount,
            "account": self._check_account(account),
            "recorded_by": ctx.recorded_by,
            "request_id": ctx.request_id,
            "doc_refs": check_refs("doc_refs", doc_refs, required=refs_required),
            "memo": check_optional_text("memo", memo, max_len=MEMO_LEN_MAX),
            "public_summary": None,
        }

    @staticmethod
    def _public_summary(
        fields: dict[str, Any], text: object, register: PublicRegister, *, concerns_person: bool = False
    ) -> None:
        """The typed public summary (公示摘要), if any: refused on a line about a person (the
        board prints its category and masked name only) and when it holds anything private."""
        summary = check_optional_text("public_summary", text, max_len=MEMO_LEN_MAX)
        if summary is not None and concerns_person:
            raise errors.PublicSummaryConcernsPerson()
        fields["public_summary"] = check_public_text("public_summary", summary, register)

    def _raise_money(
        self, event_class: type[MoneyEvent], fields: dict[str, Any], *, releasing_fen: int = 0
    ) -> str:
        """Check the no-overdraft rule on the would-be event, then raise it. ``releasing_fen``:
        the reservation the voucher spends (an aid payment's own), available to it."""
        probe = _probe(event_class, fields)
        self._check_can_pay(probe.postings(), releasing_fen=releasing_fen)
        self.trigger_event(event_class, **fields)
        return fields["voucher_no"]

    def voucher_record(self, number: str) -> dict[str, Any] | None:
        """One of this fiscal year's vouchers as the rules read it (None if not among them)."""
        record = self.vouchers.get(number)
        return None if record is None else expand_voucher(record)

    def voucher(self, number: str) -> dict[str, Any]:
        record = self.voucher_record(number)
        if record is None:
            period = voucher_period(number)
            if period is not None and period < self.first_open_period()[:4] + "-01":
                raise errors.ReversalAcrossFiscalYear(voucher_no=number)
            raise errors.VoucherNotFound(voucher_no=number)
        return record


def column_of(event: MoneyEvent) -> tuple[int | None, int]:
    """Which total (0 income, 1 expense) an event counts in, and with which sign.

    A reversal counts in the column of the voucher it reverses, negatively (red ink), in the
    period it is posted (R35). Moves between cash and bank are neither income nor expense.
    """
    if isinstance(event, Fund.EntryReversed):
        direction = event.reverses_direction
        if direction == 0:  # a cash move moved back
            return None, 0
        return (0 if direction > 0 else 1), -event.amount_fen
    if event.direction == 0:
        return None, 0
    return (0 if event.direction > 0 else 1), event.amount_fen


def _moved_to(original: dict[str, Any]) -> str | None:
    """Where a cash move took the money (None for any other voucher). A fund snapshot taken
    before reversals of cash moves existed has no ``to_account`` on its records: a move goes
    from one of the two accounts to the other."""
    if original["topic"] != Fund.CashMoved.TOPIC:
        return None
    assert len(ACCOUNTS) == 2, ACCOUNTS
    return original.get("to_account") or next(a for a in ACCOUNTS if a != original["account"])


# A voucher of the open fiscal year as the Fund keeps it (ADR 0110): what a reversal, an objection
# or an aid case needs, in a short list, ``[topic, amount_fen, account, iso date, reversed_by]``,
# plus a dict of the few facts some kinds carry (a cash move's ``to_account``, an aid payment's
# ``case_id``, a transfer's counterpart, a fee's or a stipend's person and months).
_TOPIC, _AMOUNT, _ACCOUNT, _DAY, _REVERSED_BY, _EXTRA = range(6)
_RECORD_KEYS = ("topic", "direction", "amount_fen", "account", "occurred_on", "reversed_by", "is_reversal")


def expand_voucher(record: list[Any]) -> dict[str, Any]:
    """A kept voucher record as the rules read it (the dict older code and snapshots used)."""
    topic = record[_TOPIC]
    out = {
        "topic": topic,
        "direction": _directions()[topic],
        "amount_fen": record[_AMOUNT],
        "account": record[_ACCOUNT],
        "occurred_on": date.fromisoformat(record[_DAY]),
        "reversed_by": record[_REVERSED_BY],
        "is_reversal": topic == Fund.EntryReversed.TOPIC,
    }
    if len(record) > _EXTRA:
        out.update(record[_EXTRA])
    return out


def compact_voucher(record: dict[str, Any]) -> list[Any]:
    """The short record of a voucher kept as a dict by a snapshot of class version 1."""
    day = record["occurred_on"]
    short = [
        record["topic"],
        record["amount_fen"],
        record["account"],
        day.isoformat() if isinstance(day, date) else str(day),
        record["reversed_by"],
    ]
    extra = {key: value for key, value in record.items() if key not in _RECORD_KEYS}
    return [*short, extra] if extra else short


@functools.cache
def _directions() -> dict[str, int]:
    """Each money event's topic -> its direction (+1 in, -1 out, 0 a move)."""
    out: dict[str, int] = {}
    pending: list[type[MoneyEvent]] = [MoneyEvent]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if "TOPIC" in vars(cls):
            out[cls.TOPIC] = cls.direction
    return out


_ADDED_STATE: dict[str, Callable[[], Any]] = {
    "reservations": dict,
    "fees": dict,
    "settled": bool,
    "collection_closed": bool,
    "receipts_fen": int,
    "handed_over_on": lambda: None,
}


def _probe(event_class: type[MoneyEvent], fields: dict[str, Any]) -> MoneyEvent:
    """An unsaved instance, only to ask for its postings before raising the real event."""
    probe = object.__new__(event_class)
    probe.__dict__.update(fields)
    return probe


def check_voucher_id(value: object) -> str:
    return check_text("voucher_no", value, max_len=20)


def fund_uuid(value: str | UUID) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


def transfer_between(
    ctx: Context,
    source: Fund,
    target: Fund,
    *,
    occurred_on: date,
    amount_fen: int,
    decision_ref: str,
    doc_refs: list[str] | None = None,
    memo: str | None = None,
) -> tuple[str, str]:
    """R11: money moves between funds only by a collectively decided grant, recorded on both
    funds (the caller saves both in one transaction). Mutual-aid money stays mutual aid."""
    if source.id == target.id:
        raise errors.TransferToSameFund()
    decision = check_optional_text("decision_ref", decision_ref, max_len=REF_LEN_MAX)
    if decision is None:
        raise errors.DecisionReferenceRequired()
    if source.kind == "mutual_aid" and target.kind != "mutual_aid":
        raise errors.TransferBreaksEarmark()
    refs = doc_refs if doc_refs else [decision]
    common = {"occurred_on": occurred_on, "amount_fen": amount_fen, "doc_refs": refs, "memo": memo}
    out_fields = source._entry_fields(ctx, account=None, **common)
    in_fields = target._entry_fields(ctx, account=None, **common)
    out_fields.update(
        to_fund_id=str(target.id),
        counterpart_voucher_no=in_fields["voucher_no"],
        decision_ref=decision,
    )
    in_fields.update(
        from_fund_id=str(source.id),
        counterpart_voucher_no=out_fields["voucher_no"],
        decision_ref=decision,
    )
    out_no = source._raise_money(Fund.TransferredOut, out_fields)
    in_no = target._raise_money(Fund.TransferredIn, in_fields)
    return out_no, in_no
