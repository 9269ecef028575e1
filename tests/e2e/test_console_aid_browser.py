"""An aid case in a real browser: Playwright drives Debian's chromium against a real
``fundbook serve`` whose business date moves through ``FUNDBOOK_TODAY_FILE`` (ADR 0030).
The case is applied with the Ledger in the setup (800.00: two signatures); two approvers each
sign it in the browser (two sign-ins), the cashier is refused inside the notice window with
``aid_notice_window_open`` beside the date, the window passes, and the cashier pays after
reading the amount back in capital numerals. Each step is checked against the read models;
screenshots go to the test's tmp_path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ledger.application.bootstrap import build_ledger, build_views
from ledger.config import Settings
from ledger.projections import queries, runner
from tests.e2e.server import SEED_ACTOR, add_user, running_server, seed
from tests.e2e.test_console_browser import _sign_in

DONATED_FEN = 100_000
REQUESTED_FEN = 80_000
CAPITAL = "人民币捌佰元整"


@pytest.fixture
def aid_store(database_url, tmp_path: Path):
    today = tmp_path / "today"
    today.write_text("2026-03-02", encoding="utf-8")
    books = seed(database_url)
    ledger = build_ledger(Settings(database_url=database_url, today_file=str(today)))
    try:
        people = {
            key: ledger.register_person(actor=SEED_ACTOR, name_zh=name)["person_id"]
            for key, name in (("approver1", "周书记"), ("approver2", "吴委员"), ("cashier", "钱出纳"))
        }
        ledger.record(
            books.fund,
            "receive_donation",
            actor=SEED_ACTOR,
            occurred_on=ledger.today(),
            amount_fen=DONATED_FEN,
            donor_kind="member",
            donor_person_id=books.member,
            doc_refs=["收据 0001"],
        )
        case_id = ledger.apply_for_aid(
            actor=SEED_ACTOR,
            fund_id=books.fund,
            beneficiary_person_id=books.member,
            applicant_person_id=books.member,
            aid_kind="hospitalisation",
            requested_fen=REQUESTED_FEN,
            reason_private="住院手术，自付部分较多",
            reason_public_category="慰问因病住院党员",
            evidence_refs=["住院发票-001"],
        )["case_id"]
    finally:
        ledger.close()
    tokens = {
        "approver1": add_user(database_url, people["approver1"], "approver", books.community),
        "approver2": add_user(database_url, people["approver2"], "approver", books.branch),
        "cashier": add_user(database_url, people["cashier"], "cashier", books.branch),
    }
    views = build_views(Settings(database_url=database_url))
    yield books, case_id, tokens, today, views
    views.close()


def _sign_as(tab: Page, base_url: str, token: str) -> None:
    tab.context.clear_cookies()
    _sign_in(tab, base_url, token)


def test_two_approvers_sign_and_a_cashier_pays_an_aid_case_in_the_browser_after_its_notice_window(
    aid_store, database_url, page, tmp_path
):
    books, case_id, tokens, today, views = aid_store

    def case() -> dict:
        runner.catch_up(views)
        return queries.aid_case(views, case_id)

    def balance() -> queries.FundBalance:
        runner.catch_up(views)
        return queries.fund_balance(views, books.fund)

    with running_server(database_url, {"FUNDBOOK_TODAY_FILE": str(today)}) as base_url:
        # the first approver: the case waits on the home page; one signature of two
        _sign_as(page, base_url, tokens["approver1"])
        expect(page.locator(f'#aid-to-sign tr[data-case="{case_id}"]')).to_be_visible()
        page.screenshot(path=tmp_path / "01-waiting-to-sign.png", full_page=True)
        page.click(f'#aid-to-sign tr[data-case="{case_id}"] a')
        expect(page.locator("#case-capital")).to_have_text(CAPITAL)
        assert "住院手术" not in page.content()
        page.click("#sign")
        page.wait_for_url(re.compile(rf"/aid-cases/{case_id}\?position="))
        expect(page.locator("#case-signatures")).to_contain_text("1/2")
        assert (case()["status"], len(case()["signed_by"])) == ("applied", 1)
        page.screenshot(path=tmp_path / "02-first-signature.png", full_page=True)

        # the second approver signs in: the case is approved and the money reserved
        _sign_as(page, base_url, tokens["approver2"])
        page.goto(f"{base_url}/console/aid-cases/{case_id}")
        page.click("#sign")
        page.wait_for_url(re.compile(rf"/aid-cases/{case_id}\?position="))
        expect(page.locator("#case-status")).to_have_attribute("data-status", "approved")
        expect(page.locator("#case-window-end")).to_have_text("2026-03-08")
        assert case()["status"] == "approved" and balance().reserved_fen == REQUESTED_FEN
        page.screenshot(path=tmp_path / "03-approved.png", full_page=True)

        # the cashier inside the notice window: the domain's refusal beside the date, nothing paid
        _sign_as(page, base_url, tokens["cashier"])
        page.goto(f"{base_url}/console/aid-cases/{case_id}/pay")
        page.fill("#doc_refs", "签收单-001")
        page.click("#check")
        expect(page.locator("#field-paid_on .field-error")).to_have_attribute(
            "data-code", "aid_notice_window_open"
        )
        assert case()["status"] == "approved" and balance().balance_fen == DONATED_FEN
        page.screenshot(path=tmp_path / "04-window-open.png", full_page=True)

        # the window passes: the case waits for the cashier; read back in capitals, then paid
        today.write_text("2026-03-09", encoding="utf-8")
        page.goto(f"{base_url}/console")
        expect(page.locator(f'#aid-to-pay tr[data-case="{case_id}"]')).to_be_visible()
        page.goto(f"{base_url}/console/aid-cases/{case_id}")
        page.click("#pay-link")
        expect(page.locator("#paid_on")).to_have_value("2026-03-09")
        page.fill("#doc_refs", "签收单-001")
        page.click("#check")
        expect(page.locator("#confirm-capital")).to_have_text(CAPITAL)
        expect(page.locator("#confirm-amount")).to_have_text("800.00")
        assert case()["status"] == "approved"
        page.screenshot(path=tmp_path / "05-pay-read-back.png", full_page=True)
        page.click("#confirm")
        page.wait_for_url(re.compile(rf"/aid-cases/{case_id}\?position="))
        expect(page.locator("#case-status")).to_have_attribute("data-status", "paid")
        paid = case()
        assert (paid["status"], paid["paid_on"]) == ("paid", "2026-03-09") and paid["voucher_no"]
        after = balance()
        assert (after.balance_fen, after.reserved_fen) == (DONATED_FEN - REQUESTED_FEN, 0)
        page.screenshot(path=tmp_path / "06-paid.png", full_page=True)

    assert all((tmp_path / f).stat().st_size > 5_000 for f in ("02-first-signature.png", "06-paid.png"))
