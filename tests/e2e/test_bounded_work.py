"""Bounded work for anonymous requests, over real HTTP against ``fundbook serve`` (ADR 0054):

- a read asking to wait for the views (``min_position``) is authenticated first: without a
  token it is refused at once, and the server's count of waits shows that nothing waited;
- a sealed period's PDF is rendered once (identical bytes, the server's render count moves by
  one), an open period's on every request;
- the cache of sealed files stays at its bound;
- PDFs render in a child process of the server, and a killed child is replaced at the next PDF.

The counts come from the server itself (``GET /health/process``), so they are the renders and
waits that really happened in that process.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest

from ledger.application.bootstrap import build_ledger
from ledger.config import Settings
from tests.api.conftest import auth, error_of
from tests.e2e.server import SEED_ACTOR, Seed, add_user, running_server, seed

SEALED, OPEN = "2020-01", "2020-02"


@dataclass(frozen=True)
class Books:
    seed: Seed
    token: str


def record_and_close_january(url: str, books: Seed) -> None:
    ledger = build_ledger(Settings(database_url=url))
    try:
        for day, amount in ((date(2020, 1, 6), 12_000), (date(2020, 2, 3), 5_000)):
            ledger.record(
                books.fund,
                "receive_donation",
                actor=SEED_ACTOR,
                occurred_on=day,
                amount_fen=amount,
                donor_kind="member",
                donor_person_id=books.member,
                doc_refs=["收据"],
            )
        ledger.close_periods_through(books.fund, actor=books.bookkeeper_person, period=SEALED)
    finally:
        ledger.close()


@pytest.fixture(scope="module")
def books(module_database_url) -> Books:
    seeded = seed(module_database_url)
    record_and_close_january(module_database_url, seeded)
    token = add_user(module_database_url, seeded.auditor_person, "auditor", seeded.community)
    return Books(seeded, token)


@pytest.fixture(scope="module")
def client(module_database_url, books) -> Iterator[httpx.Client]:
    with (
        running_server(module_database_url, {"FUNDBOOK_BOARD_CACHE_ENTRIES": "2"}) as base_url,
        httpx.Client(base_url=base_url, timeout=120) as client,
    ):
        assert client.get("/funds/balances", params={"min_position": 1}, headers=auth(books.token)).is_success
        yield client


def status(client: httpx.Client) -> dict:
    return client.get("/health/process").json()


def pdf_renders(client: httpx.Client) -> int:
    return status(client)["board"]["renders"].get("pdf", 0)


def test_an_anonymous_read_with_min_position_is_refused_at_once_without_waiting(client, books):
    far = {"min_position": 10**9}

    answers = [
        client.get("/funds/balances", params=far),
        client.get("/", params=far),
        client.get(f"/board/{books.seed.fund}/{OPEN}.pdf", params=far),
    ]

    assert [error_of(a) for a in answers] == [(401, "min_position_needs_token")] * 3
    assert status(client)["views_waits"] == 0


def test_a_sealed_period_pdf_is_rendered_once_when_asked_for_twice(client, books):
    before = pdf_renders(client)

    first = client.get(f"/board/{books.seed.fund}/{SEALED}.pdf")
    second = client.get(f"/board/{books.seed.fund}/{SEALED}.pdf")

    assert first.status_code == second.status_code == 200
    assert first.content.startswith(b"%PDF") and second.content == first.content
    assert pdf_renders(client) - before == 1


def test_an_open_period_pdf_is_rendered_on_every_request(client, books):
    before = pdf_renders(client)

    for _ in range(2):
        answer = client.get(f"/board/{books.seed.fund}/{OPEN}.pdf")
        assert answer.status_code == 200 and answer.content.startswith(b"%PDF")

    assert pdf_renders(client) - before == 2


def parent_of(pid: int) -> int:
    """The parent process of ``pid`` (Linux: field 4 of /proc/<pid>/stat)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def test_a_pdf_is_rendered_in_a_child_process_of_the_server_when_asked_for(client, books):
    answer = client.get(f"/board/{books.seed.fund}/{OPEN}.pdf")

    server = status(client)
    renderer = server["board"]["pdf_process"]
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    assert renderer["mode"] == "process" and renderer["last_pid"] != server["pid"]
    assert renderer["pids"] == [renderer["last_pid"]]
    assert parent_of(renderer["last_pid"]) == server["pid"]


def test_a_killed_render_process_is_replaced_when_the_next_pdf_is_asked_for(client, books):
    assert client.get(f"/board/{books.seed.fund}/{OPEN}.pdf").status_code == 200
    before = status(client)["board"]
    killed = before["pdf_process"]["last_pid"]

    os.kill(killed, signal.SIGKILL)
    answer = client.get(f"/board/{books.seed.fund}/{OPEN}.pdf")

    after = status(client)["board"]
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    assert after["pdf_process"]["last_pid"] not in (killed, None)
    assert after["pdf_process"]["pools_started"] == before["pdf_process"]["pools_started"] + 1
    assert after["renders"]["pdf"] == before["renders"]["pdf"] + 1


def test_the_sealed_files_cache_stays_at_its_bound_when_more_files_are_read(client, books):
    for suffix in (".csv", ".json", ".csv?lang=en", ".json?lang=en", ""):
        assert client.get(f"/board/{books.seed.fund}/{SEALED}{suffix}").status_code == 200

    cache = status(client)["board"]["sealed_statements"]
    assert cache["max_entries"] == 2 and cache["entries"] == 2 and cache["evictions"] >= 3


def test_the_server_states_what_its_allocators_hold_when_asked(client, books):
    """``/health/process`` tells used from only held (ADR 0219): glibc's arenas and pymalloc's,
    and the trims of glibc's free pages (every 60 s by default), and no traced lines unless
    ``FUNDBOOK_TRACEMALLOC`` is set."""
    answer = status(client)

    malloc, pymalloc = answer["malloc"], answer["pymalloc"]
    assert 0 < malloc["in_use_bytes"] <= malloc["arenas_bytes"] + malloc["mapped_bytes"]
    assert malloc["free_in_arenas_bytes"] <= malloc["arenas_bytes"]
    assert pymalloc["arenas"] >= 1 and 0 < pymalloc["used_bytes"] < pymalloc["arenas_bytes"]
    assert pymalloc["arenas"] <= pymalloc["arenas_highwater"]
    assert answer["heap_trim"]["interval_s"] == 60.0
    assert "tracemalloc" not in answer


def test_a_read_waits_for_the_views_only_with_a_token_when_they_lag(database_url):
    """No follower in the server (``FUNDBOOK_FOLLOW_VIEWS=0``): its views stay behind a write
    made after it started, so a read at that position really waits (and is counted)."""
    seeded = seed(database_url)
    token = add_user(database_url, seeded.auditor_person, "auditor", seeded.community)
    with (
        running_server(database_url, {"FUNDBOOK_FOLLOW_VIEWS": "0"}) as base_url,
        httpx.Client(base_url=base_url, timeout=60) as client,
    ):
        ledger = build_ledger(Settings(database_url=database_url))
        try:
            ledger.register_person(actor=SEED_ACTOR, name_zh="新来的")
            head = {"min_position": ledger.recorder.max_notification_id()}
        finally:
            ledger.close()

        anonymous = client.get("/funds/balances", params=head)
        beyond = client.get("/funds/balances", params={"min_position": 10**9}, headers=auth(token))
        waits_before = status(client)["views_waits"]
        signed_in = client.get("/funds/balances", params=head, headers=auth(token))

        assert error_of(anonymous) == (401, "min_position_needs_token")
        assert error_of(beyond) == (409, "views_lagging")
        assert waits_before == 0
        assert error_of(signed_in) == (409, "views_lagging")
        assert status(client)["views_waits"] == 1
