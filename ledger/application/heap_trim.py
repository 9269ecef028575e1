"""glibc's free pages handed back to the system now and then (ADR 0219).

glibc gives memory back on its own only from the top of an arena: a free block below a live
one stays in the process, counted in its resident set, until something asks for it again.
Under a mixed load (every request allocates and frees, some objects live on between them) that
is most of what the server gains after its warm-up on top of its bounded caches: free in the
arenas, used by nothing. ``malloc_trim(0)`` returns every whole free page of every arena to the
system (``madvise``; the address space stays, so the next allocation there costs a page
fault). ``HeapTrim`` calls it every ``interval_s`` seconds on a thread of its own
(``FUNDBOOK_MALLOC_TRIM_S``, 60 by default; 0: never); it takes each arena's lock in turn for
the walk (about a millisecond per 100 MiB here). Elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import threading
from typing import Any

from ledger.application import memory_tuning


def malloc_trim() -> bool:
    """One ``malloc_trim(0)``; True when glibc gave memory back."""
    libc = memory_tuning.glibc()
    return libc is not None and bool(libc.malloc_trim(0))


class HeapTrim:
    def __init__(self, interval_s: float) -> None:
        self.interval_s = interval_s
        self.trims = 0  # calls that gave memory back
        self.calls = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self.interval_s <= 0 or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="fundbook-heap-trim", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def trim(self) -> bool:
        self.calls += 1
        gave_back = malloc_trim()
        self.trims += gave_back
        return gave_back

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.trim()

    def status(self) -> dict[str, Any]:
        return {"interval_s": self.interval_s, "calls": self.calls, "gave_back": self.trims}
