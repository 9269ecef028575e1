"""``fundbook backup`` while a real server records, and ``fundbook restore`` into an empty store
(issue 14, ADR 0053): the restored books verify, with the balances and seals the source had
at the backup's chain head; a store that holds any event is refused and left as it was."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from ledger.application.bootstrap import build_views
from ledger.config import Settings
from ledger.projections import queries
from tests.conftest import _postgres_schema, backend_url, is_postgres
from tests.e2e import server as servers
from tests.e2e.server import add_user, seed, start_server
from tests.e2e.traffic import Traffic, record_history, run_cli

HEAD = re.compile(r"(\d+) events; chain head at position (\d+): ([0-9a-f]{64})")


@pytest.fixture
def empty_url(tmp_path) -> Iterator[str]:
    """A second, empty store to restore into."""
    if is_postgres():
        yield from _postgres_schema(backend_url())
    else:
        yield f"sqlite:///{tmp_path / 'restored' / 'fundbook.db'}"


def books_at(database_url: str, position: int | None = None) -> tuple[list, list, str | None]:
    """Every fund's figures (as known at ``position``), every seal, and the chain's hash there."""
    views = build_views(Settings(database_url=database_url), catch_up=True)
    try:
        funds = [
            (b.fund_id, b.income_fen, b.expense_fen, b.cash_fen, b.bank_fen)
            for b in queries.fund_balances(views, at_position=position)
        ]
        seals = views.fetch(
            "SELECT fund_id, period, closing_fen, seal_position, seal_hash FROM v_period_close "
            "WHERE position <= ? ORDER BY fund_id, period",
            (position or views.max_event_position(),),
        )
        chain = views.fetch("SELECT hash FROM v_chain WHERE position = ?", (position or views.position(),))
        return funds, [tuple(s) for s in seals], chain[0][0] if chain else None
    finally:
        views.close()


def test_a_backup_taken_while_a_server_records_restores_into_an_empty_store_with_equal_balances_and_seals(
    database_url, empty_url, tmp_path, monkeypatch
):
    monkeypatch.setattr(servers, "STARTUP_TIMEOUT_S", 120.0)  # a shared machine: give it time
    books = seed(database_url)
    record_history(database_url, books, 200)  # January closed: sealed
    token = add_user(database_url, books.bookkeeper_person, "bookkeeper", books.branch)
    server = start_server(database_url)
    try:
        traffic = Traffic(server.base_url, books.fund, books.member, token, readers=0).start()
        try:
            taken = run_cli(database_url, "backup", str(tmp_path / "books.fundbook-backup"))
        finally:
            traffic.stop()
    finally:
        server.stop()
    assert taken.returncode == 0, taken.stdout + taken.stderr
    assert traffic.failures == [] and traffic.written_fen > 0
    events, position, head = HEAD.search(taken.stdout).groups()

    restored = run_cli(empty_url, "restore", str(tmp_path / "books.fundbook-backup"))

    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "OK: no violation" in restored.stdout
    assert f"chain head at position {position}: {head}" in restored.stdout
    source_funds, source_seals, source_hash = books_at(database_url, int(position))
    restored_funds, restored_seals, restored_hash = books_at(empty_url)
    assert source_hash == restored_hash == head
    assert restored_funds == source_funds
    assert restored_seals == source_seals
    assert restored_seals[-1][1] == "2025-01"  # every month up to January 2025, sealed
    assert int(events) > 200


def test_restore_is_refused_and_writes_nothing_when_the_store_holds_events(database_url, tmp_path):
    books = seed(database_url)
    record_history(database_url, books, 20)
    backup_file = tmp_path / "books.fundbook-backup"
    assert run_cli(database_url, "backup", str(backup_file)).returncode == 0
    views = build_views(Settings(database_url=database_url), catch_up=True)
    before = views.max_event_position(), views.digest()
    views.close()

    refused = run_cli(database_url, "restore", str(backup_file))

    assert refused.returncode == 1
    assert refused.stderr.strip().count("\n") == 0 and "Traceback" not in refused.stderr
    assert "restore refused: the store is not empty" in refused.stderr
    views = build_views(Settings(database_url=database_url), create=False)
    try:
        assert (views.max_event_position(), views.digest()) == before
    finally:
        views.close()


def test_backup_refuses_to_overwrite_a_file_when_it_exists(database_url, tmp_path):
    seed(database_url)
    existing = tmp_path / "books.fundbook-backup"
    existing.write_bytes(b"yesterday's backup")

    refused = run_cli(database_url, "backup", str(existing))

    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "the backup file exists" in refused.stderr
    assert existing.read_bytes() == b"yesterday's backup"
