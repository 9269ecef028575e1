"""Bulk import speed: a generated paper book of N rows imported by ``fundbook import`` (not a test).

    .venv/bin/python -m bench.bulk_import                 # 50,000 rows, 3 runs, SQLite
    .venv/bin/python -m bench.bulk_import --rows 10000 --runs 5
    .venv/bin/python -m bench.bulk_import --database-url postgresql://fundbook:fundbook@127.0.0.1/fundbook_bench

The book: 20 activity funds, rows spread over their months in date order, three donations or
grants to every expense, each row with the paper voucher number and the running balance (so
the balance check runs too). Each run imports into a fresh store and times reading the file,
checking every row and saving (one transaction), then reports entries/s, and entries per CPU
second of this process (steadier than the wall clock on a shared machine). On PostgreSQL each run
uses a fresh schema. Prints medians; writes nothing else.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import ledger as ledger_package
from ledger.application.bootstrap import build_ledger
from ledger.application.bulk_import import read_file
from ledger.config import Settings

FUNDS = 20
TODAY = date(2026, 1, 1)


def make_book(path: Path, rows: int) -> None:
    per_fund = rows // FUNDS
    start = date(2020, 1, 1)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "基金",
                "类别",
                "日期",
                "凭证号",
                "摘要",
                "收入",
                "支出",
                "余额",
                "经办人",
                "审批人",
                "对方",
                "用途",
            ]
        )
        for f in range(FUNDS):
            balance = 0
            for i in range(per_fund):
                day = start + timedelta(days=i * 2000 // per_fund)
                voucher = f"记-{day.month:02d}-{i:05d}"
                if i % 4 == 3:
                    fen = 1000 + (i * 37) % 5000
                    balance -= fen
                    writer.writerow(
                        [
                            f"基金{f}",
                            "支出",
                            day.isoformat(),
                            voucher,
                            "活动用品",
                            "",
                            _yuan(fen),
                            _yuan(balance),
                            "李四",
                            "王五",
                            "超市",
                            "activities",
                        ]
                    )
                else:
                    fen = 2000 + (i * 53) % 7000
                    balance += fen
                    writer.writerow(
                        [
                            f"基金{f}",
                            "捐款",
                            day.isoformat(),
                            voucher,
                            "居民捐款",
                            _yuan(fen),
                            "",
                            _yuan(balance),
                            "",
                            "",
                            "张大爷",
                            "",
                        ]
                    )


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def prepare(url: str):
    ledger = build_ledger(Settings(database_url=url), today=lambda: TODAY)
    org = ledger.register_organisation(
        actor="bench", kind="branch", name_zh="支部", established_on=date(2010, 1, 1)
    )["org_id"]
    for f in range(FUNDS):
        ledger.establish_fund(
            actor="bench",
            owner_org_id=org,
            kind="activity",
            name_zh=f"基金{f}",
            allowed_purposes=["activities"],
            custody={"kind": "cash_box", "ref": "box"},
            established_on=date(2019, 1, 1),
        )
    return ledger


def fresh_url(base: str | None, work: Path, run: int) -> str:
    if base is None:
        return f"sqlite:///{work / f'run{run}.db'}"
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return f"{base}{'&' if '?' in base else '?'}schema={schema}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        book = work / "book.csv"
        make_book(book, args.rows)
        times: list[float] = []
        cpus: list[float] = []
        for run in range(args.runs):
            ledger = prepare(fresh_url(args.database_url, work, run))
            started, cpu_started = time.perf_counter(), time.process_time()
            result = ledger.import_rows(read_file(book), actor="bench")
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            assert result.written and not result.rejected, result.rejected[:3]
            times.append(elapsed)
            cpus.append(cpu)
            print(
                f"run {run + 1}: {len(result.accepted)} entries in {elapsed:.2f} s "
                f"({len(result.accepted) / elapsed:,.0f} entries/s; CPU {cpu:.2f} s, "
                f"{len(result.accepted) / cpu:,.0f} entries per CPU second)",
                flush=True,
            )
            ledger.close()
        median, cpu_median = statistics.median(times), statistics.median(cpus)
        print(
            f"median of {args.runs}: {median:.2f} s, {args.rows / median:,.0f} entries/s; "
            f"CPU {cpu_median:.2f} s, {args.rows / cpu_median:,.0f} entries per CPU second "
            f"(code: {Path(ledger_package.__file__).parent.parent})"
        )


if __name__ == "__main__":
    main()
