"""Pages of a statement's rows (ADR 0175): keyset pagination in journal order.

A row's key is (occurred_on, seq, voucher_no): the journal order (business date, then voucher
sequence), with the voucher number, unique in a fund, to break a tie. A page is the rows after
a key, read from the ``v_journal_order`` index with a LIMIT; the cursor handed out is the last
row's key, opaque to the client (URL-safe base64). A cursor that does not decode, or names a
day outside the period asked for, is refused with ``statement_cursor_invalid``.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Any

from ledger.domain import errors

STATEMENT_PAGE_DEFAULT = 500
STATEMENT_PAGE_MAX = 2000

RowKey = tuple[str, int, str]  # occurred_on, seq, voucher_no

IN_PERIOD = "WHERE fund_no = ? AND occurred_on >= ? AND occurred_on <= ?"
ORDER = "occurred_on, seq, voucher_no"
ORDER_DESC = "occurred_on DESC, seq DESC, voucher_no DESC"
# Rows at or before a key in journal order, spelt out (not a row value) for every SQL dialect.
UP_TO_KEY = "(occurred_on < ? OR (occurred_on = ? AND (seq < ? OR (seq = ? AND voucher_no <= ?))))"
# Rows strictly before a key: the same parameters.
BEFORE_KEY = "(occurred_on < ? OR (occurred_on = ? AND (seq < ? OR (seq = ? AND voucher_no < ?))))"
_SEPARATOR = "|"


def check_limit(limit: int) -> None:
    """A page holds 1 to ``STATEMENT_PAGE_MAX`` rows."""
    if not 1 <= limit <= STATEMENT_PAGE_MAX:
        raise errors.ValueNotAllowed(field="limit", value=str(limit), allowed=f"1..{STATEMENT_PAGE_MAX}")


def key_params(key: RowKey) -> tuple[Any, ...]:
    """The parameters of ``UP_TO_KEY`` for ``key``."""
    day, seq, voucher = key
    return (day, day, seq, seq, voucher)


def statement_cursor(row: dict[str, Any]) -> str:
    """The cursor of the rows after ``row`` (a statement row: occurred_on, seq, voucher_no)."""
    text = _SEPARATOR.join((row["occurred_on"], str(row["seq"]), row["voucher_no"]))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(cursor: str, start: date, end: date) -> RowKey:
    """The key a cursor of this period names; ``statement_cursor_invalid`` for any other text."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        day, seq, voucher = text.split(_SEPARATOR)
        on = date.fromisoformat(day)
        number = int(seq)
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise errors.StatementCursorInvalid(cursor=cursor[:80]) from error
    if not (start <= on <= end) or not voucher or number < 0 or on.isoformat() != day:
        raise errors.StatementCursorInvalid(cursor=cursor[:80])
    return day, number, voucher
