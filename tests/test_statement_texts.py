"""Reading the stored events behind a statement's rows (ADR 0165): one SQL text for any number
of positions, so a connection's statement cache (128 prepared statements, each as large as its
text) does not grow with the books; and any number of positions is read, on both stores."""

from __future__ import annotations

import ctypes
import ctypes.util

import pytest

from ledger.application.bootstrap import build_ledger, build_views
from ledger.config import Settings
from ledger.projections.sqlite_backend import SQLiteBackend
from tests.conftest import is_postgres

MANY = 40_000  # more than SQLite's default limit of 32,766 variables in one statement (builds differ)


def _people_positions(database_url: str, n: int) -> list[int]:
    ledger = build_ledger(Settings(database_url=database_url))
    try:
        for k in range(n):
            ledger.register_person(actor="t", name_zh=f"人{k}")
    finally:
        ledger.close()
    views = build_views(Settings(database_url=database_url))
    try:
        return [int(p) for p, *_ in views.read_raw(0, 1000)]
    finally:
        views.close()


def test_event_states_reads_every_stored_event_asked_for_when_forty_thousand_positions_are_asked(
    database_url,
):
    stored = _people_positions(database_url, 3)
    views = build_views(Settings(database_url=database_url))
    try:
        asked = stored + list(range(10**6, 10**6 + MANY))  # the rest are positions not in the log

        states = views.event_states(asked)

        assert sorted(states) == stored
        assert sorted(s["name_zh"] for s in states.values() if "name_zh" in s) == ["人0", "人1", "人2"]
    finally:
        views.close()


def test_sqlite_reads_states_with_one_statement_text_when_the_number_of_positions_changes(tmp_path):
    backend = SQLiteBackend(str(tmp_path / "views.db"))

    texts = {backend.states_sql(list(range(n)))[0] for n in (1, 2, 500, MANY)}

    assert len(texts) == 1


def _sqlite_memory_used() -> int:
    """SQLite's own count of the bytes it holds in this process (the library Python uses)."""
    lib = ctypes.CDLL(ctypes.util.find_library("sqlite3") or "libsqlite3.so.0")
    lib.sqlite3_memory_used.restype = ctypes.c_int64
    return int(lib.sqlite3_memory_used())


def test_sqlite_heap_does_not_grow_with_the_statements_read_when_their_rows_grow(database_url):
    if is_postgres():
        pytest.skip("SQLite's prepared statements: PostgreSQL's are the server's (one text, ANY(array))")
    stored = _people_positions(database_url, 3)
    views = build_views(Settings(database_url=database_url))
    try:
        views.event_states(stored)  # the connection and its first statement
        before = _sqlite_memory_used()
        if before <= 0:
            pytest.skip("this SQLite does not count its memory (SQLITE_DEFAULT_MEMSTATUS=0)")

        for n in range(1, 121):  # 120 reads, each of a longer list: an open period growing
            views.event_states(stored + list(range(10**6, 10**6 + 50 * n)))

        grown = _sqlite_memory_used() - before
        assert grown < 4 * 1024 * 1024, f"SQLite's heap grew by {grown / 2**20:.1f} MiB"
    finally:
        views.close()
