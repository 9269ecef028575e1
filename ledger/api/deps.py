"""Dependencies shared by the routers: the Ledger, the views, the signed-in user, the
idempotency key, and read-your-writes.

A wait for ``min_position`` is for signed-in clients reading their own writes: the token is
checked before any wait (an anonymous request is refused at once, ``min_position_needs_token``),
and a position beyond the log's head is answered ``views_lagging`` at once (ADR 0054)."""

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


def fresh_views(request: Request, min_position: int | None) -> ViewStore:
    """The request's read snapshot of the views (ADR 0050: all its figures of one log position),
    caught up to ``min_position`` (bounded wait; read-your-writes). For callers that know who
    asks (the console's pages, after their own sign-in check)."""
    views: ViewStore = request.app.state.views
    if min_position is not None and views.position() < min_position:
        if not request.app.state.read_only:  # a replica's log may still be behind the primary's
            head = request.app.state.ledger.recorder.max_notification_id() or 0
            if min_position > head:  # nobody wrote it yet: no wait, the same answer at once
                raise errors.ViewsLagging(position=min_position)
        request.app.state.tally.add("views_waits")
        request.app.state.follower.poke()
        if not runner.wait_for(views, min_position, timeout_s=WAIT_S_MAX):
            raise errors.ViewsLagging(position=min_position)
    return request_snapshot(request, views, min_position or 0)


def request_views(
    request: Request,
    ledger: LedgerDep,
    min_position: Annotated[
        int | None,
        Query(
            ge=0,
            le=POSITION_MAX,
            description="wait until the views reached this log position (needs a token)",
        ),
    ] = None,
    authorization: Annotated[str | None, Header(description="Bearer <token>")] = None,
) -> ViewStore:
    """The views for a route: a request that asks to wait is authenticated first (before the
    route's own user check, which FastAPI resolves after this one)."""
    if min_position is not None:
        try:
            current_user(ledger, authorization)
        except errors.AuthenticationRequired:
            raise errors.MinPositionNeedsToken() from None
    return fresh_views(request, min_position)


ViewsDep = Annotated[ViewStore, Depends(request_views)]
