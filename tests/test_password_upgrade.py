"""Old scrypt hashes (N=2**14, bare hex) are upgraded at the next successful sign-in to today's
parameters (N=2**17, ADR 0062), on a real store; a wrong password upgrades nothing.

The rest of the suite hashes with the test suite's weak parameters (ADR 0072); these tests hash
with today's, as production does, check that a weak hash is upgraded like an old one, and that
the weak setting is refused outside a pytest run."""

from __future__ import annotations

import hashlib
import os
import subprocess

import pytest
from pydantic import ValidationError

from ledger.config import Settings
from ledger.domain import errors
from ledger.domain.login import SCRYPT_LOG2_N, TEST_LOG2_N
from ledger.domain.user import User
from tests.e2e.server import env_for, free_port, fundbook_command

LOGIN, PASSWORD = "sun-lihua", "冬天的腊梅花-2023"
WEAK = "weak-for-tests"
REFUSED = "FUNDBOOK_PASSWORD_HASHING=weak-for-tests is for the test suite only"


@pytest.fixture(autouse=True)
def owasp_hashing(monkeypatch) -> None:
    """Ledgers built in these tests hash as production does."""
    monkeypatch.setenv("FUNDBOOK_PASSWORD_HASHING", "owasp")


@pytest.fixture
def legacy_user(ledger) -> str:
    """A user whose password was set before ADR 0062: a bare hex scrypt hash at N=2**14."""
    person = ledger.register_person(actor="admin", name_zh="孙丽华")["person_id"]
    user_id = ledger.register_user(actor="admin", person_id=person)["user_id"]
    ledger.set_password(user_id, actor="admin", login=LOGIN, password="临时密码-0000000")
    salt = bytes(range(16))
    legacy = hashlib.scrypt(PASSWORD.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32).hex()
    user = ledger.user(user_id)
    user.trigger_event(User.PasswordSet, login=LOGIN, salt=salt.hex(), password_hash=legacy, set_by="admin")
    ledger.save(user)
    return user_id


def _stored_hash(ledger, user_id: str) -> str:
    ledger.forget_cached()
    return ledger.user(user_id).password["password_hash"]


def test_a_legacy_hash_is_replaced_by_todays_parameters_at_the_next_successful_sign_in(ledger, legacy_user):
    assert len(_stored_hash(ledger, legacy_user)) == 64  # bare hex: N=2**14

    signed_in = ledger.authenticate_password(LOGIN, PASSWORD)

    upgraded = _stored_hash(ledger, legacy_user)
    assert str(signed_in.id) == legacy_user
    assert upgraded.startswith(f"scrypt${SCRYPT_LOG2_N}$8$1$") and SCRYPT_LOG2_N == 17
    assert str(ledger.authenticate_password(LOGIN, PASSWORD).id) == legacy_user  # the new hash checks
    assert _stored_hash(ledger, legacy_user) == upgraded  # upgraded once, not at every sign-in


def test_a_wrong_password_leaves_the_legacy_hash_as_it_was(ledger, legacy_user):
    before = _stored_hash(ledger, legacy_user)

    with pytest.raises(errors.PasswordInvalid):
        ledger.authenticate_password(LOGIN, "wrong-password-1")

    assert _stored_hash(ledger, legacy_user) == before


def test_a_new_password_is_hashed_with_todays_parameters(ledger, legacy_user):
    ledger.set_password(legacy_user, actor="admin", login=LOGIN, password=PASSWORD)

    assert _stored_hash(ledger, legacy_user).startswith("scrypt$17$8$1$")


def test_a_weak_test_hash_is_replaced_by_todays_parameters_at_the_next_sign_in_when_hashing_as_production(
    open_ledger, monkeypatch
):
    monkeypatch.setenv("FUNDBOOK_PASSWORD_HASHING", WEAK)
    weak = open_ledger()
    person = weak.register_person(actor="admin", name_zh="孙丽华")["person_id"]
    user_id = weak.register_user(actor="admin", person_id=person)["user_id"]
    weak.set_password(user_id, actor="admin", login=LOGIN, password=PASSWORD)
    assert _stored_hash(weak, user_id).startswith(f"scrypt${TEST_LOG2_N}$8$1$") and TEST_LOG2_N == 10

    monkeypatch.setenv("FUNDBOOK_PASSWORD_HASHING", "owasp")
    production = open_ledger()
    assert str(production.authenticate_password(LOGIN, PASSWORD).id) == user_id

    assert _stored_hash(production, user_id).startswith("scrypt$17$8$1$")


def test_the_settings_refuse_weak_password_hashing_when_not_in_a_pytest_run(monkeypatch):
    monkeypatch.setenv("FUNDBOOK_PASSWORD_HASHING", WEAK)
    assert Settings().password_hashing == WEAK  # in a test: allowed
    monkeypatch.delenv("PYTEST_CURRENT_TEST")

    with pytest.raises(ValidationError, match=REFUSED):
        Settings()


def test_fundbook_serve_refuses_to_start_with_weak_password_hashing_outside_a_pytest_run(database_url):
    env = {**env_for(database_url), "FUNDBOOK_PASSWORD_HASHING": WEAK}
    env.pop("PYTEST_CURRENT_TEST")
    assert "PYTEST_CURRENT_TEST" in os.environ  # this test's own process is one

    done = subprocess.run(
        [*fundbook_command(), "serve", "--host", "127.0.0.1", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode != 0
    assert REFUSED in done.stdout + done.stderr
