"""Organisations and people: the two trees, dissolving (R29), offices and memberships."""

from __future__ import annotations

from ledger.domain.errors.base import Conflict, InvalidRequest, NotFound, leaf

OrganisationNotFound = leaf(
    NotFound, "organisation_not_found", "组织不存在：{org_id}", "No organisation {org_id}."
)
PersonNotFound = leaf(NotFound, "person_not_found", "人员不存在：{person_id}", "No person {person_id}.")
ParentInOtherTree = leaf(
    InvalidRequest,
    "parent_in_other_tree",
    "党组织与居民组织分属两棵树，不能互为上级",
    "Party and residents' organisations are separate trees; a parent must be in the same tree.",
)
ParentKindNotAllowed = leaf(
    InvalidRequest,
    "parent_kind_not_allowed",
    "{kind} 不能隶属于 {parent_kind}",
    "A {kind} cannot sit under a {parent_kind}.",
)
OrganisationCycle = leaf(
    InvalidRequest,
    "organisation_cycle",
    "不能把组织调整到它自己的下级之下",
    "An organisation cannot be moved under itself or its descendants.",
)
OrganisationFundNotClosed = leaf(
    Conflict,
    "organisation_fund_not_closed",
    "撤销前须先结账：基金 {fund_id} 自 {period} 起尚未结账（R29）",
    "Close the fund's books first: fund {fund_id} is open from {period} (R29).",
)
OrganisationFundHoldsMoney = leaf(
    Conflict,
    "organisation_fund_holds_money",
    "撤销前须转出或按决定处置余额：基金 {fund_id} 尚有 {amount_yuan}（R29）",
    "Transfer or close by a recorded decision first: fund {fund_id} still holds {amount_yuan} (R29).",
)
OrganisationDissolved = leaf(
    Conflict,
    "organisation_dissolved",
    "组织已撤销：{org_id}",
    "Organisation {org_id} is dissolved.",
)
DateBeforeEstablished = leaf(
    InvalidRequest,
    "date_before_established",
    "日期 {date} 早于成立日期 {established_on}",
    "{date} is before the establishment date {established_on}.",
)
OwnerNotAccountingEntity = leaf(
    InvalidRequest,
    "owner_not_accounting_entity",
    "{kind} 不是核算单位，不能持有基金",
    "A {kind} is not an accounting entity and cannot own a fund.",
)
OfficeAlreadyHeld = leaf(
    Conflict,
    "office_already_held",
    "该人员已担任此职务",
    "The person already holds this office.",
)
OfficeNotHeld = leaf(
    Conflict, "office_not_held", "该人员未担任此职务", "The person does not hold this office."
)
MembershipRequiresBranch = leaf(
    InvalidRequest,
    "membership_requires_branch",
    "组织关系只能落在党支部",
    "Formal membership is held in a branch.",
)
AlreadyAMember = leaf(
    Conflict,
    "already_a_member",
    "该党员已有组织关系，请办理转接",
    "The person already belongs to a branch; record a transfer instead.",
)
NotAMember = leaf(Conflict, "not_a_member", "该人员当前没有组织关系", "The person has no current membership.")
TransferToSameBranch = leaf(
    InvalidRequest,
    "transfer_to_same_branch",
    "转入支部与转出支部相同",
    "A transfer must go to another branch.",
)
DateBeforeMembership = leaf(
    InvalidRequest,
    "date_before_membership",
    "日期早于当前组织关系的开始日期",
    "The date is before the current membership began.",
)
PersonDeceased = leaf(Conflict, "person_deceased", "该人员已去世", "The person is deceased.")
