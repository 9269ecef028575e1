"""Pages of a statement's rows (ADR 0175): the rows of every page, concatenated, are the rows of
the whole statement with the same running balances; every page carries the whole period's
figures; a bad cursor or limit is refused with its code. On the store of
``FUNDBOOK_TEST_DATABASE_URL`` (SQLite or PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.application.bootstrap import build_views
from ledger.config import Settings
from ledger.domain import errors
from ledger.projections import queries, runner
from ledger.projections.queries.statement_pages import statement_cursor

ACTOR = "bookkeeper-1"
# (day, income or expense fen): several on one day (their order is the voucher sequence), one in
# January (February's opening balance), and (below) a reversal of the expense of 10 February.
ENTRIES = [
    (date(2024, 1, 20), 5_000),
    (date(2024, 2, 3), 1_250),
    (date(2024, 2, 3), -700),
    (date(2024, 2, 3), 999),
    (date(2024, 2, 10), -1_001),
    (date(2024, 3, 1), 40),
    (date(2024, 3, 1), -35),
    (date(2024, 3, 31), 12_345),
]


@pytest.fixture
def views(database_url):
    store = build_views(Settings(database_url=database_url))
    yield store
    store.close()


def record(ledger, fund: str, on: date, fen: int):
    if fen > 0:
        return ledger.record(
            fund,
            "receive_donation",
            actor=ACTOR,
            occurred_on=on,
            amount_fen=fen,
            donor_kind="resident",
            donor_name="热心居民",
            doc_refs=["收据"],
        )
    return ledger.record(
        fund,
        "pay_expense",
        actor=ACTOR,
        occurred_on=on,
        amount_fen=-fen,
        category="activities",
        payee="文具店",
        handled_by="经办人",
        approved_by="审批人",
        doc_refs=["发票"],
    )


@pytest.fixture
def books(ledger, activity_fund_id, views):
    """The activity fund with the entries above and one reversal, the views caught up."""
    vouchers = [record(ledger, activity_fund_id, on, fen)["voucher_no"] for on, fen in ENTRIES]
    ledger.reverse_entry(
        activity_fund_id, actor=ACTOR, voucher_no=vouchers[4], occurred_on=date(2024, 2, 20), reason="错记"
    )
    runner.catch_up(views)
    return activity_fund_id


def pages(views, fund: str, period: str, limit: int) -> list[queries.Statement]:
    out = [queries.statement(views, fund, period, limit=limit)]
    while out[-1].next_after is not None:
        out.append(queries.statement(views, fund, period, limit=limit, after=out[-1].next_after))
        assert len(out) <= 20, "the pages never end"
    return out


@pytest.mark.parametrize("limit", [1, 2, 3, 8, 9, 2000])
@pytest.mark.parametrize(("period", "count"), [("2024-Q1", 9), ("2024-02", 5)])
def test_statement_pages_concatenate_to_the_whole_statement_when_read_page_by_page(
    views, books, limit, period, count
):
    whole = queries.statement(views, books, period)
    assert len(whole.rows) == whole.row_count == count
    read = pages(views, books, period, limit)
    assert [r for page in read for r in page.rows] == whole.rows  # every field, balance included
    assert [len(page.rows) for page in read] == [
        min(limit, whole.row_count - i) for i in range(0, whole.row_count, limit)
    ]
    assert [r["balance_fen"] for r in whole.rows][-1] == whole.closing_fen


@pytest.mark.parametrize("limit", [1, 2, 4, 9])
def test_statement_pages_read_backwards_concatenate_to_the_whole_statement_when_following_prev(
    views, books, limit
):
    whole = queries.statement(views, books, "2024-Q1")
    last = pages(views, books, "2024-Q1", limit)[-1]
    backwards = [last]
    while backwards[-1].prev_before is not None:
        before = backwards[-1].prev_before
        backwards.append(queries.statement(views, books, "2024-Q1", limit=limit, before=before))
        assert len(backwards) <= 20, "the pages never end"
    assert [r for page in reversed(backwards) for r in page.rows] == whole.rows
    assert backwards[-1].rows[0] == whole.rows[0]
    assert all(page.next_after is not None for page in backwards[1:])


def test_statement_page_carries_the_whole_periods_figures_when_it_holds_a_few_rows(views, books):
    whole = queries.statement(views, books, "2024-02")
    assert whole.opening_fen == 5_000  # January's donation
    for page in pages(views, books, "2024-02", 2):
        figures = (page.opening_fen, page.income_fen, page.expense_fen, page.closing_fen)
        assert figures == (whole.opening_fen, whole.income_fen, whole.expense_fen, whole.closing_fen)
        assert (page.cash_fen, page.bank_fen, page.closed, page.row_count) == (
            whole.cash_fen,
            whole.bank_fen,
            whole.closed,
            5,
        )
    assert (whole.income_fen, whole.closing_fen) == (1_250 + 999, 5_000 + 1_250 + 999 - 700)
    assert whole.expense_fen == 700 + 1_001 - 1_001  # the reversal: a negative expense row


def test_statement_page_is_the_last_when_the_period_fits_in_one_page(views, books):
    month = queries.statement(views, books, "2024-02", limit=500)
    assert (len(month.rows), month.next_after) == (5, None)
    assert month.rows == queries.statement(views, books, "2024-02").rows


def test_statement_page_after_the_last_row_is_empty_when_the_cursor_names_it(views, books):
    whole = queries.statement(views, books, "2024-Q1")
    last = queries.statement(views, books, "2024-Q1", limit=5, after=statement_cursor(whole.rows[-1]))
    assert (last.rows, last.next_after, last.closing_fen) == ([], None, whole.closing_fen)


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64 !",
        "",
        "MjAyNC0wMi0wMw",
        statement_cursor({"occurred_on": "2024-04-01", "seq": 1, "voucher_no": "x"}),
    ],
    ids=["garbage", "empty", "no-separators", "another-period"],
)
def test_statement_page_is_refused_with_statement_cursor_invalid_when_the_cursor_is_bad(views, books, cursor):
    with pytest.raises(errors.StatementCursorInvalid) as refused:
        queries.statement(views, books, "2024-Q1", limit=5, after=cursor)
    assert (refused.value.status, refused.value.code) == (422, "statement_cursor_invalid")


@pytest.mark.parametrize("limit", [0, -1, 2001])
def test_statement_page_is_refused_with_value_not_allowed_when_the_limit_is_out_of_range(views, books, limit):
    with pytest.raises(errors.ValueNotAllowed) as refused:
        queries.statement(views, books, "2024-Q1", limit=limit)
    assert (refused.value.code, refused.value.details["field"]) == ("value_not_allowed", "limit")
