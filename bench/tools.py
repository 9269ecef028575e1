"""The same history balanced by fundbook, hledger, ledger-cli and Beancount (not a test).

    .venv/bin/python -m bench.tools                      # the 100k and 1M histories, 3 runs each
    .venv/bin/python -m bench.tools --sizes 100000 --runs 1

Needs ``hledger`` and ``ledger`` (Debian packages ``hledger``, ``ledger``) and Beancount (PyPI,
a dev dependency). Per size, in one run, side by side, each a fresh process timed from start to
exit:

- fundbook: ``fundbook rebuild`` (every view from the stored events) then ``fundbook balances``;
- hledger: ``hledger -f J bal -N -O csv`` on our hledger export (parsing, balance assertions at
  every month end, the balance report);
- ledger-cli: ``ledger -f J bal --flat`` on the same file;
- Beancount: ``bean-check B`` on our Beancount export (parse, booking, balance assertions),
  and a balance report by loading and realising it in Python.

Then each tool's final balance of every fund (cash + bank) must equal ours to the fen. The
exports are made once per size and not timed. Histories come from ``bench.replay``'s cache.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
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
entries, errors, options = loader.load_file(sys.argv[1])
assert not errors, errors[:3]
real = realization.realize(entries)
for account in realization.iter_children(real):
    for pos in account.balance:
        print(account.account, pos.units.number)
"""


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    began = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - began
    assert done.returncode == 0, f"{cmd[0]} failed: {done.stderr[-2000:]}"
    return elapsed, done.stdout


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
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/fundbook-bench"))
    args = parser.parse_args()
    for name in ("hledger", "ledger"):
        assert shutil.which(name), f"{name} is not installed (apt-get install {name})"
    for size in (int(s) for s in args.sizes.split(",")):
        source = _store(args.work, size, None).removeprefix("sqlite:///")
        copy = args.work / f"tools-{size}.db"
        shutil.copy(source, copy)
        url = f"sqlite:///{copy}"
        env = {**os.environ, "FUNDBOOK_DATABASE_URL": url}
        journal, bean = args.work / f"tools-{size}.journal", args.work / f"tools-{size}.beancount"
        subprocess.run([FUNDBOOK, "rebuild"], env=env, check=True, capture_output=True)
        subprocess.run([FUNDBOOK, "export", "hledger", "--out", str(journal)], env=env, check=True)
        subprocess.run([FUNDBOOK, "export", "beancount", "--out", str(bean)], env=env, check=True)
        build_ledger(Settings(database_url=url)).close()
        views = build_views(Settings(database_url=url))
        ours = {b.fund_id[:8]: b.balance_fen for b in queries.fund_balances(views)}
        views.close()
        times: dict[str, list[float]] = defaultdict(list)
        for _ in range(args.runs):
            rebuild, _ = timed([FUNDBOOK, "rebuild"], env)
            report, _ = timed([FUNDBOOK, "balances"], env)
            times["fundbook rebuild + balances"].append(rebuild + report)
            elapsed, out = timed(["hledger", "-f", str(journal), "bal", "-N", "-O", "csv"], env)
            times["hledger bal (with assertions)"].append(elapsed)
            rows = list(csv.reader(io.StringIO(out)))[1:]
            assert by_fund((r[0], fen(r[1])) for r in rows if r) == ours, "hledger disagrees"
            elapsed, out = timed(["ledger", "-f", str(journal), "bal", "--flat", "--no-total"], env)
            times["ledger-cli bal"].append(elapsed)
            pairs = [
                (line.split()[-1], fen(" ".join(line.split()[:-1]))) for line in out.splitlines() if line
            ]
            assert by_fund(pairs) == ours, "ledger-cli disagrees"
            elapsed, _ = timed([str(Path(sys.executable).with_name("bean-check")), str(bean)], env)
            times["bean-check (with assertions)"].append(elapsed)
            elapsed, out = timed([sys.executable, "-c", BEAN_BALANCES, str(bean)], env)
            times["beancount load + realize"].append(elapsed)
            pairs = [(line.split()[0], fen(line.split()[1])) for line in out.splitlines()]
            assert by_fund(pairs) == ours, "beancount disagrees"
        base = statistics.median(times["fundbook rebuild + balances"])
        print(f"\n{size:,} events ({args.runs} runs, medians); every tool's fund balances equal ours")
        for name, values in times.items():
            median = statistics.median(values)
            print(f"  {name:<32} {median:7.2f} s   {median / base:5.2f}× fundbook   runs {values}")


if __name__ == "__main__":
    main()
