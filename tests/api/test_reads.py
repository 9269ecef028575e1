"""A fund's journal and its statements over HTTP."""

from __future__ import annotations

import pytest

from tests.api.conftest import World, auth, error_of


def donate(world: World, amount: str = "100.50", on: str = "2025-07-05") -> int:
    body = {
        "occurred_on": on,
        "amount": amount,
        "donor_kind": "resident",
        "donor_name": "居民",
        "doc_refs": ["收据"],
    }
    response = world.post(f"/funds/{world.funds['activity_a']}/donations", body)
    assert response.status_code == 201, response.text
    return int(response.headers["X-Fundbook-Position"])


def test_journal_shows_a_write_with_its_running_balance_when_read_at_its_position(world):
    position = donate(world)
    response = world.client.get(
        f"/funds/{world.funds['activity_a']}/journal",
        params={"min_position": position},
        headers=world.h("auditor"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["count"], body["page"], body["page_size"]) == (2, 1, 50)
    first, second = body["data"]
    assert (first["voucher_no"], first["entry_kind"]) == ("202507-001", first["entry_kind"])
    assert first["income"] == {"amount": "500.00", "amount_fen": 50000}
    assert second["income"] == {"amount": "100.50", "amount_fen": 10050}
    assert second["expense"] == {"amount": "0.00", "amount_fen": 0}
    assert second["balance"] == {"amount": "600.50", "amount_fen": 60050}
    assert second["position"] == position
    assert not any(key.endswith("_fen") for key in second)


def test_journal_is_paginated_when_page_size_is_one(world):
    donate(world)
    body = world.get(f"/funds/{world.funds['activity_a']}/journal", "cashier", page=2, page_size=1).json()
    assert (body["count"], len(body["data"]), body["data"][0]["voucher_no"]) == (2, 1, "202507-002")


def test_journal_is_filtered_when_periods_exclude_every_entry(world):
    body = world.get(
        f"/funds/{world.funds['activity_a']}/journal", "auditor", period_from="2025-01", period_to="2025-06"
    ).json()
    assert (body["count"], body["data"]) == (0, [])


@pytest.mark.parametrize("page_size", [0, 501, "many"])
def test_journal_is_refused_with_invalid_request_when_page_size_is_out_of_range(world, page_size):
    response = world.get(f"/funds/{world.funds['activity_a']}/journal", "auditor", page_size=page_size)
    assert error_of(response) == (422, "invalid_request")
    assert [f["field"] for f in response.json()["error"]["details"]["fields"]] == ["query.page_size"]


def test_journal_is_refused_with_invalid_request_when_min_position_is_negative(world):
    response = world.client.get(
        f"/funds/{world.funds['activity_a']}/journal?min_position=-1", headers=world.h("auditor")
    )
    assert error_of(response) == (422, "invalid_request")


def test_journal_is_refused_with_fund_not_found_when_the_fund_does_not_exist(world):
    response = world.get("/funds/00000000-0000-0000-0000-000000000000/journal", "auditor")
    assert error_of(response) == (404, "fund_not_found")


def test_journal_is_refused_with_role_required_when_the_bookkeeper_reads_another_branch(world):
    response = world.get(f"/funds/{world.funds['activity_b']}/journal", "bookkeeper")
    assert error_of(response) == (403, "role_required")


def test_journal_is_refused_with_role_required_when_a_member_of_the_branch_reads_it(world):
    """The books name payees whatever their consent: a member reads the internal board instead,
    even of their own branch's fund (ADR 0013)."""
    response = world.get(f"/funds/{world.funds['activity_a']}/journal", "member")
    assert error_of(response) == (403, "role_required")
    assert "data" not in response.json()


def test_journal_is_read_when_the_auditor_of_the_community_reads_a_branch_fund(world):
    body = world.get(f"/funds/{world.funds['activity_b']}/journal", "auditor").json()
    assert [row["counterparty"] for row in body["data"]] == ["街道党工委"]


def test_journal_is_refused_with_authentication_required_when_no_token_is_sent(world):
    response = world.client.get(f"/funds/{world.funds['activity_a']}/journal")
    assert error_of(response) == (401, "authentication_required")


def test_journal_is_refused_with_token_invalid_when_the_token_is_unknown(world):
    response = world.client.get(f"/funds/{world.funds['activity_a']}/journal", headers=auth("x"))
    assert error_of(response) == (401, "token_invalid")


# --- statements -----------------------------------------------------------------------------------
def test_statement_totals_a_provisional_month_when_the_month_is_open(world):
    position = donate(world)
    response = world.client.get(
        f"/funds/{world.funds['activity_a']}/statements/2025-07",
        params={"min_position": position},
        headers=world.h("auditor"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["fund_id"], body["period"], body["start"], body["end"]) == (
        world.funds["activity_a"],
        "2025-07",
        "2025-07-01",
        "2025-07-31",
    )
    assert body["opening"] == {"amount": "0.00", "amount_fen": 0}
    assert body["income"] == {"amount": "600.50", "amount_fen": 60050}
    assert body["closing"] == {"amount": "600.50", "amount_fen": 60050}
    assert body["cash"] == {"amount": "600.50", "amount_fen": 60050}
    assert body["closed"] is False
    assert [r["voucher_no"] for r in body["rows"]] == ["202507-001", "202507-002"]


def test_statement_is_closed_when_its_month_was_closed(world):
    closed = world.post(f"/funds/{world.funds['activity_a']}/periods/close", {"period": "2025-06"})
    assert closed.status_code == 201, closed.text
    body = world.get(f"/funds/{world.funds['activity_a']}/statements/2025-06", "bookkeeper").json()
    assert body["closed"] is True
    assert "2025-06" in body["months_closed"]


def test_statement_covers_a_quarter_when_the_period_is_a_quarter(world):
    body = world.get(f"/funds/{world.funds['mutual_aid']}/statements/2025-Q3", "auditor").json()
    assert (body["start"], body["end"]) == ("2025-07-01", "2025-09-30")
    assert body["income"] == {"amount": "1000.00", "amount_fen": 100000}


def test_statement_is_refused_with_period_invalid_when_the_period_is_malformed(world):
    response = world.get(f"/funds/{world.funds['activity_a']}/statements/July", "auditor")
    assert error_of(response) == (422, "period_invalid")


def test_statement_pages_concatenate_to_the_whole_statement_when_following_next_link(world):
    for day, amount in (("2025-07-05", "1.00"), ("2025-07-05", "2.00"), ("2025-07-09", "3.00")):
        donate(world, amount, day)
    url = f"/funds/{world.funds['activity_a']}/statements/2025-07"
    whole = world.get(url, "auditor").json()
    assert (whole["row_count"], len(whole["rows"]), whole["next"], whole["prev"]) == (4, 4, None, None)
    body, rows = world.get(url, "auditor", limit=1).json(), []
    while True:
        assert (body["income"], body["closing"], body["row_count"]) == (whole["income"], whole["closing"], 4)
        rows += body["rows"]
        if body["next_link"] is None:
            break
        body = world.client.get(body["next_link"], headers=world.h("auditor")).json()
        assert body["prev_link"] is not None
    assert rows == whole["rows"]
    back = world.client.get(body["prev_link"], headers=world.h("auditor")).json()
    assert back["rows"] == whole["rows"][2:3]


@pytest.mark.parametrize("cursor", ["junk", "MjAyNS0wNi0zMHwxfDIwMjUwNi0wMDE"])
def test_statement_is_refused_with_statement_cursor_invalid_when_the_cursor_is_bad(world, cursor):
    url = f"/funds/{world.funds['activity_a']}/statements/2025-07"
    response = world.get(url, "auditor", after=cursor)  # garbage; a day of June for July
    assert error_of(response) == (422, "statement_cursor_invalid")
    assert "翻页参数" in response.json()["error"]["message"]


@pytest.mark.parametrize("limit", [0, 2001, "many"])
def test_statement_is_refused_with_invalid_request_when_the_limit_is_out_of_range(world, limit):
    response = world.get(f"/funds/{world.funds['activity_a']}/statements/2025-07", "auditor", limit=limit)
    assert error_of(response) == (422, "invalid_request")
    assert [f["field"] for f in response.json()["error"]["details"]["fields"]] == ["query.limit"]


def test_statement_is_refused_with_fund_not_found_when_the_fund_does_not_exist(world):
    response = world.get("/funds/00000000-0000-0000-0000-000000000000/statements/2025-07", "auditor")
    assert error_of(response) == (404, "fund_not_found")


def test_statement_is_refused_with_role_required_when_the_cashier_reads_another_branch(world):
    response = world.get(f"/funds/{world.funds['activity_b']}/statements/2025-07", "cashier")
    assert error_of(response) == (403, "role_required")


@pytest.mark.parametrize("period", ["2025-07", "2025-Q3", "2025"])
def test_statement_is_refused_with_role_required_when_a_member_of_the_branch_reads_it(world, period):
    response = world.get(f"/funds/{world.funds['activity_a']}/statements/{period}", "member")
    assert error_of(response) == (403, "role_required")
    assert "rows" not in response.json()


def test_the_member_still_reads_the_balance_and_the_internal_board_of_their_branch_fund(world):
    fund = world.funds["activity_a"]
    balance = world.get(f"/funds/{fund}/balance", "member")
    board = world.get(f"/board/internal/{fund}/2025-07", "member", format="json")
    assert balance.json()["balance"] == {"amount": "500.00", "amount_fen": 50000}
    assert board.status_code == 200 and board.json()["audience"] == "internal"


def test_statement_is_refused_with_authentication_required_when_no_token_is_sent(world):
    response = world.client.get(f"/funds/{world.funds['activity_a']}/statements/2025-07")
    assert error_of(response) == (401, "authentication_required")
