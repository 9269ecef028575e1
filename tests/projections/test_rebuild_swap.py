"""Rebuild beside, then swap (issue 14, ADR 0052): the live views stay as they were while a
rebuild folds into the next generation's tables; the swap replaces them in one transaction, only
when the rebuilt views are at least as far; a follower whose batch was overtaken by a swap
carries on from the swapped-in views."""

from __future__ import annotations

import pytest

from ledger.application.bootstrap import build_views
from ledger.config import Settings
from ledger.projections import runner, schema
from ledger.projections.store import ViewStore
from tests.projections import test_views
from tests.projections.test_views import Books, busy_history

app, books, store = test_views.app, test_views.books, test_views.store  # the fixtures, reused


@pytest.fixture
def history(books: Books, store: ViewStore) -> tuple[Books, ViewStore]:
    for part in range(3):
        busy_history(books, part)
    runner.catch_up(store)
    return books, store


@pytest.mark.parametrize("processes", [False, True], ids=["one process", "a folding process"])
def test_live_views_are_untouched_until_the_swap_and_equal_after_it_when_a_rebuild_runs(
    history, monkeypatch, processes
):
    _, store = history
    before = store.digest(), store.positions()
    seen_before_swap = []
    swap_in = ViewStore.swap_in

    def looking_first(live: ViewStore, beside: ViewStore, finish=None) -> bool:
        seen_before_swap.append((live.digest(), live.positions()))
        assert beside.names.generation == 1
        return swap_in(live, beside, finish)

    monkeypatch.setattr(ViewStore, "swap_in", looking_first)

    runner.rebuild(store, processes=processes)

    assert seen_before_swap == [before]
    assert (store.digest(), store.positions()) == before
    assert store.generation() == 1


def test_a_second_rebuild_uses_new_index_names_and_gives_the_same_views_when_run_after_the_first(history):
    _, store = history
    before = store.digest()

    runner.rebuild(store, processes=False)
    runner.rebuild(store, processes=False)

    assert store.generation() == 2
    assert store.digest() == before
    journal_indexes = store.fetch(*_indexes_of(store, "v_journal"))
    assert {"v_journal_voucher_g2", "v_journal_order_g2"} <= {row[0] for row in journal_indexes}


def _indexes_of(store: ViewStore, table: str) -> tuple[str, tuple[str]]:
    if store.backend.name == "sqlite":
        return "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", (table,)
    return "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ?", (table,)


def test_swap_is_refused_and_changes_nothing_when_the_rebuilt_views_are_behind_the_live_ones(history):
    _, store = history
    before = store.digest(), store.positions()
    beside = store.beside()  # empty: position 0

    assert store.swap_in(beside) is False

    assert (store.digest(), store.positions()) == before
    assert beside.position() == 0


def test_the_swap_folds_what_was_recorded_since_the_last_catch_up_while_it_holds_the_live_views(books, store):
    for part in range(2):
        busy_history(books, part)
    runner.catch_up(store)
    beside = store.beside()
    runner.catch_up(beside)
    busy_history(books, 2)  # recorded after the rebuild's last catch-up …
    runner.catch_up(store)  # … and a follower moved the live views on
    head = store.position()
    assert beside.position() < head

    assert store.swap_in(beside) is False  # without a catch-up in the swap: behind, refused
    assert store.swap_in(beside, finish=runner.catch_up) is True  # one attempt, no race left

    assert store.position() == head and store.generation() == 1
    fresh = store.beside()  # a fold of every event from the first, for comparison
    runner.catch_up(fresh)
    assert fresh.digest() == store.digest()


def test_a_follower_carries_on_from_the_swapped_views_when_a_rebuild_overtakes_its_batch(
    books, store, database_url, monkeypatch
):
    follower = store
    for part in range(2):
        busy_history(books, part)
    runner.catch_up(follower)
    busy_history(books, 2)  # new events for the follower
    other = build_views(Settings(database_url=database_url))  # another process's store
    read_raw = follower.read_raw
    overtaken = []

    def rebuild_after_first_read(after: int, limit: int):
        rows = read_raw(after, limit)
        if not overtaken:  # the follower has read its batch; a rebuild swaps in the head meanwhile
            overtaken.append(runner.rebuild(other, processes=False))
        return rows

    monkeypatch.setattr(follower, "read_raw", rebuild_after_first_read)
    try:
        runner.catch_up(follower, batch_size=5)
        monkeypatch.undo()
        assert overtaken and follower.position() == follower.max_event_position()
        after_follower = follower.digest()
        runner.rebuild(other, processes=False)
        assert follower.digest() == after_follower  # what the follower left equals a rebuild
    finally:
        other.close()


def test_views_of_another_schema_version_are_rebuilt_beside_and_swapped_in_when_the_store_opens(
    history, database_url
):
    _, store = history
    before = store.digest()
    with store.backend.write() as cur:
        update = store.backend.sql(f"UPDATE {schema.META} SET value = ? WHERE key = ?")
        cur.execute(update, ("0", "schema_version"))

    reopened = build_views(Settings(database_url=database_url))
    try:
        assert reopened.schema_version() == schema.SCHEMA_VERSION
        assert reopened.generation() == 1
        assert reopened.digest() == before
    finally:
        reopened.close()


def test_views_missing_a_table_of_this_version_are_rebuilt_and_swapped_in_when_the_store_opens(
    history, database_url
):
    _, store = history
    before = store.digest()
    with store.backend.write() as cur:  # as an older version left them: no v_handover yet
        cur.execute("DROP TABLE v_handover")
        update = store.backend.sql(f"UPDATE {schema.META} SET value = ? WHERE key = ?")
        cur.execute(update, ("15", "schema_version"))

    reopened = build_views(Settings(database_url=database_url))
    try:
        assert reopened.schema_version() == schema.SCHEMA_VERSION
        assert reopened.digest() == before
    finally:
        reopened.close()
