"""Gifts in kind and the asset register (ADR 0140): sources, values, write-offs."""

from __future__ import annotations

from ledger.domain.errors.base import Conflict, Forbidden, InvalidRequest, NotFound, leaf

AssetSourceRequired = leaf(
    InvalidRequest,
    "asset_source_required",
    "来源为 {source} 的资产须给出 {needs}",
    "An asset from source {source} needs {needs}.",
)
AssetVoucherNotExpense = leaf(
    InvalidRequest,
    "asset_voucher_not_expense",
    "凭证 {voucher_no} 不是未冲销的支出凭证，不能作为购置资产的来源",
    "Voucher {voucher_no} is not an unreversed expense; an asset cannot be bought on it.",
)
AssetFundNotOwned = leaf(
    InvalidRequest,
    "asset_fund_not_owned",
    "基金 {fund_id} 不属于本组织，不能登记到本组织的资产或实物捐赠",
    "Fund {fund_id} belongs to another organisation; it cannot source this register.",
)
AssetAcquiredBeforeSource = leaf(
    InvalidRequest,
    "asset_dated_before_source",
    "日期 {acquired_on} 早于其来源的日期 {source_on}",
    "The date {acquired_on} is before its source's date {source_on}.",
)
AssetValueExceedsSource = leaf(
    InvalidRequest,
    "asset_value_exceeds_source",
    "资产价值 {value_fen} 分加上已登记的 {used_fen} 分超过来源金额 {source_fen} 分",
    "The value {value_fen} fen plus the {used_fen} fen already registered exceeds the source's "
    "{source_fen} fen.",
)
GiftInKindNotFound = leaf(
    NotFound,
    "gift_in_kind_not_found",
    "本组织没有实物捐赠 {gift_no}（或它是服务，不是物品）",
    "This organisation has no gift of goods {gift_no}.",
)
AssetNotFound = leaf(
    NotFound, "asset_not_found", "本组织没有资产 {asset_no}", "This organisation has no asset {asset_no}."
)
AssetAlreadyWrittenOff = leaf(
    Conflict,
    "asset_already_written_off",
    "资产 {asset_no} 已核销",
    "Asset {asset_no} is already written off.",
)
WriteOffApproverNotIndependent = leaf(
    Forbidden,
    "write_off_approver_not_independent",
    "核销资产 {asset_no} 的批准人不能是其保管人或登记人",
    "The write-off of asset {asset_no} must be approved by someone other than its keeper and the recorder.",
)
