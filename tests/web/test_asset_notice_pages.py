"""The public notice of gifts in kind and assets (ADR 0140), anonymous, on the API's seeded world:
its own section for gifts in kind, the register with what paid for each asset, a fund's notice
limited to what it bought; hostile texts escaped in HTML, defused in CSV, refused at the door
when they hold control bytes or newlines or are too long; the internal texts never printed."""

from __future__ import annotations

import csv
import io

from tests.api.conftest import World, after_writes, error_of
from tests.api.test_assets import asset, bought, gift

HOSTILE = '=HYPERLINK("http://evil.example")<script>alert(1)</script>'


def record_both(world: World) -> str:
    url = f"/organisations/{world.orgs['a']}"
    answer = world.post(f"{url}/gifts-in-kind", gift(donor_name="共建单位", public_summary=HOSTILE[:100]))
    assert answer.status_code == 201, answer.text
    voucher = bought(world)
    answer = world.post(f"{url}/assets", asset(world, voucher, public_name="@SUM(1+1)*cmd|打印机"))
    assert answer.status_code == 201, answer.text
    return voucher


def test_notice_shows_gifts_in_kind_in_their_own_section_and_never_the_internal_texts(world):
    voucher = record_both(world)

    page = world.client.get(f"/board/assets/{world.orgs['a']}", params=after_writes(world))

    assert page.status_code == 200, page.text
    html = page.text
    assert 'id="in-kind"' in html and "8,000.00" in html and "第一支部活动经费 " + voucher in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "某某装修队" not in html and "对方直接付给施工队" not in html and "活动室</td>" not in html


def test_notice_csv_cells_never_start_a_formula(world):
    record_both(world)

    body = world.client.get(f"/board/assets/{world.orgs['a']}.csv", params=after_writes(world))

    rows = list(csv.reader(io.StringIO(body.content.decode("utf-8-sig"))))
    texts = [cell for row in rows for cell in row]
    assert "'" + HOSTILE[:100] in texts and "'@SUM(1+1)*cmd|打印机" in texts
    assert not any(cell.startswith(("=", "@", "+")) for cell in texts)


def test_fund_notice_lists_only_what_the_fund_bought_and_no_gifts(world):
    record_both(world)
    params = {**after_writes(world), "fund_id": world.funds["activity_a"]}

    page = world.client.get(f"/board/assets/{world.orgs['a']}", params=params)
    other = world.client.get(
        f"/board/assets/{world.orgs['a']}", params={"fund_id": world.funds["activity_b"]}
    )

    assert page.status_code == 200
    assert "第一支部活动经费购置资产公示" in page.text and 'id="in-kind"' not in page.text
    assert "300.00" in page.text
    assert error_of(other) == (404, "fund_not_found")


def test_public_texts_with_control_bytes_newlines_or_too_long_are_refused_before_any_notice(world):
    url = f"/organisations/{world.orgs['a']}/gifts-in-kind"

    control = world.post(url, gift(public_summary="摘要\x07"))
    newline = world.post(url, gift(donor_name="共建\n单位"))
    long = world.post(url, gift(public_summary="长" * 201))

    assert error_of(control)[0] == 422 and error_of(newline)[0] == 422 and error_of(long)[0] == 422
    assert world.get(url, "auditor").json()["data"] == []
