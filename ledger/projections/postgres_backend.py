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

from ledger.writer_lock import setup_lock_key

SNAPSHOT_POOL_SIZE = 8  # requests reading at once; more wait for a connection
SNAPSHOT_IDLE_S = 30.0  # an idle snapshot connection is closed after this


class PostgresBackend:
    name = "postgresql"
    errors = (psycopg.Error,)

    def __init__(
        self,
        conninfo: str,
        *,
        schema: str = "public",
        events_table: str = "ledger_events",
        pool_size: int = 4,
    ) -> None:
        self.schema = schema
        self.events_table = events_table
        self._conninfo = conninfo
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
                    self._conninfo,
                    min_size=0,
                    max_size=SNAPSHOT_POOL_SIZE,
                    max_idle=SNAPSHOT_IDLE_S,
                    open=True,
                    kwargs=self._kwargs,
                )
            return self._snapshot_pool

    def ddl(self, statement: str) -> str:
        return statement

    def lock_schema(self, cur: psycopg.Cursor) -> None:
        """Serialise schema changes between processes starting at once (until commit)."""
        cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (setup_lock_key(self.schema),))

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

    def close(self) -> None:
        self.pool.close()
        if self._snapshot_pool is not None:
            self._snapshot_pool.close()
