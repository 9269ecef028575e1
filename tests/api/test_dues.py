"""A branch's dues book over HTTP (ADR 0160), on the seeded world: branch A's member (retired,
base 4,200.00, so 21.00 a month by the 2008 table) pays a quarter, with a voluntary extra; the
branch hands everything up to the community and receives a rebate that is not quite half.
Privacy: the member reads their own dues, B's bookkeeper reads nothing of A's, A's member reads
the branch's totals only. Each refusal by its code."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import SEED, World, error_of


def url(world: World, tail: str = "") -> str:
    return f"/organisations/{world.orgs['a']}/dues{tail}"


def base(world: World, **overrides: Any) -> dict[str, Any]:
    body = {
        "person_id": world.people["member"],
        "from_month": "2025-01",
        "category": "retired",
        "base": "4200.00",
    }
    return {**body, **overrides}


def payment(world: World, **overrides: Any) -> dict[str, Any]:
    body = {
        "person_id": world.people["member"],
        "months": ["2025-01", "2025-02", "2025-03"],
        "amount": "70.00",
        "paid_on": "2025-03-05",
        "receipt_ref": "党费收据0012",
    }
    return {**body, **overrides}


def created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    return response.json()["result"]


def recorded(world: World) -> None:
    settings = {"from_month": "2025-01", "decision_ref": "区委组织部文件", "rebate_share_bp": 5000}
    created(world.post(url(world, "/settings"), settings))
    assert created(world.post(url(world, "/bases"), base(world)))["standard_fen"] == 2_100
    created(world.post(url(world, "/payments"), payment(world)))
    hand_up = {"handed_on": "2025-04-01", "amount": "70.00", "receipt_ref": "银行回单"}
    created(world.post(url(world, "/hand-ups"), hand_up))


def balances(world: World) -> dict[str, str]:
    rows = world.get("/funds/balances", "auditor").json()["data"]
    return {row["fund_id"]: row["balance"]["amount"] for row in rows}


def other_bookkeeper(world: World) -> dict[str, str]:
    """A bookkeeper of branch B: another subtree than A's."""
    ledger = world.ledger
    person = ledger.register_person(actor=SEED, name_zh="乙支部会计")["person_id"]
    user = ledger.register_user(actor=SEED, person_id=person)["user_id"]
    ledger.change_role(user, "grant", actor=SEED, role="bookkeeper", org_id=world.orgs["b"])
    token, _ = ledger.issue_token(user, actor=SEED)
    return {"Authorization": f"Bearer {token}"}


def test_dues_book_shows_the_standard_beside_the_amount_and_nothing_held_when_handed_up(world):
    before = balances(world)
    recorded(world)
    rebate = {
        "received_on": "2025-07-02",
        "amount": "34.00",
        "period_from": "2025-01",
        "period_to": "2025-06",
    }
    answer = created(world.post(url(world, "/rebates"), rebate))
    assert (answer["expected_fen"], answer["difference_fen"], answer["warning"]) == (
        3_500,
        -100,
        "dues_rebate_differs_from_share",
    )

    book = world.get(url(world), "auditor").json()
    [paid] = book["payments"]
    assert (paid["amount"]["amount"], paid["standard"]["amount"], paid["difference"]["amount"]) == (
        "70.00",
        "63.00",
        "7.00",
    )
    assert paid["handup_no"] == "S2025-001"
    assert [m["month"] for m in book["months"]] == ["2025-01", "2025-02", "2025-03"]
    assert book["bases"][0]["standard"]["amount"] == "21.00"
    assert book["totals"]["held"]["amount_fen"] == 0
    assert book["totals"]["handed_up"]["amount"] == book["totals"]["collected"]["amount"] == "70.00"
    assert book["handups"][0]["to_org_id"] == world.orgs["community"]
    assert book["rebates"][0]["warning"] == "dues_rebate_differs_from_share"
    assert book["rebates"][0]["expected"]["amount"] == "35.00"
    assert balances(world) == before  # never a fund's money


def test_member_reads_their_own_dues_and_only_the_totals_of_the_branch_when_signed_in(world):
    recorded(world)
    own = world.get(f"/members/{world.people['member']}/dues", "member").json()
    assert [p["payment_no"] for p in own["payments"]] == ["D2025-001"]
    assert error_of(world.get(url(world), "member")) == (403, "role_required")
    totals = world.get(url(world, "/totals"), "member").json()
    assert set(totals) == {"org_id", "collected", "handed_up", "held", "rebates", "months"}
    assert totals["months"][0] == {
        "month": "2025-01",
        "paid_count": 1,
        "standard": {"amount": "21.00", "amount_fen": 2_100},
    }
    assert "person_id" not in str(totals)
    other = world.get(f"/members/{world.people['bookkeeper']}/dues", "member")
    assert error_of(other) == (403, "role_required")


def test_dues_of_a_branch_are_refused_when_the_user_is_of_another_subtree(world):
    recorded(world)
    headers = other_bookkeeper(world)
    client = world.client
    assert error_of(client.get(url(world), headers=headers)) == (403, "role_required")
    assert error_of(client.get(url(world, "/totals"), headers=headers)) == (403, "role_required")
    refused = client.post(url(world, "/payments"), json=payment(world, months=["2025-04"]), headers=headers)
    assert error_of(refused) == (403, "role_required")
    theirs = client.get(f"/members/{world.people['member']}/dues", headers=headers)
    assert error_of(theirs) == (403, "role_required")  # the member never belonged to B


@pytest.mark.parametrize(
    ("tail", "body", "expected"),
    [
        (
            "/payments",
            {"months": ["2025-04"], "amount": "21.00", "receipt_ref": "收据\x00"},
            "control_character",
        ),
        ("/payments", {"months": ["2025-03"]}, "dues_month_already_paid"),
        ("/payments", {"months": ["2024-12"]}, "dues_base_not_declared"),
        ("/payments", {"months": ["2025-04"], "amount": 21}, "amount_float_not_allowed"),
        (
            "/hand-ups",
            {"handed_on": "2025-04-02", "amount": "1.00", "receipt_ref": "回单"},
            "dues_nothing_to_hand_up",
        ),
        (
            "/payments/D2025-001/reversal",
            {"reversed_on": "2025-04-02", "reason": "录错"},
            "dues_payment_handed_up",
        ),
        ("/bases", {"category": "retired", "from_month": "2025-02"}, "dues_base_before_paid_month"),
        ("/bases", {"category": "retired\x07", "from_month": "2025-07"}, "control_character"),
    ],
)
def test_dues_are_refused_by_code_when_a_rule_is_broken(world, tail, body, expected):
    recorded(world)
    full = {**(payment(world) if tail == "/payments" else base(world) if tail == "/bases" else {}), **body}
    response = world.post(url(world, tail), full)
    assert response.status_code in (409, 422), response.text
    assert response.json()["error"]["code"] == expected


def test_hand_up_of_a_part_is_refused_and_the_whole_is_taken_when_a_payment_was_reversed(world):
    recorded(world)
    created(world.post(url(world, "/payments"), payment(world, months=["2025-04"], amount="210.00")))
    created(
        world.post(
            url(world, "/payments/D2025-002/reversal"), {"reversed_on": "2025-07-01", "reason": "多录"}
        )
    )
    created(
        world.post(url(world, "/payments"), payment(world, months=["2025-04", "2025-05"], amount="42.00"))
    )
    part = {"handed_on": "2025-07-02", "amount": "21.00", "receipt_ref": "回单"}
    assert error_of(world.post(url(world, "/hand-ups"), part)) == (422, "dues_hand_up_not_whole")
    whole = created(world.post(url(world, "/hand-ups"), {**part, "amount": "42.00"}))
    assert whole["handup_no"] == "S2025-002"
    book = world.get(url(world), "bookkeeper").json()
    assert [p["reversed_on"] for p in book["payments"]] == [None, "2025-07-01", None]
    assert book["totals"]["collected"]["amount"] == "112.00"
    assert book["totals"]["held"]["amount_fen"] == 0


def test_payments_csv_keeps_a_formula_like_name_as_text_when_exported(world):
    ledger = world.ledger
    hostile = ledger.register_person(actor=SEED, name_zh="=cmd|' /C calc'!A0")["person_id"]
    ledger.change_person(
        hostile,
        "join_branch",
        actor=SEED,
        org_id=world.orgs["a"],
        effective_on=world.ledger.today().replace(year=2020),
        membership_status="full",
        category="retired",
    )
    recorded(world)
    created(world.post(url(world, "/bases"), base(world, person_id=hostile)))
    created(world.post(url(world, "/payments"), payment(world, person_id=hostile, amount="63.00")))

    response = world.get(url(world, "/payments.csv"), "auditor")

    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    lines = response.text.splitlines()
    assert lines[0].startswith("payment_no,member,months")
    hostile_line = next(line for line in lines if line.startswith("D2025-002"))
    assert ",'=" in hostile_line and ",=" not in hostile_line
    assert hostile_line.endswith(",63.00,63.00,0.00,,")
    assert error_of(world.get(url(world, "/payments.csv"), "member")) == (403, "role_required")
