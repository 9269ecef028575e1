"""A fund's balances now, as of a business date or as known at a log position (R3: available =
balance − reserved), and a fund's stored description.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson

from ledger.domain import errors
from ledger.projections.queries.views import one_snapshot
from ledger.projections.store import ViewStore


@dataclass(frozen=True)
class FundBalance:
    fund_id: str
    name_zh: str
    kind: str
    owner_org_id: str
    income_fen: int
    expense_fen: int
    cash_fen: int
    bank_fen: int
    reserved_fen: int

    @property
    def balance_fen(self) -> int:
        return self.income_fen - self.expense_fen

    @property
    def available_fen(self) -> int:
        return self.balance_fen - self.reserved_fen


def fund_balances(
    store: ViewStore, *, as_of: date | None = None, at_position: int | None = None
) -> list[FundBalance]:
    """Every fund's balances now, or as of a business date and/or as known at a log position."""
    if as_of is None and at_position is None:
        rows = store.fetch(
            "SELECT fund_id, name_zh, kind, owner_org_id, income_fen, expense_fen, cash_fen, "
            "bank_fen, reserved_fen FROM v_fund ORDER BY position"
        )
        return [FundBalance(*row) for row in rows]
    day = as_of.isoformat() if as_of else "9999-12-31"
    position = at_position if at_position is not None else 2**62
    rows = store.fetch(
        "SELECT f.fund_id, f.name_zh, f.kind, f.owner_org_id, "
        "COALESCE(SUM(j.income_fen), 0), COALESCE(SUM(j.expense_fen), 0), "
        "COALESCE(SUM(j.cash_fen), 0), COALESCE(SUM(j.bank_fen), 0), "
        # reserved as it stood: the dated reservations, releases and payments up to then
        "COALESCE((SELECT SUM(r.delta_fen) FROM v_reservation r WHERE r.fund_id = f.fund_id "
        "AND r.day <= ? AND r.position <= ?), 0) "
        "FROM v_fund f LEFT JOIN v_journal j ON j.fund_no = f.position "
        "AND j.occurred_on <= ? AND j.position <= ? "
        "WHERE f.established_on <= ? AND f.position <= ? "
        "GROUP BY f.fund_id, f.name_zh, f.kind, f.owner_org_id, f.position ORDER BY f.position",
        (day, position, day, position, day, position),
    )
    return [FundBalance(*row[:4], *(int(v) for v in row[4:])) for row in rows]


@one_snapshot
def fund_balance(store: ViewStore, fund_id: str, **as_of: Any) -> FundBalance:
    for balance in fund_balances(store, **as_of):
        if balance.fund_id == fund_id:
            return balance
    raise errors.FundNotFound(fund_id=fund_id)


def fund_meta(store: ViewStore, fund_id: str) -> dict[str, Any]:
    rows = store.fetch(
        "SELECT fund_id, owner_org_id, kind, name_zh, custody_kind, established_on, "
        "allowed_purposes, policy, position FROM v_fund WHERE fund_id = ?",
        (fund_id,),
    )
    if not rows:
        raise errors.FundNotFound(fund_id=fund_id)
    keys = (
        "fund_id",
        "owner_org_id",
        "kind",
        "name_zh",
        "custody_kind",
        "established_on",
        "allowed_purposes",
        "policy",
        "fund_no",
    )
    meta = dict(zip(keys, rows[0], strict=True))
    meta["allowed_purposes"] = orjson.loads(meta["allowed_purposes"])
    meta["fund_no"] = int(meta["fund_no"])
    meta["policy"] = orjson.loads(meta["policy"])
    return meta
