"""Security headers on every answer: pages, the API, errors and the public board (issue 15,
point 11; docs/security.md).

- ``Content-Security-Policy``: nothing loads from anywhere but this server; no script runs
  (the board and the console have none); styles only inline (both pages carry their own
  ``<style>`` block and a few ``style=`` attributes); no framing (``frame-ancestors 'none'``);
  forms post back here only. The interactive API docs (``/docs``, ``/redoc``) run Swagger UI
  and ReDoc, so there scripts from this server and the docs' CDN and their inline start-up are
  allowed; nothing else is.
- ``X-Frame-Options: DENY`` for browsers older than ``frame-ancestors``;
  ``X-Content-Type-Options: nosniff``; ``Referrer-Policy: no-referrer`` (a console address names
  funds and people's ids; it never leaves in a Referer).

A plain ASGI middleware: it adds headers to the response start and never buffers a body.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
DOCS_POLICY = (
    "default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com; "
    "connect-src 'self'; worker-src blob:; frame-ancestors 'none'; base-uri 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")
COMMON = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_POLICY if scope["path"].startswith(DOCS_PATHS) else PAGE_POLICY
        added = [(b"content-security-policy", policy.encode()), *COMMON]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *((name, value) for name, value in added if name not in names),
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)
