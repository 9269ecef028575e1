"""Password sign-in: a login name claimed by one user, and the password's scrypt hash.

A ``Login`` aggregate's id is derived from the name (case-folded), so the user of a typed name
is found with one look-up and two users cannot hold the same name. The password itself is
never stored: ``User.PasswordSet`` keeps a random salt and ``hashlib.scrypt`` of the password,
set by an administrator.

The parameters are OWASP's current minimum for scrypt: N=2**17, r=8, p=1, 32 bytes (ADR 0062).
A hash names its parameters (``scrypt$17$8$1$<hex>``); a bare hex hash is one made before, with
N=2**14, and is hashed again with today's at the user's next successful sign-in. One check
needs 128 MiB (128·r·N bytes, above OpenSSL's default ``maxmem`` of 32 MiB), so at most
``HASHES_AT_ONCE`` run at a time in a process: the rest wait their turn.

The test suite alone hashes with ``TEST_LOG2_N`` (``FUNDBOOK_PASSWORD_HASHING=weak-for-tests``,
which ``config.py`` refuses outside a pytest run; ADR 0072): a process hashes with the
parameters of the last Ledger built in it (``use_weak_test_parameters``). A hash names its
parameters either way, so a weak one is checked with its own and replaced at the next sign-in
by a process with today's.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from ledger.domain import errors
from ledger.domain.control_chars import ControlCharacterGuard
from ledger.domain.limits import check_text

LOGIN_LEN_MAX = 50
PASSWORD_LEN_MIN = 10
PASSWORD_LEN_MAX = 200
SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P, SCRYPT_DKLEN = 17, 8, 1, 32
LEGACY_LOG2_N = 14  # bare hex hashes (before ADR 0062)
TEST_LOG2_N = 10  # the test suite's only (ADR 0072): 1 MiB and a few ms instead of 0.6 s of CPU
_log2_n = SCRYPT_LOG2_N
HASHES_AT_ONCE = 2
_hashing = threading.BoundedSemaphore(HASHES_AT_ONCE)
_LOGIN_NAMESPACE = uuid5(NAMESPACE_URL, "https://fundbook.invalid/login")


def check_login(login: object) -> str:
    return check_text("login", login, max_len=LOGIN_LEN_MAX)


def check_password(password: object) -> str:
    if not isinstance(password, str) or not PASSWORD_LEN_MIN <= len(password) <= PASSWORD_LEN_MAX:
        raise errors.PasswordTooShort(min_len=PASSWORD_LEN_MIN)
    return password


def use_weak_test_parameters(weak: bool) -> None:
    """Hash with ``TEST_LOG2_N`` (``weak``) or today's N in this process from now on. Called by
    ``bootstrap.build_ledger`` with its settings, which allow ``weak`` only in a pytest run."""
    global _log2_n
    _log2_n = TEST_LOG2_N if weak else SCRYPT_LOG2_N


def password_hash(password: str, salt: bytes) -> str:
    """Today's hash: ``scrypt$<log2 N>$<r>$<p>$<hex>``."""
    digest = _scrypt(password, salt, _log2_n, SCRYPT_R, SCRYPT_P)
    return f"scrypt${_log2_n}${SCRYPT_R}${SCRYPT_P}${digest}"


def hash_is_current(stored: str) -> bool:
    return stored.startswith(f"scrypt${_log2_n}${SCRYPT_R}${SCRYPT_P}$")


def _scrypt(password: str, salt: bytes, log2_n: int, r: int, p: int) -> str:
    n = 2**log2_n
    with _hashing:
        digest = hashlib.scrypt(
            password.encode("utf-8"),
            salt=salt,
            n=n,
            r=r,
            p=p,
            dklen=SCRYPT_DKLEN,
            maxmem=128 * r * (n + p + 2) + 2**20,
        )
    return digest.hex()


def new_salt() -> str:
    return secrets.token_bytes(16).hex()


def password_matches(password: str, salt_hex: str, stored: str) -> bool:
    """The password hashes to ``stored`` with the parameters ``stored`` names (a bare hex hash:
    the legacy N=2**14, r=8, p=1)."""
    if stored.startswith("scrypt$"):
        _, log2_n, r, p, digest = stored.split("$")
        params = (int(log2_n), int(r), int(p))
    else:
        params, digest = (LEGACY_LOG2_N, 8, 1), stored
    return hmac.compare_digest(_scrypt(password, bytes.fromhex(salt_hex), *params), digest)


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
