"""The noticeboard in a real browser: Playwright drives Debian's chromium against a real
``fundbook serve`` holding the demo. It opens the index, follows the link to a quarterly
statement, and checks the rows, totals and capital numerals against the read models, and
that no recipient without consent is named; and it opens an aid-proposal notice from the index
(the demo's aid cases were all paid by 2024, so the test applies for one today and signs it).
Screenshots go to the test's tmp_path."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from ledger.application import shanghai_today
from ledger.application.bootstrap import build_ledger, build_views
from ledger.application.demo import APPROVERS
from ledger.config import Settings
from ledger.domain.money import format_amount, parse_amount, to_capital
from ledger.exports import aid_notice
from ledger.exports.labels import zh_date
from ledger.projections import queries, runner
from tests.e2e.server import running_server

PERIOD = "2024-Q3"


@pytest.fixture
def demo_store(demo_copy, database_url):
    """The demo (a copy of it, the test's own store) and its views."""
    views = build_views(Settings(database_url=database_url))
    runner.catch_up(views)
    yield demo_copy.data, views
    views.close()


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
        # the latest notice and the period in its year's group link the same page: the shown one
        page.locator(f'a[href="/board/{fund}/{PERIOD}"] >> visible=true').first.click()
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


PRIVATE_REASON = "住院手术自付费用过高（病历见申请表）"


def test_an_aid_notice_opened_from_the_index_masks_the_beneficiary_and_shows_the_window(
    demo_store, database_url, page, tmp_path
):
    demo, views = demo_store
    fund, beneficiary = demo.funds["mutual_aid"], demo.members[1]
    ledger = build_ledger(Settings(database_url=database_url))
    try:
        case = ledger.apply_for_aid(
            actor=demo.people["bookkeeper"],
            fund_id=fund,
            beneficiary_person_id=beneficiary,
            applicant_person_id=beneficiary,
            aid_kind="hospitalisation",
            requested_fen=123_450,
            reason_private=PRIVATE_REASON,
            reason_public_category="慰问因病住院党员",
            evidence_refs=["救助申请表-浏览器测试"],
        )["case_id"]
        for key in APPROVERS:  # 1,234.50 needs two signatures
            ledger.sign_aid_case(case, actor=demo.users[key])
    finally:
        ledger.close()
    runner.catch_up(views)
    today = shanghai_today()
    (notice,) = [n for n in aid_notice.listed(views, today) if n.case_id == case]
    name, mask = views.fetch(
        "SELECT name_zh, display_mask FROM v_person WHERE person_id = ?", (beneficiary,)
    )[0]

    with running_server(database_url) as base_url:
        page.goto(f"{base_url}/")
        item = page.locator(f'li.aid-notice[data-case="{case}"]')
        assert item.count() == 1 and "公示中" in item.inner_text()
        item.locator("a").click()
        page.wait_for_url(re.compile(f"/board/{fund}/aid/{case}$"))
        page.screenshot(path=tmp_path / "aid-notice.png", full_page=True)
        cells = [td.inner_text().strip() for td in page.locator("#notice tbody td").all()]
        window = page.locator("#window").inner_text()
        capital = page.locator("#capitals").inner_text()
        body = page.locator("body").inner_text()
        page.emulate_media(media="print")
        downloads_shown = page.locator("nav.downloads").is_visible()

    assert cells[:5] == ["1", notice.branch, mask, "慰问因病住院党员", format_amount(123_450)]
    assert notice.branch and "签批" in cells[5]
    assert (
        window
        == f"公示期：{zh_date(notice.window_start.isoformat())}至{zh_date(notice.window_end.isoformat())}"
    )
    assert notice.window_start == today
    assert to_capital(123_450) == "人民币壹仟贰佰叁拾肆元伍角整" and to_capital(123_450) in capital
    assert name not in body and PRIVATE_REASON not in body
    assert "/aid-cases/" not in body and "可署名亦可匿名" in body  # no API route on paper (issue 16)
    assert not downloads_shown  # the print stylesheet leaves a clean A4 sheet
    assert (tmp_path / "aid-notice.png").stat().st_size > 10_000
