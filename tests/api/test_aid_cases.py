"""Aid cases over HTTP: apply, sign, reserve, the notice window, objections, payment; the list
of cases waiting for an approver; each route's success, its refusals by code, 401 and 403.

The community's mutual-aid fund (1000.00, publicise first, 7-day window) is the fund; two
approvers and a cashier of the community are added to the seeded world (in its template).
Today is 2025-07-10 (the window runs to 2025-07-16); a test moves the business date by setting
``ledger.today``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.api.conftest import SEED, World, auth, error_of

AFTER_WINDOW = date(2025, 7, 17)


@pytest.fixture
def aid(world: World) -> World:
    """The world with two approvers and a cashier of the community: its store is a copy of a
    template seeded with them (``world_store``, ``add_aid_officers`` in tests/api/conftest.py)."""
    assert {"approver1", "approver2", "cashier_c"} <= world.tokens.keys()
    return world


def application(world: World, **overrides: Any) -> dict[str, Any]:
    body = {
        "fund_id": world.funds["mutual_aid"],
        "beneficiary_person_id": world.people["member"],
        "applicant_person_id": world.people["member"],
        "aid_kind": "hospitalisation",
        "requested": "400.00",
        "reason_private": "住院手术，自付部分较多",
        "reason_public_category": "慰问因病住院党员",
        "evidence_refs": ["住院发票-001"],
    }
    return {**body, **overrides}


def applied(world: World, **overrides: Any) -> str:
    response = world.post("/aid-cases", application(world, **overrides), role="approver1")
    assert response.status_code == 201, response.text
    return response.json()["result"]["case_id"]


def sign(world: World, case_id: str, who: str, **body: Any) -> Any:
    return world.post(f"/aid-cases/{case_id}/signatures", body, role=who)


def pay(world: World, case_id: str, who: str = "cashier_c", paid_on: date = AFTER_WINDOW) -> Any:
    body = {"paid_on": paid_on.isoformat(), "doc_refs": ["签收单-001"]}
    return world.post(f"/aid-cases/{case_id}/payment", body, role=who)


def case_view(world: World, case_id: str, role: str = "auditor") -> dict[str, Any]:
    response = world.get(f"/aid-cases/{case_id}", role=role)
    assert response.status_code == 200, response.text
    return response.json()


def mutual_aid_balance(world: World) -> dict[str, Any]:
    response = world.get("/funds/balances", role="auditor")
    assert response.status_code == 200, response.text
    return next(f for f in response.json()["data"] if f["fund_id"] == world.funds["mutual_aid"])


# --- apply --------------------------------------------------------------------------------------
def test_an_application_is_recorded_and_listed_without_its_private_reason(aid):
    case_id = applied(aid)

    view = case_view(aid, case_id)

    assert view["status"] == "applied"
    assert view["requested"] == {"amount": "400.00", "amount_fen": 40_000}
    assert (view["signatures_required"], view["decision_required"]) == (1, False)
    assert "reason_private" not in view and "住院手术" not in str(view)


def test_an_application_above_500_yuan_needs_two_signatures(aid):
    response = aid.post("/aid-cases", role="approver1", body=application(aid, requested="800.00"))

    assert response.json()["result"]["signatures_required"] == 2


def test_an_application_is_refused_with_value_not_allowed_for_an_unknown_aid_kind(aid):
    response = aid.post("/aid-cases", role="approver1", body=application(aid, aid_kind="loan"))

    assert error_of(response) == (422, "value_not_allowed")


def test_an_application_is_refused_with_amount_float_not_allowed_for_a_json_number(aid):
    response = aid.post("/aid-cases", role="approver1", body=application(aid, requested=400))

    assert error_of(response) == (422, "amount_float_not_allowed")


def test_an_application_is_refused_with_person_not_found_for_an_unknown_beneficiary(aid):
    response = aid.post("/aid-cases", role="approver1", body=application(aid, beneficiary_person_id="nobody"))

    assert error_of(response) == (404, "person_not_found")


def test_an_application_is_refused_with_authentication_required_without_a_token(aid):
    response = aid.client.post("/aid-cases", json=application(aid))

    assert error_of(response) == (401, "authentication_required")


def test_an_application_is_refused_with_role_required_for_the_auditor(aid):
    response = aid.post("/aid-cases", application(aid), role="auditor")

    assert error_of(response) == (403, "role_required")


# --- sign, reserve, window, pay ----------------------------------------------------------------
def test_a_signature_approves_the_case_reserves_its_amount_and_posts_the_notice_window(aid):
    case_id = applied(aid)

    response = sign(aid, case_id, "approver1")

    assert response.status_code == 201, response.text
    assert response.json()["result"]["status"] == "approved"
    assert response.json()["result"]["window_end"] == "2025-07-16"
    balance = mutual_aid_balance(aid)
    assert balance["reserved"]["amount_fen"] == 40_000
    assert balance["available"]["amount_fen"] == 100_000 - 40_000


def test_a_signature_is_refused_with_aid_signer_not_approver_for_a_bookkeeper(aid):
    case_id = applied(aid)

    assert error_of(sign(aid, case_id, "bookkeeper")) == (403, "aid_signer_not_approver")


def test_a_signature_is_refused_with_aid_already_signed_when_the_approver_signs_twice(aid):
    case_id = applied(aid, requested="800.00")
    sign(aid, case_id, "approver1")

    assert error_of(sign(aid, case_id, "approver1")) == (409, "aid_already_signed")


def test_a_signature_is_refused_with_aid_decision_reference_required_above_2000_yuan(aid):
    case_id = applied(aid, requested="900.00")
    aid.ledger.record(
        aid.funds["mutual_aid"],
        "receive_grant",
        actor=SEED,
        occurred_on=date(2025, 7, 2),
        amount_fen=300_000,
        grant_kind="fiscal",
        grantor_name="街道",
        doc_refs=["拨款"],
    )
    big = applied(aid, requested="2500.00")
    sign(aid, big, "approver1")

    assert error_of(sign(aid, big, "approver2")) == (422, "aid_decision_reference_required")
    assert sign(aid, big, "approver2", decision_ref="党委会纪要").status_code == 201
    assert case_view(aid, case_id)["status"] == "applied"


def test_a_signature_is_refused_with_aid_reservation_exceeds_available_when_the_fund_is_short(aid):
    case_id = applied(aid, requested="1500.00")
    sign(aid, case_id, "approver1")

    assert error_of(sign(aid, case_id, "approver2")) == (409, "aid_reservation_exceeds_available")


def test_a_signature_is_refused_with_aid_case_not_found_for_an_unknown_case(aid):
    response = sign(aid, "8d3c6a56-0000-4000-8000-000000000000", "approver1")

    assert error_of(response) == (404, "aid_case_not_found")


def test_payment_is_refused_with_aid_notice_window_open_during_the_window(aid):
    case_id = applied(aid)
    sign(aid, case_id, "approver1")
    aid.ledger.today = lambda: AFTER_WINDOW

    assert error_of(pay(aid, case_id, paid_on=date(2025, 7, 16))) == (409, "aid_notice_window_open")


def test_payment_after_the_window_pays_the_beneficiary_and_consumes_the_reservation(aid):
    case_id = applied(aid)
    sign(aid, case_id, "approver1")
    aid.ledger.today = lambda: AFTER_WINDOW

    response = pay(aid, case_id)

    assert response.status_code == 201, response.text
    assert response.json()["result"]["voucher_no"] == "202507-002"
    view = case_view(aid, case_id)
    assert (view["status"], view["voucher_no"], view["paid_on"]) == ("paid", "202507-002", "2025-07-17")
    balance = mutual_aid_balance(aid)
    assert (balance["balance"]["amount_fen"], balance["reserved"]["amount_fen"]) == (60_000, 0)


def test_payment_is_refused_with_role_required_for_a_cashier_of_another_organisation(aid):
    case_id = applied(aid)
    sign(aid, case_id, "approver1")
    aid.ledger.today = lambda: AFTER_WINDOW

    assert error_of(pay(aid, case_id, who="cashier")) == (403, "role_required")


def test_payment_is_refused_with_aid_case_not_approved_before_the_signatures(aid):
    case_id = applied(aid, requested="800.00")
    sign(aid, case_id, "approver1")

    assert error_of(pay(aid, case_id)) == (409, "aid_case_not_approved")


def test_retried_payment_is_answered_identically_with_the_same_idempotency_key(aid):
    case_id = applied(aid)
    sign(aid, case_id, "approver1")
    aid.ledger.today = lambda: AFTER_WINDOW
    body = {"paid_on": "2025-07-17", "doc_refs": ["签收单-001"]}
    first = aid.post(f"/aid-cases/{case_id}/payment", body, role="cashier_c", **{"Idempotency-Key": "pay-1"})
    again = aid.post(f"/aid-cases/{case_id}/payment", body, role="cashier_c", **{"Idempotency-Key": "pay-1"})

    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()


# --- reversing a payment (ADR 0033) ------------------------------------------------------------
def reverse_payment(world: World, voucher: str, who: str = "admin", on: str = "2025-07-18") -> Any:
    body = {"voucher_no": voucher, "occurred_on": on, "reason": "重复发放"}
    return world.post(f"/funds/{world.funds['mutual_aid']}/reversals", body, role=who)


def paid(world: World) -> tuple[str, str]:
    case_id = applied(world)
    sign(world, case_id, "approver1")
    world.ledger.today = lambda: date(2025, 7, 18)
    response = pay(world, case_id)
    assert response.status_code == 201, response.text
    return case_id, response.json()["result"]["voucher_no"]


def test_the_reversal_route_reverses_an_aid_payment_with_its_case_approved_and_reserved_again(aid):
    case_id, voucher = paid(aid)

    response = reverse_payment(aid, voucher)

    assert response.status_code == 201, response.text
    assert response.json()["result"] == {
        "fund_id": aid.funds["mutual_aid"],
        "voucher_no": "202507-003",
        "case_id": case_id,
    }
    view = case_view(aid, case_id)
    assert (view["status"], view["voucher_no"], view["paid_on"]) == ("approved", None, None)
    balance = mutual_aid_balance(aid)
    assert (balance["balance"]["amount_fen"], balance["reserved"]["amount_fen"]) == (100_000, 40_000)
    totals = aid.get(f"/members/{aid.people['member']}", role="auditor").json()
    assert [t["paid_to"]["amount_fen"] for t in totals["by_branch"]] == [0]  # no aid received, net


def test_a_case_whose_payment_was_reversed_is_paid_again_by_the_cashier(aid):
    case_id, voucher = paid(aid)
    reverse_payment(aid, voucher)

    again = pay(aid, case_id, paid_on=date(2025, 7, 18))

    assert again.status_code == 201, again.text
    assert case_view(aid, case_id)["voucher_no"] == again.json()["result"]["voucher_no"] == "202507-004"
    balance = mutual_aid_balance(aid)
    assert (balance["balance"]["amount_fen"], balance["reserved"]["amount_fen"]) == (60_000, 0)


def test_an_aid_payment_reversal_is_refused_with_voucher_already_reversed_the_second_time(aid):
    _, voucher = paid(aid)
    reverse_payment(aid, voucher)

    assert error_of(reverse_payment(aid, voucher)) == (409, "voucher_already_reversed")


def test_an_aid_payment_reversal_is_refused_with_role_required_for_the_cashier_who_paid(aid):
    case_id, voucher = paid(aid)

    assert error_of(reverse_payment(aid, voucher, who="cashier_c")) == (403, "role_required")
    assert case_view(aid, case_id)["status"] == "paid"


# --- objections, rejection, cancellation -------------------------------------------------------
def test_an_anonymous_objection_blocks_payment_until_an_approver_dismisses_it(aid):
    case_id = applied(aid)
    sign(aid, case_id, "approver1")
    raised = aid.post(
        f"/aid-cases/{case_id}/objections", {"text": "情况不实", "anonymous": True}, role="member"
    )
    number = raised.json()["result"]["objection_no"]
    aid.ledger.today = lambda: AFTER_WINDOW

    assert error_of(pay(aid, case_id)) == (409, "aid_objection_unanswered")
    answered = aid.post(
        f"/aid-cases/{case_id}/objections/{number}/answer",
        {"outcome": "dismissed", "answer": "经核实符合条件"},
        role="approver2",
    )
    assert answered.status_code == 201, answered.text
    assert pay(aid, case_id).status_code == 201


def test_an_anonymous_objection_stores_no_identity_of_the_user_who_raised_it(aid):
    case_id = applied(aid)
    before = aid.position()

    response = aid.post(
        f"/aid-cases/{case_id}/objections", {"text": "情况不实", "anonymous": True}, role="member"
    )

    assert response.status_code == 201, response.text
    stored = aid.ledger.recorder.select_notifications(before, 100, inclusive_of_start=False)
    assert [n.topic for n in stored] == ["fundbook:AidCase.ObjectionRaised"]
    for identity in (aid.users["member"], aid.people["member"]):
        assert identity.encode() not in stored[0].state


def test_an_upheld_objection_cancels_the_case_and_releases_the_reservation(aid):
    case_id = applied(aid)
    sign(aid, case_id, "approver1")
    aid.post(f"/aid-cases/{case_id}/objections", {"text": "情况不实"}, role="member")

    response = aid.post(
        f"/aid-cases/{case_id}/objections/1/answer", {"outcome": "upheld", "answer": "属实"}, role="approver2"
    )

    assert response.json()["result"]["status"] == "cancelled"
    assert mutual_aid_balance(aid)["reserved"]["amount_fen"] == 0


def test_an_answer_is_refused_with_objection_answerer_not_approver_for_the_bookkeeper(aid):
    case_id = applied(aid)
    aid.post(f"/aid-cases/{case_id}/objections", {"text": "情况不实"}, role="member")

    response = aid.post(
        f"/aid-cases/{case_id}/objections/1/answer", {"outcome": "upheld", "answer": "x"}, role="bookkeeper"
    )

    assert error_of(response) == (403, "objection_answerer_not_approver")


def test_an_answer_is_refused_with_objection_not_found_for_an_unknown_number(aid):
    case_id = applied(aid)

    response = aid.post(
        f"/aid-cases/{case_id}/objections/7/answer", {"outcome": "upheld", "answer": "x"}, role="approver1"
    )

    assert error_of(response) == (404, "objection_not_found")


def test_a_rejection_by_an_approver_closes_the_case(aid):
    case_id = applied(aid)

    response = aid.post(f"/aid-cases/{case_id}/rejection", {"reason": "不符合条件"}, role="approver1")

    assert response.json()["result"]["status"] == "rejected"
    assert error_of(sign(aid, case_id, "approver2")) == (409, "aid_case_not_awaiting_signatures")


def test_a_cancellation_is_refused_with_role_required_for_a_member(aid):
    case_id = applied(aid)

    response = aid.post(f"/aid-cases/{case_id}/cancellation", {"reason": "撤回"}, role="member")

    assert error_of(response) == (403, "role_required")


def test_a_cancellation_is_refused_with_aid_case_closed_once_paid(aid):
    case_id = applied(aid)
    sign(aid, case_id, "approver1")
    aid.ledger.today = lambda: AFTER_WINDOW
    pay(aid, case_id)

    response = aid.post(f"/aid-cases/{case_id}/cancellation", {"reason": "撤回"}, role="approver1")

    assert error_of(response) == (409, "aid_case_closed")


# --- lists --------------------------------------------------------------------------------------
def test_cases_waiting_for_an_approver_leave_out_those_signed_by_them_or_already_approved(aid):
    small = applied(aid)
    two = applied(aid, requested="800.00")
    other = applied(aid, requested="600.00")
    sign(aid, small, "approver1")
    sign(aid, two, "approver1")

    mine = aid.get("/aid-cases", role="approver1", waiting_for="me").json()
    theirs = aid.get("/aid-cases", role="approver1", waiting_for=aid.users["approver2"]).json()

    assert [c["case_id"] for c in mine["data"]] == [other]
    assert [c["case_id"] for c in theirs["data"]] == [two, other]
    assert theirs["count"] == 2


def test_cases_of_the_community_are_not_listed_for_a_member_of_a_branch(aid):
    applied(aid)

    listed = aid.get("/aid-cases", role="member").json()

    assert listed["data"] == [] and listed["count"] == 0


def test_the_case_list_is_refused_with_authentication_required_without_a_token(aid):
    response = aid.client.get("/aid-cases", headers=auth("fbk_wrong"))

    assert error_of(response) == (401, "token_invalid")


# --- objections on a voucher --------------------------------------------------------------------
def test_an_anonymous_objection_to_a_voucher_is_listed_then_answered_by_an_approver(aid):
    fund, voucher = aid.funds["mutual_aid"], aid.vouchers["mutual_aid"]
    raised = aid.post(
        f"/funds/{fund}/vouchers/{voucher}/objections", {"text": "金额不对", "anonymous": True}, role="member"
    )
    assert raised.status_code == 201, raised.text
    objection = raised.json()["result"]["objection_id"]

    answered = aid.post(
        f"/objections/{objection}/answer", {"outcome": "dismissed", "answer": "核对无误"}, role="approver1"
    )

    assert answered.json()["result"] == {"objection_id": objection, "outcome": "dismissed"}
    listed = aid.get(f"/funds/{fund}/objections", role="auditor").json()["data"]
    assert listed == [
        {
            "objection_id": objection,
            "voucher_no": voucher,
            "raised_on": "2025-07-10",
            "outcome": "dismissed",
            "escalated_on": None,
            "escalated_to_org_id": None,
        }
    ]


def test_an_objection_to_an_unknown_voucher_is_refused_with_voucher_not_found(aid):
    response = aid.post(
        f"/funds/{aid.funds['mutual_aid']}/vouchers/202507-099/objections", {"text": "x"}, role="member"
    )

    assert error_of(response) == (404, "voucher_not_found")


def test_a_voucher_objection_answer_is_refused_with_objection_answerer_not_approver_for_a_bookkeeper(aid):
    fund, voucher = aid.funds["mutual_aid"], aid.vouchers["mutual_aid"]
    raised = aid.post(f"/funds/{fund}/vouchers/{voucher}/objections", {"text": "金额不对"}, role="member")
    objection = raised.json()["result"]["objection_id"]

    response = aid.post(
        f"/objections/{objection}/answer", {"outcome": "upheld", "answer": "x"}, role="bookkeeper"
    )

    assert error_of(response) == (403, "objection_answerer_not_approver")


def test_a_voucher_objection_answer_is_refused_with_objection_not_found_for_an_unknown_id(aid):
    response = aid.post("/objections/nothing/answer", {"outcome": "upheld", "answer": "x"}, role="approver1")

    assert error_of(response) == (404, "objection_not_found")


# --- the service level of objections (R36, ADR 0031) ---------------------------------------------
def under_a_street(world: World) -> str:
    """A street committee above the community, with an approver of its own (``street``) and a
    community approver of branch B only (``approver_b``: neither organisation of the case)."""
    ledger = world.ledger
    street = ledger.register_organisation(
        actor=SEED, kind="street_committee", name_zh="和平街道党工委", established_on=date(2000, 1, 1)
    )["org_id"]
    ledger.change_organisation(
        world.orgs["community"],
        "reparent",
        actor=SEED,
        new_parent_org_id=street,
        effective_on=date(2025, 7, 1),
    )
    for key, org in (("street", street), ("approver_b", world.orgs["b"])):
        world.people[key] = ledger.register_person(actor=SEED, name_zh=f"{key}同志")["person_id"]
        world.users[key] = ledger.register_user(actor=SEED, person_id=world.people[key])["user_id"]
        ledger.change_role(world.users[key], "grant", actor=SEED, role="approver", org_id=org)
        world.tokens[key], _ = ledger.issue_token(world.users[key], actor=SEED)
    return street


def objected(aid: World) -> str:
    case_id = applied(aid)
    sign(aid, case_id, "approver1")
    raised = aid.post(
        f"/aid-cases/{case_id}/objections", {"text": "情况不实", "anonymous": True}, role="member"
    )
    assert raised.status_code == 201, raised.text
    return case_id


def test_an_objection_past_ten_days_is_escalated_once_to_the_street_and_still_blocks_payment(aid):
    street = under_a_street(aid)
    case_id = objected(aid)  # raised 2025-07-10: due 2025-07-20

    aid.ledger.today = lambda: date(2025, 7, 20)
    assert aid.post("/objections/escalations", {}, role="approver1").json()["result"]["escalated"] == []
    aid.ledger.today = lambda: date(2025, 7, 21)
    first = aid.post("/objections/escalations", {}, role="approver1")
    again = aid.post("/objections/escalations", {}, role="admin")

    assert first.status_code == 201, first.text
    assert first.json()["result"]["escalated"] == [
        {
            "case_id": case_id,
            "fund_id": aid.funds["mutual_aid"],
            "objection_no": "1",
            "escalated_to_org_id": street,
        }
    ]
    assert again.json()["result"]["escalated"] == []
    view = case_view(aid, case_id)
    assert view["escalated_objections"] == 1
    assert view["objections"] == [
        {
            "objection_no": "1",
            "raised_on": "2025-07-10",
            "answered_on": None,
            "escalated_on": "2025-07-21",
            "escalated_to_org_id": street,
        }
    ]
    assert error_of(pay(aid, case_id, paid_on=date(2025, 7, 21))) == (409, "aid_objection_unanswered")


def test_an_escalated_objection_is_answered_by_the_street_approver_and_the_case_is_then_paid(aid):
    under_a_street(aid)
    case_id = objected(aid)
    aid.ledger.today = lambda: date(2025, 7, 21)
    aid.post("/objections/escalations", {}, role="approver1")

    outsider = aid.post(
        f"/aid-cases/{case_id}/objections/1/answer",
        {"outcome": "dismissed", "answer": "x"},
        role="approver_b",
    )
    answered = aid.post(
        f"/aid-cases/{case_id}/objections/1/answer",
        {"outcome": "dismissed", "answer": "核实无误"},
        role="street",
    )

    assert error_of(outsider) == (403, "objection_answerer_not_approver")
    assert answered.status_code == 201, answered.text
    assert pay(aid, case_id, paid_on=date(2025, 7, 21)).status_code == 201
    view = case_view(aid, case_id)
    assert (view["escalated_objections"], view["objections"][0]["answered_on"]) == (0, "2025-07-21")


def test_the_escalation_is_refused_with_role_required_for_a_bookkeeper(aid):
    response = aid.post("/objections/escalations", {}, role="bookkeeper")

    assert error_of(response) == (403, "role_required")


def test_an_objection_of_the_top_organisation_is_listed_as_not_escalated(aid):
    case_id = objected(aid)  # the community has no organisation above it in this world
    aid.ledger.today = lambda: date(2025, 7, 21)

    result = aid.post("/objections/escalations", {}, role="admin").json()["result"]

    assert result["escalated"] == []
    assert result["not_escalated"] == [
        {"case_id": case_id, "fund_id": aid.funds["mutual_aid"], "objection_no": "1"}
    ]


def test_a_voucher_objection_past_the_service_level_is_escalated_and_listed_as_such(aid):
    street = under_a_street(aid)
    fund, voucher = aid.funds["mutual_aid"], aid.vouchers["mutual_aid"]
    aid.post(
        f"/funds/{fund}/vouchers/{voucher}/objections", {"text": "金额不对", "anonymous": True}, role="member"
    )
    aid.ledger.today = lambda: date(2025, 7, 21)

    escalated = aid.post("/objections/escalations", {}, role="admin").json()["result"]["escalated"]

    assert [(e["voucher_no"], e["escalated_to_org_id"]) for e in escalated] == [(voucher, street)]
    [listed] = aid.get(f"/funds/{fund}/objections", role="auditor").json()["data"]
    assert (listed["outcome"], listed["escalated_on"], listed["escalated_to_org_id"]) == (
        None,
        "2025-07-21",
        street,
    )


# --- the charter's standard range per kind of aid (R20) ------------------------------------------
def _mutual_aid_fund(world: World, policy: dict[str, Any]) -> dict[str, Any]:
    return {
        "owner_org_id": world.orgs["community"],
        "kind": "mutual_aid",
        "name_zh": "住院慰问金",
        "allowed_purposes": ["hardship_aid"],
        "custody": {"kind": "bank_account", "ref": "居委会账户"},
        "established_on": "2025-01-01",
        "policy": policy,
    }


def _fund_with_a_hospital_standard(world: World) -> str:
    policy = {
        "publicise_aid_first": False,
        "aid_standards": [{"aid_kind": "hospitalisation", "min_fen": 20_000, "max_fen": 50_000}],
    }
    response = world.post("/funds", _mutual_aid_fund(world, policy), role="admin")
    assert response.status_code == 201, response.text
    fund_id = response.json()["result"]["fund_id"]
    grant = {
        "occurred_on": "2025-07-01",
        "amount": "1000.00",
        "grant_kind": "dues_rebate",
        "grantor_name": "街道党工委",
        "doc_refs": ["拨款通知"],
    }
    assert world.post(f"/funds/{fund_id}/grants", grant, role="admin").status_code == 201
    return fund_id


def test_aid_above_the_charters_standard_needs_a_decision_reference_to_be_approved(aid):
    fund_id = _fund_with_a_hospital_standard(aid)
    within = applied(aid, fund_id=fund_id, requested="450.00")
    above = applied(aid, fund_id=fund_id, requested="600.00")

    assert (case_view(aid, within)["decision_required"], case_view(aid, above)["decision_required"]) == (
        False,
        True,
    )
    assert sign(aid, above, "approver1").status_code == 201
    refused = sign(aid, above, "approver2")
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "aid_decision_reference_required"
    assert sign(aid, above, "approver2", decision_ref="社区党委会议纪要-超标准").status_code == 201
    assert case_view(aid, above)["status"] == "approved"


def test_a_fund_with_malformed_aid_standards_is_refused_and_not_established(aid):
    standards = [{"aid_kind": "hospitalisation", "min_fen": 50_000, "max_fen": 20_000}]
    body = _mutual_aid_fund(aid, {"aid_standards": standards})
    before = aid.position()

    response = aid.post("/funds", body, role="admin")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "value_not_allowed"
    assert aid.position() == before
