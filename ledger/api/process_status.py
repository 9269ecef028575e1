"""``GET /health/process``: what this server process holds and how much heavy work it did.

For operators and for the tests that check the bounds (ADR 0054): the resident set, every
in-memory cache with its bound, the renders of noticeboard files by format, the PDF requests
refused as ``board_busy``, how many requests waited for the views (``min_position``), what
SQLite's allocator holds (the page caches of every connection) and the threads alive. Counts
start at zero when the process starts; with several workers each answers for itself. Nothing
here names a person, a fund or a token.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from eventsourcing.application import LRUCache
from fastapi import APIRouter, Request

from ledger.application import heap_counts, memory_tuning
from ledger.projections import records

router = APIRouter(tags=["health"])


class Tally:
    """Named counts, safe across threads."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def add(self, name: str) -> None:
        with self._lock:
            self._counts[name] += 1

    def get(self, name: str) -> int:
        with self._lock:
            return self._counts[name]


def rss_bytes() -> int | None:
    """The resident set of this process (Linux), else None."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return None


def _lru(cache: Any) -> dict[str, Any]:
    """An eventsourcing cache: entries held, and the bound (None: unbounded, or no cache)."""
    if not isinstance(cache, LRUCache):
        return {"entries": 0 if cache is None else len(cache.cache), "max_entries": None}
    return {"entries": len(cache.cache), "max_entries": cache.maxsize}


@router.get("/health/process")
def process_status(request: Request) -> dict[str, Any]:
    """This process's memory, caches and heavy-work counts (see docs/deploy.md)."""
    state = request.app.state
    ledger = state.ledger
    ids = records.canonical_id_cache_info()
    answer = {
        "pid": os.getpid(),
        "rss_bytes": rss_bytes(),
        "sqlite_heap_bytes": memory_tuning.sqlite_heap_bytes(),  # page caches of every connection
        "threads": threading.active_count(),
        "views_waits": state.tally.get("views_waits"),
        "caches": {
            "aggregates_writer": _lru(ledger.repository.cache),
            "aggregates_readers": _lru(ledger._read_repository.cache),
            "persons_of_users": _lru(ledger._persons_of_users),
            "event_ids": {"entries": ids.currsize, "max_entries": ids.maxsize},
        },
        "board": state.board_files.status(),
        "malloc": heap_counts.malloc_counts(),  # glibc: in use, and free but kept (ADR 0219)
        "pymalloc": heap_counts.pymalloc_counts(),  # Python's small objects: arenas, used, free
        "heap_trim": state.heap_trim.status(),
    }
    traced = state.alloc_trace.report()  # FUNDBOOK_TRACEMALLOC only (ADR 0219)
    if traced is not None:
        answer["tracemalloc"] = traced
    return answer
