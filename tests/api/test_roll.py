"""The mutual-aid roll over HTTP (issue 21 item 1): the bookkeeper sets the year's contribution,
enrols members and records their contributions; an approver waives one; the internal roll and
who is behind; the public counts without a token, and no names in them."""

from __future__ import annotations

from tests.api.conftest import World, error_of, views_reach


def setup_roll(world: World) -> str:
    fund = world.funds["mutual_aid"]
    body = {"year": 2025, "amount": "10.00", "due_on": "2025-06-30", "charter_ref": "互助会章程第五条"}
    assert world.post(f"/funds/{fund}/roll/contributions", body, role="admin").status_code == 201
    for role in ("member", "cashier", "auditor"):
        enrol = {"person_id": world.people[role], "enrolled_on": "2025-01-01"}
        response = world.post(f"/funds/{fund}/roll/members", enrol, role="admin")
        assert response.status_code == 201, response.text
    return fund


def test_roll_shows_paid_waived_and_owed_with_the_voucher_when_recorded_over_http(world):
    fund = setup_roll(world)
    pay = {"year": 2025, "occurred_on": "2025-07-02", "amount": "10.00", "doc_refs": ["收据"]}
    paid = world.post(f"/funds/{fund}/roll/members/{world.people['member']}/payments", pay, role="admin")
    assert paid.status_code == 201, paid.text
    voucher = paid.json()["result"]["voucher_no"]
    waiver = {"year": 2025, "reason": "大病住院，家庭困难"}
    waived = world.post(f"/funds/{fund}/roll/members/{world.people['cashier']}/waivers", waiver, role="admin")
    assert waived.status_code == 201, waived.text

    body = world.get(f"/funds/{fund}/roll", "auditor", as_of="2025-07-10").json()
    assert len(body["members"]) == 3
    found = {s["person_id"]: (s["status"], s["paid"]["amount"], s["vouchers"]) for s in body["statuses"]}
    assert found == {
        world.people["member"]: ("paid", "10.00", [voucher]),
        world.people["cashier"]: ("waived", "0.00", []),
        world.people["auditor"]: ("owed", "0.00", []),
    }
    behind = world.get(f"/funds/{fund}/roll/behind", "auditor", as_of="2025-07-10").json()["data"]
    assert [(b["person_id"], b["outstanding"]["amount"]) for b in behind] == [
        (world.people["auditor"], "10.00")
    ]


def test_roll_counts_are_public_and_name_nobody_when_read_without_a_token(world):
    fund = setup_roll(world)
    pay = {"year": 2025, "occurred_on": "2025-07-02", "amount": "12.00", "doc_refs": ["收据"]}
    world.post(f"/funds/{fund}/roll/members/{world.people['member']}/payments", pay, role="admin")
    views_reach(world.client, world.position())
    response = world.client.get(f"/funds/{fund}/roll/counts")
    assert response.status_code == 200, response.text
    assert response.json() == {"fund_id": fund, "year": 2025, "members": 3, "paid_this_year": 1}
    assert "同志" not in response.text


def test_roll_waiver_is_refused_with_roll_waiver_needs_approver_when_the_bookkeeper_asks(world):
    fund = setup_roll(world)
    waiver = {"year": 2025, "reason": "困难"}
    response = world.post(f"/funds/{fund}/roll/members/{world.people['member']}/waivers", waiver)
    assert error_of(response) == (403, "roll_waiver_needs_approver")


def test_roll_is_refused_with_role_required_when_a_member_reads_the_internal_roll(world):
    fund = setup_roll(world)
    assert error_of(world.get(f"/funds/{fund}/roll", "member", as_of="2025-07-10")) == (403, "role_required")


def test_roll_enrolment_is_refused_with_roll_needs_mutual_aid_fund_when_the_fund_is_an_activity_fund(world):
    body = {"person_id": world.people["member"], "enrolled_on": "2025-01-01"}
    response = world.post(f"/funds/{world.funds['activity_a']}/roll/members", body)
    assert error_of(response) == (422, "roll_needs_mutual_aid_fund")
