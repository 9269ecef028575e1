"""Full rebuild of the views from histories of 10k, 100k and 1M events (not a test).

    .venv/bin/python -m bench.replay                     # 10k, 100k, 1M on SQLite, 3 runs each
    .venv/bin/python -m bench.replay --sizes 100000 --runs 5
    .venv/bin/python -m bench.replay --database-url postgresql://fundbook:fundbook@127.0.0.1/fundbook

A history is built once per size (cached under --work) through the domain's own commands:
100 funds of 8 organisations; per fund and month donations, grants, interest, expenses,
stipends and a reversal now and then; every month closed in order. Each timed run is a
child process that drops the views and rebuilds them (``runner.rebuild``), so its peak RSS is
its own: the writer's and the folding process's peaks are reported apart. Prints medians and
writes nothing else.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from ledger.application import Ledger
from ledger.application.bootstrap import build_ledger, build_views
from ledger.config import Settings
from ledger.domain.context import Context
from ledger.domain.fund import Fund
from ledger.domain.organisation import Organisation
from ledger.domain.periods import last_day, next_period
from ledger.projections import runner

FUNDS = 100
TODAY = date(2026, 1, 1)


def build_history(app: Ledger, n_events: int, seed: int = 7) -> int:
    """Append about ``n_events`` events; returns the log's last position."""
    rnd = random.Random(seed)
    ctx = Context(recorded_by="bench-keeper", today=TODAY)
    street = Organisation.register(
        ctx, kind="street_committee", name_zh="街道", parent=None, established_on=date(2000, 1, 1)
    )
    orgs = [street]
    for i in range(7):
        orgs.append(
            Organisation.register(
                ctx,
                kind="community_committee",
                name_zh=f"社区{i}",
                parent=street,
                established_on=date(2000, 1, 1),
            )
        )
    funds = [
        Fund.establish(
            ctx,
            owner_org_id=str(orgs[i % 8].id),
            owner_kind=orgs[i % 8].kind,
            kind="activity" if i % 2 else "mutual_aid",
            name_zh=f"基金{i}",
            allowed_purposes=["aid", "activities"],
            custody={"kind": "bank_account", "ref": f"acct{i}"},
            policy={"stipends_allowed": bool(i % 2)},
            established_on=date(2000, 1, 1),
        )
        for i in range(FUNDS)
    ]
    app.save(*orgs, *funds)
    months = 12
    per_month = max(1, n_events // (FUNDS * months) - 1)  # entries per fund per month
    period = "2000-01"
    for _ in range(months):
        for fund in funds:
            _fill_month(ctx, fund, period, per_month, rnd)
            fund.close_period(ctx, period=period)
        app.save(*funds)
        period = next_period(period)
    return app.recorder.max_notification_id() or 0


def _fill_month(ctx: Context, fund: Fund, period: str, n: int, rnd: random.Random) -> None:
    end = last_day(period)
    for k in range(n):
        day = end.replace(day=1 + k * (end.day - 1) // n)
        roll = rnd.random()
        if roll < 0.55:
            fund.receive_donation(
                ctx,
                occurred_on=day,
                amount_fen=rnd.randint(1_000, 50_000),
                donor_kind="member",
                donor_person_id=f"p{rnd.randint(1, 5000)}",
                doc_refs=["r"],
            )
        elif roll < 0.6:
            fund.receive_grant(
                ctx,
                occurred_on=day,
                amount_fen=200_000,
                grant_kind="dues_rebate",
                grantor_name="社区党委",
                doc_refs=["g"],
            )
        elif roll < 0.99 and fund.balance_fen > 60_000:
            fund.pay_expense(
                ctx,
                occurred_on=day,
                amount_fen=rnd.randint(100, 20_000),
                category="aid",
                payee="王*明",
                payee_person_id=f"p{rnd.randint(1, 5000)}",
                handled_by="h",
                approved_by="a",
                doc_refs=["i"],
            )
        else:
            fund.credit_interest(ctx, occurred_on=day, amount_fen=rnd.randint(1, 999), bank_ref="b")


def _child(url: str) -> None:
    """One timed rebuild in this process; prints JSON."""
    settings = Settings(database_url=url)
    app = build_ledger(settings, today=lambda: TODAY)
    views = build_views(settings)
    start = time.perf_counter()
    count = runner.rebuild(views)
    seconds = time.perf_counter() - start
    writer_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    folder_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the folding process
    print(
        json.dumps(
            {
                "events": count,
                "seconds": seconds,
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
    path = work / f"history-{size}.db"
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
        print(f"  {n:,} events in {time.perf_counter() - t:.1f} s", flush=True)
    return url


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
        runs = []
        for _ in range(args.runs):
            out = subprocess.run(
                [sys.executable, "-m", "bench.replay", "--child", url],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            runs.append(json.loads(out.strip().splitlines()[-1]))
        seconds = statistics.median(r["seconds"] for r in runs)
        events = runs[0]["events"]
        print(
            f"rebuild {events:>9,} events: median {seconds:6.2f} s = {events / seconds:>9,.0f} events/s; "
            f"peak RSS median {statistics.median(r['peak_rss_mib'] for r in runs):4.0f} MiB writer + "
            f"{statistics.median(r['folder_peak_rss_mib'] for r in runs):4.0f} MiB folder; "
            f"runs {', '.join(format(r['seconds'], '.2f') for r in runs)} s",
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
