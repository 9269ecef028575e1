"""An aid case over real HTTP, from application to payment, on a real ``fundbook serve``
(SQLite or PostgreSQL): two approvers sign, the 7-day notice window holds the payment back,
an anonymous objection blocks it until an approver answers, then the cashier pays and the
views show the reservation consumed; and a collection from assessment to refunds. The
server's business date moves through ``FUNDBOOK_TODAY_FILE`` (tests only, ADR 0030)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from ledger.application.bootstrap import build_ledger
from ledger.config import Settings
from tests.e2e.server import SEED_ACTOR, add_user, running_server, seed

POSITION = "X-Fundbook-Position"


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def served(database_url, tmp_path: Path):
    books = seed(database_url)
    ledger = build_ledger(Settings(database_url=database_url))
    try:
        people = {
            key: ledger.register_person(actor=SEED_ACTOR, name_zh=name)["person_id"]
            for key, name in (("approver1", "周书记"), ("approver2", "吴委员"), ("cashier", "钱出纳"))
        }
    finally:
        ledger.close()
    tokens = {
        "bookkeeper": add_user(database_url, books.bookkeeper_person, "bookkeeper", books.branch),
        "auditor": add_user(database_url, books.auditor_person, "auditor", books.community),
        "member": add_user(database_url, books.member, "member", books.branch),
        "approver1": add_user(database_url, people["approver1"], "approver", books.community),
        "approver2": add_user(database_url, people["approver2"], "approver", books.branch),
        "cashier": add_user(database_url, people["cashier"], "cashier", books.branch),
        "admin": add_user(database_url, people["cashier"], "admin", books.branch),
    }
    today = tmp_path / "today"
    today.write_text("2026-03-02", encoding="utf-8")
    extra = {"FUNDBOOK_TODAY_FILE": str(today)}
    with (
        running_server(database_url, extra) as base_url,
        httpx.Client(base_url=base_url, timeout=15.0) as client,
    ):
        yield client, books, tokens, today, people


def test_an_aid_case_walks_from_application_through_two_signatures_the_window_and_an_objection_to_payment(
    served,
):
    client, books, tokens, today, _ = served

    def post(url: str, body: dict, who: str) -> httpx.Response:
        return client.post(url, json=body, headers=auth(tokens[who]))

    donated = post(
        f"/funds/{books.fund}/donations",
        {
            "occurred_on": "2026-03-01",
            "amount": "1000.00",
            "donor_kind": "member",
            "donor_person_id": books.member,
            "doc_refs": ["收据 0001"],
        },
        "bookkeeper",
    )
    assert donated.status_code == 201, donated.text
    applied = post(
        "/aid-cases",
        {
            "fund_id": books.fund,
            "beneficiary_person_id": books.member,
            "applicant_person_id": books.member,
            "aid_kind": "hospitalisation",
            "requested": "800.00",
            "reason_private": "住院手术，自付部分较多",
            "reason_public_category": "慰问因病住院党员",
            "evidence_refs": ["住院发票-001"],
        },
        "bookkeeper",
    )
    assert applied.status_code == 201, applied.text
    case_id = applied.json()["result"]["case_id"]
    assert applied.json()["result"]["signatures_required"] == 2

    waiting = client.get(
        "/aid-cases",
        params={"waiting_for": "me", "min_position": applied.headers[POSITION]},
        headers=auth(tokens["approver2"]),
    )
    assert waiting.status_code == 200, waiting.text
    assert [c["case_id"] for c in waiting.json()["data"]] == [case_id]
    first = post(f"/aid-cases/{case_id}/signatures", {}, "approver1")
    assert first.json()["result"]["status"] == "applied"
    second = post(f"/aid-cases/{case_id}/signatures", {}, "approver2")
    assert second.status_code == 201, second.text
    assert second.json()["result"] == {
        "case_id": case_id,
        "status": "approved",
        "signatures": 2,
        "signatures_required": 2,
        "window_end": "2026-03-08",
    }

    payment = {"paid_on": "2026-03-02", "doc_refs": ["签收单-001"]}
    refused = post(f"/aid-cases/{case_id}/payment", payment, "cashier")
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "aid_notice_window_open")
    objection = post(f"/aid-cases/{case_id}/objections", {"text": "情况不实", "anonymous": True}, "member")
    assert objection.status_code == 201, objection.text

    today.write_text("2026-03-09", encoding="utf-8")
    payment["paid_on"] = "2026-03-09"
    blocked = post(f"/aid-cases/{case_id}/payment", payment, "cashier")
    assert (blocked.status_code, blocked.json()["error"]["code"]) == (409, "aid_objection_unanswered")
    number = objection.json()["result"]["objection_no"]
    answered = post(
        f"/aid-cases/{case_id}/objections/{number}/answer",
        {"outcome": "dismissed", "answer": "经核实符合条件"},
        "approver1",
    )
    assert answered.status_code == 201, answered.text
    paid = post(f"/aid-cases/{case_id}/payment", payment, "cashier")
    assert paid.status_code == 201, paid.text

    at = {"min_position": paid.headers[POSITION]}
    case = client.get(f"/aid-cases/{case_id}", params=at, headers=auth(tokens["auditor"])).json()
    assert (case["status"], case["paid_on"], case["open_objections"]) == ("paid", "2026-03-09", 0)
    assert len(case["signed_by"]) == 2
    balance = client.get(f"/funds/{books.fund}/balance", params=at, headers=auth(tokens["auditor"])).json()
    assert balance["balance"]["amount_fen"] == 20_000
    assert balance["reserved"]["amount_fen"] == 0
    journal = client.get(f"/funds/{books.fund}/journal", params=at, headers=auth(tokens["auditor"])).json()
    aid_row = next(r for r in journal["data"] if r["entry_kind"] == "aid")
    assert (aid_row["occurred_on"], aid_row["expense"]["amount_fen"]) == ("2026-03-09", 80_000)


def test_a_collection_walks_from_assessment_through_fees_and_a_purchase_to_refunds_and_closure(served):
    client, books, tokens, _, people = served

    def post(url: str, body: dict | None, who: str = "bookkeeper") -> httpx.Response:
        response = client.post(url, json=body, headers=auth(tokens[who]))
        assert response.status_code == 201, response.text
        return response

    fund = post(
        "/funds",
        {
            "owner_org_id": books.branch,
            "kind": "collection",
            "name_zh": "乒乓球台集资",
            "allowed_purposes": ["ping_pong_table"],
            "custody": {"kind": "cash_box"},
            "established_on": "2026-03-01",
        },
        "admin",
    ).json()["result"]["fund_id"]
    payers = [books.member, people["approver1"], people["approver2"]]
    post(f"/funds/{fund}/fees/assessment", {"basis": "per_head", "participants": payers, "fee": "200.00"})
    for n, person in enumerate(payers):
        body = {
            "occurred_on": "2026-03-02",
            "amount": "200.00",
            "person_id": person,
            "doc_refs": [f"收据{n}"],
        }
        post(f"/funds/{fund}/fees", body)
    post(
        f"/funds/{fund}/expenses",
        {
            "occurred_on": "2026-03-02",
            "amount": "590.00",
            "category": "ping_pong_table",
            "payee": "体育用品店",
            "handled_by": "经办人",
            "approved_by": "组长",
            "doc_refs": ["发票"],
        },
    )
    settled = post(f"/funds/{fund}/settlement", {"occurred_on": "2026-03-02", "doc_refs": ["结算公示"]})
    closed = post(f"/funds/{fund}/closure", None)

    at = {"min_position": closed.headers[POSITION]}
    members = client.get(f"/funds/{fund}/members", params=at, headers=auth(tokens["auditor"])).json()
    assert members["status"] == "closed"
    assert [m["refunded"]["amount"] for m in members["data"]] == ["3.34", "3.33", "3.33"]
    assert len(settled.json()["result"]["refund_vouchers"]) == 3
    balance = client.get(f"/funds/{fund}/balance", params=at, headers=auth(tokens["auditor"])).json()
    assert (balance["income"]["amount_fen"], balance["expense"]["amount_fen"]) == (60_000, 60_000)
    assert balance["balance"]["amount_fen"] == 0
