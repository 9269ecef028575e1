"""Read latency and server memory at 1M events (not a test).

    .venv/bin/python -m bench.query_latency                    # the 1M history of bench.replay
    .venv/bin/python -m bench.query_latency --size 100000 --requests 500

Uses the history that ``bench.replay`` builds and caches (``/tmp/fundbook-bench/history-N.db``),
copies it, brings its views up to date, gives an auditor a token, then starts a real
``fundbook serve`` on it. Sequential requests from one client over one keep-alive connection,
after 50 warm-up requests each:

- one fund's balance (``GET /funds/{id}/balance``), funds spread over the 100;
- every fund's balances (``GET /funds/balances``);
- a month's statement (``GET /funds/{id}/statements/{period}``);
- a journal page (``GET /funds/{id}/journal?page=2``).

Prints p50 and p99 per query, and the server's resident memory (VmRSS and its peak VmHWM, from
/proc) after the run.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from pathlib import Path

import httpx

from bench.replay import _store
from ledger.application.bootstrap import build_ledger, build_views
from ledger.config import Settings
from ledger.projections import queries, runner
from tests.e2e.server import add_user, start_server  # the same helpers the e2e tests use


def rss_mib(pid: int) -> tuple[float, float]:
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def timed(client: httpx.Client, urls: list[str], headers: dict, n: int) -> tuple[list[float], float]:
    """Latencies (ms, sorted) of ``n`` requests after one warm-up request per URL, and the
    slowest warm-up request (a fund's first load into the server's cache)."""
    cold = 0.0
    for url in urls:
        began = time.perf_counter()
        assert client.get(url, headers=headers).status_code == 200
        cold = max(cold, (time.perf_counter() - began) * 1000)
    out = []
    for i in range(n):
        url = urls[i % len(urls)]
        began = time.perf_counter()
        answer = client.get(url, headers=headers)
        out.append((time.perf_counter() - began) * 1000)
        assert answer.status_code == 200, answer.text
    return sorted(out), cold


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/fundbook-bench"))
    args = parser.parse_args()
    source = _store(args.work, args.size, None).removeprefix("sqlite:///")
    copy = args.work / f"latency-{args.size}.db"
    shutil.copy(source, copy)
    url = f"sqlite:///{copy}"
    settings = Settings(database_url=url)
    ledger = build_ledger(settings)
    views = build_views(settings)
    began = time.perf_counter()
    runner.rebuild(views)
    print(f"views built in {time.perf_counter() - began:.1f} s", flush=True)
    funds = list(queries.fund_balances(views))
    person = ledger.register_person(actor="bench", name_zh="审计员")["person_id"]
    roots = {b.owner_org_id for b in funds}
    views.close()
    ledger.close()
    token = None
    for root in sorted(roots):
        token = add_user(url, person, "auditor", root)
    headers = {"Authorization": f"Bearer {token}"}
    server = start_server(url)
    try:
        with httpx.Client(base_url=server.base_url, timeout=30.0) as client:
            ids = [f.fund_id for f in funds]  # every fund: the server loads each one's aggregate
            report = {
                "fund balance": [f"/funds/{i}/balance" for i in ids],
                "all balances": ["/funds/balances"],
                "statement": [f"/funds/{i}/statements/2025-0{m}" for i in ids for m in range(1, 10)],
                "journal page 2": [f"/funds/{i}/journal?page=2" for i in ids],
                "public board": [f"/board/{i}/2025-0{m}" for i in ids for m in range(1, 10)],
            }
            for name, urls in report.items():
                lat, cold = timed(client, urls, headers, args.requests)
                p50, p99 = statistics.median(lat), lat[int(len(lat) * 0.99)]
                print(
                    f"{name:<16} p50 {p50:6.2f} ms   p99 {p99:6.2f} ms"
                    f"   (slowest first request {cold:.0f} ms)",
                    flush=True,
                )
        rss, hwm = rss_mib(server.process.pid)
        print(f"server RSS {rss:.0f} MiB (peak {hwm:.0f} MiB) at {args.size:,} events")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
