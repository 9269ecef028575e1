"""DuesBook: a branch's Party dues on their way up (党费收缴、上缴、返还), ADR 0160.

Dues are the Party's, not the branch's: the branch collects them from each member every month
and hands them up in full. The book is therefore a clearing account outside every fund: nothing
here touches a ``Fund``, so no cash or bank balance of any fund ever changes, and what is held
(collected and not yet handed up) must be exactly zero after each hand-up.

- ``configure``: from a month, the rate table (None: the dated default, ``dues_rates``) and the
  rebate share in basis points (None: no rebate expected);
- ``declare_base``: a member's category and monthly base (or fixed amount) from a month;
- ``pay``: a member's dues for one or more months, the amount as entered (more than the
  standard is a voluntary extra; nothing is guessed), the standard of those months recorded
  beside it;
- ``reverse_payment``: a mistaken payment, only while it is still held (never after hand-up);
- ``hand_up``: everything held, to an organisation above the branch; the amount entered must be
  the whole of it, so a partial hand-up or one of nothing is refused;
- ``receive_rebate``: the rebate (返还) the branch received, with the expected figure (the share
  in force times what was handed up in the period) and the difference recorded: a difference is
  a warning in the views, never a refusal. The rebate's money itself is entered in a fund as a
  grant, as before.

One book per branch, its id derived from the branch's (``book_id``), made by its first command.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from ledger.domain import errors
from ledger.domain.asset_register import next_no
from ledger.domain.context import Context
from ledger.domain.control_chars import ControlCharacterGuard
from ledger.domain.dues_rates import BASIS_POINTS, FIXED, check_table, default_table, standard_fen
from ledger.domain.limits import (
    REASON_LEN_MAX,
    REF_LEN_MAX,
    check_choice,
    check_date,
    check_not_future,
    check_optional_text,
    check_text,
)
from ledger.domain.money import check_counted_fen, check_fen
from ledger.domain.periods import check_period, period_of

MONTHS_PER_PAYMENT_MAX = 12
_NAMESPACE = uuid5(NAMESPACE_URL, "https://fundbook.invalid/dues-book")


def book_id(org_id: str) -> UUID:
    """The dues book of a branch: one, found from the branch's id alone."""
    return uuid5(_NAMESPACE, str(org_id))


def in_force(timeline: list[dict[str, Any]], month: str) -> dict[str, Any] | None:
    """The entry of a ``from_month`` timeline in force in ``month``."""
    found = None
    for entry in timeline:
        if entry["from_month"] <= month:
            found = entry
    return found


def expected_rebate_fen(handed_up_fen: int, share_bp: int) -> int:
    return (handed_up_fen * share_bp + BASIS_POINTS // 2) // BASIS_POINTS


class DuesBook(ControlCharacterGuard, Aggregate):
    TOPIC = "fundbook:DuesBook"

    class Created(Aggregate.Created):
        TOPIC = "fundbook:DuesBook.Opened"
        org_id: str

    def __init__(self, org_id: str) -> None:
        self.org_id = org_id
        self.settings: list[dict[str, Any]] = []  # {"from_month", "table", "rebate_share_bp"}
        self.bases: dict[str, list[dict[str, Any]]] = {}  # person -> declarations by from_month
        self.paid_months: dict[tuple[str, str], str] = {}  # (person, month) -> payment no
        # payment no -> {"person_id", "months", "amount_fen", "paid_on", "state"}; state:
        # "held" (collected, not handed up), "handed_up" or "reversed"
        self.payments: dict[str, dict[str, Any]] = {}
        self.held_fen = 0  # the clearing balance: collected and not yet handed up
        self.handups: dict[str, dict[str, Any]] = {}  # no -> {"handed_on", "amount_fen"}
        self.rebates: dict[str, dict[str, Any]] = {}  # no -> {"period_from", "period_to", ...}

    @classmethod
    def open(cls, org_id: str) -> DuesBook:
        return cls._create(cls.Created, id=book_id(org_id), org_id=str(org_id))

    # --- events ---------------------------------------------------------------------------------
    class Configured(Aggregate.Event):
        TOPIC = "fundbook:DuesBook.Configured"
        org_id: str
        from_month: str
        table: dict[str, Any] | None  # None: the dated default table
        rebate_share_bp: int | None  # None: no rebate expected
        decision_ref: str
        recorded_by: str
        request_id: str | None

        def apply(self, book: DuesBook) -> None:
            entry = {
                "from_month": self.from_month,
                "table": self.table,
                "rebate_share_bp": self.rebate_share_bp,
            }
            _put(book.settings, entry)

    class BaseDeclared(Aggregate.Event):
        TOPIC = "fundbook:DuesBook.BaseDeclared"
        org_id: str
        person_id: str  # private: the member's base is theirs and the branch officers'
        from_month: str
        category: str
        base_fen: int | None
        fixed_fen: int | None
        recorded_by: str
        request_id: str | None

        def apply(self, book: DuesBook) -> None:
            entry = {
                "from_month": self.from_month,
                "category": self.category,
                "base_fen": self.base_fen,
                "fixed_fen": self.fixed_fen,
            }
            _put(book.bases.setdefault(self.person_id, []), entry)

    class DuesPaid(Aggregate.Event):
        TOPIC = "fundbook:DuesBook.DuesPaid"
        org_id: str
        payment_no: str
        person_id: str
        months: list[str]
        amount_fen: int  # as entered
        standard_fen: int  # the standard of those months, shown beside it
        standards_fen: list[int]  # each month's, in the order of ``months``
        paid_on: date
        receipt_ref: str
        recorded_by: str
        request_id: str | None

        def apply(self, book: DuesBook) -> None:
            book.payments[self.payment_no] = {
                "person_id": self.person_id,
                "months": list(self.months),
                "amount_fen": self.amount_fen,
                "paid_on": self.paid_on,
                "state": "held",
            }
            for month in self.months:
                book.paid_months[(self.person_id, month)] = self.payment_no
            book.held_fen += self.amount_fen

    class PaymentReversed(Aggregate.Event):
        TOPIC = "fundbook:DuesBook.PaymentReversed"
        org_id: str
        payment_no: str
        reversed_on: date
        reason: str  # internal
        recorded_by: str
        request_id: str | None

        def apply(self, book: DuesBook) -> None:
            payment = book.payments[self.payment_no]
            payment["state"] = "reversed"
            for month in payment["months"]:
                book.paid_months.pop((payment["person_id"], month), None)
            book.held_fen -= payment["amount_fen"]

    class HandedUp(Aggregate.Event):
        TOPIC = "fundbook:DuesBook.HandedUp"
        org_id: str
        handup_no: str
        to_org_id: str
        handed_on: date
        amount_fen: int  # everything held: the clearing balance is zero after it
        period_from: str  # the earliest and latest month of the payments it carries
        period_to: str
        payment_nos: list[str]
        receipt_ref: str
        recorded_by: str
        request_id: str | None

        def apply(self, book: DuesBook) -> None:
            for no in self.payment_nos:
                book.payments[no]["state"] = "handed_up"
            book.held_fen -= self.amount_fen
            book.handups[self.handup_no] = {"handed_on": self.handed_on, "amount_fen": self.amount_fen}

    class RebateReceived(Aggregate.Event):
        TOPIC = "fundbook:DuesBook.RebateReceived"
        org_id: str
        rebate_no: str
        from_org_id: str
        received_on: date
        amount_fen: int  # as received
        period_from: str  # the hand-ups it answers: those dated in these months
        period_to: str
        rebate_share_bp: int  # the share in force at period_to
        handed_up_fen: int
        expected_fen: int  # share x handed up, rounded half up to the fen
        decision_ref: str
        recorded_by: str
        request_id: str | None

        def apply(self, book: DuesBook) -> None:
            book.rebates[self.rebate_no] = {"period_from": self.period_from, "period_to": self.period_to}

    # --- commands -------------------------------------------------------------------------------
    def configure(
        self,
        ctx: Context,
        *,
        from_month: str,
        decision_ref: str,
        table: object = None,
        rebate_share_bp: object = None,
    ) -> None:
        from_month = check_period(from_month, "from_month")
        checked = None if table is None else check_table(table)
        if rebate_share_bp is not None and (
            type(rebate_share_bp) is not int or not 0 < rebate_share_bp <= 10_000
        ):
            raise errors.ValueNotAllowed(
                field="rebate_share_bp", value=str(rebate_share_bp), allowed="1 to 10000"
            )
        self.trigger_event(
            self.Configured,
            org_id=self.org_id,
            from_month=from_month,
            table=checked,
            rebate_share_bp=rebate_share_bp,
            decision_ref=check_text("decision_ref", decision_ref, max_len=REF_LEN_MAX),
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    def table_for(self, month: str) -> dict[str, Any] | None:
        setting = in_force(self.settings, month)
        if setting is not None and setting["table"] is not None:
            return setting["table"]
        return default_table(month)

    def standard_of(self, person_id: str, month: str) -> int:
        """The member's standard for ``month``: by the declaration and the table in force."""
        declared = in_force(self.bases.get(person_id, []), month)
        if declared is None:
            raise errors.DuesBaseNotDeclared(person_id=person_id, month=month)
        return standard_fen(
            self.table_for(month), declared["category"], declared["base_fen"], declared["fixed_fen"]
        )

    def declare_base(
        self,
        ctx: Context,
        *,
        person_id: str,
        from_month: str,
        category: str,
        base_fen: int | None = None,
        fixed_fen: int | None = None,
    ) -> None:
        """``person_id``: checked by the caller to be a member of this branch."""
        from_month = check_period(from_month, "from_month")
        category = check_text("category", category, max_len=REF_LEN_MAX)
        if category == FIXED:
            if base_fen is not None:
                raise errors.ValueNotAllowed(field="base_fen", value=str(base_fen), allowed="none for fixed")
            fixed_fen = check_fen(fixed_fen)
        else:
            table = self.table_for(from_month) or {}
            category = check_choice("category", category, (*table, FIXED))
            if fixed_fen is not None:
                raise errors.ValueNotAllowed(
                    field="fixed_fen", value=str(fixed_fen), allowed="only for fixed"
                )
            base_fen = None if base_fen is None else check_counted_fen(base_fen)
        standard_fen(self.table_for(from_month), category, base_fen, fixed_fen)  # it gives a figure
        paid = [m for (p, m) in self.paid_months if p == person_id and m >= from_month]
        if paid:
            raise errors.DuesBaseBeforePaidMonth(from_month=from_month, paid_month=max(paid))
        self.trigger_event(
            self.BaseDeclared,
            org_id=self.org_id,
            person_id=person_id,
            from_month=from_month,
            category=category,
            base_fen=base_fen,
            fixed_fen=fixed_fen,
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    def pay(
        self,
        ctx: Context,
        *,
        person_id: str,
        months: list[str],
        amount_fen: int,
        paid_on: date,
        receipt_ref: str,
    ) -> dict[str, Any]:
        """``person_id``: checked by the caller to be a member of this branch on ``paid_on``."""
        paid_on = _day(ctx, "paid_on", paid_on)
        if not isinstance(months, list) or not months:
            raise errors.TextRequired(field="months")
        if len(months) > MONTHS_PER_PAYMENT_MAX:
            raise errors.TooManyItems(field="months", max_items=MONTHS_PER_PAYMENT_MAX)
        checked = [check_period(m, "months") for m in months]
        if len(set(checked)) != len(checked):
            raise errors.ValueNotAllowed(field="months", value=",".join(checked), allowed="each month once")
        months = sorted(checked)
        for month in months:
            earlier = self.paid_months.get((person_id, month))
            if earlier is not None:
                raise errors.DuesMonthAlreadyPaid(month=month, payment_no=earlier)
        standards = [self.standard_of(person_id, m) for m in months]
        standard = sum(standards)
        amount_fen = check_fen(amount_fen)
        payment_no = next_no("D", paid_on, self.payments)
        self.trigger_event(
            self.DuesPaid,
            org_id=self.org_id,
            payment_no=payment_no,
            person_id=person_id,
            months=months,
            amount_fen=amount_fen,
            standard_fen=standard,
            standards_fen=standards,
            paid_on=paid_on,
            receipt_ref=check_text("receipt_ref", receipt_ref, max_len=REF_LEN_MAX),
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )
        return {"payment_no": payment_no, "standard_fen": standard, "difference_fen": amount_fen - standard}

    def reverse_payment(self, ctx: Context, *, payment_no: str, reversed_on: date, reason: str) -> str:
        payment_no = check_text("payment_no", payment_no, max_len=REF_LEN_MAX)
        payment = self.payments.get(payment_no)
        if payment is None:
            raise errors.DuesPaymentNotFound(payment_no=payment_no)
        if payment["state"] == "reversed":
            raise errors.DuesPaymentAlreadyReversed(payment_no=payment_no)
        if payment["state"] == "handed_up":
            raise errors.DuesPaymentHandedUp(payment_no=payment_no)
        reversed_on = _day(ctx, "reversed_on", reversed_on)
        _not_before(reversed_on, payment["paid_on"])
        self.trigger_event(
            self.PaymentReversed,
            org_id=self.org_id,
            payment_no=payment_no,
            reversed_on=reversed_on,
            reason=check_text("reason", reason, max_len=REASON_LEN_MAX),
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )
        return payment_no

    def hand_up(
        self, ctx: Context, *, to_org_id: str, handed_on: date, amount_fen: int, receipt_ref: str
    ) -> dict[str, Any]:
        """``to_org_id``: checked by the caller to be an organisation above this branch."""
        handed_on = _day(ctx, "handed_on", handed_on)
        amount_fen = check_fen(amount_fen)
        held = [no for no, p in self.payments.items() if p["state"] == "held"]
        if self.held_fen == 0:
            raise errors.DuesNothingToHandUp(org_id=self.org_id)
        if amount_fen != self.held_fen:
            raise errors.DuesHandUpNotWhole(amount_fen=amount_fen, held_fen=self.held_fen)
        _not_before(handed_on, max(self.payments[no]["paid_on"] for no in held))
        months = [m for no in held for m in self.payments[no]["months"]]
        handup_no = next_no("S", handed_on, self.handups)
        self.trigger_event(
            self.HandedUp,
            org_id=self.org_id,
            handup_no=handup_no,
            to_org_id=to_org_id,
            handed_on=handed_on,
            amount_fen=amount_fen,
            period_from=min(months),
            period_to=max(months),
            payment_nos=held,
            receipt_ref=check_text("receipt_ref", receipt_ref, max_len=REF_LEN_MAX),
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )
        return {"handup_no": handup_no, "held_fen": self.held_fen}

    def receive_rebate(
        self,
        ctx: Context,
        *,
        from_org_id: str,
        received_on: date,
        amount_fen: int,
        period_from: str,
        period_to: str,
        decision_ref: str | None = None,
    ) -> dict[str, Any]:
        """``from_org_id``: checked by the caller to be an organisation above this branch."""
        received_on = _day(ctx, "received_on", received_on)
        amount_fen = check_fen(amount_fen)
        period_from = check_period(period_from, "period_from")
        period_to = check_period(period_to, "period_to")
        if period_to < period_from:
            raise errors.DatesOutOfOrder(field="period_to", earlier_field="period_from")
        setting = in_force(self.settings, period_to)
        if setting is None or setting["rebate_share_bp"] is None:
            raise errors.DuesRebateShareNotConfigured(month=period_to)
        for no, r in self.rebates.items():
            if r["period_from"] <= period_to and period_from <= r["period_to"]:
                raise errors.DuesRebatePeriodOverlaps(rebate_no=no)
        handed_up = sum(
            h["amount_fen"]
            for h in self.handups.values()
            if period_from <= period_of(h["handed_on"]) <= period_to
        )
        share = setting["rebate_share_bp"]
        expected = expected_rebate_fen(handed_up, share)
        rebate_no = next_no("R", received_on, self.rebates)
        self.trigger_event(
            self.RebateReceived,
            org_id=self.org_id,
            rebate_no=rebate_no,
            from_org_id=from_org_id,
            received_on=received_on,
            amount_fen=amount_fen,
            period_from=period_from,
            period_to=period_to,
            rebate_share_bp=share,
            handed_up_fen=handed_up,
            expected_fen=expected,
            decision_ref=check_optional_text("decision_ref", decision_ref, max_len=REF_LEN_MAX) or "",
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )
        warning = None if amount_fen == expected else "dues_rebate_differs_from_share"
        return {
            "rebate_no": rebate_no,
            "expected_fen": expected,
            "difference_fen": amount_fen - expected,
            "warning": warning,
        }


def _put(timeline: list[dict[str, Any]], entry: dict[str, Any]) -> None:
    """Into a timeline kept in ``from_month`` order; an entry for the same month replaces it."""
    timeline[:] = [e for e in timeline if e["from_month"] != entry["from_month"]]
    timeline.append(entry)
    timeline.sort(key=lambda e: e["from_month"])


def _day(ctx: Context, field: str, value: object) -> date:
    day = check_date(field, value)
    check_not_future(field, day, ctx.today)
    return day


def _not_before(day: date, earliest: date) -> None:
    if day < earliest:
        raise errors.DuesDatedBeforePayment(day=day.isoformat(), paid_on=earliest.isoformat())
