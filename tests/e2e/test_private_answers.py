"""Answers that hold the books over real HTTP (``fundbook serve``, issue 19 items 7 and 8).

- Every console route (walked from the application's own route table, signed in and not) and
  every API answer to a signed-in request says ``Cache-Control: no-store``; the public board
  does not need to.
- A write retried with the same ``Idempotent-Key`` answers the same body, marked
  ``Idempotent-Replayed: true``; the first write and a write without a key say ``false``.
"""

from __future__ import annotations

import re

import httpx
import pytest
from starlette.routing import Route

from ledger.api import create_app
from ledger.application import shanghai_today
from ledger.config import Settings
from ledger.web.console import PREFIX
from tests.e2e.server import add_user, running_server, seed


@pytest.fixture
def world(database_url):
    found = seed(database_url)
    return found, add_user(database_url, found.bookkeeper_person, "bookkeeper", found.branch)


def _donation() -> dict:
    return {
        "occurred_on": shanghai_today().isoformat(),
        "amount": "358.50",
        "donor_kind": "resident",
        "donor_name": "热心居民",
        "doc_refs": ["收据 0001"],
    }


def test_api_write_is_marked_replayed_when_the_same_idempotent_request_is_sent_again(world, database_url):
    found, token = world
    url = f"/funds/{found.fund}/donations"
    signed = {"Authorization": f"Bearer {token}"}
    with running_server(database_url) as base_url, httpx.Client(base_url=base_url, timeout=30) as client:
        keyed = {**signed, "Idempotency-Key": "donation-replay-0001"}
        first = client.post(url, json=_donation(), headers=keyed)
        again = client.post(url, json=_donation(), headers=keyed)
        unkeyed = client.post(url, json=_donation(), headers=signed)
        written = unkeyed.headers["X-Fundbook-Position"]  # read after the last write
        journal = client.get(f"/funds/{found.fund}/journal", headers=signed, params={"min_position": written})

    assert (first.status_code, again.status_code, unkeyed.status_code) == (201, 201, 201), first.text
    assert first.headers["Idempotent-Replayed"] == "false"
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert unkeyed.headers["Idempotent-Replayed"] == "false"
    assert unkeyed.json()["result"]["voucher_no"] != first.json()["result"]["voucher_no"]
    assert journal.status_code == 200 and len(journal.json()["data"]) == 2  # the retry wrote nothing


def _routes(routes: list) -> list[Route]:
    """The routes under ``routes``, through included routers (FastAPI includes them lazily)."""
    found = []
    for route in routes:
        if isinstance(route, Route):
            found.append(route)
        elif hasattr(route, "original_router"):
            found.extend(_routes(route.original_router.routes))
    return found


def _console_paths(database_url: str, fund: str) -> list[str]:
    """Every GET route of the console, its path parameters filled (a real fund, else a dummy:
    a 404 or 403 page must not be cached either)."""
    app = create_app(Settings(database_url=database_url))
    paths = []
    for route in _routes(app.routes):
        if route.path.startswith(PREFIX) and "GET" in (route.methods or ()):
            path = route.path.replace("{fund_id}", fund)
            paths.append(re.sub(r"\{[^}]+\}", "x", path))
    return paths


def _sign_in(client: httpx.Client, token: str) -> None:
    signed = client.post(f"{PREFIX}/sign-in", data={"token": token, "next": PREFIX})
    assert signed.status_code == 303 and "fb_session" in client.cookies, signed.text


def test_every_console_route_is_no_store_when_served_signed_in_or_not(world, database_url):
    found, token = world
    paths = _console_paths(database_url, found.fund)
    assert f"{PREFIX}/funds/{found.fund}" in paths and f"{PREFIX}/sign-in" in paths and len(paths) > 20
    with running_server(database_url) as base_url:
        with httpx.Client(base_url=base_url, timeout=30) as anonymous:
            before = {path: anonymous.get(path) for path in paths}
            refused_post = anonymous.post(f"{PREFIX}/sign-in", data={"token": "fbk_wrong"})
        with httpx.Client(base_url=base_url, timeout=30) as signed_in:
            _sign_in(signed_in, token)
            after = {path: signed_in.get(path) for path in paths}
            fund_page = after[f"{PREFIX}/funds/{found.fund}"]

    assert fund_page.status_code == 200 and "党员互助金" in fund_page.text  # the books, really
    for path, response in [*before.items(), *after.items(), ("POST sign-in", refused_post)]:
        assert response.headers.get("Cache-Control") == "no-store", (path, response.status_code)


def test_signed_in_api_answers_are_no_store_when_the_public_board_stays_cacheable(world, database_url):
    found, token = world
    signed = {"Authorization": f"Bearer {token}"}
    with running_server(database_url) as base_url, httpx.Client(base_url=base_url, timeout=30) as client:
        answers = {
            "journal": client.get(f"/funds/{found.fund}/journal", headers=signed),
            "write": client.post(f"/funds/{found.fund}/donations", json=_donation(), headers=signed),
            "refused": client.post(f"/funds/{found.fund}/donations", json={}, headers=signed),
            "bad token": client.get(f"/funds/{found.fund}/journal", headers={"Authorization": "Bearer no"}),
        }
        board = client.get("/")

    assert answers["journal"].status_code == 200 and answers["write"].status_code == 201
    for name, response in answers.items():
        assert response.headers.get("Cache-Control") == "no-store", name
    assert board.status_code == 200 and "no-store" not in board.headers.get("Cache-Control", "")
