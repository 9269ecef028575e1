"""``verify`` over gifts in kind and the asset register (ADR 0140), from the events alone.

Invariants (reported like the others, with the position of the record that shows it):

- ``asset_source_invalid``: an asset bought on something that is not an unreversed
  ``ExpensePaid`` voucher of the named fund at the time, or received from no gift of goods;
- ``asset_source_exceeded``: the assets of one voucher or one gift add up to more than its amount;
- ``asset_write_off_invalid``: a write-off of an asset never registered, or written off already.

And the views ``v_in_kind`` / ``v_asset`` against a fresh fold of the same events
(``view_differs``, view ``assets``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ledger.audit.violation import Violation
from ledger.domain.asset_register import AssetRegister
from ledger.domain.fund import Fund
from ledger.projections import asset_queries
from ledger.projections.store import ViewStore


class RegisterInvariants:
    def __init__(self, report: Callable[[Violation], None]) -> None:
        self.report = report
        self.expenses: dict[tuple[str, str], int] = {}  # (fund, voucher) -> amount, while unreversed
        self.gifts: dict[tuple[str, str], int] = {}  # (org, gift) -> value, goods only
        self.used: dict[tuple[str, str, str], int] = {}  # (org or fund, no, kind) -> registered
        self.assets: dict[tuple[str, str], bool] = {}  # (org, asset) -> written off

    def apply(self, position: int, event: Any) -> None:
        if isinstance(event, Fund.ExpensePaid):
            self.expenses[(str(event.originator_id), event.voucher_no)] = event.amount_fen
        elif isinstance(event, Fund.EntryReversed):
            self.expenses.pop((str(event.originator_id), event.reverses_voucher_no), None)
        elif isinstance(event, AssetRegister.InKindReceived) and event.kind == "goods":
            self.gifts[(event.org_id, event.gift_no)] = event.value_fen
        elif isinstance(event, AssetRegister.AssetRegistered):
            self._asset(position, event)
        elif isinstance(event, AssetRegister.AssetWrittenOff):
            key = (event.org_id, event.asset_no)
            if self.assets.get(key) is not False:
                self.report(Violation("asset_write_off_invalid", position, f"asset {event.asset_no}"))
            self.assets[key] = True

    def _asset(self, position: int, event: Any) -> None:
        if event.source == "purchase":
            source = (str(event.fund_id), str(event.voucher_no))
            amount = self.expenses.get(source)
        else:
            source = (event.org_id, str(event.gift_no))
            amount = self.gifts.get(source)
        self.assets[(event.org_id, event.asset_no)] = False
        if amount is None:
            self.report(
                Violation("asset_source_invalid", position, f"asset {event.asset_no} from {source[1]}")
            )
            return
        key = (*source, event.source)
        self.used[key] = self.used.get(key, 0) + event.value_fen
        if self.used[key] > amount:
            detail = f"{source[1]}: {self.used[key]} fen registered of {amount}"
            self.report(Violation("asset_source_exceeded", position, detail))


def fresh_rows(
    decoded: list[tuple[int, Any]],
) -> tuple[list[asset_queries.GiftInKind], list[asset_queries.Asset]]:
    """What the views should hold, folded again from the events (in log order)."""
    gifts, assets, written_off = [], [], {}
    for _, e in decoded:
        if isinstance(e, AssetRegister.InKindReceived):
            day = e.received_on.isoformat()
            gifts.append(
                asset_queries.GiftInKind(
                    e.org_id,
                    e.gift_no,
                    day,
                    e.kind,
                    e.value_fen,
                    e.donor_kind,
                    e.donor_name,
                    e.public_summary,
                    e.fund_id,
                )
            )
        elif isinstance(e, AssetRegister.AssetRegistered):
            assets.append(e)
        elif isinstance(e, AssetRegister.AssetWrittenOff):
            written_off[(e.org_id, e.asset_no)] = e.written_off_on.isoformat()
    rows = [
        asset_queries.Asset(
            a.org_id,
            a.asset_no,
            a.acquired_on.isoformat(),
            a.source,
            a.fund_id,
            a.voucher_no,
            a.gift_no,
            a.value_fen,
            a.public_name,
            a.keeper_person_id,
            written_off.get((a.org_id, a.asset_no)),
        )
        for a in assets
    ]
    return gifts, rows


def views_agree(views: ViewStore, decoded: list[tuple[int, Any]]) -> bool:
    gifts, assets = fresh_rows(decoded)
    return asset_queries.gifts_in_kind(views) == gifts and asset_queries.assets(views) == assets
