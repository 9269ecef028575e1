"""Recording money in the console: the form, the read-back in capital numerals beside the fund
and the masked counterparty, the confirmed post (once, however often it is sent), errors next
to their field with what was typed kept, reversals, and the 403 page for users without the role."""

from __future__ import annotations

from ledger.domain.person import mask_name
from ledger.projections import queries
from tests.web.console_helpers import Browser, error_code, form_fields


def _balance_fen(world, fund_key: str) -> int:
    world.get("/health")
    views = world.client.app.state.views
    world.client.app.state.follower.poke()
    from ledger.projections import runner

    assert runner.wait_for(views, world.position(), timeout_s=5)
    return queries.fund_balance(views, world.funds[fund_key]).balance_fen


def _donation(world, **overrides: str) -> dict[str, str]:
    return {
        "occurred_on": "2025-07-05",
        "amount": "1680.32",
        "donor_kind": "member",
        "donor_person_id": world.people["member"],
        "donor_name": "",
        "receipt_no": "R-1",
        "account": "",
        "doc_refs": "收据R-1",
        "memo": "",
        **overrides,
    }


def _check(browser: Browser, fund: str, kind: str, typed: dict[str, str]):
    form = form_fields(browser.get(f"/console/funds/{fund}/record/{kind}").text)
    return browser.post(f"/console/funds/{fund}/record/{kind}", {**form, **typed})


def test_a_donation_is_read_back_in_capitals_with_the_masked_donor_then_recorded_once_confirmed(world):
    browser = Browser(world, "bookkeeper")
    fund = world.funds["activity_a"]
    before = _balance_fen(world, "activity_a")

    check = _check(browser, fund, "donation", _donation(world))

    assert check.status_code == 200
    assert '<td class="capital" id="confirm-capital">人民币壹仟陆佰捌拾元零叁角贰分</td>' in check.text
    read_back = check.text.split('id="read-back"')[1].split("</table>")[0]
    mask = mask_name("member同志")
    assert "第一支部活动经费" in read_back and f'id="confirm-counterparty">{mask}<' in read_back
    # the signed-in custodian reads the full name with the branch; the public line stays masked
    assert 'id="confirm-person">member同志（第一支部）<' in read_back
    assert "member同志" not in read_back.split('id="confirm-public-line"')[1]
    assert _balance_fen(world, "activity_a") == before  # nothing saved by the check

    done = browser.post(
        f"/console/funds/{fund}/record/donation", {**form_fields(check.text), "step": "confirm"}
    )
    voucher = browser.follow(done)

    assert voucher.status_code == 200 and 'id="income">1,680.32<' in voucher.text
    assert _balance_fen(world, "activity_a") == before + 168_032


def test_a_double_submitted_form_records_one_entry(world):
    browser = Browser(world, "bookkeeper")
    fund = world.funds["activity_a"]
    check = _check(browser, fund, "donation", _donation(world, amount="20"))
    confirm = {**form_fields(check.text), "step": "confirm"}
    count = queries.journal(world.client.app.state.views, fund, page_size=1).count

    first = browser.post(f"/console/funds/{fund}/record/donation", confirm)
    second = browser.post(f"/console/funds/{fund}/record/donation", confirm)

    assert first.headers["location"].split("?")[0] == second.headers["location"].split("?")[0]
    assert "replayed=1" in second.headers["location"]
    assert 'id="replayed"' in browser.follow(second).text
    _balance_fen(world, "activity_a")
    assert queries.journal(world.client.app.state.views, fund, page_size=1).count == count + 1


def test_a_bad_amount_shows_its_error_code_next_to_the_field_and_keeps_what_was_typed(world):
    browser = Browser(world, "bookkeeper")
    fund = world.funds["activity_a"]
    position = world.position()

    for typed, code in (
        ("12.345", "amount_too_many_decimals"),
        ("十二元", "amount_not_understood"),
        ("0", "amount_must_be_positive"),
    ):
        answer = _check(browser, fund, "donation", _donation(world, amount=typed, receipt_no="R-77"))
        assert answer.status_code == 422
        field = answer.text.split('id="field-amount"')[1].split("</div>\n  </div>")[0]
        assert f'value="{typed}"' in field and f'data-code="{code}"' in field
        assert 'value="R-77"' in answer.text  # the other fields are kept too
    assert world.position() == position


def test_on_the_english_pages_a_refused_field_also_says_why_in_english(world):
    browser = Browser(world, "bookkeeper")
    browser.client.cookies.set("fb_lang", "en")
    fund = world.funds["activity_a"]
    answer = _check(browser, fund, "donation", _donation(world, amount="12.345"))
    field = answer.text.split('id="field-amount"')[1].split("</div>\n  </div>")[0]
    assert 'data-code="amount_too_many_decimals"' in field
    assert " — " in field  # the Chinese message, then the English one
    english = field.split(" — ", 1)[1]
    assert english.strip() and not any("\u4e00" <= ch <= "\u9fff" for ch in english.split("<")[0])


def test_a_domain_rule_is_checked_before_the_read_back(world):
    """given a fund holding 500.00, when an expense of 600.00 is checked, then insufficient_funds
    shows at the amount and nothing is recorded."""
    browser = Browser(world, "bookkeeper")
    fund = world.funds["activity_a"]
    expense = {
        "occurred_on": "2025-07-06",
        "amount": "600.00",
        "category": "activities",
        "payee": "张三",
        "payee_person_id": "",
        "handled_by": "李四",
        "approved_by": "王五",
        "witnessed_by": "",
        "account": "",
        "doc_refs": "发票1",
        "memo": "",
    }

    answer = _check(browser, fund, "expense", expense)

    assert answer.status_code == 409 and error_code(answer.text) == ["insufficient_funds"]  # its own status
    assert 'id="confirm-capital"' not in answer.text


def test_the_expense_form_offers_the_funds_allowed_purposes_and_refuses_another(world):
    browser = Browser(world, "bookkeeper")
    fund = world.funds["activity_a"]
    form = browser.get(f"/console/funds/{fund}/record/expense").text

    assert '<option value="activities"' in form and '<option value="hardship_aid"' not in form
    answer = _check(
        browser,
        fund,
        "expense",
        {
            "occurred_on": "2025-07-06",
            "amount": "6.00",
            "category": "hardship_aid",
            "payee": "张三",
            "handled_by": "李四",
            "approved_by": "王五",
            "doc_refs": "发票1",
        },
    )
    assert answer.status_code == 422 and error_code(answer.text) == ["purpose_not_allowed"]
    assert 'id="field-category"' in answer.text.split('data-code="purpose_not_allowed"')[0][-2000:]


def test_an_expense_read_back_masks_the_payee(world):
    browser = Browser(world, "bookkeeper")
    answer = _check(
        browser,
        world.funds["activity_a"],
        "expense",
        {
            "occurred_on": "2025-07-06",
            "amount": "6.00",
            "category": "activities",
            "payee": "欧阳明月",
            "handled_by": "李四",
            "approved_by": "王五",
            "doc_refs": "发票1",
        },
    )

    assert (
        'id="confirm-counterparty">欧**月<' in answer.text
        and "欧阳明月" not in answer.text.split("<main>")[1].split("<form")[0]
    )


def test_a_transfer_between_funds_is_recorded_on_both(world):
    browser = Browser(world, "admin")
    source, target = world.funds["activity_a"], world.funds["activity_b"]
    before = _balance_fen(world, "activity_a"), _balance_fen(world, "activity_b")
    check = _check(
        browser,
        source,
        "transfer",
        {
            "occurred_on": "2025-07-06",
            "amount": "50",
            "to_fund_id": target,
            "decision_ref": "支委会决议2025-3",
            "doc_refs": "",
            "memo": "",
        },
    )
    assert 'id="confirm-counterparty">第二支部活动经费<' in check.text

    browser.follow(
        browser.post(
            f"/console/funds/{source}/record/transfer", {**form_fields(check.text), "step": "confirm"}
        )
    )

    assert (_balance_fen(world, "activity_a"), _balance_fen(world, "activity_b")) == (
        before[0] - 5000,
        before[1] + 5000,
    )


def test_a_user_without_the_bookkeeper_role_gets_a_403_page_not_the_form(world):
    for role, fund in (("member", "activity_a"), ("auditor", "activity_a"), ("bookkeeper", "activity_b")):
        answer = Browser(world, role).get(f"/console/funds/{world.funds[fund]}/record/donation")
        assert answer.status_code == 403 and error_code(answer.text) == ["role_required"]
        assert 'id="entry-form"' not in answer.text


def test_reversing_needs_a_reason_shows_the_original_beside_its_negation_and_posts_once(world):
    browser = Browser(world, "bookkeeper")
    fund, voucher = world.funds["activity_a"], world.vouchers["activity_a"]
    before = _balance_fen(world, "activity_a")
    url = f"/console/funds/{fund}/vouchers/{voucher}/reverse"
    form = form_fields(browser.get(url).text)

    blank = browser.post(url, {**form, "occurred_on": "2025-07-08", "reason": " ", "step": "check"})
    assert blank.status_code == 422 and error_code(blank.text) == ["text_required"]
    check = browser.post(url, {**form, "occurred_on": "2025-07-08", "reason": "金额录错", "step": "check"})
    assert 'id="original"' in check.text and 'id="negation"' in check.text and "-500.00" in check.text
    assert _balance_fen(world, "activity_a") == before

    confirm = {**form_fields(check.text), "step": "confirm"}
    reversal = browser.follow(browser.post(url, confirm))
    browser.post(url, confirm)  # a second click

    assert 'data-kind="reversal">红字冲销<' in reversal.text and f">{voucher}</a>" in reversal.text
    assert _balance_fen(world, "activity_a") == before - 50_000
    again = browser.get(f"/console/funds/{fund}/vouchers/{voucher}")
    assert 'id="reversed-by"' in again.text and 'id="reverse-link"' not in again.text


def _confirm(browser: Browser, fund: str, kind: str, typed: dict[str, str]) -> str:
    check = _check(browser, fund, kind, typed)
    assert check.status_code == 200 and 'id="confirm-capital"' in check.text, error_code(check.text)
    done = browser.post(
        f"/console/funds/{fund}/record/{kind}", {**form_fields(check.text), "step": "confirm"}
    )
    return browser.follow(done).text


def test_a_grant_interest_and_a_stipend_are_recorded_through_their_forms(world):
    admin = Browser(world, "admin")
    before = {key: _balance_fen(world, key) for key in ("mutual_aid", "activity_a")}

    _confirm(
        admin,
        world.funds["mutual_aid"],
        "grant",
        {
            "occurred_on": "2025-07-03",
            "amount": "300",
            "grant_kind": "dues_rebate",
            "grantor_name": "街道党工委",
            "doc_refs": "拨款通知2",
        },
    )
    _confirm(
        admin,
        world.funds["mutual_aid"],
        "interest",
        {"occurred_on": "2025-07-04", "amount": "1.25", "bank_ref": "回单0704"},
    )
    stipend = _confirm(
        admin,
        world.funds["activity_a"],
        "stipend",
        {
            "occurred_on": "2025-07-05",
            "amount": "100",
            "person_id": world.people["member"],
            "months": "2025-06",
            "role": "secretary",
            "handled_by": "李四",
            "doc_refs": "签收单",
        },
    )

    assert 'id="expense">100.00<' in stipend
    assert _balance_fen(world, "mutual_aid") == before["mutual_aid"] + 30_000 + 125
    assert _balance_fen(world, "activity_a") == before["activity_a"] - 10_000


def test_interest_on_a_cash_box_fund_is_refused_on_the_form_with_its_code(world):
    answer = _check(
        Browser(world, "bookkeeper"),
        world.funds["activity_a"],
        "interest",
        {"occurred_on": "2025-07-04", "amount": "1.25", "bank_ref": "回单0704"},
    )

    assert answer.status_code == 422 and error_code(answer.text) == ["interest_requires_bank_account"]
    assert 'value="回单0704"' in answer.text


def _cash_and_bank(world, fund_key: str) -> tuple[int, int]:
    _balance_fen(world, fund_key)  # waits for the views
    balance = queries.fund_balance(world.client.app.state.views, world.funds[fund_key])
    return balance.cash_fen, balance.bank_fen


DEPOSIT = {  # 存现: 200.00 from the cash box to the bank
    "occurred_on": "2025-07-06",
    "amount": "200",
    "from_account": "cash",
    "to_account": "bank",
    "doc_refs": "存款回单0706",
}


def test_the_cashier_deposits_cash_in_the_bank_read_back_with_both_accounts_and_in_capitals(world):
    browser = Browser(world, "cashier")
    fund = world.funds["activity_a"]
    cash, bank = _cash_and_bank(world, "activity_a")
    typed = DEPOSIT

    check = _check(browser, fund, "cash_move", typed)

    assert check.status_code == 200, error_code(check.text)
    assert 'id="confirm-capital">人民币贰佰元整<' in check.text
    assert 'id="confirm-accounts">库存现金 → 银行存款<' in check.text
    assert _cash_and_bank(world, "activity_a") == (cash, bank)  # nothing saved by the check
    voucher = browser.follow(
        browser.post(
            f"/console/funds/{fund}/record/cash_move", {**form_fields(check.text), "step": "confirm"}
        )
    )
    assert voucher.status_code == 200 and 'data-kind="cash_move"' in voucher.text
    assert _cash_and_bank(world, "activity_a") == (cash - 20_000, bank + 20_000)
    # the voucher reads the amount moved, not 0 (it is neither income nor expense)
    assert 'id="voucher-capital">人民币贰佰元整<' in voucher.text
    assert 'id="cash-moved">-200.00<' in voucher.text and 'id="bank-moved">200.00<' in voucher.text
    # the cashier records a move but does not reverse one (ADR 0033): no link to a 403 page
    assert 'id="reverse-link"' not in voucher.text


def test_the_bookkeeper_reverses_a_cash_move_whose_vouchers_read_the_amount_moved_in_capitals(world):
    fund = world.funds["activity_a"]
    cash, bank = _cash_and_bank(world, "activity_a")
    typed = DEPOSIT
    moved = _confirm(Browser(world, "cashier"), fund, "cash_move", typed)
    voucher = moved.split('id="voucher-no">')[1].split("<")[0]
    bookkeeper = Browser(world, "bookkeeper")
    url = f"/console/funds/{fund}/vouchers/{voucher}/reverse"

    assert 'id="reverse-link"' in bookkeeper.get(f"/console/funds/{fund}/vouchers/{voucher}").text
    form = form_fields(bookkeeper.get(url).text)
    check = bookkeeper.post(url, {**form, "occurred_on": "2025-07-07", "reason": "未存入", "step": "check"})
    assert '<p class="capital">负人民币贰佰元整</p>' in check.text
    negation = check.text.split('id="negation"')[1].split("</section>")[0]
    assert "库存现金 200.00 / 银行存款 -200.00" in negation  # the move back, both accounts
    reversal = bookkeeper.follow(bookkeeper.post(url, {**form_fields(check.text), "step": "confirm"}))

    assert 'data-kind="reversal"' in reversal.text
    assert 'id="voucher-capital">负人民币贰佰元整<' in reversal.text
    assert 'id="cash-moved">200.00<' in reversal.text and 'id="bank-moved">-200.00<' in reversal.text
    assert _cash_and_bank(world, "activity_a") == (cash, bank)


def test_a_cash_move_between_one_account_is_refused_next_to_the_target_account(world):
    typed = {
        "occurred_on": "2025-07-06",
        "amount": "10",
        "from_account": "cash",
        "to_account": "cash",
        "doc_refs": "单据",
    }
    answer = _check(Browser(world, "cashier"), world.funds["activity_a"], "cash_move", typed)

    assert answer.status_code == 422 and error_code(answer.text) == ["cash_move_same_account"]
    assert 'id="field-to_account"' in answer.text
    to_field = answer.text.split('id="field-to_account"')[1].split("</div>")[0]
    assert "cash_move_same_account" in to_field and 'value="cash" selected' in to_field


def test_a_cash_move_beyond_the_cash_box_is_refused_as_insufficient_funds(world):
    typed = {
        "occurred_on": "2025-07-06",
        "amount": "500.01",
        "from_account": "cash",
        "to_account": "bank",
        "doc_refs": "单据",
    }
    answer = _check(Browser(world, "cashier"), world.funds["activity_a"], "cash_move", typed)

    assert answer.status_code == 409 and error_code(answer.text) == ["insufficient_funds"]


def test_the_fund_page_offers_each_user_only_the_entries_they_may_record(world):
    fund = world.funds["activity_a"]
    offered = {}
    for role in ("bookkeeper", "cashier", "auditor"):
        html = Browser(world, role).get(f"/console/funds/{fund}").text
        offered[role] = {key for key in ("donation", "expense", "cash_move") if f'id="record-{key}"' in html}
        offered[role] |= {"close"} if 'id="close-link"' in html else set()

    assert offered == {
        "bookkeeper": {"donation", "expense", "cash_move", "close"},
        "cashier": {"cash_move"},
        "auditor": set(),
    }
    donation = Browser(world, "cashier").get(f"/console/funds/{fund}/record/donation")
    assert donation.status_code == 403 and error_code(donation.text) == ["role_required"]
