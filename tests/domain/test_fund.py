"""Fund: the money rules (R1–R16 of docs/concepts/rules.md), as given events → one command → then.

A refusal is checked by its code and by the absence of any new event: every test drains the
pending events right before its "when", so ``collect_events()`` afterwards is what the command
raised.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ledger.domain.context import Context
from ledger.domain.errors import LedgerError
from ledger.domain.fund import Fund, transfer_between
from ledger.domain.organisation import Organisation
from tests.domain.builders import (
    BANK_ACCOUNT,
    BOOKKEEPER,
    CASHIER,
    HANDLER,
    SECRETARY,
    a_branch,
    a_fund,
    ctx,
    donation,
    expense,
    given_cashier,
    given_closed,
    given_donation,
    given_expense,
    given_reversal,
    stipend,
)


# --- establishment -------------------------------------------------------------------------------
def test_fund_is_established_with_the_default_policy_of_its_kind_when_no_policy_is_given():
    fund = a_fund(kind="mutual_aid")

    [established] = fund.collect_events()

    assert isinstance(established, Fund.Created)
    assert established.policy["stipends_allowed"] is False
    assert established.policy["disclosure_cadence"] == "quarterly"
    assert established.custody == {"kind": "cash_box", "ref": None}


def test_fund_establishment_is_refused_with_purposes_required_when_no_purpose_is_listed():
    with pytest.raises(LedgerError) as excinfo:
        a_fund(allowed_purposes=[])

    assert excinfo.value.code == "purposes_required"


def test_fund_establishment_is_refused_with_date_in_future_when_established_after_today():
    with pytest.raises(LedgerError) as excinfo:
        a_fund(established_on=date(2025, 1, 11))

    assert excinfo.value.code == "date_in_future"


# --- R1 amounts ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("amount_fen", "code"),
    [
        (0, "amount_must_be_positive"),
        (-100, "amount_must_be_positive"),
        (100.0, "amount_float_not_allowed"),
        (True, "amount_invalid"),
        ("100", "amount_invalid"),
    ],
)
def test_donation_is_refused_with_an_amount_code_when_amount_is_not_positive_integer_fen(amount_fen, code):
    fund = a_fund()
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.receive_donation(ctx(), **donation(amount_fen=amount_fen))

    assert excinfo.value.code == code
    assert fund.collect_events() == []


def test_donation_is_refused_with_amount_above_maximum_when_above_the_policy_entry_max():
    fund = a_fund(policy={"entry_max_fen": 50_000})
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.receive_donation(ctx(), **donation(amount_fen=50_001))

    assert excinfo.value.code == "amount_above_maximum"
    assert excinfo.value.details == {"max_fen": 50_000}
    assert fund.collect_events() == []


def test_donation_is_accepted_when_amount_equals_the_policy_entry_max():
    fund = a_fund(policy={"entry_max_fen": 50_000})
    fund.collect_events()

    fund.receive_donation(ctx(), **donation(amount_fen=50_000))

    [received] = fund.collect_events()
    assert received.amount_fen == 50_000


# --- R2 balance ----------------------------------------------------------------------------------
def test_balance_is_income_minus_expense_after_a_sequence_of_entries():
    fund = a_fund()
    given_donation(fund, 30_000, on=date(2024, 12, 3))
    given_expense(fund, 12_000, on=date(2024, 12, 10))
    given_donation(fund, 5_000, on=date(2025, 1, 2))
    given_expense(fund, 8_000, on=date(2025, 1, 4))

    assert fund.balance_fen == (30_000 + 5_000) - (12_000 + 8_000)


def test_period_closed_carries_totals_where_closing_is_opening_plus_income_minus_expense():
    fund = a_fund()
    given_donation(fund, 30_000, on=date(2024, 12, 3))
    given_expense(fund, 12_000, on=date(2024, 12, 10))
    fund.move_cash(
        ctx(),
        occurred_on=date(2024, 12, 11),
        amount_fen=10_000,
        from_account="cash",
        to_account="bank",
        doc_refs=["存款单-01"],
    )
    given_closed(fund, "2024-12")
    given_donation(fund, 5_000, on=date(2025, 1, 2))
    given_expense(fund, 8_000, on=date(2025, 1, 4))
    fund.collect_events()

    fund.close_period(ctx(today=date(2025, 2, 1)), period="2025-01")

    [closed] = fund.collect_events()
    assert isinstance(closed, Fund.PeriodClosed)
    assert (closed.opening_fen, closed.income_fen, closed.expense_fen) == (18_000, 5_000, 8_000)
    assert closed.closing_fen == closed.opening_fen + closed.income_fen - closed.expense_fen
    assert (closed.cash_fen, closed.bank_fen) == (5_000, 10_000)
    assert closed.cash_fen + closed.bank_fen == closed.closing_fen


def test_period_closed_carries_zero_totals_when_the_period_had_no_entries():
    fund = a_fund()
    fund.collect_events()

    fund.close_period(ctx(), period="2024-12")

    [closed] = fund.collect_events()
    assert (closed.period, closed.opening_fen, closed.closing_fen) == ("2024-12", 0, 0)
    assert closed.closed_on == date(2025, 1, 10)


# --- R3 no overdraft -----------------------------------------------------------------------------
def test_expense_is_refused_with_insufficient_funds_when_above_the_balance():
    fund = a_fund()
    given_donation(fund, 10_000, on=date(2025, 1, 5))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.pay_expense(ctx(), **expense(amount_fen=10_001))

    assert excinfo.value.code == "insufficient_funds"
    assert excinfo.value.details["account"] == "cash"
    assert excinfo.value.details["available_fen"] == 10_000
    assert fund.collect_events() == []


def test_expense_is_accepted_when_it_spends_the_whole_balance():
    fund = a_fund()
    given_donation(fund, 10_000, on=date(2025, 1, 5))
    fund.collect_events()

    fund.pay_expense(ctx(), **expense(amount_fen=10_000))

    [paid] = fund.collect_events()
    assert isinstance(paid, Fund.ExpensePaid)
    assert fund.balance_fen == 0


def test_back_dated_expense_is_refused_with_insufficient_funds_when_later_donations_cover_it():
    fund = a_fund()
    given_donation(fund, 50_000, on=date(2025, 1, 5))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.pay_expense(ctx(), **expense(amount_fen=5_000, occurred_on=date(2025, 1, 3)))

    assert excinfo.value.code == "insufficient_funds"
    assert excinfo.value.details["date"] == "2025-01-03"
    assert fund.collect_events() == []


def test_reversal_of_a_donation_is_refused_with_insufficient_funds_when_its_money_was_spent():
    fund = a_fund()
    gift = given_donation(fund, 10_000, on=date(2025, 1, 2))
    given_expense(fund, 8_000, on=date(2025, 1, 3))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.reverse_entry(ctx(), voucher_no=gift, occurred_on=date(2025, 1, 4), reason="退款")

    assert excinfo.value.code == "insufficient_funds"
    assert fund.collect_events() == []


def test_bank_payment_is_refused_with_insufficient_funds_when_only_the_cash_box_holds_money():
    fund = a_fund()
    given_donation(fund, 10_000, on=date(2025, 1, 5), account="cash")
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.pay_expense(ctx(), **expense(amount_fen=5_000, account="bank"))

    assert excinfo.value.code == "insufficient_funds"
    assert excinfo.value.details["account"] == "bank"
    assert fund.collect_events() == []


def test_bank_payment_is_accepted_when_cash_was_first_moved_to_the_bank():
    fund = a_fund()
    given_donation(fund, 10_000, on=date(2025, 1, 5), account="cash")
    fund.move_cash(
        ctx(),
        occurred_on=date(2025, 1, 5),
        amount_fen=6_000,
        from_account="cash",
        to_account="bank",
        doc_refs=["存款单-01"],
    )
    fund.collect_events()

    fund.pay_expense(ctx(), **expense(amount_fen=5_000, account="bank"))

    [paid] = fund.collect_events()
    assert paid.account == "bank"
    assert fund.balances_fen == {"cash": 4_000, "bank": 1_000}


def test_cash_move_is_refused_with_insufficient_funds_when_above_the_cash_in_the_box():
    fund = a_fund()
    given_donation(fund, 10_000, on=date(2025, 1, 5))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.move_cash(
            ctx(),
            occurred_on=date(2025, 1, 6),
            amount_fen=10_001,
            from_account="cash",
            to_account="bank",
            doc_refs=["存款单-01"],
        )

    assert excinfo.value.code == "insufficient_funds"
    assert fund.collect_events() == []


def test_cash_move_is_refused_with_cash_move_same_account_when_from_and_to_are_the_same():
    fund = a_fund()
    given_donation(fund, 10_000, on=date(2025, 1, 5))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.move_cash(
            ctx(),
            occurred_on=date(2025, 1, 6),
            amount_fen=1_000,
            from_account="cash",
            to_account="cash",
            doc_refs=["存款单-01"],
        )

    assert excinfo.value.code == "cash_move_same_account"
    assert fund.collect_events() == []


# --- R4 voucher numbers --------------------------------------------------------------------------
def test_voucher_numbers_are_consecutive_per_month_and_restart_at_001_when_the_month_changes():
    fund = a_fund()

    numbers = [
        given_donation(fund, 1_000, on=date(2024, 12, 20)),
        given_donation(fund, 1_000, on=date(2024, 12, 21)),
        given_donation(fund, 1_000, on=date(2025, 1, 2)),
        given_donation(fund, 1_000, on=date(2025, 1, 3)),
        given_donation(fund, 1_000, on=date(2024, 12, 28)),
    ]

    assert numbers == ["202412-001", "202412-002", "202501-001", "202501-002", "202412-003"]
    assert [e.voucher_no for e in fund.collect_events()[1:]] == numbers


def test_voucher_number_is_not_consumed_when_a_command_is_refused():
    fund = a_fund()
    given_donation(fund, 1_000, on=date(2025, 1, 2))
    with pytest.raises(LedgerError):
        fund.pay_expense(ctx(), **expense(amount_fen=9_999))
    fund.collect_events()

    number = given_donation(fund, 1_000, on=date(2025, 1, 3))

    assert number == "202501-002"
    [received] = fund.collect_events()
    assert received.voucher_no == "202501-002"


# --- R5, R7 reversals ----------------------------------------------------------------------------
def test_reversal_negates_the_donation_exactly_when_a_voucher_is_reversed():
    fund = a_fund()
    gift = given_donation(fund, 10_000, on=date(2025, 1, 5), account="cash")
    fund.collect_events()

    number = fund.reverse_entry(ctx(), voucher_no=gift, occurred_on=date(2025, 1, 8), reason="重复录入")

    [reversed_] = fund.collect_events()
    assert isinstance(reversed_, Fund.EntryReversed)
    assert number == reversed_.voucher_no == "202501-002"
    assert (reversed_.amount_fen, reversed_.account) == (10_000, "cash")
    assert reversed_.reverses_voucher_no == gift
    assert reversed_.reverses_direction == 1
    assert reversed_.reverses_topic == "fundbook:Fund.DonationReceived"
    assert reversed_.reason == "重复录入"
    assert fund.balance_fen == 0


def test_reversal_of_an_expense_gives_the_money_back_when_the_expense_is_reversed():
    fund = a_fund()
    given_donation(fund, 10_000, on=date(2025, 1, 5))
    paid = given_expense(fund, 4_000, on=date(2025, 1, 6))
    fund.collect_events()

    given_reversal(fund, paid, on=date(2025, 1, 7))

    [reversed_] = fund.collect_events()
    assert reversed_.reverses_direction == -1
    assert fund.balance_fen == 10_000


def a_deposit(fund: Fund, amount_fen: int = 6_000, on: date = date(2025, 1, 5)) -> str:
    """Cash 10,000 received, then ``amount_fen`` of it deposited in the bank (存现)."""
    given_donation(fund, 10_000, on=on, account="cash")
    return fund.move_cash(
        ctx(),
        occurred_on=on,
        amount_fen=amount_fen,
        from_account="cash",
        to_account="bank",
        doc_refs=["存款单"],
    )


def test_reversal_of_a_cash_move_moves_the_money_back_and_is_neither_income_nor_expense():
    fund = a_fund()
    deposit = a_deposit(fund)
    fund.collect_events()

    number = given_reversal(fund, deposit, on=date(2025, 1, 6))

    [reversed_] = fund.collect_events()
    assert isinstance(reversed_, Fund.EntryReversed)
    assert number == reversed_.voucher_no == "202501-003"
    assert (reversed_.amount_fen, reversed_.account, reversed_.reverses_to_account) == (6_000, "cash", "bank")
    assert (reversed_.reverses_topic, reversed_.reverses_direction) == ("fundbook:Fund.CashMoved", 0)
    assert reversed_.postings() == [("2025-01-06", "cash", 6_000), ("2025-01-06", "bank", -6_000)]
    assert fund.balances_fen == {"cash": 10_000, "bank": 0}
    assert fund.period_totals["2025-01"] == [10_000, 0]


def test_a_withdrawal_reversed_puts_the_money_back_in_the_bank():
    fund = a_fund()
    a_deposit(fund)
    withdrawal = fund.move_cash(
        ctx(),
        occurred_on=date(2025, 1, 6),
        amount_fen=2_500,
        from_account="bank",
        to_account="cash",
        doc_refs=["取款单"],
    )
    fund.collect_events()

    given_reversal(fund, withdrawal, on=date(2025, 1, 7))

    assert fund.balances_fen == {"cash": 4_000, "bank": 6_000}


def test_reversal_of_a_cash_move_is_refused_with_insufficient_funds_when_the_bank_money_was_spent():
    fund = a_fund()
    deposit = a_deposit(fund)
    fund.pay_expense(ctx(), **expense(amount_fen=5_000, account="bank", occurred_on=date(2025, 1, 6)))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        given_reversal(fund, deposit, on=date(2025, 1, 7))

    assert (excinfo.value.code, excinfo.value.details["account"]) == ("insufficient_funds", "bank")
    assert fund.collect_events() == []
    assert fund.voucher(deposit)["reversed_by"] is None


def test_reversal_of_a_cash_move_is_refused_with_voucher_already_reversed_the_second_time():
    fund = a_fund()
    deposit = a_deposit(fund)
    given_reversal(fund, deposit, on=date(2025, 1, 6))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        given_reversal(fund, deposit, on=date(2025, 1, 7))

    assert excinfo.value.code == "voucher_already_reversed"
    assert fund.collect_events() == []


def test_the_cashier_who_may_move_cash_is_refused_its_reversal_with_cashier_cannot_post_entries():
    """R16: a reversal corrects the books; the cashier records a new move if money moved back."""
    fund = a_fund()
    given_cashier(fund)
    deposit = a_deposit(fund)
    fund.collect_events()
    as_cashier = Context(recorded_by="user-of-cashier", today=date(2025, 1, 10), acting_person=CASHIER)

    with pytest.raises(LedgerError) as excinfo:
        fund.reverse_entry(as_cashier, voucher_no=deposit, occurred_on=date(2025, 1, 6), reason="金额录错")

    assert excinfo.value.code == "cashier_cannot_post_entries"
    assert fund.collect_events() == []


def test_a_cash_move_recorded_before_a_snapshot_without_its_destination_is_still_moved_back():
    """Fund snapshots taken before ADR 0033 have no ``to_account`` on a move's record."""
    fund = a_fund()
    deposit = a_deposit(fund)
    del fund.vouchers[deposit][-1]["to_account"]  # its facts beside the short record
    fund.collect_events()

    given_reversal(fund, deposit, on=date(2025, 1, 6))

    [reversed_] = fund.collect_events()
    assert reversed_.reverses_to_account == "bank"
    assert fund.balances_fen == {"cash": 10_000, "bank": 0}


def test_reversal_is_refused_with_voucher_already_reversed_when_reversed_before():
    fund = a_fund()
    gift = given_donation(fund, 10_000, on=date(2025, 1, 5))
    given_reversal(fund, gift, on=date(2025, 1, 6))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        given_reversal(fund, gift, on=date(2025, 1, 7))

    assert excinfo.value.code == "voucher_already_reversed"
    assert fund.collect_events() == []


def test_reversal_is_refused_with_cannot_reverse_a_reversal_when_the_voucher_is_a_reversal():
    fund = a_fund()
    gift = given_donation(fund, 10_000, on=date(2025, 1, 5))
    red = given_reversal(fund, gift, on=date(2025, 1, 6))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        given_reversal(fund, red, on=date(2025, 1, 7))

    assert excinfo.value.code == "cannot_reverse_a_reversal"
    assert fund.collect_events() == []


def test_reversal_is_refused_with_voucher_not_found_when_the_fund_has_no_such_voucher():
    fund = a_fund()
    given_donation(fund, 10_000, on=date(2025, 1, 5))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        given_reversal(fund, "202501-009", on=date(2025, 1, 7))

    assert excinfo.value.code == "voucher_not_found"
    assert fund.collect_events() == []


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_reversal_is_refused_with_text_required_when_no_reason_is_given(reason):
    fund = a_fund()
    gift = given_donation(fund, 10_000, on=date(2025, 1, 5))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.reverse_entry(ctx(), voucher_no=gift, occurred_on=date(2025, 1, 6), reason=reason)

    assert excinfo.value.code == "text_required"
    assert excinfo.value.details == {"field": "reason"}
    assert fund.collect_events() == []


def test_reversal_is_refused_with_reversal_dated_before_original_when_dated_before_it():
    fund = a_fund()
    gift = given_donation(fund, 10_000, on=date(2025, 1, 5))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        given_reversal(fund, gift, on=date(2025, 1, 4))

    assert excinfo.value.code == "reversal_dated_before_original"
    assert fund.collect_events() == []


def test_reversal_is_refused_with_reversal_across_fiscal_year_when_the_original_is_last_year():
    fund = a_fund()
    gift = given_donation(fund, 10_000, on=date(2024, 12, 20))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        given_reversal(fund, gift, on=date(2025, 1, 5))

    assert excinfo.value.code == "reversal_across_fiscal_year"
    assert fund.collect_events() == []


def test_reversal_is_refused_with_reversal_across_fiscal_year_when_last_december_is_closed():
    fund = a_fund()
    gift = given_donation(fund, 10_000, on=date(2024, 12, 20))
    given_closed(fund, "2024-12")
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        given_reversal(fund, gift, on=date(2025, 1, 5))

    assert excinfo.value.code == "reversal_across_fiscal_year"
    assert fund.collect_events() == []


def test_reversed_income_counts_negatively_in_the_income_of_the_period_it_is_posted_in():
    fund = a_fund(established_on=date(2024, 11, 1))
    given_donation(fund, 50_000, on=date(2024, 11, 2))
    wrong = given_donation(fund, 30_000, on=date(2024, 11, 3))
    given_closed(fund, "2024-11")
    given_reversal(fund, wrong, on=date(2024, 12, 5))
    fund.collect_events()

    fund.close_period(ctx(), period="2024-12")

    [closed] = fund.collect_events()
    assert (closed.opening_fen, closed.income_fen, closed.expense_fen) == (80_000, -30_000, 0)
    assert closed.closing_fen == 50_000


def test_reversed_expense_counts_negatively_in_the_expense_of_the_period_it_is_posted_in():
    fund = a_fund(established_on=date(2024, 11, 1))
    given_donation(fund, 50_000, on=date(2024, 11, 2))
    paid = given_expense(fund, 20_000, on=date(2024, 11, 3))
    given_closed(fund, "2024-11")
    given_reversal(fund, paid, on=date(2024, 12, 5))
    fund.collect_events()

    fund.close_period(ctx(), period="2024-12")

    [closed] = fund.collect_events()
    assert (closed.opening_fen, closed.income_fen, closed.expense_fen) == (30_000, 0, -20_000)
    assert closed.closing_fen == 50_000


# --- R6 periods and dates ------------------------------------------------------------------------
def test_donation_is_refused_with_period_closed_when_dated_in_a_closed_period():
    fund = a_fund()
    given_closed(fund, "2024-12")
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.receive_donation(ctx(), **donation(occurred_on=date(2024, 12, 28)))

    assert excinfo.value.code == "period_closed"
    assert excinfo.value.details == {"period": "2024-12", "open_from": "2025-01"}
    assert fund.collect_events() == []


def test_close_is_refused_with_period_close_out_of_order_when_an_earlier_period_is_open():
    fund = a_fund()
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.close_period(ctx(today=date(2025, 2, 5)), period="2025-01")

    assert excinfo.value.code == "period_close_out_of_order"
    assert excinfo.value.details["expected"] == "2024-12"
    assert fund.collect_events() == []


def test_close_is_refused_with_period_close_out_of_order_when_the_period_is_closed_twice():
    fund = a_fund()
    given_closed(fund, "2024-12")
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.close_period(ctx(), period="2024-12")

    assert excinfo.value.code == "period_close_out_of_order"
    assert excinfo.value.details["expected"] == "2025-01"
    assert fund.collect_events() == []


@pytest.mark.parametrize("today", [date(2024, 11, 30), date(2024, 12, 15), date(2024, 12, 31)])
def test_close_is_refused_with_period_not_ended_when_today_is_before_or_within_it(today):
    fund = a_fund()
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.close_period(ctx(today=today), period="2024-12")

    assert excinfo.value.code == "period_not_ended"
    assert fund.collect_events() == []


def test_close_is_accepted_when_today_is_the_first_day_of_the_next_month():
    fund = a_fund()
    fund.collect_events()

    fund.close_period(ctx(today=date(2025, 1, 1)), period="2024-12")

    [closed] = fund.collect_events()
    assert closed.period == "2024-12"
    assert fund.first_open_period() == "2025-01"


def test_close_is_refused_with_period_invalid_when_the_period_is_malformed():
    fund = a_fund()
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.close_period(ctx(), period="2024-13")

    assert excinfo.value.code == "period_invalid"
    assert fund.collect_events() == []


def test_donation_is_refused_with_date_before_established_when_dated_before_the_fund():
    fund = a_fund(established_on=date(2024, 12, 1))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.receive_donation(ctx(), **donation(occurred_on=date(2024, 11, 30)))

    assert excinfo.value.code == "date_before_established"
    assert fund.collect_events() == []


def test_donation_is_refused_with_date_in_future_when_dated_after_today():
    fund = a_fund()
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.receive_donation(ctx(today=date(2025, 1, 10)), **donation(occurred_on=date(2025, 1, 11)))

    assert excinfo.value.code == "date_in_future"
    assert fund.collect_events() == []


# --- R8 source documents -------------------------------------------------------------------------
@pytest.mark.parametrize("doc_refs", [None, []])
def test_donation_is_refused_with_source_document_required_when_it_has_no_doc_refs(doc_refs):
    fund = a_fund()
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.receive_donation(ctx(), **donation(doc_refs=doc_refs))

    assert excinfo.value.code == "source_document_required"
    assert fund.collect_events() == []


def test_expense_is_refused_with_source_document_required_when_it_has_no_doc_refs():
    fund = a_fund()
    given_donation(fund, 10_000, on=date(2025, 1, 5))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.pay_expense(ctx(), **expense(doc_refs=[]))

    assert excinfo.value.code == "source_document_required"
    assert fund.collect_events() == []


def test_interest_is_refused_with_text_required_when_it_has_no_bank_ref():
    fund = a_fund(custody=BANK_ACCOUNT)
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.credit_interest(ctx(), occurred_on=date(2025, 1, 5), amount_fen=123, bank_ref=" ")

    assert excinfo.value.code == "text_required"
    assert excinfo.value.details == {"field": "bank_ref"}
    assert fund.collect_events() == []


# --- R10 earmarking ------------------------------------------------------------------------------
def test_expense_is_refused_with_purpose_not_allowed_when_category_is_not_an_allowed_purpose():
    fund = a_fund(allowed_purposes=["hospitalisation_visit"])
    given_donation(fund, 10_000, on=date(2025, 1, 5))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.pay_expense(ctx(), **expense(category="party_building_activity"))

    assert excinfo.value.code == "purpose_not_allowed"
    assert excinfo.value.details == {"category": "party_building_activity"}
    assert fund.collect_events() == []


# --- R11 transfers between funds -----------------------------------------------------------------
def test_transfer_is_refused_with_decision_reference_required_when_no_decision_is_given():
    source, target = a_fund(), a_fund()
    given_donation(source, 10_000, on=date(2025, 1, 5))
    source.collect_events()
    target.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        transfer_between(
            ctx(), source, target, occurred_on=date(2025, 1, 6), amount_fen=5_000, decision_ref=" "
        )

    assert excinfo.value.code == "decision_reference_required"
    assert (source.collect_events(), target.collect_events()) == ([], [])


def test_transfer_is_refused_with_transfer_to_same_fund_when_source_is_target():
    fund = a_fund()
    given_donation(fund, 10_000, on=date(2025, 1, 5))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        transfer_between(
            ctx(), fund, fund, occurred_on=date(2025, 1, 6), amount_fen=5_000, decision_ref="决-1"
        )

    assert excinfo.value.code == "transfer_to_same_fund"
    assert fund.collect_events() == []


def test_transfer_is_refused_with_transfer_breaks_earmark_when_mutual_aid_goes_to_activity():
    source, target = a_fund(kind="mutual_aid"), a_fund(kind="activity")
    given_donation(source, 10_000, on=date(2025, 1, 5))
    source.collect_events()
    target.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        transfer_between(
            ctx(),
            source,
            target,
            occurred_on=date(2025, 1, 6),
            amount_fen=5_000,
            decision_ref="决-1",
        )

    assert excinfo.value.code == "transfer_breaks_earmark"
    assert (source.collect_events(), target.collect_events()) == ([], [])


def test_transfer_raises_transferred_out_and_in_with_matching_counterpart_vouchers():
    source, target = a_fund(kind="mutual_aid"), a_fund(kind="mutual_aid")
    given_donation(source, 10_000, on=date(2025, 1, 5))
    given_donation(target, 1_000, on=date(2025, 1, 2))
    given_donation(target, 1_000, on=date(2025, 1, 3))
    source.collect_events()
    target.collect_events()

    out_no, in_no = transfer_between(
        ctx(), source, target, occurred_on=date(2025, 1, 6), amount_fen=4_000, decision_ref="决-1"
    )

    [out] = source.collect_events()
    [in_] = target.collect_events()
    assert isinstance(out, Fund.TransferredOut) and isinstance(in_, Fund.TransferredIn)
    assert (out_no, in_no) == ("202501-002", "202501-003")
    assert (out.voucher_no, out.counterpart_voucher_no) == (out_no, in_no)
    assert (in_.voucher_no, in_.counterpart_voucher_no) == (in_no, out_no)
    assert (out.to_fund_id, in_.from_fund_id) == (str(target.id), str(source.id))
    assert out.decision_ref == in_.decision_ref == "决-1"
    assert out.doc_refs == ["决-1"]
    assert (source.balance_fen, target.balance_fen) == (6_000, 6_000)


def test_transfer_is_refused_with_insufficient_funds_when_the_source_cannot_pay():
    source, target = a_fund(kind="activity"), a_fund(kind="activity")
    given_donation(source, 3_000, on=date(2025, 1, 5))
    source.collect_events()
    target.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        transfer_between(
            ctx(),
            source,
            target,
            occurred_on=date(2025, 1, 6),
            amount_fen=5_000,
            decision_ref="决-1",
        )

    assert excinfo.value.code == "insufficient_funds"
    assert (source.collect_events(), target.collect_events()) == ([], [])


# --- R12 stipends --------------------------------------------------------------------------------
def stipend_fund() -> Fund:
    fund = a_fund(kind="activity", policy={"stipends_allowed": True})
    given_donation(fund, 100_000, on=date(2025, 1, 2))
    return fund


def test_fund_establishment_is_refused_with_stipend_not_allowed_from_mutual_aid_by_policy():
    with pytest.raises(LedgerError) as excinfo:
        a_fund(kind="mutual_aid", policy={"stipends_allowed": True})

    assert excinfo.value.code == "stipend_not_allowed_from_mutual_aid"


def test_stipend_is_refused_with_stipend_not_allowed_from_mutual_aid_when_fund_is_mutual_aid():
    fund = a_fund(kind="mutual_aid")
    given_donation(fund, 100_000, on=date(2025, 1, 2))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.pay_stipend(ctx(), **stipend())

    assert excinfo.value.code == "stipend_not_allowed_from_mutual_aid"
    assert fund.collect_events() == []


def test_stipend_is_refused_with_stipend_not_allowed_by_policy_when_the_policy_does_not_allow():
    fund = a_fund(kind="activity")
    given_donation(fund, 100_000, on=date(2025, 1, 2))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.pay_stipend(ctx(), **stipend())

    assert excinfo.value.code == "stipend_not_allowed_by_policy"
    assert fund.collect_events() == []


def test_stipend_is_paid_for_sorted_months_when_the_policy_allows_and_the_person_held_office():
    fund = stipend_fund()
    fund.collect_events()

    fund.pay_stipend(ctx(), **stipend(months=["2025-01", "2024-12"], amount_fen=40_000))

    [paid] = fund.collect_events()
    assert isinstance(paid, Fund.StipendPaid)
    assert (paid.person_id, paid.months, paid.amount_fen) == (
        SECRETARY,
        ["2024-12", "2025-01"],
        40_000,
    )
    assert fund.balance_fen == 60_000


def test_stipend_is_refused_with_stipend_already_paid_when_the_month_was_paid_before():
    fund = stipend_fund()
    fund.pay_stipend(ctx(), **stipend(months=["2024-12"]))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.pay_stipend(ctx(), **stipend(months=["2025-01", "2024-12"]))

    assert excinfo.value.code == "stipend_already_paid"
    assert excinfo.value.details == {"month": "2024-12"}
    assert fund.collect_events() == []


def test_stipend_is_paid_again_for_a_month_when_the_earlier_payment_was_reversed():
    fund = stipend_fund()
    wrong = fund.pay_stipend(ctx(), **stipend(months=["2024-12"], amount_fen=30_000))
    given_reversal(fund, wrong, on=date(2025, 1, 7))
    fund.collect_events()

    fund.pay_stipend(ctx(), **stipend(months=["2024-12"], occurred_on=date(2025, 1, 7)))

    [paid] = fund.collect_events()
    assert paid.months == ["2024-12"]


def test_stipend_is_refused_with_stipend_recipient_not_in_office_when_not_in_office_that_month():
    branch: Organisation = a_branch()
    branch.appoint(ctx(), person_id=SECRETARY, role="secretary", from_date=date(2025, 1, 1))
    fund = stipend_fund()
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.pay_stipend(ctx(), **stipend(months=["2024-12", "2025-01"], in_office=branch.holds_office))

    assert excinfo.value.code == "stipend_recipient_not_in_office"
    assert excinfo.value.details == {"month": "2024-12"}
    assert fund.collect_events() == []


@pytest.mark.parametrize(
    "months",
    [["2025-02"], ["2024-12", "2024-12"], [], "2024-12"],
    ids=["after_payment_month", "duplicate", "empty", "not_a_list"],
)
def test_stipend_is_refused_with_stipend_months_invalid_when_months_are_not_distinct_past_months(
    months,
):
    fund = stipend_fund()
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.pay_stipend(ctx(), **stipend(months=months, occurred_on=date(2025, 1, 6)))

    assert excinfo.value.code == "stipend_months_invalid"
    assert fund.collect_events() == []


def test_stipend_is_refused_with_period_invalid_when_a_month_is_malformed():
    fund = stipend_fund()
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.pay_stipend(ctx(), **stipend(months=["2024-13"]))

    assert excinfo.value.code == "period_invalid"
    assert fund.collect_events() == []


# --- R13 interest --------------------------------------------------------------------------------
def test_interest_is_refused_with_interest_requires_bank_account_when_fund_is_a_cash_box():
    fund = a_fund(custody={"kind": "cash_box"})
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.credit_interest(ctx(), occurred_on=date(2025, 1, 5), amount_fen=123, bank_ref="息-01")

    assert excinfo.value.code == "interest_requires_bank_account"
    assert fund.collect_events() == []


def test_interest_is_credited_to_the_bank_account_with_its_bank_ref_as_source_document():
    fund = a_fund(custody=BANK_ACCOUNT)
    fund.collect_events()

    fund.credit_interest(ctx(), occurred_on=date(2025, 1, 5), amount_fen=123, bank_ref="息-01")

    [credited] = fund.collect_events()
    assert isinstance(credited, Fund.InterestCredited)
    assert (credited.account, credited.bank_ref, credited.doc_refs) == ("bank", "息-01", ["息-01"])
    assert fund.balances_fen == {"cash": 0, "bank": 123}


# --- R16, R17 people -----------------------------------------------------------------------------
def test_cashier_assignment_is_refused_with_cashier_cannot_be_bookkeeper_when_already_bookkeeper():
    fund = a_fund()
    fund.assign_custodian(ctx(), role="bookkeeper", person_id="person-li", from_date=date(2025, 1, 1))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.assign_custodian(ctx(), role="cashier", person_id="person-li", from_date=date(2025, 1, 1))

    assert excinfo.value.code == "cashier_cannot_be_bookkeeper"
    assert fund.collect_events() == []


def test_bookkeeper_assignment_is_refused_with_cashier_cannot_be_bookkeeper_when_already_cashier():
    fund = a_fund()
    given_cashier(fund, "person-li")
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.assign_custodian(ctx(), role="bookkeeper", person_id="person-li", from_date=date(2025, 1, 1))

    assert excinfo.value.code == "cashier_cannot_be_bookkeeper"
    assert fund.collect_events() == []


def test_custodian_is_assigned_when_the_other_role_is_held_by_someone_else():
    fund = a_fund()
    given_cashier(fund, "person-li")
    fund.collect_events()

    fund.assign_custodian(ctx(), role="bookkeeper", person_id="person-wang", from_date=date(2025, 1, 1))

    [assigned] = fund.collect_events()
    assert isinstance(assigned, Fund.CustodianAssigned)
    assert (fund.holder("cashier"), fund.holder("bookkeeper")) == ("person-li", "person-wang")


@pytest.mark.parametrize("command", ["receive_donation", "pay_expense"])
def test_entry_is_refused_with_cashier_cannot_post_entries_when_recorded_by_the_cashier(command):
    fund = a_fund()
    given_cashier(fund, CASHIER)
    given_donation(fund, 10_000, on=date(2025, 1, 5))
    fund.collect_events()
    arguments = donation() if command == "receive_donation" else expense()

    with pytest.raises(LedgerError) as excinfo:
        getattr(fund, command)(ctx(actor=CASHIER), **arguments)

    assert excinfo.value.code == "cashier_cannot_post_entries"
    assert fund.collect_events() == []


def test_expense_is_refused_with_handler_cannot_approve_when_the_handler_approves():
    fund = a_fund()
    given_donation(fund, 10_000, on=date(2025, 1, 5))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.pay_expense(ctx(), **expense(handled_by=HANDLER, approved_by=HANDLER))

    assert excinfo.value.code == "handler_cannot_approve"
    assert fund.collect_events() == []


def test_expense_is_refused_with_approver_is_payee_when_the_approver_is_paid():
    fund = a_fund()
    given_donation(fund, 10_000, on=date(2025, 1, 5))
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.pay_expense(ctx(), **expense(approved_by=SECRETARY, payee_person_id=SECRETARY))

    assert excinfo.value.code == "approver_is_payee"
    assert fund.collect_events() == []


# --- limits --------------------------------------------------------------------------------------
def test_donation_is_refused_with_text_too_long_when_the_memo_is_above_200_characters():
    fund = a_fund()
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.receive_donation(ctx(), **donation(memo="捐" * 201))

    assert excinfo.value.code == "text_too_long"
    assert excinfo.value.details == {"field": "memo", "max_len": 200}
    assert fund.collect_events() == []


def test_donation_is_accepted_when_the_memo_is_exactly_200_characters():
    fund = a_fund()
    fund.collect_events()

    fund.receive_donation(ctx(), **donation(memo="捐" * 200))

    [received] = fund.collect_events()
    assert len(received.memo) == 200


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"donor_kind": "alien"}, "donor_kind"), ({"account": "safe"}, "account")],
)
def test_donation_is_refused_with_value_not_allowed_when_a_choice_is_not_allowed(changes, field):
    fund = a_fund()
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.receive_donation(ctx(), **donation(**changes))

    assert excinfo.value.code == "value_not_allowed"
    assert excinfo.value.details["field"] == field
    assert fund.collect_events() == []


def test_donation_is_refused_with_text_required_when_a_resident_donor_has_no_name():
    fund = a_fund()
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.receive_donation(ctx(), **donation(donor_kind="resident", donor_name=" "))

    assert excinfo.value.code == "text_required"
    assert excinfo.value.details == {"field": "donor_name"}
    assert fund.collect_events() == []


def test_donation_is_refused_with_date_invalid_when_occurred_on_is_a_datetime():
    fund = a_fund()
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.receive_donation(ctx(), **donation(occurred_on=datetime(2025, 1, 5, 9, 30)))

    assert excinfo.value.code == "date_invalid"
    assert excinfo.value.details["field"] == "occurred_on"
    assert fund.collect_events() == []


def test_context_is_refused_with_date_invalid_when_today_is_a_datetime():
    with pytest.raises(LedgerError) as excinfo:
        Context(recorded_by=BOOKKEEPER, today=datetime(2025, 1, 10, 9, 30))

    assert excinfo.value.code == "date_invalid"


# --- replay -------------------------------------------------------------------------------------
def test_replaying_the_events_rebuilds_the_same_fund_when_loaded_from_its_history():
    fund = a_fund(established_on=date(2024, 11, 1))
    given_cashier(fund)
    given_donation(fund, 50_000, on=date(2024, 11, 2))
    paid = given_expense(fund, 2_000, on=date(2024, 11, 3))
    given_closed(fund, "2024-11")
    given_reversal(fund, paid, on=date(2024, 12, 4))
    given_closed(fund, "2024-12")
    given_donation(fund, 500, on=date(2025, 1, 2))

    replayed = None
    for event in fund.collect_events():
        replayed = event.mutate(replayed)

    assert vars(replayed) == vars(fund)
