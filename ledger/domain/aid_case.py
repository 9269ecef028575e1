"""AidCase: one application for mutual aid, from 申请 through 审批 and 公示 to 发放.

    applied ──sign…──▶ approved ──(notice window ends, no open objection)──▶ paid
       │                  │  ▲                                                  │
       │                  │  └──────────── payment reversed (ADR 0033) ─────────┘
       ├─reject─▶ rejected│
       └─cancel─▶ cancelled ◀─ cancel, or an objection upheld

The number of signatures follows the fund's thresholds (R18, docs/concepts/practice.md: up to 500.00 one,
above two, above 2,000.00 also a collective-decision reference). Nobody signs for themselves,
as beneficiary or applicant, or twice (R17); a signer holds the approver role on the signing
date, which is the business date of the command (R21). The last signature approves the case
and reserves its amount in the fund (``Fund.AidReserved``, saved with the case: available =
balance − reserved never goes below zero). If the fund's policy says "publicise first", the
approval posts an aid-proposal notice for ``posting_days`` days from the approval date; the
payment may be dated only after the window and while no objection is unanswered (R19).

Objections (R36) may be raised by anyone, or anonymously — then no identity is stored. An
approver answers each: ``upheld`` cancels the case and releases its reservation. One still
unanswered after the fund's service level (``objection_answer_days``, default 10) is escalated
once to the organisation one level up (``ObjectionEscalated``, ADR 0031). Escalation answers
nothing: the objection still blocks payment, and an approver of either organisation answers it.

The functions at the end coordinate a case with its fund; the caller saves both together.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from eventsourcing.domain import Aggregate

from ledger.domain import errors
from ledger.domain.context import Context
from ledger.domain.control_chars import ControlCharacterGuard
from ledger.domain.fund import Fund
from ledger.domain.fund_policy import AID_KINDS, outside_aid_standard, posting_days
from ledger.domain.limits import (
    NAME_LEN_MAX,
    REASON_LEN_MAX,
    REF_LEN_MAX,
    check_choice,
    check_flag,
    check_optional_text,
    check_refs,
    check_text,
)
from ledger.domain.public_text import NO_REGISTER, PublicRegister, check_public_text

OBJECTION_OUTCOMES = ("upheld", "partly_upheld", "dismissed")
OPEN_STATUSES = ("applied", "approved")


def objection_due_on(raised_on: date, answer_days: int) -> date:
    """The last day to answer an objection raised on ``raised_on`` (R36): escalated after it."""
    return raised_on + timedelta(days=answer_days)


def signatures_required(policy: dict[str, Any], amount_fen: int) -> tuple[int, bool]:
    """(signers needed, collective decision needed) for an amount under a fund's policy."""
    two = amount_fen > policy["two_signers_above_fen"]
    collective = amount_fen > policy["collective_decision_above_fen"]
    return (2 if two or collective else 1), collective


class AidCase(ControlCharacterGuard, Aggregate):
    TOPIC = "fundbook:AidCase"

    class Created(Aggregate.Created):
        """AidApplied."""

        TOPIC = "fundbook:AidCase.Applied"
        fund_id: str
        owner_org_id: str
        beneficiary_person_id: str
        applicant_person_id: str
        aid_kind: str
        requested_fen: int
        reason_private: str
        reason_public_category: str
        publicity_consent: bool
        evidence_refs: list[str]
        signatures_required: int
        decision_required: bool
        applied_on: date
        recorded_by: str
        request_id: str | None

    def __init__(
        self,
        fund_id: str,
        owner_org_id: str,
        beneficiary_person_id: str,
        applicant_person_id: str,
        aid_kind: str,
        requested_fen: int,
        reason_private: str,
        reason_public_category: str,
        publicity_consent: bool,
        evidence_refs: list[str],
        signatures_required: int,
        decision_required: bool,
        applied_on: date,
        recorded_by: str,
        request_id: str | None,
    ) -> None:
        self.fund_id = fund_id
        self.owner_org_id = owner_org_id
        self.beneficiary_person_id = beneficiary_person_id
        self.applicant_person_id = applicant_person_id
        self.aid_kind = aid_kind
        self.requested_fen = requested_fen
        self.signatures_required = signatures_required
        self.decision_required = decision_required
        self.applied_on = applied_on
        self.status = "applied"
        self.signers: list[str] = []  # person ids, in signing order
        self.decision_ref: str | None = None
        self.window_end: date | None = None
        # objection no -> {"answered": bool, "raised_on": date, "escalated_to": org id or None}
        self.objections: dict[str, dict[str, Any]] = {}
        self.voucher_no: str | None = None

    # --- events ---------------------------------------------------------------------------------
    class Signed(Aggregate.Event):
        TOPIC = "fundbook:AidCase.Signed"
        signer_person_id: str
        signer_user_id: str
        signed_on: date
        decision_ref: str | None
        request_id: str | None

        def apply(self, case: AidCase) -> None:
            case.signers.append(self.signer_person_id)
            if self.decision_ref is not None:
                case.decision_ref = self.decision_ref

    class Approved(Aggregate.Event):
        TOPIC = "fundbook:AidCase.Approved"
        approved_fen: int
        approved_on: date
        signed_by: list[str]
        decision_ref: str | None

        def apply(self, case: AidCase) -> None:
            case.status = "approved"

    class NoticePosted(Aggregate.Event):
        """The aid-proposal notice (拟救助对象公示, docs/board.md) and its posting window."""

        TOPIC = "fundbook:AidCase.NoticePosted"
        window_start: date
        window_end: date

        def apply(self, case: AidCase) -> None:
            case.window_end = self.window_end

    class Rejected(Aggregate.Event):
        TOPIC = "fundbook:AidCase.Rejected"
        rejected_by: str
        rejected_on: date
        reason: str
        request_id: str | None

        def apply(self, case: AidCase) -> None:
            case.status = "rejected"

    class Cancelled(Aggregate.Event):
        TOPIC = "fundbook:AidCase.Cancelled"
        cancelled_by: str
        cancelled_on: date
        reason: str
        objection_no: str | None
        request_id: str | None

        def apply(self, case: AidCase) -> None:
            case.status = "cancelled"

    class Paid(Aggregate.Event):
        """AidDisbursed: the fund's ``AidPaid`` voucher is saved in the same transaction."""

        TOPIC = "fundbook:AidCase.Paid"
        voucher_no: str
        amount_fen: int
        paid_on: date
        paid_by: str
        request_id: str | None

        def apply(self, case: AidCase) -> None:
            case.status = "paid"
            case.voucher_no = self.voucher_no

    class PaymentReversed(Aggregate.Event):
        """The fund's ``AidPaid`` voucher was reversed (红字冲销, ADR 0033), in the same
        transaction: the case is approved and unpaid again, its amount set aside again, so it
        is paid again correctly or cancelled."""

        TOPIC = "fundbook:AidCase.PaymentReversed"
        voucher_no: str
        reversal_voucher_no: str
        amount_fen: int
        reversed_on: date
        reason: str
        reversed_by: str
        request_id: str | None

        def apply(self, case: AidCase) -> None:
            case.status = "approved"
            case.voucher_no = None

    class ObjectionRaised(Aggregate.Event):
        """``raised_by`` is None for an anonymous objection: no identity is stored (R36)."""

        TOPIC = "fundbook:AidCase.ObjectionRaised"
        objection_no: str
        raised_by: str | None
        raised_on: date
        text_private: str
        request_id: str | None

        def apply(self, case: AidCase) -> None:
            case.objections[self.objection_no] = {
                "answered": False,
                "raised_on": self.raised_on,
                "escalated_to": None,
            }

    class ObjectionAnswered(Aggregate.Event):
        TOPIC = "fundbook:AidCase.ObjectionAnswered"
        objection_no: str
        outcome: str
        answer_private: str
        answered_by: str
        answered_on: date
        request_id: str | None

        def apply(self, case: AidCase) -> None:
            case.objections[self.objection_no]["answered"] = True

    class ObjectionEscalated(Aggregate.Event):
        """R36: unanswered past ``due_on``, sent to ``escalated_to_org_id`` (one level up).
        Names no objector: an anonymous objection stays anonymous."""

        TOPIC = "fundbook:AidCase.ObjectionEscalated"
        objection_no: str
        due_on: date
        escalated_on: date
        escalated_to_org_id: str
        escalated_by: str

        def apply(self, case: AidCase) -> None:
            case.objections[self.objection_no]["escalated_to"] = self.escalated_to_org_id

    # --- reading --------------------------------------------------------------------------------
    @property
    def open_objections(self) -> list[str]:
        return [no for no, o in self.objections.items() if not o["answered"]]

    @property
    def escalated_objections(self) -> list[str]:
        """Objections escalated and not yet answered."""
        return [no for no in self.open_objections if self.objections[no]["escalated_to"] is not None]

    def answering_org_ids(self, objection_no: object) -> list[str]:
        """Whose approvers may answer an objection: the case's organisation (and, through the
        role check, those above it), and the organisation it was escalated to."""
        found = self.objections.get(str(objection_no).strip()) if isinstance(objection_no, str) else None
        escalated = found["escalated_to"] if found else None
        return [self.owner_org_id] + ([escalated] if escalated and escalated != self.owner_org_id else [])

    def overdue_objections(self, today: date, answer_days: int) -> list[str]:
        """Unanswered, not yet escalated, and past the service level on ``today``."""
        return [
            no
            for no in self.open_objections
            if self.objections[no]["escalated_to"] is None
            and today > objection_due_on(self.objections[no]["raised_on"], answer_days)
        ]

    # --- commands -------------------------------------------------------------------------------
    @classmethod
    def apply_for(
        cls,
        ctx: Context,
        *,
        fund: Fund,
        beneficiary_person_id: str,
        applicant_person_id: str,
        aid_kind: str,
        requested_fen: int,
        reason_private: str,
        reason_public_category: str,
        publicity_consent: bool = False,
        evidence_refs: list[str] | None = None,
        register: PublicRegister = NO_REGISTER,
    ) -> AidCase:
        amount = fund._check_amount(requested_fen)
        needed, collective = signatures_required(fund.policy, amount)
        kind = check_choice("aid_kind", aid_kind, AID_KINDS)
        # R20: aid outside the charter's standard range needs a decision reference too
        collective = collective or outside_aid_standard(fund.policy, kind, amount)
        return cls(
            fund_id=str(fund.id),
            owner_org_id=fund.owner_org_id,
            beneficiary_person_id=beneficiary_person_id,
            applicant_person_id=applicant_person_id,
            aid_kind=kind,
            requested_fen=amount,
            reason_private=check_text("reason_private", reason_private, max_len=REASON_LEN_MAX),
            reason_public_category=check_public_text(  # printed on the notice and the statement
                "reason_public_category",
                check_text("reason_public_category", reason_public_category, max_len=NAME_LEN_MAX),
                register,
            ),
            publicity_consent=check_flag("publicity_consent", publicity_consent),
            evidence_refs=check_refs("evidence_refs", evidence_refs, required=True),
            signatures_required=needed,
            decision_required=collective,
            applied_on=ctx.today,
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )

    def _check_signer(self, ctx: Context, *, holds_approver_role: bool) -> None:
        if not holds_approver_role:
            raise errors.AidSignerNotApprover()
        if ctx.person == self.beneficiary_person_id:
            raise errors.AidSignerIsBeneficiary()
        if ctx.person == self.applicant_person_id:
            raise errors.AidSignerIsApplicant()

    def _check_open(self) -> None:
        if self.status not in OPEN_STATUSES:
            raise errors.AidCaseClosed(status=self.status)

    def check_signature(
        self, ctx: Context, *, holds_approver_role: bool, decision_ref: str | None, policy: dict[str, Any]
    ) -> tuple[bool, str | None]:
        """Check one signature without raising it: (is it the last one needed, decision ref)."""
        if self.status != "applied":
            raise errors.AidCaseNotAwaitingSignatures(status=self.status)
        self._check_signer(ctx, holds_approver_role=holds_approver_role)
        if ctx.person in self.signers:
            raise errors.AidAlreadySigned()
        decision = check_optional_text("decision_ref", decision_ref, max_len=REF_LEN_MAX)
        last = len(self.signers) + 1 >= self.signatures_required
        if last and self.decision_required and (decision or self.decision_ref) is None:
            raise errors.AidDecisionReferenceRequired(above_fen=policy["collective_decision_above_fen"])
        return last, decision

    def _sign(self, ctx: Context, decision: str | None) -> None:
        self.trigger_event(
            AidCase.Signed,
            signer_person_id=ctx.person,
            signer_user_id=ctx.recorded_by,
            signed_on=ctx.today,
            decision_ref=decision,
            request_id=ctx.request_id,
        )

    def reject(self, ctx: Context, *, holds_approver_role: bool, reason: str) -> None:
        if self.status != "applied":
            raise errors.AidCaseNotAwaitingSignatures(status=self.status)
        self._check_signer(ctx, holds_approver_role=holds_approver_role)
        self.trigger_event(
            AidCase.Rejected,
            rejected_by=ctx.person,
            rejected_on=ctx.today,
            reason=check_text("reason", reason, max_len=REASON_LEN_MAX),
            request_id=ctx.request_id,
        )

    def raise_objection(self, ctx: Context, *, text: str, anonymous: bool) -> str:
        self._check_open()
        number = str(len(self.objections) + 1)
        self.trigger_event(
            AidCase.ObjectionRaised,
            objection_no=number,
            raised_by=None if check_flag("anonymous", anonymous) else ctx.person,
            raised_on=ctx.today,
            text_private=check_text("text", text, max_len=REASON_LEN_MAX),
            request_id=None if anonymous else ctx.request_id,
        )
        return number

    def escalate_overdue(self, ctx: Context, *, answer_days: int, to_org_id: str) -> list[str]:
        """Escalate every objection past the service level on ``ctx.today`` to ``to_org_id``,
        each once (an escalated one is not overdue again). Returns their numbers."""
        numbers = self.overdue_objections(ctx.today, answer_days)
        for number in numbers:
            self.trigger_event(
                AidCase.ObjectionEscalated,
                objection_no=number,
                due_on=objection_due_on(self.objections[number]["raised_on"], answer_days),
                escalated_on=ctx.today,
                escalated_to_org_id=to_org_id,
                escalated_by=ctx.recorded_by,
            )
        return numbers

    def _answer(
        self, ctx: Context, *, holds_approver_role: bool, objection_no: str, outcome: str, answer: str
    ) -> str:
        number = check_text("objection_no", objection_no, max_len=REF_LEN_MAX)
        if number not in self.objections:
            raise errors.ObjectionNotFound(objection_no=number)
        if self.objections[number]["answered"]:
            raise errors.ObjectionAlreadyAnswered(objection_no=number)
        if not holds_approver_role:
            raise errors.ObjectionAnswererNotApprover()
        outcome = check_choice("outcome", outcome, OBJECTION_OUTCOMES)
        self.trigger_event(
            AidCase.ObjectionAnswered,
            objection_no=number,
            outcome=outcome,
            answer_private=check_text("answer", answer, max_len=REASON_LEN_MAX),
            answered_by=ctx.person,
            answered_on=ctx.today,
            request_id=ctx.request_id,
        )
        return outcome


# --- a case with its fund (the caller saves both in one transaction) ---------------------------
def sign_case(
    ctx: Context, case: AidCase, fund: Fund, *, holds_approver_role: bool, decision_ref: str | None = None
) -> None:
    """Sign; the last signature approves, reserves the amount and, if the policy says so,
    posts the notice with its window (today and the ``posting_days − 1`` days after)."""
    last, decision = case.check_signature(
        ctx, holds_approver_role=holds_approver_role, decision_ref=decision_ref, policy=fund.policy
    )
    if last:
        fund.reserve_aid(ctx, case_id=str(case.id), amount_fen=case.requested_fen)  # checks first
    case._sign(ctx, decision)
    if not last:
        return
    case.trigger_event(
        AidCase.Approved,
        approved_fen=case.requested_fen,
        approved_on=ctx.today,
        signed_by=list(case.signers),
        decision_ref=case.decision_ref,
    )
    if fund.policy["publicise_aid_first"]:
        days = max(posting_days(fund.policy), 1)
        case.trigger_event(
            AidCase.NoticePosted,
            window_start=ctx.today,
            window_end=ctx.today + timedelta(days=days - 1),
        )


def cancel_case(
    ctx: Context, case: AidCase, fund: Fund, *, reason: str, objection_no: str | None = None
) -> None:
    """Withdraw an open case; an approved one gives its reservation back."""
    case._check_open()
    reason = check_text("reason", reason, max_len=REASON_LEN_MAX)
    if case.status == "approved":
        fund.release_aid(ctx, case_id=str(case.id), reason=reason)
    case.trigger_event(
        AidCase.Cancelled,
        cancelled_by=ctx.person,
        cancelled_on=ctx.today,
        reason=reason,
        objection_no=objection_no,
        request_id=ctx.request_id,
    )


def answer_objection(
    ctx: Context,
    case: AidCase,
    fund: Fund,
    *,
    holds_approver_role: bool,
    objection_no: str,
    outcome: str,
    answer: str,
) -> None:
    """Record the answer; an upheld objection cancels the case (R36)."""
    outcome = case._answer(
        ctx,
        holds_approver_role=holds_approver_role,
        objection_no=objection_no,
        outcome=outcome,
        answer=answer,
    )
    if outcome == "upheld" and case.status in OPEN_STATUSES:
        cancel_case(ctx, case, fund, reason="objection_upheld", objection_no=objection_no.strip())


def pay_case(
    ctx: Context,
    case: AidCase,
    fund: Fund,
    *,
    paid_on: date,
    account: str | None = None,
    doc_refs: list[str] | None = None,
    witnessed_by: str | None = None,
    memo: str | None = None,
) -> str:
    """R19: only an approved case, after its notice window, with no objection unanswered;
    the payer is neither a signer nor the beneficiary (R17). Fund ``AidPaid`` + case ``Paid``."""
    if case.status != "approved":
        raise errors.AidCaseNotApproved(status=case.status)
    if case.open_objections:
        raise errors.AidObjectionUnanswered()
    if ctx.person in case.signers:
        raise errors.AidPayerIsSigner()
    if ctx.person == case.beneficiary_person_id:
        raise errors.AidPayerIsBeneficiary()
    day = fund._check_open_date(ctx, paid_on, "paid_on")
    if case.window_end is not None and day <= case.window_end:
        raise errors.AidNoticeWindowOpen(window_end=case.window_end.isoformat())
    voucher = fund.pay_aid(
        ctx,
        case_id=str(case.id),
        occurred_on=day,
        beneficiary_person_id=case.beneficiary_person_id,
        aid_kind=case.aid_kind,
        approved_by=list(case.signers),
        witnessed_by=witnessed_by,
        account=account,
        doc_refs=doc_refs,
        memo=memo,
    )
    case.trigger_event(
        AidCase.Paid,
        voucher_no=voucher,
        amount_fen=case.requested_fen,
        paid_on=day,
        paid_by=ctx.person,
        request_id=ctx.request_id,
    )
    return voucher


def reverse_case_payment(
    ctx: Context, case: AidCase, fund: Fund, *, voucher_no: str, occurred_on: date, reason: str
) -> str:
    """红字冲销 of a case's payment (R5, R7, ADR 0033): the fund reverses the ``AidPaid``
    voucher and sets the amount aside again; the case is approved and unpaid again."""
    assert case.status == "paid" and case.voucher_no == voucher_no, (case.status, case.voucher_no)
    reversal = fund.reverse_entry(
        ctx, voucher_no=voucher_no, occurred_on=occurred_on, reason=reason, aid_case_id=str(case.id)
    )
    case.trigger_event(
        AidCase.PaymentReversed,
        voucher_no=voucher_no,
        reversal_voucher_no=reversal,
        amount_fen=case.requested_fen,
        reversed_on=fund.voucher(reversal)["occurred_on"],
        reason=check_text("reason", reason, max_len=REASON_LEN_MAX),
        reversed_by=ctx.person,
        request_id=ctx.request_id,
    )
    return reversal
