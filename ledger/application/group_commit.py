"""Group commit: the commands that arrive together share one transaction.

A durable commit costs one fsync (about 3–4 ms on this machine's disk), and an SQLite file has
one writer at a time. So one command per transaction caps a server at a few hundred entries a
second, however many clients wait. Here, each command joins a queue. The first thread to take
the process's write lock becomes the leader for everything queued so far: it runs each
command's work in turn on the same in-memory aggregates (the aggregate cache hands out the
same object), saves all their events in **one** transaction, and wakes every waiter with its
own answer. The others find their answer ready when they get the lock.

Each command is still checked on its own, against the state the earlier commands of the group
left, exactly as if they had run one after another. Refusals stay refusals, and an accepted
command's events are saved with the rest or not at all.

When grouping cannot keep commands apart, the group falls back to one command per
transaction. That happens when a refused command left events on an aggregate the group shares,
or on an unexpected error. A lost version race with another process (RecordConflictError)
retries the whole group on fresh aggregates.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import RecordConflictError

from ledger.application.core import LedgerCore
from ledger.application.recorded import Recorded
from ledger.domain import errors
from ledger.domain.context import Context
from ledger.domain.request_record import RequestRecord

GROUP_MAX = 64  # commands per transaction: bounds the latency the first one waits


@dataclass
class Unit:
    """One command waiting for its turn."""

    command: str
    fingerprint: str
    actor: str
    request_id: str | None
    work: Callable[[Context], tuple[list[Aggregate], dict[str, Any]]]
    ctx: Context
    # Runs alone, its context remade on every attempt (a period close reads the chain head).
    prepare: Callable[[Context], Context] | None = None
    done: threading.Event = field(default_factory=threading.Event)
    outcome: Recorded | BaseException | None = None

    def finish(self, outcome: Recorded | BaseException) -> None:
        self.outcome = outcome
        self.done.set()


class WriteLock:
    """The process's write lock: re-entrant, and it knows whether this thread holds it (the
    writer reads its own cache, every other thread the readers' cache: ``Ledger._get``)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._owner: int | None = None
        self._depth = 0

    def __enter__(self) -> WriteLock:
        self._lock.acquire()
        self._owner = threading.get_ident()
        self._depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._owner = None
        self._lock.release()

    def held_here(self) -> bool:
        return self._owner == threading.get_ident()


class _Ungroupable(Exception):
    """A command's failure touched state the group shares: run the group one by one."""


class GroupCommitter:
    def __init__(self, ledger: LedgerCore, write_lock: WriteLock) -> None:
        self.ledger = ledger
        self.write_lock = write_lock
        self._queue: list[Unit] = []
        self._queue_lock = threading.Lock()

    def submit(self, unit: Unit) -> Recorded:
        with self._queue_lock:
            self._queue.append(unit)
        while not unit.done.is_set():
            with self.write_lock:
                if not unit.done.is_set():
                    self._lead()
        if isinstance(unit.outcome, BaseException):
            raise unit.outcome
        assert unit.outcome is not None
        return unit.outcome

    # --- the leader ---------------------------------------------------------------------------
    def _lead(self) -> None:
        with self._queue_lock:
            if not self._queue:
                return
        # One writer across processes too: everything the group loads is as of the last commit
        # of any process, so the version check does not fail (ledger/application/writer_lock.py).
        # Then the writer's cache is brought up to date once, not at each read (ADR 0191).
        with self.ledger.writer_lock, self.ledger.writer_cache.current():
            # The group is what has queued by the time this process got the lock: with several
            # workers the wait for it is long, and what arrived meanwhile shares the commit
            # instead of waiting for the lock again (ADR 0193).
            with self._queue_lock:
                group, self._queue = self._queue[:GROUP_MAX], self._queue[GROUP_MAX:]
            self._lead_group(group)

    def _lead_group(self, group: list[Unit]) -> None:
        shareable = self.ledger.repository.cache is not None  # one object per aggregate id
        if shareable and len(group) > 1 and not any(u.prepare for u in group):
            try:
                self._run_with_retries(group, together=True)
            except _Ungroupable:
                self.ledger.forget_cached()
        for unit in group:  # alone: no cache, a single command, or the group could not be shared
            if not unit.done.is_set() and unit.request_id not in self._held_back(group, unit):
                self._run_with_retries([unit], together=False)
        leftovers = [u for u in group if not u.done.is_set()]
        with self._queue_lock:
            self._queue[:0] = leftovers  # a key seen twice in the group: its turn comes next

    @staticmethod
    def _held_back(group: list[Unit], unit: Unit) -> set[str | None]:
        """Request ids of earlier undone units, so that a repeated key waits for the next turn."""
        earlier = group[: group.index(unit)]
        return {u.request_id for u in earlier if u.request_id is not None and not u.done.is_set()}

    def _run_with_retries(self, units: list[Unit], *, together: bool) -> None:
        ledger = self.ledger
        for attempt in range(ledger.retries_max):
            waiting = [u for u in units if not u.done.is_set()]
            if not waiting:
                return
            try:
                self._run_together(waiting, alone=not together)
                return
            except RecordConflictError:
                # Another process saved first: wait a little (jittered, growing), reload, again.
                ledger.forget_cached()
                time.sleep(random.uniform(0, ledger.retry_backoff_s * 2**attempt))
        for unit in units:
            if not unit.done.is_set():
                unit.finish(errors.ConcurrentUpdateRetryExhausted())

    def _run_together(self, units: list[Unit], *, alone: bool = False) -> None:
        """Run each unit's work in turn, save every event in one transaction, then answer all
        (answers wait for the save: a retried group answers from its last run)."""
        shared: dict[object, Aggregate] = {}
        made: list[tuple[Unit, dict[str, Any], list[tuple[object, int]]]] = []
        refusals: list[tuple[Unit, BaseException]] = []
        request_ids: set[str] = set()
        for unit in units:
            if unit.request_id is not None:
                if unit.request_id in request_ids:
                    continue  # the same key twice in one group: the second waits for the next
                if self._replayed(unit):
                    continue
            before = {key: len(agg.pending_events) for key, agg in shared.items()}
            try:
                ctx = unit.ctx if unit.prepare is None else unit.prepare(unit.ctx)
                aggregates, result = unit.work(ctx)
            except Exception as error:
                changed = any(len(agg.pending_events) != before[key] for key, agg in shared.items())
                if not alone and (changed or not isinstance(error, errors.LedgerError)):
                    raise _Ungroupable() from error
                refusals.append((unit, error))
                continue
            if unit.request_id is not None:
                request_ids.add(unit.request_id)
                aggregates.append(
                    RequestRecord(unit.request_id, unit.command, unit.fingerprint, result, unit.actor)
                )
            events: list[tuple[object, int]] = []
            for agg in aggregates:
                first_new = before.get(agg.id, 0)
                if shared.setdefault(agg.id, agg) is not agg:  # two copies of one aggregate
                    raise _Ungroupable()
                events.extend((e.originator_id, e.originator_version) for e in agg.pending_events[first_new:])
            made.append((unit, result, events))
        if refusals:  # a refused command may have changed an aggregate the group does not save
            self.ledger.forget_cached()  # (saving puts the group's own aggregates back)
        recordings = self.ledger.save(*shared.values()) if shared else []
        positions = {
            (r.domain_event.originator_id, r.domain_event.originator_version): r.notification.id
            for r in recordings
        }
        for unit, error in refusals:
            unit.finish(error)
        for unit, result, events in made:
            ids = [positions[e] for e in events if e in positions]
            unit.finish(_recorded(result, max(ids) if ids else None))

    def _replayed(self, unit: Unit) -> bool:
        prior = self.ledger.prior_request(unit.request_id)
        if prior is None:
            return False
        try:
            result = prior.check_same(unit.command, unit.fingerprint)
        except errors.LedgerError as error:
            unit.finish(error)
            return True
        unit.finish(_recorded(result, self.ledger.recorder.max_notification_id(), replayed=True))
        return True


def _recorded(result: dict[str, Any], position: int | None, *, replayed: bool = False) -> Recorded:
    return Recorded(result, position, replayed=replayed)
