"""The aid-proposal notices (拟救助对象公示, docs/board.md) on the public noticeboard, served in
process on the worked example (today 2024-10-14): the index lists the cases in their posting
window, each notice has its page, JSON and PDF; the beneficiary is masked without publicity
consent; the private reason never leaves the ledger; cases never publicised answer
``aid_notice_not_found``."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from ledger.api import create_app
from ledger.config import Settings
from ledger.domain.money import to_capital
from ledger.exports import aid_notice
from tests.api.conftest import error_of, views_reach
from tests.exports.conftest import ADMIN, CLOSED_ON, Example

PRIVATE_REASON = "丈夫肺癌晚期住院，家中欠债三万元"
WINDOW = "2024年10月14日至2024年10月20日"


@dataclass
class Cases:
    chen: str  # 800.00, two signatures, no publicity consent: posted 2024-10-14 .. 2024-10-20
    wang: str  # 300.00, one signature, publicity consent given on the case
    waiting: str  # applied, not signed yet
    rejected: str
    cancelled: str
    signers: list[str]


def _apply(ex: Example, who: str, amount_fen: int, category: str, *, consent: bool = False) -> str:
    return ex.app.apply_for_aid(
        actor=ex.people["bookkeeper"],
        fund_id=ex.fund,
        beneficiary_person_id=ex.people[who],
        applicant_person_id=ex.people[who],
        aid_kind="one_off",
        requested_fen=amount_fen,
        reason_private=PRIVATE_REASON,
        reason_public_category=category,
        publicity_consent=consent,
        evidence_refs=["救助申请表"],
    )["case_id"]


@pytest.fixture
def cases(example: Example) -> Cases:
    app, community = example.app, example.orgs["community"]
    users = []
    for name in ("郑××", "吴××"):  # the secretary and the reviewer sign as approvers
        key = "secretary" if name == "郑××" else "reviewer"
        user = app.register_user(actor=ADMIN, person_id=example.people[key])["user_id"]
        app.change_role(user, "grant", actor=ADMIN, role="approver", org_id=community)
        users.append(user)
    chen = _apply(example, "chen", 80_000, "生活困难救助")
    for user in users:
        app.sign_aid_case(chen, actor=user)
    wang = _apply(example, "wang", 30_000, "慰问因病住院党员", consent=True)
    app.sign_aid_case(wang, actor=users[0])
    waiting = _apply(example, "zhao", 90_000, "生活困难救助")
    app.sign_aid_case(waiting, actor=users[0])  # one of the two signatures needed
    rejected = _apply(example, "zhao", 20_000, "生活困难救助")
    app.reject_aid_case(rejected, actor=users[1], reason="不符合条件")
    cancelled = _apply(example, "zhao", 10_000, "党员去世慰问家属")
    app.sign_aid_case(cancelled, actor=users[1])
    app.cancel_aid_case(cancelled, actor=example.people["bookkeeper"], reason="申请人撤回")
    return Cases(chen, wang, waiting, rejected, cancelled, ["郑××", "吴××"])


@pytest.fixture
def client(example, cases, database_url):
    app = create_app(Settings(database_url=database_url), ledger=example.app)
    with TestClient(app) as client:
        views_reach(client, example.app.recorder.max_notification_id())
        yield client


@pytest.fixture
def get(client, example):
    def getter(case_id: str, suffix: str = "", **params: str):
        return client.get(f"/board/{example.fund}/aid/{case_id}{suffix}", params=params)

    return getter


def test_the_index_lists_the_notices_in_their_posting_window_and_no_other_case(client, example, cases):
    text = client.get("/").text

    for case in (cases.chen, cases.wang):
        assert f'href="/board/{example.fund}/aid/{case}"' in text
    for case in (cases.waiting, cases.rejected, cases.cancelled):
        assert case not in text
    assert "陈*英" in text and "王小明" in text and "陈秀英" not in text
    assert "公示中" in text and PRIVATE_REASON not in text


def test_a_notice_without_consent_masks_the_beneficiary_and_shows_the_public_category_only(get, cases):
    page = get(cases.chen)

    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = page.text
    assert "党员互助基金拟救助对象公示" in text and "中共××街道××社区委员会" in text
    assert "陈*英" in text and "陈秀英" not in text
    assert "第三党支部" in text and "生活困难救助" in text
    assert PRIVATE_REASON not in text and "救助申请表" not in text
    assert "800.00" in text and to_capital(80_000) == "人民币捌佰元整" and "人民币捌佰元整" in text
    assert f"公示期：{WINDOW}" in text
    assert "签批：郑××、吴××" in text
    assert "/aid-cases/" not in text and "可署名亦可匿名" in text  # no API route on paper (issue 16)
    assert "最早于2024年10月21日发放" in text


def test_a_notice_with_publicity_consent_names_the_beneficiary_in_full(get, cases):
    text = get(cases.wang).text

    assert "王小明" in text and "王*明" not in text
    assert "慰问因病住院党员" in text and "人民币叁佰元整" in text and "签批：郑××）" in text


def test_the_json_of_a_notice_carries_the_figures_the_window_and_no_private_reason(get, cases):
    response = get(cases.chen, ".json")

    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    data = response.json()
    assert (data["window_start"], data["window_end"], data["pay_from"]) == (
        "2024-10-14",
        "2024-10-20",
        "2024-10-21",
    )
    assert data["state"] == aid_notice.POSTING and data["signers"] == ["郑××", "吴××"]
    (row,) = data["rows"]
    assert row["name"] == "陈*英" and row["name_masked"] is True and row["branch"] == "第三党支部"
    assert (row["amount"], row["amount_fen"], row["capital"]) == ("800.00", 80_000, "人民币捌佰元整")
    assert row["category"] == "生活困难救助"
    assert PRIVATE_REASON not in response.text and "陈秀英" not in response.text
    assert "objection_route" not in data and "/aid-cases/" not in response.text


def test_english_labels_on_request(get, cases):
    text = get(cases.chen, lang="en").text

    assert "proposed aid recipients" in text and "Posting period: 2024-10-14 – 2024-10-20" in text
    assert "Proposed amount (yuan)" in text and "人民币捌佰元整" in text
    assert "拟救助金额（元）" not in text


def test_the_pdf_of_a_notice_reads_back_the_title_amount_and_window(get, cases):
    response = get(cases.chen, ".pdf")

    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    squeezed = "".join(text.split())
    assert "拟救助对象公示" in squeezed and "人民币捌佰元整" in squeezed and "陈*英" in squeezed
    assert "陈秀英" not in squeezed and "2024年10月20日" in squeezed


@pytest.mark.parametrize("which", ["waiting", "rejected", "cancelled"])
def test_given_a_case_never_publicised_or_withdrawn_when_its_notice_is_asked_then_aid_notice_not_found(
    get, cases, which
):
    case = getattr(cases, which)
    for suffix in ("", ".json", ".pdf"):
        response = get(case, suffix)
        assert error_of(response) == (404, "aid_notice_not_found")
        assert PRIVATE_REASON not in response.text and "赵*" not in response.text


def test_given_an_unknown_case_or_another_funds_address_then_aid_notice_not_found(client, example, cases):
    assert error_of(client.get(f"/board/{example.fund}/aid/no-such-case")) == (404, "aid_notice_not_found")
    other = client.get(f"/board/{example.orgs['community']}/aid/{cases.chen}")
    assert error_of(other) == (404, "aid_notice_not_found")


def test_the_html_file_of_a_notice_is_a_download_without_the_page_links(get, cases):
    response = get(cases.chen, ".html")

    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert f"aid-notice-{cases.chen[:8]}.html" in response.headers["content-disposition"]
    assert "人民币捌佰元整" in response.text and "<footer>" not in response.text
    assert '<nav class="downloads">' not in response.text


def test_given_an_unknown_file_format_then_value_not_allowed(get, cases):
    assert error_of(get(cases.chen, ".xlsx")) == (422, "value_not_allowed")


def test_an_ended_notice_stays_marked_for_thirty_days_then_leaves_the_board(client, get, example, cases):
    example.app.today = lambda: date(2024, 10, 21)
    example.app.pay_aid_case(
        cases.chen, actor=example.people["cashier"], paid_on=date(2024, 10, 21), doc_refs=["签收单"]
    )
    views_reach(client, example.app.recorder.max_notification_id())

    page = get(cases.chen)
    assert page.status_code == 200 and "公示期已结束" in page.text and 'data-state="ended"' in page.text
    assert 'class="aid-notice aid-ended"' in client.get("/").text

    example.app.today = lambda: date(2024, 11, 19)  # the 30th day after 2024-10-20
    assert get(cases.chen).status_code == 200
    example.app.today = lambda: date(2024, 11, 20)
    assert error_of(get(cases.chen)) == (404, "aid_notice_not_found")
    assert cases.chen not in client.get("/").text


def test_the_model_lists_the_posted_cases_in_order_of_application(example, cases, caught_up):
    notices = aid_notice.listed(caught_up, CLOSED_ON)

    assert [n.case_id for n in notices] == [cases.chen, cases.wang]
    assert [(n.window_start, n.window_end) for n in notices] == [(CLOSED_ON, date(2024, 10, 20))] * 2
    assert aid_notice.listed(caught_up, CLOSED_ON, fund_id=example.orgs["community"]) == []
