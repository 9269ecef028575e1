"""Request and response shapes. Amounts come in as decimal strings ("1680.32") and go out as
both the string and integer ``amount_fen``; a JSON number for an amount is refused."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool

from ledger.api.inputs import Day
from ledger.domain.money import format_amount, parse_amount


def _amount(value: Any) -> int:
    if not isinstance(value, str):  # floats and ints alike: "1680.32" is the only form
        from ledger.domain.errors import AmountFloatNotAllowed

        raise AmountFloatNotAllowed()
    return parse_amount(value)


AmountIn = Annotated[
    int, BeforeValidator(_amount), Field(json_schema_extra={"type": "string", "example": "1680.32"})
]


def _counted(value: Any) -> int:
    if not isinstance(value, str):
        from ledger.domain.errors import AmountFloatNotAllowed

        raise AmountFloatNotAllowed()
    return parse_amount(value, allow_zero=True)


# A counted amount: like AmountIn, but zero is a count too (an empty cash box).
CountIn = Annotated[
    int, BeforeValidator(_counted), Field(json_schema_extra={"type": "string", "example": "0.00"})
]
Text = Annotated[str, Field(min_length=1, max_length=500)]
ShortText = Annotated[str, Field(min_length=1, max_length=100)]


def money(fen: int) -> dict[str, Any]:
    return {"amount": format_amount(fen, thousands=False), "amount_fen": fen}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class OrganisationCreate(Strict):
    kind: str = Field(examples=["branch"])
    name_zh: ShortText = Field(examples=["第一离退休党支部"])
    parent_org_id: str | None = None
    established_on: Day
    branch_kind: str | None = Field(default=None, examples=["retiree"])
    doc_ref: ShortText | None = None


class PersonCreate(Strict):
    name_zh: ShortText = Field(examples=["王小明"])
    public_notice: StrictBool = False
    internal_notice: StrictBool = False
    consent_doc_ref: ShortText | None = None


class MembershipCreate(Strict):
    org_id: str
    effective_on: Day
    membership_status: str = "full"
    category: str = "retired"


class TransferCreate(Strict):
    to_org_id: str
    effective_on: Day
    letter_no: ShortText | None = None
    dues_paid_through: str | None = Field(default=None, examples=["2024-06"])


class FundCreate(Strict):
    owner_org_id: str
    kind: str = Field(examples=["mutual_aid"])
    name_zh: ShortText = Field(examples=["党员互助金"])
    allowed_purposes: list[ShortText] = Field(min_length=1, max_length=50, examples=[["hardship_aid"]])
    custody: dict[str, Any] = Field(examples=[{"kind": "bank_account", "ref": "居委会账户"}])
    established_on: Day
    policy: dict[str, Any] | None = None
    charter_doc_ref: ShortText | None = None


class CustodianCreate(Strict):
    role: str = Field(examples=["bookkeeper"])
    person_id: str
    from_date: Day


class HandoverCreate(Strict):
    """移交 (R22): the role handed over, to whom, before which supervisor, on which day; the
    cash counted and the bank balance (statement) on that day; the inventory list."""

    role: str = Field(examples=["cashier"])
    to_person_id: str
    supervisor_person_id: str
    handed_over_on: Day
    cash_counted: CountIn
    bank_balance: CountIn
    inventory_ref: Annotated[str, Field(max_length=100)] | None = Field(
        default=None, examples=["移交清单-2025-07"]
    )
    difference_note: Annotated[str, Field(max_length=500)] | None = None


# 公示摘要: what the board prints for a line about no person (the memo is internal; ADR 0080).
PublicSummary = Annotated[str | None, Field(max_length=200, examples=["购置活动用品"])]


class EntryBase(Strict):
    occurred_on: Day
    amount: AmountIn
    account: str | None = Field(default=None, examples=["bank"])
    doc_refs: list[ShortText] = Field(default_factory=list, max_length=20)
    memo: Annotated[str, Field(max_length=200)] | None = None


class DonationCreate(EntryBase):
    donor_kind: str = Field(examples=["member"])
    donor_person_id: str | None = None
    donor_name: ShortText | None = None
    publish_donor_name: StrictBool = False
    campaign: ShortText | None = None
    receipt_no: ShortText | None = None
    public_summary: PublicSummary = None


class GrantCreate(EntryBase):
    grant_kind: str = Field(examples=["dues_rebate"])
    grantor_name: ShortText
    grantor_org_id: str | None = None
    purpose: ShortText | None = None
    public_summary: PublicSummary = None


class InterestCreate(Strict):
    occurred_on: Day
    amount: AmountIn
    bank_ref: ShortText
    memo: Annotated[str, Field(max_length=200)] | None = None
    public_summary: PublicSummary = None


class ExpenseCreate(EntryBase):
    category: ShortText
    payee: ShortText
    handled_by: ShortText
    approved_by: ShortText
    payee_person_id: str | None = None
    witnessed_by: ShortText | None = None
    public_summary: PublicSummary = None


class StipendCreate(EntryBase):
    person_id: str
    months: list[str] = Field(min_length=1, max_length=24, examples=[["2024-07"]])
    handled_by: ShortText
    role: str = "secretary"


class CashMoveCreate(Strict):
    occurred_on: Day
    amount: AmountIn
    from_account: str
    to_account: str
    doc_refs: list[ShortText] = Field(default_factory=list, max_length=20)
    memo: Annotated[str, Field(max_length=200)] | None = None
    public_summary: PublicSummary = None


class TransferBetweenFundsCreate(Strict):
    from_fund_id: str
    to_fund_id: str
    occurred_on: Day
    amount: AmountIn
    decision_ref: ShortText
    doc_refs: list[ShortText] = Field(default_factory=list, max_length=20)
    memo: Annotated[str, Field(max_length=200)] | None = None


class ReversalCreate(Strict):
    voucher_no: ShortText = Field(examples=["202407-003"])
    occurred_on: Day
    reason: Text


class PeriodClose(Strict):
    period: str = Field(examples=["2024-07"])
    reviewed_by: ShortText | None = None


class Recorded(BaseModel):
    """What a write answers: the ids and voucher numbers it made. The log position it wrote is
    in the ``X-Fundbook-Position`` header (pass it as ``min_position`` to read your write)."""

    result: dict[str, Any]


class RenameCreate(Strict):
    name_zh: ShortText
    effective_on: Day
    doc_ref: ShortText | None = None


class ReparentCreate(Strict):
    new_parent_org_id: str | None
    effective_on: Day
    doc_ref: ShortText | None = None


class DissolveCreate(Strict):
    effective_on: Day
    doc_ref: ShortText


class OfficeCreate(Strict):
    person_id: str
    role: str = Field(examples=["secretary"])
    from_date: Day
    term_end: Day | None = None
    doc_ref: ShortText | None = None


class OfficeEnd(Strict):
    person_id: str
    role: str
    to_date: Day
    reason: Text | None = None


class SupervisionChannels(Strict):
    """Where residents object to a notice: printed on every notice (issue 16)."""

    phone: Annotated[str, Field(max_length=40, examples=["010-6512 3456"])]
    opinion_box: ShortText = Field(examples=["社区党群服务中心一楼大厅"])
    discipline_title: ShortText = Field(examples=["社区党委纪检委员"])


class ConsentChange(Strict):
    public_notice: StrictBool
    internal_notice: StrictBool
    doc_ref: ShortText | None = None


class LeavePartyCreate(Strict):
    reason: str = Field(examples=["withdrew"])
    effective_on: Day
    doc_ref: ShortText | None = None


class DeathCreate(Strict):
    died_on: Day


class UserCreate(Strict):
    person_id: str


class RoleChange(Strict):
    role: str = Field(examples=["bookkeeper"])
    org_id: str


# --- what reads answer ------------------------------------------------------------------------
class MoneyPublic(BaseModel):
    amount: str = Field(examples=["1680.32"])
    amount_fen: int = Field(examples=[168032])


class FundBalancePublic(BaseModel):
    fund_id: str
    name_zh: str
    kind: str
    owner_org_id: str
    income: MoneyPublic
    expense: MoneyPublic
    balance: MoneyPublic
    cash: MoneyPublic
    bank: MoneyPublic
    reserved: MoneyPublic
    available: MoneyPublic


class FundBalanceAnswer(FundBalancePublic):
    as_of_position: int = Field(description="the log position all these figures belong to (one snapshot)")


class FundBalancesPublic(BaseModel):
    data: list[FundBalancePublic]
    count: int
    as_of_position: int = Field(description="the log position all these figures belong to (one snapshot)")


class HandoverPublic(BaseModel):
    role: str
    from_person_id: str
    to_person_id: str
    supervisor_person_id: str
    handed_over_on: str
    book_cash: MoneyPublic
    book_bank: MoneyPublic
    cash_counted: MoneyPublic
    bank_balance: MoneyPublic
    cash_difference: MoneyPublic
    bank_difference: MoneyPublic
    difference_note: str | None
    last_voucher_no: str | None
    inventory_ref: str
    recorded_by: str
    position: int


class HandoversPublic(BaseModel):
    data: list[HandoverPublic]
    count: int


class OrganisationPublic(BaseModel):
    org_id: str
    name_zh: str
    kind: str
    parent_org_id: str | None
    own: dict[str, MoneyPublic]
    total: dict[str, MoneyPublic]


class OrganisationsPublic(BaseModel):
    data: list[OrganisationPublic]
    count: int


class BranchWarningPublic(BaseModel):
    org_id: str
    name_zh: str
    members: int
    full_members: int
    warnings: list[dict[str, str]]  # code, message_zh, message_en


class BranchWarningsPublic(BaseModel):
    as_of: Day
    data: list[BranchWarningPublic]


class RollupPublic(BaseModel):
    org_id: str
    name_zh: str | None = None
    as_of: Day
    own: dict[str, MoneyPublic]
    total: dict[str, MoneyPublic]


class IncomeYearPublic(BaseModel):
    year: int
    by_kind: dict[str, MoneyPublic]


class OrgIncomePublic(BaseModel):
    org_id: str
    name_zh: str
    by_kind: dict[str, MoneyPublic]
    total: MoneyPublic
    by_year: list[IncomeYearPublic]


class IncomeByKindPublic(BaseModel):
    """Income by kind per organisation over whole years (issue 21 item 5)."""

    from_year: int
    to_year: int
    kinds: list[str]
    data: list[OrgIncomePublic]
    by_kind: dict[str, MoneyPublic]
    total: MoneyPublic


class MemberBranchTotals(BaseModel):
    branch_org_id: str | None
    donated: MoneyPublic
    paid_to: MoneyPublic
    stipends: MoneyPublic


class MemberTotalsPublic(BaseModel):
    person_id: str
    by_branch: list[MemberBranchTotals]


class JournalRowPublic(BaseModel):
    position: int
    voucher_no: str
    seq: int
    period: str
    occurred_on: str
    entry_kind: str
    income: MoneyPublic
    expense: MoneyPublic
    balance: MoneyPublic
    person_id: str | None
    person_role: str | None
    category: str | None
    counterparty: str | None
    memo: str | None
    handled_by: str | None
    recorded_by: str | None
    reverses_voucher_no: str | None
    details: dict[str, Any]


class JournalPublic(BaseModel):
    data: list[JournalRowPublic]
    count: int
    page: int
    page_size: int
    as_of_position: int = Field(description="the log position all these figures belong to (one snapshot)")


class StatementPublic(BaseModel):
    fund_id: str
    name_zh: str
    period: str
    start: Day
    end: Day
    opening: MoneyPublic
    income: MoneyPublic
    expense: MoneyPublic
    closing: MoneyPublic
    cash: MoneyPublic
    bank: MoneyPublic
    closed: bool
    months_closed: list[str]
    rows: list[JournalRowPublic] = Field(description="one page of the period's vouchers in journal order")
    row_count: int = Field(description="how many vouchers the whole period holds")
    next: str | None = Field(description="the cursor of the next page (pass as ?after=); null on the last")
    next_link: str | None = Field(description="the next page's path and query; null on the last")
    prev: str | None = Field(description="the cursor of the page before (as ?before=); null on the first")
    prev_link: str | None = Field(description="the page before's path and query; null on the first")
    as_of_position: int = Field(description="the log position all these figures belong to (one snapshot)")


class TokenIssuedPublic(Recorded):
    token: str


def _iso_text(value: object) -> object:
    """A moment as ISO 8601 text only (a number would be read as a Unix timestamp)."""
    if value is not None and not isinstance(value, str):
        raise ValueError("an ISO 8601 date-time string with a time zone")
    return value


class TokenRequest(Strict):
    expires_at: Annotated[AwareDatetime | None, BeforeValidator(_iso_text)] = Field(
        default=None,
        description="when the token stops working (ISO 8601 with a time zone; at most 366 days on)",
        examples=["2027-06-30T18:00:00+08:00"],
    )


class TokenPublic(BaseModel):
    token_id: str
    issued_at: str
    issued_by: str
    expires_at: str | None
    revoked: bool


class UserPublic(BaseModel):
    user_id: str
    person_id: str
    name: str
    roles: list[dict[str, Any]]
