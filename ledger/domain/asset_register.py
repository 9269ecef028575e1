"""AssetRegister: one organisation's gifts in kind (实物捐赠) and its register of assets (资产登记).

A gift in kind is recorded at a stated value with its evidence (a receipt, a delivery note, the
partner unit's letter). It is not cash: nothing here touches a ``Fund``, so no cash or bank
balance ever changes. A partner unit that pays a supplier directly (the wall repair paid by the
unit to the builder) is a gift in kind of that service (``kind="service"``), with the supplier
kept internal. Goods given in kind (a printer) may be entered in the asset register.

An asset comes from one of two sources, each checked against what it names:

- ``purchase``: an ``ExpensePaid`` voucher of a fund of this organisation, not reversed; the
  values of the assets bought on one voucher never add up to more than the voucher's amount;
- ``in_kind``: a gift of goods in this register; the values never add up to more than the gift's.

Each asset has a keeper (a registered person), a place and a value. A write-off (报废/核销) is
dated, approved by a person who is not its keeper and not the recorder, with a reason; once
written off an asset stays in the register, marked.

What the board prints of a gift or an asset is its public summary / public name, checked as any
public text (R34, ADR 0080); the description, the supplier and the write-off reason are internal.
One register per organisation, its id derived from the organisation's (``register_id``), made
by its first command (ADR 0140).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from ledger.domain import errors
from ledger.domain.context import Context
from ledger.domain.control_chars import ControlCharacterGuard
from ledger.domain.limits import (
    MEMO_LEN_MAX,
    NAME_LEN_MAX,
    REASON_LEN_MAX,
    REF_LEN_MAX,
    check_choice,
    check_date,
    check_not_future,
    check_optional_text,
    check_refs,
    check_text,
)
from ledger.domain.money import check_fen
from ledger.domain.public_text import NO_REGISTER, PublicRegister, check_public_text

GIFT_KINDS = ("goods", "service")
GIFT_DONOR_KINDS = ("partner_unit", "company", "member", "resident", "other")
ASSET_SOURCES = ("purchase", "in_kind")
EXPENSE_TOPIC = "fundbook:Fund.ExpensePaid"
_NAMESPACE = uuid5(NAMESPACE_URL, "https://fundbook.invalid/asset-register")


def register_id(org_id: str) -> UUID:
    """The register of an organisation: one, found from the organisation's id alone."""
    return uuid5(_NAMESPACE, str(org_id))


class AssetRegister(ControlCharacterGuard, Aggregate):
    TOPIC = "fundbook:AssetRegister"

    class Created(Aggregate.Created):
        TOPIC = "fundbook:AssetRegister.Opened"
        org_id: str

    def __init__(self, org_id: str) -> None:
        self.org_id = org_id
        # gift no -> {"kind", "value_fen", "used_fen", "received_on"}
        self.gifts: dict[str, dict[str, Any]] = {}
        # asset no -> {"value_fen", "keeper_person_id", "acquired_on", "written_off"}
        self.assets: dict[str, dict[str, Any]] = {}
        self.voucher_used_fen: dict[str, int] = {}  # "fund id/voucher no" -> value registered

    @classmethod
    def open(cls, org_id: str) -> AssetRegister:
        return cls._create(cls.Created, id=register_id(org_id), org_id=str(org_id))

    # --- events ---------------------------------------------------------------------------------
    class InKindReceived(Aggregate.Event):
        """A gift in kind at its stated value: goods, or a service a donor paid for directly."""

        TOPIC = "fundbook:AssetRegister.InKindReceived"
        org_id: str  # every event names it: the views need no lookup
        gift_no: str
        received_on: date
        kind: str
        value_fen: int
        donor_kind: str
        donor_name: str  # printed as recorded (checked public text)
        public_summary: str  # printed (checked public text)
        description: str  # internal
        supplier: str | None  # internal: who was paid directly for a service
        fund_id: str | None  # the fund the gift serves, if any (its books are not touched)
        evidence_refs: list[str]
        recorded_by: str
        request_id: str | None

        def apply(self, register: AssetRegister) -> None:
            register.gifts[self.gift_no] = {
                "kind": self.kind,
                "value_fen": self.value_fen,
                "used_fen": 0,
                "received_on": self.received_on,
            }

    class AssetRegistered(Aggregate.Event):
        TOPIC = "fundbook:AssetRegister.AssetRegistered"
        org_id: str  # every event names it: the views need no lookup
        asset_no: str
        acquired_on: date
        source: str
        fund_id: str | None  # purchase: the fund that paid
        voucher_no: str | None  # purchase: its ExpensePaid voucher
        gift_no: str | None  # in_kind: the gift of goods
        value_fen: int
        public_name: str  # printed (checked public text)
        description: str | None  # internal
        keeper_person_id: str
        place: str  # internal (a room, a cupboard)
        recorded_by: str
        request_id: str | None

        def apply(self, register: AssetRegister) -> None:
            register.assets[self.asset_no] = {
                "value_fen": self.value_fen,
                "keeper_person_id": self.keeper_person_id,
                "acquired_on": self.acquired_on,
                "written_off": False,
            }
            if self.source == "purchase":
                key = f"{self.fund_id}/{self.voucher_no}"
                register.voucher_used_fen[key] = register.voucher_used_fen.get(key, 0) + self.value_fen
            else:
                register.gifts[str(self.gift_no)]["used_fen"] += self.value_fen

    class AssetWrittenOff(Aggregate.Event):
        TOPIC = "fundbook:AssetRegister.AssetWrittenOff"
        org_id: str  # every event names it: the views need no lookup
        asset_no: str
        written_off_on: date
        approved_by: str
        reason: str  # internal
        doc_refs: list[str]
        recorded_by: str
        request_id: str | None

        def apply(self, register: AssetRegister) -> None:
            register.assets[self.asset_no]["written_off"] = True

    # --- commands -------------------------------------------------------------------------------
    def receive_in_kind(
        self,
        ctx: Context,
        *,
        received_on: date,
        kind: str,
        value_fen: int,
        donor_kind: str,
        donor_name: str,
        public_summary: str,
        description: str,
        evidence_refs: list[str],
        supplier: str | None = None,
        fund_id: str | None = None,
        register: PublicRegister = NO_REGISTER,
    ) -> str:
        """``fund_id``: checked by the caller to be a fund of this organisation."""
        received_on = self._check_day(ctx, "received_on", received_on)
        kind = check_choice("kind", kind, GIFT_KINDS)
        value_fen = check_fen(value_fen)
        donor_kind = check_choice("donor_kind", donor_kind, GIFT_DONOR_KINDS)
        donor_name = _public("donor_name", donor_name, NAME_LEN_MAX, register)
        public_summary = _public("public_summary", public_summary, MEMO_LEN_MAX, register)
        description = check_text("description", description, max_len=MEMO_LEN_MAX)
        supplier = check_optional_text("supplier", supplier, max_len=NAME_LEN_MAX)
        if kind == "goods" and supplier is not None:
            raise errors.ValueNotAllowed(field="supplier", value=supplier, allowed="only for a service")
        evidence_refs = check_refs("evidence_refs", evidence_refs, required=True)
        gift_no = next_no("K", received_on, self.gifts)
        self.trigger_event(
            self.InKindReceived,
            org_id=self.org_id,
            gift_no=gift_no,
            received_on=received_on,
            kind=kind,
            value_fen=value_fen,
            donor_kind=donor_kind,
            donor_name=donor_name,
            public_summary=public_summary,
            description=description,
            supplier=supplier,
            fund_id=fund_id,
            evidence_refs=evidence_refs,
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )
        return gift_no

    def register_asset(
        self,
        ctx: Context,
        *,
        acquired_on: date,
        source: str,
        value_fen: int,
        public_name: str,
        keeper_person_id: str,
        place: str,
        description: str | None = None,
        fund_id: str | None = None,
        voucher: dict[str, Any] | None = None,
        voucher_no: str | None = None,
        gift_no: str | None = None,
        register: PublicRegister = NO_REGISTER,
    ) -> str:
        """``voucher``: for a purchase, the fund's record of ``voucher_no`` (``Fund.voucher``),
        the caller having checked that the fund belongs to this organisation."""
        acquired_on = self._check_day(ctx, "acquired_on", acquired_on)
        source = check_choice("source", source, ASSET_SOURCES)
        value_fen = check_fen(value_fen)
        public_name = _public("public_name", public_name, NAME_LEN_MAX, register)
        description = check_optional_text("description", description, max_len=MEMO_LEN_MAX)
        keeper_person_id = check_text("keeper_person_id", keeper_person_id, max_len=REF_LEN_MAX)
        place = check_text("place", place, max_len=NAME_LEN_MAX)
        if source == "purchase":
            if voucher is None or fund_id is None or voucher_no is None:
                raise errors.AssetSourceRequired(source=source, needs="fund_id, voucher_no")
            if voucher["topic"] != EXPENSE_TOPIC or voucher["reversed_by"] is not None:
                raise errors.AssetVoucherNotExpense(voucher_no=voucher_no)
            if acquired_on < voucher["occurred_on"]:
                raise errors.AssetAcquiredBeforeSource(
                    acquired_on=acquired_on.isoformat(), source_on=voucher["occurred_on"].isoformat()
                )
            used = self.voucher_used_fen.get(f"{fund_id}/{voucher_no}", 0)
            _check_within(value_fen, used, voucher["amount_fen"])
            gift_no = None
        else:
            if gift_no is None:
                raise errors.AssetSourceRequired(source=source, needs="gift_no")
            gift = self.gifts.get(gift_no)
            if gift is None or gift["kind"] != "goods":
                raise errors.GiftInKindNotFound(gift_no=gift_no)
            if acquired_on < gift["received_on"]:
                raise errors.AssetAcquiredBeforeSource(
                    acquired_on=acquired_on.isoformat(), source_on=gift["received_on"].isoformat()
                )
            _check_within(value_fen, gift["used_fen"], gift["value_fen"])
            fund_id = voucher_no = None
        asset_no = next_no("A", acquired_on, self.assets)
        self.trigger_event(
            self.AssetRegistered,
            org_id=self.org_id,
            asset_no=asset_no,
            acquired_on=acquired_on,
            source=source,
            fund_id=fund_id,
            voucher_no=voucher_no,
            gift_no=gift_no,
            value_fen=value_fen,
            public_name=public_name,
            description=description,
            keeper_person_id=keeper_person_id,
            place=place,
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )
        return asset_no

    def write_off(
        self,
        ctx: Context,
        *,
        asset_no: str,
        written_off_on: date,
        approved_by: str,
        reason: str,
        doc_refs: list[str] | None = None,
    ) -> str:
        asset_no = check_text("asset_no", asset_no, max_len=REF_LEN_MAX)
        asset = self.assets.get(asset_no)
        if asset is None:
            raise errors.AssetNotFound(asset_no=asset_no)
        if asset["written_off"]:
            raise errors.AssetAlreadyWrittenOff(asset_no=asset_no)
        written_off_on = self._check_day(ctx, "written_off_on", written_off_on)
        if written_off_on < asset["acquired_on"]:
            raise errors.AssetAcquiredBeforeSource(
                acquired_on=written_off_on.isoformat(), source_on=asset["acquired_on"].isoformat()
            )
        approved_by = check_text("approved_by", approved_by, max_len=REF_LEN_MAX)
        if approved_by in (asset["keeper_person_id"], ctx.person):
            raise errors.WriteOffApproverNotIndependent(asset_no=asset_no)
        self.trigger_event(
            self.AssetWrittenOff,
            org_id=self.org_id,
            asset_no=asset_no,
            written_off_on=written_off_on,
            approved_by=approved_by,
            reason=check_text("reason", reason, max_len=REASON_LEN_MAX),
            doc_refs=check_refs("doc_refs", doc_refs, required=False),
            recorded_by=ctx.recorded_by,
            request_id=ctx.request_id,
        )
        return asset_no

    @staticmethod
    def _check_day(ctx: Context, field: str, value: object) -> date:
        day = check_date(field, value)
        check_not_future(field, day, ctx.today)
        return day


def _public(field: str, value: object, max_len: int, register: PublicRegister) -> str:
    text = check_text(field, value, max_len=max_len)
    check_public_text(field, text, register)
    return text


def _check_within(value_fen: int, used_fen: int, source_fen: int) -> None:
    if used_fen + value_fen > source_fen:
        raise errors.AssetValueExceedsSource(value_fen=value_fen, used_fen=used_fen, source_fen=source_fen)


def next_no(prefix: str, day: date, taken: dict[str, Any]) -> str:
    """``K2024-001`` (gifts) / ``A2024-001`` (assets): numbered per year of the business date
    (the dues book numbers its records the same way)."""
    year = f"{prefix}{day.year}-"
    count = sum(1 for no in taken if no.startswith(year))
    return f"{year}{count + 1:03d}"
