"""The console's home, period close, members and auditor pages, each checked against the views."""

from __future__ import annotations

from datetime import date

from ledger.domain.money import format_amount
from ledger.projections import queries, runner
from ledger.web.console.closing import open_months
from tests.web.console_helpers import Browser, error_code, form_fields


def _views(world):
    views = world.client.app.state.views
    world.client.app.state.follower.poke()
    assert runner.wait_for(views, world.position(), timeout_s=5)
    return views


def test_home_lists_my_organisations_funds_with_balances_and_the_months_waiting_to_close(world):
    page = Browser(world, "bookkeeper").get("/console").text
    views = _views(world)

    balance = queries.fund_balance(views, world.funds["activity_a"])
    row = page.split(f'data-fund="{world.funds["activity_a"]}"')[1].split("</tr>")[0]
    assert f'class="num balance">{format_amount(balance.balance_fen)}<' in row
    assert world.funds["activity_b"] not in page and world.funds["mutual_aid"] not in page  # not mine
    waiting = page.split('id="waiting"')[1].split("</ul>")[0]
    assert "2025-01、2025-02、2025-03、2025-04、2025-05、2025-06" in waiting and "2025-07" not in waiting


def test_an_admin_of_the_community_sees_every_fund_of_its_subtree(world):
    page = Browser(world, "admin").get("/console").text

    assert all(world.funds[key] in page for key in ("mutual_aid", "activity_a", "activity_b"))


def test_home_warns_about_branches_of_my_organisations_with_too_few_full_members(world):
    """R31: the admin of the community is warned about both branches (one full member in A,
    none in B); the bookkeeper of A only about A; English on the English page."""
    admin = Browser(world, "admin").get("/console").text
    bookkeeper = Browser(world, "bookkeeper").get("/console").text
    english = Browser(world, "bookkeeper").get("/console", lang="en").text

    warned = admin.split('id="branch-warnings"')[1].split("</ul>")[0]
    assert f'data-org="{world.orgs["a"]}"' in warned and f'data-org="{world.orgs["b"]}"' in warned
    assert "党员1人，其中正式党员1人" in warned and 'data-code="branch_under_3_full_members"' in warned
    mine = bookkeeper.split('id="branch-warnings"')[1].split("</ul>")[0]
    assert f'data-org="{world.orgs["a"]}"' in mine and world.orgs["b"] not in mine
    assert "Fewer than 3 full members" in english


def test_the_months_to_close_start_after_the_last_closed_one_and_stop_before_this_month(world):
    fund = world.funds["activity_b"]
    world.ledger.close_periods_through(fund, actor="test", period="2025-03")

    assert open_months(_views(world), fund, date(2025, 7, 10)) == ["2025-04", "2025-05", "2025-06"]
    assert open_months(_views(world), fund, date(2025, 4, 30)) == []


def test_closing_a_period_previews_the_statement_with_capitals_then_closes_and_links_the_notice(world):
    browser = Browser(world, "bookkeeper")
    fund = world.funds["activity_a"]

    preview = browser.get(f"/console/funds/{fund}/close", period="2025-06")
    assert preview.status_code == 200 and "上期结余（大写）人民币零元整" in preview.text
    form = {**form_fields(preview.text), "confirm_irreversible": "yes"}  # the box ticked
    closed = browser.follow(browser.post(f"/console/funds/{fund}/close", form))

    closes = _views(world).fetch(
        "SELECT period FROM v_period_close WHERE fund_id = ? ORDER BY period", (fund,)
    )
    assert [p for (p,) in closes] == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    assert f'href="/board/{fund}/2025-06"' in closed.text
    assert browser.client.get(f"/board/{fund}/2025-06").status_code == 200
    again = browser.get(f"/console/funds/{fund}/close")
    assert 'id="no-open-period"' in again.text


def test_closing_a_month_not_yet_ended_is_refused_on_a_page_with_its_code(world):
    browser = Browser(world, "bookkeeper")
    fund = world.funds["activity_a"]
    form = form_fields(browser.get(f"/console/funds/{fund}/close").text)

    answer = browser.post(
        f"/console/funds/{fund}/close", {**form, "period": "2025-07", "confirm_irreversible": "yes"}
    )

    assert answer.status_code == 422 and error_code(answer.text) == ["period_not_ended"]


def _june_vouchers(world, fund):
    """Two vouchers dated in June: a grant and the expense paid from it."""
    common = {"actor": "test", "doc_refs": ["单据6"]}
    grant = world.ledger.record(
        fund,
        "receive_grant",
        occurred_on=date(2025, 6, 3),
        amount_fen=40_000,
        grant_kind="dues_rebate",
        grantor_name="街道党工委",
        **common,
    )
    spent = world.ledger.record(
        fund,
        "pay_expense",
        occurred_on=date(2025, 6, 20),
        amount_fen=12_345,
        category="activities",
        payee="文具店",
        handled_by="张经办",
        approved_by="李书记",
        **common,
    )
    return [grant["voucher_no"], spent["voucher_no"]]


def test_the_close_step_lists_each_voucher_it_seals_and_counts_vouchers_not_statement_lines(world):
    fund = world.funds["activity_a"]
    numbers = _june_vouchers(world, fund)

    preview = Browser(world, "bookkeeper").get(f"/console/funds/{fund}/close", period="2025-06").text

    sealed = preview.split('id="sealed-vouchers"')[1].split("</table>")[0]
    assert [n for n in numbers if f"<td>{n}</td>" in sealed] == numbers
    assert sealed.count("<tr>") == 1 + len(numbers) and "123.45" in sealed  # header + one per voucher
    assert "将封存的凭证（2025-01 至 2025-06）：共 2 张" in preview
    assert "不能撤销" in preview.split('id="close-form"')[1]


def test_a_close_without_the_cannot_be_undone_box_ticked_is_refused_in_words_and_closes_nothing(world):
    browser = Browser(world, "bookkeeper")
    fund = world.funds["activity_a"]
    form = form_fields(browser.get(f"/console/funds/{fund}/close", period="2025-06").text)

    answer = browser.post(f"/console/funds/{fund}/close", form)

    assert answer.status_code == 422 and error_code(answer.text) == ["close_not_confirmed"]
    refusal = answer.text.split('id="field-confirm_irreversible"')[1]
    assert "不能撤销" in refusal.split('class="message"')[1].split("</span>")[0]
    closes = _views(world).fetch("SELECT period FROM v_period_close WHERE fund_id = ?", (fund,))
    assert closes == []


def test_a_members_page_shows_their_totals_by_branch_and_history(world):
    fund = world.funds["activity_a"]
    world.ledger.record(
        fund,
        "receive_donation",
        actor="test",
        occurred_on=date(2025, 7, 2),
        amount_fen=3_000,
        donor_kind="member",
        donor_person_id=world.people["member"],
        doc_refs=["收据9"],
    )
    browser = Browser(world, "auditor")
    _views(world)

    people = browser.get("/console/people").text
    page = browser.get(f"/console/people/{world.people['member']}").text

    assert f'href="/console/people/{world.people["member"]}"' in people
    totals = page.split('id="totals"')[1].split("</table>")[0]
    assert "第一支部" in totals and "30.00" in totals
    assert "202507-002" in page.split('id="history"')[1]


def test_the_auditor_sees_balances_as_of_a_date_and_the_journal(world):
    browser = Browser(world, "auditor")
    views = _views(world)

    before = browser.get("/console/audit", as_of="2025-06-30").text
    now = browser.get("/console/audit").text
    journal = browser.get(f"/console/audit/{world.funds['mutual_aid']}/journal").text

    for fund_key in ("mutual_aid", "activity_a", "activity_b"):
        fund = world.funds[fund_key]
        expected = queries.fund_balance(views, fund, as_of=date(2025, 6, 30)).balance_fen
        assert expected == 0
        assert (
            f'class="num balance">{format_amount(expected)}<' in before.split(f'data-fund="{fund}"')[1][:300]
        )
        current = queries.fund_balance(views, fund).balance_fen
        assert f'class="num balance">{format_amount(current)}<' in now.split(f'data-fund="{fund}"')[1][:300]
    assert "202507-001" in journal and "街道党工委" in journal


def test_a_member_without_a_bookkeeper_role_cannot_close_a_period(world):
    answer = Browser(world, "member").get(f"/console/funds/{world.funds['activity_a']}/close")

    assert answer.status_code == 403 and error_code(answer.text) == ["role_required"]


def test_an_unknown_member_is_a_404_page_with_person_not_found(world):
    answer = Browser(world, "auditor").get("/console/people/no-such-person")

    assert answer.status_code == 404 and error_code(answer.text) == ["person_not_found"]


def test_every_page_shows_what_was_just_written_without_waiting(world):
    fund = world.funds["activity_a"]
    browser = Browser(world, "bookkeeper")
    world.ledger.record(
        fund, "receive_grant", actor="test", occurred_on=date(2025, 7, 9), amount_fen=12_345,
        grant_kind="fiscal", grantor_name="区财政", doc_refs=["通知"],
    )  # fmt: skip

    page = browser.get(f"/console/funds/{fund}").text

    assert 'id="balance">623.45<' in page
