"""The no-overdraft rule (R3) over business dates, not only over the current total.

A fund's cash and bank balances may never be below zero — not today, and not on any earlier
day of an open period: a back-dated payment that would have overdrawn the fund on its date is
refused, even if later income covers it. Entries are ordered by business date, and within a day
by recording order (the order their voucher numbers were given), which is the order the journal
and the noticeboard print them in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ledger.domain import errors

# One posting: (business date as ISO text, account, signed amount in fen).
Posting = tuple[str, str, int]


def check_never_overdrawn(
    opening_fen: Mapping[str, int],
    postings: Iterable[Posting],
    new_postings: Iterable[Posting],
    *,
    reserved_fen: int = 0,
) -> None:
    """Raise ``insufficient_funds`` if adding ``new_postings`` overdraws an account on any day.

    ``opening_fen`` holds each account's balance before the first of ``postings`` (the
    postings of the open periods, in recording order). The sort is stable, so same-day
    postings keep their recording order and new ones come last on their day.
    """
    new = list(new_postings)
    if all(delta >= 0 for _, _, delta in new) and reserved_fen == 0:
        return  # money in, or a move that only adds, cannot overdraw
    running = dict(opening_fen)
    for day, account, delta in sorted([*postings, *new], key=lambda p: p[0]):
        running[account] = running.get(account, 0) + delta
        if running[account] < 0:
            raise errors.InsufficientFunds(account=account, available_fen=running[account] - delta, date=day)
    available = sum(running.values()) - reserved_fen
    if available < 0:
        before = available - sum(delta for *_, delta in new)
        raise errors.InsufficientFunds(account="available", available_fen=before, date="today")
