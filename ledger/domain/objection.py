"""VoucherObjection: an objection to one voucher of a fund (群众异议), raised by anyone — or
anonymously, and then no identity is stored (R36) — and answered by an approver of the fund's
organisation. An upheld objection on a voucher records the finding; the correction itself is
the bookkeeper's reversal (R7). Objections on an aid case live on the case (``aid_case``).

Unanswered past the fund's service level (R36, ``objection_answer_days``), an objection is
escalated once to the organisation one level up; it may then be answered by an approver of
either organisation (ADR 0031)."""

from __future__ import annotations

from datetime import date

from eventsourcing.domain import Aggregate

from ledger.domain import errors
from ledger.domain.aid_case import OBJECTION_OUTCOMES, objection_due_on
from ledger.domain.context import Context
from ledger.domain.control_chars import ControlCharacterGuard
from ledger.domain.fund import Fund
from ledger.domain.limits import REASON_LEN_MAX, REF_LEN_MAX, check_choice, check_flag, check_text


class VoucherObjection(ControlCharacterGuard, Aggregate):
    TOPIC = "fundbook:VoucherObjection"

    class Created(Aggregate.Created):
        """ObjectionRaised on a voucher; ``raised_by`` is None when anonymous."""

        TOPIC = "fundbook:VoucherObjection.Raised"
        fund_id: str
        owner_org_id: str
        voucher_no: str
        raised_by: str | None
        raised_on: date
        text_private: str

    def __init__(
        self,
        fund_id: str,
        owner_org_id: str,
        voucher_no: str,
        raised_by: str | None,
        raised_on: date,
        text_private: str,
    ) -> None:
        self.fund_id = fund_id
        self.owner_org_id = owner_org_id
        self.voucher_no = voucher_no
        self.raised_on = raised_on
        self.outcome: str | None = None
        self.escalated_to_org_id: str | None = None

    @classmethod
    def raise_on(
        cls, ctx: Context, *, fund: Fund, voucher_no: str, text: str, anonymous: bool
    ) -> VoucherObjection:
        number = check_text("voucher_no", voucher_no, max_len=REF_LEN_MAX)
        if number not in fund.vouchers:  # this fiscal year's vouchers
            raise errors.VoucherNotFound(voucher_no=number)
        return cls(
            fund_id=str(fund.id),
            owner_org_id=fund.owner_org_id,
            voucher_no=number,
            raised_by=None if check_flag("anonymous", anonymous) else ctx.person,
            raised_on=ctx.today,
            text_private=check_text("text", text, max_len=REASON_LEN_MAX),
        )

    class Answered(Aggregate.Event):
        TOPIC = "fundbook:VoucherObjection.Answered"
        outcome: str
        answer_private: str
        answered_by: str
        answered_on: date
        request_id: str | None

        def apply(self, objection: VoucherObjection) -> None:
            objection.outcome = self.outcome

    class Escalated(Aggregate.Event):
        """ObjectionEscalated on a voucher: names no objector."""

        TOPIC = "fundbook:VoucherObjection.Escalated"
        due_on: date
        escalated_on: date
        escalated_to_org_id: str
        escalated_by: str

        def apply(self, objection: VoucherObjection) -> None:
            objection.escalated_to_org_id = self.escalated_to_org_id

    def answering_org_ids(self) -> list[str]:
        """The fund's organisation (and, through the role check, those above it), and the one
        the objection was escalated to."""
        up = self.escalated_to_org_id
        return [self.owner_org_id] + ([up] if up and up != self.owner_org_id else [])

    def is_overdue(self, today: date, answer_days: int) -> bool:
        return (
            self.outcome is None
            and self.escalated_to_org_id is None
            and today > objection_due_on(self.raised_on, answer_days)
        )

    def escalate_if_overdue(self, ctx: Context, *, answer_days: int, to_org_id: str) -> bool:
        """Escalate once, if past the service level on ``ctx.today``."""
        if not self.is_overdue(ctx.today, answer_days):
            return False
        self.trigger_event(
            VoucherObjection.Escalated,
            due_on=objection_due_on(self.raised_on, answer_days),
            escalated_on=ctx.today,
            escalated_to_org_id=to_org_id,
            escalated_by=ctx.recorded_by,
        )
        return True

    def answer(self, ctx: Context, *, holds_approver_role: bool, outcome: str, answer: str) -> None:
        if self.outcome is not None:
            raise errors.ObjectionAlreadyAnswered(objection_no=str(self.id))
        if not holds_approver_role:
            raise errors.ObjectionAnswererNotApprover()
        self.trigger_event(
            VoucherObjection.Answered,
            outcome=check_choice("outcome", outcome, OBJECTION_OUTCOMES),
            answer_private=check_text("answer", answer, max_len=REASON_LEN_MAX),
            answered_by=ctx.person,
            answered_on=ctx.today,
            request_id=ctx.request_id,
        )
