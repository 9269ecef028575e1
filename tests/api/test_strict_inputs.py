"""Issue 15 point 9: strict inputs (ADR 0064). A date is an ISO ``YYYY-MM-DD`` string and
nothing else (``1764547200`` was read as a Unix timestamp); a body that is not JSON at all is 400
``malformed_body``; and the OpenAPI document lists every error status of every route with the
error body."""

from __future__ import annotations

import inspect

import pytest
from pydantic import BaseModel, ValidationError

from ledger.api import schemas, schemas_workflows
from tests.api.conftest import error_of
from tests.api.test_health_and_errors import DONATION

LOOSE_DATES = [1764547200, "1764547200", 1764547200.0, "2025-12-01T00:00:00", "20251201", "2025-02-30", True]


def _date_fields() -> list[tuple[type[BaseModel], str]]:
    """Every (request or answer model, field) of the API whose type is a date."""
    found = []
    for module in (schemas, schemas_workflows):
        for _, model in inspect.getmembers(module, inspect.isclass):
            if issubclass(model, BaseModel) and model.__module__ == module.__name__:
                for name, field in model.model_fields.items():
                    if "date" in repr(field.annotation):
                        found.append((model, name))
    return found


@pytest.mark.parametrize("value", LOOSE_DATES, ids=repr)
def test_every_date_field_refuses_a_value_with_date_iso_when_it_is_not_an_iso_date_text(value):
    refused = []
    for model, name in _date_fields():
        with pytest.raises(ValidationError) as caught:
            model.model_validate({name: value})
        refused += [e["type"] for e in caught.value.errors() if e["loc"][:1] == (name,)]

    assert len(_date_fields()) >= 20
    assert set(refused) == {"date_iso"}
    assert len(refused) == len(_date_fields())


@pytest.mark.parametrize("value", [1764547200, "1764547200", "2025-07-05T00:00:00"], ids=repr)
def test_donation_is_refused_with_invalid_request_naming_occurred_on_when_the_date_is_no_iso_text(
    world, value
):
    answer = world.post(f"/funds/{world.funds['activity_a']}/donations", {**DONATION, "occurred_on": value})

    assert error_of(answer) == (422, "invalid_request"), answer.text
    assert [f["field"] for f in answer.json()["error"]["details"]["fields"]] == ["occurred_on"]


def test_donation_is_recorded_when_the_date_is_an_iso_text(world):
    answer = world.post(f"/funds/{world.funds['activity_a']}/donations", DONATION)

    assert answer.status_code == 201, answer.text


@pytest.mark.parametrize("value", ["1764547200", "2025-07-05T00:00:00"])
def test_balance_is_refused_with_invalid_request_when_as_of_is_no_iso_text(world, value):
    answer = world.get(f"/funds/{world.funds['activity_a']}/balance", as_of=value)

    assert error_of(answer) == (422, "invalid_request")


@pytest.mark.parametrize(
    "content",
    [b'{"name_zh": "\xff\xfe"}', b"[" * 100_000 + b"]" * 100_000, b'{"name_zh": ', b"not json"],
    ids=["invalid-utf8", "nested-100000", "truncated", "garbage"],
)
def test_person_is_refused_with_malformed_body_when_the_body_is_not_json_at_all(world, content):
    answer = world.client.post(
        "/people", content=content, headers={**world.h("bookkeeper"), "Content-Type": "application/json"}
    )

    assert error_of(answer) == (400, "malformed_body"), answer.text
    assert "JSON" in answer.json()["error"]["message"]


def test_openapi_lists_every_error_status_of_every_route_with_the_error_body(world):
    document = world.client.get("/openapi.json").json()
    reference = {"$ref": "#/components/schemas/ErrorBody"}

    assert set(document["components"]["schemas"]["ErrorBody"]["properties"]) == {"error"}
    missing = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            signed_in = any(p["name"].lower() == "authorization" for p in operation.get("parameters", []))
            expected = {"422"} | ({"401", "403", "404", "409"} if signed_in else set())
            if method != "get":
                expected |= (
                    {"400", "404", "409", "503"} if "requestBody" in operation else {"404", "409", "503"}
                )
            for status in expected:
                documented = operation["responses"].get(status, {})
                if documented.get("content", {}).get("application/json", {}).get("schema") != reference:
                    missing.append(f"{method} {path} {status}")
    assert missing == []
    assert "401" in document["paths"]["/funds/balances"]["get"]["responses"]
    assert "400" in document["paths"]["/funds/{fund_id}/donations"]["post"]["responses"]
