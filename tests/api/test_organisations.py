"""Organisations over HTTP: register, the tree and rollups, and each change."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import World, auth, error_of


def branch(world: World, **overrides: Any) -> dict[str, Any]:
    body = {
        "kind": "branch",
        "name_zh": "第三支部",
        "parent_org_id": world.orgs["community"],
        "established_on": "2024-01-01",
        "branch_kind": "ordinary",
    }
    return {**body, **overrides}


def test_organisation_is_registered_and_appears_in_the_tree_when_the_admin_registers_it(world):
    response = world.post("/organisations", branch(world), role="admin")
    assert response.status_code == 201, response.text
    org_id = response.json()["result"]["org_id"]
    tree = world.get("/organisations", "auditor", as_of="2025-07-10").json()
    node = next(o for o in tree["data"] if o["org_id"] == org_id)
    assert (node["name_zh"], node["kind"], node["parent_org_id"]) == (
        "第三支部",
        "branch",
        world.orgs["community"],
    )
    assert tree["count"] == 4


def test_organisation_is_refused_with_role_required_when_the_bookkeeper_registers_one(world):
    assert error_of(world.post("/organisations", branch(world))) == (403, "role_required")


def test_root_organisation_is_refused_with_role_required_when_the_auditor_registers_one(world):
    body = {"kind": "community_committee", "name_zh": "新社区", "established_on": "2024-01-01"}
    assert error_of(world.post("/organisations", body, role="auditor")) == (403, "role_required")


def test_organisation_is_refused_with_organisation_not_found_when_the_parent_does_not_exist(world):
    body = branch(world, parent_org_id="00000000-0000-0000-0000-000000000000")
    assert error_of(world.post("/organisations", body, role="admin")) == (404, "organisation_not_found")


def test_organisation_is_refused_with_value_not_allowed_when_the_kind_is_unknown(world):
    body = branch(world, kind="club", branch_kind=None)
    assert error_of(world.post("/organisations", body, role="admin")) == (422, "value_not_allowed")


def test_organisation_is_refused_with_parent_kind_not_allowed_when_a_community_sits_under_a_branch(world):
    body = branch(world, kind="community_committee", branch_kind=None, parent_org_id=world.orgs["a"])
    assert error_of(world.post("/organisations", body, role="admin")) == (422, "parent_kind_not_allowed")


def test_organisation_is_refused_with_authentication_required_when_no_token_is_sent(world):
    response = world.client.post("/organisations", json=branch(world))
    assert error_of(response) == (401, "authentication_required")


def test_organisation_tree_is_refused_with_token_invalid_when_the_token_is_unknown(world):
    response = world.client.get("/organisations?as_of=2025-07-10", headers=auth("fbk_wrong"))
    assert error_of(response) == (401, "token_invalid")


def test_organisation_tree_shows_only_the_members_own_branch_when_read_by_the_member(world):
    tree = world.get("/organisations", "member", as_of="2025-07-10").json()
    assert [o["org_id"] for o in tree["data"]] == [world.orgs["a"]] and tree["count"] == 1


def test_organisation_tree_shows_fund_totals_by_kind_when_read_by_the_auditor(world):
    tree = world.get("/organisations", "auditor", as_of="2025-07-10").json()
    community = next(o for o in tree["data"] if o["org_id"] == world.orgs["community"])
    assert community["own"]["mutual_aid"] == {"amount": "1000.00", "amount_fen": 100000}
    assert community["total"]["activity"] == {"amount": "700.00", "amount_fen": 70000}


def test_organisation_tree_is_refused_with_invalid_request_naming_as_of_when_it_is_missing(world):
    response = world.client.get("/organisations", headers=world.h("admin"))
    assert error_of(response) == (422, "invalid_request")
    assert [f["field"] for f in response.json()["error"]["details"]["fields"]] == ["query.as_of"]


@pytest.mark.parametrize("page_size", [0, 501])
def test_organisation_tree_is_refused_with_invalid_request_when_page_size_is_out_of_range(world, page_size):
    response = world.get("/organisations", as_of="2025-07-10", page_size=page_size)
    assert error_of(response) == (422, "invalid_request")


def test_organisation_tree_is_paginated_when_page_size_is_one(world):
    page = world.get("/organisations", "auditor", as_of="2025-07-10", page=2, page_size=1).json()
    assert (len(page["data"]), page["count"]) == (1, 3)


def test_rollup_sums_the_subtree_when_the_auditor_reads_the_community(world):
    response = world.get(f"/organisations/{world.orgs['community']}/rollup", "auditor", as_of="2025-07-10")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["org_id"] == world.orgs["community"]
    assert body["total"]["activity"] == {"amount": "700.00", "amount_fen": 70000}
    assert body["own"]["mutual_aid"] == {"amount": "1000.00", "amount_fen": 100000}


def test_rollup_is_refused_with_role_required_when_the_bookkeeper_reads_another_branch(world):
    response = world.get(f"/organisations/{world.orgs['b']}/rollup", "bookkeeper", as_of="2025-07-10")
    assert error_of(response) == (403, "role_required")


def test_rollup_is_refused_with_organisation_not_found_when_the_organisation_does_not_exist(world):
    response = world.get("/organisations/00000000-0000-0000-0000-000000000000/rollup", as_of="2025-07-10")
    assert error_of(response) == (404, "organisation_not_found")


def test_organisation_is_renamed_when_the_admin_renames_it(world):
    body = {"name_zh": "第一离退休党支部", "effective_on": "2025-07-01"}
    response = world.post(f"/organisations/{world.orgs['a']}/rename", body, role="admin")
    assert response.status_code == 201, response.text
    assert response.json()["result"] == {"org_id": world.orgs["a"]}


def test_rename_is_refused_with_role_required_when_the_bookkeeper_renames(world):
    body = {"name_zh": "改名", "effective_on": "2025-07-01"}
    response = world.post(f"/organisations/{world.orgs['a']}/rename", body)
    assert error_of(response) == (403, "role_required")


def test_reparent_is_refused_with_parent_kind_not_allowed_when_the_community_moves_under_a_branch(world):
    body = {"new_parent_org_id": world.orgs["a"], "effective_on": "2025-01-01"}
    response = world.post(f"/organisations/{world.orgs['community']}/reparent", body, role="admin")
    assert error_of(response) == (422, "parent_kind_not_allowed")


def test_reparent_is_refused_with_invalid_request_naming_the_field_when_the_parent_is_missing(world):
    body = {"effective_on": "2025-01-01"}
    response = world.post(f"/organisations/{world.orgs['a']}/reparent", body, role="admin")
    assert error_of(response) == (422, "invalid_request")
    assert "new_parent_org_id" in [f["field"] for f in response.json()["error"]["details"]["fields"]]


def test_organisation_is_dissolved_only_once_its_funds_are_closed_and_empty(world):
    """R29: branch B's fund must have its books closed before the effective month and hold
    nothing (here its 200.00 go to branch A's fund by a recorded decision)."""
    body = {"effective_on": "2025-07-10", "doc_ref": "撤销批复"}
    url = f"/organisations/{world.orgs['b']}/dissolve"
    fund_b = world.funds["activity_b"]

    refused = world.post(url, body, role="admin")
    assert error_of(refused) == (409, "organisation_fund_not_closed")
    assert refused.json()["error"]["details"] == {"fund_id": fund_b, "period": "2025-01"}

    closed = world.post(f"/funds/{fund_b}/periods/close", {"period": "2025-06"}, role="admin")
    assert closed.status_code == 201, closed.text
    refused = world.post(url, body, role="admin")
    assert error_of(refused) == (409, "organisation_fund_holds_money")
    assert refused.json()["error"]["details"]["amount_fen"] == 20_000

    moved = world.post(
        "/transfers",
        {
            "from_fund_id": fund_b,
            "to_fund_id": world.funds["activity_a"],
            "occurred_on": "2025-07-02",
            "amount": "200.00",
            "decision_ref": "支委会决议〔2025〕3号",
        },
        role="admin",
    )
    assert moved.status_code == 201, moved.text
    response = world.post(url, body, role="admin")
    assert response.status_code == 201, response.text


def test_dissolve_is_refused_with_role_required_when_the_auditor_dissolves(world):
    body = {"effective_on": "2025-07-01", "doc_ref": "撤销批复"}
    response = world.post(f"/organisations/{world.orgs['b']}/dissolve", body, role="auditor")
    assert error_of(response) == (403, "role_required")


def test_office_is_held_and_ended_when_the_admin_appoints_then_ends_it(world):
    url = f"/organisations/{world.orgs['b']}/offices"
    person = world.people["auditor"]
    body = {"person_id": person, "role": "secretary", "from_date": "2025-01-01"}
    assert world.post(url, body, role="admin").status_code == 201
    assert error_of(world.post(url, body, role="admin")) == (409, "office_already_held")
    end = {"person_id": person, "role": "secretary", "to_date": "2025-06-30", "reason": "换届"}
    assert world.post(f"{url}/end", end, role="admin").status_code == 201
    assert error_of(world.post(f"{url}/end", end, role="admin")) == (409, "office_not_held")


def test_appointment_is_refused_with_person_not_found_when_the_person_does_not_exist(world):
    body = {
        "person_id": "00000000-0000-0000-0000-000000000000",
        "role": "secretary",
        "from_date": "2025-01-01",
    }
    response = world.post(f"/organisations/{world.orgs['b']}/offices", body, role="admin")
    assert error_of(response) == (404, "person_not_found")


def test_appointment_is_refused_with_role_required_when_the_bookkeeper_appoints(world):
    body = {"person_id": world.people["auditor"], "role": "secretary", "from_date": "2025-01-01"}
    response = world.post(f"/organisations/{world.orgs['a']}/offices", body)
    assert error_of(response) == (403, "role_required")


def test_branch_warnings_name_the_branches_with_too_few_full_members_with_counts_only(world):
    """R31: branch A has one full member (the world's member), branch B none; the community is
    not a branch. Counts and bilingual messages, never a member's name."""
    response = world.get("/organisations/warnings", "auditor", as_of="2025-07-10")

    assert response.status_code == 200, response.text
    rows = {row["org_id"]: row for row in response.json()["data"]}
    assert set(rows) == {world.orgs["a"], world.orgs["b"]}
    assert (rows[world.orgs["a"]]["members"], rows[world.orgs["a"]]["full_members"]) == (1, 1)
    [warning] = rows[world.orgs["b"]]["warnings"]
    assert warning["code"] == "branch_under_3_full_members"
    assert warning["message_zh"].startswith("正式党员不足3人") and warning["message_en"]
    assert "member同志" not in response.text


def test_branch_warnings_need_a_reading_role_and_a_date(world):
    nobody = world.client.get("/organisations/warnings", params={"as_of": "2025-07-10"})
    undated = world.get("/organisations/warnings", "auditor")

    assert error_of(nobody)[0] == 401
    assert undated.status_code == 422


def test_residents_tree_is_set_up_by_whoever_registered_its_root_when_an_admin_adds_a_second_root(world):
    root = {"kind": "residents_committee", "name_zh": "和平居委会", "established_on": "2024-01-01"}
    response = world.post("/organisations", root, role="admin")
    assert response.status_code == 201, response.text
    root_id = response.json()["result"]["org_id"]
    assert response.json()["result"]["admin_user_id"] == world.users["admin"]
    group = {
        "kind": "residents_group",
        "name_zh": "第一居民小组",
        "parent_org_id": root_id,
        "established_on": "2024-01-01",
    }
    assert world.post("/organisations", group, role="admin").status_code == 201
    grant = {"role": "bookkeeper", "org_id": root_id}
    granted = world.post(f"/users/{world.users['bookkeeper']}/roles", grant, role="admin")
    assert granted.status_code == 201, granted.text


def test_root_creator_gains_no_role_when_the_organisation_has_a_parent(world):
    world.post("/organisations", branch(world), role="admin")
    grants = world.ledger.user(world.users["admin"]).grants
    assert [g["org_id"] for g in grants] == [world.orgs["community"]]


def test_seed_levels_from_district_to_grid_are_registered_when_an_admin_builds_both_trees(world):
    ids: dict[str, str] = {}
    chains = (
        ("district", "street_office", "residents_committee", "residents_group", "grid"),
        ("district_committee", "street_committee", "community_committee"),
    )
    for chain in chains:
        above = None
        for level in chain:
            body = {"kind": level, "name_zh": f"{level}名", "established_on": "2024-01-01"}
            if above is not None:
                body["parent_org_id"] = ids[above]
            response = world.post("/organisations", body, role="admin")
            assert response.status_code == 201, (level, response.text)
            ids[level] = response.json()["result"]["org_id"]
            above = level
    assert world.ledger.organisation(ids["grid"]).parent_org_id == ids["residents_group"]
    assert world.ledger.organisation(ids["street_committee"]).parent_org_id == ids["district_committee"]
