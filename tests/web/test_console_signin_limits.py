"""Limits on failed console sign-ins: per login name and per client address, in a window; a
refusal is the sign-in form with ``signin_throttled`` (429) and no session; a success clears
only its own login's count. The limiter's clock is a fake moved by the tests (no sleeping)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from ledger.domain import errors
from ledger.web.console.session import SESSION_COOKIE
from ledger.web.console.signin_limits import SignInLimits
from tests.api.conftest import World
from tests.web.console_helpers import error_code

PASSWORDS = {"cashier": "十月的桂花香-2025", "member": "春天的玉兰花-2024"}
WINDOW = timedelta(minutes=15)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(world: World) -> Clock:
    """Three failures per login, six per address, in 15 minutes; logins cashier-a and member-a."""
    fake = Clock()
    world.client.app.state.signin_limits = SignInLimits(
        login_failures_max=3, address_failures_max=6, window=WINDOW, clock=fake
    )
    for role, password in PASSWORDS.items():
        world.ledger.set_password(world.users[role], actor="admin", login=f"{role}-a", password=password)
    return fake


def _client(world: World, address: str = "10.0.0.1") -> TestClient:
    return TestClient(world.client.app, follow_redirects=False, client=(address, 50_000))


def _password(client: TestClient, login: str, password: str):
    return client.post("/console/sign-in", data={"login": login, "password": password, "next": "/console"})


def _token(client: TestClient, token: str):
    return client.post("/console/sign-in", data={"token": token, "next": "/console"})


def _tokens_of(world: World, role: str) -> int:
    return len(world.ledger.user(world.users[role]).token_ids)


def test_the_right_password_is_refused_with_signin_throttled_after_three_wrong_ones_for_that_login(
    world, clock
):
    client = _client(world)
    for _ in range(3):
        assert error_code(_password(client, "cashier-a", "wrong-password-1").text) == ["password_invalid"]
    tokens = _tokens_of(world, "cashier")

    refused = _password(client, "cashier-a", PASSWORDS["cashier"])

    assert refused.status_code == 429 and "text/html" in refused.headers["content-type"]
    assert error_code(refused.text) == ["signin_throttled"] and 'name="password"' in refused.text
    assert "15 分钟后再试" in refused.text
    assert refused.headers["retry-after"] == str(int(WINDOW.total_seconds()))
    assert SESSION_COOKIE not in client.cookies and _tokens_of(world, "cashier") == tokens


def test_the_login_signs_in_again_once_the_window_has_passed_since_the_failures(world, clock):
    client = _client(world)
    for _ in range(3):
        _password(client, "cashier-a", "wrong-password-1")
    clock.now += WINDOW.total_seconds() - 1
    assert _password(client, "cashier-a", PASSWORDS["cashier"]).status_code == 429

    clock.now += 1
    signed_in = _password(client, "cashier-a", PASSWORDS["cashier"])

    assert signed_in.status_code == 303
    assert str(world.ledger.authenticate(client.cookies[SESSION_COOKIE]).id) == world.users["cashier"]


def test_a_login_name_counts_its_failures_whatever_the_case_and_spaces_typed(world, clock):
    client = _client(world)
    for typed in ("Cashier-A", " cashier-a ", "CASHIER-a"):
        _password(client, typed, "wrong-password-1")

    assert _password(client, "cashier-a", PASSWORDS["cashier"]).status_code == 429


def test_a_success_for_one_login_neither_resets_another_logins_count_nor_is_blocked_by_it(world, clock):
    client = _client(world)
    _password(client, "cashier-a", "wrong-password-1")
    _password(client, "cashier-a", "wrong-password-2")

    assert _password(client, "member-a", PASSWORDS["member"]).status_code == 303
    _password(client, "cashier-a", "wrong-password-3")

    assert error_code(_password(client, "cashier-a", PASSWORDS["cashier"]).text) == ["signin_throttled"]
    assert _password(_client(world), "member-a", PASSWORDS["member"]).status_code == 303


def test_a_success_clears_the_failures_of_its_own_login(world, clock):
    client = _client(world)
    _password(client, "cashier-a", "wrong-password-1")
    _password(client, "cashier-a", "wrong-password-2")
    assert _password(client, "cashier-a", PASSWORDS["cashier"]).status_code == 303

    _password(client, "cashier-a", "wrong-password-3")
    _password(client, "cashier-a", "wrong-password-4")

    assert _password(client, "cashier-a", PASSWORDS["cashier"]).status_code == 303


def test_wrong_tokens_from_one_address_throttle_that_address_but_not_another(world, clock):
    guesser = _client(world, "10.0.0.66")
    for number in range(6):
        assert _token(guesser, f"fbk_guess-{number}").status_code == 401

    refused = _token(guesser, world.tokens["bookkeeper"])
    also_refused = _password(guesser, "member-a", PASSWORDS["member"])
    elsewhere = _token(_client(world, "10.0.0.7"), world.tokens["bookkeeper"])

    assert refused.status_code == also_refused.status_code == 429
    assert error_code(refused.text) == error_code(also_refused.text) == ["signin_throttled"]
    assert elsewhere.status_code == 303


def test_wrong_passwords_for_many_logins_from_one_address_add_up_to_the_address_limit(world, clock):
    client = _client(world)
    for number in range(6):
        _password(client, f"nobody-{number}", "wrong-password-1")  # each login below its own limit

    assert _password(client, "member-a", PASSWORDS["member"]).status_code == 429
    assert _password(_client(world, "10.0.0.2"), "member-a", PASSWORDS["member"]).status_code == 303


# --- the limiter alone ----------------------------------------------------------------------------
def test_the_window_slides_one_attempt_is_allowed_again_when_the_oldest_failure_leaves_it():
    clock = Clock()
    limits = SignInLimits(login_failures_max=2, address_failures_max=100, window=WINDOW, clock=clock)
    limits.attempt("x", "a")
    clock.now += 600
    limits.attempt("x", "a")
    with pytest.raises(errors.SigninThrottled) as refused:
        limits.attempt("x", "a")
    assert refused.value.details == {"retry_after_s": 300, "retry_after_min": 5}

    clock.now += 300
    limits.attempt("x", "a")  # the first failure has left the window; this one counts
    with pytest.raises(errors.SigninThrottled):
        limits.attempt("X ", "b")


def test_a_successful_attempt_is_taken_back_off_its_address_and_clears_its_login():
    clock = Clock()
    limits = SignInLimits(login_failures_max=2, address_failures_max=2, window=WINDOW, clock=clock)
    limits.attempt("x", "a")
    limits.succeeded(limits.attempt("x", "a"))

    limits.attempt("y", "a")  # the address holds one failure (x's first), not two
    with pytest.raises(errors.SigninThrottled):
        limits.attempt("z", "a")
    limits.attempt("x", "b")  # login x was cleared by its success


def test_the_limiter_forgets_the_stalest_key_beyond_its_bound():
    clock = Clock()
    limits = SignInLimits(login_failures_max=1, address_failures_max=100, keys_max=2, clock=clock)
    limits.attempt("first", "a")  # keys: address a, login first
    limits.attempt("second", "a")  # address a moves after login first, the stalest: forgotten

    with pytest.raises(errors.SigninThrottled):
        limits.attempt("second", "a")
    limits.attempt("first", "a")  # forgotten: allowed
