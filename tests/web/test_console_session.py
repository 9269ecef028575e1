"""Console sign-in and sign-out: a new token per session in a strict cookie, CSRF on every
form, expiry, and refusals shown as pages (never JSON, never a trace)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ledger.domain import errors
from ledger.web.console.session import SESSION_COOKIE, SESSION_MAX_AGE
from tests.web.console_helpers import Browser, error_code


def test_signing_in_issues_a_new_session_token_in_a_strict_http_only_cookie(world):
    user = world.ledger.user(world.users["bookkeeper"])
    tokens_before = len(user.token_ids)
    browser = Browser(world)

    answer = browser.post("/console/sign-in", {"token": world.tokens["bookkeeper"], "next": "/console"})

    assert answer.status_code == 303 and answer.headers["location"] == "/console"
    cookie = answer.headers["set-cookie"]
    for flag in (
        "HttpOnly",
        "SameSite=strict",
        "Path=/console",
        f"Max-Age={int(SESSION_MAX_AGE.total_seconds())}",
    ):
        assert flag.lower() in cookie.lower(), cookie
    session_token = browser.client.cookies[SESSION_COOKIE]
    assert session_token != world.tokens["bookkeeper"]
    assert len(world.ledger.user(user.id).token_ids) == tokens_before + 1
    assert world.ledger.authenticate(session_token).id == user.id


def test_a_wrong_token_shows_the_sign_in_form_again_with_token_invalid(world):
    answer = Browser(world).post("/console/sign-in", {"token": "fbk_not-a-token", "next": "/console"})

    assert answer.status_code == 401 and "text/html" in answer.headers["content-type"]
    assert error_code(answer.text) == ["token_invalid"] and 'name="token"' in answer.text


def test_a_page_without_a_session_sends_the_browser_to_sign_in_and_back(world):
    answer = Browser(world).get("/console/people")

    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/sign-in?next=/console/people"


def test_the_sign_in_never_redirects_outside_the_console(world):
    answer = Browser(world).post(
        "/console/sign-in", {"token": world.tokens["member"], "next": "https://evil.example/"}
    )

    assert answer.headers["location"] == "/console"


def test_signing_out_revokes_the_session_token_so_a_copied_cookie_is_dead(world):
    browser = Browser(world, "bookkeeper")
    session_token = browser.client.cookies[SESSION_COOKIE]

    answer = browser.post("/console/sign-out", {"csrf": browser.csrf()})

    assert answer.status_code == 303 and answer.headers["location"] == "/console/sign-in"
    with pytest.raises(errors.TokenInvalid):
        world.ledger.authenticate(session_token)
    thief = Browser(world)
    thief.client.cookies.set(SESSION_COOKIE, session_token, path="/console")
    assert thief.get("/console").status_code == 303  # back to sign-in
    assert world.ledger.authenticate(world.tokens["bookkeeper"])  # the typed token still works


def test_a_revoked_token_cannot_be_revoked_again(world):
    token, _ = world.ledger.issue_token(world.users["member"], actor="test")
    world.ledger.revoke_token(token, actor="test")

    with pytest.raises(errors.TokenInvalid):
        world.ledger.revoke_token(token, actor="test")


def test_a_session_older_than_its_lifetime_is_refused_with_session_expired(world):
    token = world.ledger.issue_session(world.users["member"])
    record = world.ledger._token_record(token)

    assert world.ledger.authenticate(token, session=True)
    assert SESSION_MAX_AGE - timedelta(minutes=1) < record.expires_at - record.created_on <= SESSION_MAX_AGE
    with pytest.raises(errors.SessionExpired):
        record.check_live(record.expires_at, session=True)
    with pytest.raises(errors.TokenExpired):  # the same token presented to the API
        record.check_live(record.expires_at)


def test_a_post_without_the_forms_csrf_token_is_refused_with_csrf_invalid_and_records_nothing(world):
    browser = Browser(world, "bookkeeper")
    position = world.position()
    fund = world.funds["activity_a"]

    for csrf in (None, "0" * 64):
        data = {
            "step": "confirm",
            "occurred_on": "2025-07-05",
            "amount": "10.00",
            "grant_kind": "fiscal",
            "grantor_name": "街道",
            "doc_refs": "通知",
            "request_id": "k-1",
        }
        if csrf:
            data["csrf"] = csrf
        answer = browser.post(f"/console/funds/{fund}/record/grant", data)
        assert answer.status_code == 403 and error_code(answer.text) == ["csrf_invalid"]
    assert world.position() == position


def test_the_csrf_token_of_one_session_does_not_open_another(world):
    first, second = Browser(world, "bookkeeper"), Browser(world, "bookkeeper")

    answer = second.post("/console/sign-out", {"csrf": first.csrf()})

    assert answer.status_code == 403 and error_code(answer.text) == ["csrf_invalid"]


def test_an_unknown_console_page_is_a_404_page_not_json(world):
    answer = Browser(world, "member").get("/console/no-such-page")

    assert answer.status_code == 404 and "text/html" in answer.headers["content-type"]
    assert error_code(answer.text) == ["not_found"]


def test_the_console_with_a_trailing_slash_is_home(world):
    answer = Browser(world, "member").get("/console/")

    assert answer.status_code == 303 and answer.headers["location"] == "/console"


def test_a_malformed_query_is_a_422_page_with_invalid_request(world):
    browser = Browser(world, "auditor")

    answer = browser.get(f"/console/audit/{world.funds['mutual_aid']}/journal", page_no="abc")

    assert answer.status_code == 422 and error_code(answer.text) == ["invalid_request"]


def test_english_on_request_and_remembered(world):
    browser = Browser(world, "member")

    english = browser.get("/console", lang="en")
    again = browser.get("/console")

    assert "Waiting for me" in english.text and "Waiting for me" in again.text
    assert "待办事项" in browser.get("/console", lang="zh").text


def test_the_console_signs_in_with_a_login_name_and_password_an_admin_set(world):
    password = "十月的桂花香-2025"
    world.ledger.set_password(world.users["cashier"], actor="admin", login="cashier-a", password=password)
    browser = Browser(world)

    wrong = browser.post("/console/sign-in", {"login": "cashier-a", "password": "x" * 12, "next": "/console"})
    right = browser.post("/console/sign-in", {"login": "cashier-a", "password": password, "next": "/console"})

    assert wrong.status_code == 401 and error_code(wrong.text) == ["password_invalid"]
    assert right.status_code == 303
    signed_in = world.ledger.authenticate(browser.client.cookies[SESSION_COOKIE])
    assert str(signed_in.id) == world.users["cashier"]
