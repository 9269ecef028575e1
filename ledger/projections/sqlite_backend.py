"""SQLite for the views: the same file as the events, one connection per thread, WAL.

Write transactions start with ``BEGIN IMMEDIATE``, taking SQLite's single writer lock at once
(a deferred transaction that reads first could fail to upgrade later). The library's SQLite
recorder cannot subscribe, so runners pull; see ``runner.follow``.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Page cache per connection. Every server thread that reads has its own connection, and each
# request's read snapshot one more (ADR 0050), so a reader's stays small (the operating system
# caches the file too); a writer's (the follower, a rebuild) is large: index builds after a
# rebuild are sorts of a million keys, and the defaults (2 MiB, temp files) double their time.
READ_CACHE_KIB = 2048
WRITE_CACHE_KIB = 65536
SNAPSHOT_IDLE_MAX = 8  # snapshot connections kept open between requests


class SQLiteBackend:
    name = "sqlite"
    errors = (sqlite3.Error,)
    lock_timeouts: tuple[type[Exception], ...] = ()  # the writer lock waits (busy timeout) instead

    def __init__(self, path: str, *, lock_timeout_s: float = 10.0) -> None:
        self.path = path
        self.lock_timeout_s = lock_timeout_s
        self._local = threading.local()
        # Every connection opened, with the thread it belongs to. Server threads come and go
        # (the thread pool retires idle ones): a dead thread's connection, and its page cache,
        # is closed when the next one opens, so open connections never outnumber live threads.
        self._all: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._lock = threading.Lock()
        self._idle: list[sqlite3.Connection] = []  # snapshot connections not in use
        self._snapshots: list[sqlite3.Connection] = []  # every snapshot connection open

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open()
            self._local.conn = conn
            with self._lock:
                self._close_orphans()
                self._all.append((threading.current_thread(), conn))
        return conn

    def _open(self) -> sqlite3.Connection:
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

    def lock_tables(self, cur: sqlite3.Cursor, tables: list[str]) -> None:
        """Nothing to do: ``write()`` began IMMEDIATE, which excludes every other writer, and
        readers in WAL mode keep reading the snapshot they started on."""

    @contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        """One process at a time on this file: an exclusive ``flock`` on ``<file>.<name>-lock``
        (``setup``: tables and catch-up at start; ``rebuild``: the tables beside). The kernel
        drops it if the process dies. An in-memory database has one process by nature."""
        if self.path == ":memory:" or self.path.startswith("file:"):
            yield
            return
        fd = os.open(f"{self.path}.{name}-lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the lock

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

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Cursor]:
        """One read transaction on a connection of its own (a request's snapshot may be opened
        and closed on different threads than it is read on): ``BEGIN`` (deferred) takes its
        snapshot of the WAL at the first read and keeps it until the end."""
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        if conn is None:
            conn = self._open()
            with self._lock:
                self._snapshots.append(conn)
        cur = conn.cursor()
        try:
            cur.execute("BEGIN")
            yield cur
        finally:
            cur.close()
            self._end_snapshot(conn)

    def _end_snapshot(self, conn: sqlite3.Connection) -> None:
        """End the read transaction (nothing was written) and keep the connection for the next
        snapshot, or close it (too many idle, or it failed)."""
        try:
            conn.rollback()
        except sqlite3.Error:
            self._discard(conn)
            return
        with self._lock:
            if len(self._idle) < SNAPSHOT_IDLE_MAX:
                self._idle.append(conn)
                return
        self._discard(conn)

    def _discard(self, conn: sqlite3.Connection) -> None:
        with self._lock:
            if conn in self._snapshots:
                self._snapshots.remove(conn)
        conn.close()

    def ddl(self, statement: str) -> str:
        """A ``BIGINT PRIMARY KEY`` position becomes the rowid itself (no second B-tree)."""
        return statement.replace("position BIGINT PRIMARY KEY", "position INTEGER PRIMARY KEY")

    def raw_events_sql(self) -> str:
        return (
            "SELECT rowid, originator_id, topic, state, originator_version FROM stored_events "
            "WHERE rowid > ? ORDER BY rowid LIMIT ?"
        )

    def states_sql(self, positions: list[int]) -> tuple[str, tuple[str]]:
        """One statement text for any number of positions: they travel as one JSON array.
        A text with one ``?`` per position was a new prepared statement for every length, each
        kept in its connection's statement cache (128 per connection, one connection per
        thread and per read snapshot) and sized by its list: a statement of an open year is
        thousands of positions, so the caches held hundreds of MiB under writes (ADR 0165).
        It also failed past SQLite's 32,766 variables."""
        return (
            "SELECT rowid, state FROM stored_events WHERE rowid IN (SELECT value FROM json_each(?))",
            (json.dumps([int(p) for p in positions]),),
        )

    def events_sql(self) -> str:
        return (
            "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events "
            "WHERE rowid > ? ORDER BY rowid LIMIT ?"
        )

    def max_event_sql(self) -> str:
        return "SELECT MAX(rowid) FROM stored_events"

    # --- backup and restore (``ledger/application/backup.py``) ----------------------------------------------
    def backup_to(self, path: str) -> None:
        """A consistent copy of the whole file while other processes write: SQLite's online
        backup, in one step (one read snapshot)."""
        if not self.path.startswith("file:") and not os.path.isfile(self.path):
            raise FileNotFoundError(2, "No such file", self.path)
        source = sqlite3.connect(self.path, timeout=self.lock_timeout_s, uri=self.path.startswith("file:"))
        target = sqlite3.connect(path)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()

    def lock_events(self, cur: sqlite3.Cursor) -> None:
        """Nothing to do: ``write()`` began IMMEDIATE, which excludes every other writer."""

    def restore_events_sql(self) -> str:
        return (
            "INSERT INTO stored_events (rowid, originator_id, originator_version, topic, state) "
            "VALUES (?, ?, ?, ?, ?)"
        )

    def restored(self, cur: sqlite3.Cursor) -> None:
        """Nothing to do: the next rowid follows the largest one."""

    def close(self) -> None:
        with self._lock:
            for _, conn in self._all:
                conn.close()
            self._all.clear()
            for conn in self._snapshots:
                conn.close()
            self._snapshots.clear()
            self._idle.clear()
        self._local = threading.local()
