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
from tests.conftest import backend_url, is_postgres
from tests.store_templates import PostgresTemplates, SqliteTemplates, StoreCopy, Template


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
