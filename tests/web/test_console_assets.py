"""The console's page of gifts in kind and assets (ADR 0140), on the API's seeded world: what the
views hold for my organisations, hostile texts escaped, nothing of another branch, and a sign-in
needed."""

from __future__ import annotations

from tests.api.conftest import World
from tests.api.test_assets import asset, bought, gift
from tests.web.console_helpers import Browser


def recorded(world: World) -> str:
    url = f"/organisations/{world.orgs['a']}"
    assert world.post(f"{url}/gifts-in-kind", gift(public_summary="<b>墙面</b>修缮")).status_code == 201
    voucher = bought(world)
    assert world.post(f"{url}/assets", asset(world, voucher)).status_code == 201
    return voucher


def test_the_page_lists_my_branchs_gifts_and_assets_with_what_paid_for_them(world):
    voucher = recorded(world)

    html = Browser(world, "bookkeeper").get("/console/assets").text

    assert 'data-gift="K2025-001"' in html and "8,000.00" in html
    assert "&lt;b&gt;墙面&lt;/b&gt;修缮" in html and "<b>墙面" not in html
    row = html.split('data-asset="A2025-001"')[1].split("</tr>")[0]
    assert f">{voucher}</a>" in row and "打印机" in row and "300.00" in row
    assert 'id="in-use">300.00<' in html


def test_another_branchs_register_is_not_shown_and_a_visitor_is_sent_to_sign_in(world):
    url = f"/organisations/{world.orgs['b']}/gifts-in-kind"
    assert world.post(url, gift(), role="admin").status_code == 201

    mine = Browser(world, "bookkeeper").get("/console/assets").text
    anonymous = Browser(world).get("/console/assets")

    assert 'id="no-gifts"' in mine
    assert anonymous.status_code == 303 and "/console/sign-in" in anonymous.headers["location"]
