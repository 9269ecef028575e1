"""``kill -USR1`` on a running ``fundbook serve`` (ledger/api/stack_dumps.py): every process that
serves writes all its threads' stacks to the server's log and goes on serving. With one worker
uvicorn serves in the parent itself; on PostgreSQL the server runs two workers, each spawned by
uvicorn's supervisor, which keeps SIGUSR1 for itself (and ignores it)."""

from __future__ import annotations

import time

import httpx

from tests.conftest import is_postgres
from tests.e2e.server import ask_for_stacks, start_server

DUMP = "Current thread 0x"  # faulthandler's header of the thread that took the signal


def _log_of(server) -> str:
    server.log.flush()
    server.log.seek(0)
    return server.log.read()


def test_every_server_process_writes_its_threads_stacks_and_keeps_serving_when_sent_sigusr1(database_url):
    workers = 2 if is_postgres() else 1
    server = start_server(database_url, workers=workers)
    try:
        before = _log_of(server).count(DUMP)
        ask_for_stacks(server.process.pid)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _log_of(server).count(DUMP) < workers:
            time.sleep(0.2)
        log = _log_of(server)
        health = httpx.get(f"{server.base_url}/health", timeout=30)
        alive = server.process.poll() is None
    finally:
        server.stop()

    assert before == 0
    assert log.count(DUMP) == workers, log[-3000:]
    assert alive and health.status_code == 200, health.text
    assert "runner.py" in log, log[-3000:]  # a worker's views follower is among the threads
