"""Gifts in kind and the asset register in the hledger and Beancount books (ADR 0140).

Neither is money in a fund, so neither touches a fund's ``Cash`` or ``Bank`` account (whose
month-end balances the books assert). Each is a transaction on off-balance accounts of its own,
balanced on its own:

- a gift in kind: ``Assets:OffBalance:Org-<id>:InKind`` +value, ``Equity:OffBalance:InKind`` −value;
- an asset registered: ``Assets:OffBalance:Org-<id>:Register`` +value, ``Equity:OffBalance:Register``
  −value; a write-off posts the opposite.

Narrations hold the number, the kind of line, and the texts checked as public (the donor as
recorded, the public summary, the public name); the renderers escape them on one line like
every other text (``plain_names``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from ledger.domain.asset_register import AssetRegister

IN_KIND_EQUITY = "Equity:OffBalance:InKind"
REGISTER_EQUITY = "Equity:OffBalance:Register"


def transactions(
    events: Iterable[tuple[int, Any]], ids: dict[str, str], first_day: date
) -> tuple[dict[str, tuple[date, str]], list[tuple[date, int, str, tuple[tuple[str, int], ...]]]]:
    """(accounts opened with their notes, transactions as (day, position, narration, postings))."""
    accounts: dict[str, tuple[date, str]] = {}
    out = []
    values: dict[tuple[str, str], int] = {}  # (org, asset no) -> value, for its write-off

    def account(org_id: str, leaf: str, day: date) -> str:
        name = f"Assets:OffBalance:Org-{ids.get(org_id) or org_id.replace('-', '').upper()}:{leaf}"
        opened = min(first_day, day, accounts.get(name, (day, ""))[0])
        accounts[name] = (opened, f"{leaf} ({org_id})")
        equity = IN_KIND_EQUITY if leaf == "InKind" else REGISTER_EQUITY
        accounts[equity] = (min(opened, accounts.get(equity, (opened, ""))[0]), "off-balance 表外")
        return name

    for position, e in events:
        if isinstance(e, AssetRegister.InKindReceived):
            own = account(e.org_id, "InKind", e.received_on)
            narration = f"{e.gift_no} 实物捐赠 in kind ({e.kind}) · {e.donor_name} · {e.public_summary}"
            out.append(
                (e.received_on, position, narration, ((own, e.value_fen), (IN_KIND_EQUITY, -e.value_fen)))
            )
        elif isinstance(e, AssetRegister.AssetRegistered):
            own = account(e.org_id, "Register", e.acquired_on)
            values[(e.org_id, e.asset_no)] = e.value_fen
            source = e.voucher_no if e.source == "purchase" else e.gift_no
            narration = f"{e.asset_no} 资产登记 asset · {e.public_name} · {e.source} {source}"
            out.append(
                (e.acquired_on, position, narration, ((own, e.value_fen), (REGISTER_EQUITY, -e.value_fen)))
            )
        elif isinstance(e, AssetRegister.AssetWrittenOff):
            own = account(e.org_id, "Register", e.written_off_on)
            fen = values[(e.org_id, e.asset_no)]
            narration = f"{e.asset_no} 核销 write-off"
            out.append((e.written_off_on, position, narration, ((own, -fen), (REGISTER_EQUITY, fen))))
    return accounts, out
