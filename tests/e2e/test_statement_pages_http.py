"""Pages of long statements (ADR 0175) through a real ``fundbook serve`` over real HTTP: the
API's ``next_link`` and the noticeboard's 下一页/上一页 links (plain links: followed here by
HTTP, and clicked in chromium with JavaScript off) walk every voucher of the period once, with
the running balances of the whole statement. SQLite or PostgreSQL, as ``database_url`` gives."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import httpx
import pytest
from playwright.sync_api import Browser

from ledger.application.bootstrap import build_ledger
from ledger.config import Settings
from tests.e2e.server import SEED_ACTOR, add_user, running_server, seed

PERIOD = "2025-03"
DAYS = 14
LIMIT = 5  # three donations a day: pages of one day, the rest of a day going on to the next page


@pytest.fixture
def served(database_url):
    books = seed(database_url)
    ledger = build_ledger(Settings(database_url=database_url))
    try:
        for day in range(1, DAYS + 1):
            for n in range(3):
                ledger.record(
                    books.fund,
                    "receive_donation",
                    actor=SEED_ACTOR,
                    occurred_on=date(2025, 3, day),
                    amount_fen=10_000 + day * 100 + n,
                    donor_kind="resident",
                    donor_name="热心居民",
                    doc_refs=["收据"],
                )
    finally:
        ledger.close()
    token = add_user(database_url, books.auditor_person, "auditor", books.community)
    with running_server(database_url) as base_url, httpx.Client(base_url=base_url, timeout=15.0) as client:
        yield client, books, {"Authorization": f"Bearer {token}"}, base_url


def test_api_statement_pages_walk_every_voucher_when_following_next_link_over_http(served):
    client, books, headers, _ = served
    url = f"/funds/{books.fund}/statements/{PERIOD}"
    whole = client.get(url, headers=headers).json()
    assert whole["row_count"] == len(whole["rows"]) == DAYS * 3
    body, rows, pages = client.get(url, params={"limit": LIMIT}, headers=headers).json(), [], 0
    while True:
        pages += 1
        assert body["closing"] == whole["closing"] and len(body["rows"]) <= LIMIT
        rows += body["rows"]
        if body["next_link"] is None:
            break
        body = client.get(body["next_link"], headers=headers).json()
    assert pages == -(-DAYS * 3 // LIMIT)
    assert rows == whole["rows"]


def links(html: str) -> dict[str, str]:
    found = re.findall(r'<a id="(prev-page|next-page)"[^>]* href="([^"]+)"', html)
    return {name: unescape(href) for name, href in found}


def balances(html: str) -> list[str]:
    return re.findall(
        r'<tr class="(?:entry|donors)">.*?<td class="amount balance"[^>]*>([^<]*)</td>', html, re.S
    )


def test_board_pages_walk_every_line_when_following_the_page_links_over_http(served):
    client, books, _, _ = served
    whole = client.get(f"/board/{books.fund}/{PERIOD}").text
    assert 'id="pages"' not in whole  # 42 vouchers fit in one page of the default 500
    page = client.get(f"/board/{books.fund}/{PERIOD}", params={"limit": LIMIT}).text
    seen, visited = balances(page), [page]
    while "next-page" in links(page):
        page = client.get(links(page)["next-page"]).text
        assert "上一页" in page and "本期结余" in page and "（大写）" in page
        seen += balances(page)
        visited.append(page)
    assert seen == balances(whole) and len(visited) > 2
    back = client.get(links(visited[1])["prev-page"]).text
    assert balances(back) == balances(visited[0])


def test_board_page_links_work_in_a_browser_without_javascript_when_clicked(served, browser: Browser):
    _, books, _, base_url = served
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1200, "height": 900})
    try:
        tab = context.new_page()
        tab.goto(f"{base_url}/board/{books.fund}/{PERIOD}?limit={LIMIT}")
        first = tab.locator("td.amount.balance").all_inner_texts()
        tab.get_by_role("link", name="下一页").click()
        assert "after=" in tab.url
        second = tab.locator("td.amount.balance").all_inner_texts()
        assert second != first
        box = tab.get_by_role("link", name="上一页").bounding_box()
        assert box is not None and box["height"] >= 44  # a finger's size
        tab.get_by_role("link", name="上一页").click()
        assert tab.locator("td.amount.balance").all_inner_texts() == first
    finally:
        context.close()
