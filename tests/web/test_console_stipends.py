"""Stipends due in the console: per office holder with terms in my organisations, the months due,
paid and unpaid and what they come to, as the views' stipend schedule has them; the bookkeeper's
link to the stipend entry form filled with the unpaid months, checked in capitals and recorded
once; refusals by code keeping what was typed; only my organisations; and the 403 page.

The world is the API's (tests/api/conftest.py): branch A's secretary (the member, in office from
2025-01-01) with terms of 100.00 a month from 2025-03, paid by A's activity fund; today is
2025-07-10, so 2025-03 … 2025-07 are due."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from ledger.domain.person import mask_name
from ledger.projections import queries, runner
from tests.api.conftest import World
from tests.api.test_stipends import stipend, terms
from tests.web.console_helpers import Browser, error_code, form_fields


@pytest.fixture
def termed(world: World) -> World:
    answer = world.post(f"/organisations/{world.orgs['a']}/stipend-terms", terms(world))
    assert answer.status_code == 201, answer.text
    return world


def _schedule(world: World, through: str = "2025-07") -> list[queries.StipendDue]:
    world.client.app.state.follower.poke()
    assert runner.wait_for(world.client.app.state.views, world.position(), timeout_s=5)
    return queries.stipend_schedule(world.client.app.state.views, through=through, org_id=world.orgs["a"])


def _row(html: str, world: World) -> str:
    return html.split(f'data-person="{world.people["member"]}"')[1].split("</tr>")[0]


def _shown_values(html: str) -> dict[str, str]:
    """What a browser would send from the form as shown: text inputs and selected options."""
    main = html.split("<main>", 1)[1]
    values = dict(re.findall(r'<input id="([a-z_]+)" name="\1" type="[a-z]+"[^>]*? value="([^"]*)">', main))
    for name, options in re.findall(r'<select id="([a-z_]+)" name="\1">(.*?)</select>', main, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        values[name] = chosen[1] if chosen else ""
    return values


def test_the_page_shows_the_months_unpaid_and_their_amount_as_the_schedule_has_them(termed):
    shown = Browser(termed, "auditor").get("/console/stipends")

    assert shown.status_code == 200
    [due] = _schedule(termed)
    row = _row(shown.text, termed)
    assert f">{mask_name('member同志')}<" in row and "第一支部活动经费" in row
    assert f'class="num due">{len(due.months_due)}<' in row and 'class="num paid">0<' in row
    assert f'class="unpaid-months">{"、".join(due.months_unpaid)}<' in row
    assert due.unpaid_fen == 50_000 and 'class="num unpaid" title="人民币伍佰元整">500.00<' in row
    assert 'id="total-capital">人民币伍佰元整<' in shown.text
    assert "record-stipend" not in row  # the auditor reads, does not pay


def test_an_earlier_through_month_counts_fewer_months(termed):
    row = _row(Browser(termed, "auditor").get("/console/stipends", through="2025-04").text, termed)

    assert 'class="unpaid-months">2025-03、2025-04<' in row and ">200.00<" in row


def test_a_malformed_month_is_refused_with_period_invalid(termed):
    refused = Browser(termed, "auditor").get("/console/stipends", through="July")

    assert refused.status_code == 422 and error_code(refused.text) == ["period_invalid"]


def test_the_bookkeepers_link_fills_the_stipend_form_and_the_payment_is_recorded_once(termed):
    browser = Browser(termed, "bookkeeper")
    assert 'id="stipends-waiting"' in browser.get("/console").text
    link = re.search(r'href="([^"]+)">登记发放<', browser.get("/console/stipends").text)[1]

    form = browser.get(unquote(link.replace("&amp;", "&")))

    assert form.status_code == 200
    assert (
        'value="2025-03, 2025-04, 2025-05, 2025-06, 2025-07"' in form.text and 'value="500.00"' in form.text
    )
    shown = _shown_values(form.text)
    assert (shown["person_id"], shown["role"]) == (termed.people["member"], "secretary")
    typed = {**form_fields(form.text), **shown, "handled_by": "出纳", "doc_refs": "签收单-7"}
    check = browser.post(f"/console/funds/{termed.funds['activity_a']}/record/stipend", typed)
    assert check.status_code == 200, error_code(check.text)
    assert 'id="confirm-capital">人民币伍佰元整<' in check.text
    assert _schedule(termed)[0].months_paid == []  # nothing saved by the check
    confirm = {**form_fields(check.text), "step": "confirm"}
    first = browser.post(f"/console/funds/{termed.funds['activity_a']}/record/stipend", confirm)
    second = browser.post(f"/console/funds/{termed.funds['activity_a']}/record/stipend", confirm)

    assert first.status_code == 303 and "replayed=1" in second.headers["location"]
    [due] = _schedule(termed)
    assert (due.months_unpaid, due.unpaid_fen) == ([], 0)
    after = browser.get("/console/stipends").text
    assert 'class="num paid">5<' in _row(after, termed) and "record-stipend" not in after
    assert 'id="stipends-waiting"' not in browser.get("/console").text


def test_a_month_already_paid_is_refused_with_stipend_already_paid_keeping_what_was_typed(termed):
    paid = termed.post(
        f"/funds/{termed.funds['activity_a']}/stipends", stipend(termed, ["2025-03"], "100.00")
    )
    assert paid.status_code == 201, paid.text
    browser = Browser(termed, "bookkeeper")
    url = f"/console/funds/{termed.funds['activity_a']}/record/stipend"
    typed = {
        "occurred_on": "2025-07-05",
        "amount": "100.00",
        "person_id": termed.people["member"],
        "months": "2025-03",
        "role": "secretary",
        "handled_by": "出纳-李",
        "doc_refs": "签收单-8",
    }

    refused = browser.post(url, {**form_fields(browser.get(url).text), **typed})

    assert refused.status_code == 409 and error_code(refused.text) == [
        "stipend_already_paid"
    ]  # the refusal's own status, as the API answers it
    assert 'value="出纳-李"' in refused.text and 'value="签收单-8"' in refused.text
    assert _schedule(termed)[0].months_paid == ["2025-03"]


def test_another_branchs_member_sees_no_stipends_of_branch_a(termed):
    termed.ledger.change_role(
        termed.users["member"], "revoke", actor="seed", role="member", org_id=termed.orgs["a"]
    )
    termed.ledger.change_role(
        termed.users["member"], "grant", actor="seed", role="member", org_id=termed.orgs["b"]
    )

    shown = Browser(termed, "member").get("/console/stipends")

    assert shown.status_code == 200 and 'id="no-stipends"' in shown.text
    assert termed.people["member"] not in shown.text


def test_the_page_is_refused_with_role_required_for_a_user_without_any_role(termed):
    termed.ledger.change_role(
        termed.users["member"], "revoke", actor="seed", role="member", org_id=termed.orgs["a"]
    )

    refused = Browser(termed, "member").get("/console/stipends")

    assert refused.status_code == 403 and error_code(refused.text) == ["role_required"]
