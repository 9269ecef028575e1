"""Statement files of every line read a page of rows at a time (ADR 0185), on the worked example
(Q3 2024: 77 member donations on one day, grouped) and an open October recorded here: the CSV,
the XLSX and the PDF's lines are the same whatever the page size, a page boundary falling inside
a day of grouped donations included; a file of many rows never holds more than a page of rows,
and its peak memory does not grow with the period the way the rows do."""

from __future__ import annotations

import csv
import importlib
import io
import tracemalloc
import zipfile
from datetime import date

import pytest
from fastapi.testclient import TestClient

from ledger.api import create_app
from ledger.config import Settings
from ledger.exports import formats
from ledger.exports import statement as board
from ledger.projections import runner
from tests.api.conftest import views_reach

journal = importlib.import_module("ledger.projections.queries.journal")  # the module, not the query
PAGE_SIZES = (1, 2, 7, 50, 2000)
PERIODS = ("2024-07", "2024-Q3", "2024")
FILE_PAGE = 50  # rows read at a time in the memory tests
SMALL, LARGE = 100, 500  # October donations recorded for the two sizes compared


def record_october(example, count: int, first: int = 0) -> None:
    """``count`` donations in October 2024 (open; today is the 14th), ten days in turn: a member
    without consent (grouped by branch), a resident named by consent, a member again."""
    keeper, donors = example.people["bookkeeper"], ("wang", "zhao")
    for n in range(first, first + count):
        common = {"actor": keeper, "occurred_on": date(2024, 10, 1 + n % 10), "doc_refs": ["收据"]}
        if n % 3 == 1:
            example.app.record(
                example.fund,
                "receive_donation",
                amount_fen=2_000 + n,
                donor_kind="resident",
                donor_name="=cmd|' /C calc'!A0 热心居民",
                publish_donor_name=True,
                **common,
            )
        else:
            donor = example.people[donors[n % 2]]
            example.app.record(
                example.fund,
                "receive_donation",
                amount_fen=500 + n,
                donor_kind="member",
                donor_person_id=donor,
                **common,
            )


def streamed_bytes(views, fund: str, period: str, fmt: str, page_rows: int, lang: str = "zh") -> bytes:
    out = io.BytesIO()
    with board.streamed(views, fund, period, page_rows=page_rows) as (head, lines):
        formats.write_file(head, lines(), fmt, lang, out)
    return out.getvalue()


def xlsx_parts(body: bytes) -> dict[str, bytes]:
    """The workbook's parts but its creation and save times (``docProps/core.xml``)."""
    book = zipfile.ZipFile(io.BytesIO(body))
    return {name: book.read(name) for name in book.namelist() if name != "docProps/core.xml"}


@pytest.fixture
def october(example, caught_up):
    record_october(example, 60)
    runner.catch_up(caught_up)
    return caught_up


@pytest.mark.parametrize("period", [*PERIODS, "2024-10"])
def test_statement_csv_is_the_same_bytes_when_rows_are_read_in_pages_of_any_size(october, example, period):
    whole = formats.to_csv(board.build(october, example.fund, period))
    for size in PAGE_SIZES:
        assert streamed_bytes(october, example.fund, period, "csv", size) == whole, size


@pytest.mark.parametrize("period", ["2024-Q3", "2024-10"])
def test_statement_xlsx_has_the_same_parts_when_rows_are_read_in_pages_of_any_size(october, example, period):
    whole = xlsx_parts(formats.to_xlsx(board.build(october, example.fund, period), "en"))
    for size in PAGE_SIZES:
        assert xlsx_parts(streamed_bytes(october, example.fund, period, "xlsx", size, "en")) == whole, size


@pytest.mark.parametrize("period", [*PERIODS, "2024-10"])
def test_statement_lines_of_paper_are_the_same_when_rows_are_read_in_pages_of_any_size(
    october, example, period
):
    """The PDF renders ``build``'s lines: every page size gives the same model."""
    whole = board.build(october, example.fund, period)
    for size in PAGE_SIZES:
        assert board.build(october, example.fund, period, page_rows=size) == whole, size


def test_statement_lines_group_a_day_split_by_pages_when_its_donations_span_two_pages(october, example):
    """July's 77 member donations on one day are one group line (per branch) at any page size."""
    whole = board.build(october, example.fund, "2024-07")
    donors = [line for line in whole.lines if line.kind == "donors"]
    assert donors and any("等" in line.voucher for line in donors)
    assert board.build(october, example.fund, "2024-07", page_rows=3).lines == whole.lines


def test_statement_csv_keeps_hostile_text_escaped_when_streamed(october, example):
    body = streamed_bytes(october, example.fund, "2024-10", "csv", 7).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row[1:4])


@pytest.fixture
def counted_rows(monkeypatch):
    """The most rows of the journal turned into dicts at once (``journal._rows``)."""
    most = [0]
    rows = journal._rows

    def counting(store, raw, opening_fen):
        most[0] = max(most[0], len(raw))
        return rows(store, raw, opening_fen)

    monkeypatch.setattr(journal, "_rows", counting)
    monkeypatch.setattr(board, "FILE_PAGE_ROWS", FILE_PAGE, raising=False)
    return most


def peak_of(client, path: str) -> tuple[int, int]:
    """(peak bytes traced while the server answers ``path``, the body's length)."""
    tracemalloc.start()
    try:
        answer = client.get(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert answer.status_code == 200, answer.text
    return peak, len(answer.content)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_statement_file_holds_one_page_of_rows_when_its_period_holds_many(
    example, caught_up, database_url, counted_rows, fmt
):
    """Through HTTP: the most rows held at once is a page, and the peak of the answer grows
    with the file's bytes at most, not with the rows (each several KB as a dict with its
    event's state): the old code held every row, 5x more rows for 5x more donations."""
    record_october(example, SMALL)
    app = create_app(Settings(database_url=database_url), ledger=example.app)
    path = f"/board/{example.fund}/2024-10.{fmt}"
    with TestClient(app) as client:
        views_reach(client, example.app.recorder.max_notification_id())
        client.get(path)  # warm: imports, templates, the first connection
        small, small_body = peak_of(client, path)
        record_october(example, LARGE - SMALL, first=SMALL)
        views_reach(client, example.app.recorder.max_notification_id())
        counted_rows[0] = 0
        large, large_body = peak_of(client, path)
    # The answer's own bytes are held by the test client (twice, as chunks and joined).
    assert large - small < 3 * (large_body - small_body) + 256 * 1024, (small, large, small_body, large_body)
    assert counted_rows[0] <= FILE_PAGE


def test_statement_paper_reads_one_page_of_rows_when_its_period_holds_many(example, caught_up, counted_rows):
    record_october(example, LARGE)
    runner.catch_up(caught_up)
    st = board.build(caught_up, example.fund, "2024-10")
    assert counted_rows[0] <= FILE_PAGE
    assert sum(line.kind in ("entry", "donors") for line in st.lines) >= LARGE // 3
