"""What a member reads in the console (docs/concepts/practice.md, ADR 0013): the balances, the internal board
(full names only with internal consent) and their own totals and history — not the books
(vouchers, the journal) and not another person's page. The custodians and auditors still read
everything they did.

The world is the API's (tests/api/conftest.py), plus 李秀英, a member of branch B, who was paid
a 慰问 (an expense naming her) from B's activity fund, and 周桂兰 of branch A paid from A's."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.projections import runner
from tests.api.conftest import SEED, World
from tests.api.test_aid_cases import AFTER_WINDOW, applied, pay, sign
from tests.api.test_collections import assess
from tests.web.console_helpers import Browser, error_code

VISIT = "住院慰问"


def _pay(world: World, fund_key: str, person_id: str, name: str, fen: int) -> str:
    return world.ledger.record(
        world.funds[fund_key],
        "pay_expense",
        actor=SEED,
        occurred_on=date(2025, 7, 3),
        amount_fen=fen,
        category="activities",
        payee=name,
        payee_person_id=person_id,
        handled_by="经办人",
        approved_by="支部书记",
        doc_refs=["签收单"],
        memo=VISIT,
    )["voucher_no"]


def _person(world: World, key: str, name: str, branch: str) -> str:
    person = world.ledger.register_person(actor=SEED, name_zh=name)["person_id"]
    world.ledger.change_person(
        person, "join_branch", actor=SEED, org_id=world.orgs[branch], effective_on=date(2020, 1, 1),
        membership_status="full", category="retired",
    )  # fmt: skip
    world.people[key] = person
    return person


@pytest.fixture
def visited(world: World) -> World:
    """李秀英 of branch B (a member with a login) and 周桂兰 of branch A, each paid a visit."""
    li = _person(world, "li", "李秀英", "b")
    world.users["li"] = world.ledger.register_user(actor=SEED, person_id=li)["user_id"]
    world.ledger.change_role(world.users["li"], "grant", actor=SEED, role="member", org_id=world.orgs["b"])
    world.tokens["li"], _ = world.ledger.issue_token(world.users["li"], actor=SEED)
    world.vouchers["li"] = _pay(world, "activity_b", li, "李秀英", 20_000)
    world.vouchers["zhou"] = _pay(world, "activity_a", _person(world, "zhou", "周桂兰", "a"), "周桂兰", 8_000)
    world.client.app.state.follower.poke()
    assert runner.wait_for(world.client.app.state.views, world.position(), timeout_s=5)
    return world


# --- a person's page and the list ----------------------------------------------------------------
def test_a_member_gets_a_403_page_for_a_member_of_another_branch_not_her_aid(visited):
    refused = Browser(visited, "member").get(f"/console/people/{visited.people['li']}")

    assert refused.status_code == 403 and error_code(refused.text) == ["role_required"]
    assert "李秀英" not in refused.text and "200.00" not in refused.text


def test_a_member_gets_a_403_page_for_someone_of_their_own_branch(visited):
    refused = Browser(visited, "member").get(f"/console/people/{visited.people['zhou']}")

    assert refused.status_code == 403 and error_code(refused.text) == ["role_required"]
    assert "周桂兰" not in refused.text


def test_a_member_sees_their_own_totals_and_history_without_links_into_the_books(visited):
    page = Browser(visited, "li").get(f"/console/people/{visited.people['li']}")

    assert page.status_code == 200
    totals = page.text.split('id="totals"')[1].split("</table>")[0]
    assert "第二支部" in totals and "200.00" in totals
    history = page.text.split('id="history"')[1].split("</table>")[0]
    assert visited.vouchers["li"] in history and "/vouchers/" not in history


def test_the_people_list_shows_a_member_only_themselves(visited):
    page = Browser(visited, "li").get("/console/people").text

    listed = page.split('id="people"')[1].split("</ul>")[0]
    assert listed.count("<li>") == 1 and f'href="/console/people/{visited.people["li"]}"' in listed
    assert "周桂兰" not in page and visited.people["member"] not in page


def test_the_auditor_of_the_community_lists_everyone_of_its_branches_and_opens_anyones_page(visited):
    browser = Browser(visited, "auditor")

    listed = browser.get("/console/people").text.split('id="people"')[1].split("</ul>")[0]
    page = browser.get(f"/console/people/{visited.people['li']}")

    assert all(f'href="/console/people/{visited.people[k]}"' in listed for k in ("li", "zhou", "member"))
    assert page.status_code == 200 and "200.00" in page.text.split('id="totals"')[1]


def test_a_bookkeeper_of_branch_a_lists_and_opens_only_the_people_of_branch_a(visited):
    browser = Browser(visited, "bookkeeper")

    listed = browser.get("/console/people").text.split('id="people"')[1].split("</ul>")[0]
    own = browser.get(f"/console/people/{visited.people['zhou']}")
    refused = browser.get(f"/console/people/{visited.people['li']}")

    assert all(f'href="/console/people/{visited.people[k]}"' in listed for k in ("zhou", "member"))
    assert visited.people["li"] not in listed
    assert own.status_code == 200 and "80.00" in own.text.split('id="totals"')[1]
    assert refused.status_code == 403 and error_code(refused.text) == ["role_required"]
    assert "李秀英" not in refused.text and "200.00" not in refused.text


def test_the_auditor_of_the_community_has_voucher_links_on_a_persons_page(visited):
    page = Browser(visited, "auditor").get(f"/console/people/{visited.people['li']}").text

    link = f'href="/console/funds/{visited.funds["activity_b"]}/vouchers/{visited.vouchers["li"]}"'
    assert link in page.split('id="history"')[1]


# --- the books: vouchers and the journal ---------------------------------------------------------
def test_a_member_gets_a_403_page_for_a_voucher_of_their_own_branch_fund(visited):
    fund = visited.funds["activity_a"]

    refused = Browser(visited, "member").get(f"/console/funds/{fund}/vouchers/{visited.vouchers['zhou']}")

    assert refused.status_code == 403 and error_code(refused.text) == ["role_required"]
    assert "周桂兰" not in refused.text and VISIT not in refused.text


def test_a_member_gets_a_403_page_for_the_journal_and_no_link_to_it(visited):
    browser = Browser(visited, "member")

    refused = browser.get(f"/console/audit/{visited.funds['activity_a']}/journal")
    audit = browser.get("/console/audit").text

    assert refused.status_code == 403 and error_code(refused.text) == ["role_required"]
    assert "周桂兰" not in refused.text
    assert f'data-fund="{visited.funds["activity_a"]}"' in audit and "/journal" not in audit


@pytest.mark.parametrize("role", ["bookkeeper", "cashier", "auditor"])
def test_custodians_and_auditors_still_read_the_voucher_and_the_journal(visited, role):
    fund = visited.funds["activity_a"]
    browser = Browser(visited, role)

    voucher = browser.get(f"/console/funds/{fund}/vouchers/{visited.vouchers['zhou']}")
    journal = browser.get(f"/console/audit/{fund}/journal")

    assert voucher.status_code == 200 and 'id="expense">80.00<' in voucher.text
    assert journal.status_code == 200 and "周桂兰" in journal.text


# --- the fund page and the internal board --------------------------------------------------------
def test_the_fund_page_shows_a_member_the_balances_and_this_months_internal_board(visited):
    fund = visited.funds["activity_a"]

    page = Browser(visited, "member").get(f"/console/funds/{fund}").text

    assert 'id="balance">420.00<' in page and 'id="member-reads"' in page
    assert f'id="internal-board-link" href="/console/funds/{fund}/board/2025-07"' in page
    assert "/vouchers/" not in page and 'id="recent"' not in page and 'id="record-donation"' not in page


def test_the_fund_page_shows_the_bookkeeper_the_recent_vouchers_and_the_board_link(visited):
    fund = visited.funds["activity_a"]

    page = Browser(visited, "bookkeeper").get(f"/console/funds/{fund}").text

    recent = page.split('id="recent"')[1].split("</table>")[0]
    assert f'/console/funds/{fund}/vouchers/{visited.vouchers["zhou"]}"' in recent
    assert f'href="/console/funds/{fund}/board/2025-07"' in page and 'id="member-reads"' not in page


def test_the_internal_board_masks_a_payee_without_internal_consent_and_names_one_with_it(visited):
    fund, zhou = visited.funds["activity_a"], visited.people["zhou"]
    browser = Browser(visited, "member")

    masked = browser.get(f"/console/funds/{fund}/board/2025-07")
    visited.ledger.change_person(
        zhou, "change_consent", actor=SEED, public_notice=False, internal_notice=True
    )
    named = browser.get(f"/console/funds/{fund}/board/2025-07")

    assert masked.status_code == 200 and 'data-audience="internal"' in masked.text
    assert "组织活动" in masked.text and "周桂兰" not in masked.text  # the category, never the memo
    assert VISIT not in masked.text and VISIT not in named.text
    assert "周桂兰" in named.text
    assert f'id="back-link" href="/console/funds/{fund}"' in named.text


def test_the_internal_board_of_another_branchs_fund_is_a_403_page_for_a_member(visited):
    refused = Browser(visited, "member").get(f"/console/funds/{visited.funds['activity_b']}/board/2025-07")

    assert refused.status_code == 403 and error_code(refused.text) == ["role_required"]


def test_the_internal_board_of_a_malformed_period_is_a_422_page(visited):
    answer = Browser(visited, "member").get(f"/console/funds/{visited.funds['activity_a']}/board/July")

    assert answer.status_code == 422 and error_code(answer.text) == ["period_invalid"]


# --- a collection's page -------------------------------------------------------------------------
def test_a_collections_page_shows_a_member_the_participants_but_not_its_vouchers(pooled):
    assert assess(pooled).status_code == 201

    member = Browser(pooled, "member").get(f"/console/collections/{pooled.funds['pool']}").text
    keeper = Browser(pooled, "bookkeeper").get(f"/console/collections/{pooled.funds['pool']}").text

    assert 'id="members"' in member and 'id="vouchers"' not in member and "/vouchers/" not in member
    assert 'id="internal-board-link"' in member
    assert 'id="vouchers"' in keeper


# --- an aid case's page ---------------------------------------------------------------------------
def test_a_paid_case_names_its_voucher_to_a_member_of_the_community_without_a_link(aid):
    case_id = applied(aid)
    assert sign(aid, case_id, "approver1").status_code == 201
    aid.ledger.today = lambda: AFTER_WINDOW
    assert pay(aid, case_id).status_code == 201
    aid.ledger.change_role(
        aid.users["cashier"], "grant", actor=SEED, role="member", org_id=aid.orgs["community"]
    )
    aid.client.app.state.follower.poke()
    assert runner.wait_for(aid.client.app.state.views, aid.position(), timeout_s=5)

    member = Browser(aid, "cashier").get(f"/console/aid-cases/{case_id}").text  # cashier of A only
    auditor = Browser(aid, "auditor").get(f"/console/aid-cases/{case_id}").text

    shown = member.split('id="case-voucher">')[1].split("</td>")[0]
    assert shown == "202507-002"
    assert f'href="/console/funds/{aid.funds["mutual_aid"]}/vouchers/202507-002"' in auditor
