"""Objections to a fund's voucher in the console (R36): lodged by anyone reading the fund (a
member included, anonymously if they wish), once however often the form is sent; listed with
dates and outcomes only, never the text; answered by an approver of the fund's organisation,
who finds them under "waiting for me"; refusals beside their field with what was typed kept;
403 ``role_required`` for a user with no role over the fund.

The world is the API's seeded one (tests/api/conftest.py); an approver of branch A is added."""

from __future__ import annotations

import orjson

from ledger.projections import queries, runner
from tests.api.conftest import SEED, World
from tests.web.console_helpers import Browser, error_code, form_action, form_of

OBJECTION = "这笔拨款的金额与通知不符"
ANSWER = "已核对拨款通知，金额无误"


def _approver(world: World) -> Browser:
    person = world.ledger.register_person(actor=SEED, name_zh="审批同志")["person_id"]
    user = world.ledger.register_user(actor=SEED, person_id=person)["user_id"]
    world.ledger.change_role(user, "grant", actor=SEED, role="approver", org_id=world.orgs["a"])
    world.tokens["approver"], _ = world.ledger.issue_token(user, actor=SEED)
    return Browser(world, "approver")


def _lodge(browser: Browser, fund: str, **typed: str):
    html = browser.get(f"/console/funds/{fund}/objections").text
    fields = {**form_of(html, "object-form"), **typed}
    return browser.post(form_action(html, "object-form"), fields), fields


def _objections(world: World, fund: str) -> list[dict]:
    world.client.app.state.follower.poke()
    views = world.client.app.state.views
    assert runner.wait_for(views, world.position(), timeout_s=5)
    return queries.voucher_objections(views, fund)


def _raised_states(world: World) -> list[dict]:
    stored = world.ledger.recorder.select_notifications(1, 10_000)
    return [orjson.loads(n.state) for n in stored if n.topic == "fundbook:VoucherObjection.Raised"]


def test_a_member_objects_anonymously_to_a_voucher_once_and_the_text_is_never_shown(world):
    member = Browser(world, "member")
    fund, voucher = world.funds["activity_a"], world.vouchers["activity_a"]

    sent, fields = _lodge(member, fund, voucher_no=voucher, text=OBJECTION, anonymous="on")
    page = member.follow(sent)
    member.post(f"/console/funds/{fund}/objections", fields)  # a second click

    rows = _objections(world, fund)
    assert [(r["voucher_no"], r["outcome"]) for r in rows] == [(voucher, None)]
    assert page.status_code == 200 and f'data-objection="{rows[0]["objection_id"]}"' in page.text
    assert "未答复" in page.text and OBJECTION not in page.text
    assert [state["raised_by"] for state in _raised_states(world)] == [None]  # no identity (R36)


def test_an_unknown_voucher_is_refused_beside_its_field_keeping_what_was_typed(world):
    answer, _ = _lodge(
        Browser(world, "member"), world.funds["activity_a"], voucher_no="2025-07-999", text=OBJECTION
    )

    assert answer.status_code == 404 and error_code(answer.text) == ["voucher_not_found"]
    field = answer.text.split('id="field-object-voucher_no"')[1].split("</div>")[0]
    assert "voucher_not_found" in field and 'value="2025-07-999"' in field
    assert OBJECTION in answer.text.split('id="field-object-text"')[1].split("</div>")[0]
    assert _objections(world, world.funds["activity_a"]) == []


def test_the_approver_finds_it_waiting_answers_it_once_and_it_leaves_the_waiting_list(world):
    fund, voucher = world.funds["activity_a"], world.vouchers["activity_a"]
    _lodge(Browser(world, "member"), fund, voucher_no=voucher, text=OBJECTION)
    objection_id = _objections(world, fund)[0]["objection_id"]
    approver = _approver(world)

    home = approver.get("/console").text
    assert f'data-objection="{objection_id}"' in home.split('id="objections-to-answer"')[1]
    html = approver.get(f"/console/funds/{fund}/objections").text
    form = f"answer-form-{objection_id}"
    fields = {**form_of(html, form), "outcome": "dismissed", "answer": ANSWER}
    done = approver.follow(approver.post(form_action(html, form), fields))
    again = approver.post(form_action(html, form), fields)  # a second click: recorded once

    assert again.status_code == 303
    assert [r["outcome"] for r in _objections(world, fund)] == ["dismissed"]
    assert "异议不成立" in done.text and ANSWER not in done.text and form not in done.text
    assert 'id="objections-to-answer"' not in approver.get("/console").text


def test_a_bookkeeper_is_offered_no_answer_form_and_an_answer_sent_anyway_is_refused(world):
    fund, voucher = world.funds["activity_a"], world.vouchers["activity_a"]
    _lodge(Browser(world, "member"), fund, voucher_no=voucher, text=OBJECTION)
    objection_id = _objections(world, fund)[0]["objection_id"]
    bookkeeper = Browser(world, "bookkeeper")
    html = bookkeeper.get(f"/console/funds/{fund}/objections").text
    assert f"answer-form-{objection_id}" not in html

    fields = {**form_of(html, "object-form"), "outcome": "upheld", "answer": ANSWER}
    refused = bookkeeper.post(f"/console/funds/{fund}/objections/{objection_id}/answer", fields)

    assert refused.status_code == 403 and error_code(refused.text) == ["objection_answerer_not_approver"]
    assert [r["outcome"] for r in _objections(world, fund)] == [None]


def test_a_user_with_no_role_over_the_fund_gets_a_403_page(world):
    member = Browser(world, "member")  # of branch A, not B
    fund = world.funds["activity_b"]

    shown = member.get(f"/console/funds/{fund}/objections")
    html = member.get(f"/console/funds/{world.funds['activity_a']}/objections").text
    fields = {**form_of(html, "object-form"), "voucher_no": world.vouchers["activity_b"], "text": OBJECTION}
    sent = member.post(f"/console/funds/{fund}/objections", fields)

    assert shown.status_code == 403 and error_code(shown.text) == ["role_required"]
    assert sent.status_code == 403 and error_code(sent.text) == ["role_required"]
    assert _objections(world, fund) == []


def test_the_voucher_and_fund_pages_link_to_the_objections(world):
    fund, voucher = world.funds["activity_a"], world.vouchers["activity_a"]
    voucher_page = Browser(world, "bookkeeper").get(f"/console/funds/{fund}/vouchers/{voucher}").text
    link = f'href="/console/funds/{fund}/objections?voucher_no={voucher}"'
    assert link in voucher_page
    assert 'id="objections-link"' in Browser(world, "member").get(f"/console/funds/{fund}").text
    prefilled = Browser(world, "member").get(f"/console/funds/{fund}/objections?voucher_no={voucher}").text
    assert f'name="voucher_no" type="text" value="{voucher}"' in prefilled
