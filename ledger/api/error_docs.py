"""Every error status of every route in the OpenAPI document, with the error body (ADR 0064).

FastAPI lists only 200/201 and 422 by itself. Here each operation also gets the statuses it can
answer with, each described by the one error body ``{"error": {"code", "message", "details"}}``:

- every operation: 422 (a parameter or body that does not fit, or a rule of the domain);
- an operation needing a signed-in user: 401 (no valid token) and 403 (no role for it), and
  404 and 409 (an id that names nothing; ``views_lagging`` or a clash with what is recorded);
- an operation with a body: 400 ``malformed_body``;
- a write: 404 and 409 as well, and 503 ``read_only_replica`` (on a read replica).

The codes behind each status are in ``docs/reference/errors.md``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

ERROR_SCHEMA = "ErrorBody"
DESCRIPTIONS = {
    "400": "Malformed body: not UTF-8, not JSON, or nested too deeply (`malformed_body`)",
    "401": "Not signed in: no valid token (`authentication_required`, …)",
    "403": "Not allowed: no role for this, or segregation of duties (`role_required`, …)",
    "404": "An id that names nothing (`fund_not_found`, …)",
    "409": "A clash with what is recorded, or views behind `min_position` (`views_lagging`, …)",
    "422": "A parameter or body that does not fit, or a rule refused (`invalid_request`, …)",
    "503": "A read replica records nothing (`read_only_replica`)",
}


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: dict[str, Any]


class ErrorBody(BaseModel):
    """Every refusal: a stable snake_case code, the message in Chinese then English, details."""

    error: ErrorDetail


def error_statuses(method: str, operation: dict[str, Any]) -> list[str]:
    """The error statuses of one operation of the OpenAPI document, read from what it takes:
    an ``Authorization`` header (a signed-in user), a request body, a method that writes."""
    parameters = operation.get("parameters", [])
    statuses = {"422"}
    if any(p.get("in") == "header" and p.get("name", "").lower() == "authorization" for p in parameters):
        statuses |= {"401", "403", "404", "409"}
    if "requestBody" in operation:
        statuses.add("400")
    if method not in ("get", "head"):
        statuses |= {"404", "409", "503"}
    return sorted(statuses)


def document(app: FastAPI) -> None:
    """Make ``app.openapi()`` list every error status of every operation."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        body = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(body.pop("$defs", {}))
        components[ERROR_SCHEMA] = body
        reference = {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for status in error_statuses(method, operation):
                    responses[status] = {
                        "description": DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": reference}},
                    }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
