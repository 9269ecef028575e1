"""The console's person picker (issue 19): namesakes told apart by branch and register-number
tail, a script-free search by name or pinyin initials, the full name on the check step."""

from __future__ import annotations

import re

from ledger.projections import runner
from ledger.web.console import people_picker
from tests.api.conftest import FOUNDED
from tests.web.console_helpers import Browser, form_fields


def _namesakes(world) -> dict[str, str]:
    """Two 刘玉永, one in each branch: branch key → person id."""
    twins = {}
    for branch in ("a", "b"):
        person = world.ledger.register_person(actor="test", name_zh="刘玉永")["person_id"]
        world.ledger.change_person(
            person,
            "join_branch",
            actor="test",
            org_id=world.orgs[branch],
            effective_on=FOUNDED,
            membership_status="full",
            category="retired",
        )
        twins[branch] = person
    views = world.client.app.state.views
    world.client.app.state.follower.poke()
    assert runner.wait_for(views, world.position(), timeout_s=5)
    return twins


def _options(html: str, field: str) -> dict[str, str]:
    select = html.split(f'<select id="{field}"')[1].split("</select>")[0]
    return dict(re.findall(r'<option value="([0-9a-f-]+)"[^>]*>([^<]+)</option>', select))


def test_namesakes_read_with_their_branch_and_register_tail_and_are_found_by_pinyin_initials(world):
    twins = _namesakes(world)
    views = world.client.app.state.views
    everyone = people_picker.choices(views, world.ledger.today())

    labels = {c.person_id: c.label for c in everyone if c.person_id in twins.values()}
    assert labels[twins["a"]].startswith("刘玉永（第一支部 · 登记号尾号 ")
    assert labels[twins["b"]].startswith("刘玉永（第二支部 · 登记号尾号 ")
    assert labels[twins["a"]].endswith(twins["a"].replace("-", "")[-4:].upper() + "）")
    for typed in ("lyy", "LYY", "liuyu", "刘玉", "玉永"):
        assert {c.person_id for c in people_picker.search(everyone, typed)} == set(twins.values()), typed
    assert all("刘玉永" not in c.name for c in people_picker.search(everyone, "lyz"))
    # one of a kind: no tail
    member = next(c for c in everyone if c.person_id == world.people["member"])
    assert member.label == "member同志（第一支部）"


def test_find_narrows_the_choices_to_the_matches_and_keeps_what_was_typed(world):
    twins = _namesakes(world)
    browser = Browser(world, "bookkeeper")
    fund = world.funds["activity_a"]
    url = f"/console/funds/{fund}/record/donation"
    form = form_fields(browser.get(url).text)

    found = browser.post(
        url, {**form, "amount": "12", "donor_person_id__q": "lyy", "find": "donor_person_id"}
    )
    alone = browser.post(url, {**form, "donor_person_id__q": "member", "find": "donor_person_id"})

    assert found.status_code == 200 and set(_options(found.text, "donor_person_id")) == set(twins.values())
    assert 'value="12"' in found.text and "找到 2 人" in found.text
    assert re.search(r'<option value="[0-9a-f-]+" selected>member同志', alone.text)  # one match: chosen


def test_the_check_step_shows_the_full_name_of_the_namesake_picked_and_the_board_line_masks_it(world):
    twins = _namesakes(world)
    browser = Browser(world, "bookkeeper")
    fund = world.funds["activity_a"]
    url = f"/console/funds/{fund}/record/donation"
    typed = {
        "occurred_on": "2025-07-05",
        "amount": "50",
        "donor_kind": "member",
        "donor_person_id": twins["b"],
        "doc_refs": "收据9",
    }

    check = browser.post(url, {**form_fields(browser.get(url).text), **typed})

    read_back = check.text.split('id="read-back"')[1].split("</table>")[0]
    assert re.search(r'id="confirm-person">刘玉永（第二支部 · 登记号尾号 [0-9A-F]{4}）<', read_back)
    assert 'id="confirm-counterparty">刘*永<' in read_back
    assert "刘玉永" not in read_back.split('id="confirm-public-line"')[1]
