"""``Cache-Control: no-store`` on every answer that may hold the books (issue 19 item 7).

The console runs on shared community-office PCs: after 退出登录 the browser's Back button must
not show a page of the books from its cache, and no cache on the way may keep one. So every
console page (paths under ``private_prefix``, the sign-in page too) and every API answer to a
request that carries credentials (an ``Authorization`` header) is marked ``no-store``, whatever
a route or another middleware set. The public noticeboard and anonymous API answers are left
as they are: they hold only what the board publishes and may be cached.

A plain ASGI middleware: it touches only the response's start message, so streamed answers
(exports, PDFs) pass through unbuffered.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

NO_STORE = "no-store"


class NoStore:
    def __init__(self, app: ASGIApp, *, private_prefix: str = "/console") -> None:
        self.app = app
        self.private_prefix = private_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._private(scope):
            await self.app(scope, receive, send)
            return

        async def send_no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Cache-Control"] = NO_STORE
                if "pragma" in headers:
                    del headers["pragma"]
            await send(message)

        await self.app(scope, receive, send_no_store)

    def _private(self, scope: Scope) -> bool:
        path: str = scope["path"]
        if path == self.private_prefix or path.startswith(self.private_prefix + "/"):
            return True
        return any(name == b"authorization" for name, _ in scope["headers"])
