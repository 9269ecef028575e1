"""Following the event log: catch up in batches, follow live, rebuild, wait for a position.

One loop serves every backend: read a page of stored events after the views' position, fold
it, write it with the new position in one transaction. A crash anywhere loses at most the
uncommitted batch, which the next run reads again. Live following polls (SQLite cannot
notify); in the serving process the Ledger's own writes also wake it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ledger.projections.fold import Batch
from ledger.projections.store import TrackingMoved, ViewStore

Progress = Callable[[int, int], None]
BATCH_SIZE = 1000
REBUILD_BATCH_SIZE = 5000


def catch_up(store: ViewStore, *, batch_size: int = BATCH_SIZE, progress: Progress | None = None) -> int:
    """Apply every stored event after the views' position; return how many were applied."""
    done = 0
    target = store.max_event_position() if progress else 0
    while True:
        start = store.position()
        records = store.read_events(start, batch_size)
        if not records:
            return done
        batch = Batch(lookup=store.lookup_journal)
        for record in records:
            batch.apply(record)
        try:
            store.write(batch, started_at=start)
        except TrackingMoved:
            continue  # another runner wrote this batch first: read on from where it got to
        done += len(records)
        if progress:
            progress(done, max(target, done))


def rebuild(store: ViewStore, *, progress: Progress | None = None) -> int:
    """Drop every view and build it again from the first event."""
    store.reset()
    return catch_up(store, batch_size=REBUILD_BATCH_SIZE, progress=progress)


def wait_for(store: ViewStore, position: int, *, timeout_s: float = 5.0, poll_s: float = 0.02) -> bool:
    """Read-your-writes: True once every view has reached ``position`` (bounded wait)."""
    deadline = time.monotonic() + timeout_s
    while store.position() < position:
        if time.monotonic() >= deadline:
            return False
        time.sleep(poll_s)
    return True


class Follower:
    """Runs ``catch_up`` in a background thread until stopped; ``poke()`` wakes it at once."""

    def __init__(
        self,
        store: ViewStore,
        *,
        poll_s: float = 0.2,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.store = store
        self.poll_s = poll_s
        self.on_error = on_error
        self.error: BaseException | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fundbook-views", daemon=True)

    def start(self) -> Follower:
        self._thread.start()
        return self

    def poke(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                catch_up(self.store)
                self.error = None
            except Exception as error:  # keep following; the error is reported by health
                self.error = error
                if self.on_error:
                    self.on_error(error)
            self._wake.wait(self.poll_s)
            self._wake.clear()
