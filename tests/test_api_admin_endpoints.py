"""The administrative endpoints over HTTP (in process): users and roles, organisation and
person changes, the organisation tree. Each checks success, a refusal code, 401 and 403."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from ledger.api import create_app
from ledger.config import Settings


@pytest.fixture
def api(open_ledger, database_url):
    ledger = open_ledger(today=date(2025, 7, 10))
    street = ledger.register_organisation(
        actor="seed", kind="street_committee", name_zh="街道党工委", established_on=date(2020, 1, 1)
    )["org_id"]
    community = ledger.register_organisation(
        actor="seed",
        kind="community_committee",
        name_zh="社区党委",
        parent_org_id=street,
        established_on=date(2020, 1, 1),
    )["org_id"]
    branch = ledger.register_organisation(
        actor="seed",
        kind="branch",
        name_zh="第一支部",
        parent_org_id=community,
        established_on=date(2020, 1, 1),
    )["org_id"]
    tokens = {}
    for role, org in (("admin", street), ("bookkeeper", branch), ("auditor", community)):
        person = ledger.register_person(actor="seed", name_zh=f"{role}用户")["person_id"]
        user = ledger.register_user(actor="seed", person_id=person)["user_id"]
        ledger.change_role(user, "grant", actor="seed", role=role, org_id=org)
        tokens[role] = ledger.issue_token(user, actor="seed")[0]
    app = create_app(Settings(database_url=database_url), ledger=ledger)
    with TestClient(app) as client:
        yield client, tokens, {"street": street, "community": community, "branch": branch}, ledger


def h(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_admin_registers_a_user_grants_a_role_and_issues_a_token_that_signs_in(api):
    client, tokens, orgs, _ = api
    person = client.post("/people", json={"name_zh": "新会计"}, headers=h(tokens["admin"])).json()["result"]
    user = client.post("/users", json=person, headers=h(tokens["admin"])).json()["result"]["user_id"]
    grant = client.post(
        f"/users/{user}/roles", json={"role": "cashier", "org_id": orgs["branch"]}, headers=h(tokens["admin"])
    )
    assert grant.status_code == 201, grant.text
    issued = client.post(f"/users/{user}/tokens", headers=h(tokens["admin"]))
    assert issued.status_code == 201
    me = client.get("/users/me", headers=h(issued.json()["token"])).json()
    assert me["user_id"] == user and me["roles"][0]["role"] == "cashier"
    again = client.post(
        f"/users/{user}/roles", json={"role": "cashier", "org_id": orgs["branch"]}, headers=h(tokens["admin"])
    )
    assert (again.status_code, again.json()["error"]["code"]) == (409, "role_already_held")
    revoked = client.post(
        f"/users/{user}/roles/revoke",
        json={"role": "cashier", "org_id": orgs["branch"]},
        headers=h(tokens["admin"]),
    )
    assert revoked.status_code == 201


def test_an_admin_revokes_a_lost_token_by_its_id_and_it_stops_working_at_once(api):
    client, tokens, _, _ = api
    me = client.get("/users/me", headers=h(tokens["bookkeeper"])).json()["user_id"]
    spare = client.post(f"/users/{me}/tokens", headers=h(tokens["admin"])).json()
    listed = client.get(f"/users/{me}/tokens", headers=h(tokens["admin"]))
    assert listed.status_code == 200
    assert [t["token_id"] for t in listed.json()] == [
        *[t["token_id"] for t in listed.json()[:-1]],
        spare["result"]["token_id"],
    ]
    assert all(
        set(t) == {"token_id", "issued_at", "issued_by", "expires_at", "revoked"} for t in listed.json()
    )
    assert spare["token"] not in listed.text  # never the token itself

    revoked = client.post(
        f"/users/{me}/tokens/{spare['result']['token_id']}/revoke", headers=h(tokens["admin"])
    )
    assert revoked.status_code == 201, revoked.text
    refused = client.get("/users/me", headers=h(spare["token"]))
    assert (refused.status_code, refused.json()["error"]["code"]) == (401, "token_invalid")
    assert client.get("/users/me", headers=h(tokens["bookkeeper"])).status_code == 200  # the other lives
    assert [t["revoked"] for t in client.get(f"/users/{me}/tokens", headers=h(tokens["admin"])).json()][-1]

    again = client.post(
        f"/users/{me}/tokens/{spare['result']['token_id']}/revoke", headers=h(tokens["admin"])
    )
    assert (again.status_code, again.json()["error"]["code"]) == (409, "token_already_revoked")
    unknown = client.post(f"/users/{me}/tokens/{me}/revoke", headers=h(tokens["admin"]))
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "token_not_found")


def test_a_user_may_list_and_revoke_their_own_tokens_but_not_anothers(api):
    client, tokens, _, _ = api
    mine = client.get("/users/me", headers=h(tokens["bookkeeper"])).json()["user_id"]
    theirs = client.get("/users/me", headers=h(tokens["auditor"])).json()["user_id"]
    assert client.get(f"/users/{mine}/tokens", headers=h(tokens["bookkeeper"])).status_code == 200
    refused = client.get(f"/users/{theirs}/tokens", headers=h(tokens["bookkeeper"]))
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "role_required")
    their_token = client.get(f"/users/{theirs}/tokens", headers=h(tokens["auditor"])).json()[0]["token_id"]
    refused = client.post(f"/users/{theirs}/tokens/{their_token}/revoke", headers=h(tokens["bookkeeper"]))
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "role_required")
    own = client.get(f"/users/{mine}/tokens", headers=h(tokens["bookkeeper"])).json()[0]["token_id"]
    assert (
        client.post(f"/users/{mine}/tokens/{own}/revoke", headers=h(tokens["bookkeeper"])).status_code == 201
    )
    assert client.get("/users/me", headers=h(tokens["bookkeeper"])).status_code == 401
    assert client.get("/users/me", headers=h(tokens["auditor"])).status_code == 200


def test_only_an_admin_manages_users(api):
    client, tokens, _, _ = api
    refused = client.post("/users", json={"person_id": "x"}, headers=h(tokens["auditor"]))
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "role_required")
    assert client.post("/users", json={"person_id": "x"}).status_code == 401


def test_reparenting_keeps_the_old_tree_for_earlier_dates(api):
    client, tokens, orgs, _ = api
    other = client.post(
        "/organisations",
        json={
            "kind": "community_committee",
            "name_zh": "和平社区党委",
            "parent_org_id": orgs["street"],
            "established_on": "2020-01-01",
        },
        headers=h(tokens["admin"]),
    ).json()["result"]["org_id"]
    moved = client.post(
        f"/organisations/{orgs['branch']}/reparent",
        json={"new_parent_org_id": other, "effective_on": "2025-01-01"},
        headers=h(tokens["admin"]),
    )
    assert moved.status_code == 201, moved.text
    position = moved.headers["X-Fundbook-Position"]

    def parent_on(day: str) -> str:
        tree = client.get(
            f"/organisations?as_of={day}&min_position={position}", headers=h(tokens["admin"])
        ).json()
        return next(o["parent_org_id"] for o in tree["data"] if o["org_id"] == orgs["branch"])

    assert parent_on("2024-12-31") == orgs["community"]
    assert parent_on("2025-01-01") == other


def test_organisation_changes_name_their_refusal_codes(api):
    client, tokens, orgs, _ = api
    cycle = client.post(
        f"/organisations/{orgs['community']}/reparent",
        json={"new_parent_org_id": orgs["branch"], "effective_on": "2025-01-01"},
        headers=h(tokens["admin"]),
    )
    assert (cycle.status_code, cycle.json()["error"]["code"]) == (422, "parent_kind_not_allowed")
    renamed = client.post(
        f"/organisations/{orgs['branch']}/rename",
        json={"name_zh": "第一离退休支部", "effective_on": "2030-01-01"},
        headers=h(tokens["admin"]),
    )
    assert (renamed.status_code, renamed.json()["error"]["code"]) == (422, "date_in_future")
    by_bookkeeper = client.post(
        f"/organisations/{orgs['branch']}/dissolve",
        json={"effective_on": "2025-01-01", "doc_ref": "d"},
        headers=h(tokens["bookkeeper"]),
    )
    assert (by_bookkeeper.status_code, by_bookkeeper.json()["error"]["code"]) == (403, "role_required")


def test_office_holders_are_appointed_and_leave(api):
    client, tokens, orgs, ledger = api
    person = client.post("/people", json={"name_zh": "郑德明"}, headers=h(tokens["admin"])).json()["result"][
        "person_id"
    ]
    body = {"person_id": person, "role": "secretary", "from_date": "2024-03-01"}
    assert (
        client.post(
            f"/organisations/{orgs['branch']}/offices", json=body, headers=h(tokens["admin"])
        ).status_code
        == 201
    )
    twice = client.post(f"/organisations/{orgs['branch']}/offices", json=body, headers=h(tokens["admin"]))
    assert twice.json()["error"]["code"] == "office_already_held"
    ended = client.post(
        f"/organisations/{orgs['branch']}/offices/end",
        json={"person_id": person, "role": "secretary", "to_date": "2025-02-28"},
        headers=h(tokens["admin"]),
    )
    assert ended.status_code == 201
    assert ledger.organisation(orgs["branch"]).holds_office(person, "2025-02", "secretary")
    assert not ledger.organisation(orgs["branch"]).holds_office(person, "2025-03", "secretary")


def test_person_changes_consent_leaves_and_dies_with_codes_for_bad_input(api):
    client, tokens, orgs, ledger = api
    person = client.post("/people", json={"name_zh": "王小明"}, headers=h(tokens["bookkeeper"])).json()[
        "result"
    ]["person_id"]
    consent = client.post(
        f"/people/{person}/consent",
        json={"public_notice": True, "internal_notice": True},
        headers=h(tokens["bookkeeper"]),
    )
    assert consent.status_code == 201 and ledger.person(person).public_notice is True
    text_bool = client.post(
        f"/people/{person}/consent",
        json={"public_notice": "yes", "internal_notice": True},
        headers=h(tokens["bookkeeper"]),
    )
    assert text_bool.status_code == 422
    joined = client.post(
        f"/people/{person}/memberships",
        json={"org_id": orgs["branch"], "effective_on": "2021-01-01"},
        headers=h(tokens["bookkeeper"]),
    )
    assert joined.status_code == 201
    left = client.post(
        f"/people/{person}/leave",
        json={"reason": "withdrew", "effective_on": "2024-01-01"},
        headers=h(tokens["bookkeeper"]),
    )
    assert left.status_code == 201
    again = client.post(
        f"/people/{person}/leave",
        json={"reason": "withdrew", "effective_on": "2024-02-01"},
        headers=h(tokens["bookkeeper"]),
    )
    assert again.json()["error"]["code"] == "not_a_member"
    died = client.post(
        f"/people/{person}/death", json={"died_on": "2025-03-01"}, headers=h(tokens["bookkeeper"])
    )
    assert died.status_code == 201
    after = client.post(
        f"/people/{person}/death", json={"died_on": "2025-03-02"}, headers=h(tokens["bookkeeper"])
    )
    assert after.json()["error"]["code"] == "person_deceased"
    assert (
        client.post(
            f"/people/{person}/death", json={"died_on": "2025-03-02"}, headers=h(tokens["auditor"])
        ).status_code
        == 403
    )
