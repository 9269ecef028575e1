"""A branch's dues payments as CSV (ADR 0160), for its officers: each payment beside its
standard, the member by the masked name the board would print. Every text cell goes through
``cells.csv_cell`` (ADR 0063), so a name or a number that a spreadsheet would run stays text."""

from __future__ import annotations

import csv
import io

from ledger.domain.money import format_amount
from ledger.exports import cells
from ledger.projections.dues_queries import Payment

HEADER = (
    "payment_no",
    "member",
    "months",
    "paid_on",
    "amount",
    "standard",
    "difference",
    "handup_no",
    "reversed_on",
)


def payments_csv(payments: list[Payment], names: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for p in payments:
        texts = (p.payment_no, names.get(p.person_id, ""), " ".join(p.months), p.paid_on)
        figures = (
            format_amount(f, thousands=False) for f in (p.amount_fen, p.standard_fen, p.difference_fen)
        )
        writer.writerow(
            [*(cells.csv_cell(t) for t in texts), *figures, p.handup_no or "", p.reversed_on or ""]
        )
    return out.getvalue()
