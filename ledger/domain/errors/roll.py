"""The mutual-aid roll (互助会会员名册, issue 21 item 1): enrolment, yearly contributions, waivers."""

from __future__ import annotations

from ledger.domain.errors.base import Conflict, Forbidden, InvalidRequest, leaf

RollNeedsMutualAidFund = leaf(
    InvalidRequest,
    "roll_needs_mutual_aid_fund",
    "会员名册只属于互助金（基金 {fund_id} 的类别是 {kind}）",
    "A roll belongs to a mutual-aid fund; fund {fund_id} is of kind {kind}.",
)
RollMemberAlreadyEnrolled = leaf(
    Conflict,
    "roll_member_already_enrolled",
    "{person_id} 已在互助会会员名册上（自 {enrolled_on} 起）",
    "{person_id} is already on the association's roll (since {enrolled_on}).",
)
RollMemberNotEnrolled = leaf(
    InvalidRequest,
    "roll_member_not_enrolled",
    "{person_id} 不在互助会会员名册上",
    "{person_id} is not on the association's roll.",
)
RollContributionAlreadySet = leaf(
    Conflict,
    "roll_contribution_already_set",
    "{year} 年的年度会费已按章程设定",
    "The yearly contribution for {year} is already set by the charter.",
)
RollContributionNotSet = leaf(
    InvalidRequest,
    "roll_contribution_not_set",
    "{year} 年的年度会费尚未设定",
    "No yearly contribution is set for {year}.",
)
RollDueDateOutsideYear = leaf(
    InvalidRequest,
    "roll_due_date_outside_year",
    "缴费截止日 {due_on} 不在 {year} 年内",
    "The due date {due_on} is not in {year}.",
)
RollMemberOwesNothing = leaf(
    InvalidRequest,
    "roll_member_owes_nothing",
    "{person_id} 在 {year} 年缴费截止日不在名册上，不欠该年会费",
    "{person_id} was not on the roll on {year}'s due date and owes nothing for it.",
)
RollContributionWaived = leaf(
    Conflict,
    "roll_contribution_waived",
    "{person_id} 的 {year} 年会费已经减免",
    "{person_id}'s contribution for {year} is already waived.",
)
RollPaymentOutsideYear = leaf(
    InvalidRequest,
    "roll_payment_outside_year",
    "{year} 年的会费须在该年内缴纳（收款日期 {paid_on}）",
    "A contribution for {year} is paid within that year (this one on {paid_on}).",
)
RollWaiverNeedsApprover = leaf(
    Forbidden,
    "roll_waiver_needs_approver",
    "困难减免须由本基金所属组织（或其上级）的审批人批准",
    "A hardship waiver is approved by an approver of the fund's organisation or above.",
)
RollWaiverOfOwnContribution = leaf(
    Forbidden,
    "roll_waiver_of_own_contribution",
    "审批人不能批准减免本人的会费",
    "An approver cannot waive their own contribution.",
)
