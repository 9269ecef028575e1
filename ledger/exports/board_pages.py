"""One page of a noticeboard statement's lines (ADR 0175): the JSON and the HTML page of a long
period show ``limit`` rows at a time; paper (PDF), CSV and XLSX keep every row.

The board's cursor is the statement's row cursor (``queries.statement_cursor``) and, after a
dot, how many lines the pages before it showed, so the line numbers (序号) run on across pages
without reading them. A page ends at the end of a day when it holds more than one day, so the
donations of one day grouped on one line (R34) are never split between two pages; a single day
longer than a page is split where the page ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ledger.domain import errors
from ledger.projections import queries

_DOT = "."


@dataclass(frozen=True)
class BoardPage:
    """Where a page stands: the period's row count, its first line number and the cursors of
    the pages after and before (None at either end)."""

    limit: int
    row_count: int
    first_no: int
    next: str | None
    prev: str | None


def split_cursor(cursor: str | None) -> tuple[str | None, int]:
    """(row cursor, lines shown before it) of a board cursor; ``statement_cursor_invalid``."""
    if cursor is None:
        return None, 0
    rows, dot, shown = cursor.rpartition(_DOT)
    if not dot or not rows or not shown.isascii() or not shown.isdigit():
        raise errors.StatementCursorInvalid(cursor=cursor[:80])
    return rows, int(shown)


def whole_days(st: queries.Statement, *, backwards: bool) -> list[dict[str, Any]]:
    """The page's rows less the part of a day the next page (or, read backwards, the page
    before) goes on with; all of them when the page is one day or the last in that direction."""
    rows = st.rows
    more = st.prev_before if backwards else st.next_after
    if not more or not rows:
        return rows
    edge = rows[0 if backwards else -1]["occurred_on"]
    kept = [r for r in rows if r["occurred_on"] != edge]
    return kept or rows


def cursor(row: dict[str, Any], shown: int) -> str:
    return f"{queries.statement_cursor(row)}{_DOT}{shown}"
