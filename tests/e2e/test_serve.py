"""A real ``fundbook serve`` process over real HTTP: tokens made by ``fundbook user add``, a
donation, an expense and its reversal, a refused write, and read-your-writes by log position.
Runs on SQLite or PostgreSQL, whichever the ``database_url`` fixture gives."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.server import add_user, running_server, seed

POSITION = "X-Fundbook-Position"


@pytest.fixture
def served(database_url):
    books = seed(database_url)
    tokens = {
        "bookkeeper": add_user(database_url, books.bookkeeper_person, "bookkeeper", books.branch),
        "auditor": add_user(database_url, books.auditor_person, "auditor", books.community),
    }
    with running_server(database_url) as base_url, httpx.Client(base_url=base_url, timeout=15.0) as client:
        yield client, books, tokens


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_health_answers_without_a_token(served):
    client, _, _ = served

    health = client.get("/health")

    assert health.status_code == 200
    assert health.json()["status"] == "ok"


def test_writes_over_http_are_read_back_at_their_log_position(served):
    client, books, tokens = served
    bookkeeper = auth(tokens["bookkeeper"])

    donation = client.post(
        f"/funds/{books.fund}/donations",
        json={
            "occurred_on": "2026-01-05",
            "amount": "1680.32",
            "donor_kind": "member",
            "donor_person_id": books.member,
            "doc_refs": ["收据 0001"],
        },
        headers=bookkeeper,
    )
    assert donation.status_code == 201, donation.text
    expense = client.post(
        f"/funds/{books.fund}/expenses",
        json={
            "occurred_on": "2026-01-06",
            "amount": "500.10",
            "category": "hardship_aid",
            "payee": "王*明",
            "handled_by": "李会计",
            "approved_by": "支部书记",
            "doc_refs": ["申请表 0001"],
        },
        headers=bookkeeper,
    )
    assert expense.status_code == 201, expense.text
    voucher_no = expense.json()["result"]["voucher_no"]

    after_expense = client.get(
        f"/funds/{books.fund}/balance",
        params={"min_position": expense.headers[POSITION]},
        headers=bookkeeper,
    )
    assert after_expense.status_code == 200, after_expense.text
    assert after_expense.json()["balance"] == {"amount": "1180.22", "amount_fen": 118022}

    reversal = client.post(
        f"/funds/{books.fund}/reversals",
        json={"voucher_no": voucher_no, "occurred_on": "2026-01-07", "reason": "重复支付，红字冲销"},
        headers=bookkeeper,
    )
    assert reversal.status_code == 201, reversal.text
    position = int(reversal.headers[POSITION])
    assert position > int(expense.headers[POSITION]) > int(donation.headers[POSITION])

    balance = client.get(
        f"/funds/{books.fund}/balance", params={"min_position": position}, headers=auth(tokens["auditor"])
    )
    assert balance.status_code == 200, balance.text
    body = balance.json()
    assert body["fund_id"] == books.fund
    assert body["balance"] == {"amount": "1680.32", "amount_fen": 168032}
    assert body["income"]["amount_fen"] - body["expense"]["amount_fen"] == 168032


def test_an_auditor_may_read_but_not_write(served):
    client, books, tokens = served

    refused = client.post(
        f"/funds/{books.fund}/donations",
        json={
            "occurred_on": "2026-01-05",
            "amount": "10.00",
            "donor_kind": "member",
            "donor_person_id": books.member,
            "doc_refs": ["收据 0002"],
        },
        headers=auth(tokens["auditor"]),
    )

    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "role_required"
    assert POSITION not in refused.headers
    unsigned = client.get(f"/funds/{books.fund}/balance")
    assert unsigned.status_code == 401
    assert unsigned.json()["error"]["code"] == "authentication_required"
