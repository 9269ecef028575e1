"""The writer's cached aggregates, brought up to date once per group instead of once per read
(ADR 0191).

The writer's cache fast-forwards every aggregate it hands out: one query of the events table
per read (the fund, the donor, ...), two or more per command, under the write lock that every
process takes in turn. Yet while a group holds that lock nobody else writes, and the cache
already holds everything this process wrote itself. So a group, once it holds the lock:

1. reads the log's head (one query);
2. if the head is where this process's own last commit left it, nothing changed meanwhile:
   the cached aggregates are current and are handed out without a query;
3. else it reads the notifications written since (by another process: a worker, the CLI) and
   fast-forwards those of their aggregates that the cache holds, one query each; far behind
   (more than ``CATCH_UP_MAX`` events), it forgets the cache instead;
4. after its own commit, the head is the last position it wrote.

Aggregates the cache does not hold are read from the store as always. A lost version race
(which only a writer that skips the lock can cause) forgets the cache and the head, so the
next group fast-forwards everything it reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from eventsourcing.application import Repository
from eventsourcing.persistence import ApplicationRecorder, Recording

CATCH_UP_MAX = 1000


class _Store(Protocol):
    recorder: ApplicationRecorder
    repository: Repository

    def forget_cached(self) -> None: ...


class WriterCache:
    def __init__(self, store: _Store) -> None:
        self.store = store
        self._head: int | None = None  # the log's head as the writer's cache reflects it
        self._inside = False

    @contextmanager
    def current(self) -> Iterator[None]:
        """Hold while a group runs (inside the write locks): reads skip the per-read query."""
        repository = self.store.repository
        if repository.cache is None or not repository.fastforward:
            yield
            return
        self._catch_up()
        self._inside = True
        repository.fastforward = False
        try:
            yield
        except BaseException:
            self._head = None
            raise
        finally:
            repository.fastforward = True
            self._inside = False

    def saved(self, recordings: list[Recording]) -> None:
        """After a commit of this process: inside a group, the head is now its last position;
        outside one (an import), the next group catches up from where the cache stood."""
        if self._inside and recordings:
            self._head = max(r.notification.id for r in recordings)

    def forget(self) -> None:
        self._head = None

    def _catch_up(self) -> None:
        store = self.store
        head = store.recorder.max_notification_id() or 0
        if head == self._head:
            return
        if self._head is None or head - self._head > CATCH_UP_MAX:
            store.forget_cached()
        else:
            changed: dict[Any, None] = {}
            position = self._head
            while page := store.recorder.select_notifications(
                start=position, limit=CATCH_UP_MAX, stop=head, inclusive_of_start=False
            ):
                changed.update(dict.fromkeys(n.originator_id for n in page))
                position = page[-1].id
            cache = store.repository.cache
            for aggregate_id in changed:
                try:
                    cache.get(aggregate_id)  # held? then bring it up to date
                except KeyError:
                    continue
                store.repository.get(aggregate_id)
        self._head = head
