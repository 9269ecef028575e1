"""Read latency and server memory at 1M events (not a test).

    .venv/bin/python -m bench.query_latency                    # the 1M history of bench.replay
    .venv/bin/python -m bench.query_latency --size 100000 --requests 500
    .venv/bin/python -m bench.query_latency --compare /tmp/old-tree   # the same against older code

Uses the history that ``bench.replay`` builds and caches (``/tmp/fundbook-bench/history-N.db``),
copies it, brings its views up to date, gives an auditor a token, then starts a real
``fundbook serve`` on it. Sequential requests from one client over one keep-alive connection,
after 50 warm-up requests each:

- one fund's balance (``GET /funds/{id}/balance``), over every fund;
- every fund's balances (``GET /funds/balances``);
- a month's statement (``GET /funds/{id}/statements/{period}``), three months of the history's
  last year (``bench.history``: 2022 … 2024, about 40 vouchers a fund a month at any size);
- a month of the public board (``GET /board/{id}/{period}``, HTML), the same months;
- a year's statement (``GET /funds/{id}/statements/2024``, about 500 vouchers a fund), and
  its last page (``?after=`` the cursor of the 500th-from-last row, where the code pages);
- the first page of 100 of a year's statement (``?limit=100``; older code: the whole year);
- a journal page (``GET /funds/{id}/journal?page=2``).

Prints p50 and p99 per query, the mean size of the answers, and the server's resident memory
(VmRSS and its peak VmHWM, from /proc) after the run. ``--compare TREE`` then runs the same
requests against a server started with ``PYTHONPATH=TREE``: a copy of an older ``ledger``
package (``git archive <commit> ledger | tar -x -C TREE``), on the same copy of the store.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from pathlib import Path

import httpx

from bench import history
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


def timed(client: httpx.Client, urls: list[str], headers: dict, n: int) -> tuple[list[float], float, float]:
    """Latencies (ms, sorted) of ``n`` requests after one warm-up request per URL, the slowest
    warm-up request (a fund's first load into the server's cache), and the mean answer (KB)."""
    cold = 0.0
    for url in urls:
        began = time.perf_counter()
        assert client.get(url, headers=headers).status_code == 200
        cold = max(cold, (time.perf_counter() - began) * 1000)
    out, size = [], 0
    for i in range(n):
        url = urls[i % len(urls)]
        began = time.perf_counter()
        answer = client.get(url, headers=headers)
        out.append((time.perf_counter() - began) * 1000)
        assert answer.status_code == 200, answer.text
        size += len(answer.content)
    return sorted(out), cold, size / n / 1024


YEAR = str(history.FIRST_YEAR + history.YEARS - 1)  # the history's last fiscal year
STATEMENT_FUNDS = 20  # funds whose statements are read (each URL is warmed up once; old code is slow)


def requests_of(ids: list[str], last_pages: list[str]) -> dict[str, list[str]]:
    months = [f"{YEAR}-0{m}" for m in (1, 6, 9)]
    some = ids[:STATEMENT_FUNDS]
    return {
        "fund balance": [f"/funds/{i}/balance" for i in ids],
        "all balances": ["/funds/balances"],
        "statement month": [f"/funds/{i}/statements/{m}" for i in some for m in months],
        "board month": [f"/board/{i}/{m}" for i in some for m in months],
        "statement year": [f"/funds/{i}/statements/{YEAR}" for i in some],
        "year, last page": last_pages,
        "journal page 2": [f"/funds/{i}/journal?page=2" for i in ids],
        "year, limit 100": [f"/funds/{i}/statements/{YEAR}?limit=100" for i in some],
    }


def last_page_urls(client: httpx.Client, ids: list[str], headers: dict) -> list[str]:
    """Each year's last page of 500 rows: the ``next`` cursors walked from the first page (the
    code paging); the whole year where it does not page (older code: no ``next``)."""
    out = []
    for fund in ids[:STATEMENT_FUNDS]:
        url = f"/funds/{fund}/statements/{YEAR}"
        body = client.get(url, headers=headers).json()
        assert body["rows"], f"{url} holds no vouchers: the history is of another year"
        while body.get("next_link"):
            url = body["next_link"]
            body = client.get(url, headers=headers).json()
        out.append(url)
    return out


def one_run(label: str, url: str, tree: str | None, ids: list[str], headers: dict, n: int, size: int) -> None:
    server = start_server(url, env={"PYTHONPATH": tree} if tree else None)
    print(f"--- {label}{f' (PYTHONPATH={tree})' if tree else ''}", flush=True)
    try:
        with httpx.Client(base_url=server.base_url, timeout=60.0) as client:
            report = requests_of(ids, last_page_urls(client, ids, headers))
            for name, urls in report.items():
                lat, cold, kb = timed(client, urls, headers, n)
                p50, p99 = statistics.median(lat), lat[int(len(lat) * 0.99)]
                print(
                    f"{name:<16} p50 {p50:7.2f} ms   p99 {p99:7.2f} ms   {kb:7.1f} KB"
                    f"   (slowest first request {cold:.0f} ms)",
                    flush=True,
                )
        rss, hwm = rss_mib(server.process.pid)
        print(f"server RSS {rss:.0f} MiB (peak {hwm:.0f} MiB) at {size:,} events", flush=True)
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/fundbook-bench"))
    parser.add_argument("--compare", default=None, help="a tree holding an older ledger package")
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
    ids = [f.fund_id for f in funds]  # every fund: the server loads each one's aggregate
    one_run("this code", url, None, ids, headers, args.requests, args.size)
    if args.compare:
        one_run("before", url, args.compare, ids, headers, args.requests, args.size)


if __name__ == "__main__":
    main()
