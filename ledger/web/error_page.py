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

import math

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
    weights = accept_weights(request.headers.get("accept", ""))
    html = weights.get("text/html", 0.0)
    return html > 0 and html >= weights.get("application/json", 0.0)


def accept_weights(accept: str) -> dict[str, float]:
    """Each media type named in an Accept header with its q-value (1 when not given; a
    malformed q counts as 0). Wildcards are kept as written: only a type named exactly counts
    as asking for it, so ``*/*`` (curl, most libraries) asks for neither page nor JSON."""
    weights: dict[str, float] = {}
    for entry in accept.split(","):
        media, *params = (part.strip() for part in entry.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
                q = min(max(q, 0.0), 1.0) if math.isfinite(q) else 0.0
        if media:
            weights[media.lower()] = max(q, weights.get(media.lower(), 0.0))
    return weights


def for_request(request: Request, status: int, code: str, message: str) -> HTMLResponse | None:
    """The page for a refusal of a public page; None for any other request (it gets JSON)."""
    if not is_public_page(request):
        return None
    zh, _, en = message.partition(" / ")
    body = _env.get_template("error.html").render(status=status, code=code, zh=zh, en=en or zh)
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})
