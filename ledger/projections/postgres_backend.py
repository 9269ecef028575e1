"""PostgreSQL for the views: the same database and schema as the events, a small psycopg pool.

Notification ids (``notification_id``) are assigned under the library's ``LOCK TABLE … IN
EXCLUSIVE MODE``, so a reader never sees a later commit with a lower id: pulling pages in id
order misses nothing, even with several writers. Ids may have gaps (a rolled-back insert uses
a sequence value); positions are compared, never counted.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg_pool import ConnectionPool

from ledger.application.writer_lock import setup_lock_key

SWAP_WAIT_MS = 300
SNAPSHOT_POOL_SIZE = 8  # requests reading at once; more wait for a connection
SNAPSHOT_IDLE_S = 30.0  # an idle snapshot connection is closed after this


class PostgresBackend:
    name = "postgresql"
    errors = (psycopg.Error,)
    lock_timeouts = (psycopg.errors.LockNotAvailable, psycopg.errors.QueryCanceled)

    def __init__(
        self,
        conninfo: str,
        *,
        schema: str = "public",
        events_table: str = "ledger_events",
        pool_size: int = 4,
    ) -> None:
        self.schema = schema
        self.conninfo = conninfo
        self.events_table = events_table
        self._kwargs = {"options": f"-c search_path={schema}", "autocommit": False}
        self.pool = ConnectionPool(conninfo, min_size=1, max_size=pool_size, open=True, kwargs=self._kwargs)
        self._snapshot_pool: ConnectionPool | None = None  # opened at the first snapshot
        self._snapshot_lock = threading.Lock()

    def sql(self, statement: str) -> str:
        return statement.replace("?", "%s")

    @contextmanager
    def write(self) -> Iterator[psycopg.Cursor]:
        with self.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            yield cur

    @contextmanager
    def read(self) -> Iterator[psycopg.Cursor]:
        with self.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            yield cur

    @contextmanager
    def snapshot(self) -> Iterator[psycopg.Cursor]:
        """One REPEATABLE READ, READ ONLY transaction: every statement in it sees the database as
        of its first query. From a pool of its own, so that readers holding a snapshot while a
        page renders never keep the follower from its connection."""
        with self.snapshot_pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield cur

    @property
    def snapshot_pool(self) -> ConnectionPool:
        with self._snapshot_lock:
            if self._snapshot_pool is None:
                self._snapshot_pool = ConnectionPool(
                    self.conninfo,
                    min_size=0,
                    max_size=SNAPSHOT_POOL_SIZE,
                    max_idle=SNAPSHOT_IDLE_S,
                    open=True,
                    kwargs=self._kwargs,
                )
            return self._snapshot_pool

    def ddl(self, statement: str) -> str:
        return statement

    def lock_tables(self, cur: psycopg.Cursor, tables: list[str]) -> None:
        """Take every table for a swap at once, waiting a bounded time for the readers and
        followers that use them. The bound (well under PostgreSQL's 1 s ``deadlock_timeout``)
        means that a reader waiting behind the swap never waits long enough to be chosen as a
        deadlock's victim: the swap gives up first (``lock_timeouts``) and tries again."""
        cur.execute("SELECT t FROM unnest(%s::text[]) AS t WHERE to_regclass(t) IS NOT NULL", (tables,))
        tables = [row[0] for row in cur.fetchall()]  # a table new in this version is not there yet
        cur.execute(f"SET LOCAL lock_timeout = '{SWAP_WAIT_MS}ms'")
        cur.execute(f"SET LOCAL statement_timeout = '{SWAP_WAIT_MS}ms'")
        cur.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
        cur.execute("SET LOCAL statement_timeout = 0")

    @contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        """One process at a time across the schema: a session advisory lock on its own
        connection (``setup``: tables and catch-up at start; ``rebuild``: the tables beside).
        The server drops it if the process dies."""
        key = setup_lock_key(self.schema) if name == "setup" else f"fundbook-{name}:{self.schema}"
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (key,))
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))

    def raw_events_sql(self) -> str:
        return (
            "SELECT notification_id, originator_id, topic, state, originator_version "
            f'FROM "{self.schema}"."{self.events_table}" WHERE notification_id > %s '
            "ORDER BY notification_id LIMIT %s"
        )

    def states_sql(self, positions: list[int]) -> tuple[str, tuple[list[int]]]:
        return (
            f'SELECT notification_id, state FROM "{self.schema}"."{self.events_table}" '
            "WHERE notification_id = ANY(%s)",
            (positions,),
        )

    def events_sql(self) -> str:
        return (
            "SELECT notification_id, originator_id, originator_version, topic, state "
            f'FROM "{self.schema}"."{self.events_table}" WHERE notification_id > %s '
            "ORDER BY notification_id LIMIT %s"
        )

    def max_event_sql(self) -> str:
        return f'SELECT MAX(notification_id) FROM "{self.schema}"."{self.events_table}"'

    # --- backup and restore (``ledger/application/backup.py``) ----------------------------------------------
    def snapshot_events(self, page: int) -> Iterator[list[tuple]]:
        """Every stored event in log order, read in ONE repeatable-read transaction (a
        consistent copy while others write), a page at a time. Ids are assigned under the
        library's table lock, so the snapshot holds a prefix of the log."""
        with psycopg.connect(self.conninfo) as conn:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            with conn.transaction(), conn.cursor(name="fundbook_backup") as cur:
                cur.execute(
                    "SELECT notification_id, originator_id, originator_version, topic, state "
                    f'FROM "{self.schema}"."{self.events_table}" ORDER BY notification_id'
                )
                while rows := cur.fetchmany(page):
                    yield rows

    def lock_events(self, cur: psycopg.Cursor) -> None:
        """The lock the library takes to append: no event is written until this commits."""
        cur.execute(f'LOCK TABLE "{self.schema}"."{self.events_table}" IN EXCLUSIVE MODE')

    def restore_events_sql(self) -> str:
        return (
            f'INSERT INTO "{self.schema}"."{self.events_table}" '
            "(notification_id, originator_id, originator_version, topic, state) VALUES (%s, %s, %s, %s, %s)"
        )

    def restored(self, cur: psycopg.Cursor) -> None:
        """The next event's id follows the largest restored one."""
        table = f'"{self.schema}"."{self.events_table}"'
        cur.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'notification_id'), MAX(notification_id)) "
            f"FROM {table}",
            (table,),
        )

    def close(self) -> None:
        self.pool.close()
        if self._snapshot_pool is not None:
            self._snapshot_pool.close()
