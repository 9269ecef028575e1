"""The console as an elderly bookkeeper uses it on a shared office PC, in chromium (issue 19):

- an amount typed six ways with a Chinese input method (figures, full-width, 。 as the point,
  a trailing 元, ¥ in front, capital numerals) is read back as the same fen, in figures and in
  capitals; what cannot be read is refused beside the field in plain Chinese with an example,
  the code only in the small details line; a full-width amount, confirmed, is what the books hold;
- after 退出登录 the Back button shows the sign-in page, not the books (``no-store``).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ledger.application import shanghai_today
from ledger.application.bootstrap import build_views
from ledger.config import Settings
from ledger.projections import queries, runner
from tests.e2e.server import add_user, running_server, seed

TYPED_WAYS = ("358.50", "３５８．５０", "358。50", "358.5元", "¥358.50", "叁佰伍拾捌元伍角")
FEN = 35_850
CAPITAL = "人民币叁佰伍拾捌元伍角整"


@pytest.fixture
def store(database_url):
    world = seed(database_url)
    return world, add_user(database_url, world.bookkeeper_person, "bookkeeper", world.branch)


def _sign_in(tab: Page, base_url: str, token: str) -> None:
    tab.goto(f"{base_url}/console")
    tab.wait_for_url(re.compile(r"/console/sign-in"))
    tab.fill("#token", token)
    tab.click("#sign-in-token")
    tab.wait_for_url(re.compile(r"/console$"))


def _check_donation(tab: Page, base_url: str, fund: str, amount: str) -> None:
    tab.goto(f"{base_url}/console/funds/{fund}/record/donation")
    tab.fill("#occurred_on", shanghai_today().isoformat())
    tab.fill("#amount", amount)
    tab.select_option("#donor_kind", "resident")
    tab.fill("#donor_name", "热心居民")
    tab.fill("#doc_refs", "收据001")
    tab.click("#check")


def test_an_amount_typed_six_ways_is_read_back_as_the_same_fen_when_checked_in_the_browser(
    store, database_url, page, tmp_path
):
    world, token = store
    with running_server(database_url) as base_url:
        _sign_in(page, base_url, token)
        for number, typed in enumerate(TYPED_WAYS, start=1):
            _check_donation(page, base_url, world.fund, typed)
            expect(page.locator("#confirm-amount")).to_have_attribute("data-fen", str(FEN))
            expect(page.locator("#confirm-amount")).to_contain_text("358.50")
            expect(page.locator("#confirm-capital")).to_have_text(CAPITAL)
            page.screenshot(path=tmp_path / f"{number:02d}-read-back.png", full_page=True)

        # what cannot be read: refused beside the field, plain words and an example, no code chip
        _check_donation(page, base_url, world.fund, "三百五十八块")
        error = page.locator("#field-amount .field-error")
        expect(error).to_have_attribute("data-code", "amount_not_understood")
        headline = error.locator(".message").inner_text()
        assert "358.50" in headline and "叁佰伍拾捌元伍角" in headline
        assert "amount" not in headline and "分" not in headline
        expect(error.locator(".details")).to_have_text("amount_not_understood")
        assert page.locator("#amount").input_value() == "三百五十八块"  # what was typed, kept
        page.screenshot(path=tmp_path / "07-refused.png", full_page=True)

        # a full-width amount, confirmed: the books hold 358.50
        _check_donation(page, base_url, world.fund, "３５８．５０")
        page.click("#confirm")
        page.wait_for_url(re.compile(r"/vouchers/"))

    views = build_views(Settings(database_url=database_url))
    try:
        runner.catch_up(views)
        assert queries.fund_balance(views, world.fund).balance_fen == FEN
    finally:
        views.close()


def test_back_after_sign_out_shows_the_sign_in_page_when_the_books_were_open(store, database_url, page):
    world, token = store
    with running_server(database_url) as base_url:
        _sign_in(page, base_url, token)
        page.goto(f"{base_url}/console/funds/{world.fund}")
        expect(page.locator("h1")).to_have_text("党员互助金")
        page.click("#sign-out")
        page.wait_for_url(re.compile(r"/console/sign-in"))

        page.go_back()
        page.wait_for_load_state()
        expect(page).to_have_url(re.compile(r"/console/sign-in"))
        expect(page.locator("#token")).to_be_visible()
        assert "党员互助金" not in page.content()
