"""SQLite for the views: the same file as the events, one connection per thread, WAL.

Write transactions start with ``BEGIN IMMEDIATE``, taking SQLite's single writer lock at once
(a deferred transaction that reads first could fail to upgrade later). The library's SQLite
recorder cannot subscribe, so runners pull; see ``runner.follow``.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SNAPSHOT_IDLE_MAX = 8  # snapshot connections kept open between requests
SNAPSHOT_CACHE_KIB = 8192


class SQLiteBackend:
    name = "sqlite"
    errors = (sqlite3.Error,)
    lock_timeouts: tuple[type[Exception], ...] = ()  # the writer lock waits (busy timeout) instead

    def __init__(self, path: str, *, lock_timeout_s: float = 10.0) -> None:
        self.path = path
        self.lock_timeout_s = lock_timeout_s
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._idle: list[sqlite3.Connection] = []  # snapshot connections not in use

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open()
            self._local.conn = conn
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
        # 64 MiB of page cache and in-memory sorting: index builds after a rebuild are
        # sorts of a million keys; the defaults (2 MiB, temp files) double their time.
        conn.execute("PRAGMA cache_size=-65536")
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute("PRAGMA threads=2")  # index builds sort with a second thread
        with self._lock:
            self._all.append(conn)
        return conn

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
        try:
            conn = self._idle.pop()
        except IndexError:
            conn = self._open()
            conn.execute(f"PRAGMA cache_size=-{SNAPSHOT_CACHE_KIB}")  # reads of a few pages
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
        if len(self._idle) < SNAPSHOT_IDLE_MAX:
            self._idle.append(conn)
        else:
            self._discard(conn)

    def _discard(self, conn: sqlite3.Connection) -> None:
        with self._lock:
            if conn in self._all:
                self._all.remove(conn)
        conn.close()

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

    # --- backup and restore (``ledger/backup.py``) ---------------------------------------------------
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
            for conn in self._all:
                conn.close()
            self._all.clear()
            self._idle.clear()
        self._local = threading.local()
