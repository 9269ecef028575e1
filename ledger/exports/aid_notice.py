"""The aid-proposal notice (拟救助对象公示, docs/board.md): ONE model of the notice an approved
aid case posts before payment, built from the read models, from which the page, the PDF and the
JSON are rendered.

What is on it: the issuing organisation and fund; the posting window (公示期, from the approval
day for the fund's ``posting_days``); one row — 所在支部, 姓名, 救助类别, 拟救助金额 in figures
and in capital numerals, 审批情况 (who signed); the objection instructions of the board with the
issuer's supervision channels (监督电话, 意见箱, whom to tell; never an API route, issue 16);
and that payment may not come before the day after the window (R19).

Privacy (R34, docs/board.md): the beneficiary is named in full only if the case records
publicity consent (``publicity_consent``), else masked (王*明). The case's public category
(``reason_public_category``) is shown, never its private reason, evidence, objections or
answers (none of them is read by this module). The signers are approvers acting in role,
so they are named in full, like the officials of the statement.

Which cases are on the board: approved or paid cases whose notice was posted, from the first day
of the window until ``RECENT_DAYS`` after its last day (then marked as ended). Anything else —
a case never publicised (still applied, rejected, or of a fund that does not publicise first),
cancelled, of another fund, or ended long ago — is ``aid_notice_not_found``, whether it exists
or not, so the board never reveals an application that was not publicised.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import orjson

from ledger.domain import errors
from ledger.domain.money import format_amount, to_capital
from ledger.exports import html as board_html
from ledger.exports import labels
from ledger.projections import queries
from ledger.projections.store import ViewStore

RECENT_DAYS = 30  # an ended notice stays listed (marked) this long after its last day
POSTING, ENDED = "posting", "ended"

TEXTS: dict[str, dict[str, str]] = {
    "zh": {
        "title_suffix": "拟救助对象公示",
        "no": "序号",
        "branch": "所在支部",
        "name": "姓名",
        "category": "救助类别",
        "amount": "拟救助金额（元）",
        "approval": "审批情况",
        "approved": "经{issuer}审批同意（签批：{signers}）",
        "collective": "，经集体研究决定",
        "capital": "拟救助金额（大写）",
        "payment": "公示期满且异议均已答复后方可发放，最早于{day}发放。",
        "ended": "公示期已结束",
        "posting_now": "公示中",
        "notices": "拟救助对象公示",
    },
    "en": {
        "title_suffix": "proposed aid recipients",
        "no": "No.",
        "branch": "Branch",
        "name": "Name",
        "category": "Aid category",
        "amount": "Proposed amount (yuan)",
        "approval": "Approval",
        "approved": "Approved by {issuer} (signed: {signers})",
        "collective": "; collective decision",
        "capital": "Proposed amount in capital numerals",
        "payment": (
            "Payment only after the posting period, once every objection is answered: not before {day}."
        ),
        "ended": "posting period ended",
        "posting_now": "posting now",
        "notices": "Proposed aid recipients",
    },
}


@dataclass(frozen=True)
class AidNotice:
    case_id: str
    fund_id: str
    fund_name: str
    issuer: str
    window_start: date
    window_end: date
    state: str  # POSTING or ENDED, on the day the notice was built
    branch: str
    name: str
    name_masked: bool
    category: str
    amount_fen: int
    signers: list[str]
    collective: bool
    supervision: dict[str, str] | None = None  # the issuer's 监督电话, 意见箱, whom to tell

    @property
    def capital(self) -> str:
        return to_capital(self.amount_fen)

    @property
    def pay_from(self) -> date:
        return self.window_end + timedelta(days=1)

    def title(self, lang: str) -> str:
        if lang == "zh":
            return f"{self.issuer} {self.fund_name}{TEXTS['zh']['title_suffix']}"
        return f"{self.issuer} {self.fund_name}: {TEXTS['en']['title_suffix']}"

    def approval(self, lang: str) -> str:
        text = TEXTS[lang]
        comma = "、" if lang == "zh" else ", "
        out = text["approved"].format(issuer=self.issuer, signers=comma.join(self.signers))
        return out + (text["collective"] if self.collective else "")


def listed(store: ViewStore, today: date, *, fund_id: str | None = None) -> list[AidNotice]:
    """Every notice on the board today (posting, or ended within ``RECENT_DAYS``), in order of
    application; a window that has not begun yet is not listed."""
    rows = queries.aid_notices(store, ended_since=today - timedelta(days=RECENT_DAYS), fund_id=fund_id)
    return [_notice(store, row, today) for row in rows if row["approved_on"] <= today.isoformat()]


def build(
    store: ViewStore, fund_id: str, case_id: str, today: date, supervision: dict[str, str] | None = None
) -> AidNotice:
    """The notice of one case of one fund, or ``aid_notice_not_found``."""
    since = today - timedelta(days=RECENT_DAYS)
    rows = queries.aid_notices(store, ended_since=since, fund_id=fund_id, case_id=case_id)
    if not rows or rows[0]["approved_on"] > today.isoformat():
        raise errors.AidNoticeNotFound(case_id=case_id)
    return replace(_notice(store, rows[0], today), supervision=supervision)


def _notice(store: ViewStore, row: dict[str, Any], today: date) -> AidNotice:
    start, end = date.fromisoformat(row["approved_on"]), date.fromisoformat(row["window_end"])
    orgs = queries.tree_on(store, start)
    fund_name = store.fetch("SELECT name_zh FROM v_fund WHERE fund_id = ?", (row["fund_id"],))[0][0]
    person = row["beneficiary_person_id"]
    name, mask = store.fetch("SELECT name_zh, display_mask FROM v_person WHERE person_id = ?", (person,))[0]
    return AidNotice(
        case_id=row["case_id"],
        fund_id=row["fund_id"],
        fund_name=fund_name,
        issuer=orgs[row["owner_org_id"]][0] if row["owner_org_id"] in orgs else "",
        window_start=start,
        window_end=end,
        state=POSTING if today <= end else ENDED,
        branch=_branch_on(store, person, start, orgs),
        name=name if row["publicity_consent"] else mask,
        name_masked=not row["publicity_consent"],
        category=row["public_category"],
        amount_fen=row["requested_fen"],
        signers=[_full_name(store, signer) for signer in row["signed_by"]],
        collective=row["decision_required"],
    )


def _branch_on(store: ViewStore, person_id: str, day: date, orgs: dict[str, Any]) -> str:
    iso = day.isoformat()
    for org, start, end in store.fetch(
        "SELECT org_id, from_date, to_date FROM v_membership WHERE person_id = ? ORDER BY position",
        (person_id,),
    ):
        if start <= iso and (end is None or iso <= end) and org in orgs:
            return str(orgs[org][0])
    return ""


def _full_name(store: ViewStore, person_id: str) -> str:
    rows = store.fetch("SELECT name_zh FROM v_person WHERE person_id = ?", (person_id,))
    return str(rows[0][0]) if rows else ""


def day_text(value: date, lang: str) -> str:
    """2024年10月14日 in Chinese, 2024-10-14 in English."""
    return labels.zh_date(value.isoformat()) if lang == "zh" else value.isoformat()


def objection_texts(notice: AidNotice, lang: str) -> list[str]:
    """The board's objection instructions (with the supervision channels) and the earliest
    payment day."""
    day = day_text(notice.pay_from, lang)
    return [labels.objection(notice.issuer, notice.supervision, lang), TEXTS[lang]["payment"].format(day=day)]


def to_dict(notice: AidNotice, lang: str = "zh") -> dict[str, Any]:
    text = TEXTS[lang]
    return {
        "case_id": notice.case_id,
        "fund_id": notice.fund_id,
        "fund_name": notice.fund_name,
        "issuer": notice.issuer,
        "title": notice.title(lang),
        "window_start": notice.window_start.isoformat(),
        "window_end": notice.window_end.isoformat(),
        "state": notice.state,
        "columns": [text[c] for c in ("no", "branch", "name", "category", "amount", "approval")],
        "rows": [
            {
                "no": 1,
                "branch": notice.branch,
                "name": notice.name,
                "name_masked": notice.name_masked,
                "category": notice.category,
                "amount": format_amount(notice.amount_fen, thousands=False),
                "amount_fen": notice.amount_fen,
                "capital": notice.capital,
                "approval": notice.approval(lang),
            }
        ],
        "signers": notice.signers,
        "collective_decision": notice.collective,
        "pay_from": notice.pay_from.isoformat(),
        "objection": objection_texts(notice, lang),
        "supervision": notice.supervision,
    }


def to_json(notice: AidNotice, lang: str = "zh") -> bytes:
    return orjson.dumps(to_dict(notice, lang), option=orjson.OPT_INDENT_2)


def render_html(
    notice: AidNotice, lang: str = "zh", *, links: list[tuple[str, str]] | None = None, footer: bool = True
) -> str:
    """The notice page, with the board's stylesheet (its print rules give an A4 sheet)."""
    return (
        board_html.environment()
        .get_template("aid_notice.html")
        .render(
            n=notice,
            lang=lang,
            t=TEXTS[lang],
            tb=labels.TEXTS[lang],
            title=notice.title(lang),
            css=board_html.stylesheet(),
            narrow_css=board_html.narrow_stylesheet(),
            objection=objection_texts(notice, lang),
            money=format_amount,
            day=lambda value: day_text(value, lang),
            links=links or [],
            footer=footer,
        )
    )


def render_pdf(notice: AidNotice, lang: str = "zh") -> bytes:
    from weasyprint import HTML  # imported when used, like the statement's PDF

    return HTML(string=render_html(notice, lang, footer=False)).write_pdf()
