"""The console's page of the dues books (ADR 0160), on the API's seeded world: branch A's book
for its officers, payments beside their standard and members by masked name, the rebate's
difference marked; nothing for a member (their dues are private) nor
for another branch's bookkeeper; a visitor sent to sign in."""

from __future__ import annotations

from tests.api.conftest import World
from tests.api.test_dues import created, other_bookkeeper, recorded, url
from tests.web.console_helpers import Browser


def rebated(world: World) -> None:
    recorded(world)
    rebate = {
        "received_on": "2025-07-02",
        "amount": "34.00",
        "period_from": "2025-01",
        "period_to": "2025-06",
    }
    created(world.post(url(world, "/rebates"), rebate))


def test_the_page_shows_my_branchs_book_with_the_standard_beside_each_payment(world):
    rebated(world)

    html = Browser(world, "auditor").get("/console/dues").text

    section = html.split(f'data-branch="{world.orgs["a"]}"')[1]
    row = section.split('data-payment="D2025-001"')[1].split("</tr>")[0]
    assert "70.00" in row and "63.00" in row and "7.00" in row and "S2025-001" in row
    assert "member同志" not in row  # the masked name, never the full one
    assert 'class="num held">0.00<' in section
    rebate = section.split('data-rebate="R2025-001"')[1].split("</tr>")[0]
    assert 'class="differs"' in rebate and "35.00" in rebate and "-1.00" in rebate


def test_a_member_another_branchs_bookkeeper_and_a_visitor_see_no_book(world):
    rebated(world)
    other_browser = Browser(world)
    token = other_bookkeeper(world)["Authorization"].split()[1]
    signed_in = other_browser.client.post("/console/sign-in", data={"token": token, "next": "/console"})
    assert signed_in.status_code == 303

    member = Browser(world, "member").get("/console/dues")
    other = other_browser.get("/console/dues")
    anonymous = Browser(world).get("/console/dues")

    assert member.status_code == 403
    assert other.status_code == 200 and 'id="no-dues"' in other.text
    assert anonymous.status_code == 303 and "/console/sign-in" in anonymous.headers["location"]
