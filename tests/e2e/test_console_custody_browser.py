"""Custody in a real browser: Playwright drives Debian's chromium against a real
``fundbook serve``. The fund holds 600.00 in its cash box (a donation in cash, with the
Ledger in the setup) and its cashier is assigned. The cashier signs in, is offered only the
cash move, deposits 500.00 (库存现金 → 银行存款, read back in capitals; its voucher reads the
amount moved, not 0, and offers the cashier no reversal), and the bookkeeper reverses the move
from its voucher page (a reason required). An administrator records the cashier's handover
(移交, R22) to a successor: refused without a note for the short count, then the count read
back against the books and confirmed with a double click, then back and confirmed again (the
one-time key answers it) — one handover.
A member lodges an anonymous objection to the move's voucher (R36), which an approver finds on
the home page and dismisses. Each step is checked against the read models; screenshots go to
the test's tmp_path."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ledger.application.bootstrap import build_ledger, build_views
from ledger.config import Settings
from ledger.projections import queries, runner
from tests.e2e.server import SEED_ACTOR, add_user, running_server, seed
from tests.e2e.test_console_browser import _confirm_twice, _sign_in

CASH_FEN = 60_000  # the donation in the cash box
MOVED = "500.00"
MOVED_FEN = 50_000
MOVED_CAPITAL = "人民币伍佰元整"
COUNTED = "580.00"  # 20.00 short of the books
OBJECTION_TEXT = "这笔存现没有看到银行回单"


@pytest.fixture
def custody_store(database_url):
    books = seed(database_url)
    ledger = build_ledger(Settings(database_url=database_url))
    try:
        people = {
            key: ledger.register_person(actor=SEED_ACTOR, name_zh=name)["person_id"]
            for key, name in (
                ("cashier", "钱出纳"),
                ("successor", "孙接任"),
                ("admin", "赵主任"),
                ("approver", "周书记"),
            )
        }
        today = ledger.today()
        ledger.record(
            books.fund,
            "receive_donation",
            actor=SEED_ACTOR,
            occurred_on=today,
            amount_fen=CASH_FEN,
            account="cash",
            donor_kind="member",
            donor_person_id=books.member,
            doc_refs=["收据 0001"],
        )
        ledger.record(
            books.fund,
            "assign_custodian",
            actor=SEED_ACTOR,
            role="cashier",
            person_id=people["cashier"],
            from_date=today,
        )
    finally:
        ledger.close()
    tokens = {
        "cashier": add_user(database_url, people["cashier"], "cashier", books.branch),
        "bookkeeper": add_user(database_url, books.bookkeeper_person, "bookkeeper", books.branch),
        "admin": add_user(database_url, people["admin"], "admin", books.branch),
        "member": add_user(database_url, books.member, "member", books.branch),
        "approver": add_user(database_url, people["approver"], "approver", books.branch),
    }
    views = build_views(Settings(database_url=database_url))
    yield books, people, tokens, views
    views.close()


def _sign_as(tab: Page, base_url: str, token: str) -> None:
    tab.context.clear_cookies()
    _sign_in(tab, base_url, token)


def test_a_cash_move_its_reversal_a_handover_and_an_objection_in_the_browser_checked_against_the_read_models(
    custody_store, database_url, page, tmp_path
):
    books, people, tokens, views = custody_store
    fund = books.fund

    def fresh():
        runner.catch_up(views)
        return views

    def cash_and_bank() -> tuple[int, int]:
        balance = queries.fund_balance(fresh(), fund)
        return balance.cash_fen, balance.bank_fen

    with running_server(database_url) as base_url:
        # 1. the cashier: only the cash move is offered; a deposit read back, then recorded
        _sign_as(page, base_url, tokens["cashier"])
        page.goto(f"{base_url}/console/funds/{fund}")
        expect(page.locator("#record-cash_move")).to_be_visible()
        assert page.locator('[id^="record-"]').count() == 1 and page.locator("#record-donation").count() == 0
        page.screenshot(path=tmp_path / "01-cashier-fund.png", full_page=True)
        page.click("#record-cash_move")
        page.fill("#amount", MOVED)
        page.select_option("#from_account", "cash")
        page.select_option("#to_account", "bank")
        page.fill("#doc_refs", "存款回单0001")
        page.click("#check")
        expect(page.locator("#confirm-accounts")).to_have_text("库存现金 → 银行存款")
        expect(page.locator("#confirm-capital")).to_have_text(MOVED_CAPITAL)
        assert cash_and_bank() == (CASH_FEN, 0)  # nothing saved by the check
        page.screenshot(path=tmp_path / "02-cash-move-read-back.png", full_page=True)
        page.click("#confirm")
        page.wait_for_url(re.compile(r"/vouchers/"))
        expect(page.locator("#entry-kind")).to_have_attribute("data-kind", "cash_move")
        expect(page.locator("#voucher-capital")).to_have_text(MOVED_CAPITAL)
        expect(page.locator("#cash-moved")).to_have_text("-500.00")
        assert page.locator("#reverse-link").count() == 0  # the bookkeeper's (ADR 0033)
        moved_voucher = page.locator("#voucher-no").inner_text()
        assert cash_and_bank() == (CASH_FEN - MOVED_FEN, MOVED_FEN)
        page.screenshot(path=tmp_path / "03-cash-move-recorded.png", full_page=True)

        # the bookkeeper reverses the move from its voucher page: a reason is required
        _sign_as(page, base_url, tokens["bookkeeper"])
        page.goto(f"{base_url}/console/funds/{fund}/vouchers/{moved_voucher}")
        page.click("#reverse-link")
        page.click("#check")
        expect(page.locator("#reason ~ .field-error")).to_have_attribute("data-code", "text_required")
        page.fill("#reason", "存现金额不符，款未存入")
        page.click("#check")
        expect(page.locator("#negation .capital")).to_have_text(f"负{MOVED_CAPITAL}")
        expect(page.locator("#negation .moved")).to_have_text("库存现金 500.00 / 银行存款 -500.00")
        assert cash_and_bank() == (CASH_FEN - MOVED_FEN, MOVED_FEN)
        page.screenshot(path=tmp_path / "04-reverse-read-back.png", full_page=True)
        page.click("#confirm")
        page.wait_for_url(re.compile(r"/vouchers/"))
        expect(page.locator("#entry-kind")).to_have_attribute("data-kind", "reversal")
        expect(page.locator("#voucher-capital")).to_have_text(f"负{MOVED_CAPITAL}")
        assert cash_and_bank() == (CASH_FEN, 0)
        assert queries.journal_voucher(fresh(), fund, moved_voucher)["reversed_by"]

        # 2. the handover: an administrator, from the fund page; a short count needs its note
        _sign_as(page, base_url, tokens["admin"])
        page.goto(f"{base_url}/console/funds/{fund}")
        page.click("#handovers-link")
        page.wait_for_url(re.compile(rf"/console/funds/{fund}/handovers$"))
        expect(page.locator('#holders tr[data-role="cashier"]')).to_contain_text("钱出纳")
        page.select_option("#role", "cashier")
        page.select_option("#to_person_id", people["successor"])
        page.select_option("#supervisor_person_id", books.auditor_person)
        page.fill("#cash_counted", COUNTED)
        page.fill("#bank_balance", "0")
        page.fill("#inventory_ref", "移交清单-001")
        page.click("#check")
        expect(page.locator("#field-difference_note .field-error")).to_have_attribute(
            "data-code", "handover_difference_unexplained"
        )
        assert page.locator("#cash_counted").input_value() == COUNTED
        assert page.locator("#inventory_ref").input_value() == "移交清单-001"
        assert queries.handovers(fresh(), fund) == []
        page.screenshot(path=tmp_path / "05-handover-refused.png", full_page=True)
        page.fill("#difference_note", "少二十元，原出纳垫付未报")
        page.click("#check")
        cash = page.locator('#count tr[data-account="cash"]')
        expect(cash.locator(".book")).to_have_text("600.00")
        expect(cash.locator(".counted")).to_have_text(COUNTED)
        expect(cash.locator(".difference")).to_have_text("-20.00")
        expect(page.locator('#count tr[data-account="bank"] .difference')).to_have_text("0.00")
        expect(page.locator("#confirm-people")).to_have_text("钱出纳 → 孙接任")
        assert queries.handovers(fresh(), fund) == []
        page.screenshot(path=tmp_path / "06-handover-check.png", full_page=True)
        # confirmed twice, then sent again: answered by the one-time key
        _confirm_twice(page, re.compile(rf"/console/funds/{fund}/handovers\?position="))
        page.wait_for_url(re.compile(rf"/console/funds/{fund}/handovers\?position=.*replayed=1"))
        expect(page.locator("#replayed")).to_be_visible()
        expect(page.locator('#holders tr[data-role="cashier"]')).to_contain_text("孙接任")
        [handover] = queries.handovers(fresh(), fund)
        assert (handover.from_person_id, handover.to_person_id) == (people["cashier"], people["successor"])
        assert (handover.cash_difference_fen, handover.bank_difference_fen) == (-2_000, 0)
        expect(page.locator(f'#handovers tr[data-position="{handover.position}"]')).to_be_visible()
        assert page.locator("#handovers tr[data-position]").count() == 1
        page.screenshot(path=tmp_path / "07-handed-over.png", full_page=True)

        # 3. a member objects, anonymously, to the move's voucher; the text is never shown
        _sign_as(page, base_url, tokens["member"])
        page.goto(f"{base_url}/console/funds/{fund}")
        page.click("#objections-link")
        page.fill("#objection-voucher", moved_voucher)
        page.fill("#objection-text", OBJECTION_TEXT)
        page.check('#object-form input[name="anonymous"]')
        page.click("#object")
        page.wait_for_url(re.compile(rf"/console/funds/{fund}/objections\?position="))
        [objection] = queries.voucher_objections(fresh(), fund)
        objection_id = objection["objection_id"]
        assert (objection["voucher_no"], objection["outcome"]) == (moved_voucher, None)
        expect(page.locator(f'#objections tr[data-objection="{objection_id}"]')).to_contain_text("未答复")
        assert OBJECTION_TEXT not in page.content()
        page.screenshot(path=tmp_path / "08-objection-lodged.png", full_page=True)

        # an approver finds it on the home page and dismisses it
        _sign_as(page, base_url, tokens["approver"])
        waiting = page.locator(f'#objections-to-answer tr[data-objection="{objection_id}"]')
        expect(waiting).to_contain_text(moved_voucher)
        assert OBJECTION_TEXT not in page.content()
        page.screenshot(path=tmp_path / "09-approver-home.png", full_page=True)
        waiting.locator("a").click()
        page.wait_for_url(re.compile(rf"/console/funds/{fund}/objections$"))
        assert OBJECTION_TEXT not in page.content()
        form = page.locator(f"#answer-form-{objection_id}")
        form.locator("select[name=outcome]").select_option("dismissed")
        form.locator("textarea[name=answer]").fill("银行回单已核对无误")
        form.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(rf"/console/funds/{fund}/objections\?position="))
        row = page.locator(f'#objections tr[data-objection="{objection_id}"]')
        expect(row).to_have_attribute("data-outcome", "dismissed")
        expect(row).to_contain_text("异议不成立")
        assert page.locator(f"#answer-form-{objection_id}").count() == 0
        assert [o["outcome"] for o in queries.voucher_objections(fresh(), fund)] == ["dismissed"]
        assert OBJECTION_TEXT not in page.content() and "银行回单已核对无误" not in page.content()
        page.screenshot(path=tmp_path / "10-objection-dismissed.png", full_page=True)

    assert all(
        (tmp_path / f).stat().st_size > 5_000 for f in ("02-cash-move-read-back.png", "06-handover-check.png")
    )
