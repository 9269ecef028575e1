"""How long a rebuild beside the live views takes, and how long its swap holds them (not a test).

    .venv/bin/python -m bench.rebuild_swap                        # SQLite, 20k events, 3 runs
    .venv/bin/python -m bench.rebuild_swap --size 100000 --runs 3
    .venv/bin/python -m bench.rebuild_swap --database-url postgresql://…   # an already-filled store

Per run: the whole ``runner.rebuild`` (fold beside, indexes, catch-up, swap) and the swap
transaction alone (``ViewStore.swap_in``: lock, compare positions, drop, rename), which is the
only time readers and followers wait for a rebuild (ADR 0052). Histories come from
``bench.replay``'s cache.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from bench.replay import _store
from ledger.application.bootstrap import build_views
from ledger.config import Settings
from ledger.projections import runner
from ledger.projections.store import ViewStore


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/fundbook-bench"))
    parser.add_argument("--database-url", help="an already-filled store (PostgreSQL); default a SQLite file")
    args = parser.parse_args()
    url = _store(args.work, args.size, args.database_url)
    swaps: list[float] = []
    swap_in = ViewStore.swap_in

    def timed(live: ViewStore, beside: ViewStore) -> bool:
        start = time.perf_counter()
        try:
            return swap_in(live, beside)
        finally:
            swaps.append(time.perf_counter() - start)

    ViewStore.swap_in = timed  # type: ignore[method-assign]
    views = build_views(Settings(database_url=url), catch_up=True)
    totals = []
    try:
        events = views.max_event_position()
        for _ in range(args.runs):
            start = time.perf_counter()
            runner.rebuild(views)
            totals.append(time.perf_counter() - start)
    finally:
        views.close()
    print(f"store {url.split('?')[0].split('@')[-1]}, {events:,} events, load {os.getloadavg()[0]:.1f}")
    print(f"rebuild beside + swap: median {statistics.median(totals):.2f} s (runs {_list(totals)})")
    print(f"swap transaction: median {statistics.median(swaps) * 1000:.1f} ms (all {_list(swaps, 1000)} ms)")


def _list(values: list[float], scale: float = 1.0) -> str:
    return ", ".join(f"{v * scale:.2f}" for v in values)


if __name__ == "__main__":
    main()
