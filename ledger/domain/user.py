"""User: a login of a person, the roles it holds and the API tokens it may use.

A role is held **for an organisation and its whole subtree** (a bookkeeper of a community may
keep the books of its branches; a bookkeeper of one branch cannot touch another's). Grants and
revocations are events: who granted what to whom, and when. Tokens are never stored: only the
SHA-256 of each, as an ``ApiToken`` aggregate whose id is derived from that hash, so a request's
token is found with one look-up.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from ledger.domain import errors
from ledger.domain.context import Context, without_request_id
from ledger.domain.control_chars import ControlCharacterGuard
from ledger.domain.limits import NAME_LEN_MAX, check_choice, check_text
from ledger.domain.login import (
    check_login,
    check_password,
    hash_is_current,
    new_salt,
    password_hash,
    password_matches,
)

ROLES = ("admin", "bookkeeper", "cashier", "approver", "auditor", "member")
TOKEN_PREFIX = "fbk_"
# A console session is a token that lives this long from its issue, wherever it is presented
# (the console's cookie or an API ``Authorization: Bearer``).
SESSION_LIFETIME = timedelta(hours=8)
# An API token's chosen expiry lies in the future, at most this far.
TOKEN_LIFETIME_MAX = timedelta(days=366)
_TOKEN_NAMESPACE = uuid5(NAMESPACE_URL, "https://fundbook.invalid/token")


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class User(ControlCharacterGuard, Aggregate):
    TOPIC = "fundbook:User"

    class Created(Aggregate.Created):
        """UserRegistered."""

        TOPIC = "fundbook:User.Registered"
        person_id: str
        name: str
        recorded_by: str

    def __init__(self, person_id: str, name: str, recorded_by: str) -> None:
        self.person_id = person_id
        self.name = name
        self.grants: list[dict[str, Any]] = []  # current grants: role, org_id, granted_on
        self.token_ids: list[str] = []
        self.password: dict[str, str] | None = None  # login, salt, password_hash

    @classmethod
    def register(cls, ctx: Context, *, person_id: str, name: str) -> User:
        return cls(
            person_id=person_id,
            name=check_text("name", name, max_len=NAME_LEN_MAX),
            recorded_by=ctx.recorded_by,
        )

    def holds(self, role: str, org_ids: list[str]) -> bool:
        """True if the user holds ``role`` (or admin) for any of ``org_ids`` (an organisation
        and its ancestors)."""
        return any(g["role"] in (role, "admin") and g["org_id"] in org_ids for g in self.grants)

    def roles(self) -> list[dict[str, Any]]:
        return [dict(g) for g in self.grants]

    class RoleGranted(Aggregate.Event):
        TOPIC = "fundbook:User.RoleGranted"
        class_version = 2  # v2 adds request_id (v1: None)
        role: str
        org_id: str
        granted_by: str
        granted_on: date
        request_id: str | None
        upcast_v1_v2 = staticmethod(without_request_id)

        def apply(self, aggregate: User) -> None:
            aggregate.grants.append({"role": self.role, "org_id": self.org_id, "granted_on": self.granted_on})

    class RoleRevoked(Aggregate.Event):
        TOPIC = "fundbook:User.RoleRevoked"
        class_version = 2  # v2 adds request_id (v1: None)
        role: str
        org_id: str
        revoked_by: str
        revoked_on: date
        request_id: str | None
        upcast_v1_v2 = staticmethod(without_request_id)

        def apply(self, aggregate: User) -> None:
            aggregate.grants = [
                g for g in aggregate.grants if (g["role"], g["org_id"]) != (self.role, self.org_id)
            ]

    class TokenIssued(Aggregate.Event):
        TOPIC = "fundbook:User.TokenIssued"
        token_id: str
        issued_by: str

        def apply(self, aggregate: User) -> None:
            aggregate.token_ids.append(self.token_id)

    class PasswordSet(Aggregate.Event):
        """The salt and scrypt hash of a password chosen for this user (never the password)."""

        TOPIC = "fundbook:User.PasswordSet"
        login: str
        salt: str
        password_hash: str
        set_by: str

        def apply(self, aggregate: User) -> None:
            aggregate.password = {"login": self.login, "salt": self.salt, "password_hash": self.password_hash}

    def set_password(self, ctx: Context, *, login: str, password: str) -> None:
        login, password = check_login(login), check_password(password)
        salt = new_salt()
        self.trigger_event(
            User.PasswordSet,
            login=login,
            salt=salt,
            password_hash=password_hash(password, bytes.fromhex(salt)),
            set_by=ctx.recorded_by,
        )

    def password_matches(self, login: str, password: str) -> bool:
        if self.password is None or self.password["login"].casefold() != login.strip().casefold():
            return False
        return password_matches(password, self.password["salt"], self.password["password_hash"])

    def password_needs_rehash(self) -> bool:
        """The stored hash was made with older scrypt parameters than today's."""
        return self.password is not None and not hash_is_current(self.password["password_hash"])

    def rehash_password(self, ctx: Context, *, password: str) -> None:
        """At a successful sign-in with a hash of older parameters: the same login and password
        hashed again with today's (a new ``PasswordSet`` by the user themself)."""
        assert self.password is not None
        salt = new_salt()
        self.trigger_event(
            User.PasswordSet,
            login=self.password["login"],
            salt=salt,
            password_hash=password_hash(password, bytes.fromhex(salt)),
            set_by=ctx.recorded_by,
        )

    def grant(self, ctx: Context, *, role: str, org_id: str) -> None:
        role = check_choice("role", role, ROLES)
        if any((g["role"], g["org_id"]) == (role, org_id) for g in self.grants):
            raise errors.RoleAlreadyHeld()
        self.trigger_event(
            User.RoleGranted,
            role=role,
            org_id=org_id,
            granted_by=ctx.recorded_by,
            granted_on=ctx.today,
            request_id=ctx.request_id,
        )

    def revoke(self, ctx: Context, *, role: str, org_id: str) -> None:
        role = check_choice("role", role, ROLES)
        if not any((g["role"], g["org_id"]) == (role, org_id) for g in self.grants):
            raise errors.RoleNotHeld()
        self.trigger_event(
            User.RoleRevoked,
            role=role,
            org_id=org_id,
            revoked_by=ctx.recorded_by,
            revoked_on=ctx.today,
            request_id=ctx.request_id,
        )

    def issue_token(
        self, ctx: Context, token: str, *, now: datetime, expires_at: datetime | None = None
    ) -> ApiToken:
        """A token for this user; ``expires_at`` (aware, after ``now``, within
        ``TOKEN_LIFETIME_MAX``) or none: it lives until revoked."""
        if expires_at is not None:
            check_expiry(expires_at, now)
        record = ApiToken(
            token_hash=token_hash(token),
            user_id=str(self.id),
            issued_by=ctx.recorded_by,
            expires_at=expires_at,
        )
        self.trigger_event(User.TokenIssued, token_id=str(record.id), issued_by=ctx.recorded_by)
        return record


class ApiToken(ControlCharacterGuard, Aggregate):
    TOPIC = "fundbook:ApiToken"

    class Created(Aggregate.Created):
        """TokenIssued: only the hash is stored."""

        TOPIC = "fundbook:ApiToken.Issued"
        class_version = 2  # v2 adds expires_at (v1: see upcast_v1_v2)
        token_hash: str
        user_id: str
        issued_by: str
        expires_at: datetime | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Before v2 no token carried an expiry, and a console session was a token its own
            user issued (the API issued others' tokens): such a token ends ``SESSION_LIFETIME``
            after its issue, wherever it is presented (ADR 0061); any other lives until revoked."""
            own = state["issued_by"] == state["user_id"]
            state["expires_at"] = state["timestamp"] + SESSION_LIFETIME if own else None

    def __init__(self, token_hash: str, user_id: str, issued_by: str, expires_at: datetime | None) -> None:
        self.user_id = user_id
        self.issued_by = issued_by
        self.expires_at = expires_at
        self.revoked = False

    @staticmethod
    def create_id(token_hash: str) -> UUID:
        return uuid5(_TOKEN_NAMESPACE, token_hash)

    class Revoked(Aggregate.Event):
        TOPIC = "fundbook:ApiToken.Revoked"
        revoked_by: str

        def apply(self, aggregate: ApiToken) -> None:
            aggregate.revoked = True

    def revoke(self, ctx: Context, *, by_id: bool = False) -> None:
        """Revoking twice is refused. Presented as a token (sign-out), a revoked token names
        nothing (``token_invalid``); named by its id (an administrator), it is
        ``token_already_revoked``."""
        if self.revoked:
            raise errors.TokenAlreadyRevoked(token_id=str(self.id)) if by_id else errors.TokenInvalid()
        self.trigger_event(ApiToken.Revoked, revoked_by=ctx.recorded_by)

    def check_live(self, now: datetime, *, session: bool = False) -> None:
        """Refuse a revoked token (``token_invalid``) and one past its expiry: ``session_expired``
        when presented as a console session, else ``token_expired``."""
        if self.revoked:
            raise errors.TokenInvalid()
        if self.expires_at is not None and now >= self.expires_at:
            raise errors.SessionExpired() if session else errors.TokenExpired()


def check_expiry(expires_at: datetime, now: datetime) -> datetime:
    """A chosen expiry: with its time zone, after ``now``, at most ``TOKEN_LIFETIME_MAX`` on."""
    if not isinstance(expires_at, datetime) or expires_at.tzinfo is None:
        raise errors.TokenExpiryInvalid(max_days=TOKEN_LIFETIME_MAX.days)
    if not now < expires_at <= now + TOKEN_LIFETIME_MAX:
        raise errors.TokenExpiryInvalid(max_days=TOKEN_LIFETIME_MAX.days)
    return expires_at
