"""Full rebuild of the views from histories of 10k, 100k and 1M events (not a test).

    .venv/bin/python -m bench.replay                     # 10k, 100k, 1M on SQLite, 3 runs each
    .venv/bin/python -m bench.replay --sizes 100000 --runs 5
    .venv/bin/python -m bench.replay --database-url postgresql://fundbook:fundbook@127.0.0.1/fundbook

A history is built once per size (cached under --work) by ``bench.history``: registered
people, organisations, funds, offices and stipend terms made through the Ledger's commands; per
fund and month about 40 vouchers (donations from registered members, expenses paid to them,
grants, interest, the secretary's stipend, now and then a reversal) over three fiscal years,
every month closed and sealed; the money events written in bulk, exactly as the Ledger's
commands write them (tests/test_bench_history.py). Each timed run is a child process that drops
the views and rebuilds them (``runner.rebuild``), so its peak RSS is its own: the writer's and
the folding process's peaks are reported apart. Prints medians, the CPU time of each run
(the child and its folding process) and the load average, and writes nothing else.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.history import TODAY, build_history
from ledger.application.bootstrap import build_ledger, build_views
from ledger.config import Settings
from ledger.projections import runner


def cpu_seconds() -> float:
    """User + system CPU of this process and its waited-for children (the folding process)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def load() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 3)[0]


def _child(url: str) -> None:
    """One timed rebuild in this process; prints JSON."""
    settings = Settings(database_url=url)
    app = build_ledger(settings, today=lambda: TODAY)
    views = build_views(settings)
    start, cpu = time.perf_counter(), cpu_seconds()
    count = runner.rebuild(views)
    seconds = time.perf_counter() - start
    cpu = cpu_seconds() - cpu
    writer_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    folder_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the folding process
    print(
        json.dumps(
            {
                "events": count,
                "seconds": seconds,
                "cpu_seconds": cpu,
                "peak_rss_mib": writer_kib / 1024,
                "folder_peak_rss_mib": folder_kib / 1024,
            }
        )
    )
    views.close()
    app.close()


def _baseline(url: str, decoder: str) -> float:
    """The floor: read every stored event and sum its amount, nothing else (no views)."""
    import sqlite3

    loads = __import__(decoder).loads
    path = url[len("sqlite:///") :]
    start = time.perf_counter()
    conn = sqlite3.connect(path)
    total, last = 0, 0
    while rows := conn.execute(
        "SELECT rowid, state FROM stored_events WHERE rowid > ? ORDER BY rowid LIMIT 20000", (last,)
    ).fetchall():
        for _, state in rows:
            total += loads(state).get("amount_fen", 0)
        last = rows[-1][0]
    conn.close()
    return time.perf_counter() - start


def _store(work: Path, size: int, database_url: str | None) -> str:
    if database_url:
        return database_url
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"history-v2-{size}.db"  # v2: bench.history (ADR 0200)
    url = f"sqlite:///{path}"
    if not path.exists():
        print(f"building a history of ~{size:,} events in {path} …", flush=True)
        t = time.perf_counter()
        app = build_ledger(Settings(database_url=f"sqlite:///{path}.tmp"), today=lambda: TODAY)
        n = build_history(app, size)
        app.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{path}.tmp{suffix}").unlink(missing_ok=True)
        os.replace(f"{path}.tmp", path)
        print(f"  {n:,} events in {time.perf_counter() - t:.1f} s; {snapshots(path)}", flush=True)
    return url


def snapshots(path: Path) -> str:
    """What the snapshot store holds (one per aggregate, ADR 0110) against the file's size."""
    import sqlite3

    conn = sqlite3.connect(path)
    rows, aggregates, total, biggest = conn.execute(
        "SELECT count(*), count(DISTINCT originator_id), sum(length(state)), max(length(state))"
        " FROM stored_snapshots"
    ).fetchone()
    conn.close()
    return (
        f"{rows:,} snapshots of {aggregates:,} aggregates, {(total or 0) / 2**20:.1f} MiB "
        f"(largest {(biggest or 0) / 1024:.0f} KiB), file {path.stat().st_size / 2**20:.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/fundbook-bench"))
    parser.add_argument("--database-url", help="an already-filled store (PostgreSQL); default SQLite files")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    for size in (int(s) for s in args.sizes.split(",")):
        url = _store(args.work, size, args.database_url)
        runs, loads = [], [load()]
        for _ in range(args.runs):
            out = subprocess.run(
                [sys.executable, "-m", "bench.replay", "--child", url],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            runs.append(json.loads(out.strip().splitlines()[-1]))
            loads.append(load())
            print(f"  run {len(runs)}: {runs[-1]} load {loads[-1]}", flush=True)
        seconds = statistics.median(r["seconds"] for r in runs)
        events = runs[0]["events"]
        print(
            f"rebuild {events:>9,} events: median {seconds:6.2f} s = {events / seconds:>9,.0f} events/s; "
            f"peak RSS median {statistics.median(r['peak_rss_mib'] for r in runs):4.0f} MiB writer + "
            f"{statistics.median(r['folder_peak_rss_mib'] for r in runs):4.0f} MiB folder; "
            f"CPU median {statistics.median(r['cpu_seconds'] for r in runs):6.2f} s; "
            f"runs {', '.join(format(r['seconds'], '.2f') for r in runs)} s; load {' → '.join(loads)}",
            flush=True,
        )
        if not args.database_url:  # side by side, in the same run: the plain read-and-sum loop
            for decoder in ("json", "orjson"):
                floor = statistics.median(_baseline(url, decoder) for _ in range(args.runs))
                print(
                    f"  baseline read+{decoder}.loads+sum {events:,} events: median {floor:6.2f} s "
                    f"({events / floor:,.0f} events/s); rebuild / baseline = {seconds / floor:.2f}"
                )


if __name__ == "__main__":
    main()
