"""Concurrent clients against a real ``fundbook serve`` over real HTTP: two API worker processes
on PostgreSQL, one on SQLite (a single file has one writer). 32 clients drain one fund; 32 send
the same Idempotency-Key; 32 reverse the same voucher. The fund never goes negative, every
acknowledged entry is in the journal exactly once, and nothing answers 5xx."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.conftest import is_postgres
from tests.e2e.server import add_user, running_server, seed

CLIENTS = 32
POSITION = "X-Fundbook-Position"
DEPOSIT_FEN = 10_000
PAYMENT = {
    "amount": "7.00",
    "category": "hardship_aid",
    "payee": "王*明",
    "handled_by": "李会计",
    "approved_by": "支部书记",
    "doc_refs": ["申请表"],
    "occurred_on": "2026-01-06",
}


@pytest.fixture(scope="module")
def served(request):
    # module scope: one server for the three scenarios (each uses its own fund)
    database_url = request.getfixturevalue("module_database_url")
    books = seed(database_url)
    token = add_user(database_url, books.bookkeeper_person, "bookkeeper", books.community)
    admin = add_user(database_url, books.auditor_person, "admin", books.community)
    workers = 2 if is_postgres() else 1
    with running_server(database_url, workers=workers) as base_url:
        yield base_url, books, {"Authorization": f"Bearer {token}"}, {"Authorization": f"Bearer {admin}"}


def new_fund(client: httpx.Client, books, headers, admin) -> str:
    created = client.post(
        "/funds",
        json={
            "owner_org_id": books.branch,
            "kind": "mutual_aid",
            "name_zh": "互助金",
            "allowed_purposes": ["hardship_aid"],
            "custody": {"kind": "bank_account", "ref": "acct"},
            "established_on": "2025-01-01",
        },
        headers=admin,
    )
    assert created.status_code == 201, created.text
    fund = created.json()["result"]["fund_id"]
    deposit = client.post(
        f"/funds/{fund}/donations",
        json={
            "occurred_on": "2026-01-05",
            "amount": "100.00",
            "donor_kind": "member",
            "donor_person_id": books.member,
            "doc_refs": ["收据"],
        },
        headers=headers,
    )
    assert deposit.status_code == 201, deposit.text
    return fund


def in_parallel(base_url: str, calls: list) -> list[httpx.Response]:
    def run(call):
        with httpx.Client(base_url=base_url, timeout=60.0) as client:
            return [call(client)]

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        return [r for batch in pool.map(run, calls) for r in batch]


def journal(client, fund, headers, position) -> list[dict]:
    page = client.get(
        f"/funds/{fund}/journal", params={"page_size": 500, "min_position": position}, headers=headers
    )
    assert page.status_code == 200, page.text
    return page.json()["data"]


def test_32_clients_draining_one_fund_never_overdraw_it_and_every_acknowledged_payment_is_in_the_journal(
    served,
):
    base_url, books, headers, admin = served
    with httpx.Client(base_url=base_url, timeout=60.0) as client:
        fund = new_fund(client, books, headers, admin)

    def pay_three_times(client):
        return [client.post(f"/funds/{fund}/expenses", json=PAYMENT, headers=headers) for _ in range(3)]

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        answers = [
            r
            for batch in pool.map(lambda c: _with_client(base_url, pay_three_times), range(CLIENTS))
            for r in batch
        ]

    assert all(r.status_code < 500 for r in answers), [r.text for r in answers if r.status_code >= 500]
    paid = [r for r in answers if r.status_code == 201]
    refused = [r.json()["error"]["code"] for r in answers if r.status_code != 201]
    assert set(refused) <= {"insufficient_funds", "concurrent_update_retry_exhausted"}
    assert len(paid) == DEPOSIT_FEN // 700  # 14 payments of 7.00 fit in 100.00; a 15th would overdraw
    vouchers = [r.json()["result"]["voucher_no"] for r in paid]
    last = max(int(r.headers[POSITION]) for r in paid)
    with httpx.Client(base_url=base_url, timeout=60.0) as client:
        rows = journal(client, fund, headers, last)
        balance = client.get(f"/funds/{fund}/balance", params={"min_position": last}, headers=headers).json()
    expenses = [row["voucher_no"] for row in rows if row["expense"]["amount_fen"] > 0]
    assert sorted(expenses) == sorted(vouchers) and len(set(vouchers)) == len(vouchers)
    assert balance["balance"]["amount_fen"] == DEPOSIT_FEN - 700 * len(paid) >= 0
    assert all(row["balance"]["amount_fen"] >= 0 for row in rows)


def _with_client(base_url, call):
    with httpx.Client(base_url=base_url, timeout=60.0) as client:
        return call(client)


def test_32_concurrent_requests_with_one_idempotency_key_record_one_entry(served):
    base_url, books, headers, admin = served
    with httpx.Client(base_url=base_url, timeout=60.0) as client:
        fund = new_fund(client, books, headers, admin)
    keyed = {**headers, "Idempotency-Key": f"same-key-{fund}"}
    answers = in_parallel(
        base_url,
        [lambda c: c.post(f"/funds/{fund}/expenses", json=PAYMENT, headers=keyed)] * CLIENTS,
    )
    assert [r.status_code for r in answers] == [201] * CLIENTS, {r.text for r in answers}
    assert len({r.json()["result"]["voucher_no"] for r in answers}) == 1
    last = max(int(r.headers[POSITION]) for r in answers)
    with httpx.Client(base_url=base_url, timeout=60.0) as client:
        rows = journal(client, fund, headers, last)
    assert [row["expense"]["amount_fen"] for row in rows] == [0, 700]


def test_32_concurrent_reversals_of_one_voucher_make_one_reversal(served):
    base_url, books, headers, admin = served
    with httpx.Client(base_url=base_url, timeout=60.0) as client:
        fund = new_fund(client, books, headers, admin)
        paid = client.post(f"/funds/{fund}/expenses", json=PAYMENT, headers=headers)
        assert paid.status_code == 201, paid.text
    voucher = paid.json()["result"]["voucher_no"]
    body = {"voucher_no": voucher, "occurred_on": "2026-01-07", "reason": "重复支付"}
    answers = in_parallel(
        base_url, [lambda c: c.post(f"/funds/{fund}/reversals", json=body, headers=headers)] * CLIENTS
    )
    codes = sorted(r.status_code for r in answers)
    assert codes == [201] + [409] * (CLIENTS - 1), {r.text for r in answers}
    assert {r.json()["error"]["code"] for r in answers if r.status_code == 409} <= {
        "voucher_already_reversed",
        "concurrent_update_retry_exhausted",
    }
    last = max(int(r.headers[POSITION]) for r in answers if r.status_code == 201)
    with httpx.Client(base_url=base_url, timeout=60.0) as client:
        rows = journal(client, fund, headers, last)
    assert len(rows) == 3 and rows[-1]["balance"]["amount_fen"] == DEPOSIT_FEN
