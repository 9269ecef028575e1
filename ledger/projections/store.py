"""The view store: one code path for both backends.

It creates the view tables beside the events (same database: one file or one schema to back
up), reads stored events after a position, and writes a folded batch — journal rows, balance
deltas, row operations and every view's tracking position — in ONE transaction. The tracking
update is a compare-and-set from the position the batch started at, done first, so a second
runner (another process following the same store) waits, then finds the position moved and
rolls back: nothing is skipped and nothing is counted twice. What differs between SQLite and
PostgreSQL (connections, placeholders, the events table's name) lives in ``sqlite_backend`` and
``postgres_backend``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol

from ledger.audit.chain import ChainHead
from ledger.projections import schema
from ledger.projections.fold import Batch, JournalRow
from ledger.projections.records import Record, decode, load_state


class Cursor(Protocol):
    rowcount: int

    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> Any: ...
    def fetchall(self) -> list[tuple[Any, ...]]: ...
    def fetchone(self) -> tuple[Any, ...] | None: ...


class Backend(Protocol):
    name: str
    errors: tuple[type[Exception], ...]  # what the database driver raises

    def sql(self, statement: str) -> str: ...
    def ddl(self, statement: str) -> str: ...

    lock_timeouts: tuple[type[Exception], ...]  # what ``lock_tables`` raises when readers hold on

    def lock_tables(self, cur: Cursor, tables: list[str]) -> None: ...
    def exclusive(self, name: str) -> AbstractContextManager[object]: ...
    def write(self) -> AbstractContextManager[Cursor]: ...
    def read(self) -> AbstractContextManager[Cursor]: ...
    def snapshot(self) -> AbstractContextManager[Cursor]: ...
    def events_sql(self) -> str: ...
    def raw_events_sql(self) -> str: ...
    def states_sql(self, positions: list[int]) -> tuple[str, Sequence[Any]]: ...
    def max_event_sql(self) -> str: ...
    def close(self) -> None: ...


class TrackingMoved(Exception):
    """Another runner advanced a view since this batch was read; the batch was rolled back."""


class ViewStore:
    """The views of one generation (``names``): the live ones, or a rebuild's beside them."""

    snapshot_position: int | None = None  # set on a snapshot: the log position of its figures

    def __init__(
        self,
        backend: Backend,
        factory: Callable[[], ViewStore] | None = None,
        *,
        create: bool = True,
        names: schema.Names | None = None,
    ) -> None:
        self.backend = backend
        self.factory = factory  # opens the same store again, in another process (picklable)
        self.names = names or schema.Names()
        if create:
            self.create()

    def _sql(self, statement: str) -> str:
        return self.backend.sql(self.names.sql(statement))

    # --- schema -------------------------------------------------------------------------------
    def create(self, *, indexes: bool = True) -> None:
        """Make this generation's tables, indexes and positions where they are missing. Callers
        that may meet other processes hold the ``setup`` lock (``runner.prepare``)."""
        t = self.names.table
        with self.backend.write() as cur:
            cur.execute(f"CREATE TABLE IF NOT EXISTS {t(schema.META)} ({schema.META_DDL})")
            cur.execute(self._sql(f"DELETE FROM {schema.META}"))
            cur.executemany(
                self._sql(f"INSERT INTO {schema.META} VALUES (?, ?)"),
                [("schema_version", schema.SCHEMA_VERSION), ("generation", str(self.names.generation))],
            )
            for table, columns in schema.TABLES.items():
                cur.execute(self.backend.ddl(f"CREATE TABLE IF NOT EXISTS {t(table)} ({columns})"))
            if indexes:
                for index in schema.INDEXES:
                    cur.execute(self.names.sql(index))
            cur.execute(f"CREATE TABLE IF NOT EXISTS {t(schema.TRACKING)} ({schema.TRACKING_DDL})")
            cur.execute(f"SELECT view_name FROM {t(schema.TRACKING)}")
            have = {row[0] for row in cur.fetchall()}
            for view in schema.VIEW_NAMES:
                if view not in have:
                    cur.execute(self._sql(f"INSERT INTO {schema.TRACKING} VALUES (?, 0)"), (view,))

    def schema_version(self) -> str | None:
        """The views' schema version as written by the process that made them (reads only)."""
        return self._meta("schema_version")

    def generation(self) -> int:
        """How many rebuilds made these views (their indexes carry the number, ADR 0052)."""
        return int(self._meta("generation") or 0)

    def _meta(self, key: str) -> str | None:
        rows = self.fetch(self.names.sql(f"SELECT value FROM {schema.META} WHERE key = ?"), (key,))
        return rows[0][0] if rows else None

    def is_current(self) -> bool:
        """True if these views exist, were made by this version and track every view (reads
        only: a process starting on current views runs no DDL and takes no lock)."""
        try:
            return self.schema_version() == schema.SCHEMA_VERSION and set(self.positions()) >= set(
                schema.VIEW_NAMES
            )
        except self.backend.errors:  # no tables yet
            return False

    def reset(self, *, indexes: bool = True) -> None:
        """Drop every table of this generation and create them anew (in place: for tests and
        for a rebuild's own leftovers; the live views are replaced by ``swap_in`` instead)."""
        with self.backend.write() as cur:
            for table in schema.ALL_TABLES:
                cur.execute(f"DROP TABLE IF EXISTS {self.names.table(table)}")
        self.create(indexes=indexes)

    def create_indexes(self) -> None:
        with self.backend.write() as cur:
            for index in schema.INDEXES:
                cur.execute(self.names.sql(index))

    def beside(self) -> ViewStore:
        """Empty tables of the next generation beside these views, without secondary indexes (a
        rebuild makes them at the end); a crashed rebuild's leftovers are dropped first. Hold
        the ``rebuild`` lock: one rebuild at a time owns them."""
        beside = ViewStore(
            self.backend, self.factory, create=False, names=schema.Names(self.generation() + 1)
        )
        beside.reset(indexes=False)
        return beside

    def swap_in(self, beside: ViewStore, finish: Callable[[ViewStore], object] | None = None) -> bool:
        """Replace these views by ``beside`` in one short transaction: drop these tables and
        give ``beside``'s theirs names. Only if ``beside`` has caught up with these (the views
        never move back); False (nothing done) if not, or if readers held the tables too long:
        the caller catches up and tries again.

        ``finish`` (the runner's ``catch_up``) gets ``beside`` bound to the swap's transaction,
        after the live tables are locked: the live views cannot move on any more, so the few
        events recorded since the caller last caught up are folded into ``beside`` there and
        then. Without it a server recording all the time kept moving its views between the
        caller's catch-up and the lock, and the swap lost that race a hundred times running
        (a CI run on PostgreSQL, three workers)."""
        live = [self.names.table(table) for table in schema.ALL_TABLES]
        try:
            with self.backend.write() as cur:
                self.backend.lock_tables(cur, live)  # a bounded wait for readers and followers
                if finish is not None:
                    finish(
                        ViewStore(_Bound(self.backend, cur), self.factory, create=False, names=beside.names)
                    )
                positions = {}
                for store in (self, beside):
                    cur.execute(f"SELECT MIN(position) FROM {store.names.table(schema.TRACKING)}")
                    positions[store.names.generation] = int(cur.fetchone()[0])
                if positions[beside.names.generation] < positions[self.names.generation]:
                    return False
                for table in live:
                    cur.execute(f"DROP TABLE IF EXISTS {table}")  # a table new in this version
                for table in schema.ALL_TABLES:
                    cur.execute(
                        f"ALTER TABLE {beside.names.table(table)} RENAME TO {self.names.table(table)}"
                    )
        except self.backend.lock_timeouts:
            return False
        return True

    # --- consistent reads (ADR 0050) ----------------------------------------------------------------
    @contextmanager
    def snapshot(self) -> Iterator[ViewStore]:
        """A read-only store over ONE read transaction (SQLite: a deferred read transaction in WAL;
        PostgreSQL: REPEATABLE READ READ ONLY): every query through it sees the views as they
        stood at one log position, ``snapshot_position`` (the tracking position inside the same
        transaction). Inside a snapshot, ``snapshot()`` yields the same snapshot."""
        if self.snapshot_position is not None:
            yield self
            return
        with self.backend.snapshot() as cur:
            pinned = ViewStore(_Pinned(self.backend, cur), self.factory, create=False)
            cur.execute(f"SELECT MIN(position) FROM {schema.TRACKING}")
            row = cur.fetchone()
            pinned.snapshot_position = int(row[0]) if row and row[0] is not None else 0
            yield pinned

    # --- positions ------------------------------------------------------------------------------
    def positions(self) -> dict[str, int]:
        with self.backend.read() as cur:
            cur.execute(self._sql(f"SELECT view_name, position FROM {schema.TRACKING} ORDER BY view_name"))
            return {name: int(position) for name, position in cur.fetchall()}

    def position(self) -> int:
        return min(self.positions().values())

    def max_event_position(self) -> int:
        with self.backend.read() as cur:
            cur.execute(self.backend.max_event_sql())
            row = cur.fetchone()
            return int(row[0]) if row and row[0] is not None else 0

    # --- reading events ---------------------------------------------------------------------------
    def read_events(self, after: int, limit: int) -> list[Record]:
        with self.backend.read() as cur:
            cur.execute(self.backend.events_sql(), (after, limit))
            return [decode(*row) for row in cur.fetchall()]

    def read_raw(self, after: int, limit: int) -> list[tuple[Any, ...]]:
        """``(position, originator_id, topic, state bytes)`` rows, undecoded (the fast path)."""
        with self.backend.read() as cur:
            cur.execute(self.backend.raw_events_sql(), (after, limit))
            return cur.fetchall()

    def event_states(self, positions: Sequence[int]) -> dict[int, dict[str, Any]]:
        """The stored state of the events at these log positions, decoded (for the few rows a
        page or a statement shows: the journal keeps columns, the event keeps every detail)."""
        if not positions:
            return {}
        with self.backend.read() as cur:
            cur.execute(*self.backend.states_sql(list(positions)))
            return {int(position): load_state(state) for position, state in cur.fetchall()}

    def lookup_journal(self, fund_no: int, voucher_no: str) -> JournalRow | None:
        with self.backend.read() as cur:
            cur.execute(
                self._sql("SELECT * FROM v_journal WHERE fund_no = ? AND voucher_no = ?"),
                (fund_no, voucher_no),
            )
            return cur.fetchone()

    def fund_numbers(self) -> dict[str, int]:
        """fund id → fund_no (the position of its establishment) for every fund in the views."""
        return {
            fund_id: int(no)
            for fund_id, no in self.fetch(self.names.sql("SELECT fund_id, position FROM v_fund"))
        }

    def chain_head(self) -> ChainHead:
        """The chain view's last link (the genesis head when it is empty)."""
        row = self.fetch(self.names.sql("SELECT position, hash FROM v_chain ORDER BY position DESC LIMIT 1"))
        return ChainHead(int(row[0][0]), bytes.fromhex(row[0][1])) if row else ChainHead()

    def chain_rows(self, after: int, limit: int) -> list[tuple[int, str]]:
        """``(position, hash hex)`` of the chain view after ``after``, in order."""
        rows = self.fetch(
            self.names.sql("SELECT position, hash FROM v_chain WHERE position > ? ORDER BY position LIMIT ?"),
            (after, limit),
        )
        return [(int(p), h) for p, h in rows]

    # --- writing a batch ----------------------------------------------------------------------------
    def write(self, batch: Batch, started_at: int) -> None:
        """Write the batch and move every view from ``started_at`` to its last position."""
        sql = self._sql
        with self.backend.write() as cur:
            for view in schema.VIEW_NAMES:
                cur.execute(
                    sql(f"UPDATE {schema.TRACKING} SET position = ? WHERE view_name = ? AND position = ?"),
                    (batch.last_position, view, started_at),
                )
                if cur.rowcount != 1:
                    raise TrackingMoved(view)
            for op, params in batch.ops:
                cur.execute(sql(schema.OPS[op]), params)
            if batch.journal:
                cur.executemany(sql(schema.JOURNAL_INSERT), batch.journal)
            if batch.fund_deltas:
                cur.executemany(
                    sql(schema.FUND_DELTA),
                    [(*delta, fund_no) for fund_no, delta in sorted(batch.fund_deltas.items())],
                )
            if batch.chain:
                cur.executemany(sql(schema.CHAIN_INSERT), batch.chain)
            self.before_commit(batch)

    def before_commit(self, batch: Batch) -> None:
        """A seam for crash tests: raise here to abandon a batch after its rows were written."""

    # --- queries ------------------------------------------------------------------------------------
    def fetch(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.backend.read() as cur:
            cur.execute(self.backend.sql(statement), tuple(params))
            return cur.fetchall()

    def dump(self) -> Iterator[str]:
        """Every view row in a stable order and text form: equal dumps mean equal views."""
        for table, order in schema.ORDER_BY.items():
            for row in self.fetch(f"SELECT * FROM {self.names.table(table)} ORDER BY {order}"):
                yield f"{table}\t" + "\t".join("" if v is None else str(v) for v in row)

    def digest(self) -> str:
        sha = hashlib.sha256()
        for line in self.dump():
            sha.update(line.encode("utf-8") + b"\n")
        return sha.hexdigest()

    def close(self) -> None:
        self.backend.close()


class _Pinned:
    """A backend whose reads all go to one open read transaction (a snapshot's cursor)."""

    def __init__(self, backend: Backend, cur: Cursor) -> None:
        self._backend = backend
        self._cur = cur

    def __getattr__(self, name: str) -> Any:
        return getattr(self._backend, name)

    @contextmanager
    def read(self) -> Iterator[Cursor]:
        yield self._cur

    snapshot = read

    def write(self) -> AbstractContextManager[Cursor]:
        raise TypeError("a read snapshot cannot write")

    def close(self) -> None:
        """The snapshot's transaction ends with its ``with`` block, not here."""


class _Bound(_Pinned):
    """A backend whose reads and writes all go to one open write transaction (the swap's): its
    writes commit, or roll back, with that transaction."""

    @contextmanager
    def write(self) -> Iterator[Cursor]:
        yield self._cur
