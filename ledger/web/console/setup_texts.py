"""The setup pages' words (Chinese, English): form titles, field labels and choices. Kept apart
from ``texts`` so that the money forms' table stays one concern."""

from __future__ import annotations

from ledger.domain.organisation import KIND_LABELS
from ledger.web.console import code_words
from ledger.web.console.texts import LANGS

_PAIRS: dict[str, tuple[str, str]] = {
    "setup": ("设置", "Setup"),
    "setup_hint": (
        "管理员在此登记组织、人员、组织关系、职务、基金和用户。每项先核对，再确认登记。",
        "Administrators register organisations, people, memberships, offices, funds and users "
        "here. Each is read back before it is recorded.",
    ),
    "setup_done": ("已登记。", "Recorded."),
    "form_organisation": ("登记组织", "Register an organisation"),
    "form_person": ("登记人员", "Register a person"),
    "form_membership": ("登记组织关系", "Record a membership"),
    "form_transfer": ("组织关系转接", "Transfer a membership"),
    "form_office": ("任命职务", "Appoint an office holder"),
    "form_stipend_terms": ("补贴标准", "Stipend terms"),
    "form_fund": ("设立基金", "Establish a fund"),
    "fund_id": ("支付基金", "Paying fund"),
    "monthly": ("每月标准（元）", "Monthly (yuan)"),
    "from_month": ("起始月份（YYYY-MM）", "From month (YYYY-MM)"),
    "form_user": ("用户与角色", "User, role and password"),
    "organisations": ("组织", "Organisations"),
    "people": ("人员", "People"),
    "kind": ("类别", "Kind"),
    "name_zh": ("名称／姓名", "Name"),
    "parent_org_id": ("上级组织（顶级不填）", "Parent (empty for a root)"),
    "established_on": ("成立日期", "Established on"),
    "branch_kind": ("支部类型（仅党支部）", "Branch kind (branches only)"),
    "doc_ref": ("文件依据", "Document"),
    "public_notice": ("同意公开姓名（公示栏）", "Consents to be named publicly"),
    "internal_notice": ("同意内部公开姓名", "Consents to be named internally"),
    "consent_doc_ref": ("同意书编号", "Consent form"),
    "person_id": ("人员", "Person"),
    "org_id": ("组织", "Organisation"),
    "to_org_id": ("转入支部", "To branch"),
    "effective_on": ("生效日期", "Effective on"),
    "membership_status": ("党员类别", "Membership status"),
    "category": ("人员类别", "Category"),
    "letter_no": ("介绍信编号", "Letter number"),
    "role": ("职务／角色", "Office / role"),
    "from_date": ("任职起始日期", "From"),
    "term_end": ("任期届满日期", "Term ends"),
    "owner_org_id": ("所属组织", "Owner"),
    "allowed_purposes": ("允许用途（逗号分隔）", "Allowed purposes (comma separated)"),
    "custody_kind": ("资金存放方式", "Custody"),
    "custody_ref": ("账户或代管单位", "Account or keeper"),
    "stipends_allowed": ("允许支付工作补贴", "Stipends allowed"),
    "two_signers_above": ("超过此金额须两人审批（元）", "Two signers above (yuan)"),
    "collective_decision_above": ("超过此金额须集体决定（元）", "Collective decision above (yuan)"),
    "charter_doc_ref": ("章程编号", "Charter"),
    "login": ("登录名", "Login name"),
    "password": ("密码（至少10位）", "Password (10+ characters)"),
    "yes": ("是", "Yes"),
    "no": ("否", "No"),
    "hidden_password": ("（已填写，不显示）", "(given, not shown)"),
    "setup_confirm": ("确认登记", "Confirm and record"),
    "setup_check_hint": (
        "请核对以下内容，确认无误后再登记。",
        "Check what will be recorded, then confirm.",
    ),
}
for _kind, (_zh, _en) in KIND_LABELS.items():
    _PAIRS[f"kind_{_kind}"] = (_zh, _en)
for _key, _zh in {
    "mutual_aid": "党员互助金",
    "activity": "活动经费",
    "special_project": "专项经费",
    "collection": "集资／活动费",
    "cash_box": "现金（保险柜）",
    "bank_account": "银行账户",
    "held_by_org": "上级或他单位代管",
    "ordinary": "普通支部",
    "retiree": "离退休党支部",
    "joint": "联合党支部",
    "temporary": "临时党支部",
    "full": "正式党员",
    "probationary": "预备党员",
    "admin": "管理员",
    "bookkeeper": "会计",
    "cashier": "出纳",
    "approver": "审批人",
    "auditor": "审计／监督",
    "member": "党员（只读）",
    "secretary": "书记",
    "deputy_secretary": "副书记",
}.items():
    _PAIRS.setdefault(f"kind_{_key}", (_zh, _key))

SETUP_TEXTS: dict[str, dict[str, str]] = {
    lang: {key: pair[i] for key, pair in _PAIRS.items()} for i, lang in enumerate(LANGS)
}


def choice(value: str, lang: str) -> str:
    """A stored choice in words (街道党工委 for street_committee); the code if none is known."""
    return SETUP_TEXTS[lang].get(f"kind_{value}") or code_words.any_word(value, lang)
