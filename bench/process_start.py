"""CPU of a ``fundbook`` process start, two checkouts side by side (issue 22, ADR 0216). Not a test.

Each round runs every command once with the ``ledger`` package of each checkout (``--before``, a
copy of the old code, e.g. ``git archive OLD ledger | tar -x -C /tmp/old``; ``--after``, default
this checkout), alternating, so both see the same load; the median of ``--runs`` rounds is
printed with the load average. CPU is user + system of the process and the children it waited
for (``wait4``): for ``serve``, its uvicorn workers, from the start until /health answers and
the server has stopped on SIGTERM.

The commands run as the console script does (a file ``fundbook`` that imports ``ledger.cli``),
so a uvicorn worker, which re-imports the parent's main script, pays the same imports as in a
test. Bytecode is compiled once before the rounds, as CI's ``scripts/test`` keeps it.

    .venv/bin/python -m bench.process_start --before /tmp/old [--pg postgresql://…/db] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from bench.append_history import drop_copy
from bench.http_append import fresh_url
from tests.e2e.server import free_port, seed

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = "import sys\nfrom ledger.cli import main\nif __name__ == '__main__':\n    sys.exit(main())\n"
READY_TIMEOUT_S = 120.0
# What a uvicorn worker of `fundbook serve` does before it serves: import the script (the CLI),
# then the app, and build it (FUNDBOOK_DATABASE_URL names the store).
WORKER = "import ledger.cli\nfrom ledger.api import create_app\ncreate_app()"


def run(tree: Path, script: Path, args: list[str], env: dict[str, str], cwd: Path) -> float:
    """CPU seconds of ``fundbook ARGS`` (or ``python -c`` when args start with ``-c``)."""
    command = [sys.executable, *args] if args[0] == "-c" else [sys.executable, str(script), *args]
    process = subprocess.Popen(
        command, cwd=cwd, env={**env, "PYTHONPATH": str(tree)}, stdout=subprocess.DEVNULL
    )
    return _cpu_of(process)


def serve(tree: Path, script: Path, args: list[str], env: dict[str, str], cwd: Path) -> float:
    """CPU seconds of ``fundbook serve ARGS`` from its start until /health answers and it stops."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(script), "serve", "--port", str(port), *args],
        cwd=cwd,
        env={**env, "PYTHONPATH": str(tree)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as answer:
                if answer.status == 200:
                    break
        except OSError:
            time.sleep(0.05)
    else:
        process.kill()
        raise RuntimeError(f"fundbook serve {args} did not answer /health")
    process.send_signal(signal.SIGTERM)
    return _cpu_of(process)


def _cpu_of(process: subprocess.Popen) -> float:
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, -signal.SIGTERM):
        raise RuntimeError(f"{process.args} exited with {process.returncode}")
    return usage.ru_utime + usage.ru_stime


def compile_tree(tree: Path) -> None:
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "ledger")], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before", type=Path, required=True, help="a checkout (or copy) of the old code")
    parser.add_argument("--after", type=Path, default=ROOT)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg", help="a PostgreSQL URL: also measure balances and serve there")
    options = parser.parse_args()
    trees = {"before": options.before.resolve(), "after": options.after.resolve()}
    for tree in trees.values():
        compile_tree(tree)

    with tempfile.TemporaryDirectory(prefix="fundbook-start-") as folder:
        work = Path(folder)
        script = work / "fundbook"
        script.write_text(SCRIPT, encoding="utf-8")
        books = work / "books.db"
        seed(f"sqlite:///{books}")  # a small store: two organisations, a fund, three people
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.pop("FUNDBOOK_DATABASE_URL", None)
        db = ["--db", str(books)]
        sqlite_env = {**env, "FUNDBOOK_DATABASE_URL": f"sqlite:///{books}"}
        cases: dict[str, tuple[Callable[..., float], list[str], dict[str, str]]] = {
            "python -c 'import ledger.cli'": (run, ["-c", "import ledger.cli"], env),
            "fundbook --help": (run, ["--help"], env),
            "fundbook balances (SQLite)": (run, ["balances", *db], env),
            "fundbook verify (SQLite)": (run, ["verify", *db], env),
            "a server worker's start (SQLite)": (run, ["-c", WORKER], sqlite_env),
            "fundbook serve, 1 worker (SQLite)": (serve, db, env),
        }
        if options.pg:
            pg_env = {**env, "FUNDBOOK_DATABASE_URL": fresh_url(options.pg, work, 0)}
            seed(pg_env["FUNDBOOK_DATABASE_URL"])
            cases["fundbook balances (PostgreSQL)"] = (run, ["balances"], pg_env)
            cases["fundbook serve, 1 worker (PostgreSQL)"] = (serve, [], pg_env)
            cases["fundbook serve --workers 2 (PostgreSQL)"] = (serve, ["--workers", "2"], pg_env)
        try:
            measured = _rounds(cases, trees, script, work, options.runs)
        finally:
            if options.pg:
                drop_copy(pg_env["FUNDBOOK_DATABASE_URL"], options.pg)
    print(f"\nmedian CPU (user + system) of {options.runs} runs, s; load average {measured['load']}")
    print("| command | before | after | saved |\n| --- | ---: | ---: | ---: |")
    for name in cases:
        before, after = (statistics.median(measured[(name, side)]) for side in trees)
        print(f"| {name} | {before:.2f} | {after:.2f} | {before - after:.2f} |")


def _rounds(cases, trees, script, work, runs) -> dict:
    measured: dict = {(name, side): [] for name in cases for side in trees}
    loads = [os.getloadavg()[0]]
    for i in range(runs):
        for name, (how, args, env) in cases.items():
            sides = list(trees.items())
            for side, tree in sides if i % 2 == 0 else reversed(sides):
                measured[(name, side)].append(how(tree, script, args, env, work))
        loads.append(os.getloadavg()[0])
        print(f"round {i + 1} done, load {loads[-1]:.1f}", file=sys.stderr)
    measured["load"] = f"{min(loads):.1f}-{max(loads):.1f}"
    return measured


if __name__ == "__main__":
    main()
