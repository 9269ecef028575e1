"""The one Typer app of ``fundbook`` and what every command group shares: the ``--db`` option,
opening the books, reporting a refused command, reading a fund and a date from the command line.

The command groups (``commands``, ``audit``, ``backup``, ``custody``, ``setup``) register onto
``app``; ``ledger.cli.program`` imports them all. Nothing here imports a command group, so the
imports point one way: program → groups → root.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from ledger.application import Ledger
from ledger.application.bootstrap import DatabaseUrlInvalid, build_ledger, build_views
from ledger.cli.progress import progress_if_long
from ledger.config import Settings
from ledger.domain.errors import DateInvalid, FundNotFound, LedgerError
from ledger.projections import queries, runner
from ledger.projections.store import ViewStore

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


def settings_for(db: Path | None) -> Settings:
    return Settings(database_url=f"sqlite:///{db}") if db is not None else Settings()


def open_ledger(db: Path | None) -> Ledger:
    try:
        return build_ledger(settings_for(db))
    except DatabaseUrlInvalid as error:
        typer.secho(f"fundbook: {error}", fg="red", err=True)
        raise typer.Exit(2) from None


@contextmanager
def open_books(db: Path | None, *, catch_up: bool = True) -> Iterator[tuple[Ledger, ViewStore]]:
    """The Ledger and its views, brought up to date first (read commands read the views)."""
    ledger = open_ledger(db)
    views = build_views(settings_for(db))
    try:
        if catch_up and not settings_for(db).read_only:  # on a standby the primary's worker does it
            with progress_if_long() as progress:  # from far behind, a rebuild beside (ADR 0180)
                runner.catch_up_at_open(views, progress=progress)
        yield ledger, views
    except LedgerError as error:
        typer.secho(f"fundbook: {error.code}: {error.message}", fg="red", err=True)
        raise typer.Exit(1) from None
    finally:
        views.close()
        ledger.close()


@contextmanager
def writing_ledger(db: Path | None) -> Iterator[Ledger]:
    """The Ledger for a writing command; a refused command ends in one line and exit code 1."""
    ledger = open_ledger(db)
    try:
        yield ledger
    except LedgerError as error:
        typer.secho(f"fundbook: {error.code}: {error.message}", fg="red", err=True)
        raise typer.Exit(1) from None
    finally:
        ledger.close()


def resolve_fund(views: ViewStore, text: str) -> str:
    """A fund named on the command line by its id or its Chinese name."""
    for b in queries.fund_balances(views):
        if text in (b.fund_id, b.name_zh):
            return b.fund_id
    raise FundNotFound(fund_id=text)


def parse_date(text: str, field: str = "as_of") -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DateInvalid(field=field, value=text) from None
