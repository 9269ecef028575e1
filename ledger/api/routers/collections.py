"""Collections (活动费, AA制, 集资): a fund of kind ``collection`` (``POST /funds``) whose fees are
assessed per participant, paid, spent (``POST /funds/{id}/expenses``), then settled — surplus
refunded by the recorded rule — and closed (R32). Per participant: owed, paid, refunded."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from ledger.api.deps import CurrentUser, IdempotencyKey, LedgerDep, ViewsDep
from ledger.api.routers.common import READ_ROLES, answer, fund_owner, require_any
from ledger.api.schemas import Recorded, money
from ledger.api.schemas_workflows import (
    CollectionMembersPublic,
    FeeAssessmentCreate,
    FeePaymentCreate,
    SettlementCreate,
)
from ledger.projections import queries

router = APIRouter(prefix="/funds", tags=["collections"])


def _write(
    command: str,
    fund_id: str,
    fields: dict[str, Any],
    request: Request,
    response: Response,
    ledger,
    user,
    key,
) -> dict[str, Any]:
    require_any(ledger, user, ("bookkeeper",), fund_owner(ledger, fund_id))
    return answer(
        request, response, ledger.record(fund_id, command, actor=str(user.id), request_id=key, **fields)
    )


@router.post("/{fund_id}/fees/assessment", status_code=201, response_model=Recorded)
def assess_fees(
    fund_id: str,
    body: FeeAssessmentCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """``equal_split`` of ``target`` or ``per_head`` at ``fee``, once per collection."""
    fields = body.model_dump()
    fields["target_fen"], fields["fee_fen"] = fields.pop("target"), fields.pop("fee")
    return _write("assess_fees", fund_id, fields, request, response, ledger, user, idempotency_key)


@router.post("/{fund_id}/fees", status_code=201, response_model=Recorded)
def pay_fee(
    fund_id: str,
    body: FeePaymentCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """A participant's payment; more than owed is a top-up (少补)."""
    fields = body.model_dump()
    fields["amount_fen"] = fields.pop("amount")
    return _write("pay_fee", fund_id, fields, request, response, ledger, user, idempotency_key)


@router.post("/{fund_id}/settlement", status_code=201, response_model=Recorded)
def settle_collection(
    fund_id: str,
    body: SettlementCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """多退少补: the balance back to the payers, ``pro_rata`` (default) or ``equal``."""
    return _write(
        "settle_collection", fund_id, body.model_dump(), request, response, ledger, user, idempotency_key
    )


@router.post("/{fund_id}/closure", status_code=201, response_model=Recorded)
def close_collection(
    fund_id: str,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Close a settled collection (R32)."""
    return _write("close_collection", fund_id, {}, request, response, ledger, user, idempotency_key)


@router.get("/{fund_id}/members", response_model=CollectionMembersPublic)
def collection_members(fund_id: str, ledger: LedgerDep, views: ViewsDep, user: CurrentUser) -> dict[str, Any]:
    """Per participant: owed, paid (net of reversals), refunded, still outstanding."""
    fund = ledger.fund(fund_id)
    require_any(ledger, user, READ_ROLES, fund.owner_org_id)
    rows = queries.collection_members(views, str(fund.id))
    return {
        "fund_id": str(fund.id),
        "status": queries.collection_status(views, str(fund.id)),
        "data": [
            {
                "person_id": r.person_id,
                "owed": money(r.owed_fen),
                "paid": money(r.paid_fen),
                "refunded": money(r.refunded_fen),
                "outstanding": money(r.outstanding_fen),
            }
            for r in rows
        ],
    }
