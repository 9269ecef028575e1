"""Opening an empty store from several processes at once (a server's workers beside
``fundbook project --follow``, as docs/deploy.md runs them)."""

from __future__ import annotations

import threading

import pytest

from ledger.application.bootstrap import build_ledger, build_views
from ledger.config import Settings
from ledger.projections import schema

OPENERS = 8


# the openers race to create the tables: there must be none yet (ADR 0213)
@pytest.mark.bare_store
def test_openers_starting_at_once_on_an_empty_store_all_open_it(database_url):
    """Each opener creates the event tables and the views if they are missing. On PostgreSQL,
    concurrent ``CREATE … IF NOT EXISTS`` statements of the library failed one opener with
    "tuple concurrently updated" (a CI run of the crash test); the setup lock serialises them."""
    settings = Settings(database_url=database_url)
    start = threading.Barrier(OPENERS)
    failures: list[BaseException] = []
    positions: list[int] = []

    def open_store() -> None:
        try:
            start.wait()
            ledger = build_ledger(settings)
            try:
                views = build_views(settings)
                try:
                    positions.append(views.position())
                    assert views.schema_version() == schema.SCHEMA_VERSION
                finally:
                    views.close()
                assert ledger.recorder.max_notification_id() in (None, 0)
            finally:
                ledger.close()
        except BaseException as error:  # reported below, with every opener's failure
            failures.append(error)

    threads = [threading.Thread(target=open_store) for _ in range(OPENERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert positions == [0] * OPENERS


def test_the_event_store_pool_takes_the_configured_size_and_overflow(database_url):
    """docs/deploy.md ("Connections") counts on these two settings to bound a process's
    connections to PostgreSQL; on SQLite they change nothing."""
    settings = Settings(database_url=database_url, postgres_pool_size=2, postgres_max_overflow=3)
    ledger = build_ledger(settings)
    try:
        if database_url.startswith("postgresql"):
            pool = ledger.recorder.datastore.pool
            assert (pool.min_size, pool.max_size) == (2, 5)
        assert ledger.recorder.max_notification_id() in (None, 0)  # it opened and reads
    finally:
        ledger.close()
