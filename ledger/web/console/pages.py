"""Rendering console pages: the Jinja2 environment, the language, and the route class that
turns every refusal into a page (code and bilingual message), never a stack trace.

A ``LedgerError`` raised by a console route becomes a page with its status; no session (or an
expired one) sends the browser to the sign-in page; a malformed request is a 422 page. After a
write, the browser goes to the page that shows it (``after_write``).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from jinja2 import Environment, PackageLoader, select_autoescape

from ledger.api.deps import fresh_views
from ledger.application import Ledger, Recorded
from ledger.domain import errors
from ledger.domain.money import format_amount
from ledger.domain.user import ROLES, User
from ledger.exports import labels
from ledger.projections import queries
from ledger.projections.store import ViewStore
from ledger.web.console import code_words
from ledger.web.console.texts import LANGS, TEXTS, choice_label, entry_label

LANG_COOKIE = "fb_lang"
PREFIX = "/console"
SIGN_IN = f"{PREFIX}/sign-in"

_env = Environment(
    loader=PackageLoader("ledger.web.console", "templates"), autoescape=select_autoescape(default=True)
)
_env.filters["yuan"] = lambda fen: "" if fen is None else format_amount(int(fen))
_env.globals["choice_label"] = choice_label
_env.globals["entry_label"] = entry_label
_env.globals["code_word"] = code_words.word
_env.globals["board_t"] = labels.TEXTS
_env.globals["branch_warning_text"] = lambda code, lang: queries.BRANCH_WARNING_TEXTS[code][lang == "en"]


def lang_of(request: Request) -> str:
    """``?lang=`` if given, else the language last chosen (a cookie), else Chinese."""
    for lang in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if lang in LANGS:
            return lang
    return "zh"


def current_views(request: Request) -> ViewStore:
    """The views, caught up to everything written so far (read-your-writes for every page:
    a custodian never sees a balance without the entry just recorded; bounded wait, else
    ``views_lagging``)."""
    return fresh_views(request, request.app.state.ledger.recorder.max_notification_id() or 0)


def page(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    lang = lang_of(request)
    session = getattr(request.state, "console_session", None)
    body = _env.get_template(template).render(
        t=TEXTS[lang], lang=lang, session=session, path=request.url.path, **context
    )
    response = HTMLResponse(body, status_code=status)
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(LANG_COOKIE, lang_of(request), path=PREFIX, samesite="strict", httponly=True)
    return response


def error_page(request: Request, error: errors.LedgerError) -> HTMLResponse:
    return page(request, "error.html", status=error.status, error=error)


def refusal_status(problems: Mapping[str, errors.LedgerError]) -> int:
    """The status of a form shown again with its refusals: the highest of theirs, else 200."""
    return max((error.status for error in problems.values()), default=200)


def after_write(request: Request, path: str, recorded: Recorded) -> RedirectResponse:
    """303 to the page at ``path`` that shows the write: ``position`` makes it wait for the
    views to reach it, ``replayed`` says the one-time key had recorded it before."""
    request.app.state.follower.poke()
    replayed = "&replayed=1" if recorded.replayed else ""
    return RedirectResponse(f"{path}?position={recorded.position or 0}{replayed}", status_code=303)


class ConsoleRoute(APIRoute):
    """Every console route answers a page, whatever is refused on the way."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except errors.Unauthenticated as error:
                if request.url.path == SIGN_IN:  # a refused token: the form again, with the code
                    return page(request, "sign_in.html", status=error.status, next=PREFIX, error=error)
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"{SIGN_IN}?next={quote(target)}", status_code=303)
            except errors.SigninThrottled as error:  # the sign-in form again, 429, Retry-After
                answer = page(request, "sign_in.html", status=error.status, next=PREFIX, error=error)
                answer.headers["Retry-After"] = str(error.details["retry_after_s"])
                return answer
            except errors.LedgerError as error:
                return error_page(request, error)
            except RequestValidationError:
                return error_page(request, errors.InvalidRequest())

        return handle


def may(ledger: Ledger, user: User, roles: tuple[str, ...], org_id: str) -> bool:
    """The user holds one of ``roles`` (or admin) for the organisation or one above it: what a
    page offers (the routes still check with ``require_any``)."""
    return not roles_held(ledger, user, org_id).isdisjoint(roles)


def roles_held(ledger: Ledger, user: User, org_id: str) -> frozenset[str]:
    """Every role the user holds (an admin: all) for the organisation or one above it. A page
    that asks several questions about one organisation loads it and its ancestors once."""
    above = [org_id, *ledger.ancestors(ledger.organisation(org_id))]
    return frozenset(role for role in ROLES if user.holds(role, above))
