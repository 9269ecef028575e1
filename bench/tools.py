"""The same history balanced by fundbook, hledger, ledger-cli and Beancount (not a test).

    .venv/bin/python -m bench.tools                      # the 100k and 1M histories, 3 runs each
    .venv/bin/python -m bench.tools --sizes 100000 --runs 1

Needs ``hledger`` and ``ledger`` (Debian packages ``hledger``, ``ledger``: not installed by
scripts/install-dev) and Beancount (PyPI, a dev dependency). Per size, in one run, side by side,
each a fresh process timed from start to exit, wall and CPU (user + system of the process and
its children, e.g. the rebuild's folding process), in turns (one run of every tool, then the
next), the load average read before each turn:

- fundbook: ``fundbook rebuild`` (every view from the stored events), ``fundbook balances``,
  and the two summed;
- ledger-cli: ``ledger -f J bal --flat`` on our hledger export;
- hledger: ``hledger -f J bal -N -O csv`` on the same file (parsing, balance assertions at
  every month end, the balance report);
- Beancount, its pickle load cache off (``bean-check -C``, ``loader.initialize(False)``; any
  cache file is removed first): ``bean-check`` on our Beancount export (parse, booking, balance
  assertions), and a balance report by loading and realising it in Python.

Then each tool's final balance of every fund (cash + bank) must equal ours to the fen. The
exports are made once per size and not timed. Histories come from ``bench.replay``'s cache
(``bench.history``).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from bench.replay import _store
from ledger.application.bootstrap import build_ledger, build_views
from ledger.config import Settings
from ledger.projections import queries

FUNDBOOK = str(Path(sys.executable).with_name("fundbook"))
BEAN_BALANCES = """
import sys
from beancount import loader
from beancount.core import realization
loader.initialize(use_cache=False)
entries, errors, options = loader.load_file(sys.argv[1])
assert not errors, errors[:3]
real = realization.realize(entries)
for account in realization.iter_children(real):
    for pos in account.balance:
        print(account.account, pos.units.number)
"""


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(cmd: list[str], env: dict[str, str]) -> tuple[Run, str]:
    """Wall and CPU seconds of ``cmd`` from start to exit (and of the children it waited for)."""
    began, cpu = time.perf_counter(), children_cpu()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    elapsed, cpu = time.perf_counter() - began, children_cpu() - cpu
    assert done.returncode == 0, f"{cmd[0]} failed: {done.stderr[-2000:]}"
    return Run(elapsed, cpu), done.stdout


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float

    def __add__(self, other: Run) -> Run:
        return Run(self.wall + other.wall, self.cpu + other.cpu)


def fen(text: str) -> int:
    number = text.replace("CNY", "").replace(",", "").strip()
    sign = -1 if number.startswith("-") else 1
    whole, _, frac = number.lstrip("-").partition(".")
    return sign * (int(whole or 0) * 100 + int(frac.ljust(2, "0")[:2] or 0))


def fund_key(account: str) -> str | None:
    """The fund's 8-hex-digit id prefix from an asset account of our exports."""
    match = re.search(r":[A-Za-z]+-([0-9A-F]{8}):(Cash|Bank)$", account)
    return match[1].lower() if match else None


def by_fund(pairs) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for account, amount in pairs:
        key = fund_key(account)
        if key is not None:
            out[key] += amount
    return dict(out)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bean-runs", type=int, help="Beancount in the first N turns only (default all)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/fundbook-bench"))
    args = parser.parse_args()
    for name in ("hledger", "ledger"):
        assert shutil.which(name), f"{name} is not installed (apt-get install {name})"
    for size in (int(s) for s in args.sizes.split(",")):
        compare(args.work, size, args.runs, args.runs if args.bean_runs is None else args.bean_runs)


def compare(work: Path, size: int, runs: int, bean_runs: int) -> None:
    source = _store(work, size, None).removeprefix("sqlite:///")
    copy = work / f"tools-{size}.db"
    shutil.copy(source, copy)
    url = f"sqlite:///{copy}"
    env = {**os.environ, "FUNDBOOK_DATABASE_URL": url}
    journal, bean = work / f"tools-{size}.journal", work / f"tools-{size}.beancount"
    subprocess.run([FUNDBOOK, "rebuild"], env=env, check=True, capture_output=True)
    for kind, out in (("hledger", journal), ("beancount", bean)):
        if not out.exists() and (kind == "hledger" or bean_runs > 0):
            subprocess.run([FUNDBOOK, "export", kind, "--out", str(out)], env=env, check=True)
    build_ledger(Settings(database_url=url)).close()
    views = build_views(Settings(database_url=url))
    ours = {b.fund_id[:8]: b.balance_fen for b in queries.fund_balances(views)}
    views.close()
    with closing(sqlite3.connect(copy)) as db:
        events = f"{db.execute('SELECT count(*) FROM stored_events').fetchone()[0]:,}"
    bean_check = str(Path(sys.executable).with_name("bean-check"))
    times: dict[str, list[Run]] = defaultdict(list)
    loads = []
    for turn in range(runs):
        loads.append(Path("/proc/loadavg").read_text().split(" ", 3)[0])
        rebuild, _ = timed([FUNDBOOK, "rebuild"], env)
        report, _ = timed([FUNDBOOK, "balances"], env)
        times["fundbook rebuild"].append(rebuild)
        times["fundbook balances"].append(report)
        times["fundbook rebuild + balances"].append(rebuild + report)
        run, out = timed(["ledger", "-f", str(journal), "bal", "--flat", "--no-total"], env)
        times["ledger-cli bal"].append(run)
        pairs = [(line.split()[-1], fen(" ".join(line.split()[:-1]))) for line in out.splitlines() if line]
        assert by_fund(pairs) == ours, "ledger-cli disagrees"
        run, out = timed(["hledger", "-f", str(journal), "bal", "-N", "-O", "csv"], env)
        times["hledger bal (with assertions)"].append(run)
        rows = list(csv.reader(io.StringIO(out)))[1:]
        assert by_fund((r[0], fen(r[1])) for r in rows if r) == ours, "hledger disagrees"
        if turn >= bean_runs:
            continue
        for cache in bean.parent.glob(f".{bean.name}*.picklecache"):
            cache.unlink()
        run, _ = timed([bean_check, "-C", str(bean)], env)
        times["bean-check -C (with assertions)"].append(run)
        run, out = timed([sys.executable, "-c", BEAN_BALANCES, str(bean)], env)
        times["beancount load + realize, no cache"].append(run)
        pairs = [(line.split()[0], fen(line.split()[1])) for line in out.splitlines()]
        assert by_fund(pairs) == ours, "beancount disagrees"
    base = statistics.median(r.wall for r in times["fundbook rebuild + balances"])
    base_cpu = statistics.median(r.cpu for r in times["fundbook rebuild + balances"])
    print(
        f"\n{size:,} (history of {events} stored events), {runs} runs in turns, medians; "
        f"load before each turn {', '.join(loads)}; every tool's fund balances equal ours"
    )
    print(f"  {'':<36} {'wall':>8} {'CPU':>8}  wall ÷ ours  CPU ÷ ours  runs (wall / CPU s)")
    for name, values in times.items():
        wall, cpu = statistics.median(r.wall for r in values), statistics.median(r.cpu for r in values)
        each = ", ".join(f"{r.wall:.1f}/{r.cpu:.1f}" for r in values)
        print(f"  {name:<36} {wall:7.2f}s {cpu:7.2f}s  {wall / base:9.2f}×  {cpu / base_cpu:9.2f}×  {each}")


if __name__ == "__main__":
    main()
