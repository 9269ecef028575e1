"""Bodies and answers of a branch's dues book (ADR 0160)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from ledger.api.inputs import Day
from ledger.api.schemas import AmountIn, CountIn, MoneyPublic, ShortText, Strict, Text

Month = ShortText  # "YYYY-MM", checked by the domain (period_invalid)


class DuesSettingsCreate(Strict):
    from_month: Month = Field(examples=["2025-01"])
    decision_ref: ShortText = Field(examples=["区委组织部〔2025〕3号"])
    table: dict[str, Any] | None = Field(
        default=None,
        description="the branch's own rate table; none: the dated default (2008)",
        examples=[{"retired": {"bands": [[500000, 50], [None, 100]]}, "allowance": {"flat_fen": 20}}],
    )
    rebate_share_bp: int | None = Field(
        default=None, description="basis points: 5000 is 50%", examples=[5000]
    )


class DuesBaseCreate(Strict):
    person_id: str
    from_month: Month = Field(examples=["2025-01"])
    category: ShortText = Field(examples=["retired"], description="a category of the table, or fixed")
    base: CountIn | None = Field(default=None, description="the monthly base (banded categories)")
    fixed: AmountIn | None = Field(default=None, description="the fixed monthly amount (category fixed)")


class DuesPaymentCreate(Strict):
    person_id: str
    months: list[Month] = Field(min_length=1, max_length=12, examples=[["2025-01", "2025-02", "2025-03"]])
    amount: AmountIn = Field(examples=["63.00"], description="as paid: never computed")
    paid_on: Day
    receipt_ref: ShortText = Field(examples=["党费收据 0012"])


class DuesReversalCreate(Strict):
    reversed_on: Day
    reason: Text


class DuesHandUpCreate(Strict):
    handed_on: Day
    amount: AmountIn = Field(description="everything held: a part is refused")
    receipt_ref: ShortText = Field(examples=["银行回单 2025-04-01"])
    to_org_id: str | None = Field(default=None, description="an organisation above; none: the parent")


class DuesRebateCreate(Strict):
    received_on: Day
    amount: AmountIn
    period_from: Month
    period_to: Month
    from_org_id: str | None = None
    decision_ref: ShortText | None = None


class DuesBasePublic(BaseModel):
    person_id: str
    from_month: str
    category: str
    base: MoneyPublic | None
    fixed: MoneyPublic | None
    standard: MoneyPublic | None  # by the table in force in from_month


class DuesPaymentPublic(BaseModel):
    org_id: str
    payment_no: str
    person_id: str
    months: list[str]
    amount: MoneyPublic
    standard: MoneyPublic
    difference: MoneyPublic
    paid_on: str
    handup_no: str | None
    reversed_on: str | None


class DuesMonthPublic(BaseModel):
    org_id: str
    person_id: str
    month: str
    standard: MoneyPublic
    payment_no: str


class DuesHandUpPublic(BaseModel):
    handup_no: str
    to_org_id: str
    handed_on: str
    period_from: str
    period_to: str
    amount: MoneyPublic


class DuesRebatePublic(BaseModel):
    rebate_no: str
    from_org_id: str
    received_on: str
    period_from: str
    period_to: str
    amount: MoneyPublic
    rebate_share_bp: int
    handed_up: MoneyPublic
    expected: MoneyPublic
    difference: MoneyPublic
    warning: str | None


class DuesMonthTotalPublic(BaseModel):
    month: str
    paid_count: int
    standard: MoneyPublic


class DuesTotalsPublic(BaseModel):
    org_id: str
    collected: MoneyPublic
    handed_up: MoneyPublic
    held: MoneyPublic
    rebates: MoneyPublic
    months: list[DuesMonthTotalPublic]


class DuesBookPublic(BaseModel):
    totals: DuesTotalsPublic
    bases: list[DuesBasePublic]
    payments: list[DuesPaymentPublic]
    months: list[DuesMonthPublic]
    handups: list[DuesHandUpPublic]
    rebates: list[DuesRebatePublic]


class MemberDuesPublic(BaseModel):
    person_id: str
    payments: list[DuesPaymentPublic]
    months: list[DuesMonthPublic]
