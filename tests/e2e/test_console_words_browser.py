"""The console in plain words and with the right person, in chromium (issue 19 items 1, 3, 6):

- two members named 刘玉永, one in each branch: the bookkeeper finds them by typing ``lyy``,
  picks the one of the second branch by its label, reads her full name on the check step, and
  the books record that person, not her namesake;
- an overdraft and an entry dated in a closed month are refused in plain Chinese: what is wrong
  in yuan with capitals and what to do instead, no code chip and no fen;
- the close step lists the vouchers it seals, and a close without the "cannot be undone" box
  ticked is refused with a clear message; ticked, the month is closed.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from ledger.application import shanghai_today
from ledger.application.bootstrap import build_ledger, build_views
from ledger.config import Settings
from ledger.domain.periods import period_of
from ledger.projections import runner
from tests.e2e.server import ESTABLISHED_ON, SEED_ACTOR, add_user, running_server, seed

TODAY = shanghai_today()
LAST_MONTH_DAY = TODAY.replace(day=1) - timedelta(days=1)  # a day of the month still open
OPEN_MONTH = period_of(LAST_MONTH_DAY)
CLOSED_MONTH = period_of(LAST_MONTH_DAY.replace(day=1) - timedelta(days=1))
BALANCE_FEN = 814_740  # 8,147.40: the example


@pytest.fixture
def store(database_url):
    """The seed, a second branch, two 刘玉永 (one per branch), 8,147.40 in the bank, the books
    closed through the month before last, and the bookkeeper's token."""
    world = seed(database_url)
    ledger = build_ledger(Settings(database_url=database_url))
    try:
        second = ledger.register_organisation(
            actor=SEED_ACTOR,
            kind="branch",
            name_zh="第二离退休党支部",
            parent_org_id=world.community,
            established_on=ESTABLISHED_ON,
        )["org_id"]
        twins = {}
        for key, branch in (("first", world.branch), ("second", second)):
            twins[key] = ledger.register_person(actor=SEED_ACTOR, name_zh="刘玉永")["person_id"]
            ledger.change_person(
                twins[key],
                "join_branch",
                actor=SEED_ACTOR,
                org_id=branch,
                effective_on=ESTABLISHED_ON,
                membership_status="full",
                category="retired",
            )
        ledger.record(
            world.fund,
            "receive_grant",
            actor=SEED_ACTOR,
            occurred_on=LAST_MONTH_DAY.replace(day=1),
            amount_fen=BALANCE_FEN,
            grant_kind="dues_rebate",
            grantor_name="街道党工委",
            doc_refs=["拨款通知"],
        )
        ledger.close_periods_through(world.fund, actor=SEED_ACTOR, period=CLOSED_MONTH)
    finally:
        ledger.close()
    token = add_user(database_url, world.bookkeeper_person, "bookkeeper", world.branch)
    return world, twins, token


def _sign_in(tab: Page, base_url: str, token: str) -> None:
    tab.goto(f"{base_url}/console")
    tab.fill("#token", token)
    tab.click("#sign-in-token")
    tab.wait_for_url(re.compile(r"/console$"))


def _headline(tab: Page, field: str) -> str:
    """The refusal beside ``field``: its message, after checking no code chip heads it."""
    error = tab.locator(f"#field-{field} .field-error, #form-error .field-error").first
    expect(error).to_be_visible()
    message = error.locator(".message").inner_text()
    assert not re.search(r"[a-z]+_[a-z_]+", message), message  # no code in the words
    assert not re.search(r"\d\s*分|fen", message), message  # yuan, never fen
    return message


def _expense(tab: Page, base_url: str, fund: str, day: str, amount: str) -> None:
    tab.goto(f"{base_url}/console/funds/{fund}/record/expense")
    tab.fill("#occurred_on", day)
    tab.fill("#amount", amount)
    tab.select_option("#category", "hardship_aid")
    tab.fill("#payee", "困难党员")
    tab.fill("#handled_by", "李会计")
    tab.fill("#approved_by", "张书记")
    tab.fill("#doc_refs", "签收单1")
    tab.click("#check")


def test_a_namesake_is_picked_by_pinyin_search_and_refusals_read_in_plain_words_when_in_chromium(
    store, database_url, page, tmp_path
):
    world, twins, token = store
    with running_server(database_url) as base_url:
        _sign_in(page, base_url, token)
        page.goto(f"{base_url}/console/funds/{world.fund}/record/donation")
        page.fill("#occurred_on", TODAY.isoformat())
        page.fill("#amount", "50")
        page.select_option("#donor_kind", "member")
        page.fill("#doc_refs", "收据8")
        page.fill("#donor_person_id__q", "lyy")
        page.click("#donor_person_id__find")
        options = page.locator("#donor_person_id option").all_inner_texts()
        assert [o for o in options if o.startswith("刘玉永")] == [
            o for o in options if "登记号尾号" in o
        ] and len([o for o in options if o.startswith("刘玉永")]) == 2, options
        assert page.locator("#amount").input_value() == "50"  # what was typed, kept by the search
        tail = twins["second"].replace("-", "")[-4:].upper()
        page.select_option("#donor_person_id", label=f"刘玉永（第二离退休党支部 · 登记号尾号 {tail}）")
        page.screenshot(path=tmp_path / "01-found.png", full_page=True)
        page.click("#check")
        expect(page.locator("#confirm-person")).to_have_text(
            f"刘玉永（第二离退休党支部 · 登记号尾号 {tail}）"
        )
        expect(page.locator("#confirm-counterparty")).to_have_text("刘*永")
        page.screenshot(path=tmp_path / "02-check.png", full_page=True)
        page.click("#confirm")
        page.wait_for_url(re.compile(r"/vouchers/(\d{6}-\d{3})"))
        voucher = re.search(r"/vouchers/(\d{6}-\d{3})", page.url)[1]

        _expense(page, base_url, world.fund, TODAY.isoformat(), "9000")
        overdraft = _headline(page, "amount")
        assert "8,197.40 元" in overdraft and "捌仟壹佰玖拾柒元肆角" in overdraft, overdraft
        assert "请核对金额" in overdraft and "银行存款账户" in overdraft, overdraft
        page.screenshot(path=tmp_path / "03-overdraft.png", full_page=True)

        _expense(page, base_url, world.fund, f"{CLOSED_MONTH}-15", "10")
        closed = _headline(page, "occurred_on")
        assert f"{CLOSED_MONTH} 月已经结账" in closed and f"改到 {OPEN_MONTH} 或以后" in closed, closed
        assert "红字冲销" in closed, closed
        page.screenshot(path=tmp_path / "04-closed-month.png", full_page=True)

    views = build_views(Settings(database_url=database_url))
    try:
        runner.catch_up(views)
        donor = views.fetch("SELECT person_id FROM v_journal WHERE voucher_no = ?", (voucher,))
        assert donor == [(twins["second"],)]
    finally:
        views.close()


def test_the_close_step_lists_the_vouchers_and_closes_only_once_the_bookkeeper_ticks_cannot_be_undone(
    store, database_url, page, tmp_path
):
    world, _, token = store
    with running_server(database_url) as base_url:
        _sign_in(page, base_url, token)
        page.goto(f"{base_url}/console/funds/{world.fund}/close")
        expect(page.locator("#sealed-title")).to_contain_text(f"（{OPEN_MONTH} 至 {OPEN_MONTH}）：共 1 张")
        expect(page.locator("#sealed-vouchers")).to_contain_text("8,147.40")
        expect(page.locator("#close-warning")).to_contain_text("不能撤销")

        page.click("#close")  # the box not ticked
        refusal = _headline(page, "confirm_irreversible")
        assert "还没有结账" in refusal and "不能撤销" in refusal, refusal
        page.screenshot(path=tmp_path / "01-not-confirmed.png", full_page=True)

        page.check("#confirm_irreversible")
        page.click("#close")
        page.wait_for_url(re.compile(rf"/closed/{OPEN_MONTH}"))
        page.goto(f"{base_url}/console/funds/{world.fund}/close")
        expect(page.locator("#no-open-period")).to_be_visible()
