"""Starting after an upgrade (issue 14, ADR 0052): the views were made by another version, and
the API workers and a ``fundbook project --follow`` start at the same moment. One process
rebuilds the views beside the old ones and swaps them in, the others wait for it, and all of
them start and serve. PostgreSQL used to fail 9 starts in 12 (a deadlock between one worker's
``CREATE INDEX IF NOT EXISTS`` and another's follower)."""

from __future__ import annotations

import subprocess
import tempfile

import httpx

from ledger.application.bootstrap import build_views
from ledger.config import Settings
from ledger.projections import schema
from tests.conftest import is_postgres
from tests.e2e import server as servers
from tests.e2e.server import add_user, env_for, fundbook_command, seed, start_server
from tests.e2e.traffic import record_history

ROUNDS = 5 if is_postgres() else 2
WORKERS = 4 if is_postgres() else 2  # SQLite takes writers in turn; two workers are its usual most


def bump_views_schema(database_url: str) -> None:
    """What a new version of fundbook finds: views made with another schema version."""
    views = build_views(Settings(database_url=database_url), create=False)
    try:
        with views.backend.write() as cur:
            update = views.backend.sql(f"UPDATE {schema.META} SET value = ? WHERE key = ?")
            cur.execute(update, ("0", "schema_version"))
    finally:
        views.close()


def test_workers_and_a_follower_starting_together_all_serve_when_the_views_schema_was_bumped(
    database_url, monkeypatch
):
    monkeypatch.setattr(servers, "STARTUP_TIMEOUT_S", 180.0)  # a shared machine: give it time
    books = seed(database_url)
    total_fen = record_history(database_url, books, 300, members=100)
    token = add_user(database_url, books.bookkeeper_person, "bookkeeper", books.branch)
    build_views(Settings(database_url=database_url), catch_up=True).close()
    for round_no in range(ROUNDS):
        bump_views_schema(database_url)
        total_fen += record_history(database_url, books, 30, close=False, members=10)  # to catch up
        follower_log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed below)
        follower = subprocess.Popen(
            [*fundbook_command(), "project", "--follow", "--poll-s", "0.2"],
            env=env_for(database_url),
            stdout=follower_log,
            stderr=subprocess.STDOUT,
        )
        try:
            server = start_server(database_url, workers=WORKERS)
            try:
                with httpx.Client(base_url=server.base_url, timeout=30.0) as client:
                    health = client.get("/health").json()
                    balances = [
                        client.get(
                            f"/funds/{books.fund}/balance", headers={"Authorization": f"Bearer {token}"}
                        ).json()["balance"]["amount_fen"]
                        for _ in range(2 * WORKERS)  # several requests: more than one worker answers
                    ]
            finally:
                server.stop()
            assert follower.poll() is None, "the follower died"
        finally:
            follower.terminate()
            follower.wait(timeout=30)
            follower_log.seek(0)
            follower_output = follower_log.read()
            follower_log.close()
        assert "Traceback" not in follower_output, follower_output
        assert health["status"] == "ok", (round_no, health)
        assert balances == [total_fen] * len(balances), round_no
        views = build_views(Settings(database_url=database_url), create=False)
        try:
            assert views.schema_version() == schema.SCHEMA_VERSION
            assert views.generation() == round_no + 1  # rebuilt once per bump, by one process
        finally:
            views.close()
