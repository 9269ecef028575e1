"""Pages of the noticeboard statement (ADR 0175), on the worked example (Q3 2024: 77 member
donations on one day, grouped; masked recipients) and an October of four donations a day (two
of members without consent, grouped by branch): the entry lines of the pages, read forwards
or backwards, are the lines of the whole statement, numbers, balances and privacy included;
every page carries the period's figures; the JSON and the HTML page link to the pages beside
them; paper, CSV and XLSX keep every line; bad cursors and limits are refused with their code."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import date
from html import unescape

import pytest
from fastapi.testclient import TestClient

from ledger.api import create_app
from ledger.config import Settings
from ledger.exports import statement as board
from ledger.projections import queries, runner
from tests.api.conftest import error_of, views_reach

PERIOD = "2024-10"  # the HTTP tests: October, open, 48 vouchers
ENDS = ("opening", "totals", "closing")
OCTOBER_DAYS = 12


@pytest.fixture
def october(example, caught_up):
    """Four vouchers on each of the first 12 days of October 2024 (open; today is the 14th)."""
    keeper = example.people["bookkeeper"]
    for day in range(1, OCTOBER_DAYS + 1):
        on = date(2024, 10, day)
        for n in range(2):
            example.app.record(
                example.fund,
                "receive_donation",
                actor=keeper,
                occurred_on=on,
                amount_fen=1_000 + day * 10 + n,
                donor_kind="resident",
                donor_name="热心居民",
                doc_refs=["收据"],
            )
        for who in ("wang", "zhao"):
            example.app.record(
                example.fund,
                "receive_donation",
                actor=keeper,
                occurred_on=on,
                amount_fen=500 + day,
                donor_kind="member",
                donor_person_id=example.people[who],
                doc_refs=["收据"],
            )
    runner.catch_up(caught_up)
    return caught_up


@pytest.fixture
def client(example, october, database_url):
    app = create_app(Settings(database_url=database_url), ledger=example.app)
    with TestClient(app) as client:
        views_reach(client, example.app.recorder.max_notification_id())
        yield client


def entries(st: board.BoardStatement) -> list[board.Line]:
    return [line for line in st.lines if line.kind not in ENDS]


def forwards(views, fund: str, limit: int, period: str) -> list[board.BoardStatement]:
    out = [board.build(views, fund, period, limit=limit)]
    while out[-1].page.next is not None:
        out.append(board.build(views, fund, period, limit=limit, after=out[-1].page.next))
        assert len(out) <= 200, "the pages never end"
    return out


def day_sizes(views, fund: str, period: str) -> Counter:
    """How many vouchers each day of the period holds."""
    return Counter(r["occurred_on"] for r in queries.statement(views, fund, period).rows)


@pytest.mark.parametrize(
    ("period", "limit"), [("2024-10", 4), ("2024-10", 5), ("2024-10", 11), ("2024", 77), ("2024", 100)]
)
def test_board_pages_concatenate_to_the_whole_statement_when_a_page_holds_the_longest_day(
    october, example, period, limit
):
    whole = board.build(october, example.fund, period)
    sizes = day_sizes(october, example.fund, period)
    assert max(sizes.values()) <= limit < sum(sizes.values())
    pages = forwards(october, example.fund, limit, period)
    assert len(pages) > 1
    assert [line for st in pages for line in entries(st)] == entries(whole)
    assert any(line.kind == "donors" for line in entries(whole))  # grouped lines among them
    assert pages[0].lines[0] == whole.lines[0] and pages[0].lines[0].kind == "opening"
    assert all(line.kind != "opening" for st in pages[1:] for line in st.lines)
    for st in pages:  # the period's figures on every page
        assert (st.opening_fen, st.income_fen, st.expense_fen, st.closing_fen) == (
            whole.opening_fen,
            whole.income_fen,
            whole.expense_fen,
            whole.closing_fen,
        )
        assert st.lines[-2:] == whole.lines[-2:]  # 本期合计, 本期结余
        assert st.capitals() == whole.capitals()
        assert st.page.row_count == sum(sizes.values())


@pytest.mark.parametrize(("period", "limit"), [("2024-10", 4), ("2024-10", 9), ("2024", 80)])
def test_board_pages_read_backwards_are_the_same_lines_when_following_prev(october, example, period, limit):
    whole = board.build(october, example.fund, period)
    back = [forwards(october, example.fund, limit, period)[-1]]
    while back[-1].page.prev is not None:
        back.append(board.build(october, example.fund, period, limit=limit, before=back[-1].page.prev))
        assert len(back) <= 200, "the pages never end"
    assert len(back) > 1
    assert [line for st in reversed(back) for line in entries(st)] == entries(whole)
    assert back[-1].lines[0].kind == "opening"


def test_board_pages_cover_every_voucher_when_one_day_is_longer_than_a_page(october, example):
    whole = board.build(october, example.fund, "2024-Q3")
    pages = forwards(october, example.fund, 10, "2024-Q3")
    lines = [line for st in pages for line in entries(st)]
    assert sum(line.income_fen or 0 for line in lines) == whole.income_fen
    assert sum(line.expense_fen or 0 for line in lines) == whole.expense_fen
    assert lines[-1].balance_fen == whole.closing_fen
    assert [line.no for line in lines] == list(range(1, len(lines) + 1))


def test_board_json_links_its_next_page_when_the_period_holds_more_than_the_limit(client, example, october):
    whole = board.build(october, example.fund, PERIOD)
    limit = max(day_sizes(october, example.fund, PERIOD).values()) + 1
    body = client.get(f"/board/{example.fund}/{PERIOD}.json", params={"limit": limit}).json()
    lines = []
    while True:
        assert (body["closing_fen"], body["limit"]) == (whole.closing_fen, limit)
        lines += [line for line in body["lines"] if line["kind"] not in ENDS]
        if body["next_link"] is None:
            break
        body = client.get(body["next_link"]).json()
        assert body["prev_link"] is not None
    assert [(line["no"], line["summary"], line["balance_fen"]) for line in lines] == [
        (line.no, line.summary, line.balance_fen) for line in entries(whole)
    ]


def test_board_json_is_the_whole_statement_when_the_period_fits_in_a_page(client, example, october):
    body = client.get(f"/board/{example.fund}/{PERIOD}.json").json()
    whole = board.build(october, example.fund, PERIOD)
    assert len(body["lines"]) == len(whole.lines)
    assert (body["next"], body["prev"], body["next_link"]) == (None, None, None)


def test_board_csv_keeps_every_line_when_a_limit_is_asked(client, example, october):
    answer = client.get(f"/board/{example.fund}/{PERIOD}.csv", params={"limit": 1})
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    whole = board.build(october, example.fund, PERIOD)
    assert len([r for r in rows if r and r[0].isdigit()]) == len(entries(whole))


def hrefs(html: str) -> dict[str, str]:
    return {
        m[0]: unescape(m[1]) for m in re.findall(r'<a id="(prev-page|next-page)"[^>]* href="([^"]+)"', html)
    }


def test_board_page_walks_its_pages_by_plain_links_when_the_period_holds_more_than_a_page(
    client, example, october
):
    limit = max(day_sizes(october, example.fund, PERIOD).values()) + 1
    first = client.get(f"/board/{example.fund}/{PERIOD}", params={"limit": limit}).text
    assert "prev-page" not in first and "上一页" not in first
    assert "本页为序号 1 至" in first and "capitals" in first
    second = client.get(hrefs(first)["next-page"]).text
    assert "上一页" in second and "capitals" in second
    back = client.get(hrefs(second)["prev-page"]).text
    table = re.compile(r'<table class="statement".*?</table>', re.S)
    assert table.search(back)[0] == table.search(first)[0]
    english = client.get(f"/board/{example.fund}/{PERIOD}", params={"limit": limit, "lang": "en"}).text
    assert "Next page" in english and "lang=en" in hrefs(english)["next-page"]


def test_board_page_has_no_page_links_when_the_period_fits_in_a_page(client, example):
    page = client.get(f"/board/{example.fund}/{PERIOD}").text
    assert 'id="pages"' not in page and "下一页" not in page


@pytest.mark.parametrize("suffix", ["", ".json"])
@pytest.mark.parametrize(
    "cursor", ["junk", "MjAyNC0wNy0wMXwxfDIwMjQwNy0wMDE", "MjAyNC0wNy0wMXwxfDIwMjQwNy0wMDE.x"]
)
def test_board_statement_is_refused_with_statement_cursor_invalid_when_the_cursor_is_bad(
    client, example, suffix, cursor
):
    answer = client.get(f"/board/{example.fund}/{PERIOD}{suffix}", params={"after": cursor})
    assert error_of(answer) == (422, "statement_cursor_invalid")
    assert "after" in answer.json()["error"]["message"]


@pytest.mark.parametrize("limit", ["0", "2001", "many"])
def test_board_statement_is_refused_with_invalid_request_when_the_limit_is_out_of_range(
    client, example, limit
):
    answer = client.get(f"/board/{example.fund}/{PERIOD}.json", params={"limit": limit})
    assert error_of(answer) == (422, "invalid_request")
