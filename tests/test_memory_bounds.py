"""Every in-memory cache of a serving process stays at its bound (ADR 0054): the byte- and
entry-bounded cache of sealed files, the aggregate caches (writer and readers; no request's
record in the writer's, ADR 0219), the user → person map, the event-id cache, and the SQLite
views' connections (one per live thread, small page caches for readers); glibc's free pages
handed back by the heap trim (ADR 0219)."""

from __future__ import annotations

import threading
import uuid

import pytest

from ledger.application import ledger as application
from ledger.application import memory_tuning
from ledger.application.bootstrap import build_ledger
from ledger.application.bounded_cache import BoundedCache
from ledger.application.heap_trim import HeapTrim
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


def test_the_writer_cache_keeps_no_request_record_when_requests_are_recorded(database_url):
    """A request's record is read only from the store (``prior_request``): in the writer's cache
    it only took a place, one per write (ADR 0219). After the cache's bound + 100 requests it
    holds the people that were written and no record."""
    ledger = build_ledger(Settings(database_url=database_url, aggregate_cache_size=20))
    try:
        for n in range(120):
            ledger.register_person(actor="t", request_id=str(uuid.uuid4()), name_zh=f"人{n}")

        links = ledger.repository.cache.cache.values()  # the library's (prev, next, key, value)
        kinds = {type(link[3]).__name__ for link in links}
        assert len(links) == 20
        assert kinds == {"Person"}
        assert ledger.prior_request(str(uuid.uuid4())) is None
    finally:
        ledger.close()


def test_a_request_is_answered_once_when_its_record_is_not_cached(database_url):
    ledger = build_ledger(Settings(database_url=database_url, aggregate_cache_size=20))
    try:
        request_id = str(uuid.uuid4())
        first = ledger.register_person(actor="t", request_id=request_id, name_zh="张三")
        for n in range(30):  # the cache turns over
            ledger.register_person(actor="t", request_id=str(uuid.uuid4()), name_zh=f"人{n}")

        again = ledger.register_person(actor="t", request_id=request_id, name_zh="张三")

        assert again.replayed and again["person_id"] == first["person_id"]
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


_TRIM_PROBE = """
import ctypes, ctypes.util, json
from pathlib import Path
from ledger.application import memory_tuning
from ledger.application.heap_trim import HeapTrim

def rss_kib():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])

libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
memory_tuning.tune(arena_max=2, mmap_threshold_kib=128)  # as a server: 64 KiB from the arena
block = 64 * 1024
blocks, pins = [], []
for _ in range(512):
    blocks.append(libc.malloc(block))
    pins.append(libc.malloc(2000))  # live, so the free blocks cannot merge into the top
    ctypes.memset(blocks[-1], 1, block)
for address in blocks:
    libc.free(address)
held = rss_kib()
trim = HeapTrim(interval_s=0)
gave_back = trim.trim()
print(json.dumps({"gave_back": gave_back, "held": held, "after": rss_kib(), "status": trim.status()}))
"""


def test_free_pages_inside_the_arena_leave_the_resident_set_when_the_heap_is_trimmed():
    """glibc keeps a free block below a live one in the process; ``HeapTrim`` hands its pages
    back (ADR 0219). 512 blocks of 64 KiB, each followed by a small live one, are freed: the
    resident set keeps them until the trim. Measured in a process of its own: in a test
    worker, other tests' threads (followers, pools) allocate between the two readings."""
    import json
    import platform
    import subprocess
    import sys

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("malloc_trim is glibc's; elsewhere HeapTrim does nothing")
    done = subprocess.run(
        [sys.executable, "-c", _TRIM_PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    probe = json.loads(done.stdout)

    assert probe["gave_back"] is True
    assert probe["held"] - probe["after"] > 16 * 1024  # of the 32 MiB freed
    assert probe["status"] == {"interval_s": 0, "calls": 1, "gave_back": 1}


def test_the_heap_trim_thread_runs_only_when_it_has_an_interval():
    off, on = HeapTrim(interval_s=0), HeapTrim(interval_s=3600)
    off.start()
    on.start()
    try:
        names = {thread.name for thread in threading.enumerate()}
        assert off._thread is None and "fundbook-heap-trim" in names
    finally:
        on.stop()
        off.stop()
    assert "fundbook-heap-trim" not in {thread.name for thread in threading.enumerate()}


def rss_kib() -> int:
    from pathlib import Path

    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS in /proc/self/status")


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


def test_the_allocation_trace_names_the_line_that_grew_between_two_reports():
    """``FUNDBOOK_TRACEMALLOC`` (ADR 0219): the second report names the line whose objects
    stayed alive since the first."""
    import tracemalloc

    from ledger.api.alloc_trace import AllocTrace

    if tracemalloc.is_tracing():
        pytest.skip("tracemalloc already runs in this process (pytest -X tracemalloc)")
    trace = AllocTrace(frames=1)
    trace.start()
    try:
        first = trace.report()
        kept = [f"行{n}" * 8 for n in range(20_000)]
        second = trace.report()
    finally:
        tracemalloc.stop()

    assert first is not None and "grown_since_last" not in first
    assert second is not None and len(kept) == 20_000
    top = second["grown_since_last"][0]
    assert top["where"].endswith(f"test_memory_bounds.py:{_line_of('kept = [')}")
    assert top["blocks"] >= 20_000 and top["bytes"] > 1_000_000


def test_the_allocation_trace_reports_nothing_when_it_is_off():
    from ledger.api.alloc_trace import AllocTrace

    trace = AllocTrace(frames=0)
    trace.start()
    assert trace.report() is None


def _line_of(text: str) -> int:
    from pathlib import Path

    lines = Path(__file__).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.strip().startswith(text))
