"""Party dues on their way up (党费收缴、上缴、返还, ADR 0160): the branches' dues books."""

from __future__ import annotations

from ledger.domain.errors.base import Conflict, InvalidRequest, NotFound, leaf

DuesRatesInvalid = leaf(
    InvalidRequest,
    "dues_rates_invalid",
    "党费标准表不符合格式：{problem}",
    "The dues rate table is malformed: {problem}.",
)
DuesCategoryNotInTable = leaf(
    InvalidRequest,
    "dues_category_not_in_table",
    "所用党费标准表中没有类别 {category}",
    "The dues rate table in force has no category {category}.",
)
DuesBaseRequired = leaf(
    InvalidRequest,
    "dues_base_required",
    "类别为 {category} 的党员须申报 {needs}",
    "A member of category {category} needs {needs} declared.",
)
DuesBaseNotDeclared = leaf(
    InvalidRequest,
    "dues_base_not_declared",
    "党员 {person_id} 在 {month} 没有申报的交纳基数",
    "Member {person_id} has no declared base in force in {month}.",
)
DuesBaseBeforePaidMonth = leaf(
    Conflict,
    "dues_base_before_paid_month",
    "从 {from_month} 起的新基数会改变已交党费的月份（已交至 {paid_month}）",
    "A base from {from_month} would change months already paid (through {paid_month}).",
)
DuesMemberNotInBranch = leaf(
    InvalidRequest,
    "dues_member_not_in_branch",
    "{person_id} 在 {day} 的正式组织关系不在本支部",
    "{person_id} did not hold formal membership in this branch on {day}.",
)
DuesNotABranch = leaf(
    InvalidRequest,
    "dues_not_a_branch",
    "只有党支部收缴党费（临时党支部不收）：{org_id} 不是",
    "Only a branch collects dues (a temporary branch does not): {org_id} is not one.",
)
DuesMonthAlreadyPaid = leaf(
    Conflict,
    "dues_month_already_paid",
    "{month} 的党费已由 {payment_no} 交纳",
    "The dues of {month} are already paid by {payment_no}.",
)
DuesPaymentNotFound = leaf(
    NotFound,
    "dues_payment_not_found",
    "本支部没有党费收款 {payment_no}",
    "This branch has no dues payment {payment_no}.",
)
DuesPaymentAlreadyReversed = leaf(
    Conflict,
    "dues_payment_already_reversed",
    "党费收款 {payment_no} 已冲销",
    "Dues payment {payment_no} is already reversed.",
)
DuesPaymentHandedUp = leaf(
    Conflict,
    "dues_payment_handed_up",
    "党费收款 {payment_no} 已上缴，不能再冲销",
    "Dues payment {payment_no} has been handed up; it can no longer be reversed.",
)
DuesDatedBeforePayment = leaf(
    InvalidRequest,
    "dues_dated_before_payment",
    "日期 {day} 早于所涉党费的收款日期 {paid_on}",
    "The date {day} is before the dues payment it concerns ({paid_on}).",
)
DuesNothingToHandUp = leaf(
    Conflict,
    "dues_nothing_to_hand_up",
    "本支部没有待上缴的党费",
    "This branch holds no dues to hand up.",
)
DuesHandUpNotWhole = leaf(
    InvalidRequest,
    "dues_hand_up_not_whole",
    "上缴须为全部待缴党费 {held_yuan}，而不是 {amount_yuan}",
    "A hand-up carries all the dues held, {held_yuan}, not {amount_yuan}.",
)
DuesHandUpNotUpward = leaf(
    InvalidRequest,
    "dues_hand_up_not_upward",
    "党费只在上级组织之间往来：{org_id} 不是本支部的上级",
    "Dues go up to, and come back from, an organisation above the branch: {org_id} is not one.",
)
DuesRebateShareNotConfigured = leaf(
    InvalidRequest,
    "dues_rebate_share_not_configured",
    "{month} 没有设定党费返还比例，无法核对返还",
    "No rebate share is configured for {month}; the rebate cannot be checked.",
)
DuesRebatePeriodOverlaps = leaf(
    Conflict,
    "dues_rebate_period_overlaps",
    "返还期间与已登记的返还 {rebate_no} 重叠",
    "The rebate's period overlaps rebate {rebate_no}, already recorded.",
)
