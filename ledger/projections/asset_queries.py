"""Reads of gifts in kind and the asset register (ADR 0140), from ``v_in_kind`` and ``v_asset``.

The rows hold what may be printed (the public summary, the donor as recorded, the asset's public
name) and the figures; the description, the supplier, the place and the write-off reason are
read from the events by whoever may see them (``ledger.api.routers.assets``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ledger.projections.store import ViewStore

_GIFT_COLUMNS = (
    "org_id, gift_no, received_on, kind, value_fen, donor_kind, donor_name, public_summary, fund_id"
)
_ASSET_COLUMNS = (
    "org_id, asset_no, acquired_on, source, fund_id, voucher_no, gift_no, value_fen, public_name, "
    "keeper_person_id, written_off_on"
)


@dataclass(frozen=True)
class GiftInKind:
    org_id: str
    gift_no: str
    received_on: str
    kind: str
    value_fen: int
    donor_kind: str
    donor_name: str
    public_summary: str
    fund_id: str | None


@dataclass(frozen=True)
class Asset:
    org_id: str
    asset_no: str
    acquired_on: str
    source: str
    fund_id: str | None
    voucher_no: str | None
    gift_no: str | None
    value_fen: int
    public_name: str
    keeper_person_id: str
    written_off_on: str | None

    @property
    def in_use(self) -> bool:
        return self.written_off_on is None


def gifts_in_kind(
    store: ViewStore, org_ids: list[str] | None = None, *, year: int | None = None
) -> list[GiftInKind]:
    """Gifts in kind in the order they were recorded, of ``org_ids`` (all if None), of one year."""
    where, params = _where(org_ids, year, "received_on")
    rows = store.fetch(f"SELECT {_GIFT_COLUMNS} FROM v_in_kind {where} ORDER BY position", params)
    return [GiftInKind(*row[:4], int(row[4]), *row[5:]) for row in rows]


def assets(store: ViewStore, org_ids: list[str] | None = None, *, fund_id: str | None = None) -> list[Asset]:
    """Registered assets in the order they were registered (written-off ones included, marked);
    ``fund_id``: only those bought from that fund's vouchers (a special fund's notice)."""
    where, params = _where(org_ids, None, "acquired_on")
    if fund_id is not None:
        where += (" AND" if where else "WHERE") + " fund_id = ?"
        params = (*params, fund_id)
    rows = store.fetch(f"SELECT {_ASSET_COLUMNS} FROM v_asset {where} ORDER BY position", params)
    return [Asset(*row[:7], int(row[7]), *row[8:]) for row in rows]


def _where(org_ids: list[str] | None, year: int | None, day_column: str) -> tuple[str, tuple[Any, ...]]:
    clauses: list[str] = []
    params: list[Any] = []
    if org_ids is not None:
        if not org_ids:
            return "WHERE 1 = 0", ()
        clauses.append("org_id IN (" + ", ".join("?" * len(org_ids)) + ")")
        params.extend(org_ids)
    if year is not None:
        clauses.append(f"{day_column} BETWEEN ? AND ?")
        params.extend((f"{year}-01-01", f"{year}-12-31"))
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)
