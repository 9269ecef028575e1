"""The mutual-aid roll's console page in a real browser (issue 21 item 1): a bookkeeper opens it
from the fund's page and reads who paid this year with the paying voucher, who owes, and who is
behind — checked against the roll's read model; a member of the branch gets the 403 page."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from ledger.application import shanghai_today
from ledger.application.bootstrap import build_ledger, build_views
from ledger.config import Settings
from ledger.projections import roll, runner
from tests.e2e.server import ESTABLISHED_ON, SEED_ACTOR, add_user, running_server, seed


@pytest.fixture
def store(database_url):
    world = seed(database_url)
    tokens = {
        "bookkeeper": add_user(database_url, world.bookkeeper_person, "bookkeeper", world.branch),
        "member": add_user(database_url, world.member, "member", world.branch),
    }
    today = shanghai_today()
    ledger = build_ledger(Settings(database_url=database_url))
    try:
        ledger.set_roll_contribution(
            world.fund,
            actor=SEED_ACTOR,
            year=today.year,
            amount_fen=1_000,
            due_on=date(today.year, 1, 1),
            charter_ref="互助会章程第五条",
        )
        for person in (world.member, world.auditor_person):
            ledger.enrol_in_roll(world.fund, actor=SEED_ACTOR, person_id=person, enrolled_on=ESTABLISHED_ON)
        voucher = ledger.pay_roll_contribution(
            world.fund,
            actor=SEED_ACTOR,
            person_id=world.member,
            year=today.year,
            occurred_on=today,
            amount_fen=1_000,
            doc_refs=["收据HZ-1"],
        ).result["voucher_no"]
    finally:
        ledger.close()
    views = build_views(Settings(database_url=database_url))
    yield world, tokens, views, voucher
    views.close()


def _sign_in(tab: Page, base_url: str, token: str) -> None:
    tab.goto(f"{base_url}/console")
    tab.wait_for_url(re.compile(r"/console/sign-in"))
    tab.fill("#token", token)
    tab.click("#sign-in-token")
    tab.wait_for_url(re.compile(r"/console$"))


def test_console_roll_shows_paid_owed_and_behind_from_the_fund_page_when_a_bookkeeper_opens_it(
    store, database_url, page: Page
):
    world, tokens, views, voucher = store
    runner.catch_up(views)
    statuses = {s.person_id: s for s in roll.statuses(views, world.fund, shanghai_today().year)}
    assert statuses[world.member].status == "paid" and statuses[world.auditor_person].status == "owed"
    with running_server(database_url) as base_url:
        _sign_in(page, base_url, tokens["bookkeeper"])
        page.goto(f"{base_url}/console/funds/{world.fund}")
        page.click("#roll-link")
        page.wait_for_url(re.compile(rf"/console/funds/{world.fund}/roll$"))
        paid = page.locator(f'#roll tr[data-person="{world.member}"]')
        expect(paid).to_have_class("paid")
        expect(paid.locator(".status")).to_have_text("已缴")
        expect(paid.locator("a")).to_have_text(voucher)
        expect(page.locator(f'#roll tr[data-person="{world.auditor_person}"] .status')).to_have_text("未缴")
        behind = page.locator("#roll-behind tr[data-person]")
        expect(behind).to_have_count(1)
        expect(behind).to_have_attribute("data-person", world.auditor_person)
        expect(page.locator("#roll-counts")).to_contain_text("2")
        assert "王小明" not in page.content()  # masked, as on the internal board

        page.context.clear_cookies()
        _sign_in(page, base_url, tokens["member"])
        response = page.goto(f"{base_url}/console/funds/{world.fund}/roll")
        assert response is not None and response.status == 403
