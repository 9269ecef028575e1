"""One snapshot per aggregate: the event store's snapshot table keeps only the latest.

The library adds a snapshot every ``snapshotting_intervals`` events and never removes one, so
a fund's snapshots grew with the square of its year's entries (issue 20: 300 snapshots, 2 GiB).
A load reads only the latest snapshot at or below the version it wants, and the Ledger always
wants the head, so the older ones are dead weight: after a snapshot is stored, the older ones
of the same aggregate are deleted (ADR 0110). A crash in between leaves one extra snapshot,
which the next prune removes.

This module sits beside the views' backends because it speaks each store's SQL; it touches
only the library's snapshot table (``stored_snapshots`` on SQLite, ``ledger_snapshots`` on
PostgreSQL), never the events.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from eventsourcing.persistence import AggregateRecorder
from eventsourcing.sqlite import SQLiteAggregateRecorder

_SQLITE_PRUNE = (
    "DELETE FROM {table} WHERE originator_id = ? AND originator_version < "
    "(SELECT MAX(originator_version) FROM {table} WHERE originator_id = ?)"
)
_POSTGRES_PRUNE = (
    "DELETE FROM {schema}.{table} WHERE originator_id = %s AND originator_version < "
    "(SELECT MAX(originator_version) FROM {schema}.{table} WHERE originator_id = %s)"
)


def keep_latest(recorder: AggregateRecorder, originator_ids: Iterable[UUID]) -> None:
    """Delete every snapshot of these aggregates but the latest (one short transaction)."""
    ids = list(dict.fromkeys(originator_ids))
    if not ids:
        return
    if isinstance(recorder, SQLiteAggregateRecorder):
        statement = _SQLITE_PRUNE.format(table=recorder.events_table_name)
        with recorder.datastore.transaction(commit=True) as cursor:
            for oid in ids:
                cursor.execute(statement, (oid.hex, oid.hex))
    else:
        _keep_latest_postgres(recorder, ids)


def _keep_latest_postgres(recorder: AggregateRecorder, ids: list[UUID]) -> None:
    # psycopg and the library's PostgreSQL module cost a process ~0.13 s of CPU to import: only
    # a process on PostgreSQL, whose recorder is one of these, pays it (ADR 0216).
    from eventsourcing.postgres import PostgresAggregateRecorder
    from psycopg.sql import SQL, Identifier

    if isinstance(recorder, PostgresAggregateRecorder):
        statement = SQL(_POSTGRES_PRUNE).format(
            schema=Identifier(recorder.datastore.schema), table=Identifier(recorder.events_table_name)
        )
        with recorder.datastore.transaction(commit=True) as cursor:
            for oid in ids:
                cursor.execute(statement, (oid, oid))
