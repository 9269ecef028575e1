"""A refusal on a public page, as a page (issue 14: the board is never "down" for a reader).

The noticeboard's pages (``/``, ``/board/…`` without a file extension, the check page) are
opened by residents in a browser, from a link on paper or an old bookmark. A refusal there
(an unknown fund, a period that is not one, a page cursor that no longer fits) used to answer
the API's JSON body, which a phone shows as a wall of code. A browser asks for ``text/html``
first; such a request gets a short page in both languages with the same status and a link
back to the index. Every other client (``curl``, the API, ``.json``/``.csv``/… files) still
gets the JSON refusal of ``ledger/api/errors.py``, which calls ``for_request`` first.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

_env = Environment(loader=PackageLoader("ledger.web", "templates"), autoescape=select_autoescape())
PUBLIC_PREFIXES = ("/board/", "/check")


def is_public_page(request: Request) -> bool:
    """A browser's GET of a noticeboard page (not one of its files)."""
    path = request.url.path
    if request.method not in ("GET", "HEAD"):
        return False
    if path != "/" and not path.startswith(PUBLIC_PREFIXES):
        return False
    if "." in path.rsplit("/", 1)[-1]:  # a file: .json, .csv, .xlsx, .pdf
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept.split(";", 1)[0] or accept.startswith("text/html")


def for_request(request: Request, status: int, code: str, message: str) -> HTMLResponse | None:
    """The page for a refusal of a public page; None for any other request (it gets JSON)."""
    if not is_public_page(request):
        return None
    zh, _, en = message.partition(" / ")
    body = _env.get_template("error.html").render(status=status, code=code, zh=zh, en=en or zh)
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})
