"""Request and response shapes of the workflow routers (aid cases), built from the same
helpers as ``schemas`` (amounts in as decimal strings, out as string + ``amount_fen``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StrictBool

from ledger.api.inputs import Day
from ledger.api.schemas import AmountIn, MoneyPublic, ShortText, Strict

Reason = Annotated[str, Field(min_length=1, max_length=500)]


class AidCaseCreate(Strict):
    fund_id: str
    beneficiary_person_id: str
    applicant_person_id: str
    aid_kind: str = Field(examples=["hospitalisation"])
    requested: AmountIn
    reason_private: Reason = Field(examples=["住院手术，自付部分较多"])
    reason_public_category: ShortText = Field(examples=["慰问因病住院党员"])
    publicity_consent: StrictBool = False
    evidence_refs: list[ShortText] = Field(min_length=1, max_length=20, examples=[["住院发票-001"]])


class AidSignatureCreate(Strict):
    decision_ref: ShortText | None = None


class AidReason(Strict):
    reason: Reason


class AidPaymentCreate(Strict):
    paid_on: Day
    account: str | None = Field(default=None, examples=["cash"])
    doc_refs: list[ShortText] = Field(min_length=1, max_length=20, examples=[["签收单-001"]])
    witnessed_by: ShortText | None = None
    memo: Annotated[str, Field(max_length=200)] | None = None


class ObjectionCreate(Strict):
    text: Reason = Field(examples=["受助人家庭条件较好"])
    anonymous: StrictBool = False


class ObjectionAnswer(Strict):
    outcome: str = Field(examples=["dismissed"])
    answer: Reason


class AidCasePublic(BaseModel):
    """A case as the views hold it: never the private reason or an objection's text."""

    case_id: str
    fund_id: str
    owner_org_id: str
    beneficiary_person_id: str
    applicant_person_id: str
    aid_kind: str
    public_category: str
    publicity_consent: bool
    requested: MoneyPublic
    signatures_required: int
    decision_required: bool
    signed_by: list[str]
    status: str = Field(examples=["approved"])
    applied_on: str
    approved_on: str | None
    window_end: str | None
    open_objections: int
    voucher_no: str | None
    paid_on: str | None
    escalated_objections: int = Field(description="objections escalated (R36) and not yet answered")


class AidObjectionPublic(BaseModel):
    """One objection on a case: its dates and where it was escalated; never its text, who
    raised it or who answered (R36)."""

    objection_no: str
    raised_on: str
    answered_on: str | None
    escalated_on: str | None
    escalated_to_org_id: str | None


class AidCaseDetail(AidCasePublic):
    objections: list[AidObjectionPublic]


class AidCasesPublic(BaseModel):
    data: list[AidCasePublic]
    count: int
    page: int
    page_size: int


class StipendTermsCreate(Strict):
    person_id: str
    role: str = Field(default="secretary", examples=["secretary"])
    monthly: AmountIn = Field(examples=["300.00"])
    from_month: str = Field(examples=["2018-03"])
    fund_id: str
    doc_ref: ShortText | None = None


class StipendDuePublic(BaseModel):
    org_id: str
    person_id: str
    role: str
    fund_id: str
    monthly: MoneyPublic
    months_due: list[str]
    months_paid: list[str]
    months_unpaid: list[str]
    unpaid: MoneyPublic


class StipendSchedulePublic(BaseModel):
    through: str
    data: list[StipendDuePublic]


class FeeAssessmentCreate(Strict):
    basis: str = Field(examples=["equal_split"])
    participants: list[str] = Field(min_length=1, max_length=500)
    target: AmountIn | None = None
    fee: AmountIn | None = None


class FeePaymentCreate(Strict):
    occurred_on: Day
    amount: AmountIn
    person_id: str
    receipt_no: ShortText | None = None
    account: str | None = None
    doc_refs: list[ShortText] = Field(default_factory=list, max_length=20)
    memo: Annotated[str, Field(max_length=200)] | None = None


class SettlementCreate(Strict):
    occurred_on: Day
    rule: str = Field(default="pro_rata", examples=["pro_rata"])
    account: str | None = None
    doc_refs: list[ShortText] = Field(default_factory=list, max_length=20)


class FeeTotalPublic(BaseModel):
    person_id: str
    owed: MoneyPublic
    paid: MoneyPublic
    refunded: MoneyPublic
    outstanding: MoneyPublic


class CollectionMembersPublic(BaseModel):
    fund_id: str
    status: str = Field(examples=["settled"])
    data: list[FeeTotalPublic]


class VoucherObjectionPublic(BaseModel):
    objection_id: str
    voucher_no: str
    raised_on: str
    outcome: str | None
    escalated_on: str | None
    escalated_to_org_id: str | None


class VoucherObjectionsPublic(BaseModel):
    fund_id: str
    data: list[VoucherObjectionPublic]
