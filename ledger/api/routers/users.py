"""Users, their roles (events: who granted what, when) and their tokens (shown once)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from ledger.api.deps import CurrentUser, IdempotencyKey, LedgerDep
from ledger.api.routers.common import answer, require_any, require_somewhere
from ledger.api.schemas import (
    Recorded,
    RoleChange,
    TokenIssuedPublic,
    TokenPublic,
    TokenRequest,
    UserCreate,
    UserPublic,
)

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
    """Grant a role for an organisation and its subtree: by an administrator of that
    organisation, to a user whose roles all lie inside the caller's subtree (ADR 0061)."""
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
    user_id: str,
    request: Request,
    response: Response,
    ledger: LedgerDep,
    user: CurrentUser,
    body: TokenRequest | None = None,
) -> dict[str, Any]:
    """A new token for the user, in this answer only (only its hash is kept), by an
    administrator of everything the user stands for (``user_outside_subtree`` otherwise,
    ADR 0061); with ``expires_at`` it stops working then (``token_expired``). Not idempotent:
    a retry makes another token."""
    require_somewhere(user, ("admin",))
    expires_at = body.expires_at if body is not None else None
    token, recorded = ledger.issue_token(user_id, actor=str(user.id), expires_at=expires_at)
    body = answer(request, response, recorded)
    body["token"] = token
    return body


@router.get("/{user_id}/tokens", response_model=list[TokenPublic])
def list_tokens(user_id: str, ledger: LedgerDep, user: CurrentUser) -> list[dict[str, Any]]:
    """The user's tokens (ids, when and by whom issued, revoked or not; never a token or its
    hash). An administrator of the user (ADR 0061), or the user themself."""
    _require_self_or_admin(user, user_id)
    return ledger.tokens(user_id, actor=str(user.id))


@router.post("/{user_id}/tokens/{token_id}/revoke", status_code=201, response_model=Recorded)
def revoke_token(
    user_id: str, token_id: str, request: Request, response: Response, ledger: LedgerDep, user: CurrentUser
) -> dict[str, Any]:
    """Revoke one token by its id (a lost phone, a leaked token). An administrator, or the user
    themself; revoking twice is ``token_already_revoked``. An administrator of the user only
    (``user_outside_subtree``, ADR 0061)."""
    _require_self_or_admin(user, user_id)
    recorded = ledger.revoke_token_id(user_id, token_id, actor=str(user.id))
    return answer(request, response, recorded)


@router.get("/me", response_model=UserPublic)
def who_am_i(user: CurrentUser) -> dict[str, Any]:
    return {"user_id": str(user.id), "person_id": user.person_id, "name": user.name, "roles": user.roles()}


def _require_self_or_admin(user: Any, user_id: str) -> None:
    """A user's own tokens, or an administrator's business (``role_required`` otherwise)."""
    if str(user.id) != user_id:
        require_somewhere(user, ("admin",))
