"""Gifts in kind and the asset register over HTTP (ADR 0140), on the seeded world: branch A's
activity fund (cash box, 500.00) buys a printer on an expense voucher; a partner unit pays a
wall repair directly (a gift in kind of a service) and gives a water dispenser (goods).
Balances never move for a gift; each refusal by its code."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import World, error_of


def gift(**overrides: Any) -> dict[str, Any]:
    body = {
        "received_on": "2025-07-02",
        "kind": "service",
        "value": "8000.00",
        "donor_kind": "partner_unit",
        "donor_name": "区供电公司",
        "public_summary": "共建单位直接支付活动室墙面修缮",
        "description": "对方直接付给施工队",
        "supplier": "某某装修队",
        "evidence_refs": ["来函扫描件"],
    }
    return {**body, **overrides}


def bought(world: World) -> str:
    body = {
        "occurred_on": "2025-07-06",
        "amount": "300.00",
        "category": "activities",
        "payee": "办公用品店",
        "handled_by": "出纳",
        "approved_by": "书记",
        "doc_refs": ["发票001"],
    }
    response = world.post(f"/funds/{world.funds['activity_a']}/expenses", body)
    assert response.status_code == 201, response.text
    return response.json()["result"]["voucher_no"]


def asset(world: World, voucher_no: str | None, **overrides: Any) -> dict[str, Any]:
    body = {
        "acquired_on": "2025-07-06",
        "source": "purchase",
        "value": "300.00",
        "public_name": "打印机",
        "keeper_person_id": world.people["member"],
        "place": "活动室",
        "fund_id": world.funds["activity_a"],
        "voucher_no": voucher_no,
    }
    return {**body, **overrides}


def balances(world: World) -> dict[str, str]:
    rows = world.get("/funds/balances", "auditor").json()["data"]
    return {row["fund_id"]: row["balance"]["amount"] for row in rows}


def test_gift_in_kind_is_listed_at_its_value_and_no_balance_changes_when_a_partner_pays_a_supplier(world):
    before = balances(world)

    response = world.post(
        f"/organisations/{world.orgs['a']}/gifts-in-kind", gift(fund_id=world.funds["activity_a"])
    )

    assert response.status_code == 201, response.text
    assert response.json()["result"]["gift_no"] == "K2025-001"
    listed = world.get(f"/organisations/{world.orgs['a']}/gifts-in-kind", "member").json()
    [row] = listed["data"]
    assert (row["kind"], row["value"]["amount"], row["donor_name"]) == ("service", "8000.00", "区供电公司")
    assert "description" not in row and "supplier" not in row
    assert listed["total"]["amount_fen"] == 800_000
    assert balances(world) == before


def test_asset_bought_on_an_expense_voucher_is_registered_and_written_off_with_an_independent_approver(world):
    voucher = bought(world)
    url = f"/organisations/{world.orgs['a']}/assets"
    assert world.post(url, asset(world, voucher)).status_code == 201

    refused = world.post(
        f"{url}/A2025-001/write-off",
        {"written_off_on": "2025-07-08", "approved_by": world.people["member"], "reason": "损坏"},
    )
    done = world.post(
        f"{url}/A2025-001/write-off",
        {"written_off_on": "2025-07-08", "approved_by": world.people["auditor"], "reason": "损坏"},
    )

    assert error_of(refused) == (403, "write_off_approver_not_independent")
    assert done.status_code == 201, done.text
    body = world.get(url, "auditor").json()
    [row] = body["data"]
    assert (row["asset_no"], row["voucher_no"], row["written_off_on"]) == ("A2025-001", voucher, "2025-07-08")
    assert body["in_use"]["amount_fen"] == 0
    again = world.post(
        f"{url}/A2025-001/write-off",
        {"written_off_on": "2025-07-09", "approved_by": world.people["auditor"], "reason": "再次"},
    )
    assert error_of(again) == (409, "asset_already_written_off")


def test_asset_is_refused_when_its_source_cannot_pay_for_it(world):
    voucher = bought(world)
    url = f"/organisations/{world.orgs['a']}/assets"
    grant = world.vouchers["activity_a"]

    too_much = world.post(url, asset(world, voucher, value="300.01"))
    not_expense = world.post(url, asset(world, grant))
    other_org = world.post(url, asset(world, voucher, fund_id=world.funds["activity_b"]))
    service = world.post(f"/organisations/{world.orgs['a']}/gifts-in-kind", gift()).json()["result"][
        "gift_no"
    ]
    from_service = world.post(url, asset(world, voucher, source="in_kind", gift_no=service, fund_id=None))
    early = world.post(url, asset(world, voucher, acquired_on="2025-07-05"))

    assert error_of(too_much) == (422, "asset_value_exceeds_source")
    assert error_of(not_expense) == (422, "asset_voucher_not_expense")
    assert error_of(other_org) == (422, "asset_fund_not_owned")
    assert error_of(from_service) == (404, "gift_in_kind_not_found")
    assert error_of(early) == (422, "asset_dated_before_source")
    assert world.get(url, "auditor").json()["data"] == []


def test_gift_of_goods_enters_the_register_up_to_its_value(world):
    gifts = f"/organisations/{world.orgs['a']}/gifts-in-kind"
    gift_no = world.post(gifts, gift(kind="goods", supplier=None, value="600.00")).json()["result"]["gift_no"]
    url = f"/organisations/{world.orgs['a']}/assets"
    dispenser = {"source": "in_kind", "gift_no": gift_no, "fund_id": None, "acquired_on": "2025-07-03"}

    first = world.post(url, asset(world, None, **dispenser, value="400.00"))
    second = world.post(url, asset(world, None, **dispenser, value="200.01"))

    assert first.status_code == 201, first.text
    assert error_of(second) == (422, "asset_value_exceeds_source")


def test_gift_in_kind_is_refused_when_its_public_text_holds_a_phone_or_it_has_no_evidence(world):
    url = f"/organisations/{world.orgs['a']}/gifts-in-kind"

    phone = world.post(url, gift(public_summary="联系 13812345678"))
    no_evidence = world.post(url, gift(evidence_refs=[]))
    as_member = world.post(url, gift(), role="member")

    assert error_of(phone) == (422, "public_text_has_phone")
    assert error_of(no_evidence)[0] == 422
    assert error_of(as_member) == (403, "role_required")
    assert world.get(url, "auditor").json()["data"] == []
