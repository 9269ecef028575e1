"""SQLite for the views: the same file as the events, one connection per thread, WAL.

Write transactions start with ``BEGIN IMMEDIATE``, taking SQLite's single writer lock at once
(a deferred transaction that reads first could fail to upgrade later). The library's SQLite
recorder cannot subscribe, so runners pull; see ``runner.follow``.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Page cache per connection. Every server thread that reads has its own connection, so a
# reader's stays small (the operating system caches the file too); a writer's (the follower,
# a rebuild) is large: index builds after a rebuild are sorts of a million keys, and the
# defaults (2 MiB, temp files) double their time.
READ_CACHE_KIB = 2048
WRITE_CACHE_KIB = 65536


class SQLiteBackend:
    name = "sqlite"
    errors = (sqlite3.Error,)

    def __init__(self, path: str, *, lock_timeout_s: float = 10.0) -> None:
        self.path = path
        self.lock_timeout_s = lock_timeout_s
        self._local = threading.local()
        # Every connection opened, with the thread it belongs to. Server threads come and go
        # (the thread pool retires idle ones): a dead thread's connection, and its page cache,
        # is closed when the next one opens, so open connections never outnumber live threads.
        self._all: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            uri = self.path.startswith("file:")
            conn = sqlite3.connect(
                self.path,
                timeout=self.lock_timeout_s,
                isolation_level=None,
                check_same_thread=False,
                uri=uri,
            )
            conn.execute("PRAGMA journal_mode=WAL")
            # The views can always be rebuilt, and their positions commit with their rows: in
            # WAL mode NORMAL stays consistent (a power cut may undo the last view batches, which
            # are then applied again), and spares an fsync per batch. Events keep FULL.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(f"PRAGMA cache_size=-{READ_CACHE_KIB}")  # raised by a first write
            conn.execute("PRAGMA temp_store=MEMORY")  # in-memory sorting
            conn.execute("PRAGMA threads=2")  # index builds sort with a second thread
            self._local.conn = conn
            with self._lock:
                self._close_orphans()
                self._all.append((threading.current_thread(), conn))
        return conn

    def _close_orphans(self) -> None:
        """Close the connections of threads that ended (holding ``_lock``)."""
        live = []
        for thread, conn in self._all:
            if thread.is_alive():
                live.append((thread, conn))
            else:
                conn.close()
        self._all = live

    def open_connections(self) -> int:
        with self._lock:
            return len(self._all)

    def sql(self, statement: str) -> str:
        return statement

    def lock_schema(self, cur: sqlite3.Cursor) -> None:
        """Nothing to do: ``write()`` begins IMMEDIATE, which already excludes other writers."""

    @contextmanager
    def write(self) -> Iterator[sqlite3.Cursor]:
        conn = self._connection()
        if not getattr(self._local, "writes", False):
            conn.execute(f"PRAGMA cache_size=-{WRITE_CACHE_KIB}")
            self._local.writes = True
        cur = conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
        except BaseException:
            conn.rollback()
            raise
        else:
            conn.commit()
        finally:
            cur.close()

    @contextmanager
    def read(self) -> Iterator[sqlite3.Cursor]:
        cur = self._connection().cursor()
        try:
            yield cur
        finally:
            cur.close()

    def ddl(self, statement: str) -> str:
        """A ``BIGINT PRIMARY KEY`` position becomes the rowid itself (no second B-tree)."""
        return statement.replace("position BIGINT PRIMARY KEY", "position INTEGER PRIMARY KEY")

    def raw_events_sql(self) -> str:
        return (
            "SELECT rowid, originator_id, topic, state, originator_version FROM stored_events "
            "WHERE rowid > ? ORDER BY rowid LIMIT ?"
        )

    def states_sql(self, positions: list[int]) -> tuple[str, list[int]]:
        marks = ", ".join("?" * len(positions))
        return f"SELECT rowid, state FROM stored_events WHERE rowid IN ({marks})", positions

    def events_sql(self) -> str:
        return (
            "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events "
            "WHERE rowid > ? ORDER BY rowid LIMIT ?"
        )

    def max_event_sql(self) -> str:
        return "SELECT MAX(rowid) FROM stored_events"

    def close(self) -> None:
        with self._lock:
            for _, conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()
