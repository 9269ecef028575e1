"""The words of the noticeboard: column heads and fixed texts in Chinese (default) and English,
and the public names of categories. Entry texts (summaries, names) stay as recorded, in Chinese."""

from __future__ import annotations

from ledger.domain import errors

LANGS = ("zh", "en")

COLUMNS = ("no", "date", "voucher", "summary", "income", "expense", "balance", "handler", "note")

TEXTS: dict[str, dict[str, str]] = {
    "zh": {
        "no": "序号",
        "date": "日期",
        "voucher": "凭证号",
        "summary": "摘要/事由",
        "income": "收入",
        "expense": "支出",
        "balance": "余额",
        "handler": "经办人",
        "note": "备注",
        "title_suffix": "收支情况公示",
        "posting": "公示期",
        "unit": "单位：元",
        "opening": "上期结余",
        "totals": "本期合计",
        "closing": "本期结余",
        "split": "其中银行存款{bank}，库存现金{cash}",
        "capital_opening": "上期结余",
        "capital_income": "本期收入",
        "capital_expense": "本期支出",
        "capital_closing": "本期结余",
        "capitals": "大写",
        "bookkeeper": "会计",
        "cashier": "出纳",
        "reviewer": "审核",
        "leader": "负责人（书记）",
        "issuer": "公示单位",
        "stamp": "（盖章）",
        "provisional": "临时 — 本期尚未结账，数字可能变动",
        "not_sealed": "尚未封存",
        "seal": "封存指纹",
        "seal_position": "事件日志位置",
        "as_of_position": "本表数据截至账簿第 {position} 笔记录",
        "prev_page": "上一页",
        "next_page": "下一页",
        "page_of": "本页为序号 {first} 至 {last}；本期共 {count} 张凭证，打印版（PDF）列出全部",
        "check_caption": "扫码核对本公示与账簿是否一致",
        "objection": (
            "如对公示内容有异议，请于公示期内通过社区党群服务中心意见箱、监督电话"
            "或直接向{issuer}纪检委员反映，可署名亦可匿名；我们将在10日内予以答复。"
            "原始凭证存{issuer}，党员群众可预约查阅。"
        ),
        "objection_channels": (
            "如对公示内容有异议，请于公示期内通过{opinion_box}的意见箱、监督电话（{phone}）"
            "或直接向{discipline_title}反映，可署名亦可匿名；我们将在10日内予以答复。"
            "原始凭证存{issuer}，党员群众可预约查阅。"
        ),
        "downloads": "下载",
        "index_title": "公示栏",
        "index_intro": "各组织的资金收支公示，按月、季、年。",
        "api_docs": "接口文档（API）",
        "internal": "内部公示（仅限党员）",
        "year": "年",
        "latest": "最新公示",
        "larger_sheet": "本期较长，A4 纸两页印不下，可用 A3 纸打印（字号不变）：",
        "sheet_a3": "A3 打印版",
        "sheet_pdf_a3": "PDF（A3）",
        "latest_none": "尚无已结账的公示",
        "members_notice": "会员和党费公示（人数与合计）",
        "posted_badge": "已结账",
        "posted_means": "本期已结账，数字不再变动；",
        "provisional_badge": "临时",
        "provisional_means": "本期尚未结账，数字可能变动。",
        "posted_count": "已结账 {posted} / 共 {all} 期",
        "index_footer": "对公示有疑问，请按各公示单上的方式反映。",
    },
    "en": {
        "no": "No.",
        "date": "Date",
        "voucher": "Voucher",
        "summary": "Summary",
        "income": "Income",
        "expense": "Expense",
        "balance": "Balance",
        "handler": "Handled by",
        "note": "Notes",
        "title_suffix": "statement of income and spending",
        "posting": "Posting period",
        "unit": "Unit: yuan",
        "opening": "Opening balance",
        "totals": "Period totals",
        "closing": "Closing balance",
        "split": "bank {bank}, cash {cash}",
        "capital_opening": "Opening balance",
        "capital_income": "Income",
        "capital_expense": "Expense",
        "capital_closing": "Closing balance",
        "capitals": "In capital numerals",
        "bookkeeper": "Bookkeeper",
        "cashier": "Cashier",
        "reviewer": "Reviewer",
        "leader": "Person in charge (secretary)",
        "issuer": "Issued by",
        "stamp": " (seal)",
        "provisional": "Provisional — this period is not closed yet; figures may change",
        "not_sealed": "not sealed yet",
        "seal": "Seal fingerprint",
        "seal_position": "event log position",
        "as_of_position": "Figures as of record {position} of the books",
        "prev_page": "Previous page",
        "next_page": "Next page",
        "page_of": (
            "This page shows lines {first} to {last}; the period holds {count} vouchers, "
            "all of them in the printed version (PDF)"
        ),
        "check_caption": "Scan to check this notice against the books (扫码核对本公示与账簿是否一致)",
        "objection": (
            "If you object to anything posted, tell us within the posting period through the "
            "opinion box, the supervision phone, or the discipline member of {issuer}. You may sign "
            "or stay anonymous. We answer within 10 days. Source documents are kept by {issuer}; "
            "members and residents may make an appointment to inspect them."
        ),
        "objection_channels": (
            "If you object to anything posted, tell us within the posting period through the "
            "opinion box at {opinion_box}, the supervision phone ({phone}), or {discipline_title}. "
            "You may sign or stay anonymous. We answer within 10 days. Source documents are kept "
            "by {issuer}; members and residents may make an appointment to inspect them."
        ),
        "downloads": "Download",
        "index_title": "Noticeboard",
        "index_intro": "Statements of every organisation's funds, by month, quarter and year.",
        "api_docs": "API documentation",
        "internal": "Internal board (members only)",
        "year": "",
        "latest": "Latest notice",
        "larger_sheet": ("This period does not fit on two A4 pages; print it on A3 (same type size): "),
        "sheet_a3": "A3 page",
        "sheet_pdf_a3": "PDF (A3)",
        "latest_none": "No closed period posted yet",
        "members_notice": "Members and dues (counts and totals)",
        "posted_badge": "Closed",
        "posted_means": "the period is closed and its figures are final;",
        "provisional_badge": "Provisional",
        "provisional_means": "the period is not closed yet and its figures may change.",
        "posted_count": "{posted} of {all} closed",
        "index_footer": "Questions about a notice: use the channels printed on that notice.",
    },
}

CATEGORIES = {
    "hardship_aid": "困难党员救助",
    "activities": "组织活动",
    "study_materials": "学习资料",
    "visits": "走访慰问",
    "venue_equipment": "阵地设备购置",
    "wall_repair": "围墙修缮",
    "fee": "缴纳费用",  # a collection's participant pays (their line: this and the shown name)
    "refund": "退还结余",  # 多退: a participant's share of the surplus
}
GRANTS = {
    "dues_rebate": "党费返还",
    "unit_guarantee": "单位保障经费",
    "special_project": "专项拨款",
    "fiscal": "财政拨款",
    "dues_injection": "党费注入",
}
AID_KINDS = {  # a paid case's line when its public category is not known (never its reason)
    "one_off": "临时救助",
    "recurring": "长期生活补贴",
    "festival_visit": "节日走访慰问",
    "bereavement": "党员去世慰问家属",
    "hospitalisation": "慰问因病住院党员",
    "disaster": "受灾救助",
}
CAMPAIGNS = {"july_1": "“七一”党员捐献", "one_day_pay": "党员“一日捐”"}
STIPEND_ROLES = {"secretary": "书记", "deputy_secretary": "副书记", "group_leader": "党小组长"}


def objection(issuer: str, supervision: dict[str, str] | None, lang: str) -> str:
    """The objection instructions of every notice: with the issuer's supervision channels
    (监督电话, 意见箱, whom to tell) where set, else the generic text; never an API route."""
    if supervision is None:
        return TEXTS[lang]["objection"].format(issuer=issuer)
    return TEXTS[lang]["objection_channels"].format(issuer=issuer, **supervision)


def check_lang(lang: object) -> str:
    if lang not in LANGS:
        raise errors.ValueNotAllowed(field="lang", value=str(lang), allowed=", ".join(LANGS))
    return str(lang)


def period_label(period: str, lang: str) -> str:
    """``2024-07`` → 2024年7月, ``2024-Q3`` → 2024年第三季度, ``2024`` → 2024年度."""
    year = period[:4]
    if len(period) == 4:
        return f"{year}年度" if lang == "zh" else f"year {year}"
    if period[5] == "Q":
        quarter = int(period[6])
        return f"{year}年第{'一二三四'[quarter - 1]}季度" if lang == "zh" else f"Q{quarter} {year}"
    month = int(period[5:])
    return f"{year}年{month}月" if lang == "zh" else f"{year}-{month:02d}"


def zh_date(iso: str) -> str:
    return f"{int(iso[:4])}年{int(iso[5:7])}月{int(iso[8:10])}日"
