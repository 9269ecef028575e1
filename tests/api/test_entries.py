"""Money in and out of a fund over HTTP: each entry endpoint's success, its main refusals,
401, 403, idempotency and read-your-writes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import World, auth, error_of


def donation(**overrides: Any) -> dict[str, Any]:
    body = {
        "occurred_on": "2025-07-05",
        "amount": "100.50",
        "donor_kind": "resident",
        "donor_name": "热心居民",
        "doc_refs": ["收据001"],
    }
    return {**body, **overrides}


def expense(**overrides: Any) -> dict[str, Any]:
    body = {
        "occurred_on": "2025-07-06",
        "amount": "80.00",
        "category": "activities",
        "payee": "茶叶店",
        "handled_by": "出纳",
        "approved_by": "书记",
        "doc_refs": ["发票001"],
    }
    return {**body, **overrides}


def journal(world: World, fund: str, position: str | int, role: str = "auditor") -> list[dict[str, Any]]:
    response = world.client.get(
        f"/funds/{world.funds[fund]}/journal", params={"min_position": position}, headers=world.h(role)
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]


# --- donations ------------------------------------------------------------------------------------
def test_donation_is_recorded_and_read_back_when_the_bookkeeper_posts_it(world):
    response = world.post(f"/funds/{world.funds['activity_a']}/donations", donation())
    assert response.status_code == 201, response.text
    result = response.json()["result"]
    assert result == {"fund_id": world.funds["activity_a"], "voucher_no": "202507-002"}
    rows = journal(world, "activity_a", response.headers["X-Fundbook-Position"])
    row = next(r for r in rows if r["voucher_no"] == "202507-002")
    assert row["income"] == {"amount": "100.50", "amount_fen": 10050}
    assert row["balance"] == {"amount": "600.50", "amount_fen": 60050}


def test_donation_is_refused_with_amount_float_not_allowed_when_the_amount_is_a_json_number(world):
    response = world.post(f"/funds/{world.funds['activity_a']}/donations", donation(amount=100.5))
    assert error_of(response) == (422, "amount_float_not_allowed")


def test_donation_is_refused_with_amount_float_not_allowed_when_the_amount_is_a_json_integer(world):
    response = world.post(f"/funds/{world.funds['activity_a']}/donations", donation(amount=100))
    assert error_of(response) == (422, "amount_float_not_allowed")


def test_donation_is_refused_with_amount_too_many_decimals_when_the_amount_has_three(world):
    response = world.post(f"/funds/{world.funds['activity_a']}/donations", donation(amount="1.005"))
    assert error_of(response) == (422, "amount_too_many_decimals")


@pytest.mark.parametrize("amount", ["0", "0.00", "-5.00"])
def test_donation_is_refused_with_an_amount_code_when_the_amount_is_not_positive(world, amount):
    response = world.post(f"/funds/{world.funds['activity_a']}/donations", donation(amount=amount))
    status, code = error_of(response)
    assert status == 422 and code.startswith("amount_"), response.text


def test_donation_is_refused_with_source_document_required_when_no_doc_refs_are_given(world):
    response = world.post(f"/funds/{world.funds['activity_a']}/donations", donation(doc_refs=[]))
    assert error_of(response) == (422, "source_document_required")


def test_donation_is_refused_with_date_in_future_when_dated_after_today(world):
    response = world.post(f"/funds/{world.funds['activity_a']}/donations", donation(occurred_on="2025-07-11"))
    assert error_of(response) == (422, "date_in_future")


def test_donation_is_refused_with_fund_not_found_when_the_fund_does_not_exist(world):
    response = world.post("/funds/00000000-0000-0000-0000-000000000000/donations", donation())
    assert error_of(response) == (404, "fund_not_found")


def test_donation_is_refused_with_fund_not_found_when_the_fund_id_is_not_a_uuid(world):
    response = world.post("/funds/not-a-fund/donations", donation())
    assert error_of(response) == (404, "fund_not_found")


def test_donation_is_refused_with_authentication_required_when_no_token_is_sent(world):
    response = world.client.post(f"/funds/{world.funds['activity_a']}/donations", json=donation())
    assert error_of(response) == (401, "authentication_required")
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_donation_is_refused_with_token_invalid_when_the_token_is_unknown(world):
    response = world.client.post(
        f"/funds/{world.funds['activity_a']}/donations", json=donation(), headers=auth("fbk_nonsense")
    )
    assert error_of(response) == (401, "token_invalid")


def test_donation_is_refused_with_role_required_when_the_bookkeeper_writes_to_another_branch(world):
    response = world.post(f"/funds/{world.funds['activity_b']}/donations", donation())
    assert error_of(response) == (403, "role_required")


@pytest.mark.parametrize("role", ["auditor", "member", "cashier"])
def test_donation_is_refused_with_role_required_when_the_user_is_not_a_bookkeeper(world, role):
    response = world.post(f"/funds/{world.funds['activity_a']}/donations", donation(), role=role)
    assert error_of(response) == (403, "role_required")


def test_donation_is_accepted_when_the_admin_of_the_parent_community_posts_it(world):
    response = world.post(f"/funds/{world.funds['activity_b']}/donations", donation(), role="admin")
    assert response.status_code == 201, response.text


# --- idempotency ----------------------------------------------------------------------------------
def test_retried_donation_is_answered_identically_without_a_new_event_when_key_and_body_match(world):
    url = f"/funds/{world.funds['activity_a']}/donations"
    first = world.post(url, donation(), **{"Idempotency-Key": "k-1"})
    assert first.status_code == 201
    before = world.position()
    again = world.post(url, donation(), **{"Idempotency-Key": "k-1"})
    assert again.status_code == 201
    assert again.json() == first.json()
    assert world.position() == before
    rows = journal(world, "activity_a", world.position())
    assert [r["voucher_no"] for r in rows].count(first.json()["result"]["voucher_no"]) == 1


def test_retried_donation_is_refused_with_idempotency_key_reused_when_the_body_differs(world):
    url = f"/funds/{world.funds['activity_a']}/donations"
    assert world.post(url, donation(), **{"Idempotency-Key": "k-2"}).status_code == 201
    before = world.position()
    response = world.post(url, donation(amount="7.00"), **{"Idempotency-Key": "k-2"})
    assert error_of(response) == (409, "idempotency_key_reused_with_different_request")
    assert world.position() == before


def test_idempotency_key_is_refused_with_invalid_request_when_longer_than_100_characters(world):
    url = f"/funds/{world.funds['activity_a']}/donations"
    response = world.post(url, donation(), **{"Idempotency-Key": "k" * 101})
    assert error_of(response) == (422, "invalid_request")


# --- grants, interest -----------------------------------------------------------------------------
def test_grant_is_recorded_when_the_bookkeeper_posts_it(world):
    body = {
        "occurred_on": "2025-07-02",
        "amount": "300.00",
        "grant_kind": "dues_rebate",
        "grantor_name": "街道党工委",
        "doc_refs": ["拨款单"],
    }
    response = world.post(f"/funds/{world.funds['activity_a']}/grants", body)
    assert response.status_code == 201, response.text
    assert response.json()["result"]["voucher_no"] == "202507-002"
    rows = journal(world, "activity_a", response.headers["X-Fundbook-Position"])
    assert rows[-1]["income"] == {"amount": "300.00", "amount_fen": 30000}


def test_grant_is_refused_with_value_not_allowed_when_the_grant_kind_is_unknown(world):
    body = {
        "occurred_on": "2025-07-02",
        "amount": "300.00",
        "grant_kind": "gift",
        "grantor_name": "街道",
        "doc_refs": ["x"],
    }
    response = world.post(f"/funds/{world.funds['activity_a']}/grants", body)
    assert error_of(response) == (422, "value_not_allowed")


def test_interest_is_credited_to_the_bank_when_the_fund_is_kept_in_a_bank(world):
    body = {"occurred_on": "2025-07-03", "amount": "1.23", "bank_ref": "结息单"}
    response = world.post(f"/funds/{world.funds['mutual_aid']}/interest", body, role="admin")
    assert response.status_code == 201, response.text
    balance = world.get(f"/funds/{world.funds['mutual_aid']}/balance", "auditor").json()
    assert balance["bank"] == {"amount": "1001.23", "amount_fen": 100123}


def test_interest_is_refused_with_interest_requires_bank_account_when_the_fund_is_a_cash_box(world):
    body = {"occurred_on": "2025-07-03", "amount": "1.23", "bank_ref": "结息单"}
    response = world.post(f"/funds/{world.funds['activity_a']}/interest", body)
    assert error_of(response) == (422, "interest_requires_bank_account")


def test_interest_is_refused_with_role_required_when_the_bookkeeper_has_no_role_there(world):
    body = {"occurred_on": "2025-07-03", "amount": "1.23", "bank_ref": "结息单"}
    response = world.post(f"/funds/{world.funds['mutual_aid']}/interest", body)
    assert error_of(response) == (403, "role_required")


# --- expenses -------------------------------------------------------------------------------------
def test_expense_is_paid_and_lowers_the_balance_when_within_the_fund(world):
    response = world.post(f"/funds/{world.funds['activity_a']}/expenses", expense())
    assert response.status_code == 201, response.text
    rows = journal(world, "activity_a", response.headers["X-Fundbook-Position"])
    assert rows[-1]["expense"] == {"amount": "80.00", "amount_fen": 8000}
    assert rows[-1]["balance"] == {"amount": "420.00", "amount_fen": 42000}


def test_expense_is_refused_with_insufficient_funds_when_above_the_balance(world):
    response = world.post(f"/funds/{world.funds['activity_a']}/expenses", expense(amount="500.01"))
    assert error_of(response) == (409, "insufficient_funds")


def test_expense_is_refused_with_purpose_not_allowed_when_the_category_is_not_in_the_charter(world):
    response = world.post(f"/funds/{world.funds['activity_a']}/expenses", expense(category="banquet"))
    assert error_of(response) == (422, "purpose_not_allowed")


def test_expense_is_refused_with_handler_cannot_approve_when_handler_and_approver_are_the_same(world):
    body = expense(handled_by="书记", approved_by="书记")
    response = world.post(f"/funds/{world.funds['activity_a']}/expenses", body)
    assert error_of(response) == (403, "handler_cannot_approve")


def test_expense_is_refused_with_role_required_when_the_auditor_posts_it(world):
    response = world.post(f"/funds/{world.funds['activity_a']}/expenses", expense(), role="auditor")
    assert error_of(response) == (403, "role_required")


def test_expense_is_refused_with_authentication_required_when_no_token_is_sent(world):
    response = world.client.post(f"/funds/{world.funds['activity_a']}/expenses", json=expense())
    assert error_of(response) == (401, "authentication_required")


# --- stipends -------------------------------------------------------------------------------------
def stipend(world: World, **overrides: Any) -> dict[str, Any]:
    body = {
        "occurred_on": "2025-07-05",
        "amount": "50.00",
        "person_id": world.people["member"],
        "months": ["2025-06"],
        "handled_by": "出纳",
        "doc_refs": ["签收单"],
    }
    return {**body, **overrides}


def test_stipend_is_paid_when_the_secretary_held_office_that_month(world):
    response = world.post(f"/funds/{world.funds['activity_a']}/stipends", stipend(world))
    assert response.status_code == 201, response.text
    rows = journal(world, "activity_a", response.headers["X-Fundbook-Position"])
    assert rows[-1]["expense"] == {"amount": "50.00", "amount_fen": 5000}
    assert rows[-1]["person_id"] == world.people["member"]


def test_stipend_is_refused_with_stipend_already_paid_when_the_month_was_paid(world):
    url = f"/funds/{world.funds['activity_a']}/stipends"
    assert world.post(url, stipend(world)).status_code == 201
    assert error_of(world.post(url, stipend(world))) == (409, "stipend_already_paid")


def test_stipend_is_refused_with_stipend_not_allowed_from_mutual_aid_when_paid_from_mutual_aid(world):
    response = world.post(f"/funds/{world.funds['mutual_aid']}/stipends", stipend(world), role="admin")
    assert error_of(response) == (422, "stipend_not_allowed_from_mutual_aid")


def test_stipend_is_refused_with_stipend_recipient_not_in_office_when_before_the_appointment(world):
    response = world.post(f"/funds/{world.funds['activity_a']}/stipends", stipend(world, months=["2024-12"]))
    status, code = error_of(response)
    assert status == 422 and code in ("stipend_recipient_not_in_office", "stipend_months_invalid")


def test_stipend_is_refused_with_person_not_found_when_the_recipient_does_not_exist(world):
    body = stipend(world, person_id="00000000-0000-0000-0000-000000000000")
    response = world.post(f"/funds/{world.funds['activity_a']}/stipends", body)
    assert error_of(response) == (404, "person_not_found")


def test_stipend_is_refused_with_invalid_request_naming_months_when_months_is_empty(world):
    response = world.post(f"/funds/{world.funds['activity_a']}/stipends", stipend(world, months=[]))
    assert error_of(response) == (422, "invalid_request")
    assert [f["field"] for f in response.json()["error"]["details"]["fields"]] == ["months"]


# --- cash moves -----------------------------------------------------------------------------------
def cash_move(**overrides: Any) -> dict[str, Any]:
    body = {
        "occurred_on": "2025-07-04",
        "amount": "100.00",
        "from_account": "cash",
        "to_account": "bank",
        "doc_refs": ["存款回单"],
    }
    return {**body, **overrides}


def test_cash_move_is_recorded_when_the_cashier_deposits_cash(world):
    response = world.post(f"/funds/{world.funds['activity_a']}/cash-moves", cash_move(), role="cashier")
    assert response.status_code == 201, response.text
    balance = world.get(f"/funds/{world.funds['activity_a']}/balance", "auditor").json()
    assert balance["cash"] == {"amount": "400.00", "amount_fen": 40000}
    assert balance["bank"] == {"amount": "100.00", "amount_fen": 10000}
    assert balance["balance"] == {"amount": "500.00", "amount_fen": 50000}


def test_cash_move_is_refused_with_cash_move_same_account_when_both_accounts_match(world):
    response = world.post(
        f"/funds/{world.funds['activity_a']}/cash-moves", cash_move(to_account="cash"), role="cashier"
    )
    assert error_of(response) == (422, "cash_move_same_account")


def test_cash_move_is_refused_with_insufficient_funds_when_more_than_the_cash_on_hand(world):
    response = world.post(
        f"/funds/{world.funds['activity_a']}/cash-moves", cash_move(amount="600.00"), role="cashier"
    )
    assert error_of(response) == (409, "insufficient_funds")


def test_cash_move_is_refused_with_role_required_when_the_cashier_moves_another_branchs_cash(world):
    response = world.post(f"/funds/{world.funds['activity_b']}/cash-moves", cash_move(), role="cashier")
    assert error_of(response) == (403, "role_required")


def test_reversal_of_a_cash_move_moves_the_money_back_when_the_bookkeeper_reverses_it(world):
    fund = world.funds["activity_a"]
    moved = world.post(f"/funds/{fund}/cash-moves", cash_move(), role="cashier").json()["result"]
    body = {"voucher_no": moved["voucher_no"], "occurred_on": "2025-07-05", "reason": "金额录错"}

    response = world.post(f"/funds/{fund}/reversals", body)

    assert response.status_code == 201, response.text
    balance = world.get(f"/funds/{fund}/balance", "auditor").json()
    assert (balance["cash"]["amount_fen"], balance["bank"]["amount_fen"]) == (50_000, 0)
    assert (balance["income"]["amount_fen"], balance["expense"]["amount_fen"]) == (50_000, 0)


def test_reversal_of_a_cash_move_is_refused_with_role_required_for_the_cashier_who_moved_it(world):
    """The cashier records moves but does not correct the books (R16, ADR 0033)."""
    fund = world.funds["activity_a"]
    moved = world.post(f"/funds/{fund}/cash-moves", cash_move(), role="cashier").json()["result"]
    body = {"voucher_no": moved["voucher_no"], "occurred_on": "2025-07-05", "reason": "金额录错"}

    assert error_of(world.post(f"/funds/{fund}/reversals", body, role="cashier")) == (403, "role_required")


def test_reversal_of_a_cash_move_is_refused_with_insufficient_funds_when_the_bank_money_was_spent(world):
    fund = world.funds["activity_a"]
    moved = world.post(f"/funds/{fund}/cash-moves", cash_move(amount="500.00"), role="cashier").json()
    spent = world.post(f"/funds/{fund}/expenses", expense(account="bank", amount="100.00"))
    assert spent.status_code == 201, spent.text
    body = {"voucher_no": moved["result"]["voucher_no"], "occurred_on": "2025-07-05", "reason": "金额录错"}

    assert error_of(world.post(f"/funds/{fund}/reversals", body)) == (409, "insufficient_funds")


# --- reversals ------------------------------------------------------------------------------------
def test_reversal_negates_the_voucher_when_the_bookkeeper_reverses_it(world):
    posted = world.post(f"/funds/{world.funds['activity_a']}/donations", donation())
    voucher = posted.json()["result"]["voucher_no"]
    body = {"voucher_no": voucher, "occurred_on": "2025-07-06", "reason": "录入错误"}
    response = world.post(f"/funds/{world.funds['activity_a']}/reversals", body)
    assert response.status_code == 201, response.text
    rows = journal(world, "activity_a", response.headers["X-Fundbook-Position"])
    assert rows[-1]["reverses_voucher_no"] == voucher
    assert rows[-1]["balance"] == {"amount": "500.00", "amount_fen": 50000}


def test_reversal_is_refused_with_voucher_already_reversed_when_reversed_twice(world):
    body = {"voucher_no": world.vouchers["activity_a"], "occurred_on": "2025-07-06", "reason": "重复"}
    url = f"/funds/{world.funds['activity_a']}/reversals"
    assert world.post(url, body).status_code == 201
    assert error_of(world.post(url, body)) == (409, "voucher_already_reversed")


def test_reversal_is_refused_with_voucher_not_found_when_the_voucher_does_not_exist(world):
    body = {"voucher_no": "202507-099", "occurred_on": "2025-07-06", "reason": "无此凭证"}
    response = world.post(f"/funds/{world.funds['activity_a']}/reversals", body)
    assert error_of(response) == (404, "voucher_not_found")


def test_reversal_is_refused_with_role_required_when_the_auditor_reverses(world):
    body = {"voucher_no": world.vouchers["activity_a"], "occurred_on": "2025-07-06", "reason": "x"}
    response = world.post(f"/funds/{world.funds['activity_a']}/reversals", body, role="auditor")
    assert error_of(response) == (403, "role_required")


# --- period closes --------------------------------------------------------------------------------
def test_period_close_closes_every_open_month_in_order_when_through_june(world):
    url = f"/funds/{world.funds['activity_a']}/periods/close"
    response = world.post(url, {"period": "2025-06", "reviewed_by": "member同志"})  # A's secretary
    assert response.status_code == 201, response.text
    assert response.json()["result"]["closed"] == [f"2025-0{m}" for m in range(1, 7)]


def test_entry_is_refused_with_period_closed_when_dated_in_a_closed_month(world):
    url = f"/funds/{world.funds['activity_a']}"
    assert world.post(f"{url}/periods/close", {"period": "2025-06"}).status_code == 201
    response = world.post(f"{url}/donations", donation(occurred_on="2025-06-15"))
    assert error_of(response) == (409, "period_closed")


def test_period_close_is_refused_with_period_not_ended_when_the_month_is_current(world):
    response = world.post(f"/funds/{world.funds['activity_a']}/periods/close", {"period": "2025-07"})
    assert error_of(response) == (422, "period_not_ended")


def test_period_close_is_refused_with_period_close_out_of_order_when_already_closed(world):
    url = f"/funds/{world.funds['activity_a']}/periods/close"
    assert world.post(url, {"period": "2025-03"}).status_code == 201
    assert error_of(world.post(url, {"period": "2025-02"})) == (409, "period_close_out_of_order")


def test_period_close_is_refused_with_period_invalid_when_the_period_is_malformed(world):
    response = world.post(f"/funds/{world.funds['activity_a']}/periods/close", {"period": "June"})
    assert error_of(response) == (422, "period_invalid")


def test_period_close_is_refused_with_role_required_when_the_auditor_closes(world):
    url = f"/funds/{world.funds['activity_a']}/periods/close"
    assert error_of(world.post(url, {"period": "2025-06"}, role="auditor")) == (403, "role_required")


# --- transfers between funds ----------------------------------------------------------------------
def transfer(world: World, source: str, target: str, **overrides: Any) -> dict[str, Any]:
    body = {
        "from_fund_id": world.funds[source],
        "to_fund_id": world.funds[target],
        "occurred_on": "2025-07-08",
        "amount": "50.00",
        "decision_ref": "支委会决议2025-3",
    }
    return {**body, **overrides}


def test_transfer_moves_money_between_two_funds_when_the_admin_records_it(world):
    response = world.post("/transfers", transfer(world, "activity_a", "activity_b"), role="admin")
    assert response.status_code == 201, response.text
    result = response.json()["result"]
    assert result["from_fund_id"] == world.funds["activity_a"]
    assert result["to_fund_id"] == world.funds["activity_b"]
    balances = {b["fund_id"]: b["balance"] for b in world.get("/funds/balances", "auditor").json()["data"]}
    assert balances[world.funds["activity_a"]] == {"amount": "450.00", "amount_fen": 45000}
    assert balances[world.funds["activity_b"]] == {"amount": "250.00", "amount_fen": 25000}


def test_transfer_is_refused_with_transfer_breaks_earmark_when_mutual_aid_leaves_its_kind(world):
    response = world.post("/transfers", transfer(world, "mutual_aid", "activity_a"), role="admin")
    assert error_of(response) == (422, "transfer_breaks_earmark")


def test_transfer_is_refused_with_transfer_to_same_fund_when_source_and_target_match(world):
    response = world.post("/transfers", transfer(world, "activity_a", "activity_a"))
    assert error_of(response) == (422, "transfer_to_same_fund")


def test_transfer_is_refused_with_insufficient_funds_when_above_the_source_balance(world):
    body = transfer(world, "activity_b", "activity_a", amount="200.01")
    assert error_of(world.post("/transfers", body, role="admin")) == (409, "insufficient_funds")


def test_transfer_is_refused_with_role_required_when_the_bookkeeper_lacks_the_target_branch(world):
    response = world.post("/transfers", transfer(world, "activity_a", "activity_b"))
    assert error_of(response) == (403, "role_required")


def test_transfer_is_refused_with_fund_not_found_when_the_target_does_not_exist(world):
    body = transfer(world, "activity_a", "activity_b", to_fund_id="00000000-0000-0000-0000-000000000001")
    assert error_of(world.post("/transfers", body)) == (404, "fund_not_found")


def test_transfer_reversal_reverses_both_vouchers_when_one_side_is_reversed(world):
    made = world.post("/transfers", transfer(world, "activity_a", "activity_b"), role="admin").json()
    body = {"voucher_no": made["result"]["from_voucher_no"], "occurred_on": "2025-07-09", "reason": "撤销"}
    response = world.post(f"/funds/{world.funds['activity_a']}/reversals", body, role="admin")
    assert response.status_code == 201, response.text
    assert response.json()["result"]["counterpart_fund_id"] == world.funds["activity_b"]


# --- segregation of duties (R16) over HTTP --------------------------------------------------------
def test_donation_is_refused_with_cashier_cannot_post_entries_when_posted_by_the_funds_cashier(world):
    assign = world.post(
        f"/funds/{world.funds['activity_a']}/custodians",
        {"role": "cashier", "person_id": world.people["bookkeeper"], "from_date": "2025-07-01"},
        role="admin",
    )
    assert assign.status_code == 201, assign.text
    response = world.post(f"/funds/{world.funds['activity_a']}/donations", donation())
    assert error_of(response) == (403, "cashier_cannot_post_entries")
