"""The statement as an HTML page (Jinja2) and as a PDF: WeasyPrint lays out the same page with
its print rules (A4, page numbers from @page counters) and embeds the CJK fonts it used."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib.resources import files

import segno
from jinja2 import Environment, PackageLoader, select_autoescape

from ledger.config import DEFAULT_PUBLIC_BASE_URL
from ledger.domain.money import format_amount
from ledger.exports import labels, sheets
from ledger.exports.statement import BoardStatement

QR_SCALE = 3


@cache
def environment() -> Environment:
    return Environment(loader=PackageLoader("ledger.exports", "templates"), autoescape=select_autoescape())


@cache
def stylesheet() -> str:
    return files("ledger.exports").joinpath("templates/board.css").read_text(encoding="utf-8")


@cache
def narrow_stylesheet() -> str:
    """The phone layout, for a ``<style media="screen">`` (WeasyPrint skips it unread)."""
    return files("ledger.exports").joinpath("templates/board-narrow.css").read_text(encoding="utf-8")


def qr_svg(text: str) -> str:
    """An inline SVG QR code of ``text`` (the public check page's URL)."""
    return segno.make(text, error="m").svg_inline(scale=QR_SCALE)


def check_url(st: BoardStatement, base_url: str) -> str:
    """Where a resident checks this notice against the books (``ledger.web.check``)."""
    assert st.seal is not None
    return f"{base_url.rstrip('/')}/check/{st.seal.fingerprint}/{st.period}"


def _day(value: date, lang: str) -> str:
    return labels.zh_date(value.isoformat()) if lang == "zh" else value.isoformat()


def render_html(
    st: BoardStatement,
    lang: str = "zh",
    *,
    links: list[tuple[str, str]] | None = None,
    footer: bool = True,
    back: tuple[str, str] | None = None,
    base_url: str = DEFAULT_PUBLIC_BASE_URL,
    sheet: str = sheets.DEFAULT_SHEET,
) -> str:
    """The page; ``links`` are the downloads, ``back`` a (label, href) link back to where the
    reader came from (the console's fund page shows a member the internal board this way);
    ``sheet`` the paper it prints on; a page with downloads offers the larger sheets where
    the period needs them (``sheets.offers``)."""
    text = labels.TEXTS[lang]
    return (
        environment()
        .get_template("statement.html")
        .render(
            st=st,
            lang=lang,
            t=text,
            title=st.title(lang),
            css=stylesheet(),
            narrow_css=narrow_stylesheet(),
            page_rule=sheets.page_rule(sheet),
            sheet_links=sheets.offers(st, lang) if links else [],
            columns=labels.COLUMNS,
            capitals=st.capitals(),
            split=text["split"].format(bank=format_amount(st.bank_fen), cash=format_amount(st.cash_fen)),
            objection=labels.objection(st.issuer, st.supervision, lang),
            qr=qr_svg(check_url(st, base_url)) if st.seal else "",
            check=check_url(st, base_url) if st.seal else "",
            money=lambda fen: "" if fen is None else format_amount(fen),
            day=lambda value: _day(value, lang),
            links=links or [],
            footer=footer,
            back=back,
        )
    )


def render_pdf(
    st: BoardStatement,
    lang: str = "zh",
    *,
    base_url: str = DEFAULT_PUBLIC_BASE_URL,
    sheet: str = sheets.DEFAULT_SHEET,
) -> bytes:
    from weasyprint import HTML  # imported when used: it loads pango, which takes a moment

    return HTML(string=render_html(st, lang, footer=False, base_url=base_url, sheet=sheet)).write_pdf()
