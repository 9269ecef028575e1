"""The console's income-by-kind page (issue 21 item 5), on the API's seeded world with the
income report's history: the same figures as ``GET /organisations/income``, kinds in words, a
member sees only their branch, years out of order refused in words, a visitor sent to sign in."""

from __future__ import annotations

import re

from tests.api.test_income_report import history
from tests.web.console_helpers import Browser


def row_of(html: str, org_id: str) -> list[str]:
    row = html.split(f'data-org="{org_id}"')[1].split("</tr>")[0]
    return re.findall(r'<td class="num[^"]*">([^<]*)<', row)


def test_income_page_shows_each_kind_in_words_and_the_totals_of_the_api(world):
    history(world)
    api = world.get("/organisations/income", "auditor", from_year=2023, to_year=2025).json()

    html = Browser(world, "auditor").get("/console/income?from_year=2023&to_year=2025").text

    assert "党费返还" in html and "dues_rebate" not in html.split("<main")[1]
    for row in api["data"]:
        cells = row_of(html, row["org_id"])
        assert cells[-1] == f"{row['total']['amount_fen'] / 100:,.2f}"
    grand = re.search(r'id="income-grand-total">([^<]*)<', html)
    assert grand is not None and grand.group(1) == "2,561.23"


def test_income_page_shows_a_member_only_their_branch(world):
    history(world)

    html = Browser(world, "member").get("/console/income?from_year=2025&to_year=2025").text

    assert re.findall(r'data-org="([^"]+)"', html) == [world.orgs["a"]]
    assert re.search(r'id="income-grand-total">850.00<', html)


def test_income_page_refuses_years_out_of_order_in_words_and_sends_a_visitor_to_sign_in(world):
    refused = Browser(world, "auditor").get("/console/income?from_year=2025&to_year=2024")
    visitor = Browser(world).get("/console/income", follow_redirects=False)

    assert refused.status_code == 422 and "截止年份 不能早于 起始年份" in refused.text
    assert visitor.status_code in (302, 303) and "/console/sign-in" in visitor.headers["location"]
