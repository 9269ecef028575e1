"""The published dues standards (党费交纳标准) as data, and the standard they give a member.

A table maps a category to either rate bands on the member's declared monthly base, or a flat
amount a month. The rate of the band the base falls in applies to the *whole* base (not
progressively), rounded half up to the fen: a base of 3,000.00 gives 15.00, of 3,000.01 gives
30.00. A band is ``[upper bound in fen, inclusive (None: no bound), rate in basis points]``.

The dated default is the 2008 table (in force from 2008-04); an organisation may configure its
own table from a month (``DuesBook.configure``). The category ``fixed`` is not in any table: its
standard is the fixed amount declared for the member. Nothing here is a rule check: the checks
in ``ledger.domain.dues_book`` ask this module for the figure and show it beside what was paid.
"""

from __future__ import annotations

from typing import Any

from ledger.domain import errors

FIXED = "fixed"
BASIS_POINTS = 10_000
# 2008 rules: employed on after-tax pay, retired on pension; students, the unemployed and
# members on basic allowance 0.20 yuan a month.
TABLE_2008: dict[str, Any] = {
    "employed": {"bands": [[300_000, 50], [500_000, 100], [1_000_000, 150], [None, 200]]},
    "retired": {"bands": [[500_000, 50], [None, 100]]},
    "allowance": {"flat_fen": 20},
}
DEFAULT_TABLES: tuple[tuple[str, dict[str, Any]], ...] = (("2008-04", TABLE_2008),)
CATEGORIES_MAX = 20
BANDS_MAX = 20


def default_table(month: str) -> dict[str, Any] | None:
    """The dated default table in force in ``month`` (None before the first one)."""
    found = None
    for since, table in DEFAULT_TABLES:
        if since <= month:
            found = table
    return found


def check_table(table: object) -> dict[str, Any]:
    """A well-formed table: each category bands with rising bounds ending unbounded, or a flat
    amount; ``rates_table_invalid`` otherwise."""
    if not isinstance(table, dict) or not table or len(table) > CATEGORIES_MAX:
        raise errors.DuesRatesInvalid(problem="a table maps 1 to 20 categories")
    checked: dict[str, Any] = {}
    for category, entry in table.items():
        if not isinstance(category, str) or not category.isidentifier() or category == FIXED:
            raise errors.DuesRatesInvalid(problem=f"category {str(category)[:40]!r}")
        checked[category] = _check_entry(category, entry)
    return checked


def _check_entry(category: str, entry: object) -> dict[str, Any]:
    if isinstance(entry, dict) and set(entry) == {"flat_fen"}:
        flat = entry["flat_fen"]
        if type(flat) is not int or flat <= 0:
            raise errors.DuesRatesInvalid(problem=f"{category}: flat_fen must be a positive integer")
        return {"flat_fen": flat}
    bands = entry.get("bands") if isinstance(entry, dict) and set(entry) == {"bands"} else None
    if not isinstance(bands, list) or not 0 < len(bands) <= BANDS_MAX:
        raise errors.DuesRatesInvalid(problem=f"{category}: bands or flat_fen")
    previous = -1
    for i, band in enumerate(bands):
        last = i == len(bands) - 1
        if not isinstance(band, list | tuple) or len(band) != 2:
            raise errors.DuesRatesInvalid(problem=f"{category}: a band is [upper_fen, basis_points]")
        upper, rate = band
        if type(rate) is not int or not 0 < rate <= BASIS_POINTS:
            raise errors.DuesRatesInvalid(problem=f"{category}: a rate is 1 to 10000 basis points")
        if last != (upper is None) or (upper is not None and (type(upper) is not int or upper <= previous)):
            raise errors.DuesRatesInvalid(problem=f"{category}: bounds rise and the last is open")
        previous = upper if upper is not None else previous
    return {"bands": [list(b) for b in bands]}


def standard_fen(
    table: dict[str, Any] | None, category: str, base_fen: int | None, fixed_fen: int | None
) -> int:
    """The monthly standard of a member of ``category`` with that declaration, by ``table``."""
    if category == FIXED:
        if fixed_fen is None:
            raise errors.DuesBaseRequired(category=category, needs="fixed_fen")
        return fixed_fen
    entry = (table or {}).get(category)
    if entry is None:
        raise errors.DuesCategoryNotInTable(category=category)
    if "flat_fen" in entry:
        return int(entry["flat_fen"])
    if base_fen is None:
        raise errors.DuesBaseRequired(category=category, needs="base_fen")
    for upper, rate in entry["bands"]:
        if upper is None or base_fen <= upper:
            return (base_fen * rate + BASIS_POINTS // 2) // BASIS_POINTS
    raise errors.DuesCategoryNotInTable(category=category)  # a checked table ends unbounded
