"""The public notice of an organisation's members' figures: counts and totals, never a person.

Two sections, each shown only where there is something to show:

- 互助会会员 (ADR 0130): for each mutual-aid fund of the organisation, how many members are on
  the association's roll today and how many have paid this year's contribution;
- 党费收缴 (ADR 0160): for a branch with a dues book, what was collected, handed up in full,
  still held before the next hand-up, and the rebate received, with the number of members who
  paid each month.

No name, base, category, amount of a member or waiver reason reaches this model: the views it
reads hold counts and sums only where it reads them (``roll.counts``, ``dues_queries.totals``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ledger.domain import errors
from ledger.projections import dues_queries, queries, roll
from ledger.projections.store import ViewStore


@dataclass(frozen=True)
class RollLine:
    fund_name: str
    counts: roll.RollCounts


@dataclass(frozen=True)
class MembersNotice:
    org_name: str
    rolls: list[RollLine]
    dues: dues_queries.Totals | None

    @property
    def title(self) -> str:
        return f"{self.org_name}会员和党费公示"


def build(views: ViewStore, org_id: str, *, today: date) -> MembersNotice:
    """The notice of ``org_id`` on ``today`` (``organisation_not_found`` for no such one)."""
    names = queries.tree_on(views, today)
    if org_id not in names:
        raise errors.OrganisationNotFound(org_id=org_id)
    funds = [f for f in queries.fund_balances(views) if f.owner_org_id == org_id and f.kind == "mutual_aid"]
    rolls = [RollLine(f.name_zh, roll.counts(views, f.fund_id, today)) for f in funds]
    dues = dues_queries.totals(views, org_id)
    has_dues = dues.collected_fen or dues.handed_up_fen or dues.rebate_fen or dues.months
    return MembersNotice(names[org_id][0], [r for r in rolls if r.counts.members], dues if has_dues else None)
