"""``fundbook board export`` on the worked example: the file equals the model's rendering;
refusals name their error code."""

from __future__ import annotations

import orjson
import pytest
from typer.testing import CliRunner

from ledger.cli import app as cli
from ledger.exports import formats
from ledger.exports import statement as board


def _export(database_url: str, *args: str):
    return CliRunner().invoke(cli, ["board", "export", *args], env={"FUNDBOOK_DATABASE_URL": database_url})


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_board_export_writes_the_public_statement_by_fund_name(
    example, caught_up, database_url, tmp_path, fmt
):
    out = tmp_path / f"q3.{fmt}"

    result = _export(
        database_url, "--fund", "党员互助基金", "--period", "2024-Q3", "--format", fmt, "--out", str(out)
    )

    assert result.exit_code == 0, result.output
    st = board.build(caught_up, example.fund, "2024-Q3")
    if fmt == "xlsx":  # the zip's timestamps differ between two writes: compare what it holds
        from openpyxl import load_workbook

        rows = list(load_workbook(out).active.iter_rows(values_only=True))
        assert rows[0][0] == st.title("zh") and len(rows) == formats.XLSX_HEADING_ROW + len(st.lines) + 5
    else:
        assert out.read_bytes() == {"csv": formats.to_csv, "json": formats.to_json}[fmt](st)


def test_board_export_prints_json_in_english_to_standard_output(example, caught_up, database_url):
    result = _export(
        database_url, "--fund", example.fund, "--period", "2024-07", "--format", "json", "--lang", "en"
    )

    assert result.exit_code == 0, result.output
    data = orjson.loads(result.stdout_bytes)
    assert data["columns"][0] == "No." and data["title"].endswith("2024-07")


def test_board_export_writes_a_pdf(example, caught_up, database_url, tmp_path):
    out = tmp_path / "q3.pdf"

    result = _export(database_url, "--fund", example.fund, "--period", "2024-Q3", "--out", str(out))

    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--fund", "no such fund", "--period", "2024-Q3"), "fund_not_found"),
        (("--fund", "党员互助基金", "--period", "2024-Q9"), "period_invalid"),
        (("--fund", "党员互助基金", "--period", "2024", "--format", "doc"), "value_not_allowed"),
        (("--fund", "党员互助基金", "--period", "2024", "--lang", "fr"), "value_not_allowed"),
    ],
)
def test_board_export_names_the_error_code_of_a_refusal(example, caught_up, database_url, args, code):
    result = _export(database_url, *args)

    assert result.exit_code == 1
    assert f"fundbook: {code}:" in result.output
