"""The open periods' postings folded per business day: what the no-overdraft rule (R3) needs,
in a size that grows with the number of days, not with the number of entries (issue 20).

``check_never_overdrawn`` (``running_balance``) walks every posting of the open periods in
business-date order, recording order within a day, and refuses the first one that takes an
account below zero. A new posting always comes last on its day, so for the postings already
on the books it needs, per day and account, only:

- the day's net change (the running balance at the end of the day), and
- the day's *low steps*: each posting whose running sum within the day is lower than zero and
  lower than every earlier one of that day, as ``[seq, prefix, delta]`` (``seq``: its place
  among the day's postings, ``prefix``: the account's sum of the day up to and including it).

With a start balance ``s >= 0``, the first posting of the day that overdraws the account is the
first low step with ``s + prefix < 0`` (any earlier posting with a lower sum would itself be a
low step), and its balance before was ``s + prefix - delta``: the check refuses the same posting
with the same figures as the walk over every posting. A day's record is
``[count, {account: net}, {account: [[seq, prefix, delta], ...]}]`` (plain lists and dicts:
the Fund's snapshot holds it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ledger.domain import errors
from ledger.domain.running_balance import Posting

DayRecord = list[Any]  # [count, {account: net}, {account: [[seq, prefix, delta], ...]}]


def add_posting(days: dict[str, DayRecord], day: str, account: str, delta: int) -> None:
    """Put one posting last on its day."""
    record = days.setdefault(day, [0, {}, {}])
    seq, nets, lows = record
    prefix = nets.get(account, 0) + delta
    steps = lows.get(account)
    lowest = steps[-1][1] if steps else 0
    if prefix < lowest:
        lows.setdefault(account, []).append([seq, prefix, delta])
    nets[account] = prefix
    record[0] = seq + 1


def from_postings(postings: Iterable[Posting]) -> dict[str, DayRecord]:
    """Fold postings given in recording order (an older snapshot's list of every posting)."""
    days: dict[str, DayRecord] = {}
    for day, account, delta in postings:
        add_posting(days, day, account, delta)
    return days


def period_nets(days: Mapping[str, DayRecord], period: str) -> dict[str, int]:
    """Each account's net change over the days of one month (``YYYY-MM``)."""
    out: dict[str, int] = {}
    for day, (_, nets, _) in days.items():
        if day[:7] == period:
            for account, net in nets.items():
                out[account] = out.get(account, 0) + net
    return out


def after_period(days: Mapping[str, DayRecord], period: str) -> dict[str, DayRecord]:
    """The days after a closed month (the open ones)."""
    return {day: record for day, record in days.items() if day[:7] > period}


def check_never_overdrawn_by_day(
    opening_fen: Mapping[str, int],
    days: Mapping[str, DayRecord],
    new_postings: Iterable[Posting],
    *,
    reserved_fen: int = 0,
) -> None:
    """``running_balance.check_never_overdrawn`` over the days' records instead of every
    posting: the same refusal, with the same account, balance before and date."""
    new = list(new_postings)
    if all(delta >= 0 for _, _, delta in new) and reserved_fen == 0:
        return  # money in, or a move that only adds, cannot overdraw
    new_by_day: dict[str, list[Posting]] = {}
    for posting in new:
        new_by_day.setdefault(posting[0], []).append(posting)
    running = dict(opening_fen)
    for day in sorted(days.keys() | new_by_day.keys()):
        record = days.get(day)
        if record is not None:
            _check_day(running, day, record)
            for account, net in record[1].items():
                running[account] = running.get(account, 0) + net
        for _, account, delta in new_by_day.get(day, []):
            running[account] = running.get(account, 0) + delta
            if running[account] < 0:
                before = running[account] - delta
                raise errors.InsufficientFunds(account=account, available_fen=before, date=day)
    available = sum(running.values()) - reserved_fen
    if available < 0:
        before = available - sum(delta for *_, delta in new)
        raise errors.InsufficientFunds(account="available", available_fen=before, date="today")


def _check_day(running: Mapping[str, int], day: str, record: DayRecord) -> None:
    """Refuse the day's first posting (either account) that takes its account below zero."""
    first: tuple[int, str, int] | None = None
    for account, steps in record[2].items():
        start = running.get(account, 0)
        for seq, prefix, delta in steps:
            if start + prefix < 0:
                if first is None or seq < first[0]:
                    first = (seq, account, start + prefix - delta)
                break
    if first is not None:
        _, account, before = first
        raise errors.InsufficientFunds(account=account, available_fen=before, date=day)
