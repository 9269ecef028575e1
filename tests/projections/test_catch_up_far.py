"""Catching up from far behind (issue 20 item 6, ADR 0180): a process opening a store whose views
are far behind the head (empty after a restore, or on a new server) rebuilds them beside and
swaps them in, the rebuild's fast path, instead of folding batches of 1000 into the live views;
a usual small gap still takes the incremental path. The threshold is made small here so the
histories stay short."""

from __future__ import annotations

import threading

import pytest
from typer.testing import CliRunner

from ledger.application.bootstrap import build_views
from ledger.cli import app as cli
from ledger.cli.progress import LABEL
from ledger.config import Settings
from ledger.projections import runner
from ledger.projections.store import ViewStore
from tests.projections import test_views
from tests.projections.test_views import Books, busy_history

app, books, store = test_views.app, test_views.books, test_views.store  # the fixtures, reused

FAR = 5  # events: any of these histories is far behind from empty views


@pytest.fixture
def far(monkeypatch) -> list[int]:
    """A small threshold, and the number of events each fast-path rebuild folded."""
    monkeypatch.setattr(runner, "FAR_BEHIND", FAR)
    rebuilds: list[int] = []
    rebuild_beside = runner._rebuild_beside

    def counted(store: ViewStore, progress, processes: bool) -> int:
        rebuilds.append(rebuild_beside(store, progress, processes))
        return rebuilds[-1]

    monkeypatch.setattr(runner, "_rebuild_beside", counted)
    return rebuilds


def fresh_fold(store: ViewStore) -> str:
    """The digest of every event folded from the first, in tables beside the live ones."""
    fresh = store.beside()
    runner.catch_up(fresh)
    return fresh.digest()


def far_history(books: Books) -> None:
    for part in range(3):
        busy_history(books, part)


@pytest.mark.parametrize("processes", [False, True], ids=["one process", "a folding process"])
def test_views_far_behind_are_rebuilt_beside_and_equal_a_fresh_fold_when_the_store_opens(
    books, store, far, processes
):
    far_history(books)
    head = store.max_event_position()
    assert store.position() == 0 and runner.far_behind(store)
    reported: list[tuple[int, int]] = []

    folded = runner.catch_up_at_open(
        store, processes=processes, progress=lambda n, t: reported.append((n, t))
    )

    assert far == [head] and folded == head
    assert store.position() == head and store.generation() == 1  # swapped in
    assert reported and reported[-1] == (head, head)
    assert store.digest() == fresh_fold(store)


def test_a_small_gap_is_folded_into_the_live_views_when_the_store_opens(books, store, far):
    far_history(books)
    runner.catch_up(store)
    books.donate(books.aid, test_views.TODAY, 1_000)  # a few events: a live follower's work
    before = store.position()

    folded = runner.catch_up_at_open(store)

    assert far == [] and store.generation() == 0  # no rebuild
    assert folded == store.max_event_position() - before > 0
    assert store.digest() == fresh_fold(store)


def test_a_gap_smaller_than_a_third_of_the_log_takes_the_incremental_path_when_the_store_opens(
    books, store, far
):
    far_history(books)
    runner.catch_up(store)
    head = store.max_event_position()
    for day in range(FAR + 1):  # more than the threshold, yet refolding the whole log costs more
        books.donate(books.aid, test_views.TODAY.replace(day=day + 1), 100)
    gap = store.max_event_position() - head
    assert gap > FAR and gap * runner.REFOLD_SHARE <= store.max_event_position()

    runner.catch_up_at_open(store)

    assert far == [] and store.position() == store.max_event_position()


@pytest.mark.parametrize("opener", ["serve", "cli"])
def test_one_opener_rebuilds_and_the_others_find_the_views_caught_up_when_several_open_at_once(
    books, store, database_url, far, opener
):
    far_history(books)
    head = store.max_event_position()
    errors: list[BaseException] = []

    def open_store() -> None:
        try:
            if opener == "serve":  # runner.prepare under the setup lock, as a starting server
                build_views(Settings(database_url=database_url), catch_up=True).close()
            else:  # the CLI's open_books: the rebuild lock only
                views = build_views(Settings(database_url=database_url))
                try:
                    runner.catch_up_at_open(views)
                finally:
                    views.close()
        except BaseException as error:  # reported by the test's own thread
            errors.append(error)

    openers = [threading.Thread(target=open_store) for _ in range(3)]
    for thread in openers:
        thread.start()
    for thread in openers:
        thread.join()

    assert errors == []
    assert far == [head]  # one rebuild; the others waited, then found the views at the head
    assert store.position() == head and store.generation() == 1
    assert store.digest() == fresh_fold(store)


def test_a_live_follower_racing_the_rebuild_carries_on_from_the_swapped_views_when_both_run(
    books, store, database_url, far, monkeypatch
):
    far_history(books)
    other = build_views(Settings(database_url=database_url))  # a server following the same store
    follower = runner.Follower(other, poll_s=0.01)
    beside, swap_in = ViewStore.beside, ViewStore.swap_in
    paid, started = [], []

    def follower_starts(live: ViewStore) -> ViewStore:  # once the opener chose the fast path
        if not started:
            started.append(follower.start())  # it folds into the live views from the first event
        return beside(live)

    def recorded_meanwhile(live: ViewStore, beside: ViewStore, finish=None) -> bool:
        # events recorded during the rebuild, which the follower folds into the live views
        books.donate(books.act_a, test_views.TODAY, 700, person=books.p1)
        paid.append(books.pay(books.aid, test_views.TODAY, 300))
        assert runner.wait_for(other, other.max_event_position())
        return swap_in(live, beside, finish)

    monkeypatch.setattr(ViewStore, "beside", follower_starts)
    monkeypatch.setattr(ViewStore, "swap_in", recorded_meanwhile)
    try:
        runner.catch_up_at_open(store)
        monkeypatch.undo()
        books.reverse(books.aid, paid[0]["voucher_no"], test_views.TODAY)  # after the swap: the follower's
        assert runner.wait_for(other, other.max_event_position())
    finally:
        follower.stop()
        other.close()

    assert follower.error is None
    assert far and store.generation() == 1
    assert store.position() == store.max_event_position()
    assert store.digest() == fresh_fold(store)


def test_a_failed_catch_up_leaves_the_live_views_as_they_were_and_the_next_open_completes_them(
    books, store, far, monkeypatch
):
    far_history(books)
    monkeypatch.setattr(runner, "REBUILD_BATCH_SIZE", 4)  # several batches beside
    before = store.digest(), store.positions()
    written: list[int] = []
    before_commit = ViewStore.before_commit

    def dies_on_the_second_batch_beside(self: ViewStore, batch) -> None:
        if self.names.generation == 1:
            written.append(batch.last_position)
            if len(written) == 2:
                raise KeyboardInterrupt  # as a process stopped half-way
        before_commit(self, batch)

    monkeypatch.setattr(ViewStore, "before_commit", dies_on_the_second_batch_beside)
    with pytest.raises(KeyboardInterrupt):
        runner.catch_up_at_open(store, processes=False)
    monkeypatch.setattr(ViewStore, "before_commit", before_commit)

    assert (store.digest(), store.positions()) == before  # the live views never saw the rebuild
    runner.catch_up_at_open(store, processes=False)  # the next start
    assert store.generation() == 1 and store.position() == store.max_event_position()
    assert store.digest() == fresh_fold(store)


def test_balances_answers_from_views_rebuilt_beside_with_progress_on_stderr_when_the_views_were_empty(
    books, store, database_url, far
):
    far_history(books)
    head = store.max_event_position()

    result = CliRunner().invoke(cli, ["balances"], env={"FUNDBOOK_DATABASE_URL": database_url})

    assert result.exit_code == 0, result.output
    assert far == [head] and store.generation() == 1 and store.position() == head
    assert LABEL in result.stderr and LABEL not in result.stdout  # stdout stays the answer's
    assert "activity基金" in result.stdout
    assert store.digest() == fresh_fold(store)


def test_a_read_only_process_writes_no_view_when_it_opens_views_far_behind(books, store, database_url, far):
    far_history(books)
    before = store.digest(), store.positions()
    env = {"FUNDBOOK_DATABASE_URL": database_url, "FUNDBOOK_READ_ONLY": "1"}

    result = CliRunner().invoke(cli, ["balances"], env=env)

    assert result.exit_code == 0, result.output
    assert far == [] and store.generation() == 0  # on a standby the primary's server does it
    assert (store.digest(), store.positions()) == before
