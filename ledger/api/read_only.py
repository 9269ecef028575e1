"""The read replica's guard (ADR 0012): every request but GET and HEAD is refused with
``read_only_replica`` (503) before any route, body parsing or sign-in runs.

A plain ASGI middleware, so that nothing behind it is reached: not a route's body validation
(a malformed POST is refused with the same code), not an unknown path's 404/405. Paths under
``page_prefix`` (the console) answer a page made by ``page``; everything else the API's JSON
error body. The primary never installs it and pays nothing for it.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from ledger.api.errors import error_body
from ledger.domain import errors

READ_METHODS = frozenset({"GET", "HEAD"})

PageMaker = Callable[[Request, errors.LedgerError], Response]


class ReadOnlyGuard:
    def __init__(self, app: ASGIApp, *, page: PageMaker | None = None, page_prefix: str = "/console") -> None:
        self.app = app
        self.page = page
        self.page_prefix = page_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in READ_METHODS:
            await self.app(scope, receive, send)
            return
        error = errors.ReadOnlyReplica()
        request = Request(scope, receive)
        if self.page is not None and scope["path"].startswith(self.page_prefix):
            response = self.page(request, error)
        else:
            response = JSONResponse(error_body(error.code, error.message, error.details), error.status)
        await response(scope, receive, send)
