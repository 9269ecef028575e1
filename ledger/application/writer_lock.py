"""One writer at a time across processes (ADR 0008, amendment of 2026-12-02).

Inside a process, the write lock and group commit already make one writer
(``ledger/application/group_commit.py``). Several processes (``fundbook serve --workers N``, a CLI command
beside a server) still raced: each loaded a fund, checked the command against it and saved,
and the one that saved second lost on the version check and retried. With a group of commands
over several funds in each process, nearly every group touched a fund the other process had
just saved, so groups retried until ``concurrent_update_retry_exhausted`` (seen with 2 workers,
16 clients and 8 funds, on SQLite and on PostgreSQL).

So a group takes this lock before it loads anything, and holds it until its commit. Loading
then fast-forwards every aggregate to the last commit of any process, and the version check
only fails for a writer that does not take the lock. The HTTP work (parsing, authentication,
rendering), most of a request's time, still runs in all processes at once.

- SQLite: an exclusive ``flock`` on ``<database file>.writer-lock`` (SQLite itself has one
  writer per file anyway). The kernel drops it when the process dies.
- PostgreSQL: a session advisory lock on its own connection, keyed by the schema. The server
  drops it when the connection ends, a ``kill -9`` included.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Any, Protocol


class WriterLock(Protocol):
    def __enter__(self) -> object: ...

    def __exit__(self, *exc: object) -> None: ...

    def close(self) -> None: ...


class NoWriterLock:
    """An in-memory SQLite store has one process by nature."""

    def __enter__(self) -> NoWriterLock:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def close(self) -> None:
        return None


class FileWriterLock:
    def __init__(self, database_path: str, suffix: str = "writer-lock") -> None:
        self.path = f"{database_path}.{suffix}"
        self._fd: int | None = None
        self._guard = threading.Lock()  # the fd is opened once, by whichever thread comes first

    def __enter__(self) -> FileWriterLock:
        import fcntl

        with self._guard:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc: object) -> None:
        import fcntl

        assert self._fd is not None
        fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def setup_lock_key(schema: str) -> str:
    """The advisory lock that serialises creating a schema's tables (events and views)."""
    return f"fundbook-setup:{schema}"


class PostgresWriterLock:
    def __init__(self, conninfo: dict[str, Any], schema: str, *, key: str | None = None) -> None:
        self.conninfo = conninfo
        self.key = key or f"fundbook-writer:{schema}"
        self._conn: Any = None

    def _connection(self) -> Any:
        import psycopg

        if self._conn is None or self._conn.closed:
            self._conn = psycopg.connect(**self.conninfo, autocommit=True)
        return self._conn

    def __enter__(self) -> PostgresWriterLock:
        try:
            self._connection().execute("SELECT pg_advisory_lock(hashtext(%s))", (self.key,))
        except Exception:
            # A dropped connection: its lock went with it; take it again on a new one.
            self.close()
            self._connection().execute("SELECT pg_advisory_lock(hashtext(%s))", (self.key,))
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._connection().execute("SELECT pg_advisory_unlock(hashtext(%s))", (self.key,))
        except Exception:
            self.close()  # the lock ends with the connection

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class Reentrant:
    """Taken again by the thread that holds it (a bulk import's rows go through the same
    committer), released when the outermost holder leaves. Callers already hold the process's
    write lock, so one thread at a time gets here; the count is still guarded."""

    def __init__(self, inner: WriterLock) -> None:
        self.inner = inner
        self._lock = threading.RLock()
        self._depth = 0

    def __enter__(self) -> Reentrant:
        self._lock.acquire()
        if self._depth == 0:
            try:
                self.inner.__enter__()
            except BaseException:
                self._lock.release()
                raise
        self._depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        try:
            if self._depth == 0:
                self.inner.__exit__(*exc)
        finally:
            self._lock.release()

    def close(self) -> None:
        self.inner.close()


def writer_lock_for(env: Mapping[str, str]) -> WriterLock:
    return Reentrant(_store_lock(env))


def setup_lock_for(env: Mapping[str, str]) -> WriterLock:
    """Held while the library creates the event tables. PostgreSQL processes starting at once
    (a server's workers beside ``fundbook project --follow``) otherwise race in its ``CREATE
    SCHEMA/TABLE/FUNCTION`` statements and one fails with "tuple concurrently updated" (seen in
    CI). SQLite serialises DDL by its own file lock, so there it is a no-op."""
    if env.get("PERSISTENCE_MODULE") == "eventsourcing.postgres" and env.get("CREATE_TABLE", "y") != "n":
        schema = env.get("POSTGRES_SCHEMA", "public")
        return PostgresWriterLock(_postgres_conninfo(env), schema, key=setup_lock_key(schema))
    return NoWriterLock()


def follower_lock_for(env: Mapping[str, str]) -> WriterLock:
    """Held by a serving process's views follower while it folds and writes a batch (ADR 0193):
    with ``--workers N`` every worker follows the same log into the same views, and without it
    each folded every batch and all but one lost the race to write it (``TrackingMoved``), so
    the views cost N times their CPU. With it, the next follower waits, then finds the batch
    written and folds only what came after."""
    module = env.get("PERSISTENCE_MODULE", "")
    if module == "eventsourcing.sqlite":
        path = env.get("SQLITE_DBNAME", ":memory:")
        if path == ":memory:" or path.startswith("file:"):
            return NoWriterLock()
        return FileWriterLock(path, suffix="follower-lock")
    if module == "eventsourcing.postgres":
        schema = env.get("POSTGRES_SCHEMA", "public")
        return PostgresWriterLock(_postgres_conninfo(env), schema, key=f"fundbook-follower:{schema}")
    return NoWriterLock()


def _postgres_conninfo(env: Mapping[str, str]) -> dict[str, Any]:
    return {
        "dbname": env["POSTGRES_DBNAME"],
        "host": env["POSTGRES_HOST"],
        "port": int(env["POSTGRES_PORT"]),
        "user": env["POSTGRES_USER"],
        "password": env.get("POSTGRES_PASSWORD", ""),
    }


def _store_lock(env: Mapping[str, str]) -> WriterLock:
    """The lock for the store the library's environment names (see ``bootstrap``)."""
    module = env.get("PERSISTENCE_MODULE", "")
    if module == "eventsourcing.sqlite":
        path = env.get("SQLITE_DBNAME", ":memory:")
        if path == ":memory:" or path.startswith("file:"):
            return NoWriterLock()
        return FileWriterLock(path)
    if module == "eventsourcing.postgres":
        return PostgresWriterLock(_postgres_conninfo(env), env.get("POSTGRES_SCHEMA", "public"))
    return NoWriterLock()
