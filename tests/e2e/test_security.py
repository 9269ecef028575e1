"""Issue 15's points 1, 2, 3, 4, 10 and 11 against a real ``fundbook serve`` over real HTTP, on
SQLite or PostgreSQL (whichever ``module_database_url`` gives), and the headers in chromium.

The street (the root) has two communities, C1 with branch A and C2 with branch B. Users: the
street's admin, A's admin, C2's approver, A's bookkeeper, A's member (a member of branch A
with a password), and a person of branch B who donated to B's fund. docs/security.md."""

from __future__ import annotations

import hashlib
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from ledger.application.bootstrap import build_ledger
from ledger.config import Settings
from ledger.web.console.signin_limits import ADDRESS_FAILURES_MAX, LOGIN_FAILURES_MAX
from tests.e2e.server import running_server

SEED = "e2e-seed"
FOUNDED = date(2020, 1, 1)
PASSWORD = "春天的玉兰花-2024"


@pytest.fixture(scope="module")
def street(module_database_url):
    """The seeded books (ids and tokens) and a served ``fundbook serve`` (one per module)."""
    ledger = build_ledger(Settings(database_url=module_database_url))
    try:
        ids = _seed(ledger)
    finally:
        ledger.close()
    with (
        running_server(module_database_url) as base_url,
        httpx.Client(base_url=base_url, timeout=60) as client,
    ):
        yield client, ids


def _seed(ledger) -> dict[str, str]:
    def org(kind: str, name: str, parent: str | None) -> str:
        return ledger.register_organisation(
            actor=SEED, kind=kind, name_zh=name, parent_org_id=parent, established_on=FOUNDED
        )["org_id"]

    ids = {"street": org("street_committee", "城关街道党工委", None)}
    ids["c1"] = org("community_committee", "阳光社区党委", ids["street"])
    ids["a"] = org("branch", "第一支部", ids["c1"])
    ids["c2"] = org("community_committee", "明月社区党委", ids["street"])
    ids["b"] = org("branch", "第二支部", ids["c2"])
    for key, owner in (("fund_a", "a"), ("fund_b", "b")):
        ids[key] = ledger.establish_fund(
            actor=SEED,
            owner_org_id=ids[owner],
            kind="activity",
            name_zh=f"{owner}支部活动经费",
            allowed_purposes=["activities"],
            custody={"kind": "cash_box", "ref": "保险柜"},
            established_on=FOUNDED,
        )["fund_id"]
    for key, role, at in (
        ("street_admin", "admin", "street"),
        ("a_admin", "admin", "a"),
        ("c2_approver", "approver", "c2"),
        ("a_bookkeeper", "bookkeeper", "a"),
        ("a_member", "member", "a"),
        ("street_auditor", "auditor", "street"),
    ):
        person = ledger.register_person(actor=SEED, name_zh=f"{key}同志")["person_id"]
        ids[f"{key}_person"] = person
        ids[f"{key}_user"] = ledger.register_user(actor=SEED, person_id=person)["user_id"]
        ledger.change_role(ids[f"{key}_user"], "grant", actor=SEED, role=role, org_id=ids[at])
        ids[key], _ = ledger.issue_token(ids[f"{key}_user"], actor=SEED)
    ledger.change_person(
        ids["a_member_person"], "join_branch", actor=SEED, org_id=ids["a"], effective_on=FOUNDED,
        membership_status="full", category="retired",
    )  # fmt: skip
    ledger.set_password(ids["a_member_user"], actor=SEED, login="member-a", password=PASSWORD)
    ledger.set_password(ids["a_bookkeeper_user"], actor=SEED, login="bookkeeper-a", password=PASSWORD)
    ids["b_person"] = ledger.register_person(actor=SEED, name_zh="赵桂芳")["person_id"]
    ledger.change_person(
        ids["b_person"], "join_branch", actor=SEED, org_id=ids["b"], effective_on=FOUNDED,
        membership_status="full", category="retired",
    )  # fmt: skip
    ledger.record(
        ids["fund_b"], "receive_donation", actor=SEED, occurred_on=date(2025, 3, 1), amount_fen=50_000,
        donor_kind="member", donor_person_id=ids["b_person"], doc_refs=["收据 1"],
    )  # fmt: skip
    return ids


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def code_of(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


# --- point 1: token and role administration over one's own subtree only --------------------------
def test_a_branch_admin_is_refused_with_user_outside_subtree_when_minting_a_token_for_the_street_admin(
    street,
):
    client, ids = street

    minted = client.post(f"/users/{ids['street_admin_user']}/tokens", headers=auth(ids["a_admin"]))

    assert code_of(minted) == (403, "user_outside_subtree")
    assert "token" not in minted.json()


def test_a_branch_admin_is_refused_when_minting_a_token_for_another_communitys_approver(street):
    client, ids = street

    minted = client.post(f"/users/{ids['c2_approver_user']}/tokens", headers=auth(ids["a_admin"]))

    assert code_of(minted) == (403, "user_outside_subtree")


def test_a_branch_admin_is_refused_when_granting_a_role_in_the_branch_to_a_user_holding_one_outside(street):
    client, ids = street
    body = {"role": "member", "org_id": ids["a"]}

    granted = client.post(f"/users/{ids['c2_approver_user']}/roles", json=body, headers=auth(ids["a_admin"]))
    outside = client.post(
        f"/users/{ids['a_bookkeeper_user']}/roles",
        json={"role": "member", "org_id": ids["b"]},
        headers=auth(ids["a_admin"]),
    )

    assert code_of(granted) == (403, "user_outside_subtree")
    assert code_of(outside) == (403, "role_required")


def test_a_branch_admin_is_refused_when_listing_or_revoking_the_tokens_of_a_user_outside_the_branch(street):
    client, ids = street
    listed_by_street = client.get(
        f"/users/{ids['c2_approver_user']}/tokens", headers=auth(ids["street_admin"])
    )
    token_id = listed_by_street.json()[0]["token_id"]

    listed = client.get(f"/users/{ids['c2_approver_user']}/tokens", headers=auth(ids["a_admin"]))
    revoked = client.post(
        f"/users/{ids['c2_approver_user']}/tokens/{token_id}/revoke", headers=auth(ids["a_admin"])
    )

    assert listed_by_street.status_code == 200
    assert code_of(listed) == code_of(revoked) == (403, "user_outside_subtree")
    assert client.get("/users/me", headers=auth(ids["c2_approver"])).status_code == 200  # still alive


def test_only_an_admin_at_the_root_mints_a_token_for_a_new_user_of_a_person_in_no_branch(street):
    """Such a person's rows (a resident's aid) are read only at a root; a token of their own
    would read them as "their own" (docs/security.md)."""
    client, ids = street
    user = client.post("/users", json={"person_id": ids["b_person"]}, headers=auth(ids["street_admin"]))
    resident = client.post("/people", json={"name_zh": "钱秀兰"}, headers=auth(ids["a_admin"]))
    resident_user = client.post(
        "/users", json={"person_id": resident.json()["result"]["person_id"]}, headers=auth(ids["a_admin"])
    ).json()["result"]["user_id"]

    by_branch = client.post(f"/users/{resident_user}/tokens", headers=auth(ids["a_admin"]))
    for_b = client.post(f"/users/{user.json()['result']['user_id']}/tokens", headers=auth(ids["a_admin"]))
    by_root = client.post(f"/users/{resident_user}/tokens", headers=auth(ids["street_admin"]))

    assert code_of(by_branch) == code_of(for_b) == (403, "user_outside_subtree")
    assert by_root.status_code == 201


def test_a_branch_admin_mints_a_working_token_for_the_branchs_own_bookkeeper(street):
    client, ids = street

    minted = client.post(f"/users/{ids['a_bookkeeper_user']}/tokens", headers=auth(ids["a_admin"]))

    assert minted.status_code == 201, minted.text
    me = client.get("/users/me", headers=auth(minted.json()["token"]))
    assert me.json()["user_id"] == ids["a_bookkeeper_user"]


# --- point 2: a console session and a token carry their expiry everywhere ------------------------
def _console_session(client: httpx.Client) -> str:
    signed_in = client.post(
        "/console/sign-in", data={"login": "member-a", "password": PASSWORD, "next": "/console"}
    )
    assert signed_in.status_code == 303, signed_in.text
    return signed_in.cookies["fb_session"]


def test_a_console_sessions_token_presented_to_the_api_expires_with_the_session(street):
    client, ids = street
    session = _console_session(client)
    client.cookies.clear()

    listed = client.get(f"/users/{ids['a_member_user']}/tokens", headers=auth(session))

    assert listed.status_code == 200, listed.text
    newest = listed.json()[-1]
    lifetime = datetime.fromisoformat(newest["expires_at"]) - datetime.fromisoformat(newest["issued_at"])
    assert timedelta(hours=7, minutes=59) < lifetime <= timedelta(hours=8)


def test_a_token_issued_with_an_expiry_is_refused_with_token_expired_once_it_has_passed(street):
    client, ids = street
    soon = datetime.now(UTC) + timedelta(seconds=8)  # room to use it once on a loaded machine
    minted = client.post(
        f"/users/{ids['a_bookkeeper_user']}/tokens",
        json={"expires_at": soon.isoformat()},
        headers=auth(ids["a_admin"]),
    )
    assert minted.status_code == 201, minted.text
    token = minted.json()["token"]
    assert client.get("/users/me", headers=auth(token)).status_code == 200
    time.sleep(max(0.0, (soon - datetime.now(UTC)).total_seconds()) + 0.2)  # until it has passed

    assert code_of(client.get("/users/me", headers=auth(token))) == (401, "token_expired")


@pytest.mark.parametrize("expires_at", ["2020-01-01T00:00:00+00:00", "2030-01-01T00:00:00", 1764547200])
def test_a_token_is_refused_with_a_code_when_its_expiry_is_past_naive_or_a_number(street, expires_at):
    client, ids = street

    minted = client.post(
        f"/users/{ids['a_bookkeeper_user']}/tokens",
        json={"expires_at": expires_at},
        headers=auth(ids["a_admin"]),
    )

    assert minted.status_code == 422 and minted.json()["error"]["code"] in (
        "token_expiry_invalid",
        "invalid_request",
    )


# --- point 3: the auditor's export carries no secret ---------------------------------------------
def test_the_auditors_jsonl_export_over_http_carries_no_salt_or_password_hash(street):
    client, ids = street

    exported = client.get("/audit/export/jsonl", headers=auth(ids["street_auditor"]))

    assert exported.status_code == 200
    assert '"password_hash":"[redacted]"' in exported.text and '"salt":"[redacted]"' in exported.text
    assert '"token_hash":"[redacted]"' in exported.text
    scrypt_hashes = [part for part in exported.text.split('"') if part.startswith("scrypt$")]
    assert scrypt_hashes == []
    assert hashlib.sha256(ids["a_admin"].encode()).hexdigest() not in exported.text


# --- point 4: sign-in throttling counted before the hash, atomically ------------------------------
def test_forty_concurrent_wrong_passwords_for_one_login_get_exactly_the_limits_real_checks(street):
    client, _ = street

    def guess(number: int) -> str:
        with httpx.Client(base_url=str(client.base_url), timeout=120) as own:
            answer = own.post(
                "/console/sign-in",
                data={"login": "bookkeeper-a", "password": f"wrong-guess-{number:04d}", "next": "/console"},
            )
        return "password_invalid" if "password_invalid" in answer.text else str(answer.status_code)

    with ThreadPoolExecutor(max_workers=40) as pool:
        outcomes = list(pool.map(guess, range(40)))

    assert outcomes.count("password_invalid") == LOGIN_FAILURES_MAX
    assert outcomes.count("429") == 40 - LOGIN_FAILURES_MAX


# --- point 10: reads narrowed to the caller's subtree ----------------------------------------------
def test_a_member_of_branch_a_reads_only_branch_as_fund_balances_and_organisation(street):
    client, ids = street

    balances = client.get("/funds/balances", headers=auth(ids["a_member"])).json()
    tree = client.get("/organisations", params={"as_of": "2025-06-30"}, headers=auth(ids["a_member"])).json()

    assert [b["fund_id"] for b in balances["data"]] == [ids["fund_a"]]
    assert [o["org_id"] for o in tree["data"]] == [ids["a"]]


def test_a_bookkeeper_of_branch_a_is_refused_a_person_of_branch_b_whom_the_street_auditor_reads(street):
    client, ids = street

    refused = client.get(f"/members/{ids['b_person']}", headers=auth(ids["a_bookkeeper"]))
    read = client.get(f"/members/{ids['b_person']}", headers=auth(ids["street_auditor"]))

    assert code_of(refused) == (403, "role_required") and "by_branch" not in refused.text
    assert read.status_code == 200
    assert read.json()["by_branch"][0]["donated"]["amount"] == "500.00"


# --- point 11: security headers; forwarded addresses believed from configured proxies only ---------
@pytest.mark.parametrize("path", ["/", "/console/sign-in", "/funds/balances", "/health", "/no-such-page"])
def test_every_answer_carries_the_security_headers(street, path):
    client, _ = street

    headers = client.get(path).headers

    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "script-src" not in headers["content-security-policy"]  # default-src 'none': no script
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_a_forged_x_forwarded_for_does_not_escape_the_per_address_sign_in_limit(street):
    client, _ = street
    codes = []
    for number in range(ADDRESS_FAILURES_MAX + 5):
        answer = client.post(
            "/console/sign-in",
            data={"token": f"fbk_wrong-{number}", "next": "/console"},
            headers={"X-Forwarded-For": f"203.0.113.{number}"},
        )
        codes.append(answer.status_code)

    assert 429 in codes  # one address (the connection's), whatever the header says


def test_the_console_and_the_board_load_in_chromium_under_their_policy_without_a_violation(street, browser):
    client, ids = street
    # the test process's one chromium (tests/e2e/conftest.py): a second sync_playwright() in the
    # same process fails once another browser test has started the first
    context = browser.new_context()
    try:
        page = context.new_page()
        messages: list[str] = []
        page.on("console", lambda message: messages.append(message.text))
        for path in ("/", f"/board/{ids['fund_b']}/2025-03", "/console/sign-in"):
            response = page.goto(f"{client.base_url}{path}")
            assert response is not None and response.status == 200
            assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
            assert response.headers["x-frame-options"] == "DENY"
            assert page.locator("body").inner_text().strip()
            # the page's own inline <style> applies under the policy
            assert "Noto" in page.evaluate("getComputedStyle(document.body).fontFamily")
        framed = context.new_page()
        framed.set_content(f'<iframe src="{client.base_url}/"></iframe>')
        framed.wait_for_timeout(1000)
        inner = framed.frames[-1]
        assert inner.url.startswith("chrome-error://")  # refused: frame-ancestors 'none'
    finally:
        context.close()
    assert not [m for m in messages if "Content Security Policy" in m]
