"""Bulk import of existing books: a custodian digitising a paper ledger (纸质账本录入).

A file is CSV (the noticeboard's own columns plus 基金 and 类别, headers in Chinese or English,
UTF-8 with or without BOM), XLSX (the same columns on the first sheet) or JSONL (one object per
line with the English keys, every value a string). Each row becomes one money command on a fund
(``ledger.application.import_commands``), checked by the same domain rules as the API.
``Ledger.import_rows`` applies every row in memory first and saves all of them in one
transaction, or nothing: a bad row is reported with its line number and error code.

Row identity: the ``row_id`` column if given, else fund + date + paper voucher number + kind +
amount. It is stored as the entry's ``request_id`` (``import:<hash>``), and the fund remembers
it, so importing the same file again writes nothing new.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from ledger.domain import errors
from ledger.domain.errors import LedgerError
from ledger.domain.fund import IMPORT_KEY_PREFIX
from ledger.exports.cells import csv_cell

TEXT_MAX = 200

# canonical column -> accepted headers (the noticeboard's Chinese labels first)
COLUMNS: dict[str, tuple[str, ...]] = {
    "fund": ("基金", "fund"),
    "kind": ("类别", "kind"),
    "date": ("日期", "date"),
    "voucher": ("凭证号", "voucher"),
    "summary": ("摘要", "summary"),
    "income": ("收入", "income"),
    "expense": ("支出", "expense"),
    "balance": ("余额", "balance"),
    "handled_by": ("经办人", "handled_by"),
    "note": ("备注", "note"),
    "party": ("对方", "party"),
    "category": ("用途", "category"),
    "approved_by": ("审批人", "approved_by"),
    "account": ("账户", "account"),
    "row_id": ("行标识", "row_id"),
    "branch": ("支部", "所在支部", "branch"),
    "person_id": ("人员编号", "person_id"),
    "months": ("所属月份", "months"),
    "role": ("职务", "role"),
    "to_fund": ("转入基金", "to_fund"),
    "decision_ref": ("决议", "decision_ref"),
}
IGNORED_HEADERS = ("序号", "no")


@dataclass
class ImportRow:
    """One row of the file, read but not yet checked against a fund."""

    line: int
    values: dict[str, str | None]
    error: LedgerError | None = None


@dataclass
class ImportResult:
    accepted: list[tuple[int, str, str]] = field(default_factory=list)  # line, fund id, voucher
    rejected: list[tuple[int, LedgerError]] = field(default_factory=list)
    already_imported: list[int] = field(default_factory=list)
    written: bool = False
    position: int | None = None


# --- reading ----------------------------------------------------------------------------------
def read_file(path: Path) -> list[ImportRow]:
    """Every row of a CSV, XLSX or JSONL file, with its line number (the header is line 1)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return list(_read_table(_xlsx_lines(path)))
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise errors.ImportFileNotUtf8(path=str(path)) from None
    if suffix == ".csv":
        reader = csv.reader(io.StringIO(text, newline=""))
        return list(_read_table((reader.line_num, cells) for cells in reader))
    if suffix in (".jsonl", ".ndjson"):
        return list(_read_jsonl(text))
    raise errors.ImportFormatUnknown(path=str(path))


def _read_table(lines: Iterator[tuple[int, list[str]]]) -> Iterator[ImportRow]:
    """Rows of a table whose first line names the columns (CSV, or a workbook's first sheet)."""
    first = next(lines, None)
    if first is None:
        raise errors.ImportFileEmpty()
    columns = [_column_of(name) for name in first[1]]
    missing = {"fund", "kind", "date"} - set(columns)
    if missing:
        raise errors.ImportColumnMissing(column=", ".join(sorted(missing)))
    for line, cells in lines:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            yield ImportRow(line, {}, errors.ImportRowMalformed(detail=f"{len(cells)} cells"))
            continue
        values = {col: (cell.strip() or None) for col, cell in zip(columns, cells, strict=True) if col}
        yield ImportRow(line, values)


def _xlsx_lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows as text, as a person typed them: a date cell as 2024-03-02, a
    whole number without ".0" (a voucher number 3, an amount 100), other numbers as written."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises zip, XML and key errors alike for a file it cannot read
        raise errors.ImportFormatUnknown(path=str(path)) from None
    try:
        sheet = book.worksheets[0]
        width = sheet.max_column or 0
        for line, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(value) for value in row]
            yield line, (cells + [""] * width)[: max(width, len(cells))]
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _column_of(header: str) -> str | None:
    name = header.strip()
    for column, names in COLUMNS.items():
        if name in names:
            return column
    if name in IGNORED_HEADERS or name == "":
        return None
    raise errors.ImportColumnUnknown(column=name)


def _read_jsonl(text: str) -> Iterator[ImportRow]:
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as error:
            yield ImportRow(line, {}, errors.ImportRowMalformed(detail=f"JSON: {error.msg}"))
            continue
        if not isinstance(obj, dict):
            yield ImportRow(line, {}, errors.ImportRowMalformed(detail="not a JSON object"))
            continue
        unknown = set(obj) - set(COLUMNS)
        if unknown:
            yield ImportRow(line, {}, errors.ImportColumnUnknown(column=", ".join(sorted(unknown))))
            continue
        bad = [key for key, value in obj.items() if value is not None and not isinstance(value, str)]
        if bad:  # a JSON number for an amount could be a float: every value is a string
            yield ImportRow(line, {}, errors.ImportValueNotText(column=", ".join(sorted(bad))))
            continue
        yield ImportRow(line, {key: (value.strip() or None) if value else None for key, value in obj.items()})


def row_key(values: dict[str, str | None], fund_id: str) -> str:
    """The row's identity, stored as the entry's request id."""
    given = values.get("row_id")
    if given is not None:
        identity = f"{fund_id}|{given}"
    else:
        parts = ("date", "voucher", "kind", "income", "expense", "party", "summary")
        identity = "|".join([fund_id, *(values.get(p) or "" for p in parts)])
        # Columns added later join the identity only when filled, so a row of an older file
        # keeps the identity it was imported with.
        later = ("branch", "person_id", "months", "to_fund")
        identity += "".join(f"|{p}={values[p]}" for p in later if values.get(p))
    return IMPORT_KEY_PREFIX + hashlib.sha256(identity.encode()).hexdigest()[:32]


_DAY_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


@lru_cache(maxsize=4096)  # a book's rows share a few hundred days; a refusal is not cached
def parse_day(text: str) -> date:
    """2024-07-01, 2024/7/1, 2024.7.1 or 2024年7月1日."""
    match = _DAY_RE.fullmatch(text)
    try:
        if match is None:
            raise ValueError(text)
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise errors.DateInvalid(field="date", value=text) from None


def required(values: dict[str, str | None], column: str) -> str:
    value = values.get(column)
    if value is None:
        raise errors.TextRequired(field=column)
    return value


def write_rejected(path: Path, rows: list[ImportRow], rejected: list[tuple[int, LedgerError]]) -> Path:
    """The rejected rows as CSV beside the input: line, code, message, then the row's columns."""
    out = path.with_name(path.stem + ".rejected.csv")
    by_line = {row.line: row for row in rows}
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "code", "message", *COLUMNS])
        for line, error in rejected:
            values = by_line[line].values
            cells = [line, error.code, error.message, *(values.get(c) or "" for c in COLUMNS)]
            writer.writerow([csv_cell(v) for v in cells])
    return out
