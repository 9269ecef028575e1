"""Console sessions: sign in with an API token (or a login name and password an administrator
set), get a new token of your own as the session.

- Sign-in checks the typed token (``Ledger.authenticate``) or the password
  (``Ledger.authenticate_password``, scrypt) and issues a *new* token for that
  user through the Ledger; only that one goes into the cookie (HttpOnly, SameSite=Strict,
  Path=/console, Secure over https). The typed token never leaves the sign-in request.
- A session lives ``SESSION_MAX_AGE`` from its issue: its token carries that expiry
  (``ApiToken.expires_at``), so the same value presented as an API bearer token dies with it
  (``token_expired``, ADR 0061); in the console an older one is refused with
  ``session_expired`` and the browser is sent to sign in again.
- Sign-out revokes the session token (``ApiToken.Revoked``): a copied cookie is dead too.
- CSRF: every form carries HMAC-SHA256(session token, ``"csrf"``); every POST is checked
  (``csrf_invalid``, 403). SameSite=Strict is the second wall.
- Failed sign-ins are limited per login name and per client address (``signin_limits``):
  beyond the limit the sign-in is refused with ``signin_throttled`` (429) before any check;
  each attempt is counted before its check, atomically, so concurrent guesses cannot slip
  past the limit.
- On a read replica (``FUNDBOOK_READ_ONLY=1``, ADR 0012) there are no sessions: a sign-in
  issues a token, which is a write. The sign-in page and every page needing a session answer
  ``read_only_replica`` (503); console POSTs never reach a route (``refusal_page``).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ledger.api.deps import LedgerDep
from ledger.domain import errors
from ledger.domain.user import SESSION_LIFETIME, User
from ledger.web.console.pages import PREFIX, SIGN_IN, ConsoleRoute, error_page, page
from ledger.web.console.signin_limits import SignInLimits

SESSION_COOKIE = "fb_session"
SESSION_MAX_AGE = SESSION_LIFETIME
FORM_BYTES_MAX = 64 * 1024

router = APIRouter(prefix=PREFIX, route_class=ConsoleRoute, include_in_schema=False)


@dataclass(frozen=True)
class Session:
    user: User
    token: str

    @property
    def csrf(self) -> str:
        return csrf_token(self.token)


def csrf_token(session_token: str) -> str:
    return hmac.new(session_token.encode(), b"csrf", hashlib.sha256).hexdigest()


def current_session(request: Request, ledger: LedgerDep) -> Session:
    if request.app.state.read_only:
        raise errors.ReadOnlyReplica()
    token = request.cookies.get(SESSION_COOKIE)
    user = ledger.authenticate(token, session=True)
    session = Session(user, str(token))
    request.state.console_session = session
    return session


SessionDep = Annotated[Session, Depends(current_session)]


async def posted_form(request: Request, session: SessionDep) -> dict[str, str]:
    """The urlencoded form of a POST, its CSRF token checked against the session."""
    fields = await read_form(request)
    if not hmac.compare_digest(fields.pop("csrf", ""), session.csrf):
        raise errors.CsrfInvalid()
    return fields


async def read_form(request: Request) -> dict[str, str]:
    body = await request.body()
    if len(body) > FORM_BYTES_MAX:
        raise errors.TextTooLong(field="form", max_len=FORM_BYTES_MAX)
    return dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))


FormDep = Annotated[dict[str, str], Depends(posted_form)]


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, next: str = PREFIX) -> HTMLResponse:
    if request.app.state.read_only:
        return refusal_page(request, errors.ReadOnlyReplica())
    return page(request, "sign_in.html", next=_safe_next(next), error=None)


def refusal_page(request: Request, error: errors.LedgerError) -> HTMLResponse:
    """A read replica's console answer: at the sign-in address the sign-in page with the code
    and no form, elsewhere the error page."""
    if request.url.path == SIGN_IN:
        return page(request, "sign_in.html", status=error.status, next=PREFIX, error=error, read_only=True)
    return error_page(request, error)


@router.post("/sign-in")
async def sign_in(request: Request, ledger: LedgerDep) -> Response:
    fields = await read_form(request)
    # In the thread pool, not on the event loop: scrypt (about 50 ms) and issuing the session's
    # token (a write waiting for its commit) would stall every other request meanwhile.
    return await run_in_threadpool(_sign_in, request, ledger, fields, _safe_next(fields.get("next", "")))


def signin_limits(request: Request) -> SignInLimits:
    """The process's counts of failed sign-ins (one per application, made by ``create_app``)."""
    return request.app.state.signin_limits


def _sign_in(request: Request, ledger: LedgerDep, fields: dict[str, str], target: str) -> Response:
    """A login name and password if a name was typed, else a token; refused: the sign-in form
    again, with the code. Too many failures for the login or the address: refused before either
    is checked."""
    limits = signin_limits(request)
    login = fields.get("login", "").strip() or None
    address = request.client.host if request.client else "-"
    attempt = limits.attempt(login, address)  # counted as a failure before the check
    if login is not None:
        user = ledger.authenticate_password(login, fields.get("password", ""))
    else:
        user = ledger.authenticate(fields.get("token", "").strip() or None)
    limits.succeeded(attempt)
    session_token = ledger.issue_session(str(user.id))
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session_token,
        max_age=int(SESSION_MAX_AGE.total_seconds()),
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/sign-out")
def sign_out(session: SessionDep, form: FormDep, ledger: LedgerDep) -> Response:
    ledger.revoke_token(session.token, actor=str(session.user.id))
    response = RedirectResponse(f"{PREFIX}/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=PREFIX, httponly=True, samesite="strict")
    return response


def _safe_next(target: str) -> str:
    """Only a path inside the console: never an open redirect."""
    if target.startswith(PREFIX) and not target.startswith("//") and "\\" not in target:
        return target
    return PREFIX
