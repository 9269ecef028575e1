"""A fund's journal with running balances, one voucher as stored, period statements (the
noticeboard's data, reversals as their own rows, R35) and entry totals by kind.

Entries are ordered by business date, then by voucher sequence: the order the no-overdraft rule
and the paper journal use.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from ledger.domain import errors
from ledger.domain.periods import statement_range
from ledger.projections.queries.funds import fund_meta
from ledger.projections.queries.statement_pages import (
    BEFORE_KEY,
    IN_PERIOD,
    ORDER,
    ORDER_DESC,
    UP_TO_KEY,
    RowKey,
    check_limit,
    decode,
    key_params,
    statement_cursor,
)
from ledger.projections.queries.views import check_page, one_snapshot
from ledger.projections.records import iso
from ledger.projections.store import ViewStore

JOURNAL_SELECT = (
    "SELECT position, fund_no, voucher_no, seq, occurred_on, entry_kind, income_fen, expense_fen, "
    "cash_fen, bank_fen, person_id, person_role, category, reverses_voucher_no FROM v_journal"
)


_JOURNAL_KEYS = tuple(JOURNAL_SELECT[7:].split(" FROM")[0].split(", "))


# Stored fields that are bookkeeping of the store or already columns of the journal.
_NOT_DETAILS = frozenset(
    {
        "timestamp",
        "originator_topic",
        "originator_id",
        "originator_version",
        "class_version",
        "voucher_no",
        "occurred_on",
        "amount_fen",
        "reverses_voucher_no",
        "request_id",
    }
)


_COUNTERPARTY = {"donation": "donor_name", "grant": "grantor_name", "expense": "payee"}


def _rows(store: ViewStore, raw: list[tuple[Any, ...]], opening_fen: int) -> list[dict[str, Any]]:
    """Journal rows as dicts with the running balance. What is shown but never summed — memo,
    counterparty (donor, grantor, payee), handler, recorder and ``details`` (campaign,
    publicity, purpose, stipend months, doc refs …) — is read from each voucher's own event."""
    rows = [dict(zip(_JOURNAL_KEYS, values, strict=True)) for values in raw]
    originals = _originals(store, [r for r in rows if r["reverses_voucher_no"]])
    states = store.event_states([r["position"] for r in rows] + list(originals.values()))
    running = opening_fen
    for row in rows:
        for key in ("income_fen", "expense_fen", "cash_fen", "bank_fen", "seq"):
            row[key] = int(row[key])
        state = states.get(row["position"], {})
        source = states.get(originals.get((row["fund_no"], row["reverses_voucher_no"])), state)
        kind = row["entry_kind"]
        original_kind = _kind_of(source) if kind == "reversal" else kind
        row["period"] = row["occurred_on"][:7]
        row["counterparty"] = source.get(_COUNTERPARTY.get(original_kind, ""))
        row["memo"] = state.get("memo")
        row["handled_by"] = state.get("handled_by")
        row["recorded_by"] = state.get("recorded_by")
        row["details"] = {k: iso(v) for k, v in sorted(state.items()) if k not in _NOT_DETAILS}
        running += row["income_fen"] - row["expense_fen"]
        row["balance_fen"] = running
        del row["fund_no"]
    return rows


def _originals(store: ViewStore, reversals: list[dict[str, Any]]) -> dict[tuple[int, str], int]:
    """(fund, voucher) → log position of the vouchers these reversal rows reverse."""
    out: dict[tuple[str, str], int] = {}
    for row in reversals:
        found = store.fetch(
            "SELECT position FROM v_journal WHERE fund_no = ? AND voucher_no = ?",
            (row["fund_no"], row["reverses_voucher_no"]),
        )
        if found:
            out[(row["fund_no"], row["reverses_voucher_no"])] = int(found[0][0])
    return out


def _kind_of(state: dict[str, Any]) -> str:
    for kind, key in _COUNTERPARTY.items():
        if key in state:
            return kind
    return ""


def _sum_before(store: ViewStore, fund_no: int, day: str) -> int:
    row = store.fetch(
        "SELECT COALESCE(SUM(income_fen - expense_fen), 0) FROM v_journal "
        "WHERE fund_no = ? AND occurred_on < ?",
        (fund_no, day),
    )
    return int(row[0][0])


@dataclass(frozen=True)
class JournalPage:
    fund_id: str
    rows: list[dict[str, Any]]
    count: int
    page: int
    page_size: int


@one_snapshot
def journal(
    store: ViewStore,
    fund_id: str,
    *,
    period_from: str | None = None,
    period_to: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> JournalPage:
    """A fund's vouchers in journal order with the running balance, one page at a time."""
    fund_no = fund_meta(store, fund_id)["fund_no"]
    check_page(page, page_size)
    start = statement_range(period_from)[0].isoformat() if period_from else "0000-01-01"
    end = statement_range(period_to)[1].isoformat() if period_to else "9999-12-31"
    where = "WHERE fund_no = ? AND occurred_on >= ? AND occurred_on <= ?"
    params = (fund_no, start, end)
    count = int(store.fetch(f"SELECT COUNT(*) FROM v_journal {where}", params)[0][0])
    offset = (page - 1) * page_size
    before_page = store.fetch(
        f"SELECT COALESCE(SUM(income_fen - expense_fen), 0) FROM (SELECT income_fen, expense_fen "
        f"FROM v_journal {where} ORDER BY occurred_on, seq LIMIT ?) AS earlier",
        (*params, offset),
    )
    opening = _sum_before(store, fund_no, start) + int(before_page[0][0])
    raw = store.fetch(
        f"{JOURNAL_SELECT} {where} ORDER BY occurred_on, seq LIMIT ? OFFSET ?",
        (*params, page_size, offset),
    )
    return JournalPage(fund_id, _rows(store, raw, opening), count, page, page_size)


@one_snapshot
def journal_voucher(store: ViewStore, fund_id: str, voucher_no: str) -> dict[str, Any]:
    """One voucher of a fund's journal as stored (the columns of ``JOURNAL_SELECT``, amounts as
    integers, no running balance), with ``reversed_by``: the voucher reversing it, if any."""
    fund_no = fund_meta(store, fund_id)["fund_no"]
    number = voucher_no.strip()
    rows = store.fetch(f"{JOURNAL_SELECT} WHERE fund_no = ? AND voucher_no = ?", (fund_no, number))
    if not rows:
        raise errors.VoucherNotFound(voucher_no=number)
    row = dict(zip(_JOURNAL_KEYS, rows[0], strict=True))
    for key in ("income_fen", "expense_fen", "cash_fen", "bank_fen", "seq"):
        row[key] = int(row[key])
    reversal = store.fetch(
        "SELECT voucher_no FROM v_journal WHERE fund_no = ? AND reverses_voucher_no = ?",
        (fund_no, row["voucher_no"]),
    )
    row["reversed_by"] = reversal[0][0] if reversal else None
    return row


@dataclass(frozen=True)
class Statement:
    """A fund's statement for a month, quarter or year (docs/board.md): opening balance, the
    vouchers with the running balance (reversals as their own rows, R35), totals, closing
    balance split into bank and cash. ``closed`` is False while any month is still open: the
    statement is then provisional.

    The figures are always the whole period's; ``rows`` are every voucher, or one page of them
    (ADR 0175): ``row_count`` is how many the period holds, ``next_after`` the cursor of the
    page after this one (None on the last)."""

    fund: dict[str, Any]
    period: str
    start: date
    end: date
    opening_fen: int
    rows: list[dict[str, Any]]
    income_fen: int
    expense_fen: int
    closing_fen: int
    cash_fen: int
    bank_fen: int
    closed: bool
    months_closed: list[str]
    position: int | None = None  # the log position the figures belong to (their snapshot's)
    row_count: int = 0
    next_after: str | None = None
    prev_before: str | None = None  # the cursor of the page before (None on the first)


@one_snapshot
def statement(
    store: ViewStore,
    fund_id: str,
    period: str,
    *,
    limit: int | None = None,
    after: str | None = None,
    before: str | None = None,
) -> Statement:
    """The statement of ``period``: every row, or with ``limit`` at most that many rows after
    the cursor ``after`` (or the last ones before ``before``; see ``statement_pages``). The
    totals, split and closed months are SQL aggregates over the whole period, in the same
    snapshot as the rows."""
    meta = fund_meta(store, fund_id)
    start, end = statement_range(period)
    fund_no = meta["fund_no"]
    if limit is not None:
        check_limit(limit)
    if (limit is None and (after, before) != (None, None)) or None not in (after, before):
        given = f"limit={limit}, after={after}, before={before}"
        raise errors.ValueNotAllowed(field="after, before", value=given, allowed="at most one, with a limit")
    cursor = after if after is not None else before
    key = decode(cursor, start, end) if cursor is not None else None
    bounds = (fund_no, start.isoformat(), end.isoformat())
    opening = _sum_before(store, fund_no, start.isoformat())
    count, income, expense = (
        int(v)
        for v in store.fetch(
            f"SELECT COUNT(*), COALESCE(SUM(income_fen), 0), COALESCE(SUM(expense_fen), 0) "
            f"FROM v_journal {IN_PERIOD}",
            bounds,
        )[0]
    )
    if before is not None and key is not None and limit is not None:
        rows, more = _rows_before(store, bounds, opening, limit, key)
        next_after, prev_before = (
            (statement_cursor(rows[-1]) if rows else None),
            (statement_cursor(rows[0]) if more else None),
        )
    else:
        rows, more = _statement_rows(store, bounds, opening, limit, key)
        next_after = statement_cursor(rows[-1]) if more else None
        prev_before = statement_cursor(rows[0]) if key is not None and rows else None
    split = store.fetch(
        "SELECT COALESCE(SUM(cash_fen), 0), COALESCE(SUM(bank_fen), 0) FROM v_journal "
        "WHERE fund_no = ? AND occurred_on <= ?",
        (fund_no, end.isoformat()),
    )[0]
    months = [
        m
        for (m,) in store.fetch(
            "SELECT period FROM v_period_close WHERE fund_id = ? AND period >= ? AND period <= ? "
            "ORDER BY period",
            (fund_id, start.isoformat()[:7], end.isoformat()[:7]),
        )
    ]
    # Months before the fund existed have nothing to close.
    expected_months = [m for m in _months(start, end) if m >= meta["established_on"][:7]]
    # cash + bank = closing (R2) holds in one snapshot; views that break it are a finding of
    # ``verify`` (a fresh fold), never a refusal of this read.
    closing = opening + income - expense
    return Statement(
        meta,
        period,
        start,
        end,
        opening,
        rows,
        income,
        expense,
        closing,
        int(split[0]),
        int(split[1]),
        months == expected_months,
        months,
        store.snapshot_position,
        count,
        next_after,
        prev_before,
    )


def _statement_rows(
    store: ViewStore,
    bounds: tuple[int, str, str],
    opening: int,
    limit: int | None,
    key: RowKey | None,
) -> tuple[list[dict[str, Any]], bool]:
    """The rows after ``key`` (all, or ``limit`` of them), the first running balance from the
    SUM of the period's rows up to ``key`` (the order index), and whether more rows follow."""
    where, params = IN_PERIOD, list(bounds)
    if key is not None:  # both bounded by the cursor's day, so the index range starts or ends there
        fund_no, start, end = bounds
        before = store.fetch(
            f"SELECT COALESCE(SUM(income_fen - expense_fen), 0) FROM v_journal {where} AND {UP_TO_KEY}",
            (fund_no, start, key[0], *key_params(key)),
        )
        opening += int(before[0][0])
        where, params = f"{where} AND NOT {UP_TO_KEY}", [fund_no, key[0], end, *key_params(key)]
    tail = "" if limit is None else " LIMIT ?"
    raw = store.fetch(
        f"{JOURNAL_SELECT} {where} ORDER BY {ORDER}{tail}",
        params if limit is None else [*params, limit + 1],
    )
    more = limit is not None and len(raw) > limit
    return _rows(store, raw[:limit] if more else raw, opening), more


def _rows_before(
    store: ViewStore, bounds: tuple[int, str, str], opening: int, limit: int, key: RowKey
) -> tuple[list[dict[str, Any]], bool]:
    """The last ``limit`` rows before ``key`` in journal order, and whether more rows precede
    them; the first running balance from the SUM of the rows before ``key`` less theirs."""
    fund_no, start, _ = bounds
    where = f"WHERE fund_no = ? AND occurred_on >= ? AND occurred_on <= ? AND {BEFORE_KEY}"
    params = (fund_no, start, key[0], *key_params(key))
    raw = store.fetch(f"{JOURNAL_SELECT} {where} ORDER BY {ORDER_DESC} LIMIT ?", (*params, limit + 1))
    more = len(raw) > limit
    page = list(reversed(raw[:limit]))
    sums = store.fetch(f"SELECT COALESCE(SUM(income_fen - expense_fen), 0) FROM v_journal {where}", params)
    net = sum(
        int(r[_JOURNAL_KEYS.index("income_fen")]) - int(r[_JOURNAL_KEYS.index("expense_fen")]) for r in page
    )
    return _rows(store, page, opening + int(sums[0][0]) - net), more


def statement_row_pages(
    store: ViewStore, fund_id: str, period: str, page_rows: int
) -> Iterator[list[dict[str, Any]]]:
    """Every row of ``period`` in journal order, ``page_rows`` at a time, the running balance
    carried from page to page (ADR 0185): what a file of the whole period reads, so that no
    more than one page of rows (and their events' states) is held at once. Each page is an
    index range after the last row's key. A generator cannot hold a snapshot of its own past
    its first ``yield``: ``store`` must be a snapshot already (``ViewStore.snapshot``), so that
    every page belongs to the log position of the statement's figures."""
    if store.snapshot_position is None:
        raise TypeError("statement_row_pages reads inside a snapshot (ViewStore.snapshot)")
    check_limit(page_rows)
    fund_no = fund_meta(store, fund_id)["fund_no"]
    start, end = (d.isoformat() for d in statement_range(period))
    balance = _sum_before(store, fund_no, start)
    where, params = IN_PERIOD, [fund_no, start, end]
    while True:
        raw = store.fetch(f"{JOURNAL_SELECT} {where} ORDER BY {ORDER} LIMIT ?", [*params, page_rows])
        if not raw:
            return
        rows = _rows(store, raw, balance)
        last = rows[-1]
        balance, key = last["balance_fen"], (last["occurred_on"], last["seq"], last["voucher_no"])
        yield rows
        if len(raw) < page_rows:
            return
        where, params = f"{IN_PERIOD} AND NOT {UP_TO_KEY}", [fund_no, key[0], end, *key_params(key)]


@one_snapshot
def statement_people(store: ViewStore, fund_id: str, period: str) -> list[str]:
    """Every person a row of ``period`` names, once each (their branches on the day are what
    the board's lines show)."""
    start, end = statement_range(period)
    found = store.fetch(
        f"SELECT DISTINCT person_id FROM v_journal {IN_PERIOD} AND person_id IS NOT NULL",
        (fund_meta(store, fund_id)["fund_no"], start.isoformat(), end.isoformat()),
    )
    return sorted(person for (person,) in found)


@one_snapshot
def statement_recipients(store: ViewStore, fund_id: str, period: str) -> list[tuple[str | None, str]]:
    """(category, person) of every person paid in ``period`` (payees and stipends, reversals
    aside), once each: what the board's small-group rule (R34) counts over the whole period,
    whichever page of rows it shows."""
    start, end = statement_range(period)
    found = store.fetch(
        f"SELECT DISTINCT category, person_id FROM v_journal {IN_PERIOD} "
        "AND person_role IN ('payee', 'stipend') AND entry_kind <> 'reversal' AND person_id IS NOT NULL",
        (fund_meta(store, fund_id)["fund_no"], start.isoformat(), end.isoformat()),
    )
    return [(category, person) for category, person in found]


def _months(start: date, end: date) -> list[str]:
    out, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@dataclass(frozen=True)
class EntryTotal:
    """How many entries of one kind a fund has, and their net amounts (reversals included).
    ``category`` is the donor kind of a donation, the grant kind of a grant, the purpose of an
    expense, ``stipend`` for a stipend."""

    fund_id: str
    entry_kind: str
    category: str | None
    count: int
    income_fen: int
    expense_fen: int
    people: int  # distinct people named (donors, payees, stipend recipients)


def entry_totals(store: ViewStore) -> list[EntryTotal]:
    rows = store.fetch(
        "SELECT f.fund_id, CASE WHEN j.entry_kind = 'reversal' THEN 'reversal' ELSE j.entry_kind END, "
        "j.category, COUNT(*), SUM(j.income_fen), SUM(j.expense_fen), COUNT(DISTINCT j.person_id) "
        "FROM v_journal j JOIN v_fund f ON f.position = j.fund_no "
        "GROUP BY f.fund_id, j.entry_kind, j.category ORDER BY f.fund_id, j.entry_kind, j.category"
    )
    return [EntryTotal(f, k, c, int(n), int(i), int(e), int(p)) for f, k, c, n, i, e, p in rows]
