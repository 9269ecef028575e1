"""The closed tree of expected errors: every rule the ledger refuses has one leaf here.

    LedgerError
    ├── InvalidRequest (422)  the input breaks a rule: amounts, dates, texts, earmarks, R1–R16
    ├── NotFound (404)        an id names nothing
    ├── Conflict (409)        the request clashes with what is already recorded
    ├── Forbidden (403)       the actor may not do this (segregation of duties R16, roles)
    └── Unauthenticated (401) no valid token

Each leaf has one stable snake_case ``code`` and a message in Chinese and English.
Messages may name details with ``{field}`` placeholders, filled from ``details``.
Programmer errors are ``assert``s, never a ``LedgerError``.
"""

from __future__ import annotations

from typing import Any, ClassVar


class LedgerError(Exception):
    """An expected refusal, with a stable code and a bilingual message."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "ledger_error"
    zh: ClassVar[str] = "请求被拒绝"
    en: ClassVar[str] = "The request was refused."

    def __init__(self, **details: Any) -> None:
        self.details = details
        super().__init__(f"{self.code}: {self.message}")

    @property
    def message_zh(self) -> str:
        return _fill(self.zh, self.details)

    @property
    def message_en(self) -> str:
        return _fill(self.en, self.details)

    @property
    def message(self) -> str:
        return f"{self.message_zh} / {self.message_en}"

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


def _fill(template: str, details: dict[str, Any]) -> str:
    try:
        return template.format(**details)
    except (KeyError, IndexError, ValueError):
        return template


class InvalidRequest(LedgerError):
    status = 422
    code = "invalid_request"
    zh = "请求内容不符合规则"
    en = "The request breaks a rule."


class NotFound(LedgerError):
    status = 404
    code = "not_found"
    zh = "未找到"
    en = "Not found."


class Conflict(LedgerError):
    status = 409
    code = "conflict"
    zh = "与已登记的内容冲突"
    en = "The request conflicts with what is recorded."


class Forbidden(LedgerError):
    status = 403
    code = "forbidden"
    zh = "无权执行此操作"
    en = "You may not do this."


def _leaf(base: type[LedgerError], code: str, zh: str, en: str) -> type[LedgerError]:
    name = "".join(part.capitalize() for part in code.split("_"))
    return type(name, (base,), {"code": code, "zh": zh, "en": en, "__module__": __name__})


# --- amounts (R1) ------------------------------------------------------------------------------
AmountInvalid = _leaf(
    InvalidRequest,
    "amount_invalid",
    "金额格式不正确：{text}",
    "The amount {text!r} is not a valid amount.",
)
AmountFloatNotAllowed = _leaf(
    InvalidRequest,
    "amount_float_not_allowed",
    '金额须写成字符串（如 "1680.32"），不能是数字（Python 接口用整数分）',
    'Send amounts as decimal strings such as "1680.32", not numbers (integer fen in Python).',
)
AmountTooManyDecimals = _leaf(
    InvalidRequest,
    "amount_too_many_decimals",
    "金额最多两位小数（分）：{text}",
    "An amount has at most two decimals (fen): {text}.",
)
AmountMustBePositive = _leaf(
    InvalidRequest,
    "amount_must_be_positive",
    "金额必须大于零",
    "The amount must be greater than zero.",
)
AmountNegative = _leaf(InvalidRequest, "amount_negative", "金额不能为负数", "The amount may not be negative.")
AmountAboveMaximum = _leaf(
    InvalidRequest,
    "amount_above_maximum",
    "金额超过上限 {max_fen} 分",
    "The amount is above the maximum of {max_fen} fen.",
)
CapitalNumeralInvalid = _leaf(
    InvalidRequest,
    "capital_numeral_invalid",
    "人民币大写金额不正确：{text}",
    "{text!r} is not a valid amount in capital numerals.",
)

# --- texts, choices, dates ------------------------------------------------------------------------
TextRequired = _leaf(InvalidRequest, "text_required", "{field} 不能为空", "{field} is required.")
TextTooLong = _leaf(
    InvalidRequest,
    "text_too_long",
    "{field} 超过 {max_len} 个字符",
    "{field} is longer than {max_len}.",
)
TooManyItems = _leaf(
    InvalidRequest,
    "too_many_items",
    "{field} 最多 {max_items} 项",
    "{field} has more than {max_items} items.",
)
DatesOutOfOrder = _leaf(
    InvalidRequest,
    "dates_out_of_order",
    "{field} 不能早于 {earlier_field}",
    "{field} cannot be before {earlier_field}.",
)
ValueNotAllowed = _leaf(
    InvalidRequest,
    "value_not_allowed",
    "{field} 的取值 {value} 不在允许范围内（{allowed}）",
    "{field}: {value} is not one of {allowed}.",
)
DateInvalid = _leaf(
    InvalidRequest,
    "date_invalid",
    "{field} 不是有效日期：{value}",
    "{field} is not a valid date: {value}.",
)
PeriodInvalid = _leaf(
    InvalidRequest,
    "period_invalid",
    "{field} 不是有效的会计期间（YYYY-MM）：{value}",
    "{field} is not a period of the form YYYY-MM: {value}.",
)
DateInFuture = _leaf(
    InvalidRequest,
    "date_in_future",
    "{field} 日期 {date} 晚于今天 {today}",
    "{field} {date} is after today ({today}).",
)
SourceDocumentRequired = _leaf(
    InvalidRequest,
    "source_document_required",
    "每笔收支须附至少一份原始凭证（{field}）",
    "Every income or expense entry needs at least one source document ({field}), R8.",
)

# --- not found ----------------------------------------------------------------------------------
OrganisationNotFound = _leaf(
    NotFound, "organisation_not_found", "组织不存在：{org_id}", "No organisation {org_id}."
)
PersonNotFound = _leaf(NotFound, "person_not_found", "人员不存在：{person_id}", "No person {person_id}.")
FundNotFound = _leaf(NotFound, "fund_not_found", "基金不存在：{fund_id}", "No fund {fund_id}.")
VoucherNotFound = _leaf(
    NotFound,
    "voucher_not_found",
    "本基金没有凭证 {voucher_no}",
    "Fund has no voucher {voucher_no}.",
)

# --- organisations, people, offices ------------------------------------------------------------
ParentInOtherTree = _leaf(
    InvalidRequest,
    "parent_in_other_tree",
    "党组织与居民组织分属两棵树，不能互为上级",
    "Party and residents' organisations are separate trees; a parent must be in the same tree.",
)
ParentKindNotAllowed = _leaf(
    InvalidRequest,
    "parent_kind_not_allowed",
    "{kind} 不能隶属于 {parent_kind}",
    "A {kind} cannot sit under a {parent_kind}.",
)
OrganisationCycle = _leaf(
    InvalidRequest,
    "organisation_cycle",
    "不能把组织调整到它自己的下级之下",
    "An organisation cannot be moved under itself or its descendants.",
)
OrganisationDissolved = _leaf(
    Conflict,
    "organisation_dissolved",
    "组织已撤销：{org_id}",
    "Organisation {org_id} is dissolved.",
)
DateBeforeEstablished = _leaf(
    InvalidRequest,
    "date_before_established",
    "日期 {date} 早于成立日期 {established_on}",
    "{date} is before the establishment date {established_on}.",
)
OwnerNotAccountingEntity = _leaf(
    InvalidRequest,
    "owner_not_accounting_entity",
    "{kind} 不是核算单位，不能持有基金",
    "A {kind} is not an accounting entity and cannot own a fund.",
)
OfficeAlreadyHeld = _leaf(
    Conflict,
    "office_already_held",
    "该人员已担任此职务",
    "The person already holds this office.",
)
OfficeNotHeld = _leaf(
    Conflict, "office_not_held", "该人员未担任此职务", "The person does not hold this office."
)
MembershipRequiresBranch = _leaf(
    InvalidRequest,
    "membership_requires_branch",
    "组织关系只能落在党支部",
    "Formal membership is held in a branch.",
)
AlreadyAMember = _leaf(
    Conflict,
    "already_a_member",
    "该党员已有组织关系，请办理转接",
    "The person already belongs to a branch; record a transfer instead.",
)
NotAMember = _leaf(
    Conflict, "not_a_member", "该人员当前没有组织关系", "The person has no current membership."
)
TransferToSameBranch = _leaf(
    InvalidRequest,
    "transfer_to_same_branch",
    "转入支部与转出支部相同",
    "A transfer must go to another branch.",
)
DateBeforeMembership = _leaf(
    InvalidRequest,
    "date_before_membership",
    "日期早于当前组织关系的开始日期",
    "The date is before the current membership began.",
)
PersonDeceased = _leaf(Conflict, "person_deceased", "该人员已去世", "The person is deceased.")

# --- funds: establishment and custody (R12, R16) ------------------------------------------------
PurposesRequired = _leaf(
    InvalidRequest,
    "purposes_required",
    "基金须列明至少一项用途（专款专用）",
    "A fund lists at least one allowed purpose (earmarking).",
)
StipendNotAllowedFromMutualAid = _leaf(
    InvalidRequest,
    "stipend_not_allowed_from_mutual_aid",
    "互助金不得支付工作补贴",
    "Stipends are never paid from a mutual-aid fund (R12).",
)
StipendNotAllowedByPolicy = _leaf(
    InvalidRequest,
    "stipend_not_allowed_by_policy",
    "本基金章程不允许支付工作补贴",
    "This fund's policy does not allow stipends.",
)
CashierCannotBeBookkeeper = _leaf(
    Forbidden,
    "cashier_cannot_be_bookkeeper",
    "出纳与会计不得由同一人担任（钱账分管）",
    "The cashier and the bookkeeper of a fund must be different people (R16).",
)
CashierCannotPostEntries = _leaf(
    Forbidden,
    "cashier_cannot_post_entries",
    "出纳不得登记收入、支出账目",
    "The fund's cashier may not post income or expense entries (R16).",
)
HandlerCannotApprove = _leaf(
    Forbidden,
    "handler_cannot_approve",
    "经办人不能同时作为审批人",
    "The handler cannot be the approver of the same payment.",
)
ApproverIsPayee = _leaf(
    Forbidden,
    "approver_is_payee",
    "任何人不得审批付给自己的款项",
    "Nobody approves a payment to themselves (R17).",
)

# --- money rules (R3, R6, R7, R10, R11, R13) ----------------------------------------------------
PeriodClosed = _leaf(
    Conflict,
    "period_closed",
    "会计期间 {period} 已结账，不能再登记",
    "Period {period} is closed; nothing may be dated in it (R6).",
)
PeriodNotEnded = _leaf(
    InvalidRequest,
    "period_not_ended",
    "会计期间 {period} 尚未结束，不能结账",
    "Period {period} has not ended yet.",
)
PeriodCloseOutOfOrder = _leaf(
    Conflict,
    "period_close_out_of_order",
    "须按顺序结账，下一个应结期间是 {expected}",
    "Periods close in order; the next to close is {expected} (R6).",
)
InsufficientFunds = _leaf(
    Conflict,
    "insufficient_funds",
    "余额不足：{account} 在 {date} 的可用余额为 {available_fen} 分",
    "Insufficient funds: {account} has {available_fen} fen available on {date} (R3).",
)
PurposeNotAllowed = _leaf(
    InvalidRequest,
    "purpose_not_allowed",
    "用途 {category} 不在本基金的专款用途内",
    "{category} is not one of this fund's allowed purposes (R10).",
)
InterestRequiresBankAccount = _leaf(
    InvalidRequest,
    "interest_requires_bank_account",
    "利息只能记入存放于银行账户的基金",
    "Interest is credited only to a fund kept in a bank account (R13).",
)
DecisionReferenceRequired = _leaf(
    InvalidRequest,
    "decision_reference_required",
    "基金之间划转须有集体决定文号",
    "Money moves between funds only with a collective decision reference (R11).",
)
TransferToSameFund = _leaf(
    InvalidRequest,
    "transfer_to_same_fund",
    "不能划转给本基金",
    "A transfer must go to another fund.",
)
TransferBreaksEarmark = _leaf(
    InvalidRequest,
    "transfer_breaks_earmark",
    "互助金只能划转到互助金（专款专用）",
    "Mutual-aid money may only move to another mutual-aid fund.",
)
CashMoveSameAccount = _leaf(
    InvalidRequest,
    "cash_move_same_account",
    "存取现须在银行与现金之间进行",
    "A cash deposit or withdrawal moves money between cash and bank.",
)
StipendMonthsInvalid = _leaf(
    InvalidRequest,
    "stipend_months_invalid",
    "补贴月份须为不重复的 YYYY-MM，且不晚于支付月份",
    "Stipend months are distinct YYYY-MM periods, none after the payment date.",
)
StipendAlreadyPaid = _leaf(
    Conflict,
    "stipend_already_paid",
    "{month} 的补贴已发放",
    "The stipend for {month} has already been paid.",
)
StipendRecipientNotInOffice = _leaf(
    InvalidRequest,
    "stipend_recipient_not_in_office",
    "{month} 该人员未在本组织任职",
    "The person held no office in the fund's organisation in {month}.",
)
VoucherAlreadyReversed = _leaf(
    Conflict,
    "voucher_already_reversed",
    "凭证 {voucher_no} 已被冲销",
    "Voucher {voucher_no} has already been reversed (R7).",
)
CannotReverseAReversal = _leaf(
    InvalidRequest,
    "cannot_reverse_a_reversal",
    "冲销凭证不能再冲销，请另作更正分录",
    "A reversal cannot itself be reversed; post a new entry instead.",
)
CashMoveNotReversible = _leaf(
    InvalidRequest,
    "cash_move_not_reversible",
    "存取现不做红字冲销，请另做一笔反方向的存取现",
    "A cash deposit or withdrawal is undone by a move in the other direction, not a reversal.",
)
ReversalAcrossFiscalYear = _leaf(
    InvalidRequest,
    "reversal_across_fiscal_year",
    "以前年度的凭证不能红字冲销，应在本期做蓝字更正",
    "A voucher of a prior year is corrected by a new entry in the current period (R5).",
)
ReversalDatedBeforeOriginal = _leaf(
    InvalidRequest,
    "reversal_dated_before_original",
    "冲销日期不能早于原凭证日期",
    "A reversal cannot be dated before the voucher it reverses.",
)

# --- requests and concurrency -------------------------------------------------------------------
IdempotencyKeyReusedWithDifferentRequest = _leaf(
    Conflict,
    "idempotency_key_reused_with_different_request",
    "请求编号 {request_id} 已用于另一项不同的请求",
    "Request id {request_id} was already used for a different request.",
)
ConcurrentUpdateRetryExhausted = _leaf(
    Conflict,
    "concurrent_update_retry_exhausted",
    "同时有其他人在修改，请稍后重试",
    "Others kept changing the same records; try again.",
)


def all_error_classes() -> list[type[LedgerError]]:
    """Every leaf, in the order defined here (the order checks usually run)."""
    return [
        obj
        for obj in globals().values()
        if isinstance(obj, type)
        and issubclass(obj, LedgerError)
        and obj not in (LedgerError, InvalidRequest, NotFound, Conflict, Forbidden, Unauthenticated)
    ]


# --- users, tokens and roles (the HTTP API) ---------------------------------------------------
class Unauthenticated(LedgerError):
    status = 401
    code = "unauthenticated"
    zh = "需要登录"
    en = "Authentication is required."


AuthenticationRequired = _leaf(
    Unauthenticated,
    "authentication_required",
    "请提供有效的访问令牌（Authorization: Bearer …）",
    "Send a valid bearer token (Authorization: Bearer …).",
)
TokenInvalid = _leaf(
    Unauthenticated, "token_invalid", "访问令牌无效或已撤销", "The token is unknown or revoked."
)
RoleRequired = _leaf(
    Forbidden,
    "role_required",
    "需要 {role} 角色（{org_id} 或其上级组织）",
    "This needs the {role} role for organisation {org_id} or one above it.",
)
SessionExpired = _leaf(
    Unauthenticated,
    "session_expired",
    "登录已过期，请重新登录",
    "The console session has expired; sign in again.",
)
CsrfInvalid = _leaf(
    Forbidden,
    "csrf_invalid",
    "表单已失效（防伪校验未通过），请重新打开页面后再提交",
    "The form's anti-forgery check failed; reopen the page and submit again.",
)
PasswordInvalid = _leaf(
    Unauthenticated, "password_invalid", "登录名或密码不正确", "The login name or password is wrong."
)
PasswordTooShort = _leaf(
    InvalidRequest,
    "password_too_short",
    "密码至少 {min_len} 个字符",
    "The password needs at least {min_len} characters.",
)
LoginTaken = _leaf(Conflict, "login_taken", "登录名 {login} 已被他人使用", "The login name {login} is taken.")
UserNotFound = _leaf(NotFound, "user_not_found", "用户不存在：{user_id}", "No user {user_id}.")
RoleAlreadyHeld = _leaf(
    Conflict, "role_already_held", "该用户已有此角色", "The user already holds this role."
)
RoleNotHeld = _leaf(Conflict, "role_not_held", "该用户没有此角色", "The user does not hold this role.")
ViewsLagging = _leaf(
    Conflict,
    "views_lagging",
    "查询视图尚未更新到位置 {position}，请稍后重试",
    "The views have not reached log position {position} yet; try again shortly.",
)
