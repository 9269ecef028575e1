"""The root of the error tree and its branches, one per HTTP status; every leaf is made by ``leaf``.

    LedgerError
    ├── InvalidRequest (422)  the input breaks a rule: amounts, dates, texts, earmarks, R1–R16
    ├── NotFound (404)        an id names nothing
    ├── Conflict (409)        the request clashes with what is already recorded
    ├── Forbidden (403)       the actor may not do this (segregation of duties R16, roles)
    ├── Unauthenticated (401) no valid token
    ├── Throttled (429)       too many failed attempts: wait, then try again
    ├── Unavailable (503)     this server cannot do it; another one can (a read replica)
    └── MalformedBody (400)   the HTTP body cannot be read as JSON at all (ADR 0064; in ``service``)

Each leaf has one stable snake_case ``code`` and a message in Chinese and English.
Messages may name details with ``{field_name}`` placeholders, filled from ``details``.
Programmer errors are ``assert``s, never a ``LedgerError``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ledger.domain.spoken import spoken

# Every error is public as ``ledger.domain.errors.<Name>``; the leaves say so in ``__module__``,
# as they did when the tree was one module (reprs, logs and pickles keep the same name).
PUBLIC_MODULE = __name__.rpartition(".")[0]


class LedgerError(Exception):
    """An expected refusal, with a stable code and a bilingual message."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "ledger_error"
    zh: ClassVar[str] = "请求被拒绝"
    en: ClassVar[str] = "The request was refused."

    def __init__(self, **details: Any) -> None:
        self.details = details
        super().__init__(f"{self.code}: {self.message}")

    @property
    def message_zh(self) -> str:
        return _fill(self.zh, spoken(self.details, "zh"))

    @property
    def message_en(self) -> str:
        text = _fill(self.en, spoken(self.details, "en"))
        return text[:1].upper() + text[1:]

    @property
    def message(self) -> str:
        return f"{self.message_zh} / {self.message_en}"

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


def _fill(template: str, details: dict[str, Any]) -> str:
    try:
        return template.format(**details)
    except (KeyError, IndexError, ValueError):
        return template


class InvalidRequest(LedgerError):
    status = 422
    code = "invalid_request"
    zh = "请求内容不符合规则"
    en = "The request breaks a rule."


class NotFound(LedgerError):
    status = 404
    code = "not_found"
    zh = "未找到"
    en = "Not found."


class Conflict(LedgerError):
    status = 409
    code = "conflict"
    zh = "与已登记的内容冲突"
    en = "The request conflicts with what is recorded."


class Forbidden(LedgerError):
    status = 403
    code = "forbidden"
    zh = "无权执行此操作"
    en = "You may not do this."


class Unauthenticated(LedgerError):
    status = 401
    code = "unauthenticated"
    zh = "需要登录"
    en = "Authentication is required."


class Throttled(LedgerError):
    status = 429
    code = "throttled"
    zh = "尝试次数过多，请稍后再试"
    en = "Too many attempts; try again later."


class Unavailable(LedgerError):
    status = 503
    code = "unavailable"
    zh = "此服务器不能办理该请求"
    en = "This server cannot serve the request."


BRANCHES: tuple[type[LedgerError], ...] = (
    LedgerError,
    InvalidRequest,
    NotFound,
    Conflict,
    Forbidden,
    Unauthenticated,
    Throttled,
    Unavailable,
)


def leaf(base: type[LedgerError], code: str, zh: str, en: str) -> type[LedgerError]:
    """One leaf of the tree: its class name is its code in CamelCase."""
    name = "".join(part.capitalize() for part in code.split("_"))
    return type(name, (base,), {"code": code, "zh": zh, "en": en, "__module__": PUBLIC_MODULE})
