"""The public notice of an organisation's members' figures (the mutual-aid roll's counts and a
branch's dues totals, issue 21 items 1 and 3), anonymous, on the API's seeded world: counts and
sums only, never a member's name, base or amount; linked from the index only for an organisation
that has a roll or a dues book."""

from __future__ import annotations

import re

from tests.api.conftest import World, error_of, views_reach
from tests.api.test_dues import recorded
from tests.api.test_roll import setup_roll


def notice_of(world: World, org_id: str) -> str:
    views_reach(world.client, world.position())
    response = world.client.get(f"/board/members/{org_id}")
    assert response.status_code == 200, response.text
    return response.text


def cell(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}">([^<]*)<', html)
    assert found is not None, element_id
    return found.group(1)


def test_members_notice_shows_the_rolls_counts_and_the_dues_totals_and_names_nobody(world):
    fund = setup_roll(world)
    pay = {"year": 2025, "occurred_on": "2025-07-02", "amount": "10.00", "doc_refs": ["收据"]}
    paid = world.post(f"/funds/{fund}/roll/members/{world.people['member']}/payments", pay, role="admin")
    assert paid.status_code == 201, paid.text
    recorded(world)  # branch A: a member's base 4,200.00, 70.00 paid for three months, handed up
    roll_owner = world.ledger.fund(fund).owner_org_id

    roll_page = notice_of(world, roll_owner)
    dues_page = notice_of(world, world.orgs["a"])

    assert 'id="roll"' in roll_page and "3 名" in roll_page and "1 名" in roll_page
    assert (cell(dues_page, "dues-collected"), cell(dues_page, "dues-handed-up")) == ("70.00", "70.00")
    assert cell(dues_page, "dues-held") == "0.00"
    for page in (roll_page, dues_page):
        assert "同志" not in page  # every person of the seeded world is named "<role>同志"
        assert "4,200.00" not in page and "4200" not in page and "党费收据0012" not in page


def test_members_notice_is_refused_with_organisation_not_found_when_the_id_is_unknown(world):
    response = world.client.get("/board/members/00000000-0000-0000-0000-000000000000")

    assert error_of(response) == (404, "organisation_not_found")


def test_index_links_the_members_notice_only_for_an_organisation_with_a_roll_or_dues(world):
    views_reach(world.client, world.position())
    before = world.client.get("/").text
    recorded(world)
    views_reach(world.client, world.position())

    after = world.client.get("/").text

    assert "/board/members/" not in before
    assert re.findall(r'href="/board/members/([^"?]+)"', after) == [world.orgs["a"]]
