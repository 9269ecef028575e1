"""A branch's Party dues book (ADR 0160) from the command line (registered by ``ledger.cli``).

fundbook dues settings --org B --from 2025-01 --decision REF [--share-bp 5000] [--table FILE]
fundbook dues base --org B --member P --from 2025-01 --category retired --base 4200.00
fundbook dues pay --org B --member P --month 2025-01 --month 2025-02 --amount 42.00 --on D --receipt R
fundbook dues reverse --org B --payment D2025-001 --on D --reason TEXT   (while still held)
fundbook dues hand-up --org B --amount 42.00 --on D --receipt R [--to ORG]   (everything held)
fundbook dues rebate --org B --amount 21.00 --on D --from-month 2025-01 --to-month 2025-06
fundbook dues show B     payments beside their standard, hand-ups, rebates and their check
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ledger.cli.root import DbOption, app, open_books, parse_date, writing_ledger
from ledger.domain.money import format_amount, parse_amount
from ledger.projections import dues_queries

dues_app = typer.Typer(
    no_args_is_help=True, help="party dues: settings, base, pay, reverse, hand-up, rebate, show"
)
app.add_typer(dues_app, name="dues")
Org = Annotated[str, typer.Option(help="the branch's id")]
By = Annotated[str, typer.Option(help="who records it (a user or person id)")]


@dues_app.command("settings")
def dues_settings(
    org: Org,
    from_month: Annotated[str, typer.Option("--from", help="from the month (YYYY-MM)")],
    decision: Annotated[str, typer.Option(help="the decision or notice it rests on")],
    share_bp: Annotated[int | None, typer.Option(help="the rebate share in basis points (5000: 50%)")] = None,
    table: Annotated[Path | None, typer.Option(help="a JSON rate table; none: the dated default")] = None,
    by: By = "cli",
    db: DbOption = None,
) -> None:
    """The branch's rate table and rebate share from a month."""
    rates = None if table is None else json.loads(table.read_text(encoding="utf-8"))
    with writing_ledger(db) as ledger:
        ledger.configure_dues(
            org, actor=by, from_month=from_month, decision_ref=decision, table=rates, rebate_share_bp=share_bp
        )
    typer.echo(
        f"dues settings from {from_month}: {'own table' if rates else 'default table'}, share {share_bp}"
    )


@dues_app.command("base")
def dues_base(
    org: Org,
    member: Annotated[str, typer.Option(help="the member's person id")],
    from_month: Annotated[str, typer.Option("--from", help="from the month (YYYY-MM)")],
    category: Annotated[str, typer.Option(help="employed, retired, allowance (the table's) or fixed")],
    base: Annotated[str | None, typer.Option(help='the monthly base, e.g. "4200.00"')] = None,
    fixed: Annotated[str | None, typer.Option(help="the fixed monthly amount (category fixed)")] = None,
    by: By = "cli",
    db: DbOption = None,
) -> None:
    """计算基数: a member's category and monthly base (or fixed amount) from a month."""
    with writing_ledger(db) as ledger:
        result = ledger.declare_dues_base(
            org,
            actor=by,
            person_id=member,
            from_month=from_month,
            category=category,
            base_fen=None if base is None else parse_amount(base, allow_zero=True),
            fixed_fen=None if fixed is None else parse_amount(fixed),
        ).result
    typer.echo(
        f"{result['person_id']} from {from_month}: standard {format_amount(result['standard_fen'])} a month"
    )


@dues_app.command("pay")
def dues_pay(
    org: Org,
    member: Annotated[str, typer.Option(help="the member's person id")],
    month: Annotated[list[str], typer.Option(help="a month paid (YYYY-MM; repeat for more)")],
    amount: Annotated[str, typer.Option(help='the amount paid, as on the receipt, e.g. "63.00"')],
    on: Annotated[str, typer.Option(help="paid on (YYYY-MM-DD)")],
    receipt: Annotated[str, typer.Option(help="the receipt's reference")],
    by: By = "cli",
    db: DbOption = None,
) -> None:
    """党费收缴: dues paid by a member; the standard of those months is shown beside the amount."""
    with writing_ledger(db) as ledger:
        result = ledger.pay_dues(
            org,
            actor=by,
            person_id=member,
            months=month,
            amount_fen=parse_amount(amount),
            paid_on=parse_date(on, "paid_on"),
            receipt_ref=receipt,
        ).result
    typer.echo(
        f"payment {result['payment_no']}: {format_amount(parse_amount(amount))}, standard "
        f"{format_amount(result['standard_fen'])}, difference {format_amount(result['difference_fen'])}"
    )


@dues_app.command("reverse")
def dues_reverse(
    org: Org,
    payment: Annotated[str, typer.Option(help="the payment's number, e.g. D2025-001")],
    on: Annotated[str, typer.Option(help="reversed on (YYYY-MM-DD)")],
    reason: Annotated[str, typer.Option(help="why (internal)")],
    by: By = "cli",
    db: DbOption = None,
) -> None:
    """A mistaken payment, reversed while it is still held (never after its hand-up)."""
    with writing_ledger(db) as ledger:
        ledger.reverse_dues_payment(
            org, actor=by, payment_no=payment, reversed_on=parse_date(on, "reversed_on"), reason=reason
        )
    typer.echo(f"payment {payment}: reversed on {on}")


@dues_app.command("hand-up")
def dues_hand_up(
    org: Org,
    amount: Annotated[str, typer.Option(help="everything held, e.g. 126.00")],
    on: Annotated[str, typer.Option(help="handed up on (YYYY-MM-DD)")],
    receipt: Annotated[str, typer.Option(help="the bank slip or receipt")],
    to: Annotated[str | None, typer.Option(help="an organisation above; default the parent")] = None,
    by: By = "cli",
    db: DbOption = None,
) -> None:
    """上缴: everything held, to an organisation above; nothing is held after it."""
    with writing_ledger(db) as ledger:
        result = ledger.hand_up_dues(
            org,
            actor=by,
            to_org_id=to,
            handed_on=parse_date(on, "handed_on"),
            amount_fen=parse_amount(amount),
            receipt_ref=receipt,
        ).result
    held = format_amount(result["held_fen"])
    typer.echo(f"hand-up {result['handup_no']}: {format_amount(parse_amount(amount))}, held now {held}")


@dues_app.command("rebate")
def dues_rebate(
    org: Org,
    amount: Annotated[str, typer.Option(help="the rebate received")],
    on: Annotated[str, typer.Option(help="received on (YYYY-MM-DD)")],
    from_month: Annotated[str, typer.Option(help="the first month of hand-ups it answers")],
    to_month: Annotated[str, typer.Option(help="the last month of hand-ups it answers")],
    from_org: Annotated[str | None, typer.Option(help="who returned it; default the parent")] = None,
    decision: Annotated[str | None, typer.Option(help="the notice it came with")] = None,
    by: By = "cli",
    db: DbOption = None,
) -> None:
    """返还: the rebate received, checked against the share: a difference is a warning."""
    with writing_ledger(db) as ledger:
        result = ledger.receive_dues_rebate(
            org,
            actor=by,
            from_org_id=from_org,
            received_on=parse_date(on, "received_on"),
            amount_fen=parse_amount(amount),
            period_from=from_month,
            period_to=to_month,
            decision_ref=decision,
        ).result
    typer.echo(f"rebate {result['rebate_no']}: expected {format_amount(result['expected_fen'])}")
    if result["warning"]:
        typer.secho(
            f"warning: {result['warning']}, difference {format_amount(result['difference_fen'])}",
            err=True,
            fg="yellow",
        )


@dues_app.command("show")
def dues_show(org: str, db: DbOption = None) -> None:
    """The branch's book: payments beside their standard, hand-ups, rebates, totals."""
    with open_books(db) as (_, views):
        for p in dues_queries.payments(views, org):
            state = f"reversed {p.reversed_on}" if p.reversed_on else (p.handup_no or "held")
            typer.echo(
                f"{p.payment_no}  {p.paid_on}  {p.person_id}  {','.join(p.months)}  paid "
                f"{format_amount(p.amount_fen):>10}  standard {format_amount(p.standard_fen):>10}  {state}"
            )
        for h in dues_queries.handups(views, org):
            months = f"{h.period_from}..{h.period_to}"
            typer.echo(f"{h.handup_no}  {h.handed_on}  {months}  {format_amount(h.amount_fen):>10}")
        for r in dues_queries.rebates(views, org):
            flag = f"  WARNING {r.warning} {format_amount(r.difference_fen)}" if r.warning else ""
            typer.echo(
                f"{r.rebate_no}  {r.received_on}  {format_amount(r.amount_fen):>10}  expected "
                f"{format_amount(r.expected_fen)}{flag}"
            )
        t = dues_queries.totals(views, org)
        typer.echo(
            f"collected {format_amount(t.collected_fen)}  handed up {format_amount(t.handed_up_fen)}  "
            f"held {format_amount(t.held_fen)}  rebates {format_amount(t.rebate_fen)}"
        )
