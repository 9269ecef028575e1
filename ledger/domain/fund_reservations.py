"""Aid reservations (R3, R19): approved, unpaid aid set aside, a mixin of ``Fund``.

An aid case approved (``aid_case.py``) sets its amount aside in the fund, never more than is
available (available = balance − reserved, R3); a rejected or cancelled case gives it back; the
payment spends it in full. The payment is a voucher of the fund (``Fund.AidPaid`` in
``fund.py``, posted like every other, which also consumes the reservation); a reversed aid
payment sets the amount aside again (``reverse_entry`` in ``fund.py``). The reservation events
and the commands of the aid cases are here.
"""

from __future__ import annotations

from datetime import date

from eventsourcing.domain import Aggregate

from ledger.domain import errors
from ledger.domain.context import Context
from ledger.domain.fund_core import FundCore
from ledger.domain.limits import REF_LEN_MAX, check_optional_text


class AidReservations:
    """The events and commands of aid reservations; ``Fund`` inherits them (its events are ``Fund.X``)."""

    # --- aid reservations (approved, unpaid aid: available = balance - reserved) -------------
    class AidReserved(Aggregate.Event):
        TOPIC = "fundbook:Fund.AidReserved"
        case_id: str
        amount_fen: int
        reserved_on: date
        recorded_by: str
        request_id: str | None

        def apply(self, aggregate: FundCore) -> None:
            aggregate.reservations[self.case_id] = self.amount_fen
            aggregate.reserved_fen += self.amount_fen

    class AidReleased(Aggregate.Event):
        TOPIC = "fundbook:Fund.AidReleased"
        case_id: str
        amount_fen: int
        released_on: date
        reason: str
        recorded_by: str
        request_id: str | None

        def apply(self, aggregate: FundCore) -> None:
            aggregate.reserved_fen -= aggregate.reservations.pop(self.case_id)

    # --- commands: aid cases (R3, R19) ---------------------------------------------------------
    def reserve_aid(self: FundCore, ctx: Context, *, case_id: str, amount_fen: int) -> None:
        """Set aside an approved case's amount: never more than is available."""
        assert case_id not in self.reservations, case_id
        if amount_fen > self.available_fen:
            raise errors.AidReservationExceedsAvailable(
                amount_fen=amount_fen, available_fen=self.available_fen
            )
        self.trigger_event(
            self.AidReserved,
            case_id=case_id,
            amount_fen=amount_fen,
            reserved_on=ctx.today,
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    def release_aid(self: FundCore, ctx: Context, *, case_id: str, reason: str) -> None:
        """A rejected or cancelled case gives its reservation back."""
        self.trigger_event(
            self.AidReleased,
            case_id=case_id,
            amount_fen=self.reservations[case_id],
            released_on=ctx.today,
            reason=reason,
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    def pay_aid(
        self: FundCore,
        ctx: Context,
        *,
        case_id: str,
        occurred_on: date,
        beneficiary_person_id: str,
        aid_kind: str,
        approved_by: list[str],
        witnessed_by: str | None = None,
        account: str | None = None,
        doc_refs: list[str] | None = None,
        memo: str | None = None,
    ) -> str:
        """Pay a case's reservation in full. The cashier may record it: the amount and the
        signers are fixed by the case, so the entry is the cashier's own act of paying."""
        amount = self.reservations[case_id]
        fields = self._entry_fields(
            ctx,
            occurred_on=occurred_on,
            amount_fen=amount,
            account=account,
            doc_refs=doc_refs,
            memo=memo,
            cashier_may_post=True,
        )
        fields.update(
            case_id=case_id,
            beneficiary_person_id=beneficiary_person_id,
            aid_kind=aid_kind,
            handled_by=ctx.person,
            approved_by=list(approved_by),
            witnessed_by=check_optional_text("witnessed_by", witnessed_by, max_len=REF_LEN_MAX),
        )
        return self._raise_money(self.AidPaid, fields, releasing_fen=amount)  # its own reservation is spent
