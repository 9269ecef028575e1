"""PDF renders in a child process, recycled after a bounded number of renders (ADR 0054, ADR 0165).

A render of a board PDF takes the CJK font files it uses whole: WeasyPrint maps each one and
copies it into a Python bytes object to subset it (four Noto CJK collections, 19 to 26 MiB each),
so a render lifts a process's resident set by up to about 180 MiB while it runs (memray, ADR
0165). In the server that was a peak on every PDF of an open period, on top of whatever the
server held. Here the render runs in a ``spawn``-ed child that exits after
``renders_per_process`` renders, so that peak, and whatever native memory the render leaves
behind, lives in the child and never in the server.

- The pool starts with the first PDF, and ``close()`` (the app's shutdown) joins its children.
- A child that dies (killed, out of memory) breaks the pool: the next render makes a fresh one,
  and the render that met the broken pool is tried once more in it.
- ``FUNDBOOK_PDF_PROCESS=0`` renders in the server's own render thread instead.

The parent counts renders; the child answers its pid with the bytes, shown at
``/health/process`` (``board.pdf_process``) so an operator or a benchmark can watch it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ledger.application import memory_tuning


def _child_start(arena_max: int, mmap_threshold_kib: int) -> None:
    memory_tuning.tune(arena_max=arena_max, mmap_threshold_kib=mmap_threshold_kib)


def _render_in_child(render: Callable[..., bytes], args: tuple, kwargs: dict) -> tuple[bytes, int]:
    """Run in the child: the PDF, and which process made it."""
    try:
        return render(*args, **kwargs), os.getpid()
    finally:
        gc.collect()  # WeasyPrint's reference cycles, freed before the next render


class PdfProcess:
    """A lazily started pool of ``workers`` render processes, each replaced after
    ``renders_per_process`` renders."""

    def __init__(
        self, *, workers: int, renders_per_process: int, arena_max: int = 0, mmap_threshold_kib: int = 0
    ) -> None:
        self.workers, self.renders_per_process = workers, renders_per_process
        self._tuning = (arena_max, mmap_threshold_kib)
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self.pools_started = 0
        self.last_pid: int | None = None

    def render(self, render: Callable[..., bytes], *args: Any, **kwargs: Any) -> bytes:
        """``render(*args, **kwargs)`` in a child (a top-level function, picklable arguments).
        Raises ``BrokenProcessPool`` only when a fresh pool broke too."""
        try:
            return self._run(render, args, kwargs)
        except BrokenProcessPool:  # a child died: once more, in a fresh pool
            return self._run(render, args, kwargs)

    def _run(self, render: Callable[..., bytes], args: tuple, kwargs: dict) -> bytes:
        pool = self._current()
        try:
            body, pid = pool.submit(_render_in_child, render, args, kwargs).result()
        except BrokenProcessPool:
            self._drop(pool)
            raise
        self.last_pid = pid
        return body

    def _current(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    max_tasks_per_child=self.renders_per_process,
                    initializer=_child_start,
                    initargs=self._tuning,
                )
                self.pools_started += 1
            return self._pool

    def _drop(self, pool: ProcessPoolExecutor) -> None:
        """Forget a broken pool (unless another request replaced it already) and reap it."""
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=True, cancel_futures=True)

    def pids(self) -> list[int]:
        """The render processes alive now."""
        with self._lock:
            pool = self._pool
        processes = getattr(pool, "_processes", None) or {}
        return sorted(pid for pid, p in dict(processes).items() if p.is_alive())

    def status(self) -> dict[str, Any]:
        return {
            "mode": "process",
            "renders_per_process": self.renders_per_process,
            "pools_started": self.pools_started,
            "last_pid": self.last_pid,
            "pids": self.pids(),
        }

    def close(self) -> None:
        """Stop the children and wait for them (the app's shutdown); a later render starts anew."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
