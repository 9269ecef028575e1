"""Every format read back: the CSV with the csv module, the XLSX with openpyxl and the PDF by
text extraction, compared with the JSON statement cell by cell."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import orjson
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ledger.exports import formats
from ledger.exports import statement as board
from ledger.exports.html import render_pdf

KEYS = ("no", "date", "voucher", "summary", "income", "expense", "balance", "handler", "note")


@pytest.fixture
def quarter(example, caught_up) -> board.BoardStatement:
    return board.build(caught_up, example.fund, "2024-Q3")


def _json_cells(st: board.BoardStatement, lang: str = "zh") -> tuple[dict, list[list[str]]]:
    data = orjson.loads(formats.to_json(st, lang))
    cells = [["" if line[k] is None else str(line[k]) for k in KEYS] for line in data["lines"]]
    return data, cells


def test_json_amounts_are_decimal_strings_with_integer_fen(quarter, example, caught_up):
    data = orjson.loads(formats.to_json(quarter))
    (seal,) = caught_up.fetch(
        "SELECT seal_position, seal_hash FROM v_period_close WHERE fund_id = ? AND period = ?",
        (example.fund, "2024-09"),
    )

    assert (data["income"], data["income_fen"], data["closing"], data["closing_fen"]) == (
        "5876.35",
        587_635,
        "8818.85",
        881_885,
    )
    assert data["lines"][1]["income"] == "1820.00" and data["lines"][1]["income_fen"] == 182_000
    assert data["provisional"] is False
    assert data["seal"] == {"position": seal[0], "hash": seal[1], "fingerprint": seal[1][:16]}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_has_a_bom_and_every_cell_equals_the_json_statement(quarter, lang):
    data, expected = _json_cells(quarter, lang)
    raw = formats.to_csv(quarter, lang)

    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == data["columns"]
    assert rows[1 : 1 + len(expected)] == expected
    assert rows[1 + len(expected)] == []
    capitals = rows[2 + len(expected) :]
    assert [(r[1], r[2]) for r in capitals] == [(c["label"], c["text"]) for c in data["capitals"]]


def test_xlsx_holds_numbers_formatted_0_00_equal_to_every_json_cell(quarter):
    data, expected = _json_cells(quarter)
    sheet = load_workbook(io.BytesIO(formats.to_xlsx(quarter))).active

    assert sheet["A1"].value == data["title"]
    heading = formats.XLSX_HEADING_ROW
    assert [c.value for c in sheet[heading]] == data["columns"]
    for offset, want in enumerate(expected, 1):
        row = sheet[heading + offset]
        for column, (cell, text) in enumerate(zip(row, want, strict=True)):
            if column in (4, 5, 6) and text:
                assert isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
                assert Decimal(str(cell.value)).quantize(Decimal("0.01")) == Decimal(text)
                assert cell.number_format == formats.XLSX_AMOUNT_FORMAT
            elif column == 0 and text:
                assert cell.value == int(text)
            else:
                assert (cell.value or "") == text, (offset, column)
    totals = sheet[heading + len(expected) - 1]
    assert [totals[4].value, totals[5].value] == [pytest.approx(5876.35), pytest.approx(3900.00)]
    capitals = [(r[1].value, r[2].value) for r in sheet.iter_rows(min_row=heading + len(expected) + 2)]
    assert capitals == [(c["label"], c["text"]) for c in data["capitals"]]


def test_pdf_text_has_the_title_totals_capital_lines_and_page_numbers(quarter, caplog):
    reader = PdfReader(io.BytesIO(render_pdf(quarter)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = text.replace("\n", "")

    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4 portrait, in points
    assert "党员互助基金收支情况公示（2024年第三季度）" in flat
    for figure in ("5,876.35", "3,900.00", "8,818.85", "6,842.50"):
        assert figure in text
    for label, words in (
        ("上期结余（大写）", "人民币陆仟捌佰肆拾贰元伍角整"),
        ("本期收入（大写）", "人民币伍仟捌佰柒拾陆元叁角伍分"),
        ("本期支出（大写）", "人民币叁仟玖佰元整"),
        ("本期结余（大写）", "人民币捌仟捌佰壹拾捌元捌角伍分"),
    ):
        assert label + words in flat
    assert f"第 1 页 / 共 {len(reader.pages)} 页" in text
    assert "王小明" not in flat
    assert [r.getMessage() for r in caplog.records if r.name == "weasyprint"] == []  # the CSS is read whole


def test_pdf_embeds_a_cjk_font(quarter):
    reader = PdfReader(io.BytesIO(render_pdf(quarter)))
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].get_object().values()
    }

    assert any("CJK" in name for name in fonts), fonts
