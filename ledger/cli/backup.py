"""Backup and restore commands of ``fundbook`` (registered by ``ledger.cli``; ADR 0053).

fundbook backup FILE    a consistent copy of the books while the server writes; prints its chain head
fundbook restore FILE   fill an EMPTY store from a backup, rebuild the views, verify
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ledger.application import backup as backups
from ledger.application.bootstrap import build_views
from ledger.cli.audit import print_progress, print_report
from ledger.cli.root import DbOption, app, open_books, open_ledger, settings_for
from ledger.projections import runner

FileArgument = Annotated[Path, typer.Argument(help="the backup file (a SQLite file)")]


@app.command()
def backup(file: FileArgument, db: DbOption = None) -> None:
    """Copy every stored event into FILE, consistently, while the server writes (SQLite: the
    online backup of the whole file; PostgreSQL: one repeatable-read transaction). Prints the
    chain head it holds: compare it with `fundbook verify`."""
    views = build_views(settings_for(db), create=False)
    try:
        taken = backups.take(views, file)
    finally:
        views.close()
    typer.echo(
        f"backup 备份 {taken.path}: {taken.events} events; chain head at position "
        f"{taken.head.position}: {taken.head.hex}"
    )


@app.command()
def restore(file: FileArgument, db: DbOption = None) -> None:
    """Fill an EMPTY store with the events of a backup (a store that holds any event is
    refused, and nothing is written), rebuild every view, then verify the chain, the seals, the
    invariants and the views. Exits 1 if verification finds anything."""
    from ledger.audit.fresh_fold import verify_store  # only here: its import is costly (ADR 0216)

    backups.open_backup(file).close()  # a missing or foreign file: refused before anything is made
    open_ledger(db).close()  # the event tables, in a new store (nothing changes in an existing one)
    views = build_views(settings_for(db), create=False)
    try:
        restored = backups.restore(views, file)
    finally:
        views.close()
    typer.echo(
        f"restored 已恢复 {restored.events} events; chain head at position "
        f"{restored.head.position}: {restored.head.hex}"
    )
    with open_books(db, catch_up=False) as (ledger, views):
        count = runner.rebuild(views)
        typer.echo(f"views rebuilt 视图已重建 from {count} events; verifying 校验中 …", err=True)
        report = verify_store(views, ledger.mapper.to_domain_event, fingerprints=[], progress=print_progress)
    print_report(report)
    if report.head != restored.head:
        typer.secho(
            "fundbook: 恢复后的链头与备份不符 the restored chain head differs from the backup's",
            fg="red",
            err=True,
        )
        raise typer.Exit(1)
    if not report.ok:
        raise typer.Exit(1)
