"""Many donations into one fund in one year over HTTP: does an append cost the same at the end
as at the start (issue 20)? Not a test.

    .venv/bin/python -m bench.one_fund --donations 20000
    .venv/bin/python -m bench.one_fund --donations 20000 --compare /tmp/old-tree   # side by side

Each run: a fresh SQLite store, the e2e seed (a branch, its mutual-aid fund, a member), a
bookkeeper token from ``fundbook user add``, a real ``fundbook serve`` (one worker). Then
``--clients`` threads, each on its own keep-alive ``http.client`` connection (a client that
costs little CPU beside the server on the same two cores), post ``--donations`` donations with
an Idempotency-Key each, dated over the days of one year. Reported per run:

- the rate over the first and over the last tenth of the donations, and their ratio;
- the server's resident set at the end;
- the snapshot table at the end: rows and bytes (and the largest snapshot);
- one idempotency lookup of an unknown key on the final store, by the Ledger's own lookup, and
  by the library's ``Repository.get`` (the path before ADR 0110), median of 200.

``--compare TREE`` runs the same against a server started with ``PYTHONPATH=TREE/``: a copy of
an older ``ledger`` package (e.g. ``git archive <commit> ledger | tar -x -C TREE``), the two
runs one after the other on the same machine.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from eventsourcing.application import AggregateNotFoundError

from bench.mixed_load import rss_mib
from ledger.application.bootstrap import build_ledger
from ledger.config import Settings
from ledger.domain.request_record import RequestRecord
from tests.e2e.server import add_user, seed, start_server

YEAR_START = date(2026, 1, 1)
DAYS = 330  # every entry falls in the open year, before today
IDLE_FRAMES = ("wait (", "select (", "_worker (", "accept (", "run_forever (", "_run_once (")


def post_donations(port: int, fund: str, member: str, token: str, total: int, clients: int) -> list[float]:
    """Completion times (monotonic) of every donation, in completion order."""
    done: list[float] = []
    lock = threading.Lock()
    counter = iter(range(total))
    failures: list[str] = []

    def run() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            body = {
                "occurred_on": (YEAR_START + timedelta(days=n % DAYS)).isoformat(),
                "amount": "1.00",
                "donor_kind": "member",
                "donor_person_id": member,
                "doc_refs": ["收据"],
            }
            conn.request(
                "POST",
                f"/funds/{fund}/donations",
                json.dumps(body),
                {**headers, "Idempotency-Key": uuid.uuid4().hex},
            )
            answer = conn.getresponse()
            text = answer.read()
            with lock:
                if answer.status != 201:
                    failures.append(f"{answer.status} {text[:200]!r}")
                done.append(time.monotonic())
        conn.close()

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"{len(failures)} donations failed, e.g. {failures[0]}")
    return done


def window_rate(times: list[float], first: int, last: int) -> float:
    return (last - first) / (times[last - 1] - times[first])


def snapshot_table(path: Path) -> tuple[int, int, int]:
    with sqlite3.connect(path) as conn:
        count, total, largest = conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(LENGTH(state)), 0), COALESCE(MAX(LENGTH(state)), 0) "
            "FROM stored_snapshots"
        ).fetchone()
    return count, total, largest


def lookup_ms(url: str) -> tuple[float, float]:
    """Median ms of one lookup of an unknown request id: the Ledger's, and Repository.get's."""
    ledger = build_ledger(Settings(database_url=url))
    try:
        ours, library = [], []
        for _ in range(200):
            key = uuid.uuid4().hex
            began = time.perf_counter()
            ledger.prior_request(key)
            ours.append(time.perf_counter() - began)
            began = time.perf_counter()
            with contextlib.suppress(AggregateNotFoundError):  # the key is unknown, as expected
                ledger._read_repository.get(RequestRecord.create_id(key))
            library.append(time.perf_counter() - began)
        return statistics.median(ours) * 1000, statistics.median(library) * 1000
    finally:
        ledger.close()


def profile(pid: int, out: Path) -> subprocess.Popen:
    """py-spy sampling the server (``pip install py-spy``) until interrupted."""
    spy = Path(sys.executable).with_name("py-spy")
    command = [str(spy), "record", "--pid", str(pid), "--format", "raw", "--rate", "100", "--nonblocking"]
    command += ["-o", str(out)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def top_frames(path: Path, count: int = 30) -> str:
    """The functions most often on the stack (inclusive) and on top of it (self), as % of the
    samples that were not waiting (a thread in ``wait``/``select``/``get`` of a queue)."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, samples = line.rpartition(" ")
        frames = stack.split(";")
        if any(idle in frames[-1] for idle in IDLE_FRAMES):
            continue
        n = int(samples)
        total += n
        own[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n
    rows = [f"{100 * n / total:5.1f} %  {frame}" for frame, n in inclusive.most_common(count)]
    rows += ["self:"] + [f"{100 * n / total:5.1f} %  {frame}" for frame, n in own.most_common(count // 2)]
    return "\n".join(rows)


def one_run(label: str, tree: str | None, work: Path, args: argparse.Namespace) -> None:
    path = work / f"{label}.db"
    url = f"sqlite:///{path}"
    books = seed(url)
    token = add_user(url, books.bookkeeper_person, "bookkeeper", books.community)
    server = start_server(url, workers=1, env={"PYTHONPATH": tree} if tree else None)
    try:
        port = int(server.base_url.rsplit(":", 1)[1])
        rss_start = rss_mib(server.process.pid)
        samples = Path(f"/tmp/fundbook-profile-{label}.txt")
        profiler = profile(server.process.pid, samples) if args.profile else None
        began = time.monotonic()
        times = post_donations(port, books.fund, books.member, token, args.donations, args.clients)
        elapsed = time.monotonic() - began
        rss_end = rss_mib(server.process.pid)
        if profiler is not None:
            profiler.send_signal(signal.SIGINT)
            profiler.wait(timeout=60)
            print(f"{label}: profile of the server\n{top_frames(samples)}", flush=True)
    finally:
        server.stop()
    tenth = args.donations // 10
    first = window_rate(times, 0, tenth)
    last = window_rate(times, args.donations - tenth, args.donations)
    count, total, largest = snapshot_table(path)
    ours, library = lookup_ms(url)
    print(
        f"{label}: {args.donations:,} donations in {elapsed:.0f} s; first tenth {first:.0f}/s, "
        f"last tenth {last:.0f}/s (last/first {last / first:.2f}); server RSS {rss_start:.0f} -> "
        f"{rss_end:.0f} MiB; snapshots: {count} rows, {total / 2**20:.1f} MiB (largest "
        f"{largest / 1024:.0f} KiB); lookup of an unknown request id: {ours:.2f} ms (Ledger), "
        f"{library:.2f} ms (Repository.get)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--donations", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--compare", default=None, help="a tree holding an older ledger package")
    parser.add_argument("--profile", action="store_true", help="sample the server with py-spy")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        one_run("after", None, Path(tmp), args)
        if args.compare:
            one_run("before", args.compare, Path(tmp), args)


if __name__ == "__main__":
    main()
