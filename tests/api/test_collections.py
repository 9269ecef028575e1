"""Collections over HTTP: a ping-pong table pooled by three people of branch A (a fund of kind
``collection``), fees assessed, paid, spent, settled with the surplus refunded, then closed;
per participant owed, paid, refunded; each refusal by code, 401 and 403."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.api.conftest import SEED, World, error_of


@pytest.fixture
def pooled(world: World) -> World:
    world.funds["pool"] = world.ledger.establish_fund(
        actor=SEED,
        owner_org_id=world.orgs["a"],
        kind="collection",
        name_zh="乒乓球台集资",
        allowed_purposes=["ping_pong_table"],
        custody={"kind": "cash_box"},
        established_on=date(2025, 7, 1),
    )["fund_id"]
    return world


def url(world: World, tail: str) -> str:
    return f"/funds/{world.funds['pool']}/{tail}"


def participants(world: World) -> list[str]:
    return [world.people[k] for k in ("member", "cashier", "auditor")]


def assess(world: World, **overrides: Any) -> Any:
    body = {"basis": "equal_split", "participants": participants(world), "target": "900.00", **overrides}
    return world.post(url(world, "fees/assessment"), body)


def fee(world: World, person: str, amount: str) -> Any:
    body = {"occurred_on": "2025-07-05", "amount": amount, "person_id": person, "doc_refs": ["收据"]}
    return world.post(url(world, "fees"), body)


def members(world: World) -> dict[str, Any]:
    response = world.get(url(world, "members"), role="auditor")
    assert response.status_code == 200, response.text
    return response.json()


def test_an_equal_split_is_owed_by_every_participant(pooled):
    assert assess(pooled).status_code == 201

    listed = members(pooled)

    assert listed["status"] == "open"
    assert [m["owed"]["amount"] for m in listed["data"]] == ["300.00", "300.00", "300.00"]


def test_a_collection_from_assessment_to_refunds_shows_owed_paid_and_refunded(pooled):
    assess(pooled)
    people = participants(pooled)
    for person, amount in zip(people, ("300.00", "300.00", "150.00"), strict=True):
        assert fee(pooled, person, amount).status_code == 201
    spent = pooled.post(
        url(pooled, "expenses"),
        {
            "occurred_on": "2025-07-06",
            "amount": "600.00",
            "category": "ping_pong_table",
            "payee": "体育用品店",
            "handled_by": "经办人",
            "approved_by": "组长",
            "doc_refs": ["发票"],
        },
    )
    assert spent.status_code == 201, spent.text

    settled = pooled.post(url(pooled, "settlement"), {"occurred_on": "2025-07-08", "doc_refs": ["结算表"]})

    assert settled.status_code == 201, settled.text
    assert len(settled.json()["result"]["refund_vouchers"]) == 3
    listed = members(pooled)
    assert listed["status"] == "settled"
    assert [m["refunded"]["amount_fen"] for m in listed["data"]] == [6_000, 6_000, 3_000]
    assert [m["outstanding"]["amount_fen"] for m in listed["data"]] == [0, 0, 15_000]
    assert pooled.post(url(pooled, "closure"), None).status_code == 201
    assert members(pooled)["status"] == "closed"


def test_assessing_twice_is_refused_with_collection_already_assessed(pooled):
    assess(pooled)

    assert error_of(assess(pooled)) == (409, "collection_already_assessed")


def test_assessing_an_activity_fund_is_refused_with_fund_not_a_collection(pooled):
    body = {"basis": "per_head", "participants": participants(pooled), "fee": "10.00"}

    response = pooled.post(f"/funds/{pooled.funds['activity_a']}/fees/assessment", body)

    assert error_of(response) == (422, "fund_not_a_collection")


def test_a_fee_from_someone_not_assessed_is_refused_with_fee_payer_not_participant(pooled):
    assess(pooled)

    assert error_of(fee(pooled, pooled.people["bookkeeper"], "10.00")) == (422, "fee_payer_not_participant")


def test_a_grant_into_the_collection_is_refused_with_collection_top_up_needs_transfer(pooled):
    body = {
        "occurred_on": "2025-07-05",
        "amount": "100.00",
        "grant_kind": "fiscal",
        "grantor_name": "社区",
        "doc_refs": ["拨款"],
    }

    response = pooled.post(url(pooled, "grants"), body)

    assert error_of(response) == (422, "collection_top_up_needs_transfer")


def test_closing_before_settlement_is_refused_with_collection_not_settled(pooled):
    assess(pooled)

    assert error_of(pooled.post(url(pooled, "closure"), None)) == (409, "collection_not_settled")


def test_a_fee_after_settlement_is_refused_with_collection_already_settled(pooled):
    assess(pooled)
    fee(pooled, pooled.people["member"], "300.00")
    pooled.post(url(pooled, "settlement"), {"occurred_on": "2025-07-08", "doc_refs": ["结算表"]})

    assert error_of(fee(pooled, pooled.people["cashier"], "300.00")) == (409, "collection_already_settled")


def test_assessing_is_refused_with_role_required_for_the_auditor(pooled):
    body = {"basis": "per_head", "participants": participants(pooled), "fee": "10.00"}

    response = pooled.post(url(pooled, "fees/assessment"), body, role="auditor")

    assert error_of(response) == (403, "role_required")


def test_members_are_refused_with_authentication_required_without_a_token(pooled):
    response = pooled.client.get(url(pooled, "members"))

    assert error_of(response) == (401, "authentication_required")
