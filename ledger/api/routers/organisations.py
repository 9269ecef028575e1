"""Organisations: register, and rollups of their funds over the tree as it was on a date."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response

from ledger.api.deps import CurrentUser, IdempotencyKey, LedgerDep, ViewsDep
from ledger.api.routers.common import READ_ROLES, answer, require_any, require_somewhere
from ledger.api.schemas import OrganisationCreate, Recorded, money
from ledger.projections import queries

router = APIRouter(prefix="/organisations", tags=["organisations"])


@router.post("", status_code=201, response_model=Recorded)
def register_organisation(
    body: OrganisationCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Register an organisation (admin of its parent; a root needs an admin anywhere)."""
    if body.parent_org_id is None:
        require_somewhere(user, ("admin",))
    else:
        require_any(ledger, user, ("admin",), body.parent_org_id)
    recorded = ledger.register_organisation(
        actor=str(user.id), request_id=idempotency_key, **body.model_dump()
    )
    return answer(request, response, recorded)


@router.get("/{org_id}/rollup")
def organisation_rollup(
    org_id: str, ledger: LedgerDep, views: ViewsDep, user: CurrentUser, as_of: date
) -> dict[str, Any]:
    """The organisation's funds by kind, and those of its whole subtree, on the tree of ``as_of``."""
    require_any(ledger, user, READ_ROLES, org_id)
    rollup = queries.org_rollups(views, as_of=as_of).get(str(ledger.organisation(org_id).id))
    if rollup is None:
        return {"org_id": org_id, "as_of": as_of, "own": {}, "total": {}}
    return {
        "org_id": rollup.org_id,
        "name_zh": rollup.name_zh,
        "as_of": as_of,
        "own": {kind: money(fen) for kind, fen in rollup.own_fen.items()},
        "total": {kind: money(fen) for kind, fen in rollup.total_fen.items()},
    }
