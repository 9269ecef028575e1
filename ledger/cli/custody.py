"""Custody handovers (移交, R22) from the command line (registered by ``ledger.cli``).

fundbook handover record --fund ID --role cashier --to P --supervisor S --on D --cash 0.00 …
fundbook handover list FUND     a fund's handovers: who to whom, the count and the differences
"""

from __future__ import annotations

from typing import Annotated

import typer

from ledger.cli.root import DbOption, app, open_books, parse_date, resolve_fund, writing_ledger
from ledger.domain.money import format_amount, parse_amount
from ledger.projections import queries

handover_app = typer.Typer(no_args_is_help=True, help="custody handovers (移交): record, list")
app.add_typer(handover_app, name="handover")


@handover_app.command("record")
def handover_record(
    fund: Annotated[str, typer.Option(help="the fund's id")],
    role: Annotated[str, typer.Option(help="bookkeeper or cashier")],
    to: Annotated[str, typer.Option(help="the incoming custodian's person id")],
    supervisor: Annotated[str, typer.Option(help="the supervisor's (监交人) person id")],
    on: Annotated[str, typer.Option(help="the handover date (YYYY-MM-DD)")],
    cash: Annotated[str, typer.Option(help='the cash counted, e.g. "499.50" ("0.00" allowed)')],
    bank: Annotated[str, typer.Option(help='the bank balance on the statement, e.g. "1500.00"')],
    inventory: Annotated[str, typer.Option(help="the inventory list's reference (移交清单)")],
    note: Annotated[str | None, typer.Option(help="explains a difference (required if any)")] = None,
    by: Annotated[str, typer.Option(help="who records it (a user or person id)")] = "cli",
    db: DbOption = None,
) -> None:
    """移交: the holder of a role hands the books and the money to the next before a supervisor;
    the count is compared with the books, and a difference is recorded with its note."""
    with writing_ledger(db) as ledger:
        result = ledger.record(
            fund,
            "hand_over_custody",
            actor=by,
            role=role,
            to_person_id=to,
            supervisor_person_id=supervisor,
            handed_over_on=parse_date(on, "handed_over_on"),
            cash_counted_fen=parse_amount(cash, allow_zero=True),
            bank_balance_fen=parse_amount(bank, allow_zero=True),
            inventory_ref=inventory,
            difference_note=note,
        ).result
    cash, bank = (format_amount(result[f"{a}_difference"]["amount_fen"]) for a in ("cash", "bank"))
    typer.echo(
        f"fund {result['fund_id']}: {result['role']} handed over on {result['handed_over_on']} "
        f"from {result['from_person_id']} to {result['to_person_id']}; differences: cash {cash}, bank {bank}"
    )


@handover_app.command("list")
def handover_list(fund: str, db: DbOption = None) -> None:
    """A fund's handovers, oldest first: role, date, from → to (supervisor), books, count,
    differences and the note."""
    with open_books(db) as (_, views):
        rows = queries.handovers(views, resolve_fund(views, fund))
    for h in rows:
        typer.echo(
            f"{h.handed_over_on}  {h.role:<10}  {h.from_person_id} → {h.to_person_id} "
            f"(监交 {h.supervisor_person_id})  inventory {h.inventory_ref}  "
            f"last voucher {h.last_voucher_no or '—'}"
        )
        for account, book, counted, difference in (
            ("cash", h.book_cash_fen, h.cash_counted_fen, h.cash_difference_fen),
            ("bank", h.book_bank_fen, h.bank_balance_fen, h.bank_difference_fen),
        ):
            typer.echo(
                f"    {account}: book {format_amount(book)}, counted {format_amount(counted)}, "
                f"difference {format_amount(difference)}"
            )
        if h.difference_note:
            typer.echo(f"    note: {h.difference_note}")
    typer.echo(f"{len(rows)} handover(s)")
