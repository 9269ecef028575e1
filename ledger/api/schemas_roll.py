"""Request and response shapes of the mutual-aid roll (issue 21 item 1, ADR 0130)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StrictBool, StrictInt

from ledger.api.inputs import Day
from ledger.api.schemas import AmountIn, MoneyPublic, ShortText, Strict, Text

Year = Annotated[StrictInt, Field(ge=1949, le=2999, examples=[2025])]


class RollContributionCreate(Strict):
    """The charter's yearly contribution: amount and due date, once per year."""

    year: Year
    amount: AmountIn
    due_on: Day
    charter_ref: ShortText = Field(examples=["互助会章程第五条"])


class RollEnrolCreate(Strict):
    person_id: str
    enrolled_on: Day


class RollLeaveCreate(Strict):
    left_on: Day
    reason: Text = Field(examples=["迁居外地"])


class RollWaiverCreate(Strict):
    """A hardship waiver; the caller approves it (an approver of the fund's organisation)."""

    year: Year
    reason: Text = Field(examples=["大病住院，家庭困难"])


class RollPaymentCreate(Strict):
    """The member's donation to the fund, counted towards the year's contribution."""

    year: Year
    occurred_on: Day
    amount: AmountIn
    account: str | None = Field(default=None, examples=["cash"])
    receipt_no: ShortText | None = None
    publish_donor_name: StrictBool = False
    doc_refs: list[ShortText] = Field(default_factory=list, max_length=20)


class RollStatusPublic(BaseModel):
    person_id: str
    name_zh: str
    year: int
    due_on: str
    status: str = Field(examples=["owed"])
    amount: MoneyPublic
    paid: MoneyPublic
    outstanding: MoneyPublic
    vouchers: list[str]
    waived_by: str | None


class RollMemberPublic(BaseModel):
    person_id: str
    name_zh: str
    enrolled_on: str
    left_on: str | None


class RollPublic(BaseModel):
    """Internal: who is on the roll on ``as_of``, and each member's status for ``year``."""

    fund_id: str
    as_of: str
    year: int
    members: list[RollMemberPublic]
    statuses: list[RollStatusPublic]


class RollBehindPublic(BaseModel):
    fund_id: str
    as_of: str
    data: list[RollStatusPublic]


class RollCountsPublic(BaseModel):
    """What the public board may show: counts, never names."""

    fund_id: str
    year: int
    members: int
    paid_this_year: int
