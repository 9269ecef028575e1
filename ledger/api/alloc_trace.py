"""Where the server's Python memory lives, by line of code: a diagnostic for benchmarks (ADR 0219).

``FUNDBOOK_TRACEMALLOC=N`` (N frames, 0 off: the default) starts ``tracemalloc`` when the app is
made. ``GET /health/process`` then adds a ``tracemalloc`` part: what is traced now and at its
peak, the places holding the most, and those that grew most since the previous call (the first
call is the baseline). A place is the allocating line and its N - 1 callers. A benchmark
calls it at minute 3 and at minute 10 and reads what grew between them. Tracing costs CPU and
memory (the traces, and a report's snapshot: tens of MiB under load, and a report takes seconds
to a minute on a loaded machine): a benchmark's diagnostic, never in production.

Only file names and line numbers are reported, never a value.
"""

from __future__ import annotations

import threading
import tracemalloc
from typing import Any

TOP = 25

_Lines = dict[str, tuple[int, int]]  # "file:line" -> (bytes, blocks)


class AllocTrace:
    def __init__(self, frames: int) -> None:
        self.frames = frames
        self._previous: _Lines | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        if self.frames > 0 and not tracemalloc.is_tracing():
            tracemalloc.start(self.frames)

    def report(self, top: int = TOP) -> dict[str, Any] | None:
        """The traced totals, the largest lines, and the lines' growth since the last report."""
        if not tracemalloc.is_tracing():
            return None
        snapshot = tracemalloc.take_snapshot()  # not filtered: filter_traces is Python per trace
        lines = {_where(s.traceback): (s.size, s.count) for s in snapshot.statistics("traceback")}
        del snapshot  # the traces themselves: several MiB
        current, peak = tracemalloc.get_traced_memory()
        with self._lock:
            previous, self._previous = self._previous, lines
        largest = sorted(lines.items(), key=lambda item: item[1][0], reverse=True)[:top]
        answer: dict[str, Any] = {
            "traced_bytes": current,
            "peak_bytes": peak,
            "largest": [_line(where, size, count) for where, (size, count) in largest],
        }
        if previous is not None:
            answer["grown_since_last"] = grown(previous, lines, top)
        return answer


def grown(before: _Lines, after: _Lines, top: int) -> list[dict[str, Any]]:
    """The lines whose live bytes changed most between two reports (growth first)."""
    changes = []
    for where in before.keys() | after.keys():
        size_before, count_before = before.get(where, (0, 0))
        size_after, count_after = after.get(where, (0, 0))
        if size_after != size_before:
            changes.append((size_after - size_before, count_after - count_before, where))
    changes.sort(reverse=True)
    return [{"where": where, "bytes": size, "blocks": count} for size, count, where in changes[:top]]


def _where(traceback: tracemalloc.Traceback) -> str:
    """The frames, the allocating line first: ``file:line < caller:line < …``, paths short."""
    return " < ".join(f"{_short(frame.filename)}:{frame.lineno}" for frame in reversed(traceback))


def _short(filename: str) -> str:
    for marker, prefix in (("site-packages/", ""), ("/ledger/", "ledger/"), ("python3.11/", "")):
        if marker in filename:
            return prefix + filename.split(marker, 1)[1]
    return filename


def _line(where: str, size: int, count: int) -> dict[str, Any]:
    return {"where": where, "bytes": size, "blocks": count}
