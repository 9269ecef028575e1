"""The AuthCache on a real store (ADR 0190): a token's record, its user and an organisation's
ancestors are kept for FUNDBOOK_AUTH_CACHE_S seconds once read. A revocation or a role taken
back counts at once when this process saved it, and within the window when another process
did (another worker, the CLI). The clock is moved by hand: nothing here waits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest

from ledger.application import Ledger
from ledger.application.auth_cache import AuthCache
from ledger.application.bootstrap import build_ledger
from ledger.config import Settings
from ledger.domain import errors
from tests.test_users import make_world

WINDOW_S = 2.0


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def world(ledger):
    return make_world(ledger)


@pytest.fixture
def cached_ledger(database_url, clock) -> Iterator[Callable[[], Ledger]]:
    """Opens Ledgers with the AuthCache on and the hand-moved clock (one per process)."""
    opened: list[Ledger] = []

    def opener() -> Ledger:
        opened.append(build_ledger(Settings(database_url=database_url, auth_cache_s=WINDOW_S), clock=clock))
        return opened[-1]

    yield opener
    for one in opened:
        one.close()


def refused_code(call: Callable[[], object]) -> str:
    with pytest.raises(errors.LedgerError) as excinfo:
        call()
    return excinfo.value.code


def test_a_token_revoked_by_another_process_is_refused_here_when_the_window_has_passed(
    cached_ledger, clock, world
):
    here, there = cached_ledger(), cached_ledger()
    token, _ = here.issue_token(world["user"], actor="admin")
    assert str(here.authenticate(token).id) == world["user"]  # read, and kept
    there.revoke_token(token, actor="admin")
    clock.now += WINDOW_S - 0.1
    assert str(here.authenticate(token).id) == world["user"]  # still as read, within the window
    clock.now += 0.1
    assert refused_code(lambda: here.authenticate(token)) == "token_invalid"


def test_a_token_revoked_in_this_process_is_refused_at_once_when_the_cache_is_on(cached_ledger, world):
    here = cached_ledger()
    token, _ = here.issue_token(world["user"], actor="admin")
    here.authenticate(token)
    here.revoke_token(token, actor="admin")
    assert refused_code(lambda: here.authenticate(token)) == "token_invalid"


def test_a_role_taken_back_by_another_process_is_refused_here_when_the_window_has_passed(
    cached_ledger, clock, world
):
    here, there = cached_ledger(), cached_ledger()
    here.change_role(world["user"], "grant", actor="admin", role="bookkeeper", org_id=world["a"])
    token, _ = here.issue_token(world["user"], actor="admin")
    here.require(here.authenticate(token), "bookkeeper", world["a"])
    there.change_role(world["user"], "revoke", actor="admin", role="bookkeeper", org_id=world["a"])
    clock.now += WINDOW_S
    user = here.authenticate(token)
    assert refused_code(lambda: here.require(user, "bookkeeper", world["a"])) == "role_required"


def test_a_role_taken_back_in_this_process_is_refused_at_once_when_the_cache_is_on(cached_ledger, world):
    here = cached_ledger()
    here.change_role(world["user"], "grant", actor="admin", role="bookkeeper", org_id=world["community"])
    token, _ = here.issue_token(world["user"], actor="admin")
    here.require(here.authenticate(token), "bookkeeper", world["a"])  # the branch's ancestors kept too
    here.change_role(world["user"], "revoke", actor="admin", role="bookkeeper", org_id=world["community"])
    user = here.authenticate(token)
    assert refused_code(lambda: here.require(user, "bookkeeper", world["a"])) == "role_required"


def test_a_branch_moved_in_this_process_is_checked_under_its_new_parent_at_once_when_the_cache_is_on(
    cached_ledger, world
):
    here = cached_ledger()
    here.change_role(world["user"], "grant", actor="admin", role="auditor", org_id=world["community"])
    token, _ = here.issue_token(world["user"], actor="admin")
    here.require(here.authenticate(token), "auditor", world["a"])  # under the community: kept
    elsewhere = here.register_organisation(
        actor="admin", kind="community_committee", name_zh="另一社区党委", established_on=date(2020, 1, 1)
    )["org_id"]
    here.change_organisation(
        world["a"], "reparent", actor="admin", new_parent_org_id=elsewhere, effective_on=date(2024, 1, 1)
    )
    user = here.authenticate(token)
    assert refused_code(lambda: here.require(user, "auditor", world["a"])) == "role_required"


def test_an_entry_read_before_a_save_is_not_kept_when_that_save_emptied_the_cache():
    """A request that read a token just before this process saved its revocation must not keep
    the old record for another window."""
    cache = AuthCache(WINDOW_S, clock=Clock())
    generation = cache.generation()  # the request starts reading
    cache.clear()  # the revocation is saved meanwhile
    cache.put("token", "as read before the revocation", generation)
    assert cache.get("token") is None


def test_nothing_is_kept_when_the_window_is_zero():
    cache = AuthCache(0.0, clock=Clock())
    cache.put("token", "record", cache.generation())
    assert cache.get("token") is None
