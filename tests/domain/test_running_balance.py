"""The no-overdraft rule (R3) over business dates: check_never_overdrawn on plain postings."""

from __future__ import annotations

import pytest

from ledger.domain.errors import LedgerError
from ledger.domain.running_balance import check_never_overdrawn

EMPTY = {"cash": 0, "bank": 0}


def test_payment_is_allowed_when_no_account_ever_goes_below_zero():
    history = [("2025-01-02", "cash", 10_000), ("2025-01-03", "cash", -4_000)]

    check_never_overdrawn(EMPTY, history, [("2025-01-04", "cash", -6_000)])


def test_payment_is_allowed_when_the_opening_balance_covers_it():
    check_never_overdrawn({"cash": 5_000, "bank": 0}, [], [("2025-01-02", "cash", -5_000)])


def test_money_in_is_allowed_whatever_the_history():
    check_never_overdrawn(EMPTY, [], [("2025-01-02", "bank", 1), ("2025-01-02", "cash", 0)])


def test_payment_is_refused_with_insufficient_funds_when_above_the_balance():
    history = [("2025-01-02", "cash", 10_000)]

    with pytest.raises(LedgerError) as excinfo:
        check_never_overdrawn(EMPTY, history, [("2025-01-04", "cash", -10_001)])

    assert excinfo.value.code == "insufficient_funds"
    assert excinfo.value.details == {
        "account": "cash",
        "available_fen": 10_000,
        "date": "2025-01-04",
    }


def test_back_dated_payment_is_refused_with_insufficient_funds_when_later_income_covers_it():
    history = [("2025-01-05", "cash", 50_000)]

    with pytest.raises(LedgerError) as excinfo:
        check_never_overdrawn(EMPTY, history, [("2025-01-03", "cash", -1)])

    assert excinfo.value.code == "insufficient_funds"
    assert excinfo.value.details == {"account": "cash", "available_fen": 0, "date": "2025-01-03"}


def test_payment_is_refused_with_insufficient_funds_when_only_the_other_account_holds_money():
    history = [("2025-01-02", "cash", 10_000)]

    with pytest.raises(LedgerError) as excinfo:
        check_never_overdrawn(EMPTY, history, [("2025-01-04", "bank", -1_000)])

    assert excinfo.value.code == "insufficient_funds"
    assert excinfo.value.details["account"] == "bank"


def test_cash_move_is_allowed_when_the_source_account_holds_the_money():
    history = [("2025-01-02", "cash", 10_000)]
    move = [("2025-01-03", "cash", -10_000), ("2025-01-03", "bank", 10_000)]

    check_never_overdrawn(EMPTY, history, move)


def test_new_payment_comes_last_on_its_day_when_the_day_already_spent_its_income():
    history = [("2025-01-05", "cash", 10_000), ("2025-01-05", "cash", -10_000)]

    with pytest.raises(LedgerError) as excinfo:
        check_never_overdrawn(EMPTY, history, [("2025-01-05", "cash", -1)])

    assert excinfo.value.code == "insufficient_funds"


def test_payment_is_refused_with_insufficient_funds_when_it_eats_into_reserved_money():
    opening = {"cash": 10_000, "bank": 0}

    with pytest.raises(LedgerError) as excinfo:
        check_never_overdrawn(opening, [], [("2025-01-05", "cash", -5_000)], reserved_fen=6_000)

    assert excinfo.value.code == "insufficient_funds"
    assert excinfo.value.details["account"] == "available"


def test_insufficient_funds_names_what_was_available_before_the_payment_when_money_is_reserved():
    opening = {"cash": 10_000, "bank": 0}

    with pytest.raises(LedgerError) as excinfo:
        check_never_overdrawn(opening, [], [("2025-01-05", "cash", -5_000)], reserved_fen=6_000)

    assert excinfo.value.details["available_fen"] == 10_000 - 6_000
