"""What a test's fresh PostgreSQL store costs (ADR 0213), not a test.

    .venv/bin/python -m bench.fresh_store --database-url postgresql://fundbook:fundbook@127.0.0.1/fundbook_bench

Alternates, ``--rounds`` times, the two ways a test got its empty store:

- new schema: ``CREATE SCHEMA``, the first Ledger and views opened on it (their DDL), closed,
  ``DROP SCHEMA … CASCADE`` (what every test did before ADR 0213);
- reused copy: a copy of ``EMPTY`` handed out, the same Ledger and views opened (no DDL left to
  do), closed, and given back (fingerprint, lock check, rows deleted, sequences reset).

Reports the median wall per store and this process's CPU per store (the server's catalogue work
shows in the wall: the client waits for it). Writes nothing else.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path

import psycopg

from ledger.application.bootstrap import build_ledger, build_views
from ledger.config import Settings
from tests.store_templates import EMPTY, PostgresTemplates, schema_url


def open_and_close(url: str) -> None:
    """What a test's first fixture does with its store: opens the Ledger and the views."""
    build_ledger(Settings(database_url=url)).close()
    build_views(Settings(database_url=url)).close()


def new_schema(base_url: str, _templates: PostgresTemplates, _tmp: Path) -> None:
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        open_and_close(schema_url(base_url, schema))
    finally:
        with psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def reused_copy(_base_url: str, templates: PostgresTemplates, tmp: Path) -> None:
    with contextlib.contextmanager(templates.copy)(EMPTY, tmp) as copy:
        open_and_close(copy.url)


def measure(step: Callable[[], None]) -> tuple[float, float]:
    cpu_before, wall_before = time.process_time(), time.perf_counter()
    step()
    return time.perf_counter() - wall_before, time.process_time() - cpu_before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("PYTEST_CURRENT_TEST", "bench.fresh_store")  # weak hashes, as in the tests
    os.environ.setdefault("FUNDBOOK_PASSWORD_HASHING", "weak-for-tests")
    templates = PostgresTemplates(args.database_url)
    ways = {"new schema": new_schema, "reused copy": reused_copy}
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in ways}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            reused_copy(args.database_url, templates, Path(tmp))  # the template, made once
            for _ in range(args.rounds):
                for name, way in ways.items():
                    results[name].append(measure(partial(way, args.database_url, templates, Path(tmp))))
    finally:
        templates.close()
    print(f"{args.rounds} stores each way, load average {os.getloadavg()[0]:.1f} at the end")
    print(f"{'':12} {'wall (median)':>14} {'CPU here (median)':>18}")
    for name, rows in results.items():
        wall, cpu = (statistics.median(column) for column in zip(*rows, strict=True))
        print(f"{name:12} {wall * 1000:11.0f} ms {cpu * 1000:15.0f} ms")


if __name__ == "__main__":
    main()
