"""A read replica in process (``Settings(read_only=True)``, ADR 0012) beside the seeded world's
primary, on the same store: reads answer what the primary answers; every other method is
refused with ``read_only_replica`` before any route, and nothing is recorded.

The real process on a read-only PostgreSQL role is ``tests/e2e/test_replica.py``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ledger.api import create_app
from ledger.application.bootstrap import StoreNotReady, build_ledger, check_read_only_store
from ledger.config import Settings
from ledger.web.console.session import SESSION_COOKIE
from tests.api.conftest import TODAY, World, auth, error_of


@pytest.fixture
def replica(world: World, database_url) -> Iterator[TestClient]:
    world.get("/funds/balances")  # the primary's views reach the seed before the replica opens
    settings = Settings(database_url=database_url, read_only=True)
    ledger = build_ledger(settings, today=lambda: TODAY)  # the world's business date
    with TestClient(create_app(settings, ledger=ledger)) as client:
        yield client
    ledger.close()


DONATION = {
    "occurred_on": "2025-07-02",
    "amount": "50.00",
    "donor_kind": "resident",
    "donor_name": "热心居民",
    "doc_refs": ["收据 0009"],
}


def test_replica_answers_board_and_api_reads_as_the_primary_does(world, replica):
    fund = world.funds["mutual_aid"]
    at = {"min_position": world.position()}  # a wait needs a token, even on the board (ADR 0054)
    for url, headers in (
        ("/", world.h("auditor")),
        (f"/board/{fund}/2025-07", world.h("auditor")),
        (f"/board/{fund}/2025-07.csv", world.h("auditor")),
        ("/funds/balances", world.h("auditor")),
        (f"/funds/{fund}/journal", world.h("auditor")),
    ):
        primary = world.client.get(url, params=at, headers=headers)
        read = replica.get(url, params=at, headers=headers)

        assert (read.status_code, read.content) == (200, primary.content), url
    assert "1,000.00" in replica.get(f"/board/{fund}/2025-07").text


def test_replica_refuses_every_write_with_read_only_replica_and_records_nothing(world, replica):
    before = world.position()
    fund = world.funds["activity_a"]  # the bookkeeper's branch

    answers = [
        replica.post(f"/funds/{fund}/donations", json=DONATION, headers=world.h("bookkeeper")),
        replica.post(f"/funds/{fund}/donations", content=b"{not json", headers=world.h("bookkeeper")),
        replica.post("/funds", json={}),
        replica.put("/no/such/path", json={}),
        replica.delete(f"/funds/{fund}"),
        replica.patch("/health"),
        replica.options("/funds/balances"),
    ]

    assert [error_of(answer) for answer in answers] == [(503, "read_only_replica")] * len(answers)
    assert "只读" in answers[0].json()["error"]["message"]
    assert world.position() == before
    same = world.post(f"/funds/{fund}/donations", DONATION)
    assert same.status_code == 201, same.text  # the primary records it: the body was valid


def test_replica_console_says_it_is_read_only_and_issues_no_session(world, replica):
    primary = world.client.post(
        "/console/sign-in", data={"token": world.tokens["bookkeeper"]}, follow_redirects=False
    )
    assert primary.status_code == 303  # the same sign-in on the primary works
    replica.cookies.set(SESSION_COOKIE, primary.cookies[SESSION_COOKIE])  # a live session, even

    sign_in_page = replica.get("/console/sign-in")
    signed_in = replica.post(
        "/console/sign-in", data={"token": world.tokens["bookkeeper"]}, follow_redirects=False
    )
    home = replica.get("/console")

    assert sign_in_page.status_code == 503
    assert 'data-code="read_only_replica"' in sign_in_page.text and "<form" not in sign_in_page.text
    assert signed_in.status_code == 503 and 'data-code="read_only_replica"' in signed_in.text
    assert "set-cookie" not in signed_in.headers
    assert home.status_code == 503 and 'id="error-code">read_only_replica' in home.text


def test_health_reports_the_mode_and_the_views_position(world, replica):
    primary = world.client.get("/health").json()
    read = replica.get("/health").json()

    assert (primary["mode"], read["mode"]) == ("read_write", "read_only")
    assert read["position"] == primary["position"] == world.position()
    assert read["views"] == primary["views"]


def test_replica_reads_with_a_token_and_answers_401_without_one(world, replica):
    fund = world.funds["activity_a"]

    read = replica.get(f"/funds/{fund}/balance", headers=auth(world.tokens["member"]))
    unsigned = replica.get(f"/funds/{fund}/balance")

    assert read.status_code == 200 and read.json()["balance"]["amount_fen"] == 50_000
    assert error_of(unsigned) == (401, "authentication_required")


# its subject is a store whose views were never made: not an empty copy with them (ADR 0213)
@pytest.mark.bare_store
def test_read_only_check_names_the_missing_views_and_creates_nothing(open_ledger, database_url):
    open_ledger().close()  # the events' tables only, as `fundbook demo` leaves them

    with pytest.raises(StoreNotReady, match="views cannot be read"):
        check_read_only_store(Settings(database_url=database_url, read_only=True))
    with pytest.raises(StoreNotReady, match="views cannot be read"):  # still missing: not made
        check_read_only_store(Settings(database_url=database_url, read_only=True))
