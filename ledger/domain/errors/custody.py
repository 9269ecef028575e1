"""Custody handovers (移交, R22, ADR 0032): a custodian changes only through a handover."""

from __future__ import annotations

from ledger.domain.errors.base import Conflict, Forbidden, InvalidRequest, leaf

CustodianChangeNeedsHandover = leaf(
    Conflict,
    "custodian_change_needs_handover",
    "本基金已有{role}，更换须办理移交（点交清单、监交人）",
    "The fund already has a {role}; a new one takes over only through a handover with an "
    "inventory and a supervisor (R22).",
)
CustodianNotAssigned = leaf(
    Conflict,
    "custodian_not_assigned",
    "本基金尚无{role}，无从移交；首次请直接指定",
    "The fund has no {role} to hand over from; assign the first one instead.",
)
HandoverToSamePerson = leaf(
    InvalidRequest,
    "handover_to_same_person",
    "接管人与移交人是同一人",
    "The incoming custodian is the outgoing one.",
)
HandoverSupervisorNotIndependent = leaf(
    Forbidden,
    "handover_supervisor_not_independent",
    "监交人不得是移交人或接管人",
    "The supervisor of a handover is neither the outgoing nor the incoming custodian (R22).",
)
HandoverBeforeHolderBegan = leaf(
    InvalidRequest,
    "handover_before_holder_began",
    "移交日期 {handed_over_on} 早于移交人接手日期 {from_date}",
    "The handover date {handed_over_on} is before the outgoing custodian took over ({from_date}).",
)
HandoverBeforeLatestEntry = leaf(
    InvalidRequest,
    "handover_before_latest_entry",
    "移交日期 {handed_over_on} 早于账上最后一笔记录的日期 {latest_entry_on}",
    "The handover date {handed_over_on} is before the latest entry on the books "
    "({latest_entry_on}): the balance counted must be the current one.",
)
HandoverInventoryRequired = leaf(
    InvalidRequest,
    "handover_inventory_required",
    "移交须附点交清单（inventory_ref）",
    "A handover names its inventory list (inventory_ref).",
)
HandoverDifferenceUnexplained = leaf(
    InvalidRequest,
    "handover_difference_unexplained",
    "实点与账面不符（现金差额 {cash_difference_yuan}，银行差额 {bank_difference_yuan}），须说明差额",
    "The count differs from the books (cash {cash_difference_yuan}, bank "
    "{bank_difference_yuan}): record the difference with a note (difference_note).",
)
EntryBeforeHandover = leaf(
    Conflict,
    "entry_before_handover",
    "日期 {date} 早于移交日期 {handed_over_on}，移交前的账目已点交，不能再登记",
    "{date} is before the handover of {handed_over_on}: the books handed over are final up to "
    "that day (R22).",
)
