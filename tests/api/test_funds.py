"""Funds over HTTP: establish, custodians, balances (now, as of a date, at a log position)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import World, auth, error_of


def fund(world: World, **overrides: Any) -> dict[str, Any]:
    body = {
        "owner_org_id": world.orgs["b"],
        "kind": "special_project",
        "name_zh": "重阳节专项",
        "allowed_purposes": ["elderly_visits"],
        "custody": {"kind": "bank_account", "ref": "居委会账户"},
        "established_on": "2025-07-01",
    }
    return {**body, **overrides}


def test_fund_is_established_with_a_zero_balance_when_the_admin_establishes_it(world):
    response = world.post("/funds", fund(world), role="admin")
    assert response.status_code == 201, response.text
    fund_id = response.json()["result"]["fund_id"]
    balance = world.get(f"/funds/{fund_id}/balance", "auditor").json()
    assert (balance["fund_id"], balance["kind"], balance["owner_org_id"]) == (
        fund_id,
        "special_project",
        world.orgs["b"],
    )
    assert balance["balance"] == {"amount": "0.00", "amount_fen": 0}


def test_fund_is_refused_with_role_required_when_the_bookkeeper_establishes_one(world):
    assert error_of(world.post("/funds", fund(world, owner_org_id=world.orgs["a"]))) == (403, "role_required")


def test_fund_is_refused_with_role_required_when_the_auditor_establishes_one(world):
    assert error_of(world.post("/funds", fund(world), role="auditor")) == (403, "role_required")


def test_fund_is_refused_with_authentication_required_when_no_token_is_sent(world):
    assert error_of(world.client.post("/funds", json=fund(world))) == (401, "authentication_required")


def test_fund_is_refused_with_organisation_not_found_when_the_owner_does_not_exist(world):
    body = fund(world, owner_org_id="00000000-0000-0000-0000-000000000000")
    assert error_of(world.post("/funds", body, role="admin")) == (404, "organisation_not_found")


def test_fund_is_refused_with_stipend_not_allowed_from_mutual_aid_when_its_policy_allows_stipends(world):
    body = fund(world, kind="mutual_aid", policy={"stipends_allowed": True})
    assert error_of(world.post("/funds", body, role="admin")) == (422, "stipend_not_allowed_from_mutual_aid")


def test_fund_is_refused_with_value_not_allowed_when_the_kind_is_unknown(world):
    assert error_of(world.post("/funds", fund(world, kind="slush"), role="admin")) == (
        422,
        "value_not_allowed",
    )


def test_fund_is_refused_with_text_required_when_a_bank_custody_has_no_reference(world):
    body = fund(world, custody={"kind": "bank_account"})
    assert error_of(world.post("/funds", body, role="admin")) == (422, "text_required")


def test_fund_is_refused_with_invalid_request_naming_allowed_purposes_when_the_list_is_empty(world):
    response = world.post("/funds", fund(world, allowed_purposes=[]), role="admin")
    assert error_of(response) == (422, "invalid_request")
    assert [f["field"] for f in response.json()["error"]["details"]["fields"]] == ["allowed_purposes"]


def test_fund_is_refused_with_date_in_future_when_established_after_today(world):
    body = fund(world, established_on="2025-08-01")
    assert error_of(world.post("/funds", body, role="admin")) == (422, "date_in_future")


# --- custodians -----------------------------------------------------------------------------------
def test_custodian_is_assigned_when_the_admin_names_the_funds_cashier(world):
    body = {"role": "cashier", "person_id": world.people["cashier"], "from_date": "2025-07-01"}
    response = world.post(f"/funds/{world.funds['activity_a']}/custodians", body, role="admin")
    assert response.status_code == 201, response.text
    assert response.json()["result"] == {"fund_id": world.funds["activity_a"]}


def test_custodian_is_refused_with_cashier_cannot_be_bookkeeper_when_one_person_holds_both(world):
    url = f"/funds/{world.funds['activity_a']}/custodians"
    person = world.people["bookkeeper"]
    first = {"role": "bookkeeper", "person_id": person, "from_date": "2025-07-01"}
    assert world.post(url, first, role="admin").status_code == 201
    response = world.post(
        url, {"role": "cashier", "person_id": person, "from_date": "2025-07-01"}, role="admin"
    )
    assert error_of(response) == (403, "cashier_cannot_be_bookkeeper")


def test_custodian_is_refused_with_role_required_when_the_bookkeeper_assigns_one(world):
    body = {"role": "cashier", "person_id": world.people["cashier"], "from_date": "2025-07-01"}
    response = world.post(f"/funds/{world.funds['activity_a']}/custodians", body)
    assert error_of(response) == (403, "role_required")


def test_custodian_is_refused_with_fund_not_found_when_the_fund_does_not_exist(world):
    body = {"role": "cashier", "person_id": world.people["cashier"], "from_date": "2025-07-01"}
    response = world.post("/funds/00000000-0000-0000-0000-000000000000/custodians", body, role="admin")
    assert error_of(response) == (404, "fund_not_found")


def test_custodian_is_refused_with_person_not_found_when_the_person_does_not_exist(world):
    body = {"role": "cashier", "person_id": "00000000-0000-0000-0000-000000000000", "from_date": "2025-07-01"}
    response = world.post(f"/funds/{world.funds['activity_a']}/custodians", body, role="admin")
    assert error_of(response) == (404, "person_not_found")


# --- balances -------------------------------------------------------------------------------------
def test_fund_balances_list_every_fund_when_the_auditor_reads_them(world):
    response = world.get("/funds/balances", "auditor")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == 3
    by_id = {b["fund_id"]: b for b in body["data"]}
    assert by_id[world.funds["mutual_aid"]]["bank"] == {"amount": "1000.00", "amount_fen": 100000}
    assert by_id[world.funds["activity_a"]]["available"] == {"amount": "500.00", "amount_fen": 50000}


def test_fund_balances_are_zero_when_read_as_of_a_date_before_any_entry(world):
    body = world.get("/funds/balances", "auditor", as_of="2025-06-30").json()
    assert {b["balance"]["amount_fen"] for b in body["data"]} == {0}


def test_fund_balances_are_paginated_when_page_size_is_two(world):
    body = world.get("/funds/balances", "auditor", page=2, page_size=2).json()
    assert (len(body["data"]), body["count"]) == (1, 3)


@pytest.mark.parametrize("page_size", [0, 501])
def test_fund_balances_are_refused_with_invalid_request_when_page_size_is_out_of_range(world, page_size):
    response = world.get("/funds/balances", "auditor", page_size=page_size)
    assert error_of(response) == (422, "invalid_request")
    assert [f["field"] for f in response.json()["error"]["details"]["fields"]] == ["query.page_size"]


def test_fund_balances_are_refused_with_authentication_required_when_no_token_is_sent(world):
    assert error_of(world.client.get("/funds/balances")) == (401, "authentication_required")


def test_fund_balances_are_refused_with_token_invalid_when_the_token_is_unknown(world):
    response = world.client.get("/funds/balances", headers=auth("fbk_unknown"))
    assert error_of(response) == (401, "token_invalid")


def test_fund_balance_reflects_a_write_when_read_at_its_position(world):
    body = {
        "occurred_on": "2025-07-05",
        "amount": "100.50",
        "donor_kind": "resident",
        "donor_name": "居民",
        "doc_refs": ["收据"],
    }
    posted = world.post(f"/funds/{world.funds['activity_a']}/donations", body)
    position = int(posted.headers["X-Fundbook-Position"])
    url = f"/funds/{world.funds['activity_a']}/balance"
    now = world.client.get(url, params={"min_position": position}, headers=world.h("member")).json()
    assert now["balance"] == {"amount": "600.50", "amount_fen": 60050}
    before = world.get(url, "member", at_position=position - 1).json()
    assert before["balance"] == {"amount": "500.00", "amount_fen": 50000}


def test_fund_balance_is_refused_with_role_required_when_the_bookkeeper_reads_another_branch(world):
    response = world.get(f"/funds/{world.funds['activity_b']}/balance", "bookkeeper")
    assert error_of(response) == (403, "role_required")


def test_fund_balance_is_refused_with_fund_not_found_when_the_fund_does_not_exist(world):
    response = world.get("/funds/00000000-0000-0000-0000-000000000000/balance", "auditor")
    assert error_of(response) == (404, "fund_not_found")


def test_fund_balance_is_refused_with_invalid_request_when_at_position_is_negative(world):
    response = world.get(f"/funds/{world.funds['activity_a']}/balance", "auditor", at_position=-1)
    assert error_of(response) == (422, "invalid_request")
