"""Custody handovers (移交, R22, ADR 0032): the book balances, the count and the differences."""

from __future__ import annotations

from dataclasses import dataclass

from ledger.projections.store import ViewStore


@dataclass(frozen=True)
class Handover:
    """One handover (移交) of a fund's books and money: the book balances at that day, the
    count, and the differences (counted − book) recorded with their note, never booked."""

    fund_id: str
    role: str
    from_person_id: str
    to_person_id: str
    supervisor_person_id: str
    handed_over_on: str
    book_cash_fen: int
    book_bank_fen: int
    cash_counted_fen: int
    bank_balance_fen: int
    cash_difference_fen: int
    bank_difference_fen: int
    difference_note: str | None
    last_voucher_no: str | None
    inventory_ref: str
    recorded_by: str
    position: int


_HANDOVER_COLUMNS = (
    "fund_id, role, from_person_id, to_person_id, supervisor_person_id, handed_over_on, "
    "book_cash_fen, book_bank_fen, cash_counted_fen, bank_balance_fen, cash_difference_fen, "
    "bank_difference_fen, difference_note, last_voucher_no, inventory_ref, recorded_by, position"
)


def handovers(store: ViewStore, fund_id: str) -> list[Handover]:
    """A fund's handovers in the order they were recorded."""
    rows = store.fetch(
        f"SELECT {_HANDOVER_COLUMNS} FROM v_handover WHERE fund_id = ? ORDER BY position", (fund_id,)
    )
    out = []
    for row in rows:
        text, amounts, tail = row[:6], [int(v) for v in row[6:12]], row[12:16]
        out.append(Handover(*text, *amounts, *tail, int(row[16])))
    return out
