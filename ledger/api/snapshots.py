"""One read snapshot of the views per request (ADR 0050).

The first read of a request opens a snapshot of the views (``ViewStore.snapshot``); every later
read of the same request uses it, so a page, a statement file or a JSON answer shows figures of
ONE log position, whatever the follower commits meanwhile. The answer states that position in
the ``X-Fundbook-Position`` header (unless the handler set it: a write states its own event).
The snapshot ends when the response has been sent. A read that must see a later position (a
console page after the user's own write) ends the snapshot and opens a newer one.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from anyio import to_thread
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ledger.api.routers.common import POSITION_HEADER
from ledger.projections.store import ViewStore

_POSITION = POSITION_HEADER.lower().encode()
_SCOPE_KEY = "fundbook.snapshot"


class _Held:
    """The request's open snapshot, if any, and what closes it."""

    def __init__(self) -> None:
        self.store: ViewStore | None = None
        self._stack = ExitStack()

    def open(self, views: ViewStore, min_position: int) -> ViewStore:
        held = self.store
        if held is not None and (held.snapshot_position or 0) >= min_position:
            return held
        self.close()
        self.store = self._stack.enter_context(views.snapshot())
        return self.store

    def close(self) -> None:
        self.store = None
        self._stack.close()


def request_snapshot(request: Request, views: ViewStore, min_position: int = 0) -> ViewStore:
    """The request's snapshot of ``views`` (opened now if need be, at ``min_position`` or later:
    the caller waited for the views to reach it). Outside ``ReadSnapshots`` (a bare router in a
    test), a snapshot that is never closed would leak: the live views are returned instead."""
    held: _Held | None = request.scope.get(_SCOPE_KEY)
    if held is None:
        return views
    return held.open(views, min_position)


class ReadSnapshots:
    """ASGI middleware: holds each HTTP request's snapshot, states its position, ends it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held = _Held()
        scope[_SCOPE_KEY] = held

        async def stating_position(message: Message) -> None:
            if message["type"] == "http.response.start" and held.store is not None:
                headers: list[Any] = list(message.get("headers", []))
                if not any(name.lower() == _POSITION for name, _ in headers):
                    headers.append((_POSITION, str(held.store.snapshot_position).encode()))
                    message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, stating_position)
        finally:
            if held.store is not None:
                await to_thread.run_sync(held.close)
