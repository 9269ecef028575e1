"""The statement as data: JSON, CSV (UTF-8 with BOM, so Excel opens it) and XLSX (amounts as
numbers formatted 0.00; totals as values equal to the JSON's). All three come from the same
``table`` of cells, so every cell agrees with the JSON statement by construction (except that
a text a spreadsheet could run as a formula is written as text, ``cells``, ADR 0063)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import urlencode

import orjson

from ledger.domain.money import format_amount
from ledger.exports import cells, labels
from ledger.exports.statement import BoardPage, BoardStatement, Line

if TYPE_CHECKING:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

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
    return [row_cells(line) for line in st.lines]


def row_cells(line: Line) -> list[Any]:
    return [
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


def to_csv(st: BoardStatement, lang: str = "zh") -> bytes:
    return b"".join(csv_chunks(st, st.lines, lang))


# Lines written between two chunks of a streamed CSV (a few tens of KB each).
CSV_CHUNK_LINES = 200


def csv_chunks(st: BoardStatement, lines: Iterable[Line], lang: str = "zh") -> Iterator[bytes]:
    """Heading row, the table (amounts "1680.32", empty cells empty), a blank row, then one row
    per capital-numeral line; given out ``CSV_CHUNK_LINES`` lines at a time as ``lines`` come
    (``st`` gives the heading and the capitals, ``lines`` the table: ADR 0185)."""
    text = labels.TEXTS[lang]
    buffer = io.StringIO("\ufeff")
    buffer.seek(0, io.SEEK_END)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([text[c] for c in labels.COLUMNS])
    for n, line in enumerate(lines, 1):
        writer.writerow(
            [
                "" if v is None else _money(v) if 4 <= i <= 6 else cells.csv_cell(v)
                for i, v in enumerate(row_cells(line))
            ]
        )
        if n % CSV_CHUNK_LINES == 0:
            yield _drain(buffer)
    writer.writerow([])
    for key, words in st.capitals():
        writer.writerow([text["capitals"], text[key], words])
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> bytes:
    out = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return out


XLSX_HEADING_ROW = 4  # title, posting window and unit, a blank row, then the column heads
XLSX_WIDTHS = (6, 12, 14, 44, 12, 12, 12, 10, 30)  # columns A to I
XLSX_AMOUNT_CELLS = range(4, 7)  # E, F, G


def to_xlsx(st: BoardStatement, lang: str = "zh") -> bytes:
    buffer = io.BytesIO()
    write_xlsx(st, st.lines, lang, buffer)
    return buffer.getvalue()


def write_xlsx(st: BoardStatement, lines: Iterable[Line], lang: str, out: BinaryIO) -> None:
    """The workbook into ``out``: openpyxl's write-only mode writes each row to a temporary
    file as ``lines`` come (inline strings, no table of every text), and zips it at the end
    (ADR 0185). Every text cell a spreadsheet could run is a string with a quote prefix
    (``cells``). From the heading row on, every cell of A to I wraps at the top."""
    # openpyxl (and Pillow, which it loads) cost every server worker ~0.16 s of CPU at start:
    # imported when a workbook is written, not when the app is built (ADR 0216).
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    text = labels.TEXTS[lang]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(st.period)
    for column, width in zip("ABCDEFGHI", XLSX_WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    sheet.append([_xlsx_cell(sheet, st.title(lang), font=Font(bold=True, size=14))])
    posting = (
        f"{text['posting']}: {st.posting_from.isoformat()} – {st.posting_to.isoformat()}"
        if st.posting_from and st.posting_to
        else text["provisional"]
    )
    sheet.append([_xlsx_cell(sheet, posting), *[None] * 7, _xlsx_cell(sheet, text["unit"])])
    sheet.append([])
    wrapped = Alignment(wrap_text=True, vertical="top")
    sheet.append([_xlsx_cell(sheet, text[c], alignment=wrapped) for c in labels.COLUMNS])
    bold = Font(bold=True)
    for line in lines:
        values = row_cells(line)
        font = bold if values[0] is None and values[2] == "" else None
        row = []
        for i, v in enumerate(values):
            amount = i in XLSX_AMOUNT_CELLS
            value = Decimal(v) / 100 if amount and v is not None else v
            row.append(
                _xlsx_cell(
                    sheet,
                    value,
                    font=font,
                    alignment=wrapped,
                    number_format=XLSX_AMOUNT_FORMAT if amount else None,
                )
            )
        sheet.append(row)
    sheet.append([_xlsx_cell(sheet, None, alignment=wrapped) for _ in XLSX_WIDTHS])
    for key, words in st.capitals():
        texts = [text["capitals"], text[key], words]
        sheet.append([_xlsx_cell(sheet, v, alignment=wrapped) for v in texts + [None] * 6])
    book.save(out)


def _xlsx_cell(
    sheet: Any,
    value: Any,
    *,
    font: Font | None = None,
    alignment: Alignment | None = None,
    number_format: str | None = None,
) -> WriteOnlyCell:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if number_format is not None:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    cells.defuse_cell(cell)
    return cell


STREAMED = ("csv", "xlsx")  # the formats written as the lines come (ADR 0185)


def write_file(st: BoardStatement, lines: Iterable[Line], fmt: str, lang: str, out: BinaryIO) -> None:
    """A CSV or XLSX file of ``st``'s head and ``lines`` into ``out``, as the lines come."""
    if fmt == "csv":
        for chunk in csv_chunks(st, lines, lang):
            out.write(chunk)
    else:
        write_xlsx(st, lines, lang, out)
