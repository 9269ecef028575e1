"""Following the event log: catch up in batches, follow live, rebuild, wait for a position.

One loop serves every backend: read a page of stored events after the views' position, fold
it, write it with the new position in one transaction. A crash anywhere loses at most the
uncommitted batch, which the next run reads again. Live following polls (SQLite cannot
notify); in the serving process the Ledger's own writes also wake it.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from ledger.audit.chain import ChainHead
from ledger.projections.fold import Batch, VoucherIndex
from ledger.projections.records import canonical_id, load_state
from ledger.projections.store import TrackingMoved, ViewStore

Progress = Callable[[int, int], None]
BATCH_SIZE = 1000
REBUILD_BATCH_SIZE = 20000


def catch_up(
    store: ViewStore,
    *,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    pipelined: bool = False,
) -> int:
    """Apply every stored event after the views' position; return how many were applied.

    ``pipelined`` folds the next batch while a writer thread commits the last one (SQLite and
    psycopg release the GIL while they write): for rebuilds. Either way each batch commits
    with its tracking positions, in order.
    """
    target = store.max_event_position() if progress else 0
    writer = _Writer(store) if pipelined else None
    vouchers = VoucherIndex(store.lookup_journal)
    done, start = 0, store.position()
    numbers, head = store.fund_numbers(), store.chain_head()
    try:
        while True:
            raw = store.read_raw(start, batch_size)
            if not raw:
                break
            batch, next_head = _fold(raw, vouchers, numbers, head)
            if writer is None:
                try:
                    store.write(batch, started_at=start)
                except TrackingMoved:  # another runner wrote it first: go on from where it got to
                    vouchers = VoucherIndex(store.lookup_journal)  # this batch's rows were not stored
                    start, numbers, head = store.position(), store.fund_numbers(), store.chain_head()
                    continue
            else:
                writer.put(batch, start)
            done += len(raw)
            start, head = batch.last_position, next_head
            if progress:
                progress(done, max(target, done))
    finally:
        if writer is not None:
            writer.finish()
    return done


def _fold(
    raw: list[tuple], vouchers: VoucherIndex, fund_numbers: dict[str, int], head: ChainHead
) -> tuple[Batch, ChainHead]:
    """Fold a page of raw rows, and extend the hash chain over it (the ``chain`` view)."""
    batch = Batch(vouchers, fund_numbers=fund_numbers)
    apply, loads = batch.apply_raw, load_state
    for position, originator_id, topic, state, _version in raw:
        apply(position, canonical_id(originator_id), topic, loads(state))
    head, batch.chain = head.extend((p, o, v, t, s) for p, o, t, s, v in raw)
    return batch, head


class _Writer:
    """One thread committing batches in order; an error stops the run and is re-raised."""

    def __init__(self, store: ViewStore) -> None:
        self.store = store
        self.queue: queue.Queue[tuple[Batch, int] | None] = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="fundbook-view-writer", daemon=True)
        self.thread.start()

    def put(self, batch: Batch, started_at: int) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((batch, started_at))

    def finish(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        while (item := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self.store.write(*item)
                except BaseException as error:  # re-raised in the folding thread
                    self.error = error


def rebuild(store: ViewStore, *, progress: Progress | None = None, processes: bool = True) -> int:
    """Build every view again from the first event, beside the live ones, and swap them in.

    Readers and followers use the live views until the swap, one short transaction; a second
    rebuild waits for the first (the ``rebuild`` lock). Returns how many events were folded."""
    with store.backend.exclusive("rebuild"):
        return _rebuild_beside(store, progress, processes)


def prepare(store: ViewStore, *, catch_up_first: bool = False, progress: Progress | None = None) -> None:
    """Make the views ready for this version at start (and, with ``catch_up_first``, bring
    them to the head).

    Views made by this version (and caught up): nothing to do, no lock, no DDL. Several
    workers starting at once used to deadlock on ``CREATE INDEX IF NOT EXISTS`` against each
    other's followers. Otherwise one process at a time (the ``setup`` lock) creates the tables
    of a new store, or rebuilds beside the views of another version and swaps them in, then
    catches up (``catch_up_at_open``: far behind, by a rebuild); the others wait for it, then
    find the views ready."""
    if store.is_current() and not (catch_up_first and store.position() < store.max_event_position()):
        return
    with store.backend.exclusive("setup"):
        if not store.is_current():
            if _version(store) is None:
                store.create()
            else:
                with store.backend.exclusive("rebuild"):
                    _rebuild_beside(store, None, processes=True)
        if catch_up_first:
            catch_up_at_open(store, progress=progress)


# A gap of more than one rebuild batch is no live follower's usual work (a few events per
# poll); below it the incremental path starts at once and holds nothing.
FAR_BEHIND = REBUILD_BATCH_SIZE
# A rebuild folds about four times as fast as ``catch_up`` (43.6 s against 8-11 s for 1M events,
# issue 20, and docs/benchmarks.md "Catching up from far behind"), but refolds what the views
# already hold: it pays while the gap is more than a third of the log.
REFOLD_SHARE = 3


def far_behind(store: ViewStore) -> bool:
    """True if folding every event again beside the views is quicker than catching them up."""
    head = store.max_event_position()
    gap = head - store.position()
    return gap > FAR_BEHIND and gap * REFOLD_SHARE > head


def catch_up_at_open(
    store: ViewStore,
    *,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    processes: bool = True,
) -> int:
    """Bring the views to the head when a process opens the store; return how many events were
    folded.

    Views far behind (empty after a restore, or on a new server; ``far_behind``) are rebuilt
    beside and swapped in: the rebuild's fast path (a folding process, batches of
    ``REBUILD_BATCH_SIZE``, a pipelined writer, indexes at the end), readers and followers on
    the live views until the swap, one such process at a time (the ``rebuild`` lock; the
    others wait, then find the views near the head). A crash leaves the live views as they
    were and the next opener starts again. A usual small gap takes ``catch_up`` (ADR 0180)."""
    folded = 0
    if far_behind(store):
        with store.backend.exclusive("rebuild"):
            if far_behind(store):  # unless another opener did it while this one waited
                folded = _rebuild_beside(store, progress, processes)
    return folded + catch_up(
        store, batch_size=batch_size
    )  # what was recorded since (or the whole of a small gap)


def _version(store: ViewStore) -> str | None:
    try:
        return store.schema_version()
    except store.backend.errors:  # no views at all yet
        return None


SWAP_ATTEMPTS = 100
SWAP_PAUSE_S = 0.05


class SwapNotDone(RuntimeError):
    """The rebuilt views could not replace the live ones (readers never let go of them)."""


def _rebuild_beside(store: ViewStore, progress: Progress | None, processes: bool) -> int:
    """Fold every event into the next generation's tables, make their indexes, then catch them
    up and swap them in; if the live views moved on meanwhile (a follower), catch up again."""
    beside = store.beside()
    if processes and store.factory is not None:
        count = _rebuild_with_a_folding_process(beside, store.factory, progress)
    else:
        count = catch_up(beside, batch_size=REBUILD_BATCH_SIZE, progress=progress, pipelined=True)
    beside.create_indexes()
    in_swap: list[int] = []  # events folded inside the swap's transaction (the one that commits counts)

    def finish(bound: ViewStore) -> None:
        in_swap[:] = [catch_up(bound)]

    for _ in range(SWAP_ATTEMPTS):
        count += catch_up(beside)  # most of the way, without holding the live views
        if store.swap_in(beside, finish=finish):
            return count + sum(in_swap)
        time.sleep(SWAP_PAUSE_S)
    raise SwapNotDone(f"the rebuilt views were not swapped in after {SWAP_ATTEMPTS} attempts")


_IN_FLIGHT = 2  # batches queued between the folding process and the writer


def _rebuild_with_a_folding_process(
    beside: ViewStore, factory: Callable[[], ViewStore], progress: Progress | None
) -> int:
    """A second process reads and folds while this one writes into ``beside`` (two cores, and
    a rebuild is CPU-bound)."""
    context = multiprocessing.get_context("spawn")  # no fork: the parent has pool threads
    batches = context.Queue(maxsize=_IN_FLIGHT)
    child = context.Process(target=_fold_in_child, args=(factory, REBUILD_BATCH_SIZE, batches), daemon=True)
    child.start()  # it reads only the events, never the views
    done = 0
    try:
        target = beside.max_event_position() if progress else 0
        start = beside.position()
        while (item := _next_batch(batches, child)) is not None:
            if isinstance(item, str):
                raise RuntimeError(f"folding process failed: {item}")
            journal, deltas, ops, last_position, count, chain = item
            batch = Batch(VoucherIndex(beside.lookup_journal), journal, deltas, ops, last_position)
            batch.chain = chain
            beside.write(batch, started_at=start)
            start, done = last_position, done + count
            if progress:
                progress(done, max(target, done))
        child.join()
    finally:
        if child.is_alive():
            child.terminate()
            child.join()
    return done


def _next_batch(batches: Any, child: Any) -> Any:
    """The next item from the folding process; an error if it died without saying why (killed,
    or failed before its own error handling ran) instead of waiting for ever."""
    while True:
        try:
            return batches.get(timeout=1.0)
        except queue.Empty:
            if not child.is_alive():
                raise RuntimeError(f"folding process died (exit code {child.exitcode})") from None


def _fold_in_child(factory: Callable[[], ViewStore], batch_size: int, batches: Any) -> None:
    """In the folding process: read every event from the first, fold batches, hand them over
    in order. A rebuild starts empty, so every fund and voucher it needs it has seen itself."""
    store = factory()
    try:
        vouchers = VoucherIndex(_never_stored)
        numbers: dict[str, int] = {}
        start, head = 0, ChainHead()
        while raw := store.read_raw(start, batch_size):
            batch, head = _fold(raw, vouchers, numbers, head)
            item = (batch.journal, batch.fund_deltas, batch.ops, batch.last_position, len(raw), batch.chain)
            batches.put(item)
            start = batch.last_position
        batches.put(None)
    except BaseException as error:  # reported to the writing process, which raises it
        batches.put(f"{type(error).__name__}: {error}")
    finally:
        store.close()


def _never_stored(fund_no: int, voucher_no: str) -> None:
    """A rebuild folds every voucher before any reversal of it (R7), so it never looks one up."""
    return None


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
        lock: AbstractContextManager[Any] | None = None,
    ) -> None:
        self.store = store
        # Across processes: one follower folds at a time, the others wait (ADR 0193).
        self.lock = lock if lock is not None else nullcontext()
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
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self.store.max_event_position() > self.store.position():  # else no lock, no setup
                    with self.lock:
                        catch_up(self.store)
                self.error = None
            except Exception as error:  # keep following; the error is reported by health
                self.error = error
                if self.on_error:
                    self.on_error(error)
            self._wake.wait(self.poll_s)
            self._wake.clear()
