"""Accounting periods: calendar months named "YYYY-MM", and voucher numbers within them.

Periods are calendar months (docs/concepts/practice.md); vouchers are numbered per fund per month, stored and
shown everywhere as ``"202407-003"`` (ADR 0101). The fiscal year is the calendar year.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ledger.domain import errors

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_STATEMENT = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$")
_VOUCHER = re.compile(r"^(\d{4})(0[1-9]|1[0-2])-(\d{3,})$")
# A period's year: 0001 to 9998, so that its first day, its last day and the next period are
# all dates (year 9999's next period, and year 0000, are not; issue 15.8).
YEAR_MIN, YEAR_MAX = 1, 9998


def period_of(day: date) -> str:
    """The period (month) a business date falls in."""
    return f"{day.year:04d}-{day.month:02d}"


def check_period(text: object, field: str = "period") -> str:
    """A well-formed period name, or ``period_invalid``."""
    if not isinstance(text, str) or not _PERIOD.fullmatch(text) or not YEAR_MIN <= int(text[:4]) <= YEAR_MAX:
        raise errors.PeriodInvalid(field=field, value=str(text)[:40])
    return text


def next_period(period: str) -> str:
    year, month = int(period[:4]), int(period[5:])
    return f"{year + 1:04d}-01" if month == 12 else f"{year:04d}-{month + 1:02d}"


def first_day(period: str) -> date:
    return date(int(period[:4]), int(period[5:]), 1)


def last_day(period: str) -> date:
    return first_day(next_period(period)) - timedelta(days=1)


def periods_between(first: str, last: str) -> list[str]:
    """Every period from ``first`` to ``last`` inclusive (empty when last < first)."""
    out: list[str] = []
    current = first
    while current <= last:
        out.append(current)
        current = next_period(current)
    return out


def voucher_no(period: str, sequence: int) -> str:
    return f"{period[:4]}{period[5:]}-{sequence:03d}"


def voucher_period(number: str) -> str | None:
    """The period a stored voucher number belongs to, or None if it is not one of ours."""
    match = _VOUCHER.match(number) if isinstance(number, str) else None
    return f"{match.group(1)}-{match.group(2)}" if match else None


def voucher_display(number: str) -> str:
    """How a voucher number is shown: as stored, ``202407-003``, on every page, sheet and file,
    the one number a person can read off paper and type back (ADR 0101; formerly ``记-07-003``
    on the posted sheet, which named no year)."""
    period = voucher_period(number)
    assert period is not None, number
    return number


def statement_range(spec: object) -> tuple[date, date]:
    """First and last day of a statement period: ``2024-07`` (month), ``2024-Q3`` (quarter) or
    ``2024`` (year); anything else is ``period_invalid``."""
    match = _STATEMENT.fullmatch(spec) if isinstance(spec, str) else None
    if match is None or not YEAR_MIN <= int(match.group(1)) <= YEAR_MAX:
        raise errors.PeriodInvalid(field="period", value=str(spec)[:40])
    year, month, quarter = int(match.group(1)), match.group(2), match.group(3)
    if month:
        return first_day(f"{year:04d}-{month}"), last_day(f"{year:04d}-{month}")
    if quarter:
        first = 3 * int(quarter) - 2
        return date(year, first, 1), last_day(f"{year:04d}-{first + 2:02d}")
    return date(year, 1, 1), date(year, 12, 31)
