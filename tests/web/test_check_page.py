"""The public check page behind a notice's QR code (issue 16): no sign-in; it names the fund and
period the seal closes, shows the sealed figures with 大写 and says 一致 while the stored events
still reproduce the seal; after the store is tampered with it says 不一致 and names the changed
record and the figure that no longer agrees. The QR code holds the page's URL under the
configured public base URL. Also: the board answers 404 outside the fund's life, and an
organisation's supervision channels are printed on its notices."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from ledger.api import create_app
from ledger.audit.log import stored_rows
from ledger.config import Settings
from ledger.domain.money import to_capital
from tests.api.conftest import SEED, World, after_writes, error_of, views_reach
from tests.audit.test_tamper import tamper


@pytest.fixture
def sealed(world: World) -> tuple[World, str, str]:
    """activity_a with a grant of 300.00 in June, June closed (sealed); its fingerprint."""
    fund = world.funds["activity_a"]
    world.ledger.record(
        fund,
        "receive_grant",
        actor=SEED,
        occurred_on=date(2025, 6, 3),
        amount_fen=30_000,
        grant_kind="dues_rebate",
        grantor_name="街道党工委",
        doc_refs=["通知"],
    )
    world.ledger.close_periods_through(fund, actor=SEED, period="2025-06", reviewed_by=world.people["member"])
    page = world.client.get(f"/board/{fund}/2025-06", params=after_writes(world)).text
    found = re.search(r'class="fingerprint">([0-9a-f]{16})<', page)
    assert found is not None
    return world, fund, found.group(1)


def _check(world: World, fingerprint: str, period: str = "2025-06"):
    return world.client.get(f"/check/{fingerprint}/{period}", params=after_writes(world))


def test_the_check_page_says_consistent_and_shows_the_sealed_figures_without_a_token(sealed):
    world, _, fingerprint = sealed
    response = _check(world, fingerprint)

    assert response.status_code == 200
    text = response.text
    assert 'id="verdict">一致<' in text
    assert "第一支部活动经费" in text and "2025年6月" in text and fingerprint in text
    assert "300.00" in text and to_capital(30_000) in text  # income, with 大写
    assert "街道党工委" not in text and "通知" not in text  # no more than the board's totals


def test_the_check_page_names_the_changed_record_and_figure_after_the_store_is_tampered_with(sealed):
    world, _, fingerprint = sealed
    views = world.client.app.state.views
    grant = next(
        r for r in stored_rows(views) if r.topic == "fundbook:Fund.GrantReceived" and b"30000" in r.state
    )
    tamper(
        views,
        "UPDATE {table} SET state = ? WHERE {position} = ?",
        grant.state.replace(b"30000", b"90000"),
        grant.position,
    )

    text = _check(world, fingerprint).text

    assert 'id="verdict">不一致<' in text
    assert f"第 {grant.position} 条记录（一笔拨款收入）与封存时的记录不同" in text
    assert "本期收入：公示（封存）为 300.00 元，账簿今天为 900.00 元" in text


def test_the_check_page_is_check_not_found_for_an_unknown_or_malformed_fingerprint(sealed):
    world, _, fingerprint = sealed
    assert error_of(_check(world, "0" * 16)) == (404, "check_not_found")
    assert error_of(_check(world, "not-a-print")) == (404, "check_not_found")
    assert error_of(_check(world, fingerprint, "2025-07")) == (404, "check_not_found")  # not its period
    assert 'id="verdict">一致<' in _check(world, fingerprint, "2025-05").text  # closed with June, one seal


def test_the_qr_code_holds_the_check_pages_url_under_the_public_base_url(sealed, database_url):
    world, fund, fingerprint = sealed
    settings = Settings(database_url=database_url, public_base_url="https://gongshi.example.cn/")
    with TestClient(create_app(settings, ledger=world.ledger)) as client:
        views_reach(client, world.position())
        page = client.get(f"/board/{fund}/2025-Q2").text
    assert f"https://gongshi.example.cn/check/{fingerprint}/2025-Q2" in page
    assert "扫码核对本公示与账簿是否一致" in page and "事件日志位置" not in page


@pytest.mark.parametrize("period", ["2030", "2026-01", "2024", "2024-Q4", "2019-12"])
def test_the_board_is_statement_period_out_of_range_before_the_fund_or_after_today(world, period):
    fund = world.funds["activity_a"]  # established 2025-01-01; today is 2025-07-10
    for suffix in ("", ".json", ".pdf"):
        assert error_of(world.client.get(f"/board/{fund}/{period}{suffix}")) == (
            404,
            "statement_period_out_of_range",
        )
    assert world.client.get(f"/board/{fund}/2025").status_code == 200


def test_supervision_channels_set_by_the_admin_are_printed_on_every_notice_below(world):
    body = {
        "phone": "010-6512 3456",
        "opinion_box": "社区党群服务中心一楼",
        "discipline_title": "社区党委纪检委员",
    }
    response = world.post(f"/organisations/{world.orgs['community']}/supervision", body, role="admin")
    assert response.status_code == 201, response.text

    page = world.client.get(f"/board/{world.funds['activity_a']}/2025-07", params=after_writes(world))

    assert "监督电话（010-6512 3456）" in page.text and "社区党群服务中心一楼的意见箱" in page.text
    assert "社区党委纪检委员反映" in page.text


def test_supervision_channels_are_refused_for_a_non_admin_or_a_phone_without_digits(world):
    body = {"phone": "打电话", "opinion_box": "一楼", "discipline_title": "纪检委员"}
    assert error_of(
        world.post(f"/organisations/{world.orgs['community']}/supervision", body, role="admin")
    ) == (
        422,
        "value_not_allowed",
    )
    body["phone"] = "12345678"
    assert error_of(world.post(f"/organisations/{world.orgs['community']}/supervision", body))[0] == 403
