"""Reads under writes (issue 14, ADR 0050), through a real ``fundbook serve`` over real HTTP.

Two clients record donations in a loop (cash and bank, in the month read and in the month
before, which moves the opening balance), while three clients read the month's statement in
every format of the noticeboard (JSON, HTML, CSV, XLSX, PDF), the API's statement and balances.
Every answer must be 2xx and state its log position; every figure it shows must equal the
independent fold (``projections.reference``) of the events up to that position. Before one
snapshot per read, a statement read its opening, rows and cash/bank split in separate
transactions: 500s (``AssertionError: R2``) and statements mixed from two moments.
"""

from __future__ import annotations

import csv
import io
import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser

import httpx
import orjson
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ledger.application.bootstrap import build_ledger
from ledger.config import Settings
from ledger.domain.money import format_amount
from ledger.projections.reference import Reference, read_events
from tests.e2e.server import add_user, running_server, seed

PERIOD = "2026-01"
WRITERS = 2
READERS = 3
READS_PER_READER = 40  # bounded by count, not by time: about 120 reads and as many writes
PDF_EVERY = 8  # a PDF renders slowly: one read in eight
PDF_TIMEOUT_S = 60.0  # a render queued behind others on a loaded two-core machine
PDF_RETRIES = 5  # ``board_busy`` answers a PDF read may get before it counts as failed
POSITION = "X-Fundbook-Position"
DAYS = ("2025-12-20", "2026-01-05", "2026-01-20")  # before the period (opening) and in it


@dataclass(frozen=True)
class Answer:
    what: str
    status: int
    position: int | None
    body: bytes
    text: str


@dataclass(frozen=True)
class Figures:
    opening: int
    income: int
    expense: int
    closing: int
    cash: int
    bank: int


def fen(text: str) -> int:
    return int((Decimal(text.replace(",", "")) * 100).to_integral_value())


def donate(client: httpx.Client, fund: str, donor: str, n: int) -> httpx.Response:
    return client.post(
        f"/funds/{fund}/donations",
        json={
            "occurred_on": DAYS[n % len(DAYS)],
            "amount": f"{1 + n % 7}.{n % 100:02d}",
            "account": "cash" if n % 2 else "bank",
            "donor_kind": "member",
            "donor_person_id": donor,
            "doc_refs": ["收据"],
        },
    )


def read(client: httpx.Client, fund: str, n: int) -> Answer:
    kinds = ["board.json", "board.html", "board.csv", "board.xlsx", "api.statement", "api.balance"]
    what = "board.pdf" if n % PDF_EVERY == PDF_EVERY - 1 else kinds[n % len(kinds)]
    url = {
        "board.html": f"/board/{fund}/{PERIOD}",
        "api.statement": f"/funds/{fund}/statements/{PERIOD}",
        "api.balance": f"/funds/{fund}/balance",
    }.get(what, f"/board/{fund}/{PERIOD}.{what[6:]}")
    try:
        response = client.get(url, timeout=PDF_TIMEOUT_S) if what == "board.pdf" else client.get(url)
        for _ in range(PDF_RETRIES):  # as a browser's reader would: the server asks to come back
            if not (what == "board.pdf" and _busy(response)):
                break
            time.sleep(min(float(response.headers.get("Retry-After", "1")), 5.0))
            response = client.get(url, timeout=PDF_TIMEOUT_S)
    except httpx.TransportError as error:  # a dropped connection fails the read
        return Answer(what, 0, None, b"", repr(error))
    position = response.headers.get(POSITION)
    return Answer(
        what,
        response.status_code,
        int(position) if position else None,
        response.content,
        response.text if what != "board.pdf" and what != "board.xlsx" else "",
    )


def _busy(response: httpx.Response) -> bool:
    """503 ``board_busy``: every PDF render slot is taken (ADR 0054's back-pressure, by design
    on a loaded machine); any other failure still fails the read."""
    if response.status_code != 503 or not response.headers.get("content-type", "").startswith(
        "application/json"
    ):
        return False
    return response.json().get("error", {}).get("code") == "board_busy"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def shown(answer: Answer) -> tuple[Figures | None, list[str]]:
    """The figures an answer states (where they can be read back exactly), or the amounts
    (formatted) its text must contain."""
    if answer.what == "board.json":
        data = orjson.loads(answer.body)
        assert data["as_of_position"] == answer.position
        keys = ("opening", "income", "expense", "closing", "cash", "bank")
        return Figures(*(data[f"{k}_fen"] for k in keys)), []
    if answer.what == "api.statement":
        data = orjson.loads(answer.body)
        assert data["as_of_position"] == answer.position
        keys = ("opening", "income", "expense", "closing", "cash", "bank")
        return Figures(*(data[k]["amount_fen"] for k in keys)), []
    if answer.what in ("board.csv", "board.xlsx"):
        if answer.what == "board.csv":
            rows = list(csv.reader(io.StringIO(answer.body.decode("utf-8-sig"))))
        else:
            sheet = load_workbook(io.BytesIO(answer.body)).active
            rows = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
        by_label = {row[3]: row for row in rows if len(row) > 6}
        opening = fen(by_label["上期结余"][6])
        totals, closing = by_label["本期合计"], by_label["本期结余"]
        return None, [format_amount(opening), format_amount(fen(totals[4])), format_amount(fen(closing[6]))]
    if answer.what == "board.pdf":
        reader = PdfReader(io.BytesIO(answer.body))
        return None, ["\n".join(page.extract_text() for page in reader.pages)]
    return None, []


def check(answer: Answer, fold: Reference, fund: str) -> None:
    want = fold.statement(fund, PERIOD)
    figures = Figures(
        want.opening_fen, want.income_fen, want.expense_fen, want.closing_fen, want.cash_fen, want.bank_fen
    )
    if answer.what == "api.balance":
        data = orjson.loads(answer.body)
        (balance,) = [b for b in fold.balances() if b.fund_id == fund]
        assert data["as_of_position"] == answer.position
        got = tuple(data[k]["amount_fen"] for k in ("balance", "cash", "bank"))
        assert got == (balance.balance_fen, balance.cash_fen, balance.bank_fen), answer
        return
    got, texts = shown(answer)
    if got is not None:
        assert got == figures, (answer.what, answer.position, got, figures)
    if answer.what == "board.html":
        parser = _Text()
        parser.feed(answer.text)
        flat = "".join(parser.parts)
        assert f"本表数据截至账簿第 {answer.position} 笔记录" in flat
        texts = [flat]
    if answer.what in ("board.csv", "board.xlsx"):  # the figures read back, formatted
        expected = [format_amount(want.opening_fen), format_amount(want.income_fen)]
        assert texts == [*expected, format_amount(want.closing_fen)], (answer.what, answer.position)
        return
    for amount in (want.opening_fen, want.income_fen, want.closing_fen):
        assert all(format_amount(amount) in text for text in texts), (answer.what, answer.position, amount)


@pytest.fixture(scope="module")
def served(module_database_url):
    books = seed(module_database_url)
    token = add_user(module_database_url, books.bookkeeper_person, "bookkeeper", books.community)
    headers = {"Authorization": f"Bearer {token}"}
    with running_server(module_database_url) as base_url:
        yield module_database_url, base_url, books, headers


def test_every_read_is_2xx_and_equals_a_fresh_fold_at_its_position_when_writers_record_meanwhile(served):
    database_url, base_url, books, headers = served
    done = threading.Event()
    written: list[int] = []

    def writer(k: int) -> None:
        with httpx.Client(base_url=base_url, headers=headers, timeout=20.0) as client:
            for n in itertools.count(k, WRITERS):
                if done.is_set():
                    return
                written.append(donate(client, books.fund, books.member, n).status_code)

    def reader(k: int) -> list[Answer]:
        with httpx.Client(base_url=base_url, headers=headers, timeout=20.0) as client:
            return [read(client, books.fund, k + n) for n in range(READS_PER_READER)]

    with ThreadPoolExecutor(max_workers=WRITERS + READERS) as pool:
        writes = [pool.submit(writer, k) for k in range(WRITERS)]
        time.sleep(0.5)  # the first donations are in before the first read
        answers = [a for batch in pool.map(reader, range(READERS)) for a in batch]
        done.set()
        for future in writes:
            future.result()

    failed = [(a.what, a.status, a.text[:300]) for a in answers if not 200 <= a.status < 300]
    assert failed == [], f"{len(failed)} of {len(answers)} reads failed: {failed[:3]}"
    assert set(written) == {201} and len(written) > 10, written
    assert all(a.position is not None for a in answers)
    assert len({a.position for a in answers}) > 1  # the reads did see the log move

    ledger = build_ledger(Settings(database_url=database_url))
    try:
        events = read_events(ledger)
    finally:
        ledger.close()
    folds: dict[int, Reference] = {}
    for answer in answers:
        assert answer.position is not None
        if answer.position not in folds:
            folds[answer.position] = Reference(e for e in events if e[0] <= answer.position)
        check(answer, folds[answer.position], books.fund)
