"""Accounting periods (calendar months) and voucher numbers within them."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.domain.errors import LedgerError
from ledger.domain.periods import (
    check_period,
    first_day,
    last_day,
    next_period,
    period_of,
    periods_between,
    voucher_display,
    voucher_no,
    voucher_period,
)


def test_period_of_a_date_is_its_year_and_month():
    assert period_of(date(2024, 7, 31)) == "2024-07"
    assert period_of(date(2025, 1, 1)) == "2025-01"


def test_next_period_is_january_of_the_next_year_when_the_period_is_december():
    assert next_period("2024-12") == "2025-01"
    assert next_period("2024-09") == "2024-10"


def test_last_day_is_the_29th_when_february_is_in_a_leap_year():
    assert last_day("2024-02") == date(2024, 2, 29)
    assert last_day("2025-02") == date(2025, 2, 28)
    assert last_day("2024-12") == date(2024, 12, 31)


def test_first_day_is_the_first_of_the_month():
    assert first_day("2024-07") == date(2024, 7, 1)


def test_periods_between_spans_the_year_end_inclusive_and_is_empty_when_reversed():
    assert periods_between("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert periods_between("2025-02", "2025-01") == []


def test_check_period_returns_the_period_when_well_formed():
    assert check_period("2024-12") == "2024-12"


@pytest.mark.parametrize("text", ["2024-13", "2024-00", "2024-1", "202401", "", 202401, None])
def test_check_period_is_refused_with_period_invalid_when_not_yyyy_mm(text):
    with pytest.raises(LedgerError) as excinfo:
        check_period(text, field="month")

    assert excinfo.value.code == "period_invalid"
    assert excinfo.value.details == {"field": "month", "value": str(text)}


def test_voucher_no_is_period_digits_and_a_three_digit_sequence():
    assert voucher_no("2024-07", 3) == "202407-003"
    assert voucher_no("2024-07", 1000) == "202407-1000"


def test_voucher_period_is_none_when_the_number_is_not_one_of_ours():
    assert voucher_period("202407-003") == "2024-07"
    assert voucher_period("202413-001") is None
    assert voucher_period("记-07-003") is None


def test_voucher_display_is_the_stored_number_when_shown_anywhere():
    assert voucher_display("202407-003") == "202407-003"
    assert voucher_display("202412-1000") == "202412-1000"
