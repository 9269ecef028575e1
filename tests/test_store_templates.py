"""The seeded stores copied per test (tests/store_templates.py, ADR 0170): each copy is the
template as it was made, whatever an earlier test did to its own copy, on both stores. On
PostgreSQL a finished copy's schema is filled again and handed out again only when nothing can
tell it from a new copy; these tests check the refill and the refusals."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path

import psycopg
import pytest

from ledger.application.bootstrap import build_ledger, build_views
from ledger.config import Settings
from tests.conftest import _postgres_schema, backend_url, is_postgres
from tests.store_templates import EMPTY, PostgresTemplates, SqliteTemplates, StoreCopy, Template, make_tables


def seeded(url: str) -> dict[str, str]:
    ledger = build_ledger(Settings(database_url=url))
    try:
        org = ledger.register_organisation(
            actor="seed", kind="branch", name_zh="第一支部", established_on=date(2020, 1, 1)
        )["org_id"]
    finally:
        ledger.close()
    build_views(Settings(database_url=url), catch_up=True).close()
    return {"org": org}


TEMPLATE = Template("one-branch", seeded)


@pytest.fixture
def templates(tmp_path) -> Iterator[SqliteTemplates | PostgresTemplates]:
    made = PostgresTemplates(backend_url()) if is_postgres() else SqliteTemplates(tmp_path)
    yield made
    made.close()


@contextmanager
def copy(templates, tmp_path: Path, name: str) -> Iterator[StoreCopy]:
    folder = tmp_path / name
    folder.mkdir()
    yield from templates.copy(TEMPLATE, folder)


def events(url: str) -> tuple[int, list[str]]:
    """(head position, the views' organisations) of the store at ``url``."""
    ledger = build_ledger(Settings(database_url=url))
    views = build_views(Settings(database_url=url), catch_up=True)
    try:
        with views.backend.read() as cur:
            cur.execute("SELECT org_id FROM v_org ORDER BY org_id")
            orgs = [row[0] for row in cur.fetchall()]
        return ledger.recorder.max_notification_id() or 0, orgs
    finally:
        views.close()
        ledger.close()


def register_branch(url: str) -> int:
    """One more organisation; returns the position of its event."""
    ledger = build_ledger(Settings(database_url=url))
    try:
        ledger.register_organisation(
            actor="test", kind="branch", name_zh="第二支部", established_on=date(2021, 1, 1)
        )
        return ledger.recorder.max_notification_id()
    finally:
        ledger.close()


def alter_org_table(url: str) -> None:
    views = build_views(Settings(database_url=url))
    try:
        with views.backend.write() as cur:
            cur.execute("ALTER TABLE v_org ADD COLUMN note TEXT")
    finally:
        views.close()


def org_columns(url: str) -> set[str]:
    views = build_views(Settings(database_url=url))
    try:
        with views.backend.read() as cur:
            cur.execute("SELECT * FROM v_org LIMIT 0")
            return {column[0] for column in cur.description}
    finally:
        views.close()


@contextmanager
def held_by_another_session(url: str) -> Iterator[None]:
    """Another connection using the copy: PostgreSQL's writer lock on its schema, or an open
    write transaction on its SQLite file."""
    if is_postgres():
        schema = url.rsplit("schema=", 1)[1]
        with psycopg.connect(url.split("?", 1)[0], autocommit=True) as conn:
            conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (f"fundbook-writer:{schema}",))
            yield
    else:
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield
        finally:
            conn.close()


def test_a_copy_holds_the_templates_rows_and_data_when_handed_out(templates, tmp_path):
    with copy(templates, tmp_path, "a") as store:
        head, orgs = events(store.url)
    assert head > 0
    assert orgs == [store.data["org"]]


def test_a_later_copy_holds_only_the_templates_rows_when_an_earlier_copy_was_written_to(templates, tmp_path):
    with copy(templates, tmp_path, "a") as first:
        template_head, template_orgs = events(first.url)
        written_at = register_branch(first.url)
        assert events(first.url)[0] == written_at > template_head
    with copy(templates, tmp_path, "b") as second:
        assert events(second.url) == (template_head, template_orgs)
        # the sequences were set back too: the next event gets the position the first got
        assert register_branch(second.url) == written_at
    if is_postgres():  # the refill was what was checked: the schema was handed out again
        assert second.url == first.url


def test_a_copy_whose_tables_a_test_changed_is_not_handed_out_again(templates, tmp_path):
    with copy(templates, tmp_path, "a") as first:
        alter_org_table(first.url)
        assert "note" in org_columns(first.url)
    with copy(templates, tmp_path, "b") as second:
        assert "note" not in org_columns(second.url)
        assert events(second.url)[1] == [second.data["org"]]
    assert second.url != first.url


def test_a_copy_still_used_by_another_session_is_not_handed_out_again(templates, tmp_path):
    with ExitStack() as other_session:
        with copy(templates, tmp_path, "a") as first:
            other_session.enter_context(held_by_another_session(first.url))
        # the copy was given back while the other session held it
        with copy(templates, tmp_path, "b") as second:
            assert events(second.url)[1] == [second.data["org"]]
        assert second.url != first.url


def test_copies_handed_out_at_once_are_separate_stores_when_one_is_written_to(templates, tmp_path):
    with copy(templates, tmp_path, "a") as first, copy(templates, tmp_path, "b") as second:
        assert first.url != second.url
        register_branch(first.url)
        assert len(events(first.url)[1]) == 2
        assert events(second.url)[1] == [second.data["org"]]


# A value of each column type this version's tables use, for a row written into every table.
PG_VALUES = {"text": "'x'", "bigint": "7", "uuid": "gen_random_uuid()", "bytea": "'\\x00'"}
SQLITE_VALUES = {"TEXT": "'x'", "INTEGER": "7", "BIGINT": "7", "BLOB": "x'00'"}


@contextmanager
def schema_connection(url: str) -> Iterator[tuple[psycopg.Connection, str]]:
    base, query = url.split("?", 1)
    with psycopg.connect(base, autocommit=True) as conn:
        yield conn, query.rsplit("schema=", 1)[1]


def pg_tables(conn: psycopg.Connection, schema: str, kind: str) -> list[str]:
    rows = conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON c.relnamespace = n.oid "
        "WHERE n.nspname = %s AND c.relkind = %s ORDER BY 1",
        (schema, kind),
    )
    return [row[0] for row in rows]


def store_state(url: str) -> dict[str, list]:
    """Everything the store at ``url`` holds, by table (its rows, sorted) and by sequence (its
    value and whether it was used): two stores alike here are alike to any code that reads."""
    if not is_postgres():
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"'))) for t in tables}
        finally:
            conn.close()
    with schema_connection(url) as (conn, schema):
        state = {
            t: sorted(map(repr, conn.execute(f'SELECT * FROM "{schema}"."{t}"')))
            for t in pg_tables(conn, schema, "r")
        }
        for sequence in pg_tables(conn, schema, "S"):
            value = conn.execute(f'SELECT last_value, is_called FROM "{schema}"."{sequence}"')
            state[sequence] = [value.fetchone()]
        return state


def write_a_row_into_every_table(url: str) -> None:
    """What an earlier test might leave anywhere: one more row in each table (a column with a
    default, such as an event's position, takes it: its sequence moves on)."""
    if not is_postgres():
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        try:
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                columns = list(conn.execute(f'PRAGMA table_info("{table}")'))
                if [(c[2], c[5]) for c in columns if c[5]] == [("INTEGER", 1)]:  # the rowid: its own
                    columns = [c for c in columns if not c[5]]
                names = ", ".join(f'"{c[1]}"' for c in columns)
                values = ", ".join(SQLITE_VALUES[c[2]] for c in columns)
                conn.execute(f'INSERT INTO "{table}" ({names}) VALUES ({values})')
        finally:
            conn.close()
        return
    with schema_connection(url) as (conn, schema):
        columns = conn.execute(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), "
            "a.attidentity <> '' OR d.adbin IS NOT NULL "
            "FROM pg_attribute a JOIN pg_class c ON a.attrelid = c.oid "
            "JOIN pg_namespace n ON c.relnamespace = n.oid "
            "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "WHERE n.nspname = %s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped "
            "ORDER BY c.relname, a.attnum",
            (schema,),
        ).fetchall()
        for table in pg_tables(conn, schema, "r"):
            own = [(name, kind) for rel, name, kind, default in columns if rel == table and not default]
            names = ", ".join(f'"{name}"' for name, _ in own)
            values = ", ".join(PG_VALUES[kind] for _, kind in own)
            conn.execute(f'INSERT INTO "{schema}"."{table}" ({names}) VALUES ({values})')


@contextmanager
def new_store(tmp_path: Path) -> Iterator[str]:
    """A store nobody has copied: a new schema (or file) whose tables the code itself made."""
    if is_postgres():
        with contextmanager(_postgres_schema)(backend_url()) as url:
            make_tables(url)
            yield url
    else:
        url = f"sqlite:///{tmp_path / 'new.db'}"
        make_tables(url)
        yield url


def seen_by_the_code(url: str) -> tuple:
    """What a Ledger and the views find on the store at ``url``, and the position the next
    event gets there."""
    ledger = build_ledger(Settings(database_url=url))
    views = build_views(Settings(database_url=url), catch_up=True)
    try:
        found = (ledger.recorder.max_notification_id(), views.positions(), views.position())
        register_branch(url)
        return (*found, ledger.recorder.max_notification_id())
    finally:
        views.close()
        ledger.close()


def test_a_reused_empty_store_equals_a_new_store_in_every_table_and_sequence_when_a_test_wrote_everywhere(
    templates, tmp_path
):
    folder = tmp_path / "first"
    folder.mkdir()
    with contextmanager(templates.copy)(EMPTY, folder) as first:
        register_branch(first.url)
        build_views(Settings(database_url=first.url), catch_up=True).close()
        write_a_row_into_every_table(first.url)
        assert all(store_state(first.url).values()), "the earlier test left a row in every table"
    folder = tmp_path / "second"
    folder.mkdir()
    with new_store(tmp_path) as new_url, contextmanager(templates.copy)(EMPTY, folder) as second:
        if is_postgres():  # the same schema, emptied: what is checked is the reset
            assert second.url == first.url
        assert store_state(second.url) == store_state(new_url)
        assert seen_by_the_code(second.url) == seen_by_the_code(new_url)
