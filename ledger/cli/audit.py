"""The auditor's commands of ``fundbook`` (registered by ``ledger.cli``).

fundbook verify [--seal FP]… [--log FILE]   chain, seals, invariants, views; exit 1 on any violation
fundbook export jsonl|hledger|beancount     the event log, or a journal other tools re-check
fundbook history --fund ID | --person ID    who recorded what, when, for which business date
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ledger.cli.root import DbOption, app, open_books, parse_date, resolve_fund

if TYPE_CHECKING:
    from ledger.audit.verify import Report

# The audit machinery (the fresh fold, the reference fold, the log's reader) is imported inside
# the commands that use it, so that no other `fundbook` process loads it at start (ADR 0216).

export_app = typer.Typer(no_args_is_help=True, help="export the books for an auditor's own tools")
app.add_typer(export_app, name="export")

OutOption = Annotated[
    Path | None, typer.Option("--out", "-o", help="file to write (default: standard output)")
]


def print_progress(done: int) -> None:
    typer.echo(f"  … {done} events checked", err=True)


@app.command()
def verify(
    db: DbOption = None,
    seal: Annotated[
        list[str] | None, typer.Option("--seal", help="a fingerprint read off a printed notice (repeatable)")
    ] = None,
    log: Annotated[Path | None, typer.Option("--log", help="check an exported JSONL log, offline")] = None,
) -> None:
    """Recompute the hash chain, check every seal and invariant, compare every view with a
    fresh fold. Prints every violation with its log position; exits 1 if there is any."""
    from ledger.audit.fresh_fold import verify_store
    from ledger.audit.log import verify_file

    prints = list(seal or [])
    if log is not None:
        typer.echo(f"verifying {log} (offline) …", err=True)
        report = verify_file(log, fingerprints=prints, progress=print_progress)
    else:
        with open_books(db) as (ledger, views):
            typer.echo("verifying the database …", err=True)
            report = verify_store(
                views, ledger.mapper.to_domain_event, fingerprints=prints, progress=print_progress
            )
    print_report(report)
    if not report.ok:
        raise typer.Exit(1)


def print_report(report: Report) -> None:
    typer.echo(
        f"{report.events} events; chain head at position {report.head.position}: {report.head.hex}\n"
        f"{report.seals_checked} seals checked"
    )
    if report.redacted:
        typer.echo(
            f"{report.redacted} events carry a secret the export leaves out: "
            "their links are taken as recorded, each checked by the next (ADR 0060)"
        )
    for printed, position in report.fingerprints.items():
        if position is not None:
            typer.echo(f"fingerprint {printed}: the chain at position {position} (history up to it intact)")
    for violation in report.violations:
        typer.echo(f"VIOLATION {violation.line()}")
    if report.ok:
        typer.echo("OK: no violation (未发现问题)")
    else:
        typer.echo(f"{len(report.violations)} violations (发现问题)")


@export_app.command("jsonl")
def export_jsonl_command(db: DbOption = None, out: OutOption = None) -> None:
    """The event log, one JSON object per line, with the recorded chain (for verify --log)."""
    from ledger.audit.log import export_jsonl

    with open_books(db) as (_, live), live.snapshot() as views:  # one log position (ADR 0185)
        if out is None:
            count = export_jsonl(views, sys.stdout.buffer)
        else:
            with out.open("wb") as handle:
                count = export_jsonl(views, handle)
    typer.echo(f"exported {count} events", err=True)


def _books(views, ledger):
    from eventsourcing.persistence import StoredEvent

    from ledger.audit.log import stored_rows
    from ledger.exports.books import build

    decode = ledger.mapper.to_domain_event
    events = [
        (r.position, decode(StoredEvent(r.originator_id, r.version, r.topic, r.state)))
        for r in stored_rows(views)
    ]
    return build(views, events)


def _write(lines: Iterator[str], out: Path | None) -> None:
    """The export's lines, written as they come (ADR 0185)."""
    from ledger.exports.books import chunks

    if out is None:
        for chunk in chunks(lines):
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        return
    with out.open("wb") as handle:
        for chunk in chunks(lines):
            handle.write(chunk)


@export_app.command("hledger")
def export_hledger(db: DbOption = None, out: OutOption = None) -> None:
    """An hledger journal: one account per fund, assertions at every month end."""
    from ledger.exports import hledger

    with open_books(db) as (ledger, live), live.snapshot() as views:
        _write(hledger.lines(_books(views, ledger)), out)


@export_app.command("beancount")
def export_beancount(db: DbOption = None, out: OutOption = None) -> None:
    """A Beancount file: one account per fund, balances asserted the day after each month end."""
    from ledger.exports import beancount

    with open_books(db) as (ledger, live), live.snapshot() as views:
        _write(beancount.lines(_books(views, ledger)), out)


@app.command()
def history(
    db: DbOption = None,
    fund: Annotated[str | None, typer.Option("--fund", help="fund id or its exact name")] = None,
    person: Annotated[str | None, typer.Option("--person", help="person id")] = None,
) -> None:
    """Who recorded what: a fund's events, or every event about a person, with the acting user,
    the time of recording (UTC) and the business date."""
    from ledger.audit.history import history as events_of
    from ledger.domain.money import format_amount

    if (fund is None) == (person is None):
        typer.secho("fundbook: give exactly one of --fund or --person", fg="red", err=True)
        raise typer.Exit(2)
    with open_books(db) as (ledger, views):
        fund_id = resolve_fund(views, fund) if fund is not None else None
        person_id = str(ledger.person(person).id) if person is not None else None
        entries = list(events_of(views, fund_id=fund_id, person_id=person_id))
    typer.echo(f"{'position':>8}  {'recorded (UTC)':<19}  {'date':<10}  {'actor':<36}  event")
    for e in entries:
        money = f" {e.voucher_no} {format_amount(e.amount_fen)}" if e.amount_fen is not None else ""
        typer.echo(
            f"{e.position:>8}  {(e.recorded_at or '')[:19]:<19}  {e.business_date or '':<10}  "
            f"{e.actor or '':<36}  {e.topic.removeprefix('fundbook:')}{money}"
            + (f"  request {e.request_id}" if e.request_id else "")
        )
    typer.echo(f"{len(entries)} events")


@app.command("as-at")
def as_at(
    position: Annotated[int, typer.Argument(min=0, help="log position, e.g. a close's seal_position")],
    db: DbOption = None,
    statement: Annotated[
        tuple[str, str] | None, typer.Option(help="FUND PERIOD: a statement as the log stood then")
    ] = None,
    rollups: Annotated[str | None, typer.Option(help="YYYY-MM-DD: organisation rollups on that date")] = None,
) -> None:
    """Statements and rollups as the log stood at a position: the events up to it, folded afresh
    by the independent reference fold (an auditor's re-check, slow on purpose; balances at a
    position come from the views: ``fundbook balances --at-position``)."""
    from ledger.domain.money import format_amount
    from ledger.projections.reference import Reference, read_events

    with open_books(db) as (ledger, views):
        fund_id = resolve_fund(views, statement[0]) if statement else None
        reference = Reference([(p, e) for p, e in read_events(ledger) if p <= position])
    typer.echo(f"as the log stood at position {position}")
    if statement and fund_id:
        if fund_id not in reference.funds:
            typer.secho(f"fundbook: fund_not_found: {fund_id} at position {position}", fg="red", err=True)
            raise typer.Exit(1)
        st = reference.statement(fund_id, statement[1])
        typer.echo(
            f"{statement[1]}{'' if st.closed else ' (provisional)'}: "
            f"opening {format_amount(st.opening_fen)}, "
            f"income {format_amount(st.income_fen)}, expense {format_amount(st.expense_fen)}, "
            f"closing {format_amount(st.closing_fen)} (bank {format_amount(st.bank_fen)}, "
            f"cash {format_amount(st.cash_fen)}); {len(st.rows)} vouchers"
        )
    if rollups:
        for org in reference.rollups(parse_date(rollups)).values():
            typer.echo(f"{org.name_zh}: {format_amount(org.total_all_fen)}")
