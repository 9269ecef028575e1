"""Opening a store whose views are empty, then answering ``fundbook balances`` (not a test).

    .venv/bin/python -m bench.catch_up_far                       # SQLite, ~200k events, 3 runs
    .venv/bin/python -m bench.catch_up_far --size 1000000 --runs 3
    .venv/bin/python -m bench.catch_up_far --database-url postgresql://…   # an already-filled store

The situation of issue 20 item 6: the events are there, the views are empty (a restore, a new
server). Per run, the views are emptied first (not timed), then three ways are timed side by
side, each a fresh ``fundbook`` process from start to exit (stdout and the progress bar
discarded):

- old path: ``fundbook balances`` with the far-behind threshold set out of reach, so opening
  the books catches up as before (``runner.catch_up``: batches of 1000, one thread);
- new path: ``fundbook balances`` as it is (``runner.catch_up_at_open``: far behind, the views
  are rebuilt beside and swapped in, ADR 0180);
- rebuild: ``fundbook rebuild`` then ``fundbook balances``, the two processes' times summed;
- and, for scale, ``fundbook balances`` on views already at the head: starting the process and
  answering, which every way above includes.

After each timed run the views must stand at the head of the log. Histories come from
``bench.replay``'s cache (``bench.history``: the events the Ledger's commands write, written in
bulk; tests/test_bench_history.py checks they are the same); building them is not timed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.replay import _store
from ledger.application.bootstrap import build_views
from ledger.config import Settings

WAYS = {  # the commands, and whether the views are emptied first
    "old path (catch_up, batches of 1000)": ([["--old", "balances"]], True),
    "new path (catch_up_at_open: rebuild beside)": ([["balances"]], True),
    "fundbook rebuild + fundbook balances": ([["rebuild"], ["balances"]], True),
    "views at the head (start and answer only)": ([["balances"]], False),
}


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--size", type=int, default=200000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/fundbook-bench"))
    parser.add_argument("--database-url", help="an already-filled store (PostgreSQL); default a SQLite file")
    parser.add_argument("--cli", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cli is not None:
        _cli(args.cli)
        return
    url = _store(args.work, args.size, args.database_url)
    views = build_views(Settings(database_url=url))
    try:
        head = views.max_event_position()
    finally:
        views.close()
    print(
        f"store {url.split('?')[0].split('@')[-1]}, {head:,} events, load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    times: dict[str, list[float]] = {way: [] for way in WAYS}
    for _ in range(args.runs):
        for way, (commands, empty) in WAYS.items():  # side by side within each run
            if empty:
                _empty_views(url)
            seconds = sum(_timed(url, command) for command in commands)
            _check_at_head(url, head)
            times[way].append(seconds)
            print(f"  {way}: {seconds:.2f} s", flush=True)
    for way, runs in times.items():
        median = statistics.median(runs)
        print(
            f"{way:45} median {median:6.2f} s ({head / median:>8,.0f} events/s); "
            f"runs {', '.join(f'{s:.2f}' for s in runs)} s"
        )
    print(f"load at the end {os.getloadavg()[0]:.1f}")


def _cli(argv: list[str]) -> None:
    """In the timed process: ``fundbook`` itself; ``--old`` first puts the fast path out of reach."""
    from ledger.cli import app
    from ledger.projections import runner

    if argv[:1] == ["--old"]:
        runner.FAR_BEHIND = sys.maxsize
        argv = argv[1:]
    app(argv)


def _timed(url: str, command: list[str]) -> float:
    env = {**os.environ, "FUNDBOOK_DATABASE_URL": url}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bench.catch_up_far", "--cli", *command],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def _empty_views(url: str) -> None:
    views = build_views(Settings(database_url=url))
    try:
        views.reset()  # every view table dropped and made again, empty, at position 0
    finally:
        views.close()


def _check_at_head(url: str, head: int) -> None:
    views = build_views(Settings(database_url=url))
    try:
        if views.position() != head:
            raise SystemExit(f"the views stopped at {views.position()}, not at the head {head}")
    finally:
        views.close()


if __name__ == "__main__":
    main()
