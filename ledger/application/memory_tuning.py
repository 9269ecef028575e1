"""glibc's allocator and SQLite's heap, set for a long-running threaded server (ADR 0054).

Two of glibc's defaults let a server's resident set grow far above what it uses:

- an arena per thread that allocates (up to 8 per core): each keeps the memory it once held, so
  40 request threads that each rendered or read something big hold 40 high-water marks;
- a dynamic mmap threshold: once a large block is freed, blocks up to that size (32 MiB at most)
  come from the arenas instead of ``mmap``, and their freed pages stay in the process.

``tune()`` caps the arenas and fixes the threshold (large blocks are mapped, and returned to the
system when freed), through ``mallopt`` at start. Elsewhere (musl, macOS) it does nothing.

SQLite gives every connection its own page cache, and a server has many: the event store's pool
(up to 15) and one views connection per request thread. Each cache fills as the file grows, so
their sum grew with every write (28 MiB after a minute of writes here, and rising).
``limit_sqlite_heap()`` sets SQLite's process-wide soft heap limit: past it, SQLite reuses
cached pages instead of allocating more.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import platform
import sqlite3

M_MMAP_THRESHOLD = -3  # from glibc's malloc.h
M_ARENA_MAX = -8


@functools.cache
def glibc() -> ctypes.CDLL | None:
    """The process's C library when it is glibc, else None; looked up once per process
    (``find_library`` runs ``ldconfig -p`` and ``libc_ver`` reads the interpreter's binary)."""
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")


def tune(*, arena_max: int, mmap_threshold_kib: int) -> bool:
    """Apply the settings (0 leaves glibc's default); True when glibc took them all."""
    libc = glibc()
    if libc is None:
        return False
    taken = True
    if arena_max:
        taken &= libc.mallopt(M_ARENA_MAX, arena_max) == 1
    if mmap_threshold_kib:
        taken &= libc.mallopt(M_MMAP_THRESHOLD, mmap_threshold_kib * 1024) == 1
    return taken


def limit_sqlite_heap(mib: int) -> int:
    """Set SQLite's soft heap limit for this process (0: none); answers the limit now set."""
    with sqlite3.connect(":memory:") as conn:
        conn.execute(f"PRAGMA soft_heap_limit={int(mib) * 1024 * 1024}")
        (limit,) = conn.execute("PRAGMA soft_heap_limit").fetchone()
    conn.close()
    return int(limit)


def sqlite_heap_bytes() -> int | None:
    """What SQLite's allocator holds in this process now (every connection's page cache,
    statements, …: ``sqlite3_memory_used``), or None where the library is not found."""
    name = ctypes.util.find_library("sqlite3")
    if name is None:
        return None
    lib = ctypes.CDLL(name)
    lib.sqlite3_memory_used.restype = ctypes.c_int64
    return int(lib.sqlite3_memory_used())
