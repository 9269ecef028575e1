"""R22: a custodian changes only through a handover (移交) before a supervisor (监交人), with an
inventory list and a count of the money; a difference between count and books is recorded
with a note, never booked; the books handed over are final up to the handover date."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ledger.domain.errors import LedgerError
from ledger.domain.fund import Fund
from tests.domain.builders import (
    BANK_ACCOUNT,
    BOOKKEEPER,
    CASHIER,
    TODAY,
    a_fund,
    ctx,
    given_cashier,
    given_closed,
    given_donation,
    given_expense,
    given_reversal,
)

INCOMING = "person-incoming"
SUPERVISOR = "person-supervisor"
ON = date(2025, 1, 8)


def handover(**changes: Any) -> dict[str, Any]:
    """The arguments of a valid cashier handover of a fund holding 10,000 cash and 2,000 bank."""
    return {
        "role": "cashier",
        "to_person_id": INCOMING,
        "supervisor_person_id": SUPERVISOR,
        "handed_over_on": ON,
        "cash_counted_fen": 10_000,
        "bank_balance_fen": 2_000,
        "inventory_ref": "移交清单-2025-01",
        **changes,
    }


def held_fund() -> Fund:
    """A fund with a bookkeeper and a cashier, 10,000 in cash and 2,000 in the bank, the latest
    entry dated 2025-01-05; events drained."""
    fund = a_fund(custody=BANK_ACCOUNT)
    given_cashier(fund)
    fund.assign_custodian(ctx(), role="bookkeeper", person_id=BOOKKEEPER, from_date=date(2024, 12, 1))
    given_donation(fund, 10_000, on=date(2025, 1, 3), account="cash")
    given_donation(fund, 2_000, on=date(2025, 1, 5), account="bank")
    fund.collect_events()
    return fund


def refused(fund: Fund, code: str, **changes: Any) -> None:
    with pytest.raises(LedgerError) as excinfo:
        fund.hand_over_custody(ctx(), **handover(**changes))
    assert excinfo.value.code == code, excinfo.value
    assert fund.collect_events() == []
    assert fund.holder("cashier") == CASHIER


# --- the happy paths -----------------------------------------------------------------------------
def test_handover_makes_the_incoming_person_the_holder_and_records_the_count_when_it_agrees():
    fund = held_fund()

    fund.hand_over_custody(ctx(request_id="r-1"), **handover())

    [event] = fund.collect_events()
    assert isinstance(event, Fund.CustodyHandedOver)
    assert (event.role, event.from_person_id, event.to_person_id, event.supervisor_person_id) == (
        "cashier",
        CASHIER,
        INCOMING,
        SUPERVISOR,
    )
    assert (event.book_cash_fen, event.book_bank_fen) == (10_000, 2_000)
    assert (event.cash_counted_fen, event.bank_balance_fen) == (10_000, 2_000)
    assert (event.cash_difference_fen, event.bank_difference_fen, event.difference_note) == (0, 0, None)
    assert (event.last_voucher_no, event.inventory_ref, event.handed_over_on) == (
        "202501-002",
        "移交清单-2025-01",
        ON,
    )
    assert (event.recorded_by, event.request_id) == (BOOKKEEPER, "r-1")
    assert fund.custodians["cashier"] == {"person_id": INCOMING, "from_date": ON}
    assert fund.holder("bookkeeper") == BOOKKEEPER
    assert fund.balances_fen == {"cash": 10_000, "bank": 2_000}  # a handover books nothing


def test_handover_records_the_differences_per_account_when_the_count_differs_and_a_note_explains():
    fund = held_fund()

    fund.hand_over_custody(
        ctx(), **handover(cash_counted_fen=9_950, bank_balance_fen=2_100, difference_note="短款50分待查")
    )

    [event] = fund.collect_events()
    assert (event.cash_difference_fen, event.bank_difference_fen) == (-50, 100)
    assert event.difference_note == "短款50分待查"
    assert fund.balances_fen == {"cash": 10_000, "bank": 2_000}  # recorded, not booked


def test_handover_of_a_fund_without_entries_counts_zero_and_names_no_voucher():
    fund = a_fund()
    given_cashier(fund)
    fund.collect_events()

    fund.hand_over_custody(ctx(), **handover(cash_counted_fen=0, bank_balance_fen=0))

    [event] = fund.collect_events()
    assert (event.book_cash_fen, event.cash_difference_fen, event.last_voucher_no) == (0, 0, None)


def test_handover_of_the_bookkeeper_hands_over_the_bookkeeper_role_only():
    fund = held_fund()

    fund.hand_over_custody(ctx(), **handover(role="bookkeeper", to_person_id="person-new-keeper"))

    [event] = fund.collect_events()
    assert (event.role, event.from_person_id) == ("bookkeeper", BOOKKEEPER)
    assert (fund.holder("bookkeeper"), fund.holder("cashier")) == ("person-new-keeper", CASHIER)


def test_handover_may_be_dated_on_the_day_of_the_latest_entry():
    fund = held_fund()

    fund.hand_over_custody(ctx(), **handover(handed_over_on=date(2025, 1, 5)))

    assert fund.holder("cashier") == INCOMING


def test_a_second_handover_hands_over_from_the_incoming_person_of_the_first():
    fund = held_fund()
    fund.hand_over_custody(ctx(), **handover())

    fund.hand_over_custody(ctx(), **handover(to_person_id="person-third", handed_over_on=date(2025, 1, 9)))

    assert [e.from_person_id for e in fund.collect_events()] == [CASHIER, INCOMING]
    assert fund.holder("cashier") == "person-third"


# --- R22: no change of custodian without a handover ----------------------------------------------
def test_assignment_is_refused_with_custodian_change_needs_handover_when_the_role_is_held():
    fund = held_fund()

    with pytest.raises(LedgerError) as excinfo:
        fund.assign_custodian(ctx(), role="cashier", person_id=INCOMING, from_date=ON)

    assert (excinfo.value.code, excinfo.value.status) == ("custodian_change_needs_handover", 409)
    assert fund.collect_events() == []
    assert fund.holder("cashier") == CASHIER


def test_handover_is_refused_with_custodian_not_assigned_when_nobody_holds_the_role():
    fund = a_fund()
    given_cashier(fund)
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.hand_over_custody(ctx(), **handover(role="bookkeeper", cash_counted_fen=0, bank_balance_fen=0))

    assert (excinfo.value.code, excinfo.value.status) == ("custodian_not_assigned", 409)
    assert fund.collect_events() == []


# --- refusals: who ------------------------------------------------------------------------------
def test_handover_is_refused_with_value_not_allowed_when_the_role_is_unknown():
    refused(held_fund(), "value_not_allowed", role="secretary")


def test_handover_is_refused_with_handover_to_same_person_when_the_holder_hands_to_themselves():
    refused(held_fund(), "handover_to_same_person", to_person_id=CASHIER)


@pytest.mark.parametrize("supervisor", [CASHIER, INCOMING])
def test_handover_is_refused_with_supervisor_not_independent_when_a_party_supervises(supervisor):
    refused(held_fund(), "handover_supervisor_not_independent", supervisor_person_id=supervisor)


def test_handover_is_refused_with_cashier_cannot_be_bookkeeper_when_the_incoming_keeps_the_books():
    refused(held_fund(), "cashier_cannot_be_bookkeeper", to_person_id=BOOKKEEPER)


@pytest.mark.parametrize("field", ["to_person_id", "supervisor_person_id"])
def test_handover_is_refused_with_text_required_when_a_person_is_missing(field):
    refused(held_fund(), "text_required", **{field: " "})


# --- refusals: when -----------------------------------------------------------------------------
def test_handover_is_refused_with_date_in_future_when_dated_after_today():
    refused(held_fund(), "date_in_future", handed_over_on=date(2025, 1, 11))


def test_handover_is_refused_with_date_invalid_when_the_date_is_text():
    refused(held_fund(), "date_invalid", handed_over_on="2025-01-08")


def test_handover_is_refused_with_date_before_established_when_dated_before_the_fund():
    refused(held_fund(), "date_before_established", handed_over_on=date(2024, 11, 30))


def test_handover_is_refused_with_handover_before_holder_began_when_before_the_holders_start():
    fund = held_fund()
    fund.hand_over_custody(ctx(), **handover())
    fund.collect_events()

    with pytest.raises(LedgerError) as excinfo:
        fund.hand_over_custody(
            ctx(), **handover(to_person_id="person-third", handed_over_on=date(2025, 1, 7))
        )

    assert excinfo.value.code == "handover_before_holder_began"
    assert excinfo.value.details == {"handed_over_on": "2025-01-07", "from_date": "2025-01-08"}


def test_handover_is_refused_with_handover_before_latest_entry_when_later_entries_are_on_the_books():
    fund = held_fund()

    with pytest.raises(LedgerError) as excinfo:
        fund.hand_over_custody(ctx(), **handover(handed_over_on=date(2025, 1, 4)))

    assert excinfo.value.code == "handover_before_latest_entry"
    assert excinfo.value.details == {"handed_over_on": "2025-01-04", "latest_entry_on": "2025-01-05"}
    assert fund.collect_events() == []


# --- refusals: what -----------------------------------------------------------------------------
@pytest.mark.parametrize("inventory", [None, "", "  "])
def test_handover_is_refused_with_handover_inventory_required_when_no_inventory_is_named(inventory):
    refused(held_fund(), "handover_inventory_required", inventory_ref=inventory)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"cash_counted_fen": -1}, "amount_negative"),
        ({"bank_balance_fen": -1}, "amount_negative"),
        ({"cash_counted_fen": 100.0}, "amount_float_not_allowed"),
        ({"bank_balance_fen": "2000"}, "amount_invalid"),
        ({"cash_counted_fen": True}, "amount_invalid"),
        ({"cash_counted_fen": 10**15}, "amount_above_maximum"),
    ],
)
def test_handover_is_refused_when_a_counted_amount_is_not_a_whole_non_negative_fen(changes, code):
    refused(held_fund(), code, **changes)


@pytest.mark.parametrize("changes", [{"cash_counted_fen": 9_999}, {"bank_balance_fen": 2_001}])
def test_handover_is_refused_with_handover_difference_unexplained_when_a_difference_has_no_note(changes):
    fund = held_fund()

    with pytest.raises(LedgerError) as excinfo:
        fund.hand_over_custody(ctx(), **handover(**changes, difference_note="  "))

    assert excinfo.value.code == "handover_difference_unexplained"
    assert excinfo.value.details == {
        "cash_difference_fen": changes.get("cash_counted_fen", 10_000) - 10_000,
        "bank_difference_fen": changes.get("bank_balance_fen", 2_000) - 2_000,
    }
    assert fund.collect_events() == []


# --- after a handover: the books handed over are final ---------------------------------------------
def handed_over() -> tuple[Fund, str]:
    fund = held_fund()
    expense = given_expense(fund, 1_000, on=date(2025, 1, 6), account="cash")
    fund.hand_over_custody(ctx(), **handover(cash_counted_fen=9_000))
    fund.collect_events()
    return fund, expense


def test_entry_is_refused_with_entry_before_handover_when_dated_before_the_handover():
    fund, _ = handed_over()

    with pytest.raises(LedgerError) as excinfo:
        given_donation(fund, 500, on=date(2025, 1, 7))

    assert (excinfo.value.code, excinfo.value.status) == ("entry_before_handover", 409)
    assert excinfo.value.details == {"date": "2025-01-07", "handed_over_on": "2025-01-08"}
    assert fund.collect_events() == []


def test_reversal_is_refused_with_entry_before_handover_when_dated_before_the_handover():
    fund, expense = handed_over()

    with pytest.raises(LedgerError) as excinfo:
        given_reversal(fund, expense, on=date(2025, 1, 7))

    assert excinfo.value.code == "entry_before_handover"


def test_entries_and_reversals_are_recorded_when_dated_on_or_after_the_handover():
    fund, expense = handed_over()

    given_donation(fund, 500, on=ON, account="cash")
    given_reversal(fund, expense, on=TODAY)

    assert len(fund.collect_events()) == 2
    assert fund.balances_fen["cash"] == 10_500


def test_cash_move_is_refused_with_entry_before_handover_when_dated_before_the_handover():
    fund, _ = handed_over()

    with pytest.raises(LedgerError) as excinfo:
        fund.move_cash(
            ctx(actor="person-other"),
            occurred_on=date(2025, 1, 7),
            amount_fen=100,
            from_account="cash",
            to_account="bank",
            doc_refs=["存款单"],
        )

    assert excinfo.value.code == "entry_before_handover"


def test_a_close_after_a_handover_still_closes_the_month():
    fund, _ = handed_over()

    given_closed(fund, "2024-12")

    assert fund.closed_through == "2024-12"


# --- replay and old snapshots ----------------------------------------------------------------------
def test_a_replayed_fund_equals_the_fund_that_raised_the_handover():
    fund = a_fund(custody=BANK_ACCOUNT)
    given_cashier(fund)
    given_donation(fund, 10_000, on=date(2025, 1, 3), account="cash")
    fund.hand_over_custody(ctx(), **handover(bank_balance_fen=0))

    replayed = None
    for event in fund.collect_events():
        replayed = event.mutate(replayed)

    assert replayed is not None
    assert replayed.__dict__ == fund.__dict__
    assert (replayed.holder("cashier"), replayed.handed_over_on) == (INCOMING, ON)


def test_a_fund_restored_from_a_snapshot_older_than_handovers_accepts_entries_of_any_open_date():
    fund = held_fund()
    del fund.__dict__["handed_over_on"]  # what a snapshot taken before handovers existed restores

    given_donation(fund, 500, on=date(2025, 1, 2))

    assert fund.handed_over_on is None
    assert len(fund.collect_events()) == 1
