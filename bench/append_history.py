"""A store that already holds a history, for measuring appends on it (issue 20 item 8). Not a test.

Built once through the Ledger, so every donor is a registered member of the branch: the e2e
seed (a community, its branch, a mutual-aid fund, three people), ``MEMBERS`` more members of the
branch, ``FUNDS - 1`` more funds of the branch, then ``events`` donations and expenses spread
over the funds and over the years 2024 and 2025, imported in batches by ``Ledger.import_rows``
(every row checked by the fund's rules), the views caught up, and a bookkeeper token made by
``fundbook user add``. The appends of a benchmark then go into the seeded fund, which holds its
share of that history.

Kept for the next run: on SQLite a file in ``CACHE_DIR`` (each run copies it); on PostgreSQL a
schema of its own, holding the SQLite history's events (the Ledger's import took minutes per
20,000 rows there), whose tables each run copies into a fresh schema. A JSON file beside it holds
the ids and the token; it is written last, so a build that was interrupted is built again.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from ledger.application.bootstrap import build_ledger, build_views
from ledger.application.bulk_import import ImportRow
from ledger.config import Settings
from tests.e2e.server import ESTABLISHED_ON, add_user, seed

CACHE_DIR = Path("/tmp/fundbook-bench")
VERSION = 1  # bump when the history's shape changes: older caches are then ignored
MEMBERS = 200
FUNDS = 20
BATCH = 20_000
FIRST_DAY = date(2024, 1, 1)
DAYS = 730


@dataclass(frozen=True)
class History:
    url: str
    fund: str  # the seeded fund, which the appends go into
    funds: list[str]
    branch: str
    community: str
    member: str
    token: str  # a bookkeeper of the community
    events: int


def history_url(events: int, postgres_base: str | None) -> str:
    """Where the cached history lives: an SQLite file, or a PostgreSQL schema."""
    if postgres_base is None:
        return f"sqlite:///{CACHE_DIR / f'http-append-v{VERSION}-{events}.db'}"
    return with_schema(postgres_base, f"bench_history_v{VERSION}_{events}")


def with_schema(base: str, schema: str) -> str:
    return f"{base}{'&' if '?' in base else '?'}schema={schema}"


def cached(events: int, postgres_base: str | None = None) -> History:
    """The history of about ``events`` events, built now if no complete build is cached."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    url = history_url(events, postgres_base)
    marker = CACHE_DIR / f"{_name(url)}.json"
    if marker.exists():
        return History(**json.loads(marker.read_text()))
    if postgres_base is None:
        for suffix in ("", "-wal", "-shm", ".writer-lock"):
            Path(url[len("sqlite:///") :] + suffix).unlink(missing_ok=True)
        history = build(url, events)
    else:  # the SQLite history's events, copied (the Ledger's import is slow on PostgreSQL)
        history = replace(cached(events), url=url)
        _drop_schema(postgres_base, url.rsplit("=", 1)[1])
        _create_schema(postgres_base, url.rsplit("=", 1)[1])
        _copy_events(cached(events).url, postgres_base, url)
    marker.write_text(json.dumps(asdict(history)))
    return history


def _copy_events(sqlite_url: str, base: str, url: str) -> None:
    """Every stored event and snapshot of the SQLite history into the PostgreSQL schema of
    ``url``, in log order, then its views caught up as a starting server would."""
    import psycopg

    build_ledger(Settings(database_url=url)).close()
    schema = url.rsplit("=", 1)[1]
    with sqlite3.connect(sqlite_url[len("sqlite:///") :]) as lite, psycopg.connect(base) as conn:
        columns = "originator_id, originator_version, topic, state"
        for source, target, order in (
            ("stored_events", "ledger_events", "rowid"),  # the log's order
            ("stored_snapshots", "ledger_snapshots", "originator_id"),
        ):
            with conn.cursor().copy(f'COPY "{schema}"."{target}" ({columns}) FROM STDIN') as copy:
                for row in lite.execute(f"SELECT {columns} FROM {source} ORDER BY {order}"):
                    copy.write_row(row)
    build_views(Settings(database_url=url), catch_up=True).close()


def _name(url: str) -> str:
    return url.rsplit("/", 1)[1].replace("?", "-").replace("=", "-").replace("&", "-")


def build(url: str, events: int) -> History:
    books = seed(url)
    ledger = build_ledger(Settings(database_url=url))
    try:
        members = [books.member]
        for n in range(MEMBERS):
            person = ledger.register_person(actor="bench", name_zh=f"成员{n:03d}")["person_id"]
            ledger.change_person(
                person,
                "join_branch",
                actor="bench",
                org_id=books.branch,
                effective_on=ESTABLISHED_ON,
            )
            members.append(person)
        funds = [books.fund] + [
            ledger.establish_fund(
                actor="bench",
                owner_org_id=books.branch,
                kind="activity",
                name_zh=f"活动经费{n:02d}",
                allowed_purposes=["activities"],
                custody={"kind": "bank_account", "ref": "居委会账户"},
                established_on=ESTABLISHED_ON,
            )["fund_id"]
            for n in range(FUNDS - 1)
        ]
        rows = [_row(n, events, funds, members, books.branch) for n in range(events)]
        for start in range(0, len(rows), BATCH):
            result = ledger.import_rows(rows[start : start + BATCH], actor="bench")
            if not result.written or result.rejected:
                raise SystemExit(f"the history's import refused rows: {result.rejected[:3]}")
    finally:
        ledger.close()
    build_views(Settings(database_url=url), catch_up=True).close()
    token = add_user(url, books.bookkeeper_person, "bookkeeper", books.community)
    return History(url, books.fund, funds, books.branch, books.community, books.member, token, events)


def _row(n: int, events: int, funds: list[str], members: list[str], branch: str) -> ImportRow:
    """Entry ``n``: funds in turn, days in order; a fifth are expenses of the activity funds,
    which the donations before them cover."""
    fund_no = n % len(funds)
    day = FIRST_DAY + timedelta(days=n * DAYS // events)
    values: dict[str, str | None] = {
        "fund": funds[fund_no],
        "date": day.isoformat(),
        "voucher": f"H{n:07d}",
        "row_id": f"history-{n}",
    }
    if fund_no > 0 and n // len(funds) % 5 == 4:
        values.update(kind="expense", expense="3.00", summary="活动用品", category="activities")
        values.update(party="超市", handled_by="李会计", approved_by="张审计")
    else:
        values.update(kind="donation", income=f"{5 + n % 50}.00", branch=branch)
        values.update(person_id=members[n % len(members)], party=None)
    return ImportRow(n + 2, values)


def copy_for_run(history: History, work: Path, postgres_base: str | None, label: str) -> str:
    """A copy of the history for one run (its appends never reach the cache)."""
    if postgres_base is None:
        path = work / f"{label}-{uuid.uuid4().hex[:8]}.db"
        source = history.url[len("sqlite:///") :]
        for suffix in ("", "-wal"):  # a write-ahead log not yet folded into the file, if any
            if Path(source + suffix).exists():
                shutil.copyfile(source + suffix, f"{path}{suffix}")
        return f"sqlite:///{path}"
    return _copy_schema(postgres_base, history.url.rsplit("=", 1)[1])


def _copy_schema(base: str, source: str) -> str:
    """A fresh schema whose tables (made by the Ledger and the views, as a server makes them)
    hold every row of ``source``'s, with each identity and sequence set past the copied rows."""
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    url = with_schema(base, schema)
    _create_schema(base, schema)
    build_ledger(Settings(database_url=url)).close()
    build_views(Settings(database_url=url)).close()
    with psycopg.connect(base) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s", (source,)
            ).fetchall()
        ]
        for table in tables:
            conn.execute(f'TRUNCATE "{schema}"."{table}"')
            conn.execute(
                f'INSERT INTO "{schema}"."{table}" OVERRIDING SYSTEM VALUE SELECT * FROM "{source}"."{table}"'
            )
        sequences = conn.execute(
            "SELECT d.refobjid::regclass::text, a.attname, s.oid::regclass::text "
            "FROM pg_class s JOIN pg_depend d ON d.objid = s.oid "
            "JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
            "JOIN pg_namespace n ON n.oid = s.relnamespace "
            "WHERE s.relkind = 'S' AND n.nspname = %s",
            (schema,),
        ).fetchall()
        for table, column, sequence in sequences:
            highest = f'(SELECT MAX("{column}") FROM {table})'
            conn.execute(f"SELECT setval('{sequence}', COALESCE({highest}, 0) + 1, false)")
    return url


def drop_copy(url: str, postgres_base: str | None) -> None:
    if postgres_base is not None:
        _drop_schema(postgres_base, url.rsplit("=", 1)[1])
    else:
        for suffix in ("", "-wal", "-shm", ".writer-lock"):
            Path(url[len("sqlite:///") :] + suffix).unlink(missing_ok=True)


def _create_schema(base: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')


def _drop_schema(base: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
