"""A refused public page is a page for a browser, and JSON for every other client.

A resident opens the board from a link on paper or an old bookmark; a wrong fund, period or
page cursor used to show the API's JSON body on the phone."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from ledger.api import create_app
from ledger.config import Settings
from tests.api.conftest import views_reach

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
NO_FUND = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def client(example, database_url):
    app = create_app(Settings(database_url=database_url), ledger=example.app)
    with TestClient(app) as client:
        views_reach(client, example.app.recorder.max_notification_id())
        yield client


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        (f"/board/{NO_FUND}/2024-Q3", 404, "基金不存在"),
        ("/board/{fund}/2024-13", 422, "不是有效的会计期间"),
        ("/board/{fund}/2024-Q3?after=xx", 422, "翻页参数 after 无效"),
        ("/board/{fund}/2024-Q3?limit=abc", 422, "链接中的参数不对"),
        ("/board/{fund}/2024-Q3/nothing/here", 404, "没有这一页"),
    ],
    ids=["unknown fund", "not a period", "stale cursor", "bad limit", "no such page"],
)
def test_a_browser_gets_a_page_in_both_languages_with_a_way_back_when_a_public_page_is_refused(
    client, example, path, status, words
):
    page = client.get(path.format(fund=example.fund), headers=BROWSER)

    assert page.status_code == status
    assert page.headers["content-type"].startswith("text/html")
    assert words in page.text and "This page cannot be shown" in page.text
    assert '<a class="back" href="/">返回公示栏首页' in page.text
    assert '"error"' not in page.text  # no JSON body


def test_other_clients_and_the_board_files_still_get_the_json_refusal(client, example):
    cursor = f"/board/{example.fund}/2024-Q3?after=xx"

    for answer in (
        client.get(cursor),  # no Accept: an API client
        client.get(cursor, headers={"Accept": "application/json"}),
        client.get(cursor, headers={"Accept": "*/*"}),  # curl
        client.get(cursor, headers={"Accept": "text/html;q=0.5, application/json"}),  # prefers JSON
        client.get(cursor, headers={"Accept": "text/html;q=0"}),  # refuses HTML
        client.get(cursor, headers={"Accept": "text/html;q=nan"}),  # a malformed weight
        client.get(f"/board/{example.fund}/2024-Q3.json?after=xx", headers=BROWSER),  # a file
        client.get(f"/funds/{example.fund}/statements/2024-Q3?after=xx", headers=BROWSER),  # the API
    ):
        assert answer.status_code in (401, 422)
        assert answer.headers["content-type"].startswith("application/json")
        assert answer.json()["error"]["code"] in ("statement_cursor_invalid", "authentication_required")


def test_a_hostile_cursor_is_shown_escaped_on_the_refusal_page(client, example):
    page = client.get(
        f"/board/{example.fund}/2024-Q3", params={"after": "<script>alert(1)</script>"}, headers=BROWSER
    )

    assert page.status_code == 422
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;" in page.text


@pytest.mark.parametrize(
    "accept",
    [
        "text/html",
        "application/json;q=0.5, text/html",
        "TEXT/HTML;q=0.9, application/json;q=0.9",
        BROWSER["Accept"],
    ],
)
def test_a_client_that_prefers_html_gets_the_page_whatever_the_order_of_its_accept_header(
    client, example, accept
):
    page = client.get(f"/board/{example.fund}/2024-Q3?after=xx", headers={"Accept": accept})

    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
