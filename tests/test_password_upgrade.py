"""Old scrypt hashes (N=2**14, bare hex) are upgraded at the next successful sign-in to today's
parameters (N=2**17, ADR 0062), on a real store; a wrong password upgrades nothing."""

from __future__ import annotations

import hashlib

import pytest

from ledger.domain import errors
from ledger.domain.login import SCRYPT_LOG2_N
from ledger.domain.user import User

LOGIN, PASSWORD = "sun-lihua", "冬天的腊梅花-2023"


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
