"""Funds and their vouchers: establishment, the separation of duties (R16, R17), the money rules (R3,
R10, R11, R13, R16) and reversals (R5, R7).
"""

from __future__ import annotations

from ledger.domain.errors.base import Conflict, Forbidden, InvalidRequest, NotFound, leaf

FundNotFound = leaf(NotFound, "fund_not_found", "基金不存在：{fund_id}", "No fund {fund_id}.")
VoucherNotFound = leaf(
    NotFound,
    "voucher_not_found",
    "本基金没有凭证 {voucher_no}",
    "Fund has no voucher {voucher_no}.",
)
PurposesRequired = leaf(
    InvalidRequest,
    "purposes_required",
    "基金须列明至少一项用途（专款专用）",
    "A fund lists at least one allowed purpose (earmarking).",
)
CashierCannotBeBookkeeper = leaf(
    Forbidden,
    "cashier_cannot_be_bookkeeper",
    "出纳与会计不得由同一人担任（钱账分管）",
    "The cashier and the bookkeeper of a fund must be different people (R16).",
)
CashierCannotPostEntries = leaf(
    Forbidden,
    "cashier_cannot_post_entries",
    "出纳不得登记收入、支出账目",
    "The fund's cashier may not post income or expense entries (R16).",
)
HandlerCannotApprove = leaf(
    Forbidden,
    "handler_cannot_approve",
    "经办人不能同时作为审批人",
    "The handler cannot be the approver of the same payment.",
)
ApproverIsPayee = leaf(
    Forbidden,
    "approver_is_payee",
    "任何人不得审批付给自己的款项",
    "Nobody approves a payment to themselves (R17).",
)
InsufficientFunds = leaf(
    Conflict,
    "insufficient_funds",
    "钱不够：{account_name}在 {date_words} 只有 {available_yuan}（{available_capital}）可用，"
    "付不出这笔钱。请核对金额；如钱在另一个账户（现金或银行），请选那个账户，"
    "或先登记存取现金、收入后再付",
    "Not enough money: {account_name} holds only {available_yuan} on {date_words}, so this "
    "cannot be paid. Check the amount; if the money is in the other account (cash or bank), "
    "choose that account, or record the cash move or the income first (R3).",
)
PurposeNotAllowed = leaf(
    InvalidRequest,
    "purpose_not_allowed",
    "用途 {category} 不在本基金的专款用途内",
    "{category} is not one of this fund's allowed purposes (R10).",
)
InterestRequiresBankAccount = leaf(
    InvalidRequest,
    "interest_requires_bank_account",
    "利息只能记入存放于银行账户的基金",
    "Interest is credited only to a fund kept in a bank account (R13).",
)
DecisionReferenceRequired = leaf(
    InvalidRequest,
    "decision_reference_required",
    "基金之间划转须有集体决定文号",
    "Money moves between funds only with a collective decision reference (R11).",
)
TransferToSameFund = leaf(
    InvalidRequest,
    "transfer_to_same_fund",
    "不能划转给本基金",
    "A transfer must go to another fund.",
)
TransferBreaksEarmark = leaf(
    InvalidRequest,
    "transfer_breaks_earmark",
    "互助金只能划转到互助金（专款专用）",
    "Mutual-aid money may only move to another mutual-aid fund.",
)
CashMoveSameAccount = leaf(
    InvalidRequest,
    "cash_move_same_account",
    "存取现须在银行与现金之间进行",
    "A cash deposit or withdrawal moves money between cash and bank.",
)
VoucherAlreadyReversed = leaf(
    Conflict,
    "voucher_already_reversed",
    "凭证 {voucher_no} 已被冲销",
    "Voucher {voucher_no} has already been reversed (R7).",
)
CannotReverseAReversal = leaf(
    InvalidRequest,
    "cannot_reverse_a_reversal",
    "冲销凭证不能再冲销，请另作更正分录",
    "A reversal cannot itself be reversed; post a new entry instead.",
)
# Retired (ADR 0033): a cash move is reversed like any voucher; the code stays reserved.
CashMoveNotReversible = leaf(
    InvalidRequest,
    "cash_move_not_reversible",
    "存取现不做红字冲销，请另做一笔反方向的存取现",
    "A cash deposit or withdrawal is undone by a move in the other direction, not a reversal.",
)
ReversalAcrossFiscalYear = leaf(
    InvalidRequest,
    "reversal_across_fiscal_year",
    "以前年度的凭证不能红字冲销，应在本期做蓝字更正",
    "A voucher of a prior year is corrected by a new entry in the current period (R5).",
)
ReversalDatedBeforeOriginal = leaf(
    InvalidRequest,
    "reversal_dated_before_original",
    "冲销日期不能早于原凭证日期",
    "A reversal cannot be dated before the voucher it reverses.",
)
