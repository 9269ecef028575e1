"""Collections in the console: the list and one collection's page against the views (v_fee,
v_collection_status, the journal), the settlement preview in capital numerals and that it is
what settling then records, and the bookkeeper's forms — assess, a fee payment, settle, close —
each checked without saving, recorded once however often it is sent, refused with its code
beside the field keeping what was typed, and refused with a 403 page without the role.

The world is the API's pooled world (tests/api/test_collections.py): branch A's collection
乒乓球台集资 (cash box, empty), its bookkeeper, and three participants (member, cashier, auditor)."""

from __future__ import annotations

import re
from datetime import date

from ledger.domain.person import mask_name
from ledger.projections import queries, runner
from tests.api.conftest import World
from tests.api.test_collections import assess, fee, participants
from tests.web.console_helpers import Browser, error_code, form_fields

_TICKS = re.compile(r'name="(participant_[0-9a-f-]+)" value="on"')


def _views(world: World):
    world.client.app.state.follower.poke()
    assert runner.wait_for(world.client.app.state.views, world.position(), timeout_s=5)
    return world.client.app.state.views


def _owed_paid_refunded(world: World) -> list[tuple[int, int, int]]:
    rows = queries.collection_members(_views(world), world.funds["pool"])
    return [(r.owed_fen, r.paid_fen, r.refunded_fen) for r in rows]


def _status(world: World) -> str:
    return queries.collection_status(_views(world), world.funds["pool"])


def _paid_and_spent(world: World) -> None:
    """900.00 assessed; 300 + 300 + 150 paid; 600.00 spent: 150.00 left to refund."""
    assert assess(world).status_code == 201
    for person, amount in zip(participants(world), ("300.00", "300.00", "150.00"), strict=True):
        assert fee(world, person, amount).status_code == 201
    world.ledger.record(
        world.funds["pool"],
        "pay_expense",
        actor="seed",
        occurred_on=date(2025, 7, 6),
        amount_fen=60_000,
        category="ping_pong_table",
        payee="体育用品店",
        handled_by="经办人",
        approved_by="组长",
        doc_refs=["发票"],
    )


def _url(world: World, tail: str = "") -> str:
    return f"/console/collections/{world.funds['pool']}{tail}"


def _ticked(world: World, *keys: str) -> dict[str, str]:
    return {f"participant_{world.people[k]}": "on" for k in keys}


def _assess_check(browser: Browser, world: World, **typed: str):
    form = form_fields(browser.get(_url(world, "/assess")).text)
    people = _ticked(world, "member", "cashier", "auditor")
    return browser.post(
        _url(world, "/assess"), {**form, "basis": "equal_split", "amount": "900.01", **people, **typed}
    )


def _confirm(html: str) -> dict[str, str]:
    """The hidden fields of a check page's confirm form, ticked participants included."""
    return {**form_fields(html), **dict.fromkeys(_TICKS.findall(html), "on"), "step": "confirm"}


# --- the list and the collection's page --------------------------------------------------------
def test_the_list_shows_each_collection_with_status_and_totals_from_the_views(pooled):
    _paid_and_spent(pooled)

    listed = Browser(pooled, "auditor").get("/console/collections")

    assert listed.status_code == 200
    row = listed.text.split(f'data-fund="{pooled.funds["pool"]}"')[1].split("</tr>")[0]
    assert "乒乓球台集资" in row and 'data-status="open"' in row
    owed, paid, refunded = (sum(col) for col in zip(*_owed_paid_refunded(pooled), strict=True))
    assert (owed, paid, refunded) == (90_000, 75_000, 0)
    assert 'class="num owed">900.00<' in row and 'class="num paid">750.00<' in row
    assert 'class="num outstanding">150.00<' in row and 'class="num balance">150.00<' in row
    assert pooled.funds["activity_a"] not in listed.text  # not a collection


def test_the_page_shows_masked_participants_and_a_settlement_preview_in_capitals(pooled):
    _paid_and_spent(pooled)

    shown = Browser(pooled, "auditor").get(_url(pooled))

    assert shown.status_code == 200 and 'id="collection-status" data-status="open"' in shown.text
    member = shown.text.split(f'data-person="{pooled.people["member"]}"')[1].split("</tr>")[0]
    assert f">{mask_name('member同志')}<" in member and "member同志" not in shown.text
    assert 'class="num owed">300.00<' in member and 'class="num paid">300.00<' in member
    assert 'id="preview-surplus">150.00<' in shown.text
    assert 'id="preview-capital">人民币壹佰伍拾元整<' in shown.text
    refunds = shown.text.split('id="preview-refunds"')[1].split("</table>")[0]
    assert [r for r in re.findall(r'class="num refund">([0-9.,]+)<', refunds)] == ["60.00", "60.00", "30.00"]
    assert "人民币陆拾元整" in refunds and "人民币叁拾元整" in refunds
    assert 'id="settle-link"' not in shown.text  # the auditor reads, does not write
    assert [row["entry_kind"] for row in queries.journal(_views(pooled), pooled.funds["pool"]).rows] == [
        "fee",
        "fee",
        "fee",
        "expense",
    ]
    assert shown.text.count('data-kind="fee"') == 3


def test_a_fund_of_another_kind_is_refused_with_fund_not_a_collection(pooled):
    refused = Browser(pooled, "auditor").get(f"/console/collections/{pooled.funds['activity_a']}")

    assert refused.status_code == 422 and error_code(refused.text) == ["fund_not_a_collection"]


def test_the_collections_page_is_refused_with_role_required_above_the_users_branch(pooled):
    pooled.ledger.change_role(
        pooled.users["member"], "revoke", actor="seed", role="member", org_id=pooled.orgs["a"]
    )
    pooled.ledger.change_role(
        pooled.users["member"], "grant", actor="seed", role="member", org_id=pooled.orgs["b"]
    )

    refused = Browser(pooled, "member").get(_url(pooled))

    assert refused.status_code == 403 and error_code(refused.text) == ["role_required"]
    assert pooled.funds["pool"] not in Browser(pooled, "member").get("/console/collections").text


def test_the_fund_page_of_a_collection_offers_fees_and_spending_and_links_its_collection_page(pooled):
    browser = Browser(pooled, "bookkeeper")

    collection = browser.get(f"/console/funds/{pooled.funds['pool']}").text
    activity = browser.get(f"/console/funds/{pooled.funds['activity_a']}").text

    assert 'id="record-fee"' in collection and 'id="record-expense"' in collection
    assert 'id="record-grant"' not in collection and 'id="collection-link"' in collection
    assert 'id="record-fee"' not in activity and 'id="record-grant"' in activity


# --- assessing ----------------------------------------------------------------------------------
def test_an_assessment_is_read_back_in_capitals_then_recorded_once_confirmed(pooled):
    browser = Browser(pooled, "bookkeeper")

    check = _assess_check(browser, pooled)

    assert check.status_code == 200
    assert 'id="confirm-capital">人民币玖佰元零壹分<' in check.text and 'id="confirm-count">3<' in check.text
    owed = re.findall(r'<td class="num">([0-9.,]+)</td>', check.text.split('id="confirm-owed"')[1])
    assert owed == ["300.01", "300.00", "300.00"]
    assert _owed_paid_refunded(pooled) == []  # nothing saved by the check
    confirm = _confirm(check.text)
    first = browser.post(_url(pooled, "/assess"), confirm)
    second = browser.post(_url(pooled, "/assess"), confirm)

    assert first.status_code == 303 and "replayed=1" in second.headers["location"]
    assert 'id="replayed"' in browser.follow(second).text
    assert _owed_paid_refunded(pooled) == [(30_001, 0, 0), (30_000, 0, 0), (30_000, 0, 0)]


def test_an_assessment_with_a_bad_amount_is_refused_beside_the_amount_keeping_the_ticks(pooled):
    refused = _assess_check(Browser(pooled, "bookkeeper"), pooled, amount="12.345")

    assert refused.status_code == 422
    field = refused.text.split('id="field-amount"')[1].split("</div>\n")[0]
    assert 'data-code="amount_too_many_decimals"' in field and 'value="12.345"' in field
    assert len(re.findall(r'value="on" checked', refused.text)) == 3


def test_an_assessment_without_participants_is_refused_with_text_required(pooled):
    browser = Browser(pooled, "bookkeeper")
    form = form_fields(browser.get(_url(pooled, "/assess")).text)

    refused = browser.post(_url(pooled, "/assess"), {**form, "basis": "per_head", "amount": "50"})

    field = refused.text.split('id="field-participants"')[1].split("</div>\n")[0]
    assert refused.status_code == 422 and 'data-code="text_required"' in field
    assert 'value="50"' in refused.text


def test_a_second_assessment_is_refused_with_collection_already_assessed_keeping_what_was_typed(pooled):
    assess(pooled)

    refused = _assess_check(Browser(pooled, "bookkeeper"), pooled, amount="450.00")

    assert refused.status_code == 409 and error_code(refused.text) == ["collection_already_assessed"]
    assert 'id="form-error"' in refused.text and 'value="450.00"' in refused.text


def test_the_assessment_form_is_refused_with_role_required_for_the_auditor(pooled):
    browser = Browser(pooled, "auditor")

    shown = browser.get(_url(pooled, "/assess"))
    posted = browser.post(_url(pooled, "/assess"), {"csrf": browser.csrf(), "amount": "9", "step": "confirm"})

    assert shown.status_code == 403 and error_code(shown.text) == ["role_required"]
    assert posted.status_code == 403 and error_code(posted.text) == ["role_required"]
    assert _owed_paid_refunded(pooled) == []


# --- a fee payment (the fund's entry form) -------------------------------------------------------
def _fee_check(browser: Browser, world: World, **typed: str):
    url = f"/console/funds/{world.funds['pool']}/record/fee"
    form = form_fields(browser.get(url).text)
    body = {"occurred_on": "2025-07-05", "amount": "300.00", "person_id": world.people["member"]}
    return browser.post(url, {**form, **body, "doc_refs": "收据F-1", **typed})


def test_a_fee_is_read_back_in_capitals_with_the_masked_payer_then_recorded_once(pooled):
    assess(pooled)
    browser = Browser(pooled, "bookkeeper")
    form = browser.get(f"/console/funds/{pooled.funds['pool']}/record/fee").text
    payers = form.split('id="person_id"')[1].split("</select>")[0]
    assert re.findall(r'<option value="([0-9a-f-]+)"', payers) == participants(pooled)  # only they pay

    check = _fee_check(browser, pooled)

    assert check.status_code == 200 and 'id="confirm-capital">人民币叁佰元整<' in check.text
    assert f'id="confirm-counterparty">{mask_name("member同志")}<' in check.text
    assert _owed_paid_refunded(pooled)[0] == (30_000, 0, 0)
    confirm = {**form_fields(check.text), "step": "confirm"}
    first = browser.post(f"/console/funds/{pooled.funds['pool']}/record/fee", confirm)
    second = browser.post(f"/console/funds/{pooled.funds['pool']}/record/fee", confirm)

    assert "/vouchers/" in first.headers["location"] and "replayed=1" in second.headers["location"]
    assert _owed_paid_refunded(pooled)[0] == (30_000, 30_000, 0)
    page = Browser(pooled, "auditor").get(_url(pooled)).text
    assert page.count('data-kind="fee"') == 1


def test_a_fee_from_someone_not_assessed_is_refused_beside_the_payer_keeping_the_amount(pooled):
    assess(pooled)

    refused = _fee_check(
        Browser(pooled, "bookkeeper"), pooled, person_id=pooled.people["bookkeeper"], amount="88.80"
    )

    assert refused.status_code == 422
    field = refused.text.split('id="field-person_id"')[1].split("</div>\n")[0]
    assert 'data-code="fee_payer_not_participant"' in field
    assert 'value="88.80"' in refused.text


def test_the_fee_form_is_refused_with_role_required_for_the_cashier(pooled):
    assess(pooled)

    refused = Browser(pooled, "cashier").get(f"/console/funds/{pooled.funds['pool']}/record/fee")

    assert refused.status_code == 403 and error_code(refused.text) == ["role_required"]


# --- settling -----------------------------------------------------------------------------------
def _settle_check(browser: Browser, world: World, **typed: str):
    form = form_fields(browser.get(_url(world, "/settle")).text)
    return browser.post(
        _url(world, "/settle"), {**form, "occurred_on": "2025-07-08", "doc_refs": "结算表", **typed}
    )


def test_settling_reads_each_refund_back_in_capitals_then_refunds_once_as_previewed(pooled):
    _paid_and_spent(pooled)
    browser = Browser(pooled, "bookkeeper")
    previewed = re.findall(r'class="num refund">([0-9.,]+)<', browser.get(_url(pooled)).text)

    check = _settle_check(browser, pooled)

    assert check.status_code == 200 and 'id="confirm-capital">人民币壹佰伍拾元整<' in check.text
    assert (
        re.findall(r'class="num refund">([0-9.,]+)<', check.text) == previewed == ["60.00", "60.00", "30.00"]
    )
    assert _status(pooled) == "open"  # nothing saved by the check
    confirm = {**form_fields(check.text), "step": "confirm"}
    first = browser.post(_url(pooled, "/settle"), confirm)
    second = browser.post(_url(pooled, "/settle"), confirm)

    shown = browser.follow(first)
    assert 'id="collection-status" data-status="settled"' in shown.text
    assert "replayed=1" in second.headers["location"]
    assert [r[2] for r in _owed_paid_refunded(pooled)] == [6_000, 6_000, 3_000]
    journal = queries.journal(_views(pooled), pooled.funds["pool"], page_size=50).rows
    assert sum(1 for row in journal if row["entry_kind"] == "refund") == 3
    assert queries.fund_balance(_views(pooled), pooled.funds["pool"]).balance_fen == 0


def test_settling_equally_previews_the_equal_rule(pooled):
    _paid_and_spent(pooled)

    check = _settle_check(Browser(pooled, "bookkeeper"), pooled, rule="equal")

    assert re.findall(r'class="num refund">([0-9.,]+)<', check.text) == ["50.00", "50.00", "50.00"]


def test_settling_with_a_bad_date_is_refused_beside_the_date_keeping_what_was_typed(pooled):
    _paid_and_spent(pooled)

    refused = _settle_check(
        Browser(pooled, "bookkeeper"), pooled, occurred_on="2025-13-40", doc_refs="结算表-7"
    )

    field = refused.text.split('id="field-occurred_on"')[1].split("</div>\n")[0]
    assert refused.status_code == 422 and 'data-code="date_invalid"' in field
    assert 'value="结算表-7"' in refused.text and _status(pooled) == "open"


def test_settling_twice_is_refused_with_collection_already_settled(pooled):
    _paid_and_spent(pooled)
    browser = Browser(pooled, "bookkeeper")
    browser.follow(
        browser.post(
            _url(pooled, "/settle"), {**form_fields(_settle_check(browser, pooled).text), "step": "confirm"}
        )
    )

    refused = _settle_check(browser, pooled, doc_refs="结算表-2")

    assert refused.status_code == 409 and error_code(refused.text) == ["collection_already_settled"]
    assert 'value="结算表-2"' in refused.text


def test_the_settlement_is_refused_with_role_required_for_a_member(pooled):
    _paid_and_spent(pooled)
    browser = Browser(pooled, "member")

    refused = browser.post(
        _url(pooled, "/settle"), {"csrf": browser.csrf(), "occurred_on": "2025-07-08", "step": "confirm"}
    )

    assert refused.status_code == 403 and error_code(refused.text) == ["role_required"]
    assert _status(pooled) == "open"


def test_a_settlement_without_the_csrf_token_is_refused_with_csrf_invalid(pooled):
    _paid_and_spent(pooled)

    refused = Browser(pooled, "bookkeeper").post(
        _url(pooled, "/settle"), {"occurred_on": "2025-07-08", "step": "confirm"}
    )

    assert refused.status_code == 403 and error_code(refused.text) == ["csrf_invalid"]
    assert _status(pooled) == "open"


# --- closing ------------------------------------------------------------------------------------
def test_closing_before_settling_is_refused_with_collection_not_settled(pooled):
    _paid_and_spent(pooled)
    browser = Browser(pooled, "bookkeeper")

    refused = browser.post(_url(pooled, "/close"), {"csrf": browser.csrf(), "request_id": "close-1"})

    assert refused.status_code == 409 and error_code(refused.text) == ["collection_not_settled"]
    assert _status(pooled) == "open"


def test_a_settled_collection_closes_once_however_often_the_button_is_pressed(pooled):
    _paid_and_spent(pooled)
    pooled.post(
        f"/funds/{pooled.funds['pool']}/settlement", {"occurred_on": "2025-07-08", "doc_refs": ["结算表"]}
    )
    browser = Browser(pooled, "bookkeeper")
    close = form_fields("<main>" + browser.get(_url(pooled)).text.split('id="close-form"')[1])

    first = browser.post(_url(pooled, "/close"), close)
    second = browser.post(_url(pooled, "/close"), close)

    assert 'data-status="closed"' in browser.follow(first).text
    assert "replayed=1" in second.headers["location"]
    assert _status(pooled) == "closed"


def test_closing_is_refused_with_role_required_for_the_auditor(pooled):
    _paid_and_spent(pooled)
    pooled.post(
        f"/funds/{pooled.funds['pool']}/settlement", {"occurred_on": "2025-07-08", "doc_refs": ["结算表"]}
    )
    browser = Browser(pooled, "auditor")

    refused = browser.post(_url(pooled, "/close"), {"csrf": browser.csrf(), "request_id": "close-2"})

    assert refused.status_code == 403 and error_code(refused.text) == ["role_required"]
    assert _status(pooled) == "settled"
