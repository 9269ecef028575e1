"""Aid cases in the console: the list of my organisations' cases (never the private reason),
"waiting for me" on the home page, an approver's signature (once however often it is sent),
the cashier's payment read back in capital numerals and refused by the domain's codes before
the notice window ends or with an objection unanswered, CSRF, and the 403 page without the role.

The world is the API's aid world (tests/api/test_aid_cases.py): the community's mutual-aid
fund (1000.00, 7-day window), two approvers and a cashier of the community; today is
2025-07-10 and a test moves the business date by setting ``ledger.today``."""

from __future__ import annotations

from ledger.domain.person import mask_name
from ledger.projections import queries, runner
from tests.api.conftest import World
from tests.api.test_aid_cases import AFTER_WINDOW, applied, case_view, mutual_aid_balance, sign
from tests.web.console_helpers import Browser, error_code, form_fields

CAPITAL_400 = "人民币肆佰元整"


def _caught_up(world: World) -> None:
    world.client.app.state.follower.poke()
    assert runner.wait_for(world.client.app.state.views, world.position(), timeout_s=5)


def _approved(world: World) -> str:
    case_id = applied(world)
    assert sign(world, case_id, "approver2").status_code == 201
    return case_id


def _pay_check(browser: Browser, case_id: str, **typed: str):
    form = form_fields(browser.get(f"/console/aid-cases/{case_id}/pay").text)
    return browser.post(
        f"/console/aid-cases/{case_id}/pay",
        {**form, "paid_on": AFTER_WINDOW.isoformat(), "doc_refs": "签收单-001", **typed},
    )


# --- the list and the case page ----------------------------------------------------------------
def test_the_list_shows_each_case_with_fund_category_amount_signatures_and_never_the_private_reason(aid):
    case_id = applied(aid, requested="800.00")
    browser = Browser(aid, "auditor")

    listed = browser.get("/console/aid-cases")

    assert listed.status_code == 200
    row = listed.text.split(f'data-case="{case_id}"')[1].split("</tr>")[0]
    assert 'data-status="applied"' in row and "党员互助金" in row and "慰问因病住院党员" in row
    assert "800.00" in row and ">0/2<" in row
    assert "住院手术" not in listed.text


def test_the_case_page_shows_the_masked_beneficiary_and_the_amount_in_capitals_but_not_the_reason(aid):
    case_id = applied(aid)

    shown = Browser(aid, "auditor").get(f"/console/aid-cases/{case_id}")

    assert shown.status_code == 200
    assert f'id="case-capital">{CAPITAL_400}<' in shown.text
    assert (
        f'id="case-beneficiary">{mask_name("member同志")}<' in shown.text and "member同志" not in shown.text
    )
    assert "住院手术" not in shown.text
    assert 'id="sign-form"' not in shown.text  # the auditor may read, not sign


def test_a_case_page_is_refused_with_role_required_for_a_member_of_a_branch_below(aid):
    case_id = applied(aid)

    refused = Browser(aid, "member").get(f"/console/aid-cases/{case_id}")

    assert refused.status_code == 403 and error_code(refused.text) == ["role_required"]


def test_an_unknown_case_is_refused_with_aid_case_not_found(aid):
    refused = Browser(aid, "auditor").get("/console/aid-cases/no-such-case")

    assert refused.status_code == 404 and error_code(refused.text) == ["aid_case_not_found"]


# --- waiting for me -------------------------------------------------------------------------------
def test_the_home_page_lists_a_case_an_approver_may_sign_until_they_signed_it(aid):
    case_id = applied(aid, requested="800.00")
    browser = Browser(aid, "approver2")

    before = browser.get("/console").text
    assert 'id="aid-to-sign"' in before and f'data-case="{case_id}"' in before
    assert f'data-case="{case_id}"' not in Browser(aid, "cashier_c").get("/console").text

    case_page = browser.get(f"/console/aid-cases/{case_id}")
    browser.follow(browser.post(f"/console/aid-cases/{case_id}/sign", form_fields(case_page.text)))

    assert f'data-case="{case_id}"' not in browser.get("/console").text


def test_the_home_page_lists_an_approved_case_for_the_cashier_only_after_its_window(aid):
    case_id = _approved(aid)
    cashier = Browser(aid, "cashier_c")
    assert f'data-case="{case_id}"' not in cashier.get("/console").text

    aid.ledger.today = lambda: AFTER_WINDOW

    home = cashier.get("/console").text
    assert 'id="aid-to-pay"' in home and f'data-case="{case_id}"' in home


# --- signing --------------------------------------------------------------------------------------
def test_an_approvers_signature_approves_the_case_reserves_the_money_and_is_recorded_once(aid):
    case_id = applied(aid)
    browser = Browser(aid, "approver2")
    fields = form_fields(browser.get(f"/console/aid-cases/{case_id}").text)

    first = browser.post(f"/console/aid-cases/{case_id}/sign", fields)
    second = browser.post(f"/console/aid-cases/{case_id}/sign", fields)

    shown = browser.follow(first)
    assert 'id="case-status" data-status="approved"' in shown.text
    assert "replayed=1" in second.headers["location"]
    view = case_view(aid, case_id)
    assert (view["status"], len(view["signed_by"])) == ("approved", 1)
    assert mutual_aid_balance(aid)["reserved"]["amount_fen"] == 40_000


def test_a_second_signature_by_the_same_approver_is_refused_with_aid_already_signed_on_the_case_page(aid):
    case_id = applied(aid, requested="800.00")
    browser = Browser(aid, "approver2")
    browser.follow(
        browser.post(
            f"/console/aid-cases/{case_id}/sign",
            form_fields(browser.get(f"/console/aid-cases/{case_id}").text),
        )
    )

    shown = browser.get(f"/console/aid-cases/{case_id}").text
    assert 'id="sign-form"' not in shown  # no form once signed; a stale tab may still send one
    again = browser.post(
        f"/console/aid-cases/{case_id}/sign", {"csrf": browser.csrf(), "request_id": "stale"}
    )

    assert again.status_code == 409
    assert 'id="form-error"' in again.text and error_code(again.text) == ["aid_already_signed"]
    assert len(case_view(aid, case_id)["signed_by"]) == 1


def test_the_beneficiary_signing_is_refused_with_aid_signer_is_beneficiary(aid):
    case_id = applied(aid)  # the member is the beneficiary (and the applicant)
    aid.ledger.change_role(
        aid.users["member"], "grant", actor="seed", role="approver", org_id=aid.orgs["community"]
    )
    browser = Browser(aid, "member")

    shown = browser.get(f"/console/aid-cases/{case_id}").text
    refused = browser.post(f"/console/aid-cases/{case_id}/sign", {"csrf": browser.csrf(), "request_id": "k3"})

    assert 'id="sign-form"' not in shown
    assert refused.status_code == 403 and error_code(refused.text) == ["aid_signer_is_beneficiary"]
    assert case_view(aid, case_id)["status"] == "applied"


def test_signing_is_refused_with_role_required_for_the_cashier(aid):
    case_id = applied(aid)
    browser = Browser(aid, "cashier_c")

    refused = browser.post(f"/console/aid-cases/{case_id}/sign", {"csrf": browser.csrf(), "request_id": "k1"})

    assert refused.status_code == 403 and error_code(refused.text) == ["role_required"]
    assert case_view(aid, case_id)["signed_by"] == []


def test_a_signature_without_the_csrf_token_is_refused_with_csrf_invalid(aid):
    case_id = applied(aid)
    browser = Browser(aid, "approver2")

    refused = browser.post(f"/console/aid-cases/{case_id}/sign", {"request_id": "k2"})

    assert refused.status_code == 403 and error_code(refused.text) == ["csrf_invalid"]
    assert case_view(aid, case_id)["signed_by"] == []


# --- paying ---------------------------------------------------------------------------------------
def test_a_payment_is_read_back_in_capitals_then_paid_once_confirmed_and_the_reservation_consumed(aid):
    case_id = _approved(aid)
    aid.ledger.today = lambda: AFTER_WINDOW
    browser = Browser(aid, "cashier_c")
    before = mutual_aid_balance(aid)

    check = _pay_check(browser, case_id)

    assert check.status_code == 200
    assert f'id="confirm-capital">{CAPITAL_400}<' in check.text
    assert 'id="confirm-amount" data-fen="40000">400.00<' in check.text
    assert case_view(aid, case_id)["status"] == "approved"  # nothing saved by the check
    confirm = {**form_fields(check.text), "step": "confirm"}
    first = browser.post(f"/console/aid-cases/{case_id}/pay", confirm)
    second = browser.post(f"/console/aid-cases/{case_id}/pay", confirm)

    shown = browser.follow(first)
    assert 'data-status="paid"' in shown.text and 'id="case-paid-on">2025-07-17<' in shown.text
    assert "replayed=1" in second.headers["location"]
    after = mutual_aid_balance(aid)
    assert after["balance"]["amount_fen"] == before["balance"]["amount_fen"] - 40_000
    assert after["reserved"]["amount_fen"] == 0
    _caught_up(aid)
    journal = queries.journal(aid.client.app.state.views, aid.funds["mutual_aid"], page_size=50).rows
    assert sum(1 for row in journal if row["entry_kind"] == "aid") == 1


def test_a_payment_inside_the_notice_window_is_refused_with_aid_notice_window_open_beside_the_date(aid):
    case_id = _approved(aid)
    browser = Browser(aid, "cashier_c")

    refused = _pay_check(browser, case_id, paid_on="2025-07-10")

    assert refused.status_code == 409
    field = refused.text.split('id="field-paid_on"')[1].split("</div>\n")[0]
    assert 'data-code="aid_notice_window_open"' in field
    assert 'id="confirm"' not in refused.text
    assert case_view(aid, case_id)["status"] == "approved"


def test_a_payment_with_an_objection_unanswered_is_refused_with_aid_objection_unanswered(aid):
    case_id = _approved(aid)
    objected = aid.post(
        f"/aid-cases/{case_id}/objections", {"text": "情况不实", "anonymous": True}, role="member"
    )
    assert objected.status_code == 201, objected.text
    aid.ledger.today = lambda: AFTER_WINDOW

    refused = _pay_check(Browser(aid, "cashier_c"), case_id)

    assert refused.status_code == 409 and error_code(refused.text) == ["aid_objection_unanswered"]
    assert 'id="form-error"' in refused.text
    assert case_view(aid, case_id)["status"] == "approved"


def test_a_payment_without_a_receipt_is_refused_with_text_required_and_keeps_what_was_typed(aid):
    case_id = _approved(aid)
    aid.ledger.today = lambda: AFTER_WINDOW

    refused = _pay_check(Browser(aid, "cashier_c"), case_id, doc_refs="", memo="当面发放")

    assert refused.status_code == 422
    field = refused.text.split('id="field-doc_refs"')[1].split("</div>\n")[0]
    assert 'data-code="text_required"' in field
    assert 'value="当面发放"' in refused.text


def test_the_pay_form_is_refused_with_role_required_for_an_approver(aid):
    case_id = _approved(aid)

    refused = Browser(aid, "approver1").get(f"/console/aid-cases/{case_id}/pay")

    assert refused.status_code == 403 and error_code(refused.text) == ["role_required"]


def test_a_payment_by_a_cashier_who_signed_is_refused_with_aid_payer_is_signer(aid):
    aid.ledger.change_role(
        aid.users["approver2"], "grant", actor="seed", role="cashier", org_id=aid.orgs["community"]
    )
    case_id = _approved(aid)
    aid.ledger.today = lambda: AFTER_WINDOW

    refused = _pay_check(Browser(aid, "approver2"), case_id)

    assert refused.status_code == 403 and error_code(refused.text) == ["aid_payer_is_signer"]


# --- applying -------------------------------------------------------------------------------------
def _application(world: World, **overrides: str) -> dict[str, str]:
    return {
        "fund_id": world.funds["mutual_aid"],
        "beneficiary_person_id": world.people["member"],
        "applicant_person_id": world.people["member"],
        "aid_kind": "hospitalisation",
        "requested": "400.00",
        "reason_private": "住院手术，自付部分较多",
        "reason_public_category": "慰问因病住院党员",
        "evidence_refs": "住院发票-001",
        **overrides,
    }


def _apply_check(browser: Browser, typed: dict[str, str]):
    form = form_fields(browser.get("/console/aid-cases/new").text)
    return browser.post("/console/aid-cases/new", {**form, **typed})


def test_an_application_is_read_back_in_capitals_then_recorded_once_confirmed(aid):
    browser = Browser(aid, "approver1")
    _caught_up(aid)
    count = queries.aid_cases(aid.client.app.state.views).count

    check = _apply_check(browser, _application(aid))

    assert check.status_code == 200 and f'id="confirm-capital">{CAPITAL_400}<' in check.text
    assert f'id="confirm-counterparty">{mask_name("member同志")}<' in check.text
    _caught_up(aid)
    assert queries.aid_cases(aid.client.app.state.views).count == count  # nothing saved by the check
    confirm = {**form_fields(check.text), "step": "confirm"}
    first = browser.post("/console/aid-cases/new", confirm)
    second = browser.post("/console/aid-cases/new", confirm)

    shown = browser.follow(first)
    assert 'data-status="applied"' in shown.text and "住院手术" not in shown.text
    assert "replayed=1" in second.headers["location"]
    _caught_up(aid)
    assert queries.aid_cases(aid.client.app.state.views).count == count + 1


def test_an_application_with_a_bad_amount_is_refused_beside_the_amount_keeping_what_was_typed(aid):
    refused = _apply_check(Browser(aid, "approver1"), _application(aid, requested="12.345"))

    assert refused.status_code == 422
    field = refused.text.split('id="field-requested"')[1].split("</div>\n")[0]
    assert 'data-code="amount_too_many_decimals"' in field and 'value="12.345"' in field


def test_an_application_for_an_unknown_aid_kind_is_refused_with_value_not_allowed(aid):
    refused = _apply_check(Browser(aid, "approver1"), _application(aid, aid_kind="loan"))

    assert refused.status_code == 422 and error_code(refused.text) == ["value_not_allowed"]


def test_an_application_on_a_fund_above_the_members_branch_is_refused_with_role_required(aid):
    refused = _apply_check(Browser(aid, "member"), _application(aid))

    assert refused.status_code == 403
    field = refused.text.split('id="field-fund_id"')[1].split("</div>\n")[0]
    assert 'data-code="role_required"' in field


def test_the_application_form_is_refused_with_role_required_for_the_auditor(aid):
    refused = Browser(aid, "auditor").get("/console/aid-cases/new")

    assert refused.status_code == 403 and error_code(refused.text) == ["role_required"]
