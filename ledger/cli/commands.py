"""The ``fundbook`` command's own groups (registered on ``ledger.cli.root.app``; the program in
``ledger.cli.program`` imports every group).

    fundbook init                   set up an empty store: first organisation and administrator
    fundbook demo                   load the deterministic demo into an empty database
    fundbook balances [--as-of D] [--at-position P]   each fund's balances, and the totals
    fundbook journal FUND           a fund's vouchers with the running balance
    fundbook statement FUND PERIOD  a month's, quarter's or year's statement
    fundbook rebuild                rebuild every view from the events beside the live ones, then swap
    fundbook project [--follow]     bring the views up to date (and keep following)
    fundbook serve [--demo]         the HTTP API on 127.0.0.1:8000 (--read-only: a read replica)
    fundbook user add …             a role for a person's login, and a new token
    fundbook import FILE            a paper book's entries from CSV, XLSX or JSONL (all or nothing)
    fundbook board export …         a noticeboard statement as PDF, CSV, XLSX, JSON or HTML
    fundbook aid apply|sign|pay|object|answer|list   aid cases (申请-审批-公示-发放)
    fundbook stipends-due ORG       months due and unpaid per office holder
    fundbook collection FUND        a collection's participants: owed, paid, refunded
    fundbook roll enrol|leave|contribution|pay|waive|show   the mutual-aid roll (ADR 0130)
    fundbook income --from Y [--to Y]   income by kind per organisation over whole years
    fundbook handover record|list   custody handovers (移交, R22; ``ledger.cli.custody``)
    fundbook assets gift|register|write-off|list   gifts in kind and the asset register (ADR 0140)
    fundbook dues settings|base|pay|reverse|hand-up|rebate|show   party dues (``ledger.cli.dues``)
    fundbook verify | export | history   the auditor's commands (``ledger.cli.audit``)
    fundbook backup FILE | restore FILE  a consistent copy; fill an empty store (``ledger.cli.backup``)

``--db PATH`` is a shortcut for ``FUNDBOOK_DATABASE_URL=sqlite:///PATH``.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from ledger.application.bootstrap import DatabaseUrlInvalid, StoreNotReady, build_views, check_read_only_store
from ledger.cli.progress import progress_if_long
from ledger.cli.root import (
    DbOption,
    app,
    open_books,
    open_ledger,
    parse_date,
    resolve_fund,
    settings_for,
    writing_ledger,
)
from ledger.config import Settings
from ledger.domain.context import SYSTEM_ACTOR
from ledger.domain.errors import LedgerError, ValueNotAllowed
from ledger.domain.money import format_amount, parse_amount, to_capital
from ledger.domain.periods import voucher_display
from ledger.projections import income, queries, roll, runner
from ledger.projections.schema import VIEW_NAMES

WORKER_HEALTHCHECK_S = 60


@app.command()
def demo(db: DbOption = None) -> None:
    """Load the demo (docs/concepts/practice.md) into an empty database."""
    from ledger.application.demo import load_demo

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
def balances(
    db: DbOption = None,
    as_of: Annotated[str | None, typer.Option(help="business date YYYY-MM-DD")] = None,
    at_position: Annotated[
        int | None, typer.Option(min=0, help="as the log stood at this position (an auditor's re-check)")
    ] = None,
) -> None:
    """Print each fund's income, expense and balance (now, or as of a date and/or a log
    position), then the totals."""
    day = parse_date(as_of) if as_of else None
    with open_books(db) as (_, views):
        rows = queries.fund_balances(views, as_of=day, at_position=at_position)
        totals = queries.entry_totals(views) if day is None and at_position is None else []
    if not rows:
        typer.echo("no funds yet (尚无基金): run `fundbook demo` to load the demo")
        return
    typer.echo(
        f"{_pad('基金 fund', 28)}{'kind':<17}{'收入 income':>15}{'支出 expense':>15}"
        f"{'余额 balance':>15}{'可用 available':>16}"
    )
    for b in rows:
        typer.echo(
            f"{_pad(b.name_zh, 28)}{b.kind:<17}{format_amount(b.income_fen):>15}"
            f"{format_amount(b.expense_fen):>15}{format_amount(b.balance_fen):>15}"
            f"{format_amount(b.available_fen):>16}"
        )
    total = sum(b.balance_fen for b in rows)
    typer.echo(f"\n合计 total balance: {format_amount(total)}  ({to_capital(total)})")
    if totals:
        _print_totals({b.fund_id: b.kind for b in rows}, totals)


def _print_totals(kinds: dict[str, str], totals: list[queries.EntryTotal]) -> None:
    def pick(fund_kind: str, entry_kinds: tuple[str, ...], category: str | None = None):
        return [
            t
            for t in totals
            if kinds[t.fund_id] == fund_kind
            and t.entry_kind in entry_kinds
            and (category is None or t.category == category)
        ]

    gifts = pick("mutual_aid", ("donation", "reversal"), "member")
    donors = sum(t.people for t in pick("mutual_aid", ("donation",), "member"))
    aid = pick("mutual_aid", ("aid",))  # every aid payment comes from an aid case
    typer.echo(
        f"互助金 mutual aid: {donors} contributing members donated "
        f"{format_amount(sum(t.income_fen for t in gifts))}; {sum(t.count for t in aid)} aid "
        f"payments, {format_amount(sum(t.expense_fen for t in aid))}"
    )
    rebates = sum(t.income_fen for t in pick("activity", ("grant", "reversal"), "dues_rebate"))
    guarantees = sum(t.income_fen for t in pick("activity", ("grant", "reversal"), "unit_guarantee"))
    fiscal = sum(t.income_fen for t in pick("activity", ("grant", "reversal"), "fiscal"))
    stipends = pick("activity", ("stipend",))
    typer.echo(
        f"活动经费 activity funds: dues rebates {format_amount(rebates)} + unit guarantees "
        f"{format_amount(guarantees)} = {format_amount(rebates + guarantees)}; fiscal grants "
        f"{format_amount(fiscal)}; stipends paid {format_amount(sum(t.expense_fen for t in stipends))} "
        f"({sum(t.count for t in stipends)} payments)"
    )
    special = [t for t in totals if kinds[t.fund_id] == "special_project"]
    typer.echo(
        f"专项经费 special funds: received {format_amount(sum(t.income_fen for t in special))}, "
        f"spent {format_amount(sum(t.expense_fen for t in special))}"
    )
    typer.echo(f"红字冲销 reversals: {sum(t.count for t in totals if t.entry_kind == 'reversal')}")


@app.command()
def rebuild(
    db: DbOption = None,
    digest: Annotated[
        bool, typer.Option("--digest", help="also print a digest of every view, to compare two rebuilds")
    ] = False,
) -> None:
    """Rebuild every view from the events beside the live ones, then swap them in (safe while a
    server serves; the result equals the incremental one)."""
    with open_books(db, catch_up=False) as (_, views):
        total = views.max_event_position()
        with typer.progressbar(length=max(total, 1), label="rebuilding views 重建视图") as bar:
            done = {"n": 0}

            def progress(n: int, _: int) -> None:
                bar.update(n - done["n"])
                done["n"] = n

            count = runner.rebuild(views, progress=progress)
        typer.echo(f"rebuilt {len(VIEW_NAMES)} views from {count} events")
        if digest:  # reads every row of every view again: about 40 % on top of a 1M-event rebuild
            typer.echo(f"digest {views.digest()}")


@app.command()
def project(
    db: DbOption = None,
    follow: Annotated[bool, typer.Option("--follow", help="keep following new events")] = False,
    poll_s: Annotated[float, typer.Option(help="seconds between polls when idle")] = 0.5,
    batch_size: Annotated[
        int, typer.Option(min=1, max=100_000, help="events per transaction")
    ] = runner.BATCH_SIZE,
) -> None:
    """Bring the views up to date; with --follow, keep doing so until stopped (Ctrl-C)."""
    with open_books(db, catch_up=False) as (_, views):
        try:  # Ctrl-C at any moment, the first catch-up included, stops cleanly (a batch commits whole)
            with progress_if_long() as progress:  # from far behind, a rebuild beside (ADR 0180)
                n = runner.catch_up_at_open(views, batch_size=batch_size, progress=progress)
            typer.echo(f"views at position {views.position()} (+{n} events)")
            while follow:
                n = runner.catch_up(views, batch_size=batch_size)
                if n:
                    typer.echo(f"views at position {views.position()} (+{n} events)")
                else:
                    time.sleep(poll_s)
        except KeyboardInterrupt:
            typer.echo("stopped")


@app.command()
def journal(
    fund: Annotated[str, typer.Argument(help="fund id or its exact name")],
    db: DbOption = None,
    period: Annotated[str | None, typer.Option(help="2024-07, 2024-Q3 or 2024")] = None,
    page: int = 1,
    page_size: int = 50,
) -> None:
    """A fund's vouchers with the running balance."""
    with open_books(db) as (_, views):
        fund_id = resolve_fund(views, fund)
        result = queries.journal(
            views, fund_id, period_from=period, period_to=period, page=page, page_size=page_size
        )
    for row in result.rows:
        typer.echo(
            f"{row['occurred_on']}  {voucher_display(row['voucher_no'])}  {row['entry_kind']:<12}"
            f"{format_amount(row['income_fen']) if row['income_fen'] else '':>12}"
            f"{format_amount(row['expense_fen']) if row['expense_fen'] else '':>12}"
            f"{format_amount(row['balance_fen']):>14}  {row['memo'] or ''}"
        )
    typer.echo(
        f"page {result.page} of {max(1, -(-result.count // result.page_size))}, {result.count} vouchers"
    )


@app.command()
def statement(
    fund: Annotated[str, typer.Argument(help="fund id or its exact name")],
    period: Annotated[str, typer.Argument(help="2024-07, 2024-Q3 or 2024")],
    db: DbOption = None,
) -> None:
    """A fund's statement for a month, quarter or year: the noticeboard's figures."""
    with open_books(db) as (_, views):
        st = queries.statement(views, resolve_fund(views, fund), period)
    typer.echo(f"{st.fund['name_zh']} {period} {'' if st.closed else '（未结账，临时 provisional）'}")
    typer.echo(f"上期结余 opening  {format_amount(st.opening_fen):>14}  {to_capital(st.opening_fen)}")
    typer.echo(f"本期收入 income   {format_amount(st.income_fen):>14}  {_capital(st.income_fen)}")
    typer.echo(f"本期支出 expense  {format_amount(st.expense_fen):>14}  {_capital(st.expense_fen)}")
    typer.echo(f"本期结余 closing  {format_amount(st.closing_fen):>14}  {to_capital(st.closing_fen)}")
    typer.echo(
        f"其中银行存款 bank {format_amount(st.bank_fen)}，库存现金 cash {format_amount(st.cash_fen)}；"
        f"{len(st.rows)} vouchers"
    )


@app.command()
def serve(
    db: DbOption = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[int, typer.Option(help="API processes (more than one needs PostgreSQL)")] = 1,
    demo: Annotated[bool, typer.Option("--demo", help="load the demo first if the store is empty")] = False,
    read_only: Annotated[
        bool,
        typer.Option(
            "--read-only",
            help="a read replica (FUNDBOOK_READ_ONLY=1): create nothing, refuse all but GET and HEAD",
        ),
    ] = False,
) -> None:
    """Run the HTTP API (interactive docs at /docs, health at /health)."""
    import os

    import uvicorn

    from ledger.api import stack_dumps  # the app's package: serving loads it anyway

    if db is not None:
        os.environ["FUNDBOOK_DATABASE_URL"] = f"sqlite:///{db}"
    if read_only:
        os.environ["FUNDBOOK_READ_ONLY"] = "1"  # read by every worker's Settings
    if settings_for(db).read_only:
        _check_replica(db, demo)
    else:
        _prepare_primary(db, demo, host, port)
    # A worker whose loop is starved of CPU for a few seconds (2 cores, a burst of writes) is not
    # dead: uvicorn's default 5 s health check would kill it and reset its connections.
    # X-Forwarded-For is believed only from FUNDBOOK_TRUSTED_PROXIES (default none): uvicorn's
    # own default trusts any client on 127.0.0.1, which let a local caller pick its address.
    proxies = settings_for(db).trusted_proxies.strip()
    stack_dumps.install()  # kill -USR1 <pid>: every thread's stack to the log (one worker)
    uvicorn.run(
        "ledger.api:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies or None,
    )


def _check_replica(db: Path | None, demo: bool) -> None:
    """A read replica creates nothing: it starts only on books the primary made (ADR 0012)."""
    if demo:
        typer.secho(
            "fundbook: --demo writes; a --read-only server cannot (只读模式不能载入演示数据)",
            fg="red",
            err=True,
        )
        raise typer.Exit(2)
    try:
        position = check_read_only_store(settings_for(db))
    except DatabaseUrlInvalid as error:
        typer.secho(f"fundbook: {error}", fg="red", err=True)
        raise typer.Exit(2) from None
    except StoreNotReady as error:
        typer.secho(
            f"fundbook: read-only start refused: {error}.\n"
            "A read-only server creates no table: start `fundbook serve` once on the primary, let "
            "the standby replicate it, then start this one again.\n"
            "只读模式不建表：请先在主库上启动一次 fundbook serve，待备库同步后再启动。",
            fg="red",
            err=True,
        )
        raise typer.Exit(1) from None
    typer.echo(f"read-only replica 只读副本: views at position {position}; writes are refused")


def _prepare_primary(db: Path | None, demo: bool, host: str, port: int) -> None:
    """The demo if asked for, and every table, made once before the workers start."""
    if demo:
        from ledger.application.demo import load_demo

        ledger = open_ledger(None)
        if not ledger.recorder.max_notification_id():
            typer.echo("loading the demo 载入演示数据 …")
            loaded = load_demo(ledger)
            user_id = ledger.register_user(actor="cli", person_id=loaded.people["community_secretary"])[
                "user_id"
            ]
            ledger.change_role(user_id, "grant", actor="cli", role="admin", org_id=loaded.orgs["street"])
            token, _ = ledger.issue_token(user_id, actor="cli")
            typer.echo(f"demo admin (周建国, admin of 红星街道党工委) token, shown once: {token}")
            typer.echo(f"try: curl -H 'Authorization: Bearer {token}' http://{host}:{port}/funds/balances")
        ledger.close()
    # Make the tables and catch the views up once here, before the workers start; the workers
    # then find the views ready (runner.prepare serialises it anyway, ADR 0052).
    open_ledger(db).close()
    with progress_if_long() as progress:
        build_views(settings_for(db), catch_up=settings_for(db).follow_views, progress=progress).close()


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="a .csv, .xlsx (noticeboard columns + 基金, 类别) or .jsonl")],
    db: DbOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="check every row, write nothing")] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="write the good rows; put the bad ones in a file")
    ] = False,
    actor: Annotated[str, typer.Option(help="who digitised the book (recorded on every entry)")] = "import",
) -> None:
    """Import a paper book's entries: all rows or none (unless --skip-invalid); re-running writes
    nothing new."""
    from ledger.application.bulk_import import read_file, write_rejected

    rows = read_file(file)
    typer.echo(f"read {len(rows)} rows from {file}", err=True)
    ledger = open_ledger(db)
    try:
        with typer.progressbar(length=len(rows), label="checking 校验", file=sys.stderr) as bar:
            last = [0]

            def advance(done: int, total: int) -> None:
                bar.update(done - last[0])
                last[0] = done

            result = ledger.import_rows(
                rows, actor=actor, dry_run=dry_run, skip_invalid=skip_invalid, progress=advance
            )
    finally:
        ledger.close()
    for line, error in result.rejected:
        typer.secho(f"line {line}: {error.code}: {error.message}", fg="red", err=True)
    if result.rejected and skip_invalid and not dry_run:
        rejected_path = write_rejected(file, rows, result.rejected)
        typer.echo(f"rejected rows written to {rejected_path}", err=True)
    verb = "would import" if dry_run else ("imported" if result.written else "imported nothing:")
    written = f"; log position {result.position}" if result.written else ""  # read it with min_position
    typer.echo(
        f"{verb} {len(result.accepted)} entries; {len(result.rejected)} rejected; "
        f"{len(result.already_imported)} already imported{written}"
    )
    if result.rejected and not (skip_invalid and not dry_run):
        raise typer.Exit(1)


user_app = typer.Typer(help="users, roles and tokens")
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    person: Annotated[str, typer.Option(help="the person's id")],
    role: Annotated[str, typer.Option(help="admin, bookkeeper, cashier, approver, auditor or member")],
    org: Annotated[str, typer.Option(help="the organisation (the role covers its subtree)")],
    db: DbOption = None,
) -> None:
    """Give a person's login a role and print a new token (shown once; only its hash is kept)."""
    ledger = open_ledger(db)
    try:
        actor = "cli"
        user_id = next(
            (
                str(uid)
                for uid in ledger.ids_of("fundbook:User.Registered")
                if ledger.user(uid).person_id == person
            ),
            None,
        )
        if user_id is None:
            user_id = ledger.register_user(actor=actor, person_id=person)["user_id"]
        if not any((g["role"], g["org_id"]) == (role, org) for g in ledger.user(user_id).grants):
            ledger.change_role(user_id, "grant", actor=actor, role=role, org_id=org)
        token, _ = ledger.issue_token(user_id, actor=actor)
    except LedgerError as error:
        typer.secho(f"fundbook: {error.code}: {error.message}", fg="red", err=True)
        raise typer.Exit(1) from None
    finally:
        ledger.close()
    typer.echo(f"user {user_id}: {role} of {org}")
    typer.echo(f"token (shown once, keep it safe): {token}")


@user_app.command("password")
def user_password(
    user: Annotated[str, typer.Option(help="the user's id (printed by user add)")],
    login: Annotated[str, typer.Option(help="the login name for the console")],
    db: DbOption = None,
) -> None:
    """Set a user's login name and password for the console (typed twice, never shown; only an
    scrypt hash is kept)."""
    password = typer.prompt("password 密码", hide_input=True, confirmation_prompt=True)
    with writing_ledger(db) as ledger:
        ledger.set_password(user, actor="cli", login=login, password=password)
    typer.echo(f"user {user}: password set for login {login.strip()}")


@user_app.command("tokens")
def user_tokens(
    user: Annotated[str, typer.Option(help="the user's id (printed by user add)")],
    db: DbOption = None,
) -> None:
    """List a user's tokens: id, when issued, until when, revoked or not (never a token)."""
    with writing_ledger(db) as ledger:
        rows = ledger.tokens(user, actor="cli")
    for row in rows:
        state = "revoked 已撤销" if row["revoked"] else "live 有效"
        until = f"  until {row['expires_at'][:19]}" if row["expires_at"] else ""
        typer.echo(f"{row['token_id']}  {row['issued_at'][:19]}  {state}{until}")


@user_app.command("revoke-token")
def user_revoke_token(
    user: Annotated[str, typer.Option(help="the user's id")],
    token: Annotated[str, typer.Option(help="the token's id (from user tokens)")],
    db: DbOption = None,
) -> None:
    """Revoke one token by its id (a lost phone, a leaked token): it stops working at once."""
    with writing_ledger(db) as ledger:
        ledger.revoke_token_id(user, token, actor="cli")
    typer.echo(f"user {user}: token {token} revoked")


board_app = typer.Typer(help="the public noticeboard (公示栏)")
app.add_typer(board_app, name="board")


@board_app.command("export")
def board_export(
    fund: Annotated[str, typer.Option(help="fund id or name")],
    period: Annotated[str, typer.Option(help="2024-07, 2024-Q3 or 2024")],
    format: Annotated[str, typer.Option(help="pdf, csv, xlsx, json or html")] = "pdf",
    lang: Annotated[str, typer.Option(help="zh or en")] = "zh",
    out: Annotated[Path | None, typer.Option(help="file to write (default: standard output)")] = None,
    db: DbOption = None,
) -> None:
    """The public statement of a fund for a period, as the noticeboard shows it (names masked)."""
    import sys

    from ledger.exports import formats, labels
    from ledger.exports import statement as board
    from ledger.exports.html import render_html, render_pdf

    with open_books(db) as (ledger, views):
        if format not in formats.FORMATS:
            raise ValueNotAllowed(field="format", value=format, allowed=", ".join(formats.FORMATS))
        lang = labels.check_lang(lang)
        fund_id = resolve_fund(views, fund)
        owner = queries.fund_meta(views, fund_id)["owner_org_id"]
        supervision = ledger.supervision_of(owner)
        if format in formats.STREAMED:  # written as the lines are read (ADR 0185)
            with board.streamed(views, fund_id, period, supervision=supervision) as (head, lines):
                if out is None:
                    formats.write_file(head, lines(), format, lang, sys.stdout.buffer)
                    sys.stdout.buffer.flush()
                    return
                with out.open("wb") as file:
                    formats.write_file(head, lines(), format, lang, file)
            typer.echo(f"{out}: {head.title(lang)}, {out.stat().st_size} bytes", err=True)
            return
        st = board.build(views, fund_id, period, supervision=supervision)
        base_url = Settings().public_base_url  # where the QR code sends a resident
        renderers = {
            "json": formats.to_json,
            "pdf": partial(render_pdf, base_url=base_url),
        }
        body = (
            render_html(st, lang, footer=False, base_url=base_url).encode()
            if format == "html"
            else renderers[format](st, lang)
        )
    if out is None:
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
    else:
        out.write_bytes(body)
        typer.echo(f"{out}: {st.title(lang)}, {len(body)} bytes", err=True)


# --- workflows (issue 5): aid cases, stipend schedules, collections --------------------------------
aid_app = typer.Typer(no_args_is_help=True, help="aid cases: apply, sign, pay, objections, lists")
app.add_typer(aid_app, name="aid")


@aid_app.command("apply")
def aid_apply(
    fund: Annotated[str, typer.Option(help="the fund's id")],
    beneficiary: Annotated[str, typer.Option(help="the beneficiary's person id")],
    amount: Annotated[str, typer.Option(help='requested amount, e.g. "400.00"')],
    reason: Annotated[str, typer.Option(help="the private reason (never shown publicly)")],
    category: Annotated[str, typer.Option(help="the public category, e.g. 慰问因病住院党员")],
    evidence: Annotated[list[str], typer.Option(help="an evidence reference (repeat for more)")],
    kind: Annotated[str, typer.Option(help="one_off, recurring, festival_visit, bereavement, …")] = "one_off",
    applicant: Annotated[
        str | None, typer.Option(help="the applicant's person id (default: beneficiary)")
    ] = None,
    consent: Annotated[bool, typer.Option(help="the beneficiary consents to be named")] = False,
    db: DbOption = None,
) -> None:
    """申请: record an aid application; prints the case id and the signatures it needs."""
    with writing_ledger(db) as ledger:
        result = ledger.apply_for_aid(
            actor="cli",
            fund_id=fund,
            beneficiary_person_id=beneficiary,
            applicant_person_id=applicant or beneficiary,
            aid_kind=kind,
            requested_fen=parse_amount(amount),
            reason_private=reason,
            reason_public_category=category,
            publicity_consent=consent,
            evidence_refs=evidence,
        ).result
    typer.echo(f"case {result['case_id']}: needs {result['signatures_required']} signature(s)")


@aid_app.command("sign")
def aid_sign(
    case: str,
    user: Annotated[str, typer.Option(help="the signing approver's user id")],
    decision_ref: Annotated[str | None, typer.Option(help="collective-decision reference")] = None,
    db: DbOption = None,
) -> None:
    """审批: one approver's signature (the last one approves and reserves the amount)."""
    with writing_ledger(db) as ledger:
        result = ledger.sign_aid_case(case, actor=user, decision_ref=decision_ref).result
    window = f", notice until {result['window_end']}" if result["window_end"] else ""
    typer.echo(
        f"case {case}: {result['status']} ({result['signatures']}/{result['signatures_required']}){window}"
    )


@aid_app.command("pay")
def aid_pay(
    case: str,
    paid_on: Annotated[str, typer.Option(help="business date of the payment (YYYY-MM-DD)")],
    by: Annotated[str, typer.Option(help="the paying cashier's user or person id")],
    doc_ref: Annotated[list[str], typer.Option(help="the signed receipt (repeat for more)")],
    db: DbOption = None,
) -> None:
    """发放: pay an approved case after its notice window (fund AidPaid + case Paid)."""
    with writing_ledger(db) as ledger:
        result = ledger.pay_aid_case(case, actor=by, paid_on=parse_date(paid_on), doc_refs=doc_ref).result
    typer.echo(f"case {case}: paid, voucher {voucher_display(result['voucher_no'])}")


@aid_app.command("object")
def aid_object(
    case: str,
    text: Annotated[str, typer.Option(help="the objection (kept private)")],
    by: Annotated[str | None, typer.Option(help="who objects (omit with --anonymous)")] = None,
    anonymous: Annotated[bool, typer.Option(help="store no identity")] = False,
    db: DbOption = None,
) -> None:
    """异议: raise an objection on a case (anonymously: no identity stored)."""
    with writing_ledger(db) as ledger:
        result = ledger.raise_aid_objection(case, actor=by or "cli", text=text, anonymous=anonymous).result
    typer.echo(f"case {case}: objection {result['objection_no']} raised")


@aid_app.command("answer")
def aid_answer(
    case: str,
    objection: str,
    user: Annotated[str, typer.Option(help="the answering approver's user id")],
    outcome: Annotated[str, typer.Option(help="upheld, partly_upheld or dismissed")],
    answer: Annotated[str, typer.Option(help="the answer (kept private)")],
    db: DbOption = None,
) -> None:
    """答复: an approver answers an objection (upheld cancels the case)."""
    with writing_ledger(db) as ledger:
        result = ledger.answer_aid_objection(
            case, actor=user, objection_no=objection, outcome=outcome, answer=answer
        ).result
    typer.echo(f"case {case}: objection {objection} {outcome}; case {result['status']}")


@aid_app.command("list")
def aid_list(
    status: Annotated[str | None, typer.Option(help="applied, approved, paid, rejected, cancelled")] = None,
    waiting_for: Annotated[str | None, typer.Option(help="a user id: cases that approver may sign")] = None,
    db: DbOption = None,
) -> None:
    """Aid cases (oldest first), or those waiting for one approver's signature."""
    with open_books(db) as (ledger, views):
        person = ledger.user(waiting_for).person_id if waiting_for else None
        page = queries.aid_cases(views, status=status, waiting_for_person=person, page_size=500)
        for row in page.rows:
            typer.echo(
                f"{row['case_id']}  {row['status']:<9}  {format_amount(row['requested_fen']):>10}  "
                f"{len(row['signed_by'])}/{row['signatures_required']}  {row['public_category']}"
            )
        typer.echo(f"{page.count} case(s)")


objections_app = typer.Typer(no_args_is_help=True, help="objections: escalate those past the service level")
app.add_typer(objections_app, name="objections")


@objections_app.command("escalate")
def objections_escalate(db: DbOption = None) -> None:
    """R36: escalate every objection unanswered past its fund's service level (default 10 days)
    to the organisation one level up, once. Run daily from cron; a second run records nothing."""
    with writing_ledger(db) as ledger:
        result = ledger.escalate_overdue_objections(actor=SYSTEM_ACTOR).result
    for row in result["escalated"]:
        typer.echo(f"escalated {_objection_label(row)} to {row['escalated_to_org_id']}")
    for row in result["not_escalated"]:
        typer.secho(f"overdue, no organisation above: {_objection_label(row)}", fg="yellow")
    typer.echo(f"{len(result['escalated'])} objection(s) escalated on {result['escalated_on']}")


def _objection_label(row: dict[str, str]) -> str:
    if "case_id" in row:
        return f"case {row['case_id']} objection {row['objection_no']}"
    return f"voucher {voucher_display(row['voucher_no'])} objection {row['objection_id']}"


# --- gifts in kind and the asset register (ADR 0140) ------------------------------------------------
assets_app = typer.Typer(
    no_args_is_help=True, help="gifts in kind and assets: gift, register, write-off, list"
)
app.add_typer(assets_app, name="assets")


@assets_app.command("gift")
def assets_gift(
    org: Annotated[str, typer.Option(help="the organisation's id")],
    on: Annotated[str, typer.Option(help="received on (YYYY-MM-DD)")],
    value: Annotated[str, typer.Option(help='the stated value, e.g. "8000.00"')],
    donor: Annotated[str, typer.Option(help="the donor, printed as recorded")],
    summary: Annotated[str, typer.Option(help="the public summary")],
    description: Annotated[str, typer.Option(help="internal description")],
    evidence: Annotated[list[str], typer.Option(help="an evidence reference (repeat for more)")],
    kind: Annotated[str, typer.Option(help="goods, or service (a supplier paid by the donor)")] = "goods",
    donor_kind: Annotated[
        str, typer.Option(help="partner_unit, company, member, resident, other")
    ] = "partner_unit",
    supplier: Annotated[str | None, typer.Option(help="a service: who the donor paid (internal)")] = None,
    by: Annotated[str, typer.Option(help="who records it (a user or person id)")] = "cli",
    db: DbOption = None,
) -> None:
    """实物捐赠: a gift in kind at its stated value; no cash or bank balance changes."""
    with writing_ledger(db) as ledger:
        result = ledger.receive_in_kind(
            org,
            actor=by,
            received_on=parse_date(on),
            kind=kind,
            value_fen=parse_amount(value),
            donor_kind=donor_kind,
            donor_name=donor,
            public_summary=summary,
            description=description,
            supplier=supplier,
            evidence_refs=evidence,
        ).result
    typer.echo(f"gift {result['gift_no']}: {format_amount(parse_amount(value))} in kind")


@assets_app.command("register")
def assets_register(
    org: Annotated[str, typer.Option(help="the organisation's id")],
    on: Annotated[str, typer.Option(help="acquired on (YYYY-MM-DD)")],
    value: Annotated[str, typer.Option(help='its value, e.g. "2980.00"')],
    name: Annotated[str, typer.Option(help="the public name, e.g. 打印机")],
    keeper: Annotated[str, typer.Option(help="the keeper's person id")],
    place: Annotated[str, typer.Option(help="where it is kept (internal)")],
    fund: Annotated[str | None, typer.Option(help="bought: the paying fund's id")] = None,
    voucher: Annotated[str | None, typer.Option(help="bought: its expense voucher, e.g. 202404-003")] = None,
    gift: Annotated[str | None, typer.Option(help="given: the gift of goods, e.g. K2024-001")] = None,
    by: Annotated[str, typer.Option(help="who records it (a user or person id)")] = "cli",
    db: DbOption = None,
) -> None:
    """资产登记: an asset bought on an expense voucher (--fund, --voucher) or given (--gift)."""
    source = {"source": "in_kind", "gift_no": gift} if gift else {"source": "purchase", "fund_id": fund}
    with writing_ledger(db) as ledger:
        result = ledger.register_asset(
            org,
            actor=by,
            acquired_on=parse_date(on),
            value_fen=parse_amount(value),
            public_name=name,
            keeper_person_id=keeper,
            place=place,
            voucher_no=voucher,
            **source,
        ).result
    typer.echo(f"asset {result['asset_no']}: {name} {format_amount(parse_amount(value))}")


@assets_app.command("write-off")
def assets_write_off(
    org: Annotated[str, typer.Option(help="the organisation's id")],
    asset: Annotated[str, typer.Option(help="the asset's number, e.g. A2024-001")],
    on: Annotated[str, typer.Option(help="written off on (YYYY-MM-DD)")],
    approver: Annotated[str, typer.Option(help="the approving person's id (not the keeper)")],
    reason: Annotated[str, typer.Option(help="why (internal)")],
    by: Annotated[str, typer.Option(help="who records it (a user or person id)")] = "cli",
    db: DbOption = None,
) -> None:
    """核销: write an asset off, approved by someone other than its keeper and the recorder."""
    with writing_ledger(db) as ledger:
        ledger.write_off_asset(
            org, actor=by, asset_no=asset, written_off_on=parse_date(on), approved_by=approver, reason=reason
        )
    typer.echo(f"asset {asset}: written off on {on}")


@assets_app.command("list")
def assets_list(org: str, db: DbOption = None) -> None:
    """An organisation's gifts in kind, then its assets (written-off ones marked)."""
    from ledger.projections import asset_queries

    with open_books(db) as (_, views):
        for g in asset_queries.gifts_in_kind(views, [org]):
            typer.echo(
                f"{g.gift_no}  {g.received_on}  {g.kind:<7}  {format_amount(g.value_fen):>12}  {g.donor_name}"
            )
        for a in asset_queries.assets(views, [org]):
            off = f"  written off {a.written_off_on}" if a.written_off_on else ""
            typer.echo(
                f"{a.asset_no}  {a.acquired_on}  {format_amount(a.value_fen):>12}  {a.public_name}{off}"
            )


@app.command("stipends-due")
def stipends_due(
    org: str,
    through: Annotated[str | None, typer.Option(help="last month counted (YYYY-MM)")] = None,
    db: DbOption = None,
) -> None:
    """Stipend schedule of an organisation: months due and unpaid per office holder."""
    with open_books(db) as (ledger, views):
        month = through or ledger.today().isoformat()[:7]
        for row in queries.stipend_schedule(views, through=month, org_id=org):
            unpaid = ", ".join(row.months_unpaid) or "—"
            typer.echo(
                f"{row.person_id}  {row.role}  {format_amount(row.monthly_fen)}/month  "
                f"due {len(row.months_due)}, unpaid {len(row.months_unpaid)} "
                f"({format_amount(row.unpaid_fen)}): {unpaid}"
            )


@app.command("collection")
def collection(fund: str, db: DbOption = None) -> None:
    """A collection's participants: owed, paid, refunded, outstanding; and its status."""
    with open_books(db) as (_, views):
        fund_id = resolve_fund(views, fund)
        typer.echo(f"status: {queries.collection_status(views, fund_id)}")
        for row in queries.collection_members(views, fund_id):
            typer.echo(
                f"{row.person_id}  owed {format_amount(row.owed_fen)}  paid {format_amount(row.paid_fen)}  "
                f"refunded {format_amount(row.refunded_fen)}  "
                f"outstanding {format_amount(row.outstanding_fen)}"
            )


roll_app = typer.Typer(
    no_args_is_help=True,
    help="the mutual-aid roll (互助会会员名册): enrol, leave, contribution, pay, waive, show",
)
app.add_typer(roll_app, name="roll")


@roll_app.command("contribution")
def roll_contribution(
    fund: str,
    year: int,
    amount: Annotated[str, typer.Option(help='the yearly contribution, e.g. "10.00"')],
    due: Annotated[str, typer.Option(help="the due date in that year (YYYY-MM-DD)")],
    charter: Annotated[str, typer.Option(help="the charter's article or decision")],
    by: Annotated[str, typer.Option(help="who records it (a user or person id)")] = "cli",
    db: DbOption = None,
) -> None:
    """年度会费: the charter's contribution for a year (amount and due date), once per year."""
    with writing_ledger(db) as ledger:
        due_on = parse_date(due, "due")
        amount_fen = parse_amount(amount)
        ledger.set_roll_contribution(
            fund, actor=by, year=year, amount_fen=amount_fen, due_on=due_on, charter_ref=charter
        )
    typer.echo(f"{year}: {amount} due {due}")


@roll_app.command("enrol")
def roll_enrol(
    fund: str,
    person: str,
    on: Annotated[str, typer.Option(help="the day enrolled (YYYY-MM-DD)")],
    by: Annotated[str, typer.Option(help="who records it")] = "cli",
    db: DbOption = None,
) -> None:
    """入会: a person joins the association's roll."""
    with writing_ledger(db) as ledger:
        ledger.enrol_in_roll(fund, actor=by, person_id=person, enrolled_on=parse_date(on, "on"))
    typer.echo(f"{person} enrolled on {on}")


@roll_app.command("leave")
def roll_leave(
    fund: str,
    person: str,
    on: Annotated[str, typer.Option(help="the last day on the roll (YYYY-MM-DD)")],
    reason: Annotated[str, typer.Option(help="why (kept internal)")],
    by: Annotated[str, typer.Option(help="who records it")] = "cli",
    db: DbOption = None,
) -> None:
    """退会: a member leaves the roll."""
    with writing_ledger(db) as ledger:
        ledger.leave_roll(fund, actor=by, person_id=person, left_on=parse_date(on, "on"), reason=reason)
    typer.echo(f"{person} left on {on}")


@roll_app.command("pay")
def roll_pay(
    fund: str,
    person: str,
    year: int,
    amount: Annotated[str, typer.Option(help='the donation, e.g. "10.00"')],
    on: Annotated[str, typer.Option(help="the day received (YYYY-MM-DD)")],
    receipt: Annotated[str, typer.Option(help="the receipt (收据) reference")],
    by: Annotated[str, typer.Option(help="who records it")] = "cli",
    db: DbOption = None,
) -> None:
    """缴纳会费: the member's donation to the fund, counted towards the year (one voucher)."""
    with writing_ledger(db) as ledger:
        result = ledger.pay_roll_contribution(
            fund, actor=by, person_id=person, year=year, occurred_on=parse_date(on, "on"),
            amount_fen=parse_amount(amount), receipt_no=receipt, doc_refs=[receipt],
        ).result  # fmt: skip
    typer.echo(f"{person} {year}: voucher {voucher_display(result['voucher_no'])}")


@roll_app.command("waive")
def roll_waive(
    fund: str,
    person: str,
    year: int,
    user: Annotated[str, typer.Option(help="the approving approver's user id")],
    reason: Annotated[str, typer.Option(help="the hardship (kept internal)")],
    db: DbOption = None,
) -> None:
    """困难减免: an approver of the fund's organisation waives a member's contribution for a year."""
    with writing_ledger(db) as ledger:
        ledger.waive_roll_contribution(fund, actor=user, person_id=person, year=year, reason=reason)
    typer.echo(f"{person} {year}: waived")


@roll_app.command("show")
def roll_show(
    fund: str,
    year: Annotated[int | None, typer.Option(help="the year (default: this year)")] = None,
    behind: Annotated[
        bool, typer.Option("--behind", help="only contributions owed past their due date")
    ] = False,
    db: DbOption = None,
) -> None:
    """Each member's status for a year (owed, paid, waived) and the vouchers that paid it; or,
    with --behind, who is behind in any year (internal: names)."""
    with open_books(db) as (ledger, views):
        fund_id = resolve_fund(views, fund)
        today = ledger.today()
        if behind:
            rows = roll.behind(views, fund_id, today)
        else:
            rows = roll.statuses(views, fund_id, year or today.year)
        for s in rows:
            vouchers = ", ".join(voucher_display(v) for v in s.vouchers) or "—"
            typer.echo(
                f"{s.year}  {_pad(s.name_zh, 12)}{s.status:<7} paid {format_amount(s.paid_fen)} "
                f"of {format_amount(s.amount_fen)}  {vouchers}"
            )
        found = roll.counts(views, fund_id, today)
        typer.echo(f"{found.members} member(s) on the roll; {found.paid_this_year} paid for {found.year}")


@app.command("income")
def income_report(
    from_year: Annotated[int, typer.Option("--from", help="first year (YYYY)")],
    to_year: Annotated[int | None, typer.Option("--to", help="last year (YYYY); default: this year")] = None,
    db: DbOption = None,
) -> None:
    """Income by kind of each organisation over whole years: dues rebates, unit guarantees,
    special funds, donations … (a reversal nets against its original; transfers left out)."""
    with open_books(db) as (ledger, views):
        last = to_year if to_year is not None else ledger.today().year
        report = income.income_by_kind(views, from_year=from_year, to_year=last)
        names = {oid: name for oid, (name, _, _) in queries.tree_on(views, date(last, 12, 31)).items()}
        typer.echo(f"income {from_year}–{last}")
        for org_id, row in sorted(report.items(), key=lambda kv: names.get(kv[0], "")):
            kinds = "  ".join(f"{kind} {format_amount(fen)}" for kind, fen in row.by_kind.items())
            typer.echo(f"{_pad(names.get(org_id, org_id), 24)}{kinds}  total {format_amount(row.total_fen)}")


def _capital(fen: int) -> str:
    return to_capital(fen) if fen >= 0 else "负" + to_capital(-fen)


def _pad(text: str, width: int) -> str:
    """Pad to a display width, counting a CJK character as two columns."""
    shown = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return text + " " * max(1, width - shown)
