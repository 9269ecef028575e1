"""Dependencies shared by the routers: the Ledger, the views, the signed-in user, the
idempotency key, and read-your-writes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query, Request

from ledger.api.inputs import POSITION_MAX
from ledger.api.snapshots import request_snapshot
from ledger.application import Ledger
from ledger.domain import errors
from ledger.domain.user import User
from ledger.projections import runner
from ledger.projections.store import ViewStore

WAIT_S_MAX = 5.0


async def get_ledger(request: Request) -> Ledger:
    return request.app.state.ledger


async def get_views(request: Request) -> ViewStore:
    return request.app.state.views


LedgerDep = Annotated[Ledger, Depends(get_ledger)]


def current_user(
    ledger: LedgerDep,
    authorization: Annotated[str | None, Header(description="Bearer <token>")] = None,
) -> User:
    token = None
    if authorization and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
    return ledger.authenticate(token)


CurrentUser = Annotated[User, Depends(current_user)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=100,
        description="retries with the same key and body are answered once",
    ),
]


def fresh_views(
    request: Request,
    min_position: Annotated[
        int | None,
        Query(ge=0, le=POSITION_MAX, description="wait until the views reached this log position"),
    ] = None,
) -> ViewStore:
    """The request's read snapshot of the views (ADR 0050: all its figures of one log position),
    caught up to ``min_position`` (bounded wait; read-your-writes)."""
    views: ViewStore = request.app.state.views
    if min_position is not None and views.position() < min_position:
        request.app.state.follower.poke()
        if not runner.wait_for(views, min_position, timeout_s=WAIT_S_MAX):
            raise errors.ViewsLagging(position=min_position)
    return request_snapshot(request, views, min_position or 0)


ViewsDep = Annotated[ViewStore, Depends(fresh_views)]
