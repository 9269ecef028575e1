"""What the server gains under the mixed load: RSS, SQLite's heap, Python objects (not a test).

    .venv/bin/python -m bench.memory_growth                       # SQLite demo
    .venv/bin/python -m bench.memory_growth --database-url 'postgresql://…/fundbook_test_a'
    .venv/bin/python -m bench.memory_growth --trace               # and tracemalloc (slow)

The app of ``fundbook serve`` runs in this process (``create_app``, driven by Starlette's test
client in one thread): the demo, then rounds of ``bench.mixed_load``'s requests (donations with
read-your-writes, every board path in turn; with ``--pdf`` the PDFs too, which render in their
child process). After each round: the process's RSS, what SQLite's allocator holds (its page
caches), the objects the collector sees. At the end, the object types that grew between the
warm-up and the last round; with ``--trace``, the lines of code whose live allocations grew
most (``tracemalloc``). Whatever grows with the rounds is a cache, a leak, or state that grows
with the entries (ADR 0185). Bounded by ``--rounds``."""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import gc
import time
import tracemalloc
import uuid
from pathlib import Path

from fastapi.testclient import TestClient

from bench.http_append import fresh_url
from bench.mixed_load import board_paths, prepare
from ledger.api import create_app
from ledger.application import shanghai_today
from ledger.config import Settings


def one_round(client: TestClient, books, paths: list[str], today: str, round_no: int) -> None:
    headers = {"Authorization": f"Bearer {books.token}"}
    for n, path in enumerate(paths):
        fund = books.funds[n % len(books.funds)]
        answer = client.post(
            f"/funds/{fund}/donations",
            json={
                "occurred_on": today,
                "amount": f"{1 + n % 50}.{n % 100:02d}",
                "donor_kind": "member",
                "donor_person_id": books.members[(round_no * 7 + n) % len(books.members)],
                "doc_refs": [f"收据-{round_no}-{n}"],
                "memo": f"压力测试 {round_no}-{n}",
            },
            headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
        )
        position = answer.headers.get("X-Fundbook-Position")
        client.get(
            f"/funds/{fund}/statements/{today[:7]}", params={"min_position": position}, headers=headers
        )
        client.get(path)


def sqlite_heap_mib() -> float:
    """What SQLite's allocator holds in this process (page caches, statements)."""
    lib = ctypes.CDLL(ctypes.util.find_library("sqlite3") or "libsqlite3.so.0")
    lib.sqlite3_memory_used.restype = ctypes.c_int64
    return lib.sqlite3_memory_used() / 2**20


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def census() -> dict[str, int]:
    """Live objects by type."""
    counts: dict[str, int] = {}
    for thing in gc.get_objects():
        name = type(thing).__qualname__
        counts[name] = counts.get(name, 0) + 1
    return counts


def report(label: str) -> None:
    traced = tracemalloc.get_traced_memory()[0] / 2**20 if tracemalloc.is_tracing() else float("nan")
    print(
        f"  {label}: RSS {rss_mib():.1f} MiB, SQLite heap {sqlite_heap_mib():.1f} MiB, "
        f"Python traced {traced:.1f} MiB, {len(gc.get_objects())} objects",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="PostgreSQL (a new schema per run)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/fundbook-bench"))
    parser.add_argument("--warm-up", type=int, default=2, help="rounds before the first snapshot")
    parser.add_argument("--rounds", type=int, default=6, help="rounds between the two snapshots")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--trace", action="store_true", help="tracemalloc (slow): lines that grew")
    parser.add_argument("--pdf", action="store_true", help="read the PDFs too (seconds each)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    url = fresh_url(args.database_url, args.work, int(time.time()))
    books = prepare(url)
    today = shanghai_today().isoformat()
    paths = [p for p in board_paths(books.funds, today) if args.pdf or ".pdf" not in p]
    print(f"store {url.split(':')[0]}: demo loaded; {len(paths)} paths a round", flush=True)
    if args.trace:
        tracemalloc.start(8)
    before = after = None
    with TestClient(create_app(Settings(database_url=url))) as client:
        for round_no in range(args.warm_up):
            one_round(client, books, paths, today, round_no)
            report(f"warm-up round {round_no + 1}")
        gc.collect()
        counted = census()
        before = tracemalloc.take_snapshot() if args.trace else None
        began = time.monotonic()
        for round_no in range(args.warm_up, args.warm_up + args.rounds):
            one_round(client, books, paths, today, round_no)
            report(f"round {round_no + 1}")
        gc.collect()
        grown = census()
        after = tracemalloc.take_snapshot() if args.trace else None
        elapsed = time.monotonic() - began
    print(f"{args.rounds} rounds of {len(paths)} writes and reads in {elapsed:.0f} s; objects that grew:")
    growth = sorted(((grown[k] - counted.get(k, 0), k) for k in grown), reverse=True)
    for diff, name in growth[: args.top]:
        print(f"  {diff:+8d}  {name}")
    if before is None or after is None:
        return
    keep = [tracemalloc.Filter(False, tracemalloc.__file__)]
    for stat in after.filter_traces(keep).compare_to(before.filter_traces(keep), "traceback")[: args.top]:
        print(f"{stat.size_diff / 1024:+9.1f} KiB  {stat.count_diff:+7d} blocks")
        for frame in stat.traceback.format()[-6:]:
            print(f"      {frame.strip()}")


if __name__ == "__main__":
    main()
