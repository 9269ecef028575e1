"""A fund's custodians (R16) and their handovers (移交, R22, ADR 0032), a mixin of ``Fund``.

The cashier and the bookkeeper are different people (R16). The first holder of a role is
assigned; every later one takes over only through a handover before an independent supervisor
(监交人), with an inventory list and the cash and bank counted against the books: a difference is
recorded with a note, never booked. Nothing is dated before a handover (checked with every
voucher in ``fund.py``).
"""

from __future__ import annotations

from datetime import date

from eventsourcing.domain import Aggregate

from ledger.domain import errors
from ledger.domain.context import Context
from ledger.domain.fund_core import FundCore
from ledger.domain.limits import (
    REASON_LEN_MAX,
    REF_LEN_MAX,
    check_choice,
    check_date,
    check_not_future,
    check_optional_text,
    check_text,
)
from ledger.domain.money import check_counted_fen

CUSTODIAN_ROLES = ("bookkeeper", "cashier")


class Custody:
    """The events and commands of custody; ``Fund`` inherits them (its events are ``Fund.X``)."""

    # --- custody (R16) ----------------------------------------------------------------------
    class CustodianAssigned(Aggregate.Event):
        TOPIC = "fundbook:Fund.CustodianAssigned"
        role: str
        person_id: str
        from_date: date
        recorded_by: str
        request_id: str | None

        def apply(self, aggregate: FundCore) -> None:
            aggregate.custodians[self.role] = {
                "person_id": self.person_id,
                "from_date": self.from_date,
            }

    def assign_custodian(self: FundCore, ctx: Context, *, role: str, person_id: str, from_date: date) -> None:
        """The first holder of a role; a later one takes over only by a handover (R22)."""
        role = check_choice("role", role, CUSTODIAN_ROLES)
        if self.holder(role) is not None:
            raise errors.CustodianChangeNeedsHandover(role=role)
        from_date = check_date("from_date", from_date)
        check_not_future("from_date", from_date, ctx.today)
        if self.holder(other_role(role)) == person_id:
            raise errors.CashierCannotBeBookkeeper()
        self.trigger_event(
            self.CustodianAssigned,
            role=role,
            person_id=person_id,
            from_date=from_date,
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    # --- custody handover (移交, R22) ----------------------------------------------------------
    class CustodyHandedOver(Aggregate.Event):
        """移交: the books and the money pass from one custodian to the next before a supervisor
        (监交人), with an inventory list and a count. The differences (counted − book, per
        account) are recorded, never booked: correcting them is an entry of its own."""

        TOPIC = "fundbook:Fund.CustodyHandedOver"
        role: str
        from_person_id: str
        to_person_id: str
        supervisor_person_id: str
        handed_over_on: date
        book_cash_fen: int
        book_bank_fen: int
        cash_counted_fen: int
        bank_balance_fen: int
        cash_difference_fen: int
        bank_difference_fen: int
        difference_note: str | None
        last_voucher_no: str | None
        inventory_ref: str
        recorded_by: str
        request_id: str | None

        def apply(self, aggregate: FundCore) -> None:
            aggregate.custodians[self.role] = {
                "person_id": self.to_person_id,
                "from_date": self.handed_over_on,
            }
            if aggregate.handed_over_on is None or self.handed_over_on > aggregate.handed_over_on:
                aggregate.handed_over_on = self.handed_over_on

    def hand_over_custody(
        self: FundCore,
        ctx: Context,
        *,
        role: str,
        to_person_id: str,
        supervisor_person_id: str,
        handed_over_on: date,
        cash_counted_fen: int,
        bank_balance_fen: int,
        inventory_ref: str,
        difference_note: str | None = None,
    ) -> None:
        """R22: a holder of a role hands over to the next before an independent supervisor. The
        count is of the books as they stand (nothing dated after the handover is on them);
        afterwards nothing may be dated before it."""
        role = check_choice("role", role, CUSTODIAN_ROLES)
        current = self.custodians.get(role)
        if current is None:
            raise errors.CustodianNotAssigned(role=role)
        from_person = current["person_id"]
        to_person = check_text("to_person_id", to_person_id, max_len=REF_LEN_MAX)
        supervisor = check_text("supervisor_person_id", supervisor_person_id, max_len=REF_LEN_MAX)
        if to_person == from_person:
            raise errors.HandoverToSamePerson()
        if supervisor in (from_person, to_person):
            raise errors.HandoverSupervisorNotIndependent()
        if self.holder(other_role(role)) == to_person:
            raise errors.CashierCannotBeBookkeeper()
        day = self._check_handover_date(ctx, handed_over_on, current["from_date"])
        inventory = check_optional_text("inventory_ref", inventory_ref, max_len=REF_LEN_MAX)
        if inventory is None:
            raise errors.HandoverInventoryRequired()
        cash = check_counted_fen(cash_counted_fen)
        bank = check_counted_fen(bank_balance_fen)
        cash_difference = cash - self.balances_fen["cash"]
        bank_difference = bank - self.balances_fen["bank"]
        note = check_optional_text("difference_note", difference_note, max_len=REASON_LEN_MAX)
        if (cash_difference or bank_difference) and note is None:
            raise errors.HandoverDifferenceUnexplained(
                cash_difference_fen=cash_difference, bank_difference_fen=bank_difference
            )
        self.trigger_event(
            self.CustodyHandedOver,
            role=role,
            from_person_id=from_person,
            to_person_id=to_person,
            supervisor_person_id=supervisor,
            handed_over_on=day,
            book_cash_fen=self.balances_fen["cash"],
            book_bank_fen=self.balances_fen["bank"],
            cash_counted_fen=cash,
            bank_balance_fen=bank,
            cash_difference_fen=cash_difference,
            bank_difference_fen=bank_difference,
            difference_note=note,
            last_voucher_no=self.last_voucher_no(),
            inventory_ref=inventory,
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    def _check_handover_date(self: FundCore, ctx: Context, handed_over_on: object, holder_from: date) -> date:
        day = self._check_business_date(ctx, handed_over_on, "handed_over_on")
        if day < holder_from:
            raise errors.HandoverBeforeHolderBegan(
                handed_over_on=day.isoformat(), from_date=holder_from.isoformat()
            )
        latest = self._open_day_max()
        if day.isoformat() < latest:
            raise errors.HandoverBeforeLatestEntry(handed_over_on=day.isoformat(), latest_entry_on=latest)
        return day


def other_role(role: str) -> str:
    """The other custodian's role: a person holds one of the two, never both (R16)."""
    return "cashier" if role == "bookkeeper" else "bookkeeper"
