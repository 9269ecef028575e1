"""The custodians' console in a real browser: Playwright drives Debian's chromium against a
real ``fundbook serve``. A bookkeeper signs in with the token ``fundbook user add`` printed,
records a donation (confirming the amount read back in capital numerals), sends the same form
twice, types a bad amount, reverses the donation, closes the month and opens its notice; then
runs the branch's collection (集资) from the home page: assesses it, takes a fee, settles it
after reading the refund back in capitals, and closes it; a member gets the 403 page for
the form and a voucher, and reads the fund's balances and this month's internal board. Each step
is checked against the read models; screenshots go to the test's tmp_path."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from ledger.application import shanghai_today
from ledger.application.bootstrap import build_ledger, build_views
from ledger.config import Settings
from ledger.domain.periods import period_of
from ledger.projections import queries, runner
from tests.e2e.server import ESTABLISHED_ON, SEED_ACTOR, add_user, running_server, seed

AMOUNT = "1680.32"
AMOUNT_FEN = 168_032
CAPITAL = "人民币壹仟陆佰捌拾元零叁角贰分"


@pytest.fixture
def store(database_url):
    world = seed(database_url)
    tokens = {
        "bookkeeper": add_user(database_url, world.bookkeeper_person, "bookkeeper", world.branch),
        "member": add_user(database_url, world.member, "member", world.branch),
    }
    ledger = build_ledger(Settings(database_url=database_url))
    try:
        pool = ledger.establish_fund(
            actor=SEED_ACTOR,
            owner_org_id=world.branch,
            kind="collection",
            name_zh="乒乓球台集资",
            allowed_purposes=["ping_pong_table"],
            custody={"kind": "cash_box"},
            established_on=ESTABLISHED_ON,
        )["fund_id"]
    finally:
        ledger.close()
    views = build_views(Settings(database_url=database_url))
    yield world, tokens, views, pool
    views.close()


def _fresh(views):
    runner.catch_up(views)
    return views


def _sign_in(tab: Page, base_url: str, token: str) -> None:
    tab.goto(f"{base_url}/console")
    tab.wait_for_url(re.compile(r"/console/sign-in"))
    tab.fill("#token", token)
    tab.click("#sign-in-token")
    tab.wait_for_url(re.compile(r"/console$"))


def _confirm_twice(tab: Page, landed: re.Pattern) -> None:
    """Double-click the check page's confirm, then send that confirm form once more, as Back
    and confirm again did before console pages were no-store (Back to a POST's page now asks
    to resend it): every send carries the same one-time key."""
    form = tab.eval_on_selector(
        "#confirm", "b => ({action: b.form.action, fields: Object.fromEntries(new FormData(b.form))})"
    )
    tab.locator("#confirm").dblclick()
    # The second click's send aborts the first one's navigation, and ``wait_for_url`` ends with
    # that abort (net::ERR_ABORTED) when it happens while it waits: poll the address instead.
    expect(tab).to_have_url(landed)
    tab.wait_for_load_state()
    with tab.expect_navigation():  # the resend below has landed before the caller looks
        _resend(tab, form)


def _resend(tab: Page, form: dict) -> None:
    tab.evaluate(
        """({action, fields}) => {
            const f = document.createElement("form");
            f.method = "post";
            f.action = action;
            for (const [name, value] of Object.entries(fields)) {
                const input = document.createElement("input");
                input.type = "hidden";
                input.name = name;
                input.value = value;
                f.appendChild(input);
            }
            document.body.appendChild(f);
            f.submit();
        }""",
        form,
    )


def _fill_donation(tab: Page, base_url: str, fund: str, member: str, day: str, amount: str) -> None:
    tab.goto(f"{base_url}/console/funds/{fund}/record/donation")
    tab.fill("#occurred_on", day)
    tab.fill("#amount", amount)
    tab.select_option("#donor_kind", "member")
    tab.select_option("#donor_person_id", member)
    tab.fill("#doc_refs", "收据001")
    tab.click("#check")


def test_a_bookkeeper_records_reverses_and_closes_in_the_browser_checked_against_the_read_models(
    store, database_url, page, tmp_path
):
    world, tokens, views, pool = store
    fund = world.fund
    last_month = period_of(shanghai_today().replace(day=1) - timedelta(days=1))
    day = f"{last_month}-15"

    def journal_count() -> int:
        return queries.journal(_fresh(views), fund, page_size=1).count

    def balance_fen() -> int:
        return queries.fund_balance(_fresh(views), fund).balance_fen

    with running_server(database_url) as base_url:
        _sign_in(page, base_url, tokens["bookkeeper"])
        expect(page.locator(f'tr[data-fund="{fund}"]')).to_be_visible()
        page.screenshot(path=tmp_path / "01-home.png", full_page=True)

        # a donation, read back in capitals, then confirmed
        _fill_donation(page, base_url, fund, world.member, day, AMOUNT)
        expect(page.locator("#confirm-capital")).to_have_text(CAPITAL)
        expect(page.locator("#confirm-counterparty")).to_have_text("王*明")
        assert balance_fen() == 0
        page.screenshot(path=tmp_path / "02-read-back.png", full_page=True)
        page.click("#confirm")
        page.wait_for_url(re.compile(r"/vouchers/"))
        voucher = page.locator("#voucher-no").inner_text()
        assert balance_fen() == AMOUNT_FEN and journal_count() == 1
        page.screenshot(path=tmp_path / "03-recorded.png", full_page=True)

        # the same form sent twice (a double click, then sent again): one entry
        _fill_donation(page, base_url, fund, world.member, day, "20")
        _confirm_twice(page, re.compile(r"/vouchers/"))
        page.wait_for_url(re.compile(r"/vouchers/.*replayed=1"))
        expect(page.locator("#replayed")).to_be_visible()
        assert journal_count() == 2 and balance_fen() == AMOUNT_FEN + 2_000
        page.screenshot(path=tmp_path / "04-replayed.png", full_page=True)

        # a bad amount: its code beside the field, what was typed kept
        _fill_donation(page, base_url, fund, world.member, day, "12.345")
        expect(page.locator("#field-amount .field-error")).to_have_attribute(
            "data-code", "amount_too_many_decimals"
        )
        assert page.locator("#amount").input_value() == "12.345"
        assert journal_count() == 2
        page.screenshot(path=tmp_path / "05-bad-amount.png", full_page=True)

        # reverse the donation: the original beside its negation, a reason required
        page.goto(f"{base_url}/console/funds/{fund}/vouchers/{voucher}")
        page.click("#reverse-link")
        page.fill("#occurred_on", day)
        page.fill("#reason", "金额录错")
        page.click("#check")
        expect(page.locator("#negation")).to_contain_text("-1,680.32")
        page.screenshot(path=tmp_path / "06-reverse.png", full_page=True)
        page.click("#confirm")
        page.wait_for_url(re.compile(r"/vouchers/"))
        expect(page.locator("#entry-kind")).to_have_attribute("data-kind", "reversal")
        assert balance_fen() == 2_000 and journal_count() == 3

        # close last month: the statement preview with capitals, then the public notice
        page.goto(f"{base_url}/console/funds/{fund}/close")
        page.select_option("#period-choice", last_month)
        page.click("form[method=get] button")
        expect(page.locator("#st-closing")).to_have_text("20.00")
        expect(page.locator("#capitals")).to_contain_text("人民币贰拾元整")
        page.screenshot(path=tmp_path / "07-close-preview.png", full_page=True)
        page.check("#confirm_irreversible")  # "cannot be undone" (issue 19)
        page.click("#close")
        page.wait_for_url(re.compile(f"/closed/{last_month}"))
        closes = _fresh(views).fetch(
            "SELECT closing_fen FROM v_period_close WHERE fund_id = ? AND period = ?", (fund, last_month)
        )
        assert [int(c) for (c,) in closes] == [2_000]
        page.click("#notice-link")
        page.wait_for_url(re.compile(f"/board/{fund}/{last_month}$"))
        expect(page.locator("#capitals")).to_contain_text("人民币贰拾元整")
        page.screenshot(path=tmp_path / "08-notice.png", full_page=True)

        # the collection: assessed over two people, one fee, settled (the refund read back in
        # capitals first), closed — each step checked against v_fee and v_collection_status
        def fees() -> list[tuple[int, int, int]]:
            rows = queries.collection_members(_fresh(views), pool)
            return [(r.owed_fen, r.paid_fen, r.refunded_fen) for r in rows]

        page.goto(f"{base_url}/console")
        page.click(f'tr[data-fund="{pool}"] a.collection-link')
        page.click("#assess-link")
        page.fill("#amount", "100.00")
        page.check(f'input[name="participant_{world.member}"]')
        page.check(f'input[name="participant_{world.auditor_person}"]')
        page.click("#check")
        expect(page.locator("#confirm-capital")).to_have_text("人民币壹佰元整")
        page.click("#confirm")
        page.wait_for_url(re.compile(rf"/collections/{pool}\?position="))
        assert sorted(fees()) == [(5_000, 0, 0), (5_000, 0, 0)]
        page.click("#fee-link")
        page.fill("#amount", "50.00")
        page.select_option("#person_id", world.member)
        page.fill("#doc_refs", "收据F-1")
        page.click("#check")
        expect(page.locator("#confirm-capital")).to_have_text("人民币伍拾元整")
        page.click("#confirm")
        page.wait_for_url(re.compile(r"/vouchers/"))
        page.goto(f"{base_url}/console/collections/{pool}")
        expect(page.locator("#preview-capital")).to_have_text("人民币伍拾元整")
        page.click("#settle-link")
        page.fill("#doc_refs", "结算表")
        page.click("#check")
        expect(page.locator("#confirm-capital")).to_have_text("人民币伍拾元整")
        expect(page.locator(f'#preview-refunds tr[data-person="{world.member}"] .refund')).to_have_text(
            "50.00"
        )
        assert queries.collection_status(_fresh(views), pool) == "open"
        page.screenshot(path=tmp_path / "10-settlement-read-back.png", full_page=True)
        page.click("#confirm")
        page.wait_for_url(re.compile(rf"/collections/{pool}\?position="))
        expect(page.locator("#collection-status")).to_have_attribute("data-status", "settled")
        assert (5_000, 5_000, 5_000) in fees() and queries.fund_balance(_fresh(views), pool).balance_fen == 0
        page.click("#close-collection")
        page.wait_for_url(re.compile(rf"/collections/{pool}\?position="))
        expect(page.locator("#collection-status")).to_have_attribute("data-status", "closed")
        assert queries.collection_status(_fresh(views), pool) == "closed"
        page.screenshot(path=tmp_path / "11-collection-closed.png", full_page=True)

        # a member without the bookkeeper role: the 403 page, not the form
        page.context.clear_cookies()
        _sign_in(page, base_url, tokens["member"])
        page.goto(f"{base_url}/console/funds/{fund}/record/donation")
        expect(page.locator("#error-code")).to_have_text("role_required")
        assert page.locator("#entry-form").count() == 0
        page.screenshot(path=tmp_path / "09-forbidden.png", full_page=True)

        # the member's fund page: balances and this month's internal board, not the vouchers
        # (ADR 0013); the voucher itself is the 403 page
        page.goto(f"{base_url}/console/funds/{fund}")
        expect(page.locator("#member-reads")).to_be_visible()
        assert page.locator("#recent").count() == 0 and page.locator('a[href*="/vouchers/"]').count() == 0
        page.click("#internal-board-link")
        page.wait_for_url(re.compile(rf"/console/funds/{fund}/board/{period_of(shanghai_today())}$"))
        expect(page.locator("main.board")).to_have_attribute("data-audience", "internal")
        page.screenshot(path=tmp_path / "12-member-internal-board.png", full_page=True)
        page.goto(f"{base_url}/console/funds/{fund}/vouchers/{voucher}")
        expect(page.locator("#error-code")).to_have_text("role_required")

    assert all((tmp_path / f).stat().st_size > 5_000 for f in ("02-read-back.png", "08-notice.png"))
