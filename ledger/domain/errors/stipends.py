"""Stipends (工作补贴, R12): which funds may pay them, the terms of an office, the months paid."""

from __future__ import annotations

from ledger.domain.errors.base import Conflict, InvalidRequest, leaf

StipendNotAllowedFromMutualAid = leaf(
    InvalidRequest,
    "stipend_not_allowed_from_mutual_aid",
    "互助金不得支付工作补贴",
    "Stipends are never paid from a mutual-aid fund (R12).",
)
StipendNotAllowedByPolicy = leaf(
    InvalidRequest,
    "stipend_not_allowed_by_policy",
    "本基金章程不允许支付工作补贴",
    "This fund's policy does not allow stipends.",
)
StipendMonthsInvalid = leaf(
    InvalidRequest,
    "stipend_months_invalid",
    "补贴月份须为不重复的 YYYY-MM，且不晚于支付月份",
    "Stipend months are distinct YYYY-MM periods, none after the payment date.",
)
StipendAlreadyPaid = leaf(
    Conflict,
    "stipend_already_paid",
    "{month} 的补贴已发放",
    "The stipend for {month} has already been paid.",
)
StipendRecipientNotInOffice = leaf(
    InvalidRequest,
    "stipend_recipient_not_in_office",
    "{month} 该人员未在本组织任职",
    "The person held no office in the fund's organisation in {month}.",
)
StipendTermsAlreadySet = leaf(
    Conflict,
    "stipend_terms_already_set",
    "该任职已定有补贴标准",
    "This office already has stipend terms.",
)
StipendFundNotOfOrganisation = leaf(
    InvalidRequest,
    "stipend_fund_not_of_organisation",
    "补贴须由任职组织自己的基金支付",
    "A stipend is paid by a fund of the organisation where the office is held.",
)
StipendMonthNotDue = leaf(
    InvalidRequest,
    "stipend_month_not_due",
    "{month} 不在补贴期内（补贴自约定月份起，至任期届满或离任止）",
    "{month} is not due: a stipend runs from its first month to the end of the term or office.",
)
StipendAmountNotTerms = leaf(
    InvalidRequest,
    "stipend_amount_not_terms",
    "补贴金额应为 {expected_yuan}（按月标准）",
    "The stipend amount must be {expected_yuan} under the monthly terms.",
)
