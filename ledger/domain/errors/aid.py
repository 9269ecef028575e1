"""Aid cases and objections (R3, R17–R19, R21, R36): signatures, the notice window, payment."""

from __future__ import annotations

from ledger.domain.errors.base import Conflict, Forbidden, InvalidRequest, NotFound, leaf

AidCaseNotFound = leaf(NotFound, "aid_case_not_found", "救助申请不存在：{case_id}", "No aid case {case_id}.")
AidNoticeNotFound = leaf(
    NotFound,
    "aid_notice_not_found",
    "本基金没有正在公示或近期公示的拟救助对象：{case_id}",
    "No aid-proposal notice {case_id} is posted on this fund's board (now or recently).",
)
AidCaseNotAwaitingSignatures = leaf(
    Conflict,
    "aid_case_not_awaiting_signatures",
    "该救助申请当前状态为 {status}，不能再签批",
    "The aid case is {status}; it no longer takes signatures.",
)
AidCaseNotApproved = leaf(
    Conflict,
    "aid_case_not_approved",
    "该救助申请当前状态为 {status}，未经批准不能发放",
    "The aid case is {status}; only an approved case is paid (R19).",
)
AidCaseClosed = leaf(
    Conflict,
    "aid_case_closed",
    "该救助申请已{status}，不能再变更",
    "The aid case is {status}; it cannot change any more.",
)
AidSignerNotApprover = leaf(
    Forbidden,
    "aid_signer_not_approver",
    "签批人在签批日须持有本基金所属组织（或其上级）的审批人角色",
    "A signer must hold the approver role for the fund's organisation on the signing date (R21).",
)
AidSignerIsBeneficiary = leaf(
    Forbidden,
    "aid_signer_is_beneficiary",
    "任何人不得签批给自己的救助",
    "Nobody signs an aid case of which they are the beneficiary (R17).",
)
AidSignerIsApplicant = leaf(
    Forbidden,
    "aid_signer_is_applicant",
    "申请人不得签批自己提交的救助申请",
    "Nobody signs an aid case they applied for (R17).",
)
AidAlreadySigned = leaf(
    Conflict,
    "aid_already_signed",
    "同一人不能重复签批同一救助申请",
    "Nobody signs the same aid case twice.",
)
AidDecisionReferenceRequired = leaf(
    InvalidRequest,
    "aid_decision_reference_required",
    "救助金额超过 {above_yuan}，须附集体决定文号",
    "Aid above {above_yuan} needs a collective-decision reference (R18).",
)
AidReservationExceedsAvailable = leaf(
    Conflict,
    "aid_reservation_exceeds_available",
    "可用余额 {available_yuan}不足以预留 {amount_yuan}",
    "Only {available_yuan} is available; {amount_yuan} cannot be reserved (R3).",
)
AidNoticeWindowOpen = leaf(
    Conflict,
    "aid_notice_window_open",
    "公示期至 {window_end} 结束，{window_end} 之后方可发放",
    "The notice window runs until {window_end}; payment may be dated only after it (R19).",
)
AidObjectionUnanswered = leaf(
    Conflict,
    "aid_objection_unanswered",
    "该救助申请尚有未答复的异议，不能发放",
    "An objection on this aid case is unanswered; it cannot be paid (R19).",
)
AidPayerIsSigner = leaf(
    Forbidden,
    "aid_payer_is_signer",
    "签批人不得兼任发放经办人",
    "A signer of the case cannot also hand out the payment (R17).",
)
AidPayerIsBeneficiary = leaf(
    Forbidden,
    "aid_payer_is_beneficiary",
    "受助人不得经办发给自己的救助",
    "The beneficiary cannot hand out their own aid (R17).",
)
AidPaymentNotReversible = leaf(
    InvalidRequest,
    "aid_payment_not_reversible",
    "救助发放凭证 {voucher_no} 须连同其救助申请一并冲销",
    "Aid payment {voucher_no} is reversed only together with its aid case (ADR 0033).",
)
ObjectionNotFound = leaf(
    NotFound, "objection_not_found", "异议不存在：{objection_no}", "No objection {objection_no}."
)
ObjectionAlreadyAnswered = leaf(
    Conflict,
    "objection_already_answered",
    "异议 {objection_no} 已答复",
    "Objection {objection_no} has already been answered.",
)
ObjectionAnswererNotApprover = leaf(
    Forbidden,
    "objection_answerer_not_approver",
    "异议须由本基金所属组织（或其上级）的审批人答复",
    "An objection is answered by an approver of the fund's organisation (R36).",
)
