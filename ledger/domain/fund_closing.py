"""Closing a month (月结, R6), a mixin of ``Fund``.

Months close in order, only once they have ended, and never reopen. A close records the month's
opening balance, income, expense and closing balance per account (R2: they balance), who
reviewed it and the head of the store's hash chain at that moment (the seal, ``fundbook
verify``). Closing drops the month's postings per day from the fund's state, and closing a
December drops the fiscal year's vouchers, which can no longer be reversed (R5). Nothing may be
dated in a closed month: that check runs with every voucher (``_check_open_date`` in
``fund.py``).
"""

from __future__ import annotations

from datetime import date

from eventsourcing.domain import Aggregate

from ledger.domain import day_balances, errors
from ledger.domain.context import Context
from ledger.domain.fund_core import FundCore
from ledger.domain.limits import REF_LEN_MAX, check_optional_text
from ledger.domain.periods import check_period, last_day


class Closing:
    """The event and commands of closing a month; ``Fund`` inherits them (its event is ``Fund.X``)."""

    # --- period close (R6) ------------------------------------------------------------------
    class PeriodClosed(Aggregate.Event):
        TOPIC = "fundbook:Fund.PeriodClosed"
        period: str
        opening_fen: int
        income_fen: int
        expense_fen: int
        closing_fen: int
        cash_fen: int
        bank_fen: int
        closed_on: date
        recorded_by: str
        reviewed_by: str | None
        request_id: str | None
        seal_position: int | None
        seal_hash: str | None

        def apply(self, aggregate: FundCore) -> None:
            aggregate._close(self)

    # --- commands: period close (R6) --------------------------------------------------------
    def close_period(self: FundCore, ctx: Context, *, period: str, reviewed_by: str | None = None) -> None:
        """Close the next open month: in order, only once it has ended, never reopened."""
        self._check_poster(ctx)
        period = check_period(period)
        expected = self.first_open_period()
        if period != expected:
            raise errors.PeriodCloseOutOfOrder(period=period, expected=expected)
        if last_day(period) >= ctx.today:
            raise errors.PeriodNotEnded(period=period)
        income, expense = self.period_totals.get(period, [0, 0])
        opening = sum(self.closed_balances_fen.values())
        closing = dict(self.closed_balances_fen)
        for account, net in day_balances.period_nets(self.open_days, period).items():
            closing[account] += net
        assert sum(closing.values()) == opening + income - expense, "R2: the books balance"
        seal_position, seal_hash = ctx.chain_head or (None, None)
        self.trigger_event(
            self.PeriodClosed,
            period=period,
            opening_fen=opening,
            income_fen=income,
            expense_fen=expense,
            closing_fen=opening + income - expense,
            cash_fen=closing["cash"],
            bank_fen=closing["bank"],
            closed_on=ctx.today,
            recorded_by=ctx.recorded_by,
            reviewed_by=check_optional_text("reviewed_by", reviewed_by, max_len=REF_LEN_MAX),
            request_id=ctx.request_id,
            seal_position=seal_position,
            seal_hash=seal_hash,
        )

    def close_periods_through(
        self: FundCore, ctx: Context, *, period: str, reviewed_by: str | None = None
    ) -> list[str]:
        """Close every open month up to and including ``period``, in order (one event each)."""
        self._check_poster(ctx)
        last = check_period(period)
        closed: list[str] = []
        while self.first_open_period() <= last:
            closed.append(self.first_open_period())
            self.close_period(ctx, period=closed[-1], reviewed_by=reviewed_by)
        if not closed:
            raise errors.PeriodCloseOutOfOrder(period=last, expected=self.first_open_period())
        return closed

    # --- mutator (run on every replay: no checks, no clocks) ---------------------------------
    def _close(self: FundCore, event: Closing.PeriodClosed) -> None:
        self.closed_through = event.period
        self.closed_balances_fen = {"cash": event.cash_fen, "bank": event.bank_fen}
        self.open_days = day_balances.after_period(self.open_days, event.period)
        self.period_totals.pop(event.period, None)
        year = event.period[:4]
        if event.period.endswith("-12"):  # a new fiscal year: last year's vouchers are final
            self.vouchers = {k: v for k, v in self.vouchers.items() if k[:4] > year}
