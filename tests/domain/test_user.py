"""Users: roles over an organisation's subtree, granted and revoked as events; tokens kept only
as hashes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ledger.domain.errors import LedgerError
from ledger.domain.user import SESSION_LIFETIME, ApiToken, User, new_token, token_hash
from tests.domain.builders import ctx


def a_user() -> User:
    user = User.register(ctx(), person_id="person-1", name="王小明")
    user.collect_events()
    return user


def test_role_covers_the_organisation_and_its_subtree_when_granted_above():
    user = a_user()
    user.grant(ctx(), role="bookkeeper", org_id="community")
    assert user.holds("bookkeeper", ["branch-a", "community", "street"])
    assert not user.holds("bookkeeper", ["branch-b", "other-community"])
    assert not user.holds("cashier", ["community"])


def test_admin_holds_every_role_where_it_is_granted():
    user = a_user()
    user.grant(ctx(), role="admin", org_id="street")
    assert user.holds("bookkeeper", ["branch", "community", "street"])


def test_grant_is_refused_with_role_already_held_when_granted_twice():
    user = a_user()
    user.grant(ctx(), role="auditor", org_id="community")
    user.collect_events()
    with pytest.raises(LedgerError) as excinfo:
        user.grant(ctx(), role="auditor", org_id="community")
    assert excinfo.value.code == "role_already_held"
    assert user.collect_events() == []


def test_revoke_removes_the_role_and_is_refused_with_role_not_held_when_not_held():
    user = a_user()
    user.grant(ctx(), role="auditor", org_id="community")
    user.revoke(ctx(), role="auditor", org_id="community")
    assert not user.holds("auditor", ["community"])
    with pytest.raises(LedgerError) as excinfo:
        user.revoke(ctx(), role="auditor", org_id="community")
    assert excinfo.value.code == "role_not_held"


def test_grant_is_refused_with_value_not_allowed_when_the_role_is_unknown():
    with pytest.raises(LedgerError) as excinfo:
        a_user().grant(ctx(), role="treasurer", org_id="community")
    assert excinfo.value.code == "value_not_allowed"


def test_issued_token_is_stored_only_as_its_hash():
    user = a_user()
    token = new_token()
    record = user.issue_token(ctx(), token, now=datetime.now(UTC))
    events = [*user.collect_events(), *record.collect_events()]
    stored = repr([e.__dict__ for e in events])
    assert token not in stored
    assert token_hash(token) in stored
    assert record.id == ApiToken.create_id(token_hash(token))


@pytest.mark.parametrize(("issued_by", "expires"), [("self", True), ("an-admin", False)])
def test_a_v1_token_ends_eight_hours_after_issue_only_when_self_issued(issued_by, expires):
    """v1 tokens had no expiry; a console session was a token its own user issued (ADR 0061)."""
    issued = datetime(2025, 7, 1, 8, 0, tzinfo=UTC)
    state = {"timestamp": issued, "token_hash": "0" * 64, "user_id": "self", "issued_by": issued_by}

    ApiToken.Created.upcast_v1_v2(state)

    assert state["expires_at"] == (issued + SESSION_LIFETIME if expires else None)
