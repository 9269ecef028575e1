"""HTTP append: entries/s and latency of POST /funds/{id}/donations against a real
``fundbook serve`` (not a test).

    .venv/bin/python -m bench.http_append                      # SQLite, 1 worker, 3 runs
    .venv/bin/python -m bench.http_append --workers 2 --database-url postgresql://fundbook:fundbook@127.0.0.1/fundbook_test

Each run: a fresh store (a new SQLite file, or a new PostgreSQL schema), one community, branch
and fund, a bookkeeper token made by ``fundbook user add``, then ``fundbook serve --workers N``.
``--clients`` client threads, spread over ``--client-processes`` processes, each with its own
keep-alive connection, post donations with an Idempotency-Key for ``--seconds`` after a 2 s
warm-up. Every request must answer 201. The clients run on the same machine as the server (2
cores here), so they take some of its CPU. Prints per-run figures and the medians.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx

from ledger.application.bootstrap import build_ledger
from ledger.config import Settings
from tests.e2e.server import (
    ESTABLISHED_ON,
    add_user,
    seed,
    start_server,
)  # the same helpers the e2e tests use


def client_process(
    base_url: str, funds: list[str], member: str, token: str, threads: int, seconds: float, out
) -> None:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start_at = time.monotonic() + 2.0  # warm-up ends
    stop_at = start_at + seconds

    def run(thread_no: int) -> None:
        fund = funds[(thread_no + os.getpid()) % len(funds)]
        headers = {"Authorization": f"Bearer {token}"}
        mine: list[float] = []
        with httpx.Client(base_url=base_url, timeout=30.0) as client:
            n = 0
            while True:
                began = time.monotonic()
                if began >= stop_at:
                    break
                answer = client.post(
                    f"/funds/{fund}/donations",
                    json={
                        "occurred_on": "2026-01-05",
                        "amount": "1.00",
                        "donor_kind": "member",
                        "donor_person_id": member,
                        "doc_refs": ["收据"],
                    },
                    headers={**headers, "Idempotency-Key": f"{uuid.uuid4()}"},
                )
                done = time.monotonic()
                if answer.status_code != 201:
                    with lock:
                        errors.append(answer.text)
                elif began >= start_at:
                    mine.append(done - began)
                n += 1
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    out.put((latencies, errors[:3]))


def fresh_url(base: str | None, work: Path, run: int) -> str:
    if base is None:
        return f"sqlite:///{work / f'http{run}.db'}"
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return f"{base}{'&' if '?' in base else '?'}schema={schema}"


def more_funds(url: str, books, count: int) -> list[str]:
    """The seeded fund and ``count - 1`` more of the same branch (other branches' books)."""
    funds = [books.fund]
    if count > 1:
        ledger = build_ledger(Settings(database_url=url))
        try:
            for n in range(count - 1):
                funds.append(
                    ledger.establish_fund(
                        actor="bench",
                        owner_org_id=books.branch,
                        kind="activity",
                        name_zh=f"活动经费{n + 2}",
                        allowed_purposes=["activities"],
                        custody={"kind": "bank_account", "ref": "居委会账户"},
                        established_on=ESTABLISHED_ON,
                    )["fund_id"]
                )
        finally:
            ledger.close()
    return funds


def one_run(url: str, args: argparse.Namespace) -> tuple[float, float, float]:
    books = seed(url)
    funds = more_funds(url, books, args.funds)
    token = add_user(url, books.bookkeeper_person, "bookkeeper", books.community)
    server = start_server(url, workers=args.workers)
    try:
        queue: multiprocessing.Queue = multiprocessing.Queue()
        per_process = max(1, args.clients // args.client_processes)
        procs = [
            multiprocessing.Process(
                target=client_process,
                args=(server.base_url, funds, books.member, token, per_process, args.seconds, queue),
            )
            for _ in range(args.client_processes)
        ]
        for proc in procs:
            proc.start()
        results = [queue.get() for _ in procs]
        for proc in procs:
            proc.join()
    finally:
        server.log.seek(0)
        server_log = server.log.read()
        server.stop()
    latencies = sorted(lat for lats, _ in results for lat in lats)
    errors = [e for _, errs in results for e in errs]
    if errors:
        Path("/tmp/http_append_server.log").write_text(server_log)
    assert not errors, errors
    rate = len(latencies) / args.seconds
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[int(len(latencies) * 0.99)] * 1000
    return rate, p50, p99


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--funds", type=int, default=1, help="spread the clients over this many funds")
    args = parser.parse_args()
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            rate, p50, p99 = one_run(fresh_url(args.database_url, Path(tmp), run), args)
            figures.append((rate, p50, p99))
            print(f"run {run + 1}: {rate:,.0f} entries/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms", flush=True)
    rates, p50s, p99s = zip(*figures, strict=True)
    print(
        f"median of {args.runs} ({args.workers} worker(s), {args.clients} clients, {args.funds} fund(s)): "
        f"{statistics.median(rates):,.0f} entries/s, p50 {statistics.median(p50s):.1f} ms, "
        f"p99 {statistics.median(p99s):.1f} ms"
    )


if __name__ == "__main__":
    main()
