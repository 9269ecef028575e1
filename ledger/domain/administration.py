"""Who may administer a user: issue, list and revoke their tokens, grant and revoke their roles.

An administrator acts over a subtree: every organisation where they hold ``admin`` and all
below it. They administer a user only when everything that user stands for lies inside that
subtree: each organisation where the user holds a role (so never a user holding a role above
it, or in a neighbouring branch), and, for a user holding no role yet, the branch their person
belongs to (a person in no branch: an administrator at a root of the tree only, as only a
reader at a root reads such a person's rows, docs/security.md). A token of a user is that user's power;
minting one for a user outside one's subtree was an escalation (issue 15, point 1).

The rule takes the lineages (an organisation and its ancestors, nearest first) from the
caller, which reads them from the organisations' current parents (``Ledger.ancestors``).
"""

from __future__ import annotations

from collections.abc import Mapping

from ledger.domain import errors
from ledger.domain.user import User


def administered(actor: User) -> set[str]:
    """The organisations at the tops of the actor's administered subtrees."""
    return {g["org_id"] for g in actor.grants if g["role"] == "admin"}


def places_of(target: User, branch: str | None) -> list[str]:
    """The organisations a user stands for: where they hold roles, else their person's branch."""
    held = list(dict.fromkeys(g["org_id"] for g in target.grants))
    if held:
        return held
    return [branch] if branch is not None else []


def check_administers(
    actor: User, target: User, lineages: Mapping[str, list[str]], *, actor_at_root: bool
) -> None:
    """``role_required`` unless the actor is an administrator somewhere; ``user_outside_subtree``
    unless every place of the target (a key of ``lineages``) lies in the actor's subtree, or,
    for a target with no place at all, unless the actor administers a root."""
    tops = administered(actor)
    if not tops:
        raise errors.RoleRequired(role="admin", org_id="any")
    if not lineages and not actor_at_root:
        raise errors.UserOutsideSubtree(user_id=str(target.id), org_id="-")
    for org_id, lineage in lineages.items():
        if tops.isdisjoint(lineage):
            raise errors.UserOutsideSubtree(user_id=str(target.id), org_id=org_id)


def check_in_subtree(actor: User, org_id: str, lineage: list[str]) -> None:
    """The actor administers ``org_id`` (``lineage``: it and its ancestors): ``role_required``."""
    if administered(actor).isdisjoint(lineage):
        raise errors.RoleRequired(role="admin", org_id=org_id)
