"""People over HTTP: register, memberships and transfers, consent, leaving, death, and a
member's totals."""

from __future__ import annotations

from tests.api.conftest import World, auth, error_of


def new_person(world: World, name: str = "新党员") -> str:
    response = world.post("/people", {"name_zh": name})
    assert response.status_code == 201, response.text
    return response.json()["result"]["person_id"]


def test_person_is_registered_when_the_bookkeeper_registers_them(world):
    response = world.post("/people", {"name_zh": "王小明", "public_notice": True})
    assert response.status_code == 201, response.text
    assert set(response.json()["result"]) == {"person_id"}
    assert int(response.headers["X-Fundbook-Position"]) == world.position()


def test_person_is_refused_with_role_required_when_the_auditor_registers_them(world):
    assert error_of(world.post("/people", {"name_zh": "王小明"}, role="auditor")) == (403, "role_required")


def test_person_is_refused_with_authentication_required_when_no_token_is_sent(world):
    assert error_of(world.client.post("/people", json={"name_zh": "王"})) == (401, "authentication_required")


def test_person_is_refused_with_token_invalid_when_the_token_is_unknown(world):
    response = world.client.post("/people", json={"name_zh": "王"}, headers=auth("nope"))
    assert error_of(response) == (401, "token_invalid")


def test_person_is_refused_with_invalid_request_naming_the_field_when_the_flag_is_not_a_boolean(world):
    response = world.post("/people", {"name_zh": "王小明", "public_notice": "yes"})
    assert error_of(response) == (422, "invalid_request")
    assert [f["field"] for f in response.json()["error"]["details"]["fields"]] == ["public_notice"]


def test_person_is_refused_with_invalid_request_naming_name_zh_when_the_name_is_empty(world):
    response = world.post("/people", {"name_zh": ""})
    assert error_of(response) == (422, "invalid_request")
    assert [f["field"] for f in response.json()["error"]["details"]["fields"]] == ["name_zh"]


def test_membership_is_recorded_when_the_bookkeeper_enrols_a_person_in_their_branch(world):
    person = new_person(world)
    body = {"org_id": world.orgs["a"], "effective_on": "2025-07-01"}
    response = world.post(f"/people/{person}/memberships", body)
    assert response.status_code == 201, response.text
    assert response.json()["result"] == {"person_id": person}


def test_membership_is_refused_with_already_a_member_when_the_person_belongs_to_a_branch(world):
    body = {"org_id": world.orgs["a"], "effective_on": "2025-07-01"}
    response = world.post(f"/people/{world.people['member']}/memberships", body)
    assert error_of(response) == (409, "already_a_member")


def test_membership_is_refused_with_role_required_when_the_branch_is_not_the_bookkeepers(world):
    person = new_person(world)
    body = {"org_id": world.orgs["b"], "effective_on": "2025-07-01"}
    assert error_of(world.post(f"/people/{person}/memberships", body)) == (403, "role_required")


def test_membership_is_refused_with_person_not_found_when_the_person_does_not_exist(world):
    body = {"org_id": world.orgs["a"], "effective_on": "2025-07-01"}
    response = world.post("/people/00000000-0000-0000-0000-000000000000/memberships", body)
    assert error_of(response) == (404, "person_not_found")


def test_membership_is_refused_with_membership_requires_branch_when_the_org_is_a_community(world):
    person = new_person(world)
    body = {"org_id": world.orgs["community"], "effective_on": "2025-07-01"}
    response = world.post(f"/people/{person}/memberships", body, role="admin")
    assert error_of(response) == (422, "membership_requires_branch")


def test_member_is_transferred_when_the_admin_moves_them_to_another_branch(world):
    body = {"to_org_id": world.orgs["b"], "effective_on": "2025-07-01", "letter_no": "转字001"}
    response = world.post(f"/people/{world.people['member']}/transfers", body, role="admin")
    assert response.status_code == 201, response.text


def test_transfer_is_refused_with_transfer_to_same_branch_when_the_branch_is_unchanged(world):
    body = {"to_org_id": world.orgs["a"], "effective_on": "2025-07-01"}
    response = world.post(f"/people/{world.people['member']}/transfers", body)
    assert error_of(response) == (422, "transfer_to_same_branch")


def test_transfer_is_refused_with_role_required_when_the_bookkeeper_lacks_the_target_branch(world):
    body = {"to_org_id": world.orgs["b"], "effective_on": "2025-07-01"}
    response = world.post(f"/people/{world.people['member']}/transfers", body)
    assert error_of(response) == (403, "role_required")


def test_consent_is_changed_when_the_bookkeeper_records_it(world):
    body = {"public_notice": True, "internal_notice": True, "doc_ref": "同意书"}
    response = world.post(f"/people/{world.people['member']}/consent", body)
    assert response.status_code == 201, response.text


def test_consent_is_refused_with_invalid_request_when_a_flag_is_missing(world):
    response = world.post(f"/people/{world.people['member']}/consent", {"public_notice": True})
    assert error_of(response) == (422, "invalid_request")
    assert [f["field"] for f in response.json()["error"]["details"]["fields"]] == ["internal_notice"]


def test_consent_is_refused_with_role_required_when_the_member_changes_it(world):
    body = {"public_notice": True, "internal_notice": True}
    response = world.post(f"/people/{world.people['member']}/consent", body, role="member")
    assert error_of(response) == (403, "role_required")


def test_leaving_the_party_is_recorded_when_the_bookkeeper_records_it(world):
    body = {"reason": "withdrew", "effective_on": "2025-07-01"}
    response = world.post(f"/people/{world.people['member']}/leave", body)
    assert response.status_code == 201, response.text


def test_leaving_is_refused_with_value_not_allowed_when_the_reason_is_unknown(world):
    body = {"reason": "bored", "effective_on": "2025-07-01"}
    response = world.post(f"/people/{world.people['member']}/leave", body)
    assert error_of(response) == (422, "value_not_allowed")


def test_death_is_recorded_and_a_transfer_after_it_is_refused_with_person_deceased(world):
    url = f"/people/{world.people['member']}"
    assert world.post(f"{url}/death", {"died_on": "2025-07-01"}).status_code == 201
    assert error_of(world.post(f"{url}/death", {"died_on": "2025-07-01"})) == (409, "person_deceased")
    body = {"to_org_id": world.orgs["b"], "effective_on": "2025-07-02"}
    assert error_of(world.post(f"{url}/transfers", body, role="admin")) == (409, "person_deceased")


def test_death_is_refused_with_date_in_future_when_after_today(world):
    response = world.post(f"/people/{world.people['member']}/death", {"died_on": "2025-08-01"})
    assert error_of(response) == (422, "date_in_future")


def test_death_is_refused_with_role_required_when_the_cashier_records_it(world):
    response = world.post(
        f"/people/{world.people['member']}/death", {"died_on": "2025-07-01"}, role="cashier"
    )
    assert error_of(response) == (403, "role_required")


# --- a member's totals ----------------------------------------------------------------------------
def test_member_totals_show_a_donation_when_the_member_reads_their_own(world):
    body = {
        "occurred_on": "2025-07-05",
        "amount": "20.00",
        "donor_kind": "member",
        "donor_person_id": world.people["member"],
        "doc_refs": ["收据"],
    }
    posted = world.post(f"/funds/{world.funds['mutual_aid']}/donations", body, role="admin")
    assert posted.status_code == 201, posted.text
    response = world.get(f"/members/{world.people['member']}", "member")
    assert response.status_code == 200, response.text
    totals = response.json()
    assert totals["person_id"] == world.people["member"]
    assert totals["by_branch"][0]["branch_org_id"] == world.orgs["a"]
    assert totals["by_branch"][0]["donated"] == {"amount": "20.00", "amount_fen": 2000}


def test_member_totals_are_read_when_the_auditor_reads_anyone(world):
    response = world.get(f"/members/{world.people['member']}", "auditor")
    assert response.status_code == 200, response.text


def test_member_totals_are_refused_with_role_required_when_the_cashier_reads_someone_else(world):
    response = world.get(f"/members/{world.people['member']}", "cashier")
    assert error_of(response) == (403, "role_required")


def test_member_totals_are_refused_with_role_required_when_the_member_reads_someone_else(world):
    response = world.get(f"/members/{world.people['cashier']}", "member")
    assert error_of(response) == (403, "role_required")
    assert "by_branch" not in response.json()


def test_member_totals_are_read_when_a_bookkeeper_reads_a_member_of_their_branch(world):
    response = world.get(f"/members/{world.people['member']}", "bookkeeper")
    assert response.status_code == 200, response.text
    assert response.json()["person_id"] == world.people["member"]


def test_member_totals_are_refused_with_role_required_when_a_branch_bookkeeper_reads_a_person_in_no_branch(
    world,
):
    response = world.get(f"/members/{world.people['cashier']}", "bookkeeper")
    assert error_of(response) == (403, "role_required")
    assert world.get(f"/members/{world.people['cashier']}", "auditor").status_code == 200  # at the root


def test_member_totals_are_refused_with_person_not_found_when_the_person_does_not_exist(world):
    response = world.get("/members/00000000-0000-0000-0000-000000000000", "auditor")
    assert error_of(response) == (404, "person_not_found")


def test_member_totals_are_refused_with_authentication_required_when_no_token_is_sent(world):
    response = world.client.get(f"/members/{world.people['member']}")
    assert error_of(response) == (401, "authentication_required")
