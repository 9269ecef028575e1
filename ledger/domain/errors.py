"""The closed tree of expected errors: every rule the ledger refuses has one leaf here.

    LedgerError
    ├── InvalidRequest (422)  the input breaks a rule: amounts, dates, texts, earmarks, R1–R16
    ├── NotFound (404)        an id names nothing
    ├── Conflict (409)        the request clashes with what is already recorded
    ├── Forbidden (403)       the actor may not do this (segregation of duties R16, roles)
    ├── Unauthenticated (401) no valid token
    ├── Throttled (429)       too many failed attempts: wait, then try again
    ├── Unavailable (503)     this server cannot do it; another one can (a read replica)
    └── MalformedBody (400)   the HTTP body cannot be read as JSON at all (ADR 0064)

Each leaf has one stable snake_case ``code`` and a message in Chinese and English.
Messages may name details with ``{field_name}`` placeholders, filled from ``details``.
Programmer errors are ``assert``s, never a ``LedgerError``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ledger.domain.spoken import spoken


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
        return _fill(self.zh, spoken(self.details, "zh"))

    @property
    def message_en(self) -> str:
        text = _fill(self.en, spoken(self.details, "en"))
        return text[:1].upper() + text[1:]

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
    "金额超过上限 {max_yuan}",
    "The amount is above the maximum of {max_yuan}.",
)
AmountNotUnderstood = _leaf(
    InvalidRequest,
    "amount_not_understood",
    "看不懂这个金额：{text}。请写成 358.50、358.5元 或 叁佰伍拾捌元伍角 这样",
    "Cannot read the amount {text!r}. Write it like 358.50, 358.5元 or 叁佰伍拾捌元伍角.",
)
CapitalNumeralInvalid = _leaf(
    InvalidRequest,
    "capital_numeral_invalid",
    "人民币大写金额不正确：{text}",
    "{text!r} is not a valid amount in capital numerals.",
)

# --- texts, choices, dates ------------------------------------------------------------------------
TextRequired = _leaf(
    InvalidRequest,
    "text_required",
    "请填写{field_name}（这一项不能空着）",
    "Please fill in {field_name}: it is required.",
)
TextTooLong = _leaf(
    InvalidRequest,
    "text_too_long",
    "{field_name} 超过 {max_len} 个字符",
    "{field_name} is longer than {max_len}.",
)
ControlCharacter = _leaf(
    InvalidRequest,
    "control_character",
    "{field_name} 含有不允许的控制字符 {code_point}（如 NUL）；只有多行文字可含制表符和换行",
    "{field_name} holds a control character ({code_point}, e.g. NUL) it may not hold; only multi-line "
    "texts keep tab and line breaks.",
)
TooManyItems = _leaf(
    InvalidRequest,
    "too_many_items",
    "{field_name} 最多 {max_items} 项",
    "{field_name} has more than {max_items} items.",
)
DatesOutOfOrder = _leaf(
    InvalidRequest,
    "dates_out_of_order",
    "{field_name} 不能早于 {earlier_field_name}",
    "{field_name} cannot be before {earlier_field_name}.",
)
ValueNotAllowed = _leaf(
    InvalidRequest,
    "value_not_allowed",
    "{field_name} 的取值 {value} 不在允许范围内（{allowed}）",
    "{field_name}: {value} is not one of {allowed}.",
)
DateInvalid = _leaf(
    InvalidRequest,
    "date_invalid",
    "{field_name} 不是有效日期：{value}",
    "{field_name} is not a valid date: {value}.",
)
PeriodInvalid = _leaf(
    InvalidRequest,
    "period_invalid",
    "{field_name} 不是有效的会计期间（YYYY-MM）：{value}",
    "{field_name} is not a period of the form YYYY-MM: {value}.",
)
DateInFuture = _leaf(
    InvalidRequest,
    "date_in_future",
    "{field_name} 日期 {date} 晚于今天 {today}",
    "{field_name} {date} is after today ({today}).",
)
SourceDocumentRequired = _leaf(
    InvalidRequest,
    "source_document_required",
    "每笔收支须附至少一份原始凭证（{field_name}）",
    "Every income or expense entry needs at least one source document ({field_name}), R8.",
)

# --- public text (R34, issue 16): what the board prints holds nothing private -------------------
PublicTextNamesPerson = _leaf(
    InvalidRequest,
    "public_text_names_person",
    "{field_name} 将在公示栏公开，不能含有未同意公示的登记人员的姓名（请只写类别，姓名由系统按规则遮蔽）",
    "{field_name} is printed on the public board and may not hold the full name of a registered "
    "person who has not consented to public notice (write the category; the board masks names).",
)
PublicTextHasPhone = _leaf(
    InvalidRequest,
    "public_text_has_phone",
    "{field_name} 将在公示栏公开，不能含有手机号码",
    "{field_name} is printed on the public board and may not hold a phone number.",
)
PublicTextHasIdNumber = _leaf(
    InvalidRequest,
    "public_text_has_id_number",
    "{field_name} 将在公示栏公开，不能含有身份证号码",
    "{field_name} is printed on the public board and may not hold an ID-card number.",
)
PublicTextHasBankCard = _leaf(
    InvalidRequest,
    "public_text_has_bank_card",
    "{field_name} 将在公示栏公开，不能含有银行卡号",
    "{field_name} is printed on the public board and may not hold a bank-card number.",
)
PublicSummaryConcernsPerson = _leaf(
    InvalidRequest,
    "public_summary_concerns_person",
    "涉及个人的款项在公示栏只显示类别和遮蔽后的姓名，不能另写公示摘要",
    "A line that pays or concerns a person is printed as its category and the masked name only; "
    "it takes no typed public summary.",
)

CheckNotFound = _leaf(
    NotFound,
    "check_not_found",
    "没有找到封存指纹为 {fingerprint} 的公示：请核对二维码或指纹是否完整",
    "No notice is sealed with the fingerprint {fingerprint}: check that the code was read whole.",
)
StatementPeriodOutOfRange = _leaf(
    NotFound,
    "statement_period_out_of_range",
    "该基金在 {period} 没有收支公示（基金成立于 {established_on}，今天是 {today}）",
    "The fund has no statement for {period} (established on {established_on}; today is {today}).",
)

# --- the reviewer of a close (审核, issue 16) ---------------------------------------------------------
ReviewerNotFound = _leaf(
    InvalidRequest,
    "reviewer_not_found",
    "审核人“{name}”不是本基金所属组织或上级组织的在任委员（会计、出纳除外）：请填写其人员编号或登记的姓名",
    "No person named {name!r} holds an office (other than bookkeeper or cashier) of the fund's "
    "organisation or one above it: give their person id or registered name.",
)
ReviewerAmbiguous = _leaf(
    InvalidRequest,
    "reviewer_ambiguous",
    "有 {count} 位名叫“{name}”的人员可以审核（任职于：{offices}）：请改填其中一位的人员编号",
    "{count} people named {name!r} may review (holding office in: {offices}): give the person id "
    "of one of them.",
)
ReviewerNotQualified = _leaf(
    InvalidRequest,
    "reviewer_not_qualified",
    "人员 {person_id} 不能审核本基金：须在本基金所属组织或上级组织任职（会计、出纳除外），"
    "且不是本基金的会计或出纳",
    "Person {person_id} may not review this fund: a reviewer holds an office (other than "
    "bookkeeper or cashier) of the fund's organisation or one above it, and is not one of its "
    "custodians.",
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
OrganisationFundNotClosed = _leaf(
    Conflict,
    "organisation_fund_not_closed",
    "撤销前须先结账：基金 {fund_id} 自 {period} 起尚未结账（R29）",
    "Close the fund's books first: fund {fund_id} is open from {period} (R29).",
)
OrganisationFundHoldsMoney = _leaf(
    Conflict,
    "organisation_fund_holds_money",
    "撤销前须转出或按决定处置余额：基金 {fund_id} 尚有 {amount_yuan}（R29）",
    "Transfer or close by a recorded decision first: fund {fund_id} still holds {amount_yuan} (R29).",
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

# --- custody handovers (R22, ADR 0032) ----------------------------------------------------------
CustodianChangeNeedsHandover = _leaf(
    Conflict,
    "custodian_change_needs_handover",
    "本基金已有{role}，更换须办理移交（点交清单、监交人）",
    "The fund already has a {role}; a new one takes over only through a handover with an "
    "inventory and a supervisor (R22).",
)
CustodianNotAssigned = _leaf(
    Conflict,
    "custodian_not_assigned",
    "本基金尚无{role}，无从移交；首次请直接指定",
    "The fund has no {role} to hand over from; assign the first one instead.",
)
HandoverToSamePerson = _leaf(
    InvalidRequest,
    "handover_to_same_person",
    "接管人与移交人是同一人",
    "The incoming custodian is the outgoing one.",
)
HandoverSupervisorNotIndependent = _leaf(
    Forbidden,
    "handover_supervisor_not_independent",
    "监交人不得是移交人或接管人",
    "The supervisor of a handover is neither the outgoing nor the incoming custodian (R22).",
)
HandoverBeforeHolderBegan = _leaf(
    InvalidRequest,
    "handover_before_holder_began",
    "移交日期 {handed_over_on} 早于移交人接手日期 {from_date}",
    "The handover date {handed_over_on} is before the outgoing custodian took over ({from_date}).",
)
HandoverBeforeLatestEntry = _leaf(
    InvalidRequest,
    "handover_before_latest_entry",
    "移交日期 {handed_over_on} 早于账上最后一笔记录的日期 {latest_entry_on}",
    "The handover date {handed_over_on} is before the latest entry on the books "
    "({latest_entry_on}): the balance counted must be the current one.",
)
HandoverInventoryRequired = _leaf(
    InvalidRequest,
    "handover_inventory_required",
    "移交须附点交清单（inventory_ref）",
    "A handover names its inventory list (inventory_ref).",
)
HandoverDifferenceUnexplained = _leaf(
    InvalidRequest,
    "handover_difference_unexplained",
    "实点与账面不符（现金差额 {cash_difference_yuan}，银行差额 {bank_difference_yuan}），须说明差额",
    "The count differs from the books (cash {cash_difference_yuan}, bank "
    "{bank_difference_yuan}): record the difference with a note (difference_note).",
)
EntryBeforeHandover = _leaf(
    Conflict,
    "entry_before_handover",
    "日期 {date} 早于移交日期 {handed_over_on}，移交前的账目已点交，不能再登记",
    "{date} is before the handover of {handed_over_on}: the books handed over are final up to "
    "that day (R22).",
)

# --- money rules (R3, R6, R7, R10, R11, R13) ----------------------------------------------------
PeriodClosed = _leaf(
    Conflict,
    "period_closed",
    "{period} 月已经结账封存，不能再记入这个月。请把业务日期改到 {open_from} 或以后的月份；"
    "结过账的月份不能重新打开，如要更正其中的凭证，请由会计在当前月份登记红字冲销",
    "{period} is closed and sealed: nothing more may be dated in it. Date the entry in "
    "{open_from} or later; a closed month never reopens, so to correct one of its vouchers the "
    "bookkeeper records a reversal in the current month (R6).",
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
CloseNotConfirmed = _leaf(
    InvalidRequest,
    "close_not_confirmed",
    "还没有结账：结账后 {period} 及以前的账目将封存，不能撤销，也不能重新打开。"
    "请核对上面列出的凭证，勾选“我已核对，知道结账后不能撤销”，再点“确认结账”",
    "Not closed yet: closing seals {period} and the months before it, and cannot be undone or "
    'reopened. Check the vouchers listed above, tick "I have checked; I know this cannot be '
    'undone", then press "Close the period".',
)
InsufficientFunds = _leaf(
    Conflict,
    "insufficient_funds",
    "钱不够：{account_name}在 {date_words} 只有 {available_yuan}（{available_capital}）可用，"
    "付不出这笔钱。请核对金额；如钱在另一个账户（现金或银行），请选那个账户，"
    "或先登记存取现金、收入后再付",
    "Not enough money: {account_name} holds only {available_yuan} on {date_words}, so this "
    "cannot be paid. Check the amount; if the money is in the other account (cash or bank), "
    "choose that account, or record the cash move or the income first (R3).",
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
# Retired (ADR 0033): a cash move is reversed like any voucher; the code stays reserved.
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

# --- workflows: aid cases and objections (issue 5; R3, R17-R19, R21, R36) ----------------------
AidCaseNotFound = _leaf(NotFound, "aid_case_not_found", "救助申请不存在：{case_id}", "No aid case {case_id}.")
AidNoticeNotFound = _leaf(
    NotFound,
    "aid_notice_not_found",
    "本基金没有正在公示或近期公示的拟救助对象：{case_id}",
    "No aid-proposal notice {case_id} is posted on this fund's board (now or recently).",
)
AidCaseNotAwaitingSignatures = _leaf(
    Conflict,
    "aid_case_not_awaiting_signatures",
    "该救助申请当前状态为 {status}，不能再签批",
    "The aid case is {status}; it no longer takes signatures.",
)
AidCaseNotApproved = _leaf(
    Conflict,
    "aid_case_not_approved",
    "该救助申请当前状态为 {status}，未经批准不能发放",
    "The aid case is {status}; only an approved case is paid (R19).",
)
AidCaseClosed = _leaf(
    Conflict,
    "aid_case_closed",
    "该救助申请已{status}，不能再变更",
    "The aid case is {status}; it cannot change any more.",
)
AidSignerNotApprover = _leaf(
    Forbidden,
    "aid_signer_not_approver",
    "签批人在签批日须持有本基金所属组织（或其上级）的审批人角色",
    "A signer must hold the approver role for the fund's organisation on the signing date (R21).",
)
AidSignerIsBeneficiary = _leaf(
    Forbidden,
    "aid_signer_is_beneficiary",
    "任何人不得签批给自己的救助",
    "Nobody signs an aid case of which they are the beneficiary (R17).",
)
AidSignerIsApplicant = _leaf(
    Forbidden,
    "aid_signer_is_applicant",
    "申请人不得签批自己提交的救助申请",
    "Nobody signs an aid case they applied for (R17).",
)
AidAlreadySigned = _leaf(
    Conflict,
    "aid_already_signed",
    "同一人不能重复签批同一救助申请",
    "Nobody signs the same aid case twice.",
)
AidDecisionReferenceRequired = _leaf(
    InvalidRequest,
    "aid_decision_reference_required",
    "救助金额超过 {above_yuan}，须附集体决定文号",
    "Aid above {above_yuan} needs a collective-decision reference (R18).",
)
AidReservationExceedsAvailable = _leaf(
    Conflict,
    "aid_reservation_exceeds_available",
    "可用余额 {available_yuan}不足以预留 {amount_yuan}",
    "Only {available_yuan} is available; {amount_yuan} cannot be reserved (R3).",
)
AidNoticeWindowOpen = _leaf(
    Conflict,
    "aid_notice_window_open",
    "公示期至 {window_end} 结束，{window_end} 之后方可发放",
    "The notice window runs until {window_end}; payment may be dated only after it (R19).",
)
AidObjectionUnanswered = _leaf(
    Conflict,
    "aid_objection_unanswered",
    "该救助申请尚有未答复的异议，不能发放",
    "An objection on this aid case is unanswered; it cannot be paid (R19).",
)
AidPayerIsSigner = _leaf(
    Forbidden,
    "aid_payer_is_signer",
    "签批人不得兼任发放经办人",
    "A signer of the case cannot also hand out the payment (R17).",
)
AidPayerIsBeneficiary = _leaf(
    Forbidden,
    "aid_payer_is_beneficiary",
    "受助人不得经办发给自己的救助",
    "The beneficiary cannot hand out their own aid (R17).",
)
AidPaymentNotReversible = _leaf(
    InvalidRequest,
    "aid_payment_not_reversible",
    "救助发放凭证 {voucher_no} 须连同其救助申请一并冲销",
    "Aid payment {voucher_no} is reversed only together with its aid case (ADR 0033).",
)
ObjectionNotFound = _leaf(
    NotFound, "objection_not_found", "异议不存在：{objection_no}", "No objection {objection_no}."
)
ObjectionAlreadyAnswered = _leaf(
    Conflict,
    "objection_already_answered",
    "异议 {objection_no} 已答复",
    "Objection {objection_no} has already been answered.",
)
ObjectionAnswererNotApprover = _leaf(
    Forbidden,
    "objection_answerer_not_approver",
    "异议须由本基金所属组织（或其上级）的审批人答复",
    "An objection is answered by an approver of the fund's organisation (R36).",
)

# --- workflows: stipend schedules (issue 5; R12) -------------------------------------------------
StipendTermsAlreadySet = _leaf(
    Conflict,
    "stipend_terms_already_set",
    "该任职已定有补贴标准",
    "This office already has stipend terms.",
)
StipendFundNotOfOrganisation = _leaf(
    InvalidRequest,
    "stipend_fund_not_of_organisation",
    "补贴须由任职组织自己的基金支付",
    "A stipend is paid by a fund of the organisation where the office is held.",
)
StipendMonthNotDue = _leaf(
    InvalidRequest,
    "stipend_month_not_due",
    "{month} 不在补贴期内（补贴自约定月份起，至任期届满或离任止）",
    "{month} is not due: a stipend runs from its first month to the end of the term or office.",
)
StipendAmountNotTerms = _leaf(
    InvalidRequest,
    "stipend_amount_not_terms",
    "补贴金额应为 {expected_yuan}（按月标准）",
    "The stipend amount must be {expected_yuan} under the monthly terms.",
)

# --- workflows: collections (issue 5; R32) ----------------------------------------------------------
FundNotACollection = _leaf(
    InvalidRequest,
    "fund_not_a_collection",
    "只有集资/活动费（collection）类基金才能分摊、收取和结算费用",
    "Fees are assessed, paid and settled only in a fund of kind collection.",
)
CollectionAlreadyAssessed = _leaf(
    Conflict,
    "collection_already_assessed",
    "本次集资已分摊过费用",
    "The collection's fees are already assessed.",
)
FeePayerNotParticipant = _leaf(
    InvalidRequest,
    "fee_payer_not_participant",
    "缴费人不在本次集资的参与人名单中",
    "The payer is not a participant of this collection.",
)
CollectionAlreadySettled = _leaf(
    Conflict,
    "collection_already_settled",
    "本次集资已结算，不能再登记",
    "The collection is settled; nothing more may be recorded in it.",
)
CollectionSurplusHasNoPayers = _leaf(
    Conflict,
    "collection_surplus_has_no_payers",
    "结余无人可退：没有参与人缴过费",
    "There is a surplus but no participant paid anything to refund it to.",
)
CollectionNotSettled = _leaf(
    Conflict,
    "collection_not_settled",
    "集资须先结算（多退少补）才能关闭",
    "A collection is settled (surplus refunded) before it is closed (R32).",
)
CollectionAlreadyClosed = _leaf(
    Conflict, "collection_already_closed", "本次集资已关闭", "The collection is closed."
)
CollectionTopUpNeedsTransfer = _leaf(
    InvalidRequest,
    "collection_top_up_needs_transfer",
    "党组织经费补足集资须经集体决定划转，不能直接记拨款",
    "Party money tops up a collection only by an approved transfer, not a grant (R32).",
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
        and obj
        not in (
            LedgerError,
            InvalidRequest,
            NotFound,
            Conflict,
            Forbidden,
            Unauthenticated,
            Throttled,
            Unavailable,
        )
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


class Throttled(LedgerError):
    status = 429
    code = "throttled"
    zh = "尝试次数过多，请稍后再试"
    en = "Too many attempts; try again later."


SigninThrottled = _leaf(
    Throttled,
    "signin_throttled",
    "登录失败次数过多，请 {retry_after_min} 分钟后再试",
    "Too many failed sign-ins; try again in {retry_after_min} minutes.",
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
TokenNotFound = _leaf(
    NotFound, "token_not_found", "该用户没有编号为 {token_id} 的令牌", "The user has no token {token_id}."
)
TokenAlreadyRevoked = _leaf(
    Conflict, "token_already_revoked", "令牌 {token_id} 已撤销", "Token {token_id} is already revoked."
)
StoreNotEmpty = _leaf(
    Conflict,
    "store_not_empty",
    "账本已有 {events} 条记录，初始化只用于空账本，未写入任何内容",
    "The store already holds {events} events; init sets up an empty store only, and wrote nothing.",
)
TokenExpired = _leaf(
    Unauthenticated,
    "token_expired",
    "访问令牌已过期，请使用新的令牌",
    "The token has expired; use a new one.",
)
TokenExpiryInvalid = _leaf(
    InvalidRequest,
    "token_expiry_invalid",
    "令牌到期时间须带时区、晚于现在，且不超过 {max_days} 天",
    "A token's expiry needs a time zone, lies in the future and at most {max_days} days ahead.",
)
UserOutsideSubtree = _leaf(
    Forbidden,
    "user_outside_subtree",
    "用户 {user_id} 在您管理的组织范围之外（{org_id}），不能管理其令牌或角色",
    "User {user_id} belongs outside the organisations you administer ({org_id}); "
    "you cannot manage their tokens or roles.",
)


class Unavailable(LedgerError):
    status = 503
    code = "unavailable"
    zh = "此服务器不能办理该请求"
    en = "This server cannot serve the request."


ReadOnlyReplica = _leaf(
    Unavailable,
    "read_only_replica",
    "此服务器是只读副本（公示栏），不能登录或登记；请到主服务器办理",
    "This server is a read-only replica (the public board): no sign-in, nothing is recorded here. "
    "Use the primary server.",
)
ViewsLagging = _leaf(
    Conflict,
    "views_lagging",
    "查询视图尚未更新到位置 {position}，请稍后重试",
    "The views have not reached log position {position} yet; try again shortly.",
)
MinPositionNeedsToken = _leaf(
    Unauthenticated,
    "min_position_needs_token",
    "min_position（等待查询视图更新）仅供已登录的请求使用：请提供访问令牌，或去掉该参数",
    "min_position (waiting for the views) is for signed-in clients: send a bearer token or drop it.",
)
BoardBusy = _leaf(
    Unavailable,
    "board_busy",
    "公示栏正忙于生成其他文件，请 {retry_after_s} 秒后再试",
    "The noticeboard is busy rendering other files; try again in {retry_after_s} seconds.",
)


# --- bulk import of paper books ---------------------------------------------------------------
ImportFormatUnknown = _leaf(
    InvalidRequest,
    "import_format_unknown",
    "无法识别的文件格式：{path}（支持 .csv 和 .jsonl）",
    "Unknown file format: {path} (use .csv or .jsonl).",
)
ImportFileNotUtf8 = _leaf(
    InvalidRequest, "import_file_not_utf8", "文件不是 UTF-8 编码：{path}", "The file is not UTF-8: {path}."
)
ImportFileEmpty = _leaf(InvalidRequest, "import_file_empty", "文件为空", "The file is empty.")
ImportColumnMissing = _leaf(
    InvalidRequest, "import_column_missing", "缺少必需的列：{column}", "Required column missing: {column}."
)
ImportColumnUnknown = _leaf(
    InvalidRequest, "import_column_unknown", "无法识别的列：{column}", "Unknown column: {column}."
)
ImportRowMalformed = _leaf(
    InvalidRequest, "import_row_malformed", "此行格式错误：{detail}", "The row is malformed: {detail}."
)
ImportValueNotText = _leaf(
    InvalidRequest,
    "import_value_not_text",
    '这些字段必须写成文本（金额如 "50.00"）：{column}',
    'These values must be strings (amounts like "50.00"): {column}.',
)
ImportAmountColumnWrong = _leaf(
    InvalidRequest,
    "import_amount_column_wrong",
    "类别“{kind}”的金额只能填在“{column}”列",
    "A {kind} row has its amount in the {column} column only.",
)
ImportPersonUnknown = _leaf(
    InvalidRequest,
    "import_person_unknown",
    "名册中找不到 {where} 的 {name}：请先登记此人（及其组织关系或职务），或在 人员编号 列写明其编号",
    "No {name} in the register of {where}: register the person (and membership or office) first, "
    "or write their id in the person_id column.",
)
ImportPersonAmbiguous = _leaf(
    InvalidRequest,
    "import_person_ambiguous",
    "{where} 的 {name} 在名册中不止一人：{candidates}。请在 人员编号 列写明是哪一位",
    "{name} of {where} names more than one person in the register: {candidates}. "
    "Write the right one's id in the person_id column.",
)
ImportBalanceMismatch = _leaf(
    InvalidRequest,
    "import_balance_mismatch",
    "余额与账本不符：纸质账本 {expected_yuan}，计算得 {actual_yuan}",
    "The balance does not match: the paper book says {expected_yuan}, the ledger {actual_yuan}.",
)


# --- the mutual-aid roll (issue 21 item 1) -----------------------------------------------------
RollNeedsMutualAidFund = _leaf(
    InvalidRequest,
    "roll_needs_mutual_aid_fund",
    "会员名册只属于互助金（基金 {fund_id} 的类别是 {kind}）",
    "A roll belongs to a mutual-aid fund; fund {fund_id} is of kind {kind}.",
)
RollMemberAlreadyEnrolled = _leaf(
    Conflict,
    "roll_member_already_enrolled",
    "{person_id} 已在互助会会员名册上（自 {enrolled_on} 起）",
    "{person_id} is already on the association's roll (since {enrolled_on}).",
)
RollMemberNotEnrolled = _leaf(
    InvalidRequest,
    "roll_member_not_enrolled",
    "{person_id} 不在互助会会员名册上",
    "{person_id} is not on the association's roll.",
)
RollContributionAlreadySet = _leaf(
    Conflict,
    "roll_contribution_already_set",
    "{year} 年的年度会费已按章程设定",
    "The yearly contribution for {year} is already set by the charter.",
)
RollContributionNotSet = _leaf(
    InvalidRequest,
    "roll_contribution_not_set",
    "{year} 年的年度会费尚未设定",
    "No yearly contribution is set for {year}.",
)
RollDueDateOutsideYear = _leaf(
    InvalidRequest,
    "roll_due_date_outside_year",
    "缴费截止日 {due_on} 不在 {year} 年内",
    "The due date {due_on} is not in {year}.",
)
RollMemberOwesNothing = _leaf(
    InvalidRequest,
    "roll_member_owes_nothing",
    "{person_id} 在 {year} 年缴费截止日不在名册上，不欠该年会费",
    "{person_id} was not on the roll on {year}'s due date and owes nothing for it.",
)
RollContributionWaived = _leaf(
    Conflict,
    "roll_contribution_waived",
    "{person_id} 的 {year} 年会费已经减免",
    "{person_id}'s contribution for {year} is already waived.",
)
RollPaymentOutsideYear = _leaf(
    InvalidRequest,
    "roll_payment_outside_year",
    "{year} 年的会费须在该年内缴纳（收款日期 {paid_on}）",
    "A contribution for {year} is paid within that year (this one on {paid_on}).",
)
RollWaiverNeedsApprover = _leaf(
    Forbidden,
    "roll_waiver_needs_approver",
    "困难减免须由本基金所属组织（或其上级）的审批人批准",
    "A hardship waiver is approved by an approver of the fund's organisation or above.",
)
RollWaiverOfOwnContribution = _leaf(
    Forbidden,
    "roll_waiver_of_own_contribution",
    "审批人不能批准减免本人的会费",
    "An approver cannot waive their own contribution.",
)


# --- gifts in kind and the asset register (ADR 0140) ---------------------------------------------
AssetSourceRequired = _leaf(
    InvalidRequest,
    "asset_source_required",
    "来源为 {source} 的资产须给出 {needs}",
    "An asset from source {source} needs {needs}.",
)
AssetVoucherNotExpense = _leaf(
    InvalidRequest,
    "asset_voucher_not_expense",
    "凭证 {voucher_no} 不是未冲销的支出凭证，不能作为购置资产的来源",
    "Voucher {voucher_no} is not an unreversed expense; an asset cannot be bought on it.",
)
AssetFundNotOwned = _leaf(
    InvalidRequest,
    "asset_fund_not_owned",
    "基金 {fund_id} 不属于本组织，不能登记到本组织的资产或实物捐赠",
    "Fund {fund_id} belongs to another organisation; it cannot source this register.",
)
AssetAcquiredBeforeSource = _leaf(
    InvalidRequest,
    "asset_dated_before_source",
    "日期 {acquired_on} 早于其来源的日期 {source_on}",
    "The date {acquired_on} is before its source's date {source_on}.",
)
AssetValueExceedsSource = _leaf(
    InvalidRequest,
    "asset_value_exceeds_source",
    "资产价值 {value_fen} 分加上已登记的 {used_fen} 分超过来源金额 {source_fen} 分",
    "The value {value_fen} fen plus the {used_fen} fen already registered exceeds the source's "
    "{source_fen} fen.",
)
GiftInKindNotFound = _leaf(
    NotFound,
    "gift_in_kind_not_found",
    "本组织没有实物捐赠 {gift_no}（或它是服务，不是物品）",
    "This organisation has no gift of goods {gift_no}.",
)
AssetNotFound = _leaf(
    NotFound, "asset_not_found", "本组织没有资产 {asset_no}", "This organisation has no asset {asset_no}."
)
AssetAlreadyWrittenOff = _leaf(
    Conflict,
    "asset_already_written_off",
    "资产 {asset_no} 已核销",
    "Asset {asset_no} is already written off.",
)
WriteOffApproverNotIndependent = _leaf(
    Forbidden,
    "write_off_approver_not_independent",
    "核销资产 {asset_no} 的批准人不能是其保管人或登记人",
    "The write-off of asset {asset_no} must be approved by someone other than its keeper and the recorder.",
)


# --- Party dues on their way up (ADR 0160) -------------------------------------------------------
DuesRatesInvalid = _leaf(
    InvalidRequest,
    "dues_rates_invalid",
    "党费标准表不符合格式：{problem}",
    "The dues rate table is malformed: {problem}.",
)
DuesCategoryNotInTable = _leaf(
    InvalidRequest,
    "dues_category_not_in_table",
    "所用党费标准表中没有类别 {category}",
    "The dues rate table in force has no category {category}.",
)
DuesBaseRequired = _leaf(
    InvalidRequest,
    "dues_base_required",
    "类别为 {category} 的党员须申报 {needs}",
    "A member of category {category} needs {needs} declared.",
)
DuesBaseNotDeclared = _leaf(
    InvalidRequest,
    "dues_base_not_declared",
    "党员 {person_id} 在 {month} 没有申报的交纳基数",
    "Member {person_id} has no declared base in force in {month}.",
)
DuesBaseBeforePaidMonth = _leaf(
    Conflict,
    "dues_base_before_paid_month",
    "从 {from_month} 起的新基数会改变已交党费的月份（已交至 {paid_month}）",
    "A base from {from_month} would change months already paid (through {paid_month}).",
)
DuesMemberNotInBranch = _leaf(
    InvalidRequest,
    "dues_member_not_in_branch",
    "{person_id} 在 {day} 的正式组织关系不在本支部",
    "{person_id} did not hold formal membership in this branch on {day}.",
)
DuesNotABranch = _leaf(
    InvalidRequest,
    "dues_not_a_branch",
    "只有党支部收缴党费（临时党支部不收）：{org_id} 不是",
    "Only a branch collects dues (a temporary branch does not): {org_id} is not one.",
)
DuesMonthAlreadyPaid = _leaf(
    Conflict,
    "dues_month_already_paid",
    "{month} 的党费已由 {payment_no} 交纳",
    "The dues of {month} are already paid by {payment_no}.",
)
DuesPaymentNotFound = _leaf(
    NotFound,
    "dues_payment_not_found",
    "本支部没有党费收款 {payment_no}",
    "This branch has no dues payment {payment_no}.",
)
DuesPaymentAlreadyReversed = _leaf(
    Conflict,
    "dues_payment_already_reversed",
    "党费收款 {payment_no} 已冲销",
    "Dues payment {payment_no} is already reversed.",
)
DuesPaymentHandedUp = _leaf(
    Conflict,
    "dues_payment_handed_up",
    "党费收款 {payment_no} 已上缴，不能再冲销",
    "Dues payment {payment_no} has been handed up; it can no longer be reversed.",
)
DuesDatedBeforePayment = _leaf(
    InvalidRequest,
    "dues_dated_before_payment",
    "日期 {day} 早于所涉党费的收款日期 {paid_on}",
    "The date {day} is before the dues payment it concerns ({paid_on}).",
)
DuesNothingToHandUp = _leaf(
    Conflict,
    "dues_nothing_to_hand_up",
    "本支部没有待上缴的党费",
    "This branch holds no dues to hand up.",
)
DuesHandUpNotWhole = _leaf(
    InvalidRequest,
    "dues_hand_up_not_whole",
    "上缴须为全部待缴党费 {held_yuan}，而不是 {amount_yuan}",
    "A hand-up carries all the dues held, {held_yuan}, not {amount_yuan}.",
)
DuesHandUpNotUpward = _leaf(
    InvalidRequest,
    "dues_hand_up_not_upward",
    "党费只在上级组织之间往来：{org_id} 不是本支部的上级",
    "Dues go up to, and come back from, an organisation above the branch: {org_id} is not one.",
)
DuesRebateShareNotConfigured = _leaf(
    InvalidRequest,
    "dues_rebate_share_not_configured",
    "{month} 没有设定党费返还比例，无法核对返还",
    "No rebate share is configured for {month}; the rebate cannot be checked.",
)
DuesRebatePeriodOverlaps = _leaf(
    Conflict,
    "dues_rebate_period_overlaps",
    "返还期间与已登记的返还 {rebate_no} 重叠",
    "The rebate's period overlaps rebate {rebate_no}, already recorded.",
)


# --- audit (verify, exports, who did what) ----------------------------------------------------
HistorySubjectRequired = _leaf(
    InvalidRequest,
    "history_subject_required",
    "请给出 fund_id 或 person_id 其中之一",
    "Give exactly one of fund_id or person_id.",
)


# --- the HTTP body (ADR 0064) ------------------------------------------------------------------
class MalformedBody(LedgerError):
    """A body that is not JSON at all: bytes that are not UTF-8, broken syntax, or nesting
    deeper than the JSON reader follows. A body that is JSON but does not fit the schema is
    422 ``invalid_request`` instead."""

    status = 400
    code = "malformed_body"
    zh = "请求内容不是可读的 JSON（须为 UTF-8 编码、语法完整、嵌套不过深）"
    en = "The request body is not readable JSON (it must be UTF-8, well-formed and not nested too deeply)."
