"""Gifts in kind and the asset register of an organisation (ADR 0140). Writes need a
bookkeeper of the organisation (or above); reads, any reading role. The answers hold what the
view tables hold: never the description, the supplier, the place or a write-off's reason."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from ledger.api.deps import CurrentUser, IdempotencyKey, LedgerDep, ViewsDep
from ledger.api.routers.common import READ_ROLES, answer, require_any
from ledger.api.schemas import Recorded, money
from ledger.api.schemas_assets import (
    AssetCreate,
    AssetsPublic,
    GiftInKindCreate,
    GiftsInKindPublic,
    WriteOffCreate,
)
from ledger.projections import asset_queries

router = APIRouter(prefix="/organisations", tags=["assets"])


@router.post("/{org_id}/gifts-in-kind", status_code=201, response_model=Recorded)
def receive_in_kind(
    org_id: str,
    body: GiftInKindCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """A gift in kind at its stated value, with its evidence: never cash, no balance changes."""
    org = ledger.organisation(org_id)
    require_any(ledger, user, ("bookkeeper",), str(org.id))
    fields = body.model_dump()
    fields["value_fen"] = fields.pop("value")
    recorded = ledger.receive_in_kind(str(org.id), actor=str(user.id), request_id=idempotency_key, **fields)
    return answer(request, response, recorded)


@router.get("/{org_id}/gifts-in-kind", response_model=GiftsInKindPublic)
def gifts_in_kind(org_id: str, ledger: LedgerDep, views: ViewsDep, user: CurrentUser) -> dict[str, Any]:
    org = ledger.organisation(org_id)
    require_any(ledger, user, READ_ROLES, str(org.id))
    rows = asset_queries.gifts_in_kind(views, [str(org.id)])
    data = [{**vars(g), "value": money(g.value_fen)} for g in rows]
    return {"data": data, "total": money(sum(g.value_fen for g in rows))}


@router.post("/{org_id}/assets", status_code=201, response_model=Recorded)
def register_asset(
    org_id: str,
    body: AssetCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """An asset bought on an expense voucher of one of the organisation's funds, or a gift of goods."""
    org = ledger.organisation(org_id)
    require_any(ledger, user, ("bookkeeper",), str(org.id))
    fields = body.model_dump()
    fields["value_fen"] = fields.pop("value")
    recorded = ledger.register_asset(str(org.id), actor=str(user.id), request_id=idempotency_key, **fields)
    return answer(request, response, recorded)


@router.post("/{org_id}/assets/{asset_no}/write-off", status_code=201, response_model=Recorded)
def write_off_asset(
    org_id: str,
    asset_no: str,
    body: WriteOffCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Dated, approved by someone who neither keeps the asset nor records the write-off, with a reason."""
    org = ledger.organisation(org_id)
    require_any(ledger, user, ("bookkeeper",), str(org.id))
    recorded = ledger.write_off_asset(
        str(org.id), actor=str(user.id), request_id=idempotency_key, asset_no=asset_no, **body.model_dump()
    )
    return answer(request, response, recorded)


@router.get("/{org_id}/assets", response_model=AssetsPublic)
def assets(org_id: str, ledger: LedgerDep, views: ViewsDep, user: CurrentUser) -> dict[str, Any]:
    """The register, written-off assets included (dated); ``in_use``: the value of the rest."""
    org = ledger.organisation(org_id)
    require_any(ledger, user, READ_ROLES, str(org.id))
    rows = asset_queries.assets(views, [str(org.id)])
    data = [{**vars(a), "value": money(a.value_fen)} for a in rows]
    return {"data": data, "in_use": money(sum(a.value_fen for a in rows if a.in_use))}
