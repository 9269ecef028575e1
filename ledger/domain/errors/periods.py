"""Closing a period (R6): closed months, closing in order, the confirmation, and the reviewer (审核) who
signs a close.
"""

from __future__ import annotations

from ledger.domain.errors.base import Conflict, InvalidRequest, leaf

ReviewerNotFound = leaf(
    InvalidRequest,
    "reviewer_not_found",
    "审核人“{name}”不是本基金所属组织或上级组织的在任委员（会计、出纳除外）：请填写其人员编号或登记的姓名",
    "No person named {name!r} holds an office (other than bookkeeper or cashier) of the fund's "
    "organisation or one above it: give their person id or registered name.",
)
ReviewerAmbiguous = leaf(
    InvalidRequest,
    "reviewer_ambiguous",
    "有 {count} 位名叫“{name}”的人员可以审核（任职于：{offices}）：请改填其中一位的人员编号",
    "{count} people named {name!r} may review (holding office in: {offices}): give the person id "
    "of one of them.",
)
ReviewerNotQualified = leaf(
    InvalidRequest,
    "reviewer_not_qualified",
    "人员 {person_id} 不能审核本基金：须在本基金所属组织或上级组织任职（会计、出纳除外），"
    "且不是本基金的会计或出纳",
    "Person {person_id} may not review this fund: a reviewer holds an office (other than "
    "bookkeeper or cashier) of the fund's organisation or one above it, and is not one of its "
    "custodians.",
)
PeriodClosed = leaf(
    Conflict,
    "period_closed",
    "{period} 月已经结账封存，不能再记入这个月。请把业务日期改到 {open_from} 或以后的月份；"
    "结过账的月份不能重新打开，如要更正其中的凭证，请由会计在当前月份登记红字冲销",
    "{period} is closed and sealed: nothing more may be dated in it. Date the entry in "
    "{open_from} or later; a closed month never reopens, so to correct one of its vouchers the "
    "bookkeeper records a reversal in the current month (R6).",
)
PeriodNotEnded = leaf(
    InvalidRequest,
    "period_not_ended",
    "会计期间 {period} 尚未结束，不能结账",
    "Period {period} has not ended yet.",
)
PeriodCloseOutOfOrder = leaf(
    Conflict,
    "period_close_out_of_order",
    "须按顺序结账，下一个应结期间是 {expected}",
    "Periods close in order; the next to close is {expected} (R6).",
)
CloseNotConfirmed = leaf(
    InvalidRequest,
    "close_not_confirmed",
    "还没有结账：结账后 {period} 及以前的账目将封存，不能撤销，也不能重新打开。"
    "请核对上面列出的凭证，勾选“我已核对，知道结账后不能撤销”，再点“确认结账”",
    "Not closed yet: closing seals {period} and the months before it, and cannot be undone or "
    'reopened. Check the vouchers listed above, tick "I have checked; I know this cannot be '
    'undone", then press "Close the period".',
)
