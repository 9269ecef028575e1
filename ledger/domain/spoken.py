"""How a refusal's details read to a person (issue 19): amounts in yuan with their capitals, never
fen; a form field by its label, never its code; an account by its name.

``LedgerError`` keeps its ``details`` as they are (integer fen, field codes) for API clients and
support; its messages are filled from these words instead. A detail ``x_fen`` gives ``x_yuan``
(``8,147.40 元``) and ``x_capital`` (``捌仟壹佰肆拾柒元肆角``); ``field`` gives ``field_name``;
``account`` gives ``account_name``; ``date`` gives ``date_words`` (``today`` → 今天).
"""

from __future__ import annotations

from typing import Any

from ledger.domain.numerals import AMOUNT_CEILING_FEN, write_capital, write_figures

# Form fields by the words the console and the API documentation use (zh, en).
FIELD_NAMES: dict[str, tuple[str, str]] = {
    "amount": ("金额", "the amount"),
    "amount_fen": ("金额", "the amount"),
    "requested_fen": ("申请金额", "the amount applied for"),
    "occurred_on": ("业务日期", "the business date"),
    "paid_on": ("发放日期", "the payment date"),
    "applied_on": ("申请日期", "the application date"),
    "handed_over_on": ("移交日期", "the handover date"),
    "effective_on": ("生效日期", "the effective date"),
    "from_date": ("开始日期", "the start date"),
    "to_date": ("结束日期", "the end date"),
    "term_end": ("任期届满日期", "the end of the term"),
    "date": ("日期", "the date"),
    "period": ("会计期间", "the period"),
    "months": ("所属月份", "the months"),
    "from_month": ("起始月份", "the first month"),
    "from_year": ("起始年份", "the first year"),
    "to_year": ("截止年份", "the last year"),
    "year": ("年度", "the year"),
    "reason": ("冲销原因", "the reason"),
    "doc_refs": ("原始凭证编号", "the source documents"),
    "evidence_refs": ("证明材料", "the evidence"),
    "memo": ("内部备注", "the internal memo"),
    "public_summary": ("公示摘要", "the public summary"),
    "account": ("账户", "the account"),
    "from_account": ("转出账户", "the account to move from"),
    "to_account": ("转入账户", "the account to move to"),
    "donor_kind": ("捐款人类别", "the donor kind"),
    "donor_person_id": ("捐款党员", "the donating member"),
    "donor_name": ("捐款人名称", "the donor's name"),
    "receipt_no": ("收据号", "the receipt number"),
    "grant_kind": ("拨款类别", "the grant kind"),
    "grantor_name": ("拨款单位", "the grantor"),
    "bank_ref": ("银行回单号", "the bank slip reference"),
    "category": ("用途", "the purpose"),
    "payee": ("收款人", "the payee"),
    "payee_person_id": ("收款党员", "the payee member"),
    "handled_by": ("经办人", "who handled it"),
    "approved_by": ("审批人", "who approved it"),
    "witnessed_by": ("证明人", "the witness"),
    "person_id": ("人员", "the person"),
    "beneficiary_person_id": ("受助人", "the beneficiary"),
    "applicant_person_id": ("申请人", "the applicant"),
    "role": ("职务", "the office"),
    "to_fund_id": ("转入基金", "the fund to transfer to"),
    "decision_ref": ("集体决议文号", "the collective decision reference"),
    "reviewed_by": ("审核人", "the reviewer"),
    "participants": ("参与人", "the participants"),
    "name_zh": ("姓名", "the name"),
    "login": ("登录名", "the login name"),
    "password": ("密码", "the password"),
    "inventory_ref": ("移交清单编号", "the inventory list"),
    "difference_note": ("差额说明", "the note on the difference"),
    "cash_counted": ("实点现金", "the cash counted"),
    "bank_balance": ("银行对账单余额", "the bank statement balance"),
    "to_person_id": ("接交人", "who takes over"),
    "supervisor_person_id": ("监交人", "the supervisor"),
    "objection_text": ("异议内容", "the objection"),
    "answer_text": ("答复内容", "the answer"),
    "confirm_irreversible": ("结账确认", "the confirmation"),
    "phone": ("电话", "the phone number"),
}

ACCOUNT_NAMES: dict[str, tuple[str, str]] = {
    "bank": ("银行存款账户", "the bank account"),
    "cash": ("库存现金", "the cash box"),
    "available": ("本基金（扣除已预留的救助金后）", "the fund (after the aid already reserved)"),
}


def spoken(details: dict[str, Any], lang: str) -> dict[str, Any]:
    """``details`` plus the words a message is written with, in ``lang`` ("zh" or "en")."""
    en = lang == "en"
    words = dict(details)
    for key, value in details.items():
        if key.endswith("_fen") and isinstance(value, int) and not isinstance(value, bool):
            stem = key[: -len("_fen")]
            words[f"{stem}_yuan"] = f"{write_figures(value)} {'yuan' if en else '元'}"
            within = abs(value) <= AMOUNT_CEILING_FEN  # above it, the digits stand alone
            words[f"{stem}_capital"] = write_capital(abs(value)).removeprefix("人民币") if within else "—"
    for key in ("field", "earlier_field"):
        if key in details:
            pair = FIELD_NAMES.get(str(details[key]))
            words[f"{key}_name"] = pair[en] if pair else str(details[key])
    if "account" in details:
        pair = ACCOUNT_NAMES.get(str(details["account"]))
        words["account_name"] = pair[en] if pair else str(details["account"])
    if "date" in details:
        day = str(details["date"])
        words["date_words"] = ("today" if en else "今天") if day == "today" else day
    return words
