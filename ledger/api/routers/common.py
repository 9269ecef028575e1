"""What every router does the same way: answer a write, check a role."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import Request, Response

from ledger.application import Ledger, Recorded
from ledger.domain import errors
from ledger.domain.scope import PersonScope, person_scope, subtree, tops
from ledger.domain.user import User
from ledger.projections import queries
from ledger.projections.store import ViewStore

POSITION_HEADER = "X-Fundbook-Position"
# "true" when the answer is the one recorded before for the same request_id (nothing new was
# written), "false" on a first write: the header payment APIs use for idempotent retries.
REPLAYED_HEADER = "Idempotent-Replayed"
READ_ROLES = ("bookkeeper", "cashier", "approver", "auditor", "member")
# The custodians and auditors, who read the books themselves: journal rows with payees' names,
# memos, handlers and details. A member reads balances and the internal board (ADR 0013).
BOOK_ROLES = ("bookkeeper", "cashier", "approver", "auditor")
# Who reads any person's totals and history; anyone else only their own (docs/concepts/practice.md).
PERSON_ROLES = ("auditor", "bookkeeper")


def answer(request: Request, response: Response, recorded: Recorded) -> dict[str, Any]:
    """The body is the command's result (the same on a retried request); the log position it
    wrote and whether it was a replay go in headers, and the views are woken to catch up."""
    response.headers[REPLAYED_HEADER] = "true" if recorded.replayed else "false"
    if recorded.position is not None:
        response.headers[POSITION_HEADER] = str(recorded.position)
    request.app.state.follower.poke()
    return {"result": recorded.result}


def require_any(ledger: Ledger, user: User, roles: tuple[str, ...], org_id: str) -> None:
    """The user holds one of ``roles`` (or admin) for the organisation or one above it."""
    last: errors.LedgerError | None = None
    for role in roles:
        try:
            ledger.require(user, role, org_id)
            return
        except errors.LedgerError as error:  # only role_required is expected here
            if error.code != "role_required":
                raise
            last = error
    assert last is not None
    raise last


def require_somewhere(user: User, roles: tuple[str, ...]) -> None:
    """The user holds one of ``roles`` (or admin) for some organisation."""
    if not any(g["role"] in (*roles, "admin") for g in user.grants):
        raise errors.RoleRequired(role=" | ".join(roles), org_id="any")


def readable_orgs(views: ViewStore, user: User, roles: tuple[str, ...], on: date = date.max) -> set[str]:
    """The organisations at or below one where the user holds one of ``roles`` (or admin), in
    the tree as it stands, or as it stood ``on`` a day (issue 15, point 10)."""
    return subtree(tops(user, roles), _parents(views, on))


def _parents(views: ViewStore, on: date = date.max) -> dict[str, str | None]:
    return {org: parent for org, (_, _, parent) in queries.tree_on(views, on).items()}


def require_may_see_person(views: ViewStore, user: User, person_id: str) -> PersonScope:
    """A person's totals and history: all their own; else, for an auditor or bookkeeper, the
    rows of the branches in their subtree, if the person ever belonged to one of them (or the
    reader is at a root of the tree); ``role_required`` otherwise. The API's
    ``GET /members/{person_id}`` and the console's person page."""
    if user.person_id != person_id:
        require_somewhere(user, PERSON_ROLES)
    parents = _parents(views)
    readable = subtree(tops(user, PERSON_ROLES), parents)
    branches = {
        row[0] for row in views.fetch("SELECT org_id FROM v_membership WHERE person_id = ?", (person_id,))
    }
    roots = {org for org, parent in parents.items() if parent is None}
    scope = person_scope(user, person_id, branches, readable, roots)
    if scope is None:
        raise errors.RoleRequired(role=" | ".join(PERSON_ROLES), org_id=" | ".join(sorted(branches)) or "any")
    return scope


def fund_owner(ledger: Ledger, fund_id: str) -> str:
    return ledger.fund_owner(fund_id)
