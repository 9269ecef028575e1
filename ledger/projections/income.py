"""Income by kind per organisation over a range of years (issue 21 item 5): what the seeds quote
as "2017年以来共给予了2个离退休干部党支部活动经费3.5万多元" — dues rebates, unit guarantees,
special funds, donations (and the rest of the money that came in from outside).

Income is counted where the fund that took it in belongs (its owner organisation), in the year
of its business date. A reversal counts as its original's kind, negatively, so a corrected
voucher nets to nothing. Transfers between funds are moves inside the books, not income, and
are left out; so are collections' fees (a collection passes money through, it is not given).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ledger.domain import errors
from ledger.projections.store import ViewStore

# The kinds of the report, in the order it prints them: the grant kinds, then donations and
# interest. A grant's kind is its category in the journal; the others are the entry's own kind.
INCOME_KINDS = (
    "dues_rebate",
    "unit_guarantee",
    "special_project",
    "fiscal",
    "dues_injection",
    "donation",
    "interest",
)
YEAR_MIN, YEAR_MAX = 1949, 2999
SPAN_YEARS_MAX = 100

# The original's kind for a reversal (o), else the row's own (j).
_KIND = "COALESCE(o.entry_kind, j.entry_kind)"
_INCOME_SQL = (
    "SELECT f.owner_org_id, SUBSTR(j.occurred_on, 1, 4), "
    f"CASE WHEN {_KIND} = 'grant' THEN j.category ELSE {_KIND} END, SUM(j.income_fen) "
    "FROM v_journal j JOIN v_fund f ON f.position = j.fund_no "
    "LEFT JOIN v_journal o ON j.reverses_voucher_no IS NOT NULL "
    "AND o.fund_no = j.fund_no AND o.voucher_no = j.reverses_voucher_no "
    f"WHERE {_KIND} IN ('grant', 'donation', 'interest') AND j.occurred_on >= ? AND j.occurred_on <= ? "
    "GROUP BY f.owner_org_id, SUBSTR(j.occurred_on, 1, 4), "
    f"CASE WHEN {_KIND} = 'grant' THEN j.category ELSE {_KIND} END"
)


@dataclass
class OrgIncome:
    org_id: str
    by_year: dict[int, dict[str, int]] = field(default_factory=dict)  # year → kind → fen

    @property
    def by_kind(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for kinds in self.by_year.values():
            for kind, fen in kinds.items():
                out[kind] = out.get(kind, 0) + fen
        return {kind: out[kind] for kind in INCOME_KINDS if kind in out}

    @property
    def total_fen(self) -> int:
        return sum(self.by_kind.values())


def check_years(from_year: int, to_year: int) -> None:
    """A range of whole years, first not after last, within the calendar the books can hold."""
    for name, year in (("from_year", from_year), ("to_year", to_year)):
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise errors.ValueNotAllowed(field=name, value=year, allowed=f"{YEAR_MIN}..{YEAR_MAX}")
    if from_year > to_year:
        raise errors.DatesOutOfOrder(field="to_year", earlier_field="from_year")
    if to_year - from_year >= SPAN_YEARS_MAX:
        last = from_year + SPAN_YEARS_MAX
        raise errors.ValueNotAllowed(field="to_year", value=to_year, allowed=f"< {last}")


def income_by_kind(store: ViewStore, *, from_year: int, to_year: int) -> dict[str, OrgIncome]:
    """org_id → its income by year and kind, for the organisations that took any in the range
    (a year whose reversals cancel its income shows its kinds at 0)."""
    check_years(from_year, to_year)
    out: dict[str, OrgIncome] = {}
    for org_id, year, kind, fen in store.fetch(_INCOME_SQL, (f"{from_year}-01-01", f"{to_year}-12-31")):
        kinds = out.setdefault(org_id, OrgIncome(org_id)).by_year.setdefault(int(year), {})
        kinds[kind] = kinds.get(kind, 0) + int(fen)
    return out
