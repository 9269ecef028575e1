"""What the public index (``/``) shows of each fund: its latest posted notice first, then its
periods grouped by year, each marked posted (every month closed) or provisional (临时, a month
still open), so that a reader on a phone sees one large link first and opens a year only when
looking for an older sheet (issue 18)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson

from ledger.exports import aid_notice
from ledger.projections import queries
from ledger.projections.store import ViewStore


@dataclass(frozen=True)
class PeriodLink:
    period: str
    kind: str  # year, quarter or month
    posted: bool

    def label(self, lang: str) -> str:
        """The short name inside its year's group: 全年, 第三季度, 7月 (Q3, July in English)."""
        if self.kind == "year":
            return "全年" if lang == "zh" else "Whole year"
        if self.kind == "quarter":
            quarter = int(self.period[6])
            return f"第{'一二三四'[quarter - 1]}季度" if lang == "zh" else f"Q{quarter}"
        month = int(self.period[5:])
        return f"{month}月" if lang == "zh" else date(2000, month, 1).strftime("%B")


@dataclass(frozen=True)
class YearGroup:
    year: str
    periods: list[PeriodLink]

    @property
    def posted_count(self) -> int:
        return sum(p.posted for p in self.periods)


def index_tree(views: ViewStore, today: date) -> list[dict[str, Any]]:
    """The organisation tree of today, each node with its funds (latest posted notice, periods
    by year, newest first) and each fund's aid-proposal notices on the board today (posting,
    or recently ended)."""
    tree = queries.tree_on(views, today)
    nodes = {
        oid: {"org_id": oid, "name": name, "kind": kind, "funds": [], "children": [], "members": False}
        for oid, (name, kind, _) in tree.items()
    }
    with_members = views.fetch(  # a roll of a mutual-aid fund, or a dues book: /board/members/{org}
        "SELECT f.owner_org_id FROM v_roll_member r JOIN v_fund f ON f.fund_id = r.fund_id "
        "UNION SELECT org_id FROM v_dues_payment"
    )
    for (oid,) in with_members:
        if oid in nodes:
            nodes[oid]["members"] = True
    notices: dict[str, list[aid_notice.AidNotice]] = {}
    for notice in aid_notice.listed(views, today):
        notices.setdefault(notice.fund_id, []).append(notice)
    closed: dict[str, set[str]] = {}
    for fund_id, period in views.fetch("SELECT fund_id, period FROM v_period_close"):
        closed.setdefault(fund_id, set()).add(period)
    for fund_id, owner, name, established, policy in views.fetch(
        "SELECT fund_id, owner_org_id, name_zh, established_on, policy FROM v_fund ORDER BY position"
    ):
        if owner in nodes:
            cadence = orjson.loads(policy).get("disclosure_cadence", "monthly")
            years = year_groups(established, today, closed.get(fund_id, set()))
            nodes[owner]["funds"].append(
                {
                    "fund_id": fund_id,
                    "name": name,
                    "cadence": cadence,
                    "latest": latest_posted(years, cadence),
                    "years": years,
                    "notices": notices.get(fund_id, []),
                }
            )
    roots = []
    for oid, (_, _, parent) in tree.items():
        (nodes[parent]["children"] if parent in nodes else roots).append(nodes[oid])
    return roots


_KIND_OF_CADENCE = {"monthly": "month", "quarterly": "quarter", "yearly": "year"}


def latest_posted(years: list[YearGroup], cadence: str) -> PeriodLink | None:
    """The newest posted period of the fund's disclosure cadence (a quarterly fund's latest
    closed quarter), else its newest posted period of any kind; None before the first close."""
    posted = [p for y in years for p in y.periods if p.posted]  # newest year first
    wanted = _KIND_OF_CADENCE.get(cadence, "month")
    of_cadence = [p for p in posted if p.kind == wanted]
    if of_cadence:
        return max(of_cadence, key=lambda p: p.period)
    months = [p for p in posted if p.kind == "month"]
    return max(months, key=lambda p: p.period) if months else None


def year_groups(established_on: str, today: date, closed: set[str]) -> list[YearGroup]:
    """Every year from today's back to the fund's first: the year, its quarters and months that
    have begun since the fund was established (newest first), each posted when every month of
    it the fund lives in is closed (as the statement's ``provisional`` says)."""
    first, last = established_on[:7], today.isoformat()[:7]
    years = []
    for year in range(today.year, int(first[:4]) - 1, -1):
        lived = [f"{year}-{m:02d}" for m in range(1, 13) if first <= f"{year}-{m:02d}"]
        months = [m for m in lived if m <= last]  # a period is listed once it has begun
        links = [PeriodLink(str(year), "year", set(lived) <= closed)]
        for q in range(4, 0, -1):
            inside = [m for m in _quarter(year, q) if m in lived]
            if any(m in months for m in inside):
                links.append(PeriodLink(f"{year}-Q{q}", "quarter", set(inside) <= closed))
        links += [PeriodLink(m, "month", m in closed) for m in reversed(months)]
        years.append(YearGroup(str(year), links))
    return years


def _quarter(year: int, quarter: int) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(3 * quarter - 2, 3 * quarter + 1)]
