"""A fund's page (balances, what can be recorded, recent vouchers), one voucher's page, and the
internal board of a period.

The vouchers are the books: the fund's custodians and auditors read them (``BOOK_ROLES``). A
member reads the balances and the internal board, where payees are named only with their
internal consent (ADR 0013)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ledger.api.deps import LedgerDep, fresh_views
from ledger.api.routers.common import BOOK_ROLES, READ_ROLES, fund_owner, require_any
from ledger.domain.periods import period_of
from ledger.exports import html as board_html
from ledger.exports import statement as board
from ledger.exports.statement import capital
from ledger.projections import queries
from ledger.web import supervision_for
from ledger.web.console.entry_forms import kinds_for
from ledger.web.console.pages import PREFIX, ConsoleRoute, current_views, lang_of, may, page, roles_held
from ledger.web.console.session import SessionDep

router = APIRouter(prefix=f"{PREFIX}/funds/{{fund_id}}", route_class=ConsoleRoute, include_in_schema=False)
RECENT_COUNT = 20


@router.get("", response_class=HTMLResponse)
def fund_page(request: Request, fund_id: str, session: SessionDep, ledger: LedgerDep) -> HTMLResponse:
    owner = fund_owner(ledger, fund_id)
    require_any(ledger, session.user, READ_ROLES, owner)
    views = current_views(request)
    meta = queries.fund_meta(views, fund_id)
    held = roles_held(ledger, session.user, owner)
    books = not held.isdisjoint(BOOK_ROLES)
    rows = []
    if books:
        count = queries.journal(views, fund_id, page_size=1).count
        last_page = max(1, -(-count // RECENT_COUNT))
        rows = list(reversed(queries.journal(views, fund_id, page=last_page, page_size=RECENT_COUNT).rows))
    return page(
        request,
        "fund.html",
        fund=meta,
        balance=queries.fund_balance(views, fund_id),
        books=books,
        rows=rows,
        this_month=period_of(ledger.today()),
        closes="bookkeeper" in held,  # closing a month is theirs
        kinds={  # only what this user may record here (the routes check again)
            key: kind for key, kind in kinds_for(meta["kind"]).items() if not held.isdisjoint(kind.roles)
        },
        pays_stipends=bool((meta["policy"] or {}).get("stipends_allowed")),
    )


@router.get("/vouchers/{voucher_no}", response_class=HTMLResponse)
def voucher_page(
    request: Request,
    fund_id: str,
    voucher_no: str,
    session: SessionDep,
    ledger: LedgerDep,
    position: int | None = None,
    replayed: int = 0,
) -> HTMLResponse:
    owner = fund_owner(ledger, fund_id)
    require_any(ledger, session.user, BOOK_ROLES, owner)
    views = fresh_views(request, position)
    row = queries.journal_voucher(views, fund_id, voucher_no)
    return page(
        request,
        "voucher.html",
        fund=queries.fund_meta(views, fund_id),
        row=row,
        capital=capital(voucher_amount_fen(row)),
        moves_money=is_cash_move(row),
        may_reverse=may(ledger, session.user, ("bookkeeper",), owner),  # as the reverse route
        replayed=bool(replayed),
        balance=queries.fund_balance(views, fund_id),
    )


def is_cash_move(row: dict[str, Any]) -> bool:
    """A cash move (存现/取现) or its reversal: neither income nor expense, money between the
    fund's cash box and its bank account (ADR 0033)."""
    return not row["income_fen"] and not row["expense_fen"] and bool(row["cash_fen"] or row["bank_fen"])


def voucher_amount_fen(row: dict[str, Any]) -> int:
    """A voucher's amount as its capitals read it: the income or expense (negative on a
    reversal), or the amount a cash move moved (negative on the reversal of one), not 0."""
    if not is_cash_move(row):
        return row["income_fen"] or row["expense_fen"]
    moved = abs(row["cash_fen"] or row["bank_fen"])
    return -moved if row["reverses_voucher_no"] else moved


@router.get("/board/{period}", response_class=HTMLResponse)
def internal_board(
    request: Request, fund_id: str, period: str, session: SessionDep, ledger: LedgerDep
) -> HTMLResponse:
    """The internal board (``/board/internal/{fund}/{period}`` of the API) for a console
    session: full names only where internal consent is recorded, else masked."""
    require_any(ledger, session.user, READ_ROLES, fund_owner(ledger, fund_id))
    views = current_views(request)
    channels = supervision_for(ledger, views, fund_id)
    st = board.build(views, fund_id, period, audience=board.INTERNAL, supervision=channels)
    lang = lang_of(request)
    back = (f"← {queries.fund_meta(views, fund_id)['name_zh']}", f"{PREFIX}/funds/{fund_id}")
    base_url = request.app.state.public_base_url
    return HTMLResponse(board_html.render_html(st, lang, footer=False, back=back, base_url=base_url))
