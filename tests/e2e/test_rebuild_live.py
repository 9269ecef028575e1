"""``fundbook rebuild`` beside a real server that serves readers and records writes (issue 14,
ADR 0052): the rebuild folds into tables beside the live views and swaps them in in one short
transaction, so no reader ever sees empty or half-built views, and the server's followers
carry on from the swapped-in views' position."""

from __future__ import annotations

import time

import httpx

from tests.conftest import is_postgres
from tests.e2e import server as servers
from tests.e2e.server import add_user, seed, start_server
from tests.e2e.traffic import Traffic, record_history, run_cli

HISTORY = 600  # donations before the server starts: a rebuild that takes a while


def test_rebuild_exits_0_and_readers_see_only_2xx_and_rising_money_when_a_server_serves_and_records(
    database_url, monkeypatch
):
    monkeypatch.setattr(servers, "STARTUP_TIMEOUT_S", 120.0)  # a shared machine: give it time
    books = seed(database_url)
    before_fen = record_history(database_url, books, HISTORY)
    token = add_user(database_url, books.bookkeeper_person, "bookkeeper", books.branch)
    server = start_server(database_url, workers=3 if is_postgres() else 1)
    try:
        with httpx.Client(base_url=server.base_url, timeout=30.0) as client:
            start = client.get(f"/funds/{books.fund}/balance", headers={"Authorization": f"Bearer {token}"})
        assert start.json()["balance"]["amount_fen"] == before_fen
        traffic = Traffic(server.base_url, books.fund, books.member, token).start()
        try:
            time.sleep(1.0)  # the writer and the readers are running
            rebuilds = [run_cli(database_url, "rebuild") for _ in range(2)]
            time.sleep(0.5)
        finally:
            traffic.stop()
        with httpx.Client(base_url=server.base_url, timeout=30.0) as client:
            last = client.post(  # read-your-writes: the views reached the last write
                f"/funds/{books.fund}/donations",
                json={
                    "occurred_on": "2025-03-16",
                    "amount": "10.00",
                    "donor_kind": "member",
                    "donor_person_id": books.member,
                    "doc_refs": ["last"],
                },
                headers={"Authorization": f"Bearer {token}"},
            )
            assert last.status_code == 201, last.text
            end = client.get(
                f"/funds/{books.fund}/balance",
                params={"min_position": last.headers["X-Fundbook-Position"]},
                headers={"Authorization": f"Bearer {token}"},
            )
            health = client.get("/health").json()
    finally:
        server.stop()

    for done in rebuilds:
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Traceback" not in done.stderr
        assert "rebuilt" in done.stdout
    assert traffic.failures == []
    assert set(traffic.statuses) <= {200, 201}
    assert traffic.written_fen > 0
    for seen in traffic.balances:
        assert seen, "every reader read"
        assert seen[0] >= before_fen
        assert seen == sorted(seen), "a balance went back: the reader saw views being rebuilt"
        assert seen[-1] <= before_fen + traffic.written_fen
    assert end.status_code == 200, end.text
    assert end.json()["balance"]["amount_fen"] == before_fen + traffic.written_fen + 1000
    assert health["status"] == "ok", health
