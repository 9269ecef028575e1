"""Bodies and answers of gifts in kind and the asset register (ADR 0140)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ledger.api.inputs import Day
from ledger.api.schemas import AmountIn, MoneyPublic, ShortText, Strict, Text


class GiftInKindCreate(Strict):
    received_on: Day
    kind: Literal["goods", "service"] = Field(examples=["service"])
    value: AmountIn = Field(examples=["8000.00"])
    donor_kind: str = Field(examples=["partner_unit"])
    donor_name: ShortText = Field(examples=["区供电公司"], description="printed on the board as recorded")
    public_summary: str = Field(max_length=200, examples=["共建单位直接支付活动室墙面修缮"])
    description: str = Field(max_length=200, examples=["直接付给施工队，见对方来函"], description="internal")
    evidence_refs: list[ShortText] = Field(min_length=1, examples=[["scan:2024-0412-letter"]])
    supplier: ShortText | None = Field(default=None, description="a service: who was paid (internal)")
    fund_id: str | None = Field(default=None, description="the fund it serves (books untouched)")


class AssetCreate(Strict):
    acquired_on: Day
    source: Literal["purchase", "in_kind"]
    value: AmountIn = Field(examples=["4200.00"])
    public_name: ShortText = Field(examples=["台式电脑"])
    keeper_person_id: str
    place: ShortText = Field(examples=["活动室"])
    description: str | None = Field(default=None, max_length=200)
    fund_id: str | None = None
    voucher_no: str | None = Field(default=None, examples=["202403-004"])
    gift_no: str | None = Field(default=None, examples=["K2024-001"])


class WriteOffCreate(Strict):
    written_off_on: Day
    approved_by: str = Field(description="the approving person's id: neither the keeper nor the recorder")
    reason: Text
    doc_refs: list[ShortText] | None = None


class GiftInKindPublic(BaseModel):
    org_id: str
    gift_no: str
    received_on: str
    kind: str
    value: MoneyPublic
    donor_kind: str
    donor_name: str
    public_summary: str
    fund_id: str | None


class GiftsInKindPublic(BaseModel):
    data: list[GiftInKindPublic]
    total: MoneyPublic


class AssetPublic(BaseModel):
    org_id: str
    asset_no: str
    acquired_on: str
    source: str
    fund_id: str | None
    voucher_no: str | None
    gift_no: str | None
    value: MoneyPublic
    public_name: str
    keeper_person_id: str
    written_off_on: str | None


class AssetsPublic(BaseModel):
    data: list[AssetPublic]
    in_use: MoneyPublic
