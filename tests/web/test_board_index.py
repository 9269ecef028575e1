"""The public index's model (issue 18): each fund's periods grouped by year, newest first, each
marked posted only when every month of it the fund lives in is closed, and the latest posted
notice of the fund's disclosure cadence."""

from __future__ import annotations

from datetime import date

from ledger.web.board_index import latest_posted, year_groups

TODAY = date(2024, 10, 14)
CLOSED = {f"2024-{m:02d}" for m in range(1, 10)}  # January to September


def _flags(years):
    return {p.period: p.posted for y in years for p in y.periods}


def test_periods_are_grouped_by_year_newest_first_and_none_begins_after_today():
    years = year_groups("2023-11-05", TODAY, CLOSED)

    assert [y.year for y in years] == ["2024", "2023"]
    assert [p.period for p in years[0].periods] == [
        "2024",
        "2024-Q4",
        "2024-Q3",
        "2024-Q2",
        "2024-Q1",
        *[f"2024-{m:02d}" for m in range(10, 0, -1)],
    ]
    assert [p.period for p in years[1].periods] == ["2023", "2023-Q4", "2023-12", "2023-11"]


def test_a_quarter_or_year_is_provisional_while_any_of_its_months_is_open_even_before_it_ends():
    flags = _flags(year_groups("2023-11-05", TODAY, CLOSED))

    assert flags["2024-Q3"] and flags["2024-09"] and flags["2024-Q1"]
    assert not flags["2024-10"] and not flags["2024-Q4"]
    assert not flags["2024"]  # October to December are not closed (two have not even begun)
    assert not flags["2023"] and not flags["2023-Q4"]  # the fund's November and December are open


def test_a_year_the_fund_began_in_is_posted_when_the_months_it_lived_are_closed():
    flags = _flags(year_groups("2023-11-05", TODAY, CLOSED | {"2023-11", "2023-12"}))

    assert flags["2023"] and flags["2023-Q4"] and flags["2023-11"]
    assert year_groups("2023-11-05", TODAY, CLOSED | {"2023-11", "2023-12"})[1].posted_count == 4


def test_the_latest_notice_is_of_the_funds_cadence_else_the_latest_posted_month():
    years = year_groups("2023-11-05", TODAY, CLOSED)

    assert latest_posted(years, "quarterly").period == "2024-Q3"
    assert latest_posted(years, "monthly").period == "2024-09"
    assert latest_posted(years, "yearly").period == "2024-09"  # no year closed yet
    assert latest_posted(year_groups("2024-09-01", TODAY, set()), "monthly") is None
