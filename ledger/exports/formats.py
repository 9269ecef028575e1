"""The statement as data: JSON, CSV (UTF-8 with BOM, so Excel opens it) and XLSX (amounts as
numbers formatted 0.00; totals as values equal to the JSON's). All three come from the same
``table`` of cells, so every cell agrees with the JSON statement by construction (except that
a text a spreadsheet could run as a formula is written as text, ``cells``, ADR 0063)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import orjson
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ledger.domain.money import format_amount
from ledger.exports import cells, labels
from ledger.exports.statement import BoardPage, BoardStatement, Line

AMOUNT_COLUMNS = ("income", "expense", "balance")
XLSX_AMOUNT_FORMAT = "0.00"
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}
FORMATS = tuple(MEDIA_TYPES)


def _money(fen: int | None) -> str | None:
    return None if fen is None else format_amount(fen, thousands=False)


def line_dict(line: Line) -> dict[str, Any]:
    return {
        "kind": line.kind,
        "no": line.no,
        "date": line.day,
        "voucher": line.voucher,
        "summary": line.summary,
        "income": _money(line.income_fen),
        "income_fen": line.income_fen,
        "expense": _money(line.expense_fen),
        "expense_fen": line.expense_fen,
        "balance": _money(line.balance_fen),
        "balance_fen": line.balance_fen,
        "handler": line.handler,
        "note": line.note,
    }


def to_dict(st: BoardStatement, lang: str = "zh") -> dict[str, Any]:
    text = labels.TEXTS[lang]
    out: dict[str, Any] = {
        "fund_id": st.fund_id,
        "fund_name": st.fund_name,
        "issuer": st.issuer,
        "period": st.period,
        "title": st.title(lang),
        "start": st.start.isoformat(),
        "end": st.end.isoformat(),
        "audience": st.audience,
        "provisional": st.provisional,
        "posting_from": st.posting_from.isoformat() if st.posting_from else None,
        "posting_to": st.posting_to.isoformat() if st.posting_to else None,
        "columns": [text[c] for c in labels.COLUMNS],
        "lines": [line_dict(line) for line in st.lines],
    }
    for key in ("opening", "income", "expense", "closing", "bank", "cash"):
        fen = getattr(st, f"{key}_fen")
        out[key], out[f"{key}_fen"] = _money(fen), fen
    out["capitals"] = [{"label": text[key], "text": words} for key, words in st.capitals()]
    out["signatures"] = {role: name for role, name in st.signatures.items()}
    out["seal"] = (
        {"position": st.seal.position, "hash": st.seal.hash, "fingerprint": st.seal.fingerprint}
        if st.seal
        else None
    )
    out["as_of_position"] = st.position  # the log position of every figure above (ADR 0050)
    if st.page is not None:  # one page of the lines (ADR 0175)
        out.update(page_dict(st, st.page))
    return out


def page_dict(st: BoardStatement, page: BoardPage) -> dict[str, Any]:
    """Where a page of lines stands: the period's voucher count, the cursors of the pages after
    and before, and their links (None at either end)."""
    base = f"/board/{st.fund_id}/{st.period}.json"

    def link(key: str, cursor: str | None) -> str | None:
        return f"{base}?{urlencode({'limit': page.limit, key: cursor})}" if cursor else None

    return {
        "row_count": page.row_count,
        "limit": page.limit,
        "next": page.next,
        "prev": page.prev,
        "next_link": link("after", page.next),
        "prev_link": link("before", page.prev),
    }


def to_json(st: BoardStatement, lang: str = "zh") -> bytes:
    return orjson.dumps(to_dict(st, lang), option=orjson.OPT_INDENT_2)


def table(st: BoardStatement) -> list[list[Any]]:
    """The table's cells, one list per line: amounts in fen (int) or None for an empty cell."""
    return [
        [
            line.no,
            line.day,
            line.voucher,
            line.summary,
            line.income_fen,
            line.expense_fen,
            line.balance_fen,
            line.handler,
            line.note,
        ]
        for line in st.lines
    ]


def to_csv(st: BoardStatement, lang: str = "zh") -> bytes:
    """Heading row, the table (amounts "1680.32", empty cells empty), a blank row, then one row
    per capital-numeral line."""
    text = labels.TEXTS[lang]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([text[c] for c in labels.COLUMNS])
    for row in table(st):
        writer.writerow(
            ["" if v is None else _money(v) if 4 <= i <= 6 else cells.csv_cell(v) for i, v in enumerate(row)]
        )
    writer.writerow([])
    for key, words in st.capitals():
        writer.writerow([text["capitals"], text[key], words])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


XLSX_HEADING_ROW = 4  # title, posting window and unit, a blank row, then the column heads


def to_xlsx(st: BoardStatement, lang: str = "zh") -> bytes:
    text = labels.TEXTS[lang]
    book = Workbook()
    sheet = book.active
    sheet.title = st.period
    sheet.append([st.title(lang)])
    sheet["A1"].font = Font(bold=True, size=14)
    posting = (
        f"{text['posting']}: {st.posting_from.isoformat()} – {st.posting_to.isoformat()}"
        if st.posting_from and st.posting_to
        else text["provisional"]
    )
    sheet.append([posting, None, None, None, None, None, None, None, text["unit"]])
    sheet.append([])
    sheet.append([text[c] for c in labels.COLUMNS])
    for row in table(st):
        sheet.append([Decimal(v) / 100 if 4 <= i <= 6 and v is not None else v for i, v in enumerate(row)])
        for column in "EFG":
            sheet[f"{column}{sheet.max_row}"].number_format = XLSX_AMOUNT_FORMAT
        if row[0] is None and row[2] == "":
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    sheet.append([])
    for key, words in st.capitals():
        sheet.append([text["capitals"], text[key], words])
    for column, width in zip("ABCDEFGHI", (6, 12, 14, 44, 12, 12, 12, 10, 30), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=XLSX_HEADING_ROW):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    cells.defuse_sheet(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
