"""Crashes: ``kill -9`` of the API server during a write load, and of the projection worker in
the middle of catching up, on SQLite or PostgreSQL (whichever the fixtures give).

After a restart every acknowledged entry is there, once; a request whose answer was lost is
either in the store or not at all, and retrying it with its Idempotency-Key records it exactly
once; the views catch up to exactly what a fresh fold of the stored events gives."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from datetime import date

import httpx

from ledger.application.bootstrap import build_ledger, build_views
from ledger.config import Settings
from ledger.projections import queries, runner
from ledger.projections.reference import Reference
from tests.e2e.server import add_user, env_for, fundbook_command, seed, start_server

CLIENTS = 8
ACKED_BEFORE_KILL = 40


def donation(books, n: int) -> dict:
    return {
        "occurred_on": "2026-01-05",
        "amount": "1.00",
        "donor_kind": "member",
        "donor_person_id": books.member,
        "doc_refs": [f"收据 {n}"],
    }


def test_kill_9_of_the_server_during_writes_loses_no_acknowledged_entry_and_retries_record_once(database_url):
    books = seed(database_url)
    token = add_user(database_url, books.bookkeeper_person, "bookkeeper", books.community)
    headers = {"Authorization": f"Bearer {token}"}
    server = start_server(database_url)
    acked: dict[str, str] = {}  # idempotency key -> voucher
    unknown: list[str] = []  # keys whose answer was lost in the crash
    lock, stop = threading.Lock(), threading.Event()

    def write_load(client_no: int) -> None:
        with httpx.Client(base_url=server.base_url, timeout=30.0) as client:
            n = 0
            while not stop.is_set():
                n += 1
                key = f"crash-{client_no}-{n}"  # the retry below sends the same body for it
                try:
                    answer = client.post(
                        f"/funds/{books.fund}/donations",
                        json=donation(books, n),
                        headers={**headers, "Idempotency-Key": key},
                    )
                except httpx.TransportError:
                    with lock:
                        unknown.append(key)
                    return
                assert answer.status_code == 201, answer.text
                with lock:
                    acked[key] = answer.json()["result"]["voucher_no"]

    threads = [threading.Thread(target=write_load, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(acked) < ACKED_BEFORE_KILL and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=10)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    server.stop()
    assert len(acked) >= ACKED_BEFORE_KILL and unknown, "the kill must land during the load"

    restarted = start_server(database_url)
    try:
        with httpx.Client(base_url=restarted.base_url, timeout=30.0) as client:
            for key in unknown:  # the client retries what it never heard back about
                n = int(key.rsplit("-", 1)[1])
                retry = client.post(
                    f"/funds/{books.fund}/donations",
                    json=donation(books, n),
                    headers={**headers, "Idempotency-Key": key},
                )
                assert retry.status_code == 201, retry.text
            head = client.post(
                f"/funds/{books.fund}/donations",
                json=donation(books, 0),
                headers={**headers, "Idempotency-Key": "after-restart"},
            )
            position = head.headers["X-Fundbook-Position"]
            rows = client.get(
                f"/funds/{books.fund}/journal",
                params={"page_size": 500, "min_position": position},
                headers=headers,
            ).json()["data"]
    finally:
        restarted.stop()

    vouchers = [row["voucher_no"] for row in rows]
    assert len(vouchers) == len(set(vouchers)) == len(acked) + len(unknown) + 1
    assert set(acked.values()) <= set(vouchers)
    assert rows[-1]["balance"]["amount_fen"] == 100 * len(vouchers)
    _assert_views_equal_a_fresh_fold(database_url)


def test_kill_9_of_the_projection_worker_mid_catch_up_resumes_without_double_counting(database_url):
    books = seed(database_url)
    ledger = build_ledger(Settings(database_url=database_url))
    try:
        for n in range(600):
            ledger.record(
                books.fund,
                "receive_donation",
                actor="crash-test",
                occurred_on=date(2026, 1, 1 + n % 28),
                amount_fen=100 + n,
                donor_kind="member",
                donor_person_id=books.member,
                doc_refs=[f"收据 {n}"],
            )
        head = ledger.recorder.max_notification_id()
    finally:
        ledger.close()
    views = build_views(Settings(database_url=database_url))
    try:
        worker = subprocess.Popen(
            [*fundbook_command(), "project", "--batch-size", "5"],
            env=env_for(database_url),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while views.position() < head // 4 and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.005)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        killed_at = views.position()
        assert 0 < killed_at < head, "the kill must land in the middle of catching up"
    finally:
        views.close()

    resumed = subprocess.run(
        [*fundbook_command(), "project"],
        env=env_for(database_url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"views at position {head}" in resumed.stdout
    _assert_views_equal_a_fresh_fold(database_url)


def _assert_views_equal_a_fresh_fold(database_url: str) -> None:
    """The views as the crashed processes left them (then caught up) equal both an independent
    fold of the stored events and a rebuild from scratch."""
    ledger = build_ledger(Settings(database_url=database_url))
    views = build_views(Settings(database_url=database_url))
    try:
        runner.catch_up(views)
        assert queries.fund_balances(views) == Reference.from_app(ledger).balances()
        caught_up = views.digest()
        runner.rebuild(views)
        assert views.digest() == caught_up
    finally:
        views.close()
        ledger.close()


def test_api_workers_without_followers_read_their_writes_from_a_separate_projection_worker(database_url):
    """The deployment of docs/deploy.md: API processes with FUNDBOOK_FOLLOW_VIEWS=0 (two of them
    on PostgreSQL) and one ``fundbook project --follow`` worker keeping the views."""
    from tests.conftest import is_postgres

    books = seed(database_url)
    token = add_user(database_url, books.bookkeeper_person, "bookkeeper", books.community)
    headers = {"Authorization": f"Bearer {token}"}
    projector = subprocess.Popen(
        [*fundbook_command(), "project", "--follow", "--poll-s", "0.05"],
        env=env_for(database_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = None
    try:
        server = start_server(
            database_url, workers=2 if is_postgres() else 1, env={"FUNDBOOK_FOLLOW_VIEWS": "0"}
        )
        with httpx.Client(base_url=server.base_url, timeout=30.0) as client:
            # The projection worker is a separate process: on a loaded machine its start alone
            # can take longer than a read's bounded wait (5 s), so wait until it has caught up
            # with the seed before writing; the read below then waits for these writes only.
            seeded = _max_position(database_url)
            deadline = time.monotonic() + 60
            while client.get("/health").json()["position"] < seeded:
                assert projector.poll() is None, "the projection worker exited"
                assert time.monotonic() < deadline, "the projection worker never caught up"
                time.sleep(0.1)
            written = [
                client.post(f"/funds/{books.fund}/donations", json=donation(books, n), headers=headers)
                for n in range(5)
            ]
            assert [w.status_code for w in written] == [201] * 5
            balance = client.get(
                f"/funds/{books.fund}/balance",
                params={"min_position": written[-1].headers["X-Fundbook-Position"]},
                headers=headers,
            )
        assert balance.status_code == 200, balance.text
        assert balance.json()["balance"]["amount_fen"] == 500
    finally:  # a server that never started must not leave the projection worker running
        if server is not None:
            server.stop()
        projector.terminate()
        projector.wait(timeout=10)


def _max_position(database_url: str) -> int:
    ledger = build_ledger(Settings(database_url=database_url))
    try:
        return ledger.recorder.max_notification_id() or 0
    finally:
        ledger.close()
