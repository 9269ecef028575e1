"""Custody handovers over HTTP (R22): ``POST /funds/{id}/handovers`` by the owner's admin, the
refusals with their codes and statuses, idempotency, and the fund's handovers read back from
the views by its custodians and auditors."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import error_of


@pytest.fixture
def held(world):
    """A's activity fund (500.00 in the cash box from 2025-07-01): its cashier and bookkeeper
    assigned from 2025-06-01."""
    url = f"/funds/{world.funds['activity_a']}/custodians"
    for role in ("cashier", "bookkeeper"):
        body = {"role": role, "person_id": world.people[role], "from_date": "2025-06-01"}
        assert world.post(url, body, role="admin").status_code == 201
    return world


def handover(world, **overrides: Any) -> dict[str, Any]:
    body = {
        "role": "cashier",
        "to_person_id": world.people["member"],
        "supervisor_person_id": world.people["auditor"],
        "handed_over_on": "2025-07-08",
        "cash_counted": "500.00",
        "bank_balance": "0.00",
        "inventory_ref": "移交清单-2025-07",
    }
    return {**body, **overrides}


def post(world, body: dict[str, Any], role: str = "admin", fund: str = "activity_a", **headers: str) -> Any:
    return world.post(f"/funds/{world.funds[fund]}/handovers", body, role=role, **headers)


def test_handover_is_recorded_and_read_back_with_its_count_when_the_admin_records_it(held):
    response = post(held, handover(held, cash_counted="499.50", difference_note="短款0.50元，经办人补足"))

    assert response.status_code == 201, response.text
    assert response.json()["result"] == {
        "fund_id": held.funds["activity_a"],
        "role": "cashier",
        "from_person_id": held.people["cashier"],
        "to_person_id": held.people["member"],
        "handed_over_on": "2025-07-08",
        "cash_difference": {"amount": "-0.50", "amount_fen": -50},
        "bank_difference": {"amount": "0.00", "amount_fen": 0},
    }
    read = held.get(f"/funds/{held.funds['activity_a']}/handovers", "auditor")
    assert read.status_code == 200, read.text
    body = read.json()
    assert body["count"] == 1
    [row] = body["data"]
    assert (row["from_person_id"], row["to_person_id"], row["supervisor_person_id"]) == (
        held.people["cashier"],
        held.people["member"],
        held.people["auditor"],
    )
    assert row["book_cash"] == {"amount": "500.00", "amount_fen": 50_000}
    assert row["cash_counted"] == {"amount": "499.50", "amount_fen": 49_950}
    assert row["cash_difference"] == {"amount": "-0.50", "amount_fen": -50}
    assert row["bank_difference"] == {"amount": "0.00", "amount_fen": 0}
    assert (row["difference_note"], row["inventory_ref"]) == ("短款0.50元，经办人补足", "移交清单-2025-07")
    assert row["last_voucher_no"] == held.vouchers["activity_a"]
    assert row["recorded_by"] == held.users["admin"]


def test_handovers_are_read_by_the_funds_bookkeeper_and_refused_to_a_member(held):
    assert post(held, handover(held)).status_code == 201
    url = f"/funds/{held.funds['activity_a']}/handovers"

    assert held.get(url, "bookkeeper").json()["count"] == 1
    assert error_of(held.get(url, "member")) == (403, "role_required")


def test_handovers_of_a_fund_without_any_are_an_empty_list(held):
    body = held.get(f"/funds/{held.funds['activity_b']}/handovers", "auditor").json()
    assert body == {"data": [], "count": 0}


def test_handovers_are_refused_with_fund_not_found_when_the_fund_does_not_exist(held):
    response = held.get("/funds/00000000-0000-0000-0000-000000000000/handovers", "auditor")
    assert error_of(response) == (404, "fund_not_found")


def test_custodian_assignment_is_refused_with_custodian_change_needs_handover_when_held(held):
    body = {"role": "cashier", "person_id": held.people["member"], "from_date": "2025-07-08"}
    response = held.post(f"/funds/{held.funds['activity_a']}/custodians", body, role="admin")
    assert error_of(response) == (409, "custodian_change_needs_handover")


def test_entry_is_refused_with_entry_before_handover_when_dated_before_it(held):
    assert post(held, handover(held)).status_code == 201
    body = {
        "occurred_on": "2025-07-07",
        "amount": "10.00",
        "donor_kind": "resident",
        "donor_name": "热心居民",
        "doc_refs": ["收据"],
    }
    response = held.post(f"/funds/{held.funds['activity_a']}/donations", body)
    assert error_of(response) == (409, "entry_before_handover")
    assert (
        held.post(
            f"/funds/{held.funds['activity_a']}/donations", {**body, "occurred_on": "2025-07-08"}
        ).status_code
        == 201
    )


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"role": "bookkeeper", "fund": "activity_b"}, (409, "custodian_not_assigned")),
        ({"to_person_id": "cashier"}, (422, "handover_to_same_person")),
        ({"supervisor_person_id": "cashier"}, (403, "handover_supervisor_not_independent")),
        ({"supervisor_person_id": "member"}, (403, "handover_supervisor_not_independent")),
        ({"to_person_id": "bookkeeper"}, (403, "cashier_cannot_be_bookkeeper")),
        ({"handed_over_on": "2025-07-11"}, (422, "date_in_future")),
        ({"handed_over_on": "2024-12-31"}, (422, "date_before_established")),
        ({"handed_over_on": "2025-05-31"}, (422, "handover_before_holder_began")),
        ({"handed_over_on": "2025-06-30"}, (422, "handover_before_latest_entry")),
        ({"inventory_ref": None}, (422, "handover_inventory_required")),
        ({"inventory_ref": " "}, (422, "handover_inventory_required")),
        ({"cash_counted": "-1.00"}, (422, "amount_negative")),
        ({"bank_balance": 0}, (422, "amount_float_not_allowed")),
        ({"cash_counted": "5.001"}, (422, "amount_too_many_decimals")),
        ({"cash_counted": "499.99"}, (422, "handover_difference_unexplained")),
        ({"bank_balance": "0.01"}, (422, "handover_difference_unexplained")),
        ({"role": "treasurer"}, (422, "value_not_allowed")),
        ({"supervisor_person_id": "00000000-0000-0000-0000-000000000000"}, (404, "person_not_found")),
        ({"to_person_id": "00000000-0000-0000-0000-000000000000"}, (404, "person_not_found")),
        ({"cash_counted": None}, (422, "amount_float_not_allowed")),
        ({"witness": "someone"}, (422, "invalid_request")),
    ],
)
def test_handover_is_refused_with_its_code_and_status(held, overrides, expected):
    fund = overrides.pop("fund", "activity_a")
    if fund == "activity_b":  # B's fund has a cashier only
        body = {"role": "cashier", "person_id": held.people["cashier"], "from_date": "2025-06-01"}
        assert held.post(f"/funds/{held.funds[fund]}/custodians", body, role="admin").status_code == 201
    for key in ("to_person_id", "supervisor_person_id"):
        if overrides.get(key) in held.people:
            overrides[key] = held.people[overrides[key]]
    position = held.position()

    response = post(held, handover(held, **overrides), fund=fund)

    assert error_of(response) == expected, response.text
    assert held.position() == position  # nothing written


def test_handover_is_refused_with_role_required_when_the_funds_bookkeeper_records_it(held):
    assert error_of(post(held, handover(held), role="bookkeeper")) == (403, "role_required")


def test_handover_is_refused_with_fund_not_found_when_the_fund_does_not_exist(held):
    response = held.post(
        "/funds/00000000-0000-0000-0000-000000000000/handovers", handover(held), role="admin"
    )
    assert error_of(response) == (404, "fund_not_found")


def test_retried_handover_returns_the_first_answer_and_records_once_with_the_same_key(held):
    first = post(held, handover(held), **{"Idempotency-Key": "h-1"})
    position = held.position()

    again = post(held, handover(held), **{"Idempotency-Key": "h-1"})

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert held.position() == position
    other = post(held, handover(held, inventory_ref="另一份清单"), **{"Idempotency-Key": "h-1"})
    assert error_of(other) == (409, "idempotency_key_reused_with_different_request")
