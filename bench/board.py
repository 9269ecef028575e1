"""Statement pages of the noticeboard over real HTTP (not a test).

    .venv/bin/python -m bench.board                      # 200 requests per page, SQLite demo
    .venv/bin/python -m bench.board --requests 500 --database-url postgresql://…/fundbook

Loads the demo into a fresh store (a SQLite file under --work, reused when present; a
PostgreSQL database must be empty or hold the demo), starts a real ``fundbook serve`` on a
free port, warms each page once, then times sequential GETs of the mutual-aid fund's statement
pages for a month, a quarter and a year (HTML), and of the quarter as JSON, one client on
keep-alive connections. Prints the median and p95 latency per page, in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from ledger.application.bootstrap import build_ledger, build_views
from ledger.config import Settings
from ledger.projections import queries, runner

PAGES = ("2024-07", "2024-Q3", "2024", "2024-Q3.json")
FUND_NAME = "阳光社区党员互助金"


def _store(database_url: str) -> str:
    settings = Settings(database_url=database_url)
    ledger = build_ledger(settings)
    try:
        if not ledger.recorder.max_notification_id():
            from ledger.application.demo import load_demo

            load_demo(ledger)
    finally:
        ledger.close()
    views = build_views(settings)
    try:
        runner.catch_up(views)
        return next(b.fund_id for b in queries.fund_balances(views) if b.name_zh == FUND_NAME)
    finally:
        views.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--work", type=Path, default=Path("/tmp/fundbook-bench"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{args.work / 'board-demo.db'}"
    fund_id = _store(url)
    port = _free_port()
    fundbook = Path(sys.executable).with_name("fundbook")
    server = subprocess.Popen(
        [str(fundbook), "serve", "--port", str(port)],
        env={**os.environ, "FUNDBOOK_DATABASE_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            _wait(client)
            print(f"store {url.split(':')[0]}, {args.requests} sequential requests per page, over HTTP")
            print(f"{'page':<16}{'median ms':>10}{'p95 ms':>10}{'bytes':>9}")
            for page in PAGES:
                path = f"/board/{fund_id}/{page}"
                size = len(client.get(path).content)  # warm
                times = []
                for _ in range(args.requests):
                    start = time.perf_counter()
                    response = client.get(path)
                    times.append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200, response.text
                p95 = statistics.quantiles(times, n=20)[-1]
                print(f"{page:<16}{statistics.median(times):>10.1f}{p95:>10.1f}{size:>9}")
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait(client: httpx.Client) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if client.get("/health").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit("fundbook serve did not start")


if __name__ == "__main__":
    main()
