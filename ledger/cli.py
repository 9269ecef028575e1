"""The ``fundbook`` command.

    fundbook demo [--db PATH]       load the deterministic demo into an empty database
    fundbook balances [--db PATH]   each fund's income, expense and balance, and the totals

``--db PATH`` is a shortcut for ``FUNDBOOK_DATABASE_URL=sqlite:///PATH``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ledger.application import Ledger
from ledger.bootstrap import DatabaseUrlInvalid, build_ledger
from ledger.config import Settings
from ledger.domain.errors import LedgerError
from ledger.money import format_amount, to_capital
from ledger.projections.fund_summary import FundSummary, fold, read_events

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="fundbook: ledgers of mutual-aid and activity funds",
)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="SQLite file (default: FUNDBOOK_DATABASE_URL or ./fundbook.db)"),
]


def open_ledger(db: Path | None) -> Ledger:
    settings = Settings(database_url=f"sqlite:///{db}") if db is not None else Settings()
    try:
        return build_ledger(settings)
    except DatabaseUrlInvalid as error:
        typer.secho(f"fundbook: {error}", fg="red", err=True)
        raise typer.Exit(2) from None


@app.command()
def demo(db: DbOption = None) -> None:
    """Load the demo (DESIGN.md §1) into an empty database."""
    from ledger.demo import load_demo

    ledger = open_ledger(db)
    if ledger.recorder.max_notification_id():
        typer.secho(
            "fundbook: the database is not empty; the demo loads only into an empty one "
            "(数据库非空，演示数据只能载入空库)",
            fg="red",
            err=True,
        )
        raise typer.Exit(1)
    with typer.progressbar(length=1, label="loading demo 载入演示数据", file=None) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(1)

        result = load_demo(ledger, progress)
    typer.echo(
        f"demo loaded: {len(result.orgs)} organisations, {len(result.members)} members, "
        f"{len(result.funds)} funds, {ledger.recorder.max_notification_id()} events"
    )
    ledger.close()


@app.command()
def balances(db: DbOption = None) -> None:
    """Print each fund's income, expense and balance, then the totals."""
    ledger = open_ledger(db)
    summaries = fold(read_events(ledger))
    ledger.close()
    if not summaries:
        typer.echo("no funds yet (尚无基金): run `fundbook demo` to load the demo")
        return
    header = (
        f"{_pad('基金 fund', 28)}{'kind':<17}{'收入 income':>15}{'支出 expense':>15}"
        f"{'余额 balance':>15}{'可用 available':>16}"
    )
    typer.echo(header)
    for s in summaries.values():
        typer.echo(
            f"{_pad(s.name_zh, 28)}{s.kind:<17}{format_amount(s.income_fen):>15}"
            f"{format_amount(s.expense_fen):>15}{format_amount(s.balance_fen):>15}"
            f"{format_amount(s.available_fen):>16}"
        )
    _print_totals(list(summaries.values()))


def _print_totals(funds: list[FundSummary]) -> None:
    total = sum(s.balance_fen for s in funds)
    typer.echo(f"\n合计 total balance: {format_amount(total)}  ({to_capital(total)})")
    aid = [s for s in funds if s.kind == "mutual_aid"]
    donated = sum(s.totals_fen.get("donation:member", 0) for s in aid)
    donors = len(set().union(*(s.donors for s in aid))) if aid else 0
    payments = sum(s.counts.get("expense:hardship_aid", 0) for s in aid)
    paid = sum(s.totals_fen.get("expense:hardship_aid", 0) for s in aid)
    typer.echo(
        f"互助金 mutual aid: {donors} contributing members donated {format_amount(donated)}; "
        f"{payments} aid payments, {format_amount(paid)}"
    )
    activity = [s for s in funds if s.kind == "activity"]
    rebates = sum(s.totals_fen.get("grant:dues_rebate", 0) for s in activity)
    guarantees = sum(s.totals_fen.get("grant:unit_guarantee", 0) for s in activity)
    fiscal = sum(s.totals_fen.get("grant:fiscal", 0) for s in activity)
    stipends = sum(s.totals_fen.get("StipendPaid", 0) for s in activity)
    typer.echo(
        f"活动经费 activity funds: dues rebates {format_amount(rebates)} + unit guarantees "
        f"{format_amount(guarantees)} = {format_amount(rebates + guarantees)}; fiscal grants "
        f"{format_amount(fiscal)}; stipends paid {format_amount(stipends)} "
        f"({sum(s.counts.get('StipendPaid', 0) for s in activity)} payments)"
    )
    special = [s for s in funds if s.kind == "special_project"]
    typer.echo(
        f"专项经费 special funds: received {format_amount(sum(s.income_fen for s in special))}, "
        f"spent {format_amount(sum(s.expense_fen for s in special))}"
    )
    reversals = sum(s.counts.get("reversal", 0) for s in funds)
    typer.echo(f"红字冲销 reversals: {reversals}")


def _pad(text: str, width: int) -> str:
    """Pad to a display width, counting a CJK character as two columns."""
    shown = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return text + " " * max(1, width - shown)


def main() -> None:
    try:
        app()
    except LedgerError as error:
        typer.secho(f"fundbook: {error.code}: {error.message}", fg="red", err=True)
        raise SystemExit(1) from None
