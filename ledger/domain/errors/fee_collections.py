"""Collections (集资/活动费, R32): assessing fees, payments, settlement and closing."""

from __future__ import annotations

from ledger.domain.errors.base import Conflict, InvalidRequest, leaf

FundNotACollection = leaf(
    InvalidRequest,
    "fund_not_a_collection",
    "只有集资/活动费（collection）类基金才能分摊、收取和结算费用",
    "Fees are assessed, paid and settled only in a fund of kind collection.",
)
CollectionAlreadyAssessed = leaf(
    Conflict,
    "collection_already_assessed",
    "本次集资已分摊过费用",
    "The collection's fees are already assessed.",
)
FeePayerNotParticipant = leaf(
    InvalidRequest,
    "fee_payer_not_participant",
    "缴费人不在本次集资的参与人名单中",
    "The payer is not a participant of this collection.",
)
CollectionAlreadySettled = leaf(
    Conflict,
    "collection_already_settled",
    "本次集资已结算，不能再登记",
    "The collection is settled; nothing more may be recorded in it.",
)
CollectionSurplusHasNoPayers = leaf(
    Conflict,
    "collection_surplus_has_no_payers",
    "结余无人可退：没有参与人缴过费",
    "There is a surplus but no participant paid anything to refund it to.",
)
CollectionNotSettled = leaf(
    Conflict,
    "collection_not_settled",
    "集资须先结算（多退少补）才能关闭",
    "A collection is settled (surplus refunded) before it is closed (R32).",
)
CollectionAlreadyClosed = leaf(
    Conflict, "collection_already_closed", "本次集资已关闭", "The collection is closed."
)
CollectionTopUpNeedsTransfer = leaf(
    InvalidRequest,
    "collection_top_up_needs_transfer",
    "党组织经费补足集资须经集体决定划转，不能直接记拨款",
    "Party money tops up a collection only by an approved transfer, not a grant (R32).",
)
