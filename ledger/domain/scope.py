"""What a user reads: the organisations at or below where they hold a role (issue 15, point 10).

A role counts for its organisation and the whole subtree below it, for reading as for writing:
a member of one branch reads that branch's balances, not a neighbour's; a bookkeeper of a
community reads the people of its branches, not another community's. The pure rules are here;
the API and the console feed them the current tree (``queries.tree_on``) and a person's
branches (``v_membership``). docs/security.md lists the deliberate exceptions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ledger.domain.user import User


def tops(user: User, roles: Iterable[str]) -> set[str]:
    """The organisations where the user holds one of ``roles`` or ``admin``."""
    wanted = {*roles, "admin"}
    return {g["org_id"] for g in user.grants if g["role"] in wanted}


def subtree(top_orgs: set[str], parents: Mapping[str, str | None]) -> set[str]:
    """Every organisation of ``parents`` (org → parent) at or below one of ``top_orgs``."""
    out: set[str] = set()
    for org in parents:
        seen: set[str] = set()
        node: str | None = org
        while node is not None and node not in seen:
            if node in top_orgs:
                out.add(org)
                break
            seen.add(node)
            node = parents.get(node)
    return out


@dataclass(frozen=True)
class PersonScope:
    """Which of a person's rows (by the branch on each entry's date) a reader sees."""

    branches: frozenset[str] | None  # None: every branch (the person themself)
    branchless: bool  # rows dated when the person belonged to no branch

    def shows(self, branch: str | None) -> bool:
        if self.branches is None:
            return True
        return self.branchless if branch is None else branch in self.branches


def person_scope(
    user: User,
    person_id: str,
    person_branches: set[str],
    readable: set[str],
    roots: set[str],
) -> PersonScope | None:
    """A person's totals and history: all of it for the person themself; for a reader holding
    a person-reading role, the rows of branches inside ``readable`` (their subtree), and the
    branchless ones (aid to a resident, say) only for a reader at a root of the tree. None: the
    person never belonged inside the reader's subtree (and the reader is at no root)."""
    if user.person_id == person_id:
        return PersonScope(None, True)
    at_root = bool(readable & roots)
    if not (person_branches & readable) and not at_root:
        return None
    return PersonScope(frozenset(readable), at_root)
