"""Server-rendered pages: the public noticeboard (公示栏) at ``/``, needing no token.

- ``/``: the index: the organisation tree, each organisation's funds, and their periods;
- ``/board/{fund_id}/{period}``: a statement page (``2024-07``, ``2024-Q3``, ``2024``), ``?lang=en``;
- ``/board/{fund_id}/{period}.{pdf|csv|xlsx|json|html}``: the same statement as a file;
- ``/board/internal/{fund_id}/{period}``: the internal board for signed-in members (bearer token),
  with full names where internal consent is recorded;
- ``/board/{fund_id}/aid/{case_id}``: an aid-proposal notice (拟救助对象公示) while it is posted
  or recently ended, ``?lang=en``; ``.json``, ``.pdf`` and ``.html`` the same as a file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from ledger.api.deps import CurrentUser, LedgerDep, ViewsDep
from ledger.api.routers.common import READ_ROLES, fund_owner, require_any
from ledger.application import Ledger
from ledger.domain import errors
from ledger.domain.money import format_amount
from ledger.domain.periods import statement_range
from ledger.exports import aid_notice, formats, labels, sheets
from ledger.exports import html as board_html
from ledger.exports import statement as board
from ledger.projections import queries
from ledger.projections.store import ViewStore
from ledger.web.board_files import BoardFiles
from ledger.web.board_index import index_tree

router = APIRouter(tags=["noticeboard"])
Lang = Annotated[str, Query(description="zh (default) or en")]
Sheet = Annotated[str, Query(description="the paper it prints on: a4 (default) or a3")]
Limit = Annotated[
    int, Query(ge=1, le=queries.STATEMENT_PAGE_MAX, description="vouchers a page (the JSON and the page)")
]
Cursor = Annotated[str | None, Query(description="the next (after) or prev (before) cursor of a page")]

_env = Environment(
    loader=ChoiceLoader(
        [PackageLoader("ledger.web", "templates"), PackageLoader("ledger.exports", "templates")]
    ),
    autoescape=select_autoescape(),
)


def render(
    request: Request,
    st: board.BoardStatement,
    fmt: str,
    lang: str,
    *,
    links: bool = True,
    sheet: str = sheets.DEFAULT_SHEET,
) -> Response:
    """One statement in one format, with a file name for downloads (sealed statements come
    from the board's cache, PDFs render in bounded slots: ``board_files``); the QR code sends a
    resident to check it at ``FUNDBOOK_PUBLIC_BASE_URL``."""
    if fmt not in formats.FORMATS:
        raise errors.ValueNotAllowed(field="format", value=fmt, allowed=", ".join(formats.FORMATS))
    files: BoardFiles = request.app.state.board_files
    links_shown = _links(st, lang) if links and fmt == "html" else None
    base_url, sheet = request.app.state.public_base_url, sheets.check_sheet(sheet)
    body = files.statement(st, fmt, lang, links_shown, base_url=base_url, sheet=sheet)
    headers = {} if links else {"Content-Disposition": f'attachment; filename="{_filename(st, fmt)}"'}
    return Response(body, media_type=formats.MEDIA_TYPES[fmt], headers=headers)


def _filename(st: board.BoardStatement, fmt: str) -> str:
    return f"statement-{st.fund_id[:8]}-{st.period}.{fmt}"


def _links(st: board.BoardStatement, lang: str) -> list[tuple[str, str]]:
    suffix = "" if lang == "zh" else "?lang=en"
    other = ("English", f"/board/{st.fund_id}/{st.period}?lang=en") if lang == "zh" else None
    out = [
        (fmt.upper(), f"/board/{st.fund_id}/{st.period}.{fmt}{suffix}")
        for fmt in ("pdf", "csv", "xlsx", "json")
    ]
    out += [other] if other else [("中文", f"/board/{st.fund_id}/{st.period}")]
    return out


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def board_index(request: Request, views: ViewsDep, lang: Lang = "zh") -> HTMLResponse:
    lang = labels.check_lang(lang)
    today = request.app.state.ledger.today()
    page = _env.get_template("index.html").render(
        t=labels.TEXTS[lang],
        tn=aid_notice.TEXTS[lang],
        lang=lang,
        roots=index_tree(views, today),
        period_title=lambda period: labels.period_label(period, lang),
        css=board_html.stylesheet(),
        narrow_css=board_html.narrow_stylesheet(),
        money=format_amount,
        day=lambda value: aid_notice.day_text(value, lang),
    )
    return HTMLResponse(page)


@router.get("/board/internal/{fund_id}/{period}", summary="The internal board (members signed in)")
def internal_statement(
    fund_id: str,
    period: str,
    request: Request,
    ledger: LedgerDep,
    views: ViewsDep,
    user: CurrentUser,
    lang: Lang = "zh",
    format: Annotated[str, Query(description="html or json")] = "html",
) -> Response:
    """The statement with full names where internal consent is recorded (needs a member's token)."""
    require_any(ledger, user, READ_ROLES, fund_owner(ledger, fund_id))
    fund = str(ledger.fund(fund_id).id)
    st = board.build(
        views, fund, period, audience=board.INTERNAL, supervision=supervision_for(ledger, views, fund)
    )
    if format not in ("html", "json"):
        raise errors.ValueNotAllowed(field="format", value=format, allowed="html, json")
    return render(request, st, format, labels.check_lang(lang), links=False)


NOTICE_FORMATS = ("json", "pdf", "html")


@router.get("/board/{fund_id}/aid/{case_id}.{fmt}", include_in_schema=False)
def aid_notice_file(
    fund_id: str, case_id: str, fmt: str, request: Request, views: ViewsDep, lang: Lang = "zh"
) -> Response:
    lang = labels.check_lang(lang)
    if fmt not in NOTICE_FORMATS:
        raise errors.ValueNotAllowed(field="format", value=fmt, allowed=", ".join(NOTICE_FORMATS))
    ledger = request.app.state.ledger
    notice = aid_notice.build(
        views, fund_id, case_id, ledger.today(), supervision_for(ledger, views, fund_id)
    )
    body: bytes | str
    if fmt == "json":
        body = aid_notice.to_json(notice, lang)
    elif fmt == "pdf":
        body = request.app.state.board_files.pdf(aid_notice.render_pdf, notice, lang)
    else:
        body = aid_notice.render_html(notice, lang, footer=False)
    filename = f"aid-notice-{case_id[:8]}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=formats.MEDIA_TYPES[fmt], headers=headers)


@router.get("/board/{fund_id}/aid/{case_id}", response_class=HTMLResponse, include_in_schema=False)
def aid_notice_page(
    fund_id: str, case_id: str, request: Request, views: ViewsDep, lang: Lang = "zh"
) -> Response:
    lang = labels.check_lang(lang)
    ledger = request.app.state.ledger
    notice = aid_notice.build(
        views, fund_id, case_id, ledger.today(), supervision_for(ledger, views, fund_id)
    )
    base, suffix = f"/board/{fund_id}/aid/{case_id}", "" if lang == "zh" else "?lang=en"
    links = [(fmt.upper(), f"{base}.{fmt}{suffix}") for fmt in ("pdf", "json")]
    links.append(("English", f"{base}?lang=en") if lang == "zh" else ("中文", base))
    return HTMLResponse(aid_notice.render_html(notice, lang, links=links))


@router.get("/board/{fund_id}/{period}.{fmt}", include_in_schema=False)
def statement_file(
    fund_id: str,
    period: str,
    fmt: str,
    request: Request,
    views: ViewsDep,
    lang: Lang = "zh",
    sheet: Sheet = sheets.DEFAULT_SHEET,
    limit: Limit = queries.STATEMENT_PAGE_DEFAULT,
    after: Cursor = None,
    before: Cursor = None,
) -> Response:
    """Paper, CSV and XLSX hold every line; the JSON one page of ``limit`` lines (ADR 0175)."""
    lang = labels.check_lang(lang)
    if fmt in formats.STREAMED:
        return _streamed_file(request, views, fund_id, period, fmt, lang)
    paged = {"limit": limit, "after": after, "before": before} if fmt == "json" else {}
    st = _public_statement(request, views, fund_id, period, **paged)
    return render(request, st, fmt, lang, links=False, sheet=sheet)


def _streamed_file(
    request: Request, views: ViewStore, fund_id: str, period: str, fmt: str, lang: str
) -> Response:
    """A CSV or XLSX of every line, written as the lines are read from one snapshot (ADR 0185),
    which stays open until the last chunk is sent (or the client goes)."""
    _check_period(request, views, fund_id, period)
    supervision = supervision_for(request.app.state.ledger, views, fund_id)
    stack = ExitStack()
    head, lines = stack.enter_context(board.streamed(views, fund_id, period, supervision=supervision))
    try:
        body = request.app.state.board_files.streamed(head, lines, fmt, lang)
    except BaseException:
        stack.close()
        raise
    headers = {"Content-Disposition": f'attachment; filename="{_filename(head, fmt)}"'}
    if isinstance(body, bytes):
        stack.close()
        return Response(body, media_type=formats.MEDIA_TYPES[fmt], headers=headers)
    return StreamingResponse(_closing(stack, body), media_type=formats.MEDIA_TYPES[fmt], headers=headers)


def _closing(stack: ExitStack, chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The chunks, then the snapshot closed (also when the client left before the end)."""
    with stack:
        yield from chunks


@router.get("/board/{fund_id}/{period}", response_class=HTMLResponse, include_in_schema=False)
def statement_page(
    fund_id: str,
    period: str,
    request: Request,
    views: ViewsDep,
    lang: Lang = "zh",
    sheet: Sheet = sheets.DEFAULT_SHEET,
    limit: Limit = queries.STATEMENT_PAGE_DEFAULT,
    after: Cursor = None,
    before: Cursor = None,
) -> Response:
    """One page of ``limit`` lines, with 上一页/下一页 links when the period holds more."""
    lang = labels.check_lang(lang)
    st = _public_statement(request, views, fund_id, period, limit=limit, after=after, before=before)
    return render(request, st, "html", lang, sheet=sheet)


def _public_statement(
    request: Request, views: ViewStore, fund_id: str, period: str, **page: Any
) -> board.BoardStatement:
    """The statement of a period the fund has lived in (``_check_period``); ``page``: limit,
    after, before."""
    _check_period(request, views, fund_id, period)
    return board.build(
        views, fund_id, period, supervision=supervision_for(request.app.state.ledger, views, fund_id), **page
    )


def _check_period(request: Request, views: ViewStore, fund_id: str, period: str) -> None:
    """None before the fund was established or after today (``statement_period_out_of_range``,
    404)."""
    start, end = statement_range(period)
    established = queries.fund_meta(views, fund_id)["established_on"]
    today = request.app.state.ledger.today()
    if end.isoformat() < established or start > today:
        raise errors.StatementPeriodOutOfRange(
            period=period, established_on=established, today=today.isoformat()
        )


def supervision_for(ledger: Ledger, views: ViewStore, fund_id: str) -> dict[str, str] | None:
    """The supervision channels a notice of the fund prints (its organisation's, or above);
    None for no fund (the notice's own lookup then answers its not-found)."""
    owner = views.fetch("SELECT owner_org_id FROM v_fund WHERE fund_id = ?", (fund_id,))
    return ledger.supervision_of(owner[0][0]) if owner else None
