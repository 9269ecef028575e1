"""Health, the index, users over HTTP, and the error contract: every refusal is
``{"error": {"code", "message", "details"}}``, malformed bodies are 422, never a 500."""

from __future__ import annotations

import pytest

from tests.api.conftest import auth, error_of


def test_health_reports_ok_and_the_views_when_the_follower_runs(world):
    response = world.client.get("/health")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok"
    assert body["follower_error"] is None
    assert body["store"] in ("sqlite", "postgres", "postgresql")


def test_index_is_the_noticeboard_with_nothing_technical_when_opened(world):
    # The index reads the views: wait for them to reach the seed (else a race on a slow store).
    at = {"min_position": world.position()}  # a wait needs a token, even on the public board
    response = world.client.get("/", params=at, headers=world.h("auditor"), follow_redirects=False)
    assert response.status_code == 200 and "和平社区党委" in response.text
    assert 'href="/docs"' not in response.text and 'href="/health"' not in response.text  # issue 18


def test_openapi_document_names_every_router_when_served(world):
    paths = world.client.get("/openapi.json").json()["paths"]
    for path in ("/organisations", "/people", "/funds", "/funds/{fund_id}/donations", "/transfers"):
        assert path in paths


def test_unknown_route_is_answered_with_route_not_found_in_the_error_shape(world):
    response = world.client.get("/nowhere")
    assert error_of(response) == (404, "route_not_found")
    assert set(response.json()["error"]) == {"code", "message", "details"}


def test_wrong_method_is_answered_with_method_not_allowed_in_the_error_shape(world):
    assert error_of(world.client.delete("/people")) == (405, "method_not_allowed")


def test_refusal_carries_a_bilingual_message_and_details_when_a_fund_is_missing(world):
    response = world.get("/funds/00000000-0000-0000-0000-000000000000/balance", "auditor")
    error = response.json()["error"]
    assert error["code"] == "fund_not_found"
    assert " / " in error["message"]
    assert isinstance(error["details"], dict)


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "bearer"],
    ids=["empty", "bare", "blank", "basic", "lower"],
)
def test_request_is_refused_with_authentication_required_when_the_authorization_header_has_no_token(
    world, header
):
    response = world.client.get("/users/me", headers={"Authorization": header})
    assert error_of(response) == (401, "authentication_required")


def test_request_is_refused_with_token_invalid_when_the_bearer_token_is_unknown(world):
    assert error_of(world.client.get("/users/me", headers=auth("fbk_forged"))) == (401, "token_invalid")


def test_who_am_i_names_the_user_and_roles_when_signed_in(world):
    me = world.client.get("/users/me", headers=world.h("bookkeeper")).json()
    assert me["user_id"] == world.users["bookkeeper"]
    assert me["person_id"] == world.people["bookkeeper"]
    assert [(r["role"], r["org_id"]) for r in me["roles"]] == [("bookkeeper", world.orgs["a"])]


def test_user_is_registered_and_signs_in_when_the_admin_issues_a_token(world):
    user = world.post("/users", {"person_id": world.people["member"]}, role="admin")
    assert user.status_code == 201, user.text
    user_id = user.json()["result"]["user_id"]
    grant = world.post(
        f"/users/{user_id}/roles", {"role": "auditor", "org_id": world.orgs["b"]}, role="admin"
    )
    assert grant.status_code == 201, grant.text
    token = world.client.post(f"/users/{user_id}/tokens", headers=world.h("admin")).json()["token"]
    assert world.client.get("/users/me", headers=auth(token)).json()["user_id"] == user_id


def test_role_grant_is_refused_with_role_required_when_the_bookkeeper_grants(world):
    body = {"role": "bookkeeper", "org_id": world.orgs["b"]}
    response = world.post(f"/users/{world.users['member']}/roles", body)
    assert error_of(response) == (403, "role_required")


def test_role_revoke_is_refused_with_role_not_held_when_the_user_lacks_it(world):
    body = {"role": "bookkeeper", "org_id": world.orgs["b"]}
    response = world.post(f"/users/{world.users['member']}/roles/revoke", body, role="admin")
    assert error_of(response) == (409, "role_not_held")


def test_token_is_refused_with_user_not_found_when_the_user_does_not_exist(world):
    response = world.client.post(
        "/users/00000000-0000-0000-0000-000000000000/tokens", headers=world.h("admin")
    )
    assert error_of(response) == (404, "user_not_found")


def test_read_is_refused_with_views_lagging_or_answered_when_min_position_is_far_ahead(world, monkeypatch):
    from ledger.api import deps

    monkeypatch.setattr(deps, "WAIT_S_MAX", 0.05)
    response = world.get(f"/funds/{world.funds['activity_a']}/balance", "auditor", min_position=10**9)
    assert error_of(response) == (409, "views_lagging")


# --- malformed bodies: 422 invalid_request naming the field, never a 500 ----------------------------
DONATION = {
    "occurred_on": "2025-07-05",
    "amount": "1.00",
    "donor_kind": "resident",
    "donor_name": "居民",
    "doc_refs": ["收据"],
}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**DONATION, "occurred_on": "yesterday"}, "occurred_on"),
        ({**DONATION, "occurred_on": 20250705}, "occurred_on"),
        ({**DONATION, "doc_refs": "收据"}, "doc_refs"),
        ({**DONATION, "doc_refs": [1]}, "doc_refs.0"),
        ({**DONATION, "publish_donor_name": "maybe"}, "publish_donor_name"),
        ({**DONATION, "surprise": 1}, "surprise"),
        ({k: v for k, v in DONATION.items() if k != "donor_kind"}, "donor_kind"),
        ({k: v for k, v in DONATION.items() if k != "amount"}, "amount"),
        ({**DONATION, "memo": "x" * 201}, "memo"),
    ],
    ids=[
        "date-text",
        "date-number",
        "refs-string",
        "refs-number",
        "flag",
        "extra",
        "missing",
        "no-amount",
        "long",
    ],
)
def test_donation_is_refused_with_invalid_request_naming_the_field_when_the_body_is_malformed(
    world, body, field
):
    response = world.post(f"/funds/{world.funds['activity_a']}/donations", body)
    assert error_of(response) == (422, "invalid_request"), response.text
    assert field in [f["field"] for f in response.json()["error"]["details"]["fields"]]


@pytest.mark.parametrize(
    "content",
    [b"", b"not json", b"[]", b"null", b'"text"', b"{", b'{"name_zh": "\\ud800"}'],
    ids=["empty", "garbage", "array", "null", "string", "truncated", "lone-surrogate"],
)
def test_person_is_refused_with_a_4xx_never_a_500_when_the_body_is_not_an_object(world, content):
    response = world.client.post(
        "/people", content=content, headers={**world.h("bookkeeper"), "Content-Type": "application/json"}
    )
    assert 400 <= response.status_code < 500, response.text
    assert "error" in response.json()


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/organisations", {"kind": ["branch"], "name_zh": 5, "established_on": "2020-01-01"}),
        ("/funds", {"owner_org_id": None}),
        ("/transfers", {"from_fund_id": 1, "to_fund_id": 2, "amount": "1.00"}),
        ("/users", {"person_id": {"nested": True}}),
    ],
    ids=["organisation", "fund", "transfer", "user"],
)
def test_write_is_refused_with_invalid_request_when_fields_have_wrong_types(world, url, body):
    response = world.post(url, body, role="admin")
    assert error_of(response) == (422, "invalid_request"), response.text
    assert response.json()["error"]["details"]["fields"]


@pytest.mark.parametrize("amount", ["abc", "1e3", "", " ", "NaN", "99999999999999999999.00"])
def test_donation_is_refused_with_a_422_amount_code_when_the_amount_text_is_not_an_amount(world, amount):
    response = world.post(f"/funds/{world.funds['activity_a']}/donations", {**DONATION, "amount": amount})
    status, code = error_of(response)
    assert status == 422 and (code.startswith("amount_") or code == "invalid_request"), response.text


def test_donation_is_accepted_when_the_amount_is_written_with_thousands_separators(world):
    response = world.post(f"/funds/{world.funds['activity_a']}/donations", {**DONATION, "amount": "1,000.00"})
    assert response.status_code == 201, response.text
    body = world.get(f"/funds/{world.funds['activity_a']}/balance", "auditor").json()
    assert body["income"] == {"amount": "1500.00", "amount_fen": 150000}
