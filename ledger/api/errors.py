"""Every refusal becomes ``{"error": {"code", "message", "details"}}`` here, and only here.

``LedgerError`` leaves carry their status (422, 404, 409, 403, 401); request validation
failures are 422 ``invalid_request`` naming the offending fields; a body that is not JSON at
all (not UTF-8, broken syntax, nested too deeply) is 400 ``malformed_body`` (ADR 0064). Routes
hold no try/except.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ledger.api import error_docs
from ledger.domain.errors import LedgerError, MalformedBody

INVALID_REQUEST = "invalid_request"


def error_body(code: str, message: str, details: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details}}


PageHook = Callable[[Request, int, str, str], Response | None]


def _page(request: Request, status: int, code: str, message: str) -> Response | None:
    """A page instead of JSON where the app has a hook for it (``app.state.error_page``: the
    noticeboard's, for a browser opening a public page; ``ledger/web/error_page.py``)."""
    hook: PageHook | None = getattr(request.app.state, "error_page", None)
    return hook(request, status, code, message) if hook is not None else None


def install(app: FastAPI) -> None:
    error_docs.document(app)  # the OpenAPI lists these answers on every route

    @app.exception_handler(LedgerError)
    def ledger_error(request: Request, error: LedgerError) -> Response:
        if page := _page(request, error.status, error.code, error.message):
            return page
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else {}
        if "retry_after_s" in error.details:  # board_busy: when to come back
            headers["Retry-After"] = str(error.details["retry_after_s"])
        return JSONResponse(error_body(error.code, error.message, error.details), error.status, headers)

    def malformed() -> JSONResponse:
        error = MalformedBody()
        return JSONResponse(error_body(error.code, error.message, error.details), error.status)

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, error: RequestValidationError) -> Response:
        if any(e.get("type") == "json_invalid" for e in error.errors()):
            return malformed()
        if page := _page(
            request, 422, INVALID_REQUEST, "链接中的参数不对 / A parameter of the link is not valid."
        ):
            return page
        fields = [
            {
                "field": ".".join(str(p) for p in e["loc"] if p != "body"),
                "problem": e["msg"],
                "type": e["type"],
            }
            for e in error.errors()
        ]
        message = "请求内容不符合规则 / The request is not valid."
        return JSONResponse(error_body(INVALID_REQUEST, message, {"fields": fields}), 422)

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 400:  # FastAPI: "There was an error parsing the body"
            return malformed()
        code = {404: "route_not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        if error.status_code == 404 and (
            page := _page(
                request, 404, code, "没有这一页，链接可能有误 / There is no such page; the link may be wrong."
            )
        ):
            return page
        return JSONResponse(error_body(code, str(error.detail), {}), error.status_code)
