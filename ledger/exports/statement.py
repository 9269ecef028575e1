"""The noticeboard statement (docs/board.md): ONE model of a fund's statement for a month,
quarter or year, with privacy applied for its audience, from which every format (HTML, PDF,
CSV, XLSX, JSON) is rendered, so their figures agree by construction.

Lines: 上期结余 first; then one line per voucher in journal order, except that member donations
whose donors did not consent to be named are grouped by date, campaign and branch; reversals
stay their own lines (R35); then 本期合计 and 本期结余 (with the bank/cash split). Totals come
from the read models (R33), and the running balance is re-added over the lines as shown.

Privacy (R34), ``public`` audience: a recipient (payee, stipend) is shown by full name only if
the person consented to public notice, else masked (王*明) with their branch; if fewer than
``SMALL_GROUP_MIN`` masked recipients share an expense category in the statement, their lines
show neither name nor branch (a masked name among one or two would still identify them).
Donors are named only when the donation was recorded with ``publish_donor_name``. A donation
of a resident or other private donor without consent shows no name. Reasons of reversals,
ID, phone, address and bank details are never part of the model. The ``internal`` audience
(signed-in members) shows full names where internal consent is recorded, else masked.
Officials acting in role (handler, signatures) are shown by full name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from ledger.domain import errors
from ledger.domain.fund_policy import posting_days as policy_posting_days
from ledger.domain.money import format_amount, to_capital
from ledger.exports import labels
from ledger.exports.board_pages import BoardPage, cursor, split_cursor, whole_days
from ledger.exports.lines import (
    INTERNAL,
    PUBLIC,
    SMALL_GROUP_MIN,
    BoardContext,
    Line,
    LineMaker,
    entry_lines,
    small_categories,
)
from ledger.projections import queries
from ledger.projections.store import ViewStore

__all__ = [
    "AUDIENCES",
    "INTERNAL",
    "PUBLIC",
    "SMALL_GROUP_MIN",
    "BoardPage",
    "BoardStatement",
    "Line",
    "Seal",
    "build",
    "streamed",
]

AUDIENCES = (PUBLIC, INTERNAL)
SEAL_FINGERPRINT_LEN = 16


@dataclass(frozen=True)
class Seal:
    position: int
    hash: str

    @property
    def fingerprint(self) -> str:
        return self.hash[:SEAL_FINGERPRINT_LEN]


@dataclass(frozen=True)
class BoardStatement:
    fund_id: str
    fund_name: str
    fund_kind: str
    issuer: str
    period: str
    start: date
    end: date
    audience: str
    lines: list[Line]
    opening_fen: int
    income_fen: int
    expense_fen: int
    closing_fen: int
    bank_fen: int
    cash_fen: int
    provisional: bool
    posting_from: date | None
    posting_to: date | None
    signatures: dict[str, str] = field(default_factory=dict)
    seal: Seal | None = None
    position: int | None = None  # the log position all figures belong to (one snapshot)
    supervision: dict[str, str] | None = None  # the issuer's 监督电话, 意见箱, whom to tell
    page: BoardPage | None = None  # one page of the lines (ADR 0175); None: every line

    def capitals(self) -> list[tuple[str, str]]:
        """(label key, capital numerals) for opening, income, expense and closing."""
        return [
            ("capital_opening", capital(self.opening_fen)),
            ("capital_income", capital(self.income_fen)),
            ("capital_expense", capital(self.expense_fen)),
            ("capital_closing", capital(self.closing_fen)),
        ]

    def title(self, lang: str) -> str:
        label = labels.period_label(self.period, lang)
        if lang == "zh":
            return f"{self.issuer} {self.fund_name}{labels.TEXTS['zh']['title_suffix']}（{label}）"
        return f"{self.issuer} {self.fund_name}: {labels.TEXTS['en']['title_suffix']}, {label}"


def capital(fen: int) -> str:
    """Capital numerals; a negative total (a reversal of an earlier period) reads 负人民币…."""
    return to_capital(fen) if fen >= 0 else "负" + to_capital(-fen)


# Rows read at a time for a file of every line (ADR 0185): one page of row dicts and their
# events' states in memory, whatever the period holds.
FILE_PAGE_ROWS = 500


@queries.one_snapshot
def build(
    store: ViewStore,
    fund_id: str,
    period: str,
    *,
    audience: str = PUBLIC,
    supervision: dict[str, str] | None = None,
    limit: int | None = None,
    after: str | None = None,
    before: str | None = None,
    page_rows: int | None = None,
) -> BoardStatement:
    """The statement with every line (its rows read ``page_rows`` at a time); with ``limit``,
    one page of its lines after the board cursor ``after`` or before ``before``
    (``board_pages``), the figures still the period's."""
    if limit is None:
        head, lines = _whole(store, fund_id, period, audience, supervision, page_rows)
        return replace(head, lines=list(lines()))
    _check_audience(audience)
    (row_after, shown), (row_before, shown_before) = split_cursor(after), split_cursor(before)
    st = queries.statement(store, fund_id, period, limit=limit, after=row_after, before=row_before)
    rows = whole_days(st, backwards=before is not None)
    ctx = BoardContext.load(store, st, audience)
    recipients = queries.statement_recipients(store, fund_id, period)
    balance = (
        rows[0]["balance_fen"] - rows[0]["income_fen"] + rows[0]["expense_fen"] if rows else st.opening_fen
    )
    entries = entry_lines(rows, ctx, balance, recipients)
    if before is not None:
        shown = max(shown_before - len(entries), 0)
    entries = [replace(line, no=line.no + shown) if line.no else line for line in entries]
    more_before = (st.prev_before if before is not None else row_after) is not None and rows
    more_after = (st.next_after if before is None else rows) and rows
    page = BoardPage(
        limit,
        st.row_count,
        shown + 1,
        cursor(rows[-1], shown + len(entries)) if more_after else None,
        cursor(rows[0], shown) if more_before else None,
    )
    lines = ([_opening(st)] if page.prev is None else []) + entries + _ends(st)
    return _model(fund_id, st, ctx, lines, audience, supervision, page)


@contextmanager
def streamed(
    store: ViewStore,
    fund_id: str,
    period: str,
    *,
    audience: str = PUBLIC,
    supervision: dict[str, str] | None = None,
    page_rows: int | None = None,
) -> Iterator[tuple[BoardStatement, Callable[[], Iterator[Line]]]]:
    """The statement's head (its figures, signatures, seal; ``lines`` empty) and a reader of
    its lines one by one, read ``page_rows`` rows at a time from one read snapshot, open until
    the ``with`` ends (ADR 0185): a file of every line written as they come holds one page,
    never the period; each call of the reader reads them again from the same snapshot. A
    refusal (unknown fund, audience) is raised on entering, before any line."""
    with store.snapshot() as snapshot:
        yield _whole(snapshot, fund_id, period, audience, supervision, page_rows)


def _whole(
    store: ViewStore,
    fund_id: str,
    period: str,
    audience: str,
    supervision: dict[str, str] | None,
    page_rows: int | None,
) -> tuple[BoardStatement, Callable[[], Iterator[Line]]]:
    """Head and a reader of the lines of the whole period, from the snapshot ``store``."""
    _check_audience(audience)
    st = queries.statement(store, fund_id, period, limit=1)  # the figures (one row read)
    ctx = BoardContext.load(store, st, audience, queries.statement_people(store, fund_id, period))
    hidden = small_categories(queries.statement_recipients(store, fund_id, period), ctx)
    head = _model(fund_id, st, ctx, [], audience, supervision, None)

    def lines() -> Iterator[Line]:
        yield _opening(st)
        maker = LineMaker(ctx, hidden, st.opening_fen)
        for rows in queries.statement_row_pages(store, fund_id, period, page_rows or FILE_PAGE_ROWS):
            yield from maker.feed(rows)
        yield from maker.flush()
        yield from _ends(st)

    return head, lines


def _check_audience(audience: str) -> None:
    if audience not in AUDIENCES:
        raise errors.ValueNotAllowed(field="audience", value=audience, allowed=", ".join(AUDIENCES))


def _opening(st: queries.Statement) -> Line:
    return Line("opening", None, st.start.isoformat(), "—", "上期结余", None, None, st.opening_fen, "", "")


def _ends(st: queries.Statement) -> list[Line]:
    split = labels.TEXTS["zh"]["split"].format(bank=_yuan(st.bank_fen), cash=_yuan(st.cash_fen))
    return [
        Line("totals", None, None, "", "本期合计", st.income_fen, st.expense_fen, None, "", ""),
        Line("closing", None, None, "", "本期结余", None, None, st.closing_fen, "", split),
    ]


def _model(
    fund_id: str,
    st: queries.Statement,
    ctx: BoardContext,
    lines: list[Line],
    audience: str,
    supervision: dict[str, str] | None,
    page: BoardPage | None,
) -> BoardStatement:
    last_close = ctx.last_close if st.closed else None
    posting_from = date.fromisoformat(last_close["closed_on"]) if last_close else None
    posting_days = policy_posting_days(st.fund["policy"])
    seal = None
    if last_close and last_close["seal_hash"]:
        seal = Seal(int(last_close["seal_position"]), last_close["seal_hash"])
    return BoardStatement(
        fund_id=fund_id,
        fund_name=st.fund["name_zh"],
        fund_kind=st.fund["kind"],
        issuer=ctx.org_name(st.fund["owner_org_id"]),
        period=st.period,
        start=st.start,
        end=st.end,
        audience=audience,
        lines=lines,
        opening_fen=st.opening_fen,
        income_fen=st.income_fen,
        expense_fen=st.expense_fen,
        closing_fen=st.closing_fen,
        bank_fen=st.bank_fen,
        cash_fen=st.cash_fen,
        provisional=not st.closed,
        posting_from=posting_from,
        posting_to=posting_from + timedelta(days=posting_days - 1) if posting_from else None,
        signatures=ctx.signatures(st, last_close),
        seal=seal,
        position=st.position,
        supervision=supervision,
        page=page,
    )


def _yuan(fen: int) -> str:
    return format_amount(fen)
