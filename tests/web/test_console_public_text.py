"""The console and the public text (issue 16): the check step of an entry shows the exact line
the board will print, labelled as public, and refuses a public summary with a phone beside its
field; the close form asks for the reviewer (审核), who is then printed on the notice; an
organisation's admin sets its supervision channels on their own page."""

from __future__ import annotations

from ledger.domain.person import mask_name
from tests.web.console_helpers import Browser, error_code, form_fields


def _check(browser: Browser, fund: str, kind: str, typed: dict[str, str]):
    form = form_fields(browser.get(f"/console/funds/{fund}/record/{kind}").text)
    return browser.post(f"/console/funds/{fund}/record/{kind}", {**form, **typed})


EXPENSE = {
    "occurred_on": "2025-07-06",
    "amount": "6.00",
    "category": "activities",
    "payee": "欧阳明月",
    "handled_by": "李四",
    "approved_by": "王五",
    "doc_refs": "发票1",
    "memo": "欧阳明月脑梗住院慰问",
}


def test_the_check_step_shows_the_public_line_labelled_public_and_never_the_memo(world):
    browser = Browser(world, "bookkeeper")
    form = browser.get(f"/console/funds/{world.funds['activity_a']}/record/expense").text
    assert "内部备注（只记入账簿，不公示）" in form and "公示摘要（将在公示栏公开" in form

    check = _check(
        browser, world.funds["activity_a"], "expense", {**EXPENSE, "public_summary": "购置活动用品"}
    )

    assert check.status_code == 200
    line = check.text.split('id="confirm-public-line">')[1].split("<")[0]
    assert line == "购置活动用品" and "公示内容（公示栏将显示）" in check.text
    shown = check.text.split("<main>")[1].split("<form")[0]
    assert "脑梗" not in shown


def test_the_check_step_shows_the_category_and_masked_name_for_a_payment_to_a_person(world):
    check = _check(
        Browser(world, "bookkeeper"),
        world.funds["activity_a"],
        "expense",
        {**EXPENSE, "payee_person_id": world.people["member"]},
    )

    line = check.text.split('id="confirm-public-line">')[1].split("<")[0]
    assert line == f"组织活动 {mask_name('member同志')}（第一支部）"


def test_the_form_refuses_a_public_summary_with_a_phone_beside_its_field(world):
    answer = _check(
        Browser(world, "bookkeeper"),
        world.funds["activity_a"],
        "expense",
        {**EXPENSE, "public_summary": "联系 138-1234-5678"},
    )

    assert answer.status_code == 422 and "public_text_has_phone" in error_code(answer.text)
    field = answer.text.split('id="field-public_summary"')[1].split("</div>")[0]
    assert "手机号码" in field


def test_the_close_form_asks_for_the_reviewer_who_is_then_printed_on_the_notice(world):
    browser = Browser(world, "bookkeeper")
    fund = world.funds["activity_a"]
    preview = browser.get(f"/console/funds/{fund}/close", period="2025-06")
    assert f'<option value="{world.people["member"]}">member同志（第一支部）</option>' in preview.text

    browser.follow(
        browser.post(
            f"/console/funds/{fund}/close",
            {
                **form_fields(preview.text),
                "reviewed_by": world.people["member"],
                "confirm_irreversible": "yes",
            },
        )
    )

    assert "审核：member同志" in browser.client.get(f"/board/{fund}/2025-06").text


def test_the_admin_sets_the_supervision_channels_on_their_page_and_the_notices_print_them(world):
    browser = Browser(world, "admin")
    url = f"/console/organisations/{world.orgs['community']}/supervision"
    page = browser.get(url)
    assert page.status_code == 200 and "监督电话" in page.text

    typed = {"phone": "没有", "opinion_box": "社区服务中心", "discipline_title": "社区党委纪检委员"}
    refused = browser.post(url, {**form_fields(page.text), **typed})
    assert refused.status_code == 422 and "value_not_allowed" in error_code(refused.text)
    saved = browser.follow(browser.post(url, {**form_fields(page.text), **typed, "phone": "010-6512 3456"}))
    assert 'id="saved"' in saved.text and 'value="010-6512 3456"' in saved.text

    board = browser.client.get(f"/board/{world.funds['activity_b']}/2025-07").text
    assert "监督电话（010-6512 3456）" in board and "社区服务中心的意见箱" in board
    assert Browser(world, "bookkeeper").get(url).status_code == 403
