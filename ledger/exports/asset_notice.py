"""The public notice of an organisation's gifts in kind and assets (ADR 0140), apart from every
fund's statement: a gift in kind is not money, so it is never a line of a fund's income.

Two sections: 实物捐赠 (each gift: date, donor as recorded, public summary, goods or service,
stated value, and their total) and 资产登记 (each asset: number, public name, date, what paid
for it, value, written off on). Given a fund, only the assets bought from that fund's vouchers
(a special fund's notice: what its money bought) and no gifts. Only texts checked as public
(R34) reach the model; the description, supplier, place and write-off reason never do.
Rendered as HTML (autoescaped) and CSV (every text cell through ``cells.csv_cell``)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from ledger.domain import errors
from ledger.domain.money import format_amount
from ledger.exports import cells
from ledger.projections import asset_queries, queries
from ledger.projections.store import ViewStore

KIND_LABELS = {"goods": "物品", "service": "服务（由捐赠方直接支付）"}
SOURCE_LABELS = {"purchase": "购置", "in_kind": "受赠"}


@dataclass(frozen=True)
class AssetNotice:
    org_name: str
    fund_name: str | None
    gifts: list[asset_queries.GiftInKind]
    assets: list[asset_queries.Asset]
    fund_names: dict[str, str]

    @property
    def title(self) -> str:
        if self.fund_name is not None:
            return f"{self.fund_name}购置资产公示"
        return f"{self.org_name}实物捐赠和资产公示"

    @property
    def gifts_total_fen(self) -> int:
        return sum(g.value_fen for g in self.gifts)

    @property
    def in_use_fen(self) -> int:
        return sum(a.value_fen for a in self.assets if a.in_use)

    def paid_by(self, asset: asset_queries.Asset) -> str:
        if asset.source == "purchase" and asset.fund_id is not None:
            return f"{self.fund_names.get(asset.fund_id, '')} {asset.voucher_no}"
        return f"{SOURCE_LABELS['in_kind']} {asset.gift_no}"


def build(views: ViewStore, org_id: str, *, fund_id: str | None = None, today: date) -> AssetNotice:
    """``fund_id``: a fund of ``org_id`` (else ``fund_not_found``, as for a fund of no one)."""
    names = queries.tree_on(views, today)
    org_name = names[org_id][0] if org_id in names else None
    if org_name is None:
        raise errors.OrganisationNotFound(org_id=org_id)
    fund_name = None
    if fund_id is not None:
        meta = queries.fund_meta(views, fund_id)
        if meta["owner_org_id"] != org_id:
            raise errors.FundNotFound(fund_id=fund_id)
        fund_name = meta["name_zh"]
    assets = asset_queries.assets(views, [org_id], fund_id=fund_id)
    gifts = [] if fund_id is not None else asset_queries.gifts_in_kind(views, [org_id])
    fund_names = {f: queries.fund_meta(views, f)["name_zh"] for f in {a.fund_id for a in assets if a.fund_id}}
    return AssetNotice(org_name, fund_name, gifts, assets, fund_names)


def to_csv(notice: AssetNotice) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cells.csv_cell(notice.title)])
    if notice.fund_name is None:
        writer.writerow(["实物捐赠", "日期", "捐赠方", "摘要", "类别", "价值"])
        for g in notice.gifts:
            row = [g.gift_no, g.received_on, g.donor_name, g.public_summary, KIND_LABELS[g.kind]]
            writer.writerow([cells.csv_cell(v) for v in row] + [format_amount(g.value_fen, thousands=False)])
        writer.writerow(["合计", "", "", "", "", format_amount(notice.gifts_total_fen, thousands=False)])
        writer.writerow([])
    writer.writerow(["资产编号", "名称", "取得日期", "来源", "价值", "核销日期"])
    for a in notice.assets:
        row = [a.asset_no, a.public_name, a.acquired_on, notice.paid_by(a)]
        tail = [format_amount(a.value_fen, thousands=False), a.written_off_on or ""]
        writer.writerow([cells.csv_cell(v) for v in row] + tail)
    writer.writerow(["在用合计", "", "", "", format_amount(notice.in_use_fen, thousands=False), ""])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
