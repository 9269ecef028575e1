"""The noticeboard in a real browser: Playwright drives Debian's chromium against a real
``fundbook serve`` holding the demo. It opens the index, follows the link to a quarterly
statement, and checks the rows, totals and capital numerals against the read models, and
that no recipient without consent is named. Screenshots go to the test's tmp_path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from ledger.bootstrap import build_ledger, build_views
from ledger.config import Settings
from ledger.demo import load_demo
from ledger.money import format_amount, parse_amount, to_capital
from ledger.projections import queries, runner
from tests.e2e.server import running_server

CHROMIUM = Path("/usr/bin/chromium")
PERIOD = "2024-Q3"


@pytest.fixture
def demo_store(database_url):
    ledger = build_ledger(Settings(database_url=database_url))
    try:
        demo = load_demo(ledger)
    finally:
        ledger.close()
    views = build_views(Settings(database_url=database_url))
    runner.catch_up(views)
    yield demo, views
    views.close()


@pytest.fixture
def page():
    assert CHROMIUM.exists(), "scripts/install-dev installs Debian's chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield browser.new_page(viewport={"width": 1200, "height": 900})
        finally:
            browser.close()


def _fen(text: str) -> int:
    return parse_amount(text, allow_zero=True, allow_negative=True) if text.strip() else 0


def _table(page: Page) -> list[tuple[str, list[str]]]:
    rows = []
    for tr in page.locator("#statement tbody tr").all():
        rows.append(
            (tr.get_attribute("class") or "", [td.inner_text().strip() for td in tr.locator("td").all()])
        )
    return rows


def test_the_board_in_a_browser_matches_the_read_models_and_names_no_one_without_consent(
    demo_store, database_url, page, tmp_path
):
    demo, views = demo_store
    fund = demo.funds["mutual_aid"]
    expected = queries.statement(views, fund, PERIOD)

    with running_server(database_url) as base_url:
        page.goto(f"{base_url}/")
        assert page.locator(f'li.fund[data-fund="{fund}"]').count() == 1
        page.screenshot(path=tmp_path / "index.png", full_page=True)
        page.locator(f'a[href="/board/{fund}/{PERIOD}"]').click()
        page.wait_for_url(re.compile(f"/board/{fund}/{PERIOD}$"))
        page.screenshot(path=tmp_path / "statement.png", full_page=True)
        rows = _table(page)
        capitals = [li.inner_text() for li in page.locator("#capitals li").all()]
        body = page.locator("body").inner_text()

    kinds = [kind for kind, _ in rows]
    assert kinds[0] == "opening" and kinds[-2:] == ["totals", "closing"]
    assert _fen(rows[0][1][6]) == expected.opening_fen
    balance = expected.opening_fen
    for _, cells in rows[1:-2]:
        balance += _fen(cells[4]) - _fen(cells[5])
        assert _fen(cells[6]) == balance, cells
    entries = rows[1:-2]
    assert sum(_fen(c[4]) for _, c in entries) == expected.income_fen == _fen(rows[-2][1][4])
    assert sum(_fen(c[5]) for _, c in entries) == expected.expense_fen == _fen(rows[-2][1][5])
    assert _fen(rows[-1][1][6]) == expected.closing_fen
    assert (
        f"其中银行存款{format_amount(expected.bank_fen)}，库存现金{format_amount(expected.cash_fen)}"
        in rows[-1][1][8]
    )
    assert capitals == [
        f"{label}（大写）{to_capital(fen)}"
        for label, fen in (
            ("上期结余", expected.opening_fen),
            ("本期收入", expected.income_fen),
            ("本期支出", expected.expense_fen),
            ("本期结余", expected.closing_fen),
        )
    ]
    people = views.fetch("SELECT name_zh, public_notice FROM v_person")
    consented = {name for name, public in people if public}
    unconsented = {name for name, public in people if not public} - consented
    assert unconsented, "the demo has members without consent"
    assert [name for name in unconsented if name in body] == []
    assert "*" in body  # masked recipients are shown
    assert (tmp_path / "statement.png").stat().st_size > 10_000
