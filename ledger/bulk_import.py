"""Bulk import of existing books: a custodian digitising a paper ledger (纸质账本录入).

A file is CSV (the noticeboard's own columns plus 基金 and 类别, headers in Chinese or English,
UTF-8 with or without BOM) or JSONL (one object per line with the English keys, every value a
string). Each row becomes one money command on a fund, checked by the same domain rules as the
API. ``Ledger.import_rows`` applies every row in memory first and saves all of them in one
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
from datetime import date
from pathlib import Path
from typing import Any

from ledger.domain import errors
from ledger.domain.errors import LedgerError
from ledger.domain.fund import IMPORT_KEY_PREFIX
from ledger.exports.cells import csv_cell
from ledger.money import parse_amount

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
}
IGNORED_HEADERS = ("序号", "no")
KINDS: dict[str, str] = {
    "donation": "receive_donation",
    "捐款": "receive_donation",
    "grant": "receive_grant",
    "拨款": "receive_grant",
    "interest": "credit_interest",
    "利息": "credit_interest",
    "expense": "pay_expense",
    "支出": "pay_expense",
}
ACCOUNTS = {"cash": "cash", "现金": "cash", "bank": "bank", "银行": "bank"}


@dataclass
class ImportRow:
    """One row of the file, read but not yet checked against a fund."""

    line: int
    values: dict[str, str | None]
    error: LedgerError | None = None


@dataclass
class ImportCommand:
    """A row turned into a command: which fund, which method, its arguments, its identity."""

    line: int
    fund: str
    command: str
    kwargs: dict[str, Any]
    row_key: str
    balance_fen: int | None = None

    @property
    def signed_fen(self) -> int:
        amount = self.kwargs["amount_fen"]
        return -amount if self.command == "pay_expense" else amount


@dataclass
class ImportResult:
    accepted: list[tuple[int, str, str]] = field(default_factory=list)  # line, fund id, voucher
    rejected: list[tuple[int, LedgerError]] = field(default_factory=list)
    already_imported: list[int] = field(default_factory=list)
    written: bool = False
    position: int | None = None


# --- reading ----------------------------------------------------------------------------------
def read_file(path: Path) -> list[ImportRow]:
    """Every row of a CSV or JSONL file, with its line number (the header is line 1)."""
    suffix = path.suffix.lower()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise errors.ImportFileNotUtf8(path=str(path)) from None
    if suffix == ".csv":
        return list(_read_csv(text))
    if suffix in (".jsonl", ".ndjson"):
        return list(_read_jsonl(text))
    raise errors.ImportFormatUnknown(path=str(path))


def _read_csv(text: str) -> Iterator[ImportRow]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise errors.ImportFileEmpty()
    columns = [_column_of(name) for name in header]
    missing = {"fund", "kind", "date"} - set(columns)
    if missing:
        raise errors.ImportColumnMissing(column=", ".join(sorted(missing)))
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            yield ImportRow(line, {}, errors.ImportRowMalformed(detail=f"{len(cells)} cells"))
            continue
        values = {col: (cell.strip() or None) for col, cell in zip(columns, cells, strict=True) if col}
        yield ImportRow(line, values)


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


# --- rows to commands -------------------------------------------------------------------------
def to_command(row: ImportRow, fund_id: str) -> ImportCommand:
    """The command a row asks for, before any fund rule is checked (those run in the Ledger)."""
    values = row.values
    kind = _required(values, "kind")
    command = KINDS.get(kind)
    if command is None:
        raise errors.ValueNotAllowed(field="kind", value=kind, allowed=", ".join(KINDS))
    income, expense = values.get("income"), values.get("expense")
    wanted = "expense" if command == "pay_expense" else "income"
    other = income if wanted == "expense" else expense
    if other is not None:
        raise errors.ImportAmountColumnWrong(kind=kind, column=wanted)
    amount_fen = parse_amount(_required(values, wanted))
    day = parse_day(_required(values, "date"))
    voucher = values.get("voucher")
    memo = " · ".join(v for v in (values.get("summary"), values.get("note")) if v) or None
    refs = [f"paper:{voucher}"] if voucher else None
    common: dict[str, Any] = {"occurred_on": day, "amount_fen": amount_fen}
    account = values.get("account")
    if account is not None and command != "credit_interest":
        if account not in ACCOUNTS:
            raise errors.ValueNotAllowed(field="account", value=account, allowed=", ".join(ACCOUNTS))
        common["account"] = ACCOUNTS[account]
    if command == "receive_donation":
        kwargs = dict(common, donor_kind="other", donor_name=values.get("party"), receipt_no=voucher)
        kwargs.update(doc_refs=refs, memo=memo)
    elif command == "receive_grant":
        kwargs = dict(common, grant_kind=values.get("category"), grantor_name=values.get("party"))
        kwargs.update(purpose=values.get("summary"), doc_refs=refs, memo=values.get("note"))
    elif command == "credit_interest":
        kwargs = dict(common, bank_ref=voucher or values.get("party"), memo=memo)
    else:
        kwargs = dict(common, category=values.get("category"), payee=values.get("party"))
        kwargs.update(handled_by=values.get("handled_by"), approved_by=values.get("approved_by"))
        kwargs.update(doc_refs=refs, memo=memo)
    balance = values.get("balance")
    balance_fen = None if balance is None else parse_amount(balance, allow_zero=True)
    return ImportCommand(row.line, fund_id, command, kwargs, row_key(values, fund_id), balance_fen)


def row_key(values: dict[str, str | None], fund_id: str) -> str:
    """The row's identity, stored as the entry's request id."""
    given = values.get("row_id")
    if given is not None:
        identity = f"{fund_id}|{given}"
    else:
        parts = ("date", "voucher", "kind", "income", "expense", "party", "summary")
        identity = "|".join([fund_id, *(values.get(p) or "" for p in parts)])
    return IMPORT_KEY_PREFIX + hashlib.sha256(identity.encode()).hexdigest()[:32]


_DAY_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def parse_day(text: str) -> date:
    """2024-07-01, 2024/7/1, 2024.7.1 or 2024年7月1日."""
    match = _DAY_RE.fullmatch(text)
    try:
        if match is None:
            raise ValueError(text)
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise errors.DateInvalid(field="date", value=text) from None


def _required(values: dict[str, str | None], column: str) -> str:
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
