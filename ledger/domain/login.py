"""Password sign-in: a login name claimed by one user, and the password's scrypt hash.

A ``Login`` aggregate's id is derived from the name (case-folded), so the user of a typed name
is found with one look-up and two users cannot hold the same name. The password itself is
never stored: ``User.PasswordSet`` keeps a random salt and ``hashlib.scrypt`` of the password
(n=2**14, r=8, p=1, 32 bytes), set by an administrator.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from ledger.domain import errors
from ledger.domain.control_chars import ControlCharacterGuard
from ledger.domain.limits import check_text

LOGIN_LEN_MAX = 50
PASSWORD_LEN_MIN = 10
PASSWORD_LEN_MAX = 200
SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_DKLEN = 2**14, 8, 1, 32
_LOGIN_NAMESPACE = uuid5(NAMESPACE_URL, "https://fundbook.invalid/login")


def check_login(login: object) -> str:
    return check_text("login", login, max_len=LOGIN_LEN_MAX)


def check_password(password: object) -> str:
    if not isinstance(password, str) or not PASSWORD_LEN_MIN <= len(password) <= PASSWORD_LEN_MAX:
        raise errors.PasswordTooShort(min_len=PASSWORD_LEN_MIN)
    return password


def password_hash(password: str, salt: bytes) -> str:
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=SCRYPT_DKLEN
    )
    return digest.hex()


def new_salt() -> str:
    return secrets.token_bytes(16).hex()


def password_matches(password: str, salt_hex: str, hash_hex: str) -> bool:
    return hmac.compare_digest(password_hash(password, bytes.fromhex(salt_hex)), hash_hex)


class Login(ControlCharacterGuard, Aggregate):
    TOPIC = "fundbook:Login"

    class Created(Aggregate.Created):
        """LoginClaimed: the name now signs in this user."""

        TOPIC = "fundbook:Login.Claimed"
        login: str
        user_id: str
        claimed_by: str

    def __init__(self, login: str, user_id: str, claimed_by: str) -> None:
        self.user_id = user_id

    @staticmethod
    def create_id(login: str) -> UUID:
        return uuid5(_LOGIN_NAMESPACE, login.strip().casefold())

    def check_held_by(self, user_id: str, login: str) -> None:
        if self.user_id != user_id:
            raise errors.LoginTaken(login=login)
