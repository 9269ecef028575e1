"""The paper a statement prints on: A4 portrait by default; A3 offered where a period does not
fit on two A4 pages at 12 pt, so that the type is never shrunk to fit (issue 18, ADR 0120). A4
landscape is not offered: its rows are shorter but so is its page, and the demo's quarter and
year took as many pages or more (3 and 7 against A4's 3 and 6; A3: 2 and 3). The chosen sheet
is one ``@page`` size rule after the board's stylesheet, read alike by WeasyPrint (the server's
PDF) and by chromium (Ctrl+P of the page)."""

from __future__ import annotations

from ledger.domain import errors
from ledger.exports import labels
from ledger.exports.statement import BoardStatement

SHEETS = {"a4": "A4", "a3": "A3"}
DEFAULT_SHEET = "a4"
# How many statement lines fit on two A4 portrait pages with the capitals, the signature block
# and the seal at 12 pt: measured on the demo (a month of 16 lines prints on 2 pages, a quarter
# of 22 on 3). Lines whose summaries wrap more take more room: this is where the offer starts,
# not a promise that 16 lines always fit.
A4_TWO_PAGE_LINES = 16


def check_sheet(sheet: object) -> str:
    if sheet not in SHEETS:
        raise errors.ValueNotAllowed(field="sheet", value=str(sheet), allowed=", ".join(SHEETS))
    return str(sheet)


def page_rule(sheet: str) -> str:
    """The CSS that sets the sheet ("" for the stylesheet's own A4)."""
    return "" if sheet == DEFAULT_SHEET else f"@page {{ size: {SHEETS[sheet]}; }}"


def needs_larger_sheet(st: BoardStatement) -> bool:
    return len(st.lines) > A4_TWO_PAGE_LINES


def offers(st: BoardStatement, lang: str) -> list[tuple[str, str]]:
    """The larger sheets a statement page links to (the page to print from the browser, and the
    server's PDF), where the period needs more than two A4 pages; none otherwise."""
    if not needs_larger_sheet(st):
        return []
    text, base = labels.TEXTS[lang], f"/board/{st.fund_id}/{st.period}"
    lang_q = "" if lang == "zh" else "&lang=en"
    return [
        (text["sheet_a3"], f"{base}?sheet=a3{lang_q}"),
        (text["sheet_pdf_a3"], f"{base}.pdf?sheet=a3{lang_q}"),
    ]
