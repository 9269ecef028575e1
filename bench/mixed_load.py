"""Memory of a real ``fundbook serve`` under mixed load: writers and readers together (not a test).

    .venv/bin/python -m bench.mixed_load                       # SQLite demo, 10 minutes
    .venv/bin/python -m bench.mixed_load --seconds 60          # a short run while developing
    .venv/bin/python -m bench.mixed_load --database-url 'postgresql://fundbook:fundbook@127.0.0.1:5432/fundbook_test_c'

Each run loads the demo into a fresh store (a new SQLite file under --work, or a new schema of
the PostgreSQL database), makes a bookkeeper of the street committee with the real ``fundbook
user add``, and starts a real ``fundbook serve`` (one worker) on a free loopback port. Then, for
``--seconds``, in a separate client process:

- ``--writers`` threads record donations into the demo's funds (an Idempotency-Key each) and
  read each write back through the API with ``min_position`` (read-your-writes);
- ``--readers`` threads read the public noticeboard as anonymous visitors: the index and the
  statements of sealed and open months, quarters and years, in every format (page, PDF, CSV,
  XLSX, JSON, Chinese and English), round robin.

The server's resident set (VmRSS of its process) is sampled every ``--sample-every`` seconds,
and beside it the PDF render children's (``multiprocessing`` spawn processes of the server,
ADR 0054; recycled, so their pids change) and the whole tree's (server + every child, the
resource tracker included); the report gives them at the start (the server up, before any
load), at the half and at the end, the peaks, the requests answered and every status seen.
Loopback only; bounded by ``--seconds`` (and each request by a 60 s timeout).

``--probe-at 180,600`` reads the server's ``/health/process`` at those seconds (its caches,
SQLite's heap, glibc's counts; with ``--server-env FUNDBOOK_TRACEMALLOC=1`` the lines of code
that grew since the previous probe, ADR 0219), prints a digest and keeps each answer whole in
``--work``. The end gives the RSS every five minutes too, for runs longer than ten.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.http_append import fresh_url
from ledger.application import shanghai_today
from ledger.application.bootstrap import build_ledger, build_views
from ledger.config import Settings
from ledger.projections import runner
from tests.e2e import server as e2e_server
from tests.e2e.server import add_user, start_server

FORMATS = ("", ".pdf", ".csv", ".xlsx", ".json")
REQUEST_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Books:
    funds: list[str]
    members: list[str]
    token: str


def prepare(url: str) -> Books:
    """The demo in a fresh store, its views caught up, and a bookkeeper's token."""
    from ledger.application.demo import load_demo

    ledger = build_ledger(Settings(database_url=url))
    try:
        demo = load_demo(ledger)
    finally:
        ledger.close()
    views = build_views(Settings(database_url=url))
    try:
        runner.catch_up(views)
    finally:
        views.close()
    token = add_user(url, demo.people["bookkeeper"], "bookkeeper", demo.orgs["street"])
    funds = [demo.funds[key] for key in ("mutual_aid", "activity1", "activity2")]
    return Books(funds, demo.members[:20], token)


def board_paths(funds: list[str], today: str) -> list[str]:
    """Sealed periods (the demo closes through 2024-11) and open ones (this month, quarter
    and year), every public format, in both languages."""
    year, month = today[:4], today[:7]
    quarter = f"{year}-Q{(int(today[5:7]) - 1) // 3 + 1}"
    periods = ("2024-07", "2024-Q3", "2023", month, quarter, year)
    paths = ["/", "/?lang=en"]
    for fund in funds[:2]:
        for period in periods:
            for fmt in FORMATS:
                for lang in ("", "?lang=en"):
                    paths.append(f"/board/{fund}/{period}{fmt}{lang}")
    return paths


def client_process(base_url: str, books: Books, args: argparse.Namespace, out) -> None:
    statuses: Counter[str] = Counter()
    lock = threading.Lock()
    stop_at = time.monotonic() + args.seconds
    today = shanghai_today().isoformat()
    paths = board_paths(books.funds, today)

    def count(kind: str, response: httpx.Response | None) -> None:
        with lock:
            statuses[f"{kind} {'dropped' if response is None else response.status_code}"] += 1

    def get(client: httpx.Client, path: str, **kwargs) -> httpx.Response | None:
        try:
            return client.request(kwargs.pop("method", "GET"), path, **kwargs)
        except httpx.TransportError:  # a dropped connection is counted, the thread goes on
            return None

    def writer(no: int) -> None:
        headers = {"Authorization": f"Bearer {books.token}"}
        with httpx.Client(base_url=base_url, timeout=REQUEST_TIMEOUT_S) as client:
            n = 0
            while time.monotonic() < stop_at:
                fund = books.funds[(no + n) % len(books.funds)]
                donor = books.members[(no * 7 + n) % len(books.members)]
                body = {
                    "occurred_on": today,
                    "amount": f"{1 + n % 50}.{n % 100:02d}",
                    "donor_kind": "member",
                    "donor_person_id": donor,
                    "doc_refs": [f"收据-{no}-{n}"],
                    "memo": f"压力测试 {no}-{n}",
                }
                key = {"Idempotency-Key": str(uuid.uuid4())}
                answer = get(
                    client,
                    f"/funds/{fund}/donations",
                    method="POST",
                    json=body,
                    headers={**headers, **key},
                )
                count("write", answer)
                position = answer.headers.get("X-Fundbook-Position") if answer else None
                if position and n % 4 == 0:
                    read = get(
                        client,
                        f"/funds/{fund}/statements/{today[:7]}",
                        params={"min_position": position},
                        headers=headers,
                    )
                    count("api-read", read)
                n += 1

    def reader(no: int) -> None:
        with httpx.Client(base_url=base_url, timeout=REQUEST_TIMEOUT_S) as client:
            n = no * 13
            while time.monotonic() < stop_at:
                count("board", get(client, paths[n % len(paths)]))
                n += 1

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(args.writers)]
    threads += [threading.Thread(target=reader, args=(i,)) for i in range(args.readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put(dict(statuses))


def rss_mib(pid: int, field: str = "VmRSS") -> float:
    """The resident set (``VmRSS``), or its anonymous part (``RssAnon``: not file pages)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} for process {pid}")


def children(pid: int) -> list[int]:
    """The child processes of ``pid`` (every thread's list of children)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:  # the thread ended meanwhile
            continue
    return found


def tree_rss_mib(pid: int) -> tuple[float, float, float]:
    """(server, PDF render children, whole tree) resident sets; a child that ends meanwhile
    counts zero."""
    server, renderers, others = rss_mib(pid), 0.0, 0.0
    for child in children(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
            rss = rss_mib(child)
        except (OSError, RuntimeError):
            continue
        if b"multiprocessing.spawn" in command:
            renderers += rss
        else:
            others += rss
    return server, renderers, server + renderers + others


def probe(base_url: str, elapsed: float, work: Path) -> None:
    """``/health/process`` now: a digest printed, the whole answer kept in ``work``."""
    try:
        answer = httpx.get(f"{base_url}/health/process", timeout=REQUEST_TIMEOUT_S * 2).json()
    except httpx.HTTPError as error:  # a busy server: the run goes on without this probe
        print(f"  probe at {elapsed:.0f} s failed: {error!r}", flush=True)
        return
    (work / f"probe-{answer['pid']}-{elapsed:.0f}s.json").write_text(json.dumps(answer, indent=1))
    mib = 2**20
    malloc = answer.get("malloc") or {}
    print(
        f"  probe at {elapsed:.0f} s: RSS {answer['rss_bytes'] / mib:.1f} MiB, SQLite heap "
        f"{(answer['sqlite_heap_bytes'] or 0) / mib:.1f} MiB, malloc in use "
        f"{malloc.get('in_use_bytes', 0) / mib:.1f} MiB, free in arenas "
        f"{malloc.get('free_in_arenas_bytes', 0) / mib:.1f} MiB, threads {answer['threads']}",
        flush=True,
    )
    print(f"    caches: {answer['caches']}", flush=True)
    print(f"    sealed files: {answer['board'].get('sealed_statements')}", flush=True)
    print(f"    pymalloc: {answer.get('pymalloc')}; heap trim: {answer.get('heap_trim')}", flush=True)
    traced = answer.get("tracemalloc")
    if traced:
        print(f"    traced {traced['traced_bytes'] / mib:.1f} MiB (peak {traced['peak_bytes'] / mib:.1f})")
        for line in traced.get("grown_since_last", [])[:15]:
            print(f"    {line['bytes'] / 1024:+9.1f} KiB {line['blocks']:+7d} blocks  {line['where']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--sample-every", type=float, default=10.0)
    parser.add_argument("--database-url", default=None, help="PostgreSQL (a new schema per run)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/fundbook-bench"))
    parser.add_argument("--server-env", action="append", default=[], help="NAME=VALUE for the server")
    parser.add_argument("--probe-at", default="", help="seconds at which to read /health/process: 180,600")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    url = fresh_url(args.database_url, args.work, int(time.time()))
    began = time.monotonic()
    books = prepare(url)
    print(f"store {url.split(':')[0]}: demo loaded in {time.monotonic() - began:.0f} s")
    extra = dict(item.split("=", 1) for item in args.server_env)
    e2e_server.STARTUP_TIMEOUT_S = 120.0  # a shared machine may be slow to answer /health
    server = start_server(url, env=extra)
    pid = server.process.pid
    samples: list[tuple[float, tuple[float, float, float]]] = [(0.0, tree_rss_mib(pid))]
    probes = sorted(float(t) for t in args.probe_at.split(",") if t.strip())
    try:
        queue: multiprocessing.Queue = multiprocessing.Queue()
        client = multiprocessing.Process(target=client_process, args=(server.base_url, books, args, queue))
        start = time.monotonic()
        client.start()
        while client.is_alive() and time.monotonic() - start < args.seconds + REQUEST_TIMEOUT_S:
            time.sleep(min(args.sample_every, max(0.1, args.seconds - (time.monotonic() - start))))
            elapsed = time.monotonic() - start
            samples.append((elapsed, tree_rss_mib(pid)))
            anon = rss_mib(pid, "RssAnon")
            server_mib, renderer_mib, tree_mib = samples[-1][1]
            print(
                f"  {elapsed:6.0f} s  RSS server {server_mib:7.1f} MiB (anonymous {anon:.1f}), "
                f"renderers {renderer_mib:6.1f} MiB, tree {tree_mib:7.1f} MiB, load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
            while probes and elapsed >= probes[0]:
                probes.pop(0)
                probe(server.base_url, elapsed, args.work)
            if elapsed >= args.seconds:
                break
        statuses = queue.get(timeout=REQUEST_TIMEOUT_S * 2)
        client.join(timeout=10)
        process = httpx.get(f"{server.base_url}/health/process", timeout=REQUEST_TIMEOUT_S * 3).json()
    finally:
        server.stop()
    half = min(samples, key=lambda s: abs(s[0] - args.seconds / 2))
    print(f"\n{args.writers} writers, {args.readers} readers, {args.seconds:.0f} s, one worker")
    for no, name in enumerate(("server", "PDF renderers", "whole tree")):
        start, middle, end = samples[0][1][no], half[1][no], samples[-1][1][no]
        peak = max(s[1][no] for s in samples)
        print(f"RSS {name}: start {start:.1f} MiB, at {half[0]:.0f} s {middle:.1f} MiB, ", end="")
        print(f"at {samples[-1][0]:.0f} s {end:.1f} MiB, peak {peak:.1f} MiB")
    for minute in range(5, int(samples[-1][0] // 60) + 1, 5):
        at = min(samples, key=lambda s: abs(s[0] - minute * 60))
        print(f"RSS server at {minute} min ({at[0]:.0f} s): {at[1][0]:.1f} MiB")
    print(f"requests: {sum(statuses.values())}")
    for kind, n in sorted(statuses.items()):
        print(f"- {kind}: {n}")
    print(f"server's /health/process at the end: {process}")


if __name__ == "__main__":
    main()
