"""Every in-memory cache of a serving process stays at its bound (ADR 0054): the byte- and
entry-bounded cache of sealed files, the aggregate caches (writer and readers), the user → person
map, the event-id cache, and the SQLite views' connections (one per live thread, small page
caches for readers)."""

from __future__ import annotations

import threading
import uuid

import pytest

from ledger.application import ledger as application
from ledger.application import memory_tuning
from ledger.application.bootstrap import build_ledger
from ledger.application.bounded_cache import BoundedCache
from ledger.config import Settings
from ledger.projections import records
from ledger.projections.sqlite_backend import READ_CACHE_KIB, WRITE_CACHE_KIB, SQLiteBackend


def test_the_bounded_cache_stays_at_its_byte_bound_when_more_is_put():
    cache = BoundedCache(max_bytes=1000, max_entries=100)

    for n in range(10):
        cache.put(n, bytes(300))

    assert cache.bytes == 900 and len(cache) == 3
    assert [cache.get(n) is not None for n in (6, 7, 8, 9)] == [False, True, True, True]


def test_the_bounded_cache_stays_at_its_entry_bound_and_keeps_the_recently_used():
    cache = BoundedCache(max_bytes=10**6, max_entries=2)
    cache.put("a", b"1")
    cache.put("b", b"2")
    cache.get("a")  # used: "b" is now the least recent

    cache.put("c", b"3")

    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (b"1", None, b"3")
    assert cache.status()["evictions"] == 1 and len(cache) == 2


def test_the_bounded_cache_keeps_nothing_larger_than_its_byte_bound():
    cache = BoundedCache(max_bytes=10, max_entries=5)
    cache.put("small", b"12345")

    cache.put("big", bytes(11))

    assert cache.get("big") is None and cache.get("small") == b"12345" and cache.bytes == 5


def test_the_aggregate_caches_stay_at_their_bound_when_more_aggregates_are_read(database_url):
    ledger = build_ledger(Settings(database_url=database_url, aggregate_cache_size=5))
    try:
        people = [ledger.register_person(actor="t", name_zh=f"人{n}")["person_id"] for n in range(12)]
        for person in people:
            ledger.person(person)  # a reader (this thread does not hold the write lock)

        assert len(ledger.repository.cache.cache) <= 5
        assert len(ledger._read_repository.cache.cache) == 5
    finally:
        ledger.close()


def test_the_user_to_person_map_stays_at_its_bound_when_more_users_act(database_url, monkeypatch):
    monkeypatch.setattr(application, "PERSONS_OF_USERS_MAX", 3)
    ledger = build_ledger(Settings(database_url=database_url))
    try:
        people = [ledger.register_person(actor="t", name_zh=f"人{n}")["person_id"] for n in range(6)]
        users = [ledger.register_user(actor="t", person_id=p)["user_id"] for p in people]
        for user in users:
            ledger.register_person(actor=user, name_zh="由用户登记")

        assert len(ledger._persons_of_users.cache) == 3
    finally:
        ledger.close()


def test_the_event_id_cache_stays_at_its_bound_when_more_ids_are_read():
    for _ in range(records.EVENT_ID_CACHE_MAX + 100):
        records.canonical_id(uuid.uuid4().hex)

    info = records.canonical_id_cache_info()
    assert info.currsize == info.maxsize == records.EVENT_ID_CACHE_MAX


def test_sqlite_views_keep_no_connection_of_a_thread_that_ended(tmp_path):
    backend = SQLiteBackend(str(tmp_path / "views.db"))

    def read() -> None:
        with backend.read() as cur:
            cur.execute("SELECT 1")

    try:
        for _ in range(10):
            thread = threading.Thread(target=read)
            thread.start()
            thread.join()
        read()

        assert backend.open_connections() == 1
    finally:
        backend.close()


def test_sqlite_views_read_with_a_small_page_cache_and_write_with_a_large_one(tmp_path):
    backend = SQLiteBackend(str(tmp_path / "views.db"))
    try:
        with backend.read() as cur:
            reading = cur.execute("PRAGMA cache_size").fetchone()[0]
        with backend.write() as cur:
            writing = cur.execute("PRAGMA cache_size").fetchone()[0]

        assert (reading, writing) == (-READ_CACHE_KIB, -WRITE_CACHE_KIB)
    finally:
        backend.close()


def test_malloc_is_tuned_when_the_process_runs_on_glibc():
    import platform

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("mallopt is glibc's; elsewhere tune() does nothing")
    assert memory_tuning.tune(arena_max=2, mmap_threshold_kib=128) is True


def test_sqlite_page_caches_share_one_soft_heap_limit_in_the_process(tmp_path):
    import sqlite3

    before = memory_tuning.limit_sqlite_heap(0)
    try:
        assert memory_tuning.limit_sqlite_heap(32) == 32 * 1024 * 1024
        with sqlite3.connect(tmp_path / "other.db") as other:  # any connection of the process
            assert other.execute("PRAGMA soft_heap_limit").fetchone()[0] == 32 * 1024 * 1024
        other.close()
    finally:
        memory_tuning.limit_sqlite_heap(before // (1024 * 1024))


def test_sqlite_heap_is_reported_when_a_connection_holds_pages(tmp_path):
    """``/health/process`` states what SQLite's allocator holds (ADR 0185): it rises while a
    connection caches pages and falls when it closes."""
    import sqlite3

    from ledger.application import memory_tuning

    before = memory_tuning.sqlite_heap_bytes()
    conn = sqlite3.connect(tmp_path / "heap.db")
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.executemany("INSERT INTO t VALUES (?)", [("x" * 500,) for _ in range(5_000)])
    conn.execute("SELECT COUNT(*) FROM t WHERE x LIKE '%y%'").fetchone()
    holding = memory_tuning.sqlite_heap_bytes()
    conn.close()
    assert before is not None and holding is not None
    assert holding > before + 100_000
    assert memory_tuning.sqlite_heap_bytes() < holding
