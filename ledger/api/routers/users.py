"""Users, their roles (events: who granted what, when) and their tokens (shown once)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from ledger.api.deps import CurrentUser, IdempotencyKey, LedgerDep
from ledger.api.routers.common import answer, require_any, require_somewhere
from ledger.api.schemas import Recorded, RoleChange, TokenIssuedPublic, UserCreate, UserPublic

router = APIRouter(prefix="/users", tags=["users"])


@router.post("", status_code=201, response_model=Recorded)
def register_user(
    body: UserCreate,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    require_somewhere(user, ("admin",))
    return answer(
        request,
        response,
        ledger.register_user(actor=str(user.id), request_id=idempotency_key, **body.model_dump()),
    )


@router.post("/{user_id}/roles", status_code=201, response_model=Recorded)
def grant_role(
    user_id: str,
    body: RoleChange,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    """Grant a role for an organisation and its subtree (admin of that organisation)."""
    require_any(ledger, user, ("admin",), body.org_id)
    recorded = ledger.change_role(
        user_id, "grant", actor=str(user.id), request_id=idempotency_key, **body.model_dump()
    )
    return answer(request, response, recorded)


@router.post("/{user_id}/roles/revoke", status_code=201, response_model=Recorded)
def revoke_role(
    user_id: str,
    body: RoleChange,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    require_any(ledger, user, ("admin",), body.org_id)
    recorded = ledger.change_role(
        user_id, "revoke", actor=str(user.id), request_id=idempotency_key, **body.model_dump()
    )
    return answer(request, response, recorded)


@router.post("/{user_id}/tokens", status_code=201, response_model=TokenIssuedPublic)
def issue_token(
    user_id: str, request: Request, response: Response, ledger: LedgerDep, user: CurrentUser
) -> dict[str, Any]:
    """A new token for the user, in this answer only (only its hash is kept). Not idempotent:
    a retry makes another token."""
    require_somewhere(user, ("admin",))
    token, recorded = ledger.issue_token(user_id, actor=str(user.id))
    body = answer(request, response, recorded)
    body["token"] = token
    return body


@router.get("/me", response_model=UserPublic)
def who_am_i(user: CurrentUser) -> dict[str, Any]:
    return {"user_id": str(user.id), "person_id": user.person_id, "name": user.name, "roles": user.roles()}
