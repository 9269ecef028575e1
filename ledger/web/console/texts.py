"""The console's words, Chinese first: one key per label, ``zh`` and ``en`` for each."""

from __future__ import annotations

from ledger.exports.labels import CATEGORIES, GRANTS, STIPEND_ROLES

LANGS = ("zh", "en")

_PAIRS: dict[str, tuple[str, str]] = {
    "console": ("账务工作台", "Custodians' console"),
    "home": ("首页", "Home"),
    "sign_in": ("登录", "Sign in"),
    "sign_out": ("退出登录", "Sign out"),
    "token": ("访问令牌", "Access token"),
    "token_hint": (
        "请输入管理员发给您的访问令牌（以 fbk_ 开头）。",
        "Enter the access token your administrator gave you (it starts with fbk_).",
    ),
    "or_password": ("或用登录名和密码", "Or with a login name and password"),
    "login": ("登录名", "Login name"),
    "password": ("密码", "Password"),
    "signed_in_as": ("当前用户", "Signed in as"),
    "my_orgs": ("我的组织", "My organisations"),
    "my_roles": ("我的角色", "My roles"),
    "waiting": ("待办事项", "Waiting for me"),
    "nothing_waiting": ("暂无待办事项。", "Nothing is waiting."),
    "period_to_close": ("待结账月份", "Month to close"),
    "fund": ("基金", "Fund"),
    "balance": ("余额", "Balance"),
    "reserved": ("已预留", "Reserved"),
    "available": ("可用", "Available"),
    "bank": ("银行存款", "Bank"),
    "cash": ("库存现金", "Cash"),
    "open": ("打开", "Open"),
    "record": ("登记收支", "Record money"),
    "recent": ("最近凭证", "Recent vouchers"),
    "voucher": ("凭证号", "Voucher"),
    "date": ("日期", "Date"),
    "kind": ("类别", "Kind"),
    "income": ("收入", "Income"),
    "expense": ("支出", "Expense"),
    "running": ("结余", "Balance"),
    "reverse": ("红字冲销", "Reverse"),
    "reversed_by": ("已被冲销", "Reversed by"),
    "reverses": ("冲销凭证", "Reverses"),
    "close_period": ("月末结账", "Close a period"),
    "members": ("成员", "Members"),
    "audit": ("审计查询", "Audit"),
    "journal": ("日记账", "Journal"),
    "balances_as_of": ("截至某日的余额", "Balances as of a date"),
    "as_of": ("截至日期", "As of"),
    "show": ("查询", "Show"),
    "check": ("下一步：核对", "Next: check"),
    "confirm": ("确认登记", "Confirm and record"),
    "edit": ("返回修改", "Go back and edit"),
    "confirm_title": ("请核对后确认", "Check, then confirm"),
    "confirm_hint": (
        "请对照原始凭证核对大写金额，确认无误后再登记。",
        "Check the amount in capital numerals against the source document before recording.",
    ),
    "amount": ("金额（元）", "Amount (yuan)"),
    "amount_capital": ("大写金额", "Amount in capitals"),
    "counterparty": ("对方（已遮蔽）", "Counterparty (masked)"),
    "occurred_on": ("业务日期", "Business date"),
    "doc_refs": ("原始凭证（多个用逗号分隔）", "Source documents (comma-separated)"),
    "memo": ("摘要", "Memo"),
    "account": ("账户", "Account"),
    "account_default": ("按基金保管方式", "By the fund's custody"),
    "donor_kind": ("捐款人类别", "Donor kind"),
    "donor_person_id": ("捐款党员", "Donating member"),
    "donor_name": ("捐款人名称", "Donor's name"),
    "receipt_no": ("收据号", "Receipt no."),
    "grant_kind": ("拨款类别", "Grant kind"),
    "grantor_name": ("拨款单位", "Grantor"),
    "bank_ref": ("银行回单号", "Bank slip ref."),
    "category": ("用途", "Purpose"),
    "payee": ("收款人", "Payee"),
    "payee_person_id": ("收款党员（如是）", "Payee member (if one)"),
    "handled_by": ("经办人", "Handled by"),
    "approved_by": ("审批人", "Approved by"),
    "witnessed_by": ("证明人", "Witness"),
    "person_id": ("领取人", "Recipient"),
    "months": ("所属月份（如 2025-06，多个用逗号分隔）", "Months (e.g. 2025-06, comma-separated)"),
    "role": ("职务", "Office"),
    "to_fund_id": ("转入基金", "To fund"),
    "decision_ref": ("集体决议文号", "Collective decision ref."),
    "reason": ("冲销原因（必填）", "Reason (required)"),
    "original": ("原凭证", "Original"),
    "negation": ("红字冲销", "Negation"),
    "period": ("会计期间", "Period"),
    "preview": ("预览报表", "Preview the statement"),
    "close": ("确认结账", "Close the period"),
    "closed": ("已结账", "Closed"),
    "notice_link": ("查看公示页", "Open the public notice"),
    "recorded": ("已登记", "Recorded"),
    "replayed": ("此表单已提交过，未重复登记。", "This form was already submitted: recorded once."),
    "opening": ("上期结余", "Opening balance"),
    "closing": ("本期结余", "Closing balance"),
    "totals": ("本期合计", "Period totals"),
    "no_open_period": ("没有可结账的月份。", "No month can be closed yet."),
    "person": ("姓名", "Name"),
    "branch": ("支部", "Branch"),
    "donated": ("捐款", "Donated"),
    "paid_to": ("受助/报销", "Paid to"),
    "stipends": ("补贴", "Stipends"),
    "history": ("往来记录", "History"),
    "error": ("出错了", "Something was refused"),
    "error_code": ("错误代码", "Error code"),
    "back_home": ("返回首页", "Back to home"),
    "form_error": ("请更正以下内容", "Please correct this"),
    "page": ("页", "Page"),
    "next": ("下一页", "Next page"),
    "entry_donation": ("捐款收入", "Donation"),
    "entry_grant": ("拨款收入", "Grant"),
    "entry_interest": ("利息收入", "Interest"),
    "entry_expense": ("费用支出", "Expense"),
    "entry_stipend": ("补贴发放", "Stipend"),
    "entry_transfer": ("基金间调拨", "Transfer between funds"),
    "entry_transfer_in": ("调入", "Transfer in"),
    "entry_transfer_out": ("调出", "Transfer out"),
    "entry_reversal": ("红字冲销", "Reversal"),
    "entry_cash_move": ("存取现金", "Cash moved"),
    "donor_member": ("党员", "Member"),
    "donor_resident": ("居民", "Resident"),
    "donor_partner_unit": ("共建单位", "Partner unit"),
    "donor_company": ("企业", "Company"),
    "donor_other": ("其他", "Other"),
    "choose": ("请选择", "Choose"),
}

TEXTS: dict[str, dict[str, str]] = {
    lang: {key: pair[i] for key, pair in _PAIRS.items()} for i, lang in enumerate(LANGS)
}


def entry_label(kind: str, lang: str) -> str:
    """A journal row's kind in words (donation → 捐款收入)."""
    return TEXTS[lang].get(f"entry_{kind}", kind)


def choice_label(field: str, value: str, lang: str) -> str:
    """A stored choice in words: purposes, grant kinds, donor kinds, offices (Chinese labels
    come from the noticeboard's; English shows the stored value)."""
    if field == "donor_kind":
        return TEXTS[lang].get(f"donor_{value}", value)
    if lang == "en":
        return value
    table = {"category": CATEGORIES, "grant_kind": GRANTS, "role": STIPEND_ROLES}.get(field, {})
    return table.get(value, value)
