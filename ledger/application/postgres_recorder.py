"""The PostgreSQL event recorder: the library's, except that a large batch never stalls (ADR 0211).

eventsourcing 9.5.6 writes a unit of work's events in psycopg's pipeline mode: table lock,
NOTIFY and one ``INSERT … SELECT FROM unnest(%s) RETURNING notification_id`` whose array holds
every event, then ``Pipeline.sync()``. psycopg 3.3.9's pipeline loop stops writing as soon as its
queue of commands is empty, even when libpq's ``flush()`` reported bytes still unsent (the kernel's
socket buffers were full); it then waits for the server's answer, while the server waits for the
rest of the statement. Nothing moves again: the client sleeps in ``Pipeline.sync``, the server
session is ``active`` on ``ClientRead``. A file import (ADR 0007) or a ``save`` of many events
in one call hit it once the statement outgrew the buffers.

Here a batch whose stored states add up to more than ``PIPELINE_MAX_BYTES`` is written without the
pipeline: the same lock and NOTIFY, then inserts of ``CHUNK_EVENTS`` events each, all in ONE
transaction (a failure in any chunk rolls back every chunk). Outside pipeline mode psycopg flushes
until libpq's buffer is empty before it reads. Ordinary appends (a few events) keep the
library's pipelined path unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import retry

PIPELINE_MAX_BYTES = 64 * 1024  # far below any socket buffer: the pipeline's one flush sends it all
CHUNK_EVENTS = 1000  # events per INSERT statement of a large batch


class ChunkedPostgresRecorder(PostgresApplicationRecorder):
    """``PostgresApplicationRecorder`` writing a large batch in chunks, in one transaction."""

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        if self.datastore.enable_db_functions or not is_large(stored_events):
            return super().insert_events(stored_events, **kwargs)
        return self._insert_in_chunks(stored_events)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def _insert_in_chunks(self, stored_events: Sequence[StoredEvent]) -> list[int]:
        notification_ids: list[int] = []
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._lock_table(curs)  # as the library: insert order is commit order
            self._notify_channel(curs)
            for start in range(0, len(stored_events), CHUNK_EVENTS):
                chunk = [
                    self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state)
                    for e in stored_events[start : start + CHUNK_EVENTS]
                ]
                curs.execute(self.insert_events_statement, (chunk,))
                notification_ids += [row["notification_id"] for row in curs.fetchall()]
        return notification_ids


def is_large(stored_events: Sequence[StoredEvent]) -> bool:
    """More bytes than the pipelined path may send safely (the events' states, the bulk of it)."""
    total = 0
    for event in stored_events:
        total += len(event.state) + len(event.topic)
        if total > PIPELINE_MAX_BYTES:
            return True
    return False
