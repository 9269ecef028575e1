"""Issue 15 points 8 and 9 over real HTTP against ``fundbook serve`` (ADR 0064): a Unix
timestamp is no date, a body that is not JSON at all is 400 ``malformed_body`` (invalid UTF-8,
nesting 100,000 deep), a policy of 10^18 days and a page of 10^18 are 422 naming them, and the
served OpenAPI document lists the error answers."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.server import add_user, running_server, seed

HUGE = 10**18


@pytest.fixture(scope="module")
def served(module_database_url):
    books = seed(module_database_url)
    token = add_user(module_database_url, books.bookkeeper_person, "admin", books.community)
    with (
        running_server(module_database_url) as url,
        httpx.Client(base_url=url, timeout=30, headers={"Authorization": f"Bearer {token}"}) as client,
    ):
        yield client, books


def _code(answer: httpx.Response) -> tuple[int, str]:
    return answer.status_code, answer.json()["error"]["code"]


def _donation(books, **overrides):
    body = {
        "occurred_on": "2025-12-01",
        "amount": "10.00",
        "donor_kind": "resident",
        "donor_name": "居民",
        "doc_refs": ["收据"],
    }
    return {**body, **overrides}


def test_donation_is_refused_with_invalid_request_when_occurred_on_is_a_unix_timestamp(served):
    client, books = served

    answer = client.post(f"/funds/{books.fund}/donations", json=_donation(books, occurred_on=1764547200))

    assert _code(answer) == (422, "invalid_request"), answer.text
    assert answer.json()["error"]["details"]["fields"][0]["field"] == "occurred_on"


@pytest.mark.parametrize(
    "content",
    [b'{"occurred_on": "\xff\xfe2025-12-01"}', b"[" * 100_000 + b"]" * 100_000],
    ids=["invalid-utf8", "nested-100000"],
)
def test_donation_is_refused_with_malformed_body_when_the_body_is_not_json_at_all(served, content):
    client, books = served

    answer = client.post(
        f"/funds/{books.fund}/donations", content=content, headers={"Content-Type": "application/json"}
    )

    assert _code(answer) == (400, "malformed_body"), answer.text


@pytest.mark.parametrize("key", ["posting_days", "objection_answer_days"])
def test_fund_is_refused_with_value_not_allowed_when_its_policy_holds_10_18_days(served, key):
    client, books = served
    body = {
        "owner_org_id": books.branch,
        "kind": "activity",
        "name_zh": "活动经费",
        "allowed_purposes": ["activities"],
        "custody": {"kind": "cash_box"},
        "established_on": "2025-01-01",
        "policy": {key: HUGE},
    }

    answer = client.post("/funds", json=body)

    assert _code(answer) == (422, "value_not_allowed"), answer.text
    assert answer.json()["error"]["details"]["field"] == f"policy.{key}"


@pytest.mark.parametrize(
    ("path", "params"),
    [("/funds/{fund}/journal", {"page": HUGE}), ("/funds/balances", {"min_position": 2**64})],
)
def test_read_is_refused_with_invalid_request_when_a_query_integer_is_beyond_its_bound(served, path, params):
    client, books = served

    answer = client.get(path.format(fund=books.fund), params=params)

    assert _code(answer) == (422, "invalid_request"), answer.text


def test_served_openapi_documents_401_403_and_404_with_the_error_body(served):
    client, _ = served

    operation = client.get("/openapi.json").json()["paths"]["/funds/{fund_id}/balance"]["get"]

    for status in ("401", "403", "404", "409", "422"):
        schema = operation["responses"][status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorBody"}
