"""The organisation tree as it was on a date (R30), each organisation's funds rolled up over its
subtree, and the branches whose size R31 warns about.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ledger.projections.queries.funds import fund_balances
from ledger.projections.queries.views import one_snapshot
from ledger.projections.store import ViewStore


@dataclass
class OrgRollup:
    org_id: str
    name_zh: str
    kind: str
    parent_org_id: str | None
    own_fen: dict[str, int] = field(default_factory=dict)  # fund kind → balance of own funds
    total_fen: dict[str, int] = field(default_factory=dict)  # … of own and descendants' funds

    @property
    def total_all_fen(self) -> int:
        return sum(self.total_fen.values())


@one_snapshot
def tree_on(store: ViewStore, day: date) -> dict[str, tuple[str, str, str | None]]:
    """org_id → (name, kind, parent) as the tree was on ``day`` (R30); later orgs left out."""
    iso = day.isoformat()
    orgs = store.fetch("SELECT org_id, kind FROM v_org WHERE established_on <= ?", (iso,))
    names = _latest(store, "v_org_name", "name_zh", iso)
    parents = _latest(store, "v_org_parent", "parent_org_id", iso)
    return {org_id: (names[org_id], kind, parents.get(org_id)) for org_id, kind in orgs}


def _latest(store: ViewStore, table: str, column: str, iso: str) -> dict[str, Any]:
    rows = store.fetch(
        f"SELECT org_id, {column} FROM {table} WHERE effective_on <= ? ORDER BY effective_on, position",
        (iso,),
    )
    return dict(rows)  # later rows win


@one_snapshot
def org_rollups(store: ViewStore, *, as_of: date) -> dict[str, OrgRollup]:
    """Each organisation's funds by kind, and those of its whole subtree, on the tree of ``as_of``."""
    tree = tree_on(store, as_of)
    rollups = {oid: OrgRollup(oid, name, kind, parent) for oid, (name, kind, parent) in tree.items()}
    for balance in fund_balances(store, as_of=as_of):
        owner = rollups.get(balance.owner_org_id)
        if owner is None:
            continue
        owner.own_fen[balance.kind] = owner.own_fen.get(balance.kind, 0) + balance.balance_fen
        seen: set[str] = set()
        node: OrgRollup | None = owner
        while node is not None and node.org_id not in seen:  # up the tree as it was on the date
            seen.add(node.org_id)
            node.total_fen[balance.kind] = node.total_fen.get(balance.kind, 0) + balance.balance_fen
            node = rollups.get(node.parent_org_id) if node.parent_org_id else None
    return rollups


# --- branch size (R31, a warning, not a rule that refuses) ------------------------------------------
BRANCH_MEMBERS_MAX = 50  # a branch normally has at most 50 members (docs/concepts/practice.md)


BRANCH_FULL_MEMBERS_MIN = 3  # a branch is formed where there are 3 or more full members


BRANCH_WARNING_TEXTS = {  # code → (Chinese, English)
    "branch_over_50_members": (
        "支部党员超过50人，宜分设支部或党小组",
        "More than 50 members: the branch should be split or organised in groups",
    ),
    "branch_under_3_full_members": (
        "正式党员不足3人，不符合单独建立支部的条件",
        "Fewer than 3 full members: too few to form a branch of its own",
    ),
}


@dataclass(frozen=True)
class BranchWarning:
    """A branch whose size R31 asks the ledger to warn about, on a day."""

    org_id: str
    name_zh: str
    members: int
    full_members: int
    codes: tuple[str, ...]  # branch_over_50_members, branch_under_3_full_members


@one_snapshot
def branch_warnings(store: ViewStore, day: date, org_ids: Iterable[str] | None = None) -> list[BranchWarning]:
    """R31: the branches (not temporary ones, whose members keep their formal membership
    elsewhere) that on ``day`` have more than 50 members or fewer than 3 full members, by name;
    only those among ``org_ids`` if given."""
    on = day.isoformat()
    tree = tree_on(store, day)
    wanted = None if org_ids is None else set(org_ids)
    branches = store.fetch(
        "SELECT org_id FROM v_org WHERE kind = 'branch' AND COALESCE(branch_kind, '') <> 'temporary' "
        "AND established_on <= ? AND (dissolved_on IS NULL OR dissolved_on > ?)",
        (on, on),
    )
    counts = {
        org_id: (int(members), int(full))
        for org_id, members, full in store.fetch(
            "SELECT org_id, COUNT(*), SUM(CASE WHEN status = 'full' THEN 1 ELSE 0 END) FROM v_membership "
            "WHERE from_date <= ? AND (to_date IS NULL OR to_date >= ?) GROUP BY org_id",
            (on, on),
        )
    }
    out = []
    for (org_id,) in branches:
        if org_id not in tree or (wanted is not None and org_id not in wanted):
            continue
        members, full = counts.get(org_id, (0, 0))
        codes = tuple(
            code
            for code, applies in (
                ("branch_over_50_members", members > BRANCH_MEMBERS_MAX),
                ("branch_under_3_full_members", full < BRANCH_FULL_MEMBERS_MIN),
            )
            if applies
        )
        if codes:
            out.append(BranchWarning(org_id, tree[org_id][0], members, full, codes))
    return sorted(out, key=lambda w: (w.name_zh, w.org_id))
