"""Every stored code the console may show, in words (issue 19 item 4): the journal's kind reads
救助金发放, not ``aid``; my role reads 会计, not ``bookkeeper``.

One table per group of codes, (zh, en) for each. ``ENUMS`` names the domain's own tuple of
every group that has one, so that ``tests/web/test_console_code_words.py`` fails the day a
code is added to the domain without its words here.
"""

from __future__ import annotations

from ledger.domain import aid_case, fund, fund_policy, organisation, person, user
from ledger.exports import labels

Words = dict[str, tuple[str, str]]

ENTRY: Words = {
    "donation": ("捐款收入", "Donation"),
    "grant": ("拨款收入", "Grant"),
    "interest": ("利息收入", "Interest"),
    "expense": ("费用支出", "Expense"),
    "stipend": ("补贴发放", "Stipend"),
    "aid": ("救助金发放", "Aid payment"),
    "fee": ("收取费用", "Fee payment"),
    "refund": ("退还结余", "Refund"),
    "transfer": ("基金间调拨", "Transfer between funds"),
    "transfer_in": ("调入", "Transfer in"),
    "transfer_out": ("调出", "Transfer out"),
    "reversal": ("红字冲销", "Reversal"),
    "cash_move": ("存取现金", "Cash moved"),
}
ROLE: Words = {  # the console's users' roles (权限)
    "admin": ("管理员", "Administrator"),
    "bookkeeper": ("会计", "Bookkeeper"),
    "cashier": ("出纳", "Cashier"),
    "approver": ("审批人", "Approver"),
    "auditor": ("审计／监督", "Auditor"),
    "member": ("党员（只读）", "Member (reads only)"),
}
OFFICE: Words = {  # offices held in an organisation (职务)
    "secretary": ("书记", "Secretary"),
    "deputy_secretary": ("副书记", "Deputy secretary"),
    "organising_member": ("组织委员", "Organising member"),
    "propaganda_member": ("宣传委员", "Propaganda member"),
    "discipline_member": ("纪检委员", "Discipline member"),
    "bookkeeper": ("会计", "Bookkeeper"),
    "cashier": ("出纳", "Cashier"),
    "fund_committee_member": ("基金管理小组成员", "Fund committee member"),
    "oversight_member": ("监督委员", "Oversight member"),
    "group_leader": ("党小组长", "Group leader"),
}
ORG_KIND: Words = dict(organisation.KIND_LABELS)
BRANCH_KIND: Words = {
    "ordinary": ("普通支部", "Ordinary branch"),
    "retiree": ("离退休党支部", "Retirees' branch"),
    "joint": ("联合党支部", "Joint branch"),
    "temporary": ("临时党支部", "Temporary branch"),
}
MEMBERSHIP_STATUS: Words = {"full": ("正式党员", "Full member"), "probationary": ("预备党员", "Probationary")}
PERSON_CATEGORY: Words = {
    "employed": ("在岗职工", "Employed"),
    "retired": ("离退休人员", "Retired"),
    "farmer": ("农牧渔民", "Farmer"),
    "student": ("学生", "Student"),
    "unemployed": ("无固定职业", "Unemployed"),
    "relief": ("享受救济", "On relief"),
    "min_living_allowance": ("领取低保", "Minimum living allowance"),
    "annual_salary": ("年薪制人员", "Annual salary"),
    "self_employed": ("个体从业", "Self-employed"),
    "resident": ("居民", "Resident"),
}
LEAVE_REASON: Words = {
    "deemed_lapsed": ("自行脱党", "Deemed lapsed"),
    "expelled": ("开除党籍", "Expelled"),
    "withdrew": ("退党", "Withdrew"),
    "removed": ("除名", "Removed"),
}
FUND_KIND: Words = {
    "mutual_aid": ("党员互助金", "Mutual aid"),
    "activity": ("活动经费", "Activities"),
    "special_project": ("专项经费", "Special project"),
    "collection": ("集资／活动费", "Collection"),
}
CUSTODY_KIND: Words = {
    "cash_box": ("现金（保险柜）", "Cash box"),
    "bank_account": ("银行账户", "Bank account"),
    "held_by_org": ("上级或他单位代管", "Held by another organisation"),
}
ACCOUNT: Words = {"cash": ("库存现金", "Cash"), "bank": ("银行存款", "Bank")}
DONOR_KIND: Words = {
    "member": ("党员", "Member"),
    "resident": ("居民", "Resident"),
    "partner_unit": ("共建单位", "Partner unit"),
    "company": ("企业", "Company"),
    "other": ("其他", "Other"),
}
GRANT_KIND: Words = {code: (zh, code.replace("_", " ").capitalize()) for code, zh in labels.GRANTS.items()}
PURPOSE: Words = {code: (zh, code.replace("_", " ").capitalize()) for code, zh in labels.CATEGORIES.items()}
AID_KIND: Words = {
    "one_off": ("一次性救助", "One-off"),
    "recurring": ("定期救助", "Recurring"),
    "festival_visit": ("节日慰问", "Festival visit"),
    "bereavement": ("丧事慰问", "Bereavement"),
    "hospitalisation": ("住院慰问", "Hospitalisation"),
    "disaster": ("灾害救助", "Disaster"),
}
AID_STATUS: Words = {
    "applied": ("审批中", "Collecting signatures"),
    "approved": ("已批准（公示中）", "Approved (on notice)"),
    "rejected": ("已驳回", "Rejected"),
    "cancelled": ("已撤销", "Cancelled"),
    "paid": ("已发放", "Paid"),
}
OUTCOME: Words = {
    "upheld": ("异议成立", "Upheld"),
    "partly_upheld": ("部分成立", "Partly upheld"),
    "dismissed": ("异议不成立", "Dismissed"),
}
COLLECTION_STATUS: Words = {
    "open": ("收取中", "Open"),
    "settled": ("已结算", "Settled"),
    "closed": ("已关闭", "Closed"),
}
FEE_BASIS: Words = {
    "equal_split": ("总额均摊（AA）", "Split equally"),
    "per_head": ("按人头定额", "Per head"),
}
REFUND_RULE: Words = {"pro_rata": ("按缴费比例退还", "Pro rata"), "equal": ("平均退还", "Equally")}

GROUPS: dict[str, Words] = {
    "entry": ENTRY,
    "role": ROLE,
    "office": OFFICE,
    "org_kind": ORG_KIND,
    "branch_kind": BRANCH_KIND,
    "membership_status": MEMBERSHIP_STATUS,
    "person_category": PERSON_CATEGORY,
    "leave_reason": LEAVE_REASON,
    "fund_kind": FUND_KIND,
    "custody_kind": CUSTODY_KIND,
    "account": ACCOUNT,
    "donor_kind": DONOR_KIND,
    "grant_kind": GRANT_KIND,
    "purpose": PURPOSE,
    "aid_kind": AID_KIND,
    "aid_status": AID_STATUS,
    "outcome": OUTCOME,
    "collection_status": COLLECTION_STATUS,
    "fee_basis": FEE_BASIS,
    "refund_rule": REFUND_RULE,
}
# The domain's own list of each group that has one: a code added there needs its words here.
ENUMS: dict[str, tuple[str, ...]] = {
    "role": user.ROLES,
    "office": organisation.OFFICE_ROLES,
    "org_kind": organisation.KINDS,
    "branch_kind": organisation.BRANCH_KINDS,
    "membership_status": person.MEMBERSHIP_STATUSES,
    "person_category": person.CATEGORIES,
    "leave_reason": person.LEAVE_REASONS,
    "fund_kind": fund_policy.FUND_KINDS,
    "custody_kind": fund_policy.CUSTODY_KINDS,
    "account": fund_policy.ACCOUNTS,
    "donor_kind": fund.DONOR_KINDS,
    "grant_kind": fund.GRANT_KINDS,
    "aid_kind": fund_policy.AID_KINDS,
    "outcome": aid_case.OBJECTION_OUTCOMES,
    "fee_basis": fund.FEE_BASES,
    "refund_rule": fund.REFUND_RULES,
}


def word(group: str, code: str, lang: str) -> str:
    """``code`` of ``group`` in words; the code itself only if none is known (the test fails)."""
    pair = GROUPS[group].get(code)
    return pair[lang == "en"] if pair else code


def any_word(code: str, lang: str) -> str:
    """A code whose group the caller does not know (a setup form's choices), in words."""
    for words in GROUPS.values():
        if code in words:
            return words[code][lang == "en"]
    return code
