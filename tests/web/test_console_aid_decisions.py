"""Objections, answers, rejection and cancellation of aid cases on the console's case page:
each recorded once however often the form is sent, checked against the views (``v_aid_case``
through the API, the fund's reservation); what was typed stays private; refusals on the case
page with the domain's code and what was typed; 403 ``role_required`` without the role; CSRF.

The world is the API's aid world (tests/api/test_aid_cases.py): the community's mutual-aid
fund, two approvers and a cashier of the community, the auditor of the community; the member
of branch A is the beneficiary and applicant of every case here."""

from __future__ import annotations

from datetime import date

from ledger.projections import queries, runner
from tests.api.conftest import SEED, World
from tests.api.test_aid_cases import (
    AFTER_WINDOW,
    applied,
    case_view,
    mutual_aid_balance,
    pay,
    sign,
    under_a_street,
)
from tests.web.console_helpers import Browser, error_code, form_action, form_of

OBJECTION = "受助人家中另有收入，情况不实"
ANSWER = "经入户核实，符合救助条件"
REASON = "申请人已获单位全额报销"


def _approved(world: World) -> str:
    case_id = applied(world)
    assert sign(world, case_id, "approver2").status_code == 201
    return case_id


def _send(browser: Browser, case_id: str, form_id: str, **typed: str):
    """Open the case page, fill one of its forms and send it; (first answer, the fields sent)."""
    html = browser.get(f"/console/aid-cases/{case_id}").text
    fields = {**form_of(html, form_id), **typed}
    return browser.post(form_action(html, form_id), fields), fields


def _open_objection_cases(world: World) -> list[str]:
    world.client.app.state.follower.poke()
    views = world.client.app.state.views
    assert runner.wait_for(views, world.position(), timeout_s=5)
    return [row["case_id"] for row in queries.aid_cases(views, with_open_objections=True).rows]


def _objection_states(world: World, before: int) -> list[bytes]:
    stored = world.ledger.recorder.select_notifications(before, 100, inclusive_of_start=False)
    return [n.state for n in stored if n.topic == "fundbook:AidCase.ObjectionRaised"]


def _no_roles(world: World) -> Browser:
    person = world.ledger.register_person(actor=SEED, name_zh="无角色同志")["person_id"]
    user = world.ledger.register_user(actor=SEED, person_id=person)["user_id"]
    world.tokens["nobody"], _ = world.ledger.issue_token(user, actor=SEED)
    return Browser(world, "nobody")


# --- objections -----------------------------------------------------------------------------------
def test_an_objection_is_recorded_once_with_who_raised_it_and_its_text_is_never_shown(aid):
    case_id = _approved(aid)
    browser = Browser(aid, "auditor")
    before = aid.position()

    first, fields = _send(browser, case_id, "object-form", text=OBJECTION)
    second = browser.post(f"/console/aid-cases/{case_id}/objections", fields)

    shown = browser.follow(first)
    assert 'id="case-objections">1' in shown.text and OBJECTION not in shown.text
    assert "replayed=1" in second.headers["location"]
    assert case_view(aid, case_id)["open_objections"] == 1
    states = _objection_states(aid, before)
    assert len(states) == 1 and aid.people["auditor"].encode() in states[0]


def test_an_anonymous_objection_stores_no_identity_of_who_raised_it(aid):
    case_id = _approved(aid)
    browser = Browser(aid, "auditor")
    before = aid.position()

    browser.follow(_send(browser, case_id, "object-form", text=OBJECTION, anonymous="on")[0])

    states = _objection_states(aid, before)
    assert len(states) == 1
    for identity in (aid.users["auditor"], aid.people["auditor"]):
        assert identity.encode() not in states[0]
    assert case_view(aid, case_id)["open_objections"] == 1


def test_an_objection_without_text_is_refused_with_text_required_beside_it_keeping_the_anonymous_box(aid):
    case_id = _approved(aid)

    refused, _ = _send(Browser(aid, "auditor"), case_id, "object-form", text="  ", anonymous="on")

    assert refused.status_code == 422
    field = refused.text.split('id="field-object-text"')[1].split("</div>")[0]
    assert 'data-code="text_required"' in field
    assert 'name="anonymous" style="width:auto" checked' in refused.text
    assert case_view(aid, case_id)["open_objections"] == 0


def test_an_objection_to_a_rejected_case_from_a_stale_tab_is_refused_with_aid_case_closed(aid):
    case_id = applied(aid)
    browser = Browser(aid, "auditor")
    html = browser.get(f"/console/aid-cases/{case_id}").text
    aid.post(f"/aid-cases/{case_id}/rejection", {"reason": REASON}, role="approver1")

    refused = browser.post(
        f"/console/aid-cases/{case_id}/objections", {**form_of(html, "object-form"), "text": OBJECTION}
    )

    assert refused.status_code == 409 and error_code(refused.text) == ["aid_case_closed"]
    assert 'id="form-error"' in refused.text and 'id="object-form"' not in refused.text


def test_an_objection_is_refused_with_role_required_to_a_user_without_any_role(aid):
    case_id = _approved(aid)
    browser = _no_roles(aid)

    refused = browser.post(
        f"/console/aid-cases/{case_id}/objections",
        {"csrf": browser.csrf(), "request_id": "k-1", "text": OBJECTION},
    )

    assert refused.status_code == 403 and error_code(refused.text) == ["role_required"]
    assert case_view(aid, case_id)["open_objections"] == 0


def test_an_objection_without_the_csrf_token_is_refused_with_csrf_invalid(aid):
    case_id = _approved(aid)

    refused = Browser(aid, "auditor").post(
        f"/console/aid-cases/{case_id}/objections", {"request_id": "k-2", "text": OBJECTION}
    )

    assert refused.status_code == 403 and error_code(refused.text) == ["csrf_invalid"]
    assert case_view(aid, case_id)["open_objections"] == 0


# --- answers --------------------------------------------------------------------------------------
def test_an_objection_waits_on_the_approvers_home_until_answered_once_then_the_case_can_be_paid(aid):
    case_id = _approved(aid)
    aid.post(f"/aid-cases/{case_id}/objections", {"text": OBJECTION, "anonymous": True}, role="member")
    approver = Browser(aid, "approver1")
    home = approver.get("/console").text
    assert 'id="aid-to-answer"' in home and f'data-case="{case_id}"' in home.split('id="aid-to-answer"')[1]
    assert 'id="aid-to-answer"' not in Browser(aid, "cashier_c").get("/console").text
    assert _open_objection_cases(aid) == [case_id]

    first, fields = _send(approver, case_id, "answer-form-1", outcome="dismissed", answer=ANSWER)
    second = approver.post(f"/console/aid-cases/{case_id}/objections/1/answer", fields)

    shown = approver.follow(first)
    assert 'id="case-objections">0<' in shown.text and ANSWER not in shown.text
    assert 'data-status="approved"' in shown.text
    assert "replayed=1" in second.headers["location"]
    assert _open_objection_cases(aid) == []
    assert 'id="aid-to-answer"' not in approver.get("/console").text
    aid.ledger.today = lambda: AFTER_WINDOW
    assert pay(aid, case_id).status_code == 201


def test_an_upheld_objection_cancels_the_case_and_releases_the_reservation(aid):
    case_id = _approved(aid)
    aid.post(f"/aid-cases/{case_id}/objections", {"text": OBJECTION}, role="member")
    assert mutual_aid_balance(aid)["reserved"]["amount_fen"] == 40_000
    approver = Browser(aid, "approver1")

    shown = approver.follow(_send(approver, case_id, "answer-form-1", outcome="upheld", answer=ANSWER)[0])

    assert 'id="case-status" data-status="cancelled"' in shown.text
    assert case_view(aid, case_id)["status"] == "cancelled"
    assert mutual_aid_balance(aid)["reserved"]["amount_fen"] == 0


def test_an_answer_already_given_from_a_stale_tab_is_refused_with_objection_already_answered(aid):
    case_id = _approved(aid)
    aid.post(f"/aid-cases/{case_id}/objections", {"text": OBJECTION}, role="member")
    browser = Browser(aid, "approver1")
    html = browser.get(f"/console/aid-cases/{case_id}").text
    aid.post(
        f"/aid-cases/{case_id}/objections/1/answer", {"outcome": "dismissed", "answer": "x"}, role="approver2"
    )

    refused = browser.post(
        form_action(html, "answer-form-1"),
        {**form_of(html, "answer-form-1"), "outcome": "upheld", "answer": ANSWER},
    )

    assert refused.status_code == 409 and error_code(refused.text) == ["objection_already_answered"]
    assert case_view(aid, case_id)["status"] == "approved"


def test_an_answer_without_text_is_refused_with_text_required_keeping_the_outcome_chosen(aid):
    case_id = _approved(aid)
    aid.post(f"/aid-cases/{case_id}/objections", {"text": OBJECTION}, role="member")

    refused, _ = _send(
        Browser(aid, "approver1"), case_id, "answer-form-1", outcome="partly_upheld", answer=""
    )

    assert refused.status_code == 422
    field = refused.text.split('id="field-answer-answer-1"')[1].split("</div>")[0]
    assert 'data-code="text_required"' in field
    assert '<option value="partly_upheld" selected>' in refused.text
    assert case_view(aid, case_id)["open_objections"] == 1


def test_answering_is_refused_with_role_required_to_the_cashier_and_shown_only_to_an_approver(aid):
    case_id = _approved(aid)
    aid.post(f"/aid-cases/{case_id}/objections", {"text": OBJECTION}, role="member")
    cashier = Browser(aid, "cashier_c")
    assert 'id="answer-form-1"' not in cashier.get(f"/console/aid-cases/{case_id}").text

    refused = cashier.post(
        f"/console/aid-cases/{case_id}/objections/1/answer",
        {"csrf": cashier.csrf(), "request_id": "k-3", "outcome": "upheld", "answer": ANSWER},
    )

    assert refused.status_code == 403 and error_code(refused.text) == ["role_required"]
    assert case_view(aid, case_id)["open_objections"] == 1


# --- rejection ------------------------------------------------------------------------------------
def test_a_rejection_is_recorded_once_and_its_reason_is_never_shown(aid):
    case_id = applied(aid, requested="800.00")
    approver = Browser(aid, "approver1")

    first, fields = _send(approver, case_id, "reject-form", reason=REASON)
    second = approver.post(f"/console/aid-cases/{case_id}/reject", fields)

    shown = approver.follow(first)
    assert 'id="case-status" data-status="rejected"' in shown.text
    assert "replayed=1" in second.headers["location"]
    assert case_view(aid, case_id)["status"] == "rejected"
    assert REASON not in shown.text and REASON not in approver.get("/console/aid-cases").text
    assert REASON not in aid.get(f"/aid-cases/{case_id}", role="auditor").text
    assert 'id="reject-form"' not in shown.text and 'id="cancel-form"' not in shown.text


def test_a_rejection_without_a_reason_is_refused_with_text_required_beside_it(aid):
    case_id = applied(aid)

    refused, _ = _send(Browser(aid, "approver1"), case_id, "reject-form", reason="")

    assert refused.status_code == 422
    assert 'data-code="text_required"' in refused.text.split('id="field-reject-reason"')[1].split("</div>")[0]
    assert case_view(aid, case_id)["status"] == "applied"


def test_a_rejection_of_an_approved_case_is_refused_with_aid_case_not_awaiting_signatures(aid):
    case_id = _approved(aid)
    browser = Browser(aid, "approver1")
    assert 'id="reject-form"' not in browser.get(f"/console/aid-cases/{case_id}").text

    refused = browser.post(
        f"/console/aid-cases/{case_id}/reject",
        {"csrf": browser.csrf(), "request_id": "k-4", "reason": REASON},
    )

    assert refused.status_code == 409 and error_code(refused.text) == ["aid_case_not_awaiting_signatures"]
    assert f">{REASON}</textarea>" not in refused.text  # the reject form is not offered any more
    assert case_view(aid, case_id)["status"] == "approved"


def test_a_rejection_by_an_approver_who_is_the_beneficiary_is_refused_with_aid_signer_is_beneficiary(aid):
    case_id = applied(aid)
    aid.ledger.change_role(
        aid.users["member"], "grant", actor=SEED, role="approver", org_id=aid.orgs["community"]
    )
    browser = Browser(aid, "member")
    assert 'id="reject-form"' not in browser.get(f"/console/aid-cases/{case_id}").text

    refused = browser.post(
        f"/console/aid-cases/{case_id}/reject",
        {"csrf": browser.csrf(), "request_id": "k-5", "reason": REASON},
    )

    assert refused.status_code == 403 and error_code(refused.text) == ["aid_signer_is_beneficiary"]
    assert case_view(aid, case_id)["status"] == "applied"


def test_a_rejection_is_refused_with_role_required_to_the_auditor(aid):
    case_id = applied(aid)
    browser = Browser(aid, "auditor")
    assert 'id="reject-form"' not in browser.get(f"/console/aid-cases/{case_id}").text

    refused = browser.post(
        f"/console/aid-cases/{case_id}/reject",
        {"csrf": browser.csrf(), "request_id": "k-6", "reason": REASON},
    )

    assert refused.status_code == 403 and error_code(refused.text) == ["role_required"]


# --- cancellation ---------------------------------------------------------------------------------
def test_cancelling_an_approved_case_releases_its_reservation_once(aid):
    case_id = _approved(aid)
    approver = Browser(aid, "approver1")

    first, fields = _send(approver, case_id, "cancel-form", reason=REASON)
    second = approver.post(f"/console/aid-cases/{case_id}/cancel", fields)

    shown = approver.follow(first)
    assert 'id="case-status" data-status="cancelled"' in shown.text and REASON not in shown.text
    assert "replayed=1" in second.headers["location"]
    assert case_view(aid, case_id)["status"] == "cancelled"
    balance = mutual_aid_balance(aid)
    assert balance["reserved"]["amount_fen"] == 0
    assert balance["available"]["amount_fen"] == balance["balance"]["amount_fen"]


def test_cancelling_a_paid_case_from_a_stale_tab_is_refused_with_aid_case_closed(aid):
    case_id = _approved(aid)
    browser = Browser(aid, "approver1")
    html = browser.get(f"/console/aid-cases/{case_id}").text
    aid.ledger.today = lambda: AFTER_WINDOW
    assert pay(aid, case_id).status_code == 201

    refused = browser.post(
        f"/console/aid-cases/{case_id}/cancel", {**form_of(html, "cancel-form"), "reason": REASON}
    )

    assert refused.status_code == 409 and error_code(refused.text) == ["aid_case_closed"]
    assert case_view(aid, case_id)["status"] == "paid"


def test_cancelling_is_refused_with_role_required_to_the_cashier(aid):
    case_id = _approved(aid)
    cashier = Browser(aid, "cashier_c")
    assert 'id="cancel-form"' not in cashier.get(f"/console/aid-cases/{case_id}").text

    refused = cashier.post(
        f"/console/aid-cases/{case_id}/cancel",
        {"csrf": cashier.csrf(), "request_id": "k-7", "reason": REASON},
    )

    assert refused.status_code == 403 and error_code(refused.text) == ["role_required"]
    assert case_view(aid, case_id)["status"] == "approved"


# --- escalation (R36, ADR 0031) -------------------------------------------------------------------
def test_an_escalated_objection_waits_marked_on_the_street_approvers_home_and_is_answered_there(aid):
    under_a_street(aid)
    case_id = _approved(aid)
    aid.post(f"/aid-cases/{case_id}/objections", {"text": OBJECTION, "anonymous": True}, role="member")
    street = Browser(aid, "street")
    before = street.get("/console").text.split('id="aid-to-answer"')
    aid.ledger.today = lambda: date(2025, 7, 21)
    assert aid.post("/objections/escalations", {}, role="admin").status_code == 201
    _open_objection_cases(aid)  # the views have caught up

    home = street.get("/console").text
    listed = home.split('id="aid-to-answer"')[1].split("</table>")[0]
    assert f'data-case="{case_id}"' in listed and '<span class="escalated">已上报</span>' in listed
    assert 'class="escalated"' not in "".join(before)
    assert 'id="aid-to-answer"' not in Browser(aid, "approver_b").get("/console").text
    page = street.get(f"/console/aid-cases/{case_id}").text
    assert 'id="case-escalated"' in page and OBJECTION not in page

    first, _ = _send(street, case_id, "answer-form-1", outcome="dismissed", answer=ANSWER)

    assert first.status_code == 303, first.text
    assert case_view(aid, case_id)["escalated_objections"] == 0
    assert 'class="escalated"' not in street.get("/console").text
