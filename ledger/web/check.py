"""The public check page behind a notice's QR code (扫码核对): ``/check/{fingerprint}`` and
``/check/{fingerprint}/{period}``, no sign-in. It says in plain words which fund and period the
seal closes, shows the sealed figures with 大写, and whether the books today still reproduce
them exactly (``ledger.audit.public_check``): 一致, or each mismatch named."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ledger.api.deps import ViewsDep
from ledger.audit import public_check
from ledger.domain.money import format_amount
from ledger.exports import labels
from ledger.exports.html import environment, narrow_stylesheet, stylesheet
from ledger.exports.statement import capital

router = APIRouter(tags=["noticeboard"])
Lang = Annotated[str, Query(description="zh (default) or en")]

TEXTS = {
    "zh": {
        "title": "公示核对",
        "intro": "本页用账簿今天的记录重新核算，核对公示上的封存指纹和金额是否与账簿一致。",
        "seals": "封存指纹 {fp} 封存的是：{issuer} {fund} {period}的收支公示（{closed}结账）。",
        "ok": "一致",
        "ok_text": "账簿今天仍然完全得出公示时封存的数字，封存以来账簿没有被改动。",
        "bad": "不一致",
        "bad_text": "账簿今天已不能得出公示时封存的内容：",
        "chain": "账簿在封存之后被改动：第 {position} 条记录（{what}）与封存时的记录不同。",
        "chain_gone": "账簿在封存之后被改动：封存时的记录已不完整。",
        "figure": "{label}：公示（封存）为 {sealed} 元，账簿今天为 {today} 元。",
        "opening_fen": "上期结余",
        "income_fen": "本期收入",
        "expense_fen": "本期支出",
        "closing_fen": "本期结余",
        "figures": "封存的金额（单位：元）",
        "sealed_col": "公示（封存）",
        "capital_col": "大写",
        "report": "如发现不一致，请按公示上的方式向监督电话、意见箱或纪检委员反映。",
    },
    "en": {
        "title": "Check a notice",
        "intro": (
            "This page recomputes the books as they are today and checks the notice's seal and "
            "figures against them."
        ),
        "seals": "Seal {fp} closes the statement of {fund} ({issuer}) for {period} (closed on {closed}).",
        "ok": "Consistent (一致)",
        "ok_text": (
            "The books today still give exactly the figures sealed on the notice; nothing was changed since."
        ),
        "bad": "Mismatch (不一致)",
        "bad_text": "The books today no longer give what the notice sealed:",
        "chain": (
            "The books were changed after the seal: record {position} ({what}) differs from the sealed one."
        ),
        "chain_gone": "The books were changed after the seal: sealed records are missing.",
        "figure": "{label}: sealed {sealed} yuan, the books today {today} yuan.",
        "opening_fen": "Opening balance",
        "income_fen": "Income",
        "expense_fen": "Expense",
        "closing_fen": "Closing balance",
        "figures": "The sealed figures (yuan)",
        "sealed_col": "Sealed",
        "capital_col": "In capitals",
        "report": (
            "If they differ, tell the supervision phone, the opinion box or the discipline member "
            "named on the notice."
        ),
    },
}
# what a changed record was, in plain words (never its content)
RECORD_KINDS = {
    "DonationReceived": "一笔捐款收入",
    "GrantReceived": "一笔拨款收入",
    "InterestCredited": "一笔利息收入",
    "FeePaid": "一笔缴费收入",
    "TransferredIn": "一笔资金调入",
    "ExpensePaid": "一笔支出",
    "AidPaid": "一笔救助支出",
    "StipendPaid": "一笔补贴支出",
    "RefundPaid": "一笔退款",
    "TransferredOut": "一笔资金调出",
    "EntryReversed": "一笔冲销",
    "CashMoved": "一笔存取现",
    "PeriodClosed": "一次结账",
}


@router.get("/check/{fingerprint}", response_class=HTMLResponse, include_in_schema=False)
def check_seal(fingerprint: str, request: Request, views: ViewsDep, lang: Lang = "zh") -> HTMLResponse:
    return _page(fingerprint, None, request, views, lang)


@router.get("/check/{fingerprint}/{period}", response_class=HTMLResponse, include_in_schema=False)
def check_notice(
    fingerprint: str, period: str, request: Request, views: ViewsDep, lang: Lang = "zh"
) -> HTMLResponse:
    return _page(fingerprint, period, request, views, lang)


def _page(fingerprint: str, period: str | None, request: Request, views: ViewsDep, lang: str) -> HTMLResponse:
    lang = labels.check_lang(lang)
    decode = request.app.state.ledger.mapper.to_domain_event
    result = public_check.check(views, fingerprint, period, decode)
    t = TEXTS[lang]
    problems = []
    if not result.chain_ok:
        kind = (result.altered_topic or "").rsplit(".", 1)[-1]
        what = RECORD_KINDS.get(kind, "一条记录") if lang == "zh" else kind or "a record"
        problems.append(
            t["chain"].format(position=result.altered_position, what=what)
            if result.altered_position
            else t["chain_gone"]
        )
    for key in result.differing():
        problems.append(
            t["figure"].format(
                label=t[key],
                sealed=format_amount(result.sealed[key]),
                today=format_amount(result.today.get(key, 0)),
            )
        )
    body = (
        environment()
        .get_template("check.html")
        .render(
            t=t,
            lang=lang,
            css=stylesheet(),
            narrow_css=narrow_stylesheet(),
            r=result,
            intro=t["seals"].format(
                fp=result.fingerprint,
                issuer=result.issuer,
                fund=result.fund_name,
                period=labels.period_label(result.period, lang),
                closed=labels.zh_date(result.closed_on) if lang == "zh" else result.closed_on,
            ),
            figures=[
                (t[k], format_amount(result.sealed[k]), capital(result.sealed[k]))
                for k in public_check.FIGURES
            ],
            problems=problems,
        )
    )
    return HTMLResponse(body)
