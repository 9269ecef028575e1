"""``fundbook demo`` and ``fundbook balances`` on a real store, and the demo's figures checked
against the practice it is built from (docs/concepts/practice.md). The demo is loaded once per module
through the CLI, as a newcomer would."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date

import pytest
from typer.testing import CliRunner

from ledger.application.bootstrap import build_ledger, build_views
from ledger.application.demo import SPECIAL_FUND_FEN
from ledger.cli import app as cli
from ledger.config import Settings
from ledger.domain.aid_case import AidCase
from ledger.domain.aid_roll import AidRoll
from ledger.domain.asset_register import AssetRegister
from ledger.domain.dues_book import DuesBook
from ledger.domain.fund import Fund
from ledger.domain.public_text import private_number_kind
from ledger.exports import formats
from ledger.exports import statement as board
from ledger.projections import asset_queries, dues_queries, queries, roll, runner
from ledger.projections.schema import VIEW_NAMES
from tests.conftest import _postgres_schema, backend_url, is_postgres


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    if is_postgres():
        yield from _postgres_schema(backend_url())
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('demo') / 'fundbook.db'}"


@pytest.fixture(scope="module")
def loaded(demo_url):
    runner = CliRunner()
    result = runner.invoke(cli, ["demo"], env={"FUNDBOOK_DATABASE_URL": demo_url})
    assert result.exit_code == 0, result.output
    assert "128 members, 8 funds" in result.output
    ledger = build_ledger(Settings(database_url=demo_url))
    events = list(read_events(ledger))
    yield ledger, events
    ledger.close()


def read_events(ledger):
    """Every event through the library's own decoding (not the views' fast path)."""
    position = 0
    while page := ledger.recorder.select_notifications(position, 1000, inclusive_of_start=False):
        yield from (ledger.mapper.to_domain_event(n) for n in page)
        position = page[-1].id


def run(demo_url, *args):
    return CliRunner().invoke(cli, list(args), env={"FUNDBOOK_DATABASE_URL": demo_url})


def money(events, cls):
    return [e for e in events if isinstance(e, cls)]


def test_demo_mutual_aid_fund_has_128_donors_who_raised_25000_yuan(loaded):
    _, events = loaded
    member_gifts = [e for e in money(events, Fund.DonationReceived) if e.donor_kind == "member"]
    assert len({e.donor_person_id for e in member_gifts}) == 128
    assert sum(e.amount_fen for e in member_gifts) == 2_500_000


def test_demo_roll_has_128_members_whose_contributions_are_their_own_gifts_when_loaded(loaded, demo_url):
    """The roll (issue 21 item 1) adds no money: each contribution paid is a gift of that member
    already counted above, of the same amount and year; the figures stay the seeds'."""
    _, events = loaded
    enrolled = money(events, AidRoll.MemberEnrolled)
    assert len({e.person_id for e in enrolled}) == 128
    assert sorted(e.year for e in money(events, AidRoll.ContributionSet)) == list(range(2018, 2025))
    gifts = {(e.originator_id, e.voucher_no): e for e in money(events, Fund.DonationReceived)}
    paid = money(events, AidRoll.ContributionPaid)
    for link in paid:
        gift = gifts[(uuid.UUID(link.fund_id), link.voucher_no)]
        assert (gift.donor_person_id, gift.amount_fen, gift.occurred_on.year) == (
            link.person_id,
            link.amount_fen,
            link.year,
        )
    assert Counter(e.year for e in money(events, AidRoll.ContributionWaived)) == {
        y: 2 for y in range(2019, 2025)
    }
    views = build_views(Settings(database_url=demo_url))
    try:
        runner.catch_up(views)
        fund = paid[0].fund_id
        counted = Counter(s.status for s in roll.statuses(views, fund, 2019))
        assert counted == {"paid": 75, "waived": 2, "owed": 51}
        assert roll.counts(views, fund, date(2024, 12, 31)) == roll.RollCounts(128, 64, 2024)
    finally:
        views.close()


def test_demo_makes_275_aid_payments_and_never_overdraws(loaded):
    ledger, events = loaded
    aid = money(events, Fund.AidPaid)
    assert len(aid) == 275
    assert not [e for e in money(events, Fund.ExpensePaid) if e.category == "hardship_aid"]
    for fund_id in ledger.ids_of("fundbook:Fund.Established"):
        fund = ledger.fund(fund_id)
        assert min(fund.balances_fen.values()) >= 0
        assert min(fund.closed_balances_fen.values()) >= 0


def test_every_demo_aid_payment_comes_from_a_case_signed_by_an_approver_after_its_notice_window(loaded):
    ledger, events = loaded
    signed = {e.originator_id: e for e in money(events, AidCase.Signed)}
    notices = {e.originator_id: e for e in money(events, AidCase.NoticePosted)}
    paid = {e.originator_id: e for e in money(events, AidCase.Paid)}
    payments = money(events, Fund.AidPaid)

    assert {uuid.UUID(p.case_id) for p in payments} == set(paid) == set(signed)
    for payment in payments:
        case_id = uuid.UUID(payment.case_id)
        assert payment.approved_by == [signed[case_id].signer_person_id]
        assert payment.occurred_on > notices[case_id].window_end
        assert paid[case_id].voucher_no == payment.voucher_no
    approver_users = {e.signer_user_id for e in signed.values()}
    assert len(approver_users) == 2
    assert all(ledger.user(u).holds("approver", [ledger.user(u).grants[0]["org_id"]]) for u in approver_users)
    assert all(ledger.fund(f).reserved_fen == 0 for f in ledger.ids_of("fundbook:Fund.Established"))


def test_demo_secretaries_stipend_schedule_has_every_month_from_2018_03_paid_through_2024_12(
    loaded, demo_url
):
    views = build_views(Settings(database_url=demo_url))
    try:
        runner.catch_up(views)
        schedule = queries.stipend_schedule(views, through="2024-12")
    finally:
        views.close()

    assert len(schedule) == 2
    for row in schedule:
        assert (row.monthly_fen, row.months_due[0], len(row.months_due)) == (30_000, "2018-03", 82)
        assert row.months_unpaid == []


def test_demo_collections_are_settled_with_refunds_plus_expenses_equal_to_receipts_then_closed(loaded):
    ledger, events = loaded
    settled = money(events, Fund.CollectionSettled)
    closed = {e.originator_id for e in money(events, Fund.CollectionClosed)}

    assert len(settled) == 2 and {e.originator_id for e in settled} == closed
    for event in settled:
        refunds = sum(r["amount_fen"] for r in event.refunds)
        assert event.receipts_fen == event.expenses_fen + refunds and refunds == event.surplus_fen > 0
        assert ledger.fund(event.originator_id).balance_fen == 0
    by_rule = {e.rule: e for e in settled}
    assert by_rule["pro_rata"].surplus_fen == 2_000  # 6 × 200.00 − 1,180.00
    assert [r["amount_fen"] for r in by_rule["equal"].refunds] == [1_800] * 10  # (1,500 − 1,320) / 10


def test_demo_activity_funds_received_35000_yuan_of_rebates_and_guarantees_since_2017(loaded):
    _, events = loaded
    grants = [
        e for e in money(events, Fund.GrantReceived) if e.grant_kind in ("dues_rebate", "unit_guarantee")
    ]
    assert sum(e.amount_fen for e in grants) == 3_500_000
    assert min(e.occurred_on for e in grants) == date(2017, 3, 1)


def test_demo_pays_each_retired_branch_secretary_300_yuan_a_month_from_march_2018(loaded):
    _, events = loaded
    stipends = money(events, Fund.StipendPaid)
    per_person = Counter(e.person_id for e in stipends)
    assert len(per_person) == 2 and set(per_person.values()) == {82}  # 2018-03 .. 2024-12
    assert {e.amount_fen for e in stipends} == {30_000}
    assert min(m for e in stipends for m in e.months) == "2018-03"


def test_demo_special_fund_of_50000_yuan_buys_the_venue_equipment(loaded):
    _, events = loaded
    special = [e for e in money(events, Fund.GrantReceived) if e.grant_kind == "special_project"]
    assert [e.amount_fen for e in special] == [5_000_000]
    bought = {e.memo for e in money(events, Fund.ExpensePaid) if e.category == "venue_equipment"}
    assert bought == {"购置办公桌", "购置椅子", "购置电脑", "购置打印机", "购置饮水机", "购置沙发"}


def test_demo_has_a_partner_unit_donation_for_the_wall_and_a_few_reversals(loaded):
    _, events = loaded
    partner = [e for e in money(events, Fund.DonationReceived) if e.donor_kind == "partner_unit"]
    assert len(partner) == 1 and partner[0].amount_fen == 800_000
    assert len(money(events, Fund.EntryReversed)) >= 2


def test_demo_special_fund_registers_each_item_it_bought_at_its_voucher_amount(loaded, demo_url):
    _, events = loaded
    paid = {
        e.voucher_no: e.amount_fen for e in money(events, Fund.ExpensePaid) if e.category == "venue_equipment"
    }
    registered = money(events, AssetRegister.AssetRegistered)
    assert {e.voucher_no: e.value_fen for e in registered} == paid
    assert [e.public_name for e in registered] == ["办公桌", "椅子", "电脑", "打印机", "饮水机", "沙发"]
    views = build_views(Settings(database_url=demo_url))
    try:
        runner.catch_up(views)
        listed = asset_queries.assets(views, fund_id=registered[0].fund_id)
    finally:
        views.close()
    assert sum(a.value_fen for a in listed) == sum(paid.values()) == 3_980_000


def test_demo_partner_unit_paid_the_painters_directly_and_no_balance_counts_it(loaded):
    ledger, events = loaded
    [gift] = money(events, AssetRegister.InKindReceived)
    assert (gift.kind, gift.value_fen, gift.donor_kind) == ("service", 300_000, "partner_unit")
    venue = ledger.fund(gift.fund_id)
    assert venue.balance_fen == SPECIAL_FUND_FEN - sum(
        e.amount_fen for e in money(events, Fund.ExpensePaid) if e.category == "venue_equipment"
    )


def test_demo_first_branch_hands_up_a_year_of_dues_whole_and_no_fund_counts_them(loaded, demo_url):
    ledger, events = loaded
    paid = money(events, DuesBook.DuesPaid)
    handed = money(events, DuesBook.HandedUp)
    [reversed_] = money(events, DuesBook.PaymentReversed)
    assert len(money(events, DuesBook.BaseDeclared)) == 64 and len(paid) == 64 * 4 + 1
    assert [h.handed_on.isoformat() for h in handed] == [
        "2023-03-25",
        "2023-06-25",
        "2023-09-25",
        "2023-12-25",
    ]
    kept = [p for p in paid if p.payment_no != reversed_.payment_no]
    assert sum(h.amount_fen for h in handed) == sum(p.amount_fen for p in kept)
    assert sum(p.amount_fen - p.standard_fen for p in kept) == 3 * 10_000  # three voluntary extras
    [rebate] = money(events, DuesBook.RebateReceived)
    assert rebate.handed_up_fen == sum(h.amount_fen for h in handed)
    assert rebate.expected_fen == (rebate.handed_up_fen * 800 + 5_000) // 10_000 != rebate.amount_fen
    book = ledger.dues_book(rebate.org_id)
    assert book.held_fen == 0
    views = build_views(Settings(database_url=demo_url))
    try:
        runner.catch_up(views)
        totals = dues_queries.totals(views, rebate.org_id)
    finally:
        views.close()
    assert (totals.held_fen, totals.collected_fen) == (0, totals.handed_up_fen)
    assert [m.paid_count for m in totals.months] == [64] * 12


def test_demo_trees_reach_from_the_street_down_to_building_groups(loaded):
    ledger, _ = loaded
    depth = {}
    for org_id in ledger.ids_of("fundbook:Organisation.Registered"):
        org = ledger.organisation(org_id)
        depth[org.name_zh] = 1 + len(ledger.ancestors(org))
    assert depth["5号楼党小组"] == 4  # street → community → estate branch → building group
    assert depth["1号楼党小组"] == 4
    assert depth["3号楼居民小组"] == 2


def test_demo_views_equal_the_balances_of_the_fund_aggregates(loaded, demo_url):
    ledger, _ = loaded
    views = build_views(Settings(database_url=demo_url))
    runner.catch_up(views)
    try:
        balances = queries.fund_balances(views)
        assert len(balances) == 8  # six funds and two settled collections
        for view in balances:
            fund = ledger.fund(view.fund_id)
            assert view.balance_fen == fund.balance_fen
            assert (view.cash_fen, view.bank_fen) == (
                fund.balances_fen["cash"],
                fund.balances_fen["bank"],
            )
        digest = views.digest()
        runner.rebuild(views)
        assert views.digest() == digest
    finally:
        views.close()


def test_statement_and_journal_commands_print_the_mutual_aid_fund(loaded, demo_url):
    result = run(demo_url, "statement", "阳光社区党员互助金", "2024-Q3")
    assert result.exit_code == 0, result.output
    assert "本期结余 closing" in result.output and "人民币" in result.output
    result = run(demo_url, "journal", "阳光社区党员互助金", "--period", "2023-09")
    assert result.exit_code == 0, result.output
    assert "202309-001" in result.output and "订正202309-001" in result.output


def test_read_commands_name_the_error_code_for_an_unknown_fund(loaded, demo_url):
    result = run(demo_url, "statement", "没有这个基金", "2024")
    assert result.exit_code == 1
    assert "fund_not_found" in result.output


def test_rebuild_and_project_report_their_work(loaded, demo_url):
    result = run(demo_url, "rebuild")
    assert result.exit_code == 0, result.output
    assert f"rebuilt {len(VIEW_NAMES)} views from" in result.output
    assert "digest" not in result.output
    first = run(demo_url, "rebuild", "--digest")
    second = run(demo_url, "rebuild", "--digest")
    digests = [line for r in (first, second) for line in r.output.splitlines() if line.startswith("digest ")]
    assert len(digests) == 2 and digests[0] == digests[1] and len(digests[0]) == len("digest ") + 64
    result = run(demo_url, "project")
    assert result.exit_code == 0 and "views at position" in result.output


def test_balances_prints_every_fund_and_the_demo_totals(loaded, demo_url):
    result = run(demo_url, "balances")
    assert result.exit_code == 0, result.output
    assert "阳光社区党员互助金" in result.output
    assert "128 contributing members donated 25,000.00; 275 aid payments" in result.output
    assert "= 35,000.00" in result.output
    assert "stipends paid 49,200.00 (164 payments)" in result.output


def test_demo_refuses_a_database_that_is_not_empty(loaded, demo_url):
    ledger, _ = loaded
    position = ledger.recorder.max_notification_id()
    result = run(demo_url, "demo")
    assert result.exit_code == 1
    assert "not empty" in result.output
    assert ledger.recorder.max_notification_id() == position


def test_balances_on_an_empty_database_says_how_to_load_the_demo(tmp_path):
    result = CliRunner().invoke(cli, ["balances", "--db", str(tmp_path / f"{uuid.uuid4().hex}.db")])
    assert result.exit_code == 0
    assert "fundbook demo" in result.output


def test_an_unsupported_database_url_is_refused_with_a_clear_message(tmp_path):
    result = CliRunner().invoke(cli, ["balances"], env={"FUNDBOOK_DATABASE_URL": "mysql://x/y"})
    assert result.exit_code == 2
    assert "unsupported database URL" in result.output


def test_the_demos_public_board_names_no_one_without_consent_and_prints_no_private_number(loaded, demo_url):
    """Issue 16: every year's public statement of every fund of the demo (lines, as JSON and
    CSV) holds no full name of a person who did not consent and no phone, ID or card number;
    officials named in the signature block and as handlers are not lines."""
    views = build_views(Settings(database_url=demo_url))
    try:
        runner.catch_up(views)
        hidden = {
            name for name, public in views.fetch("SELECT name_zh, public_notice FROM v_person") if not public
        }
        checked = 0
        for fund, established in views.fetch("SELECT fund_id, established_on FROM v_fund"):
            for year in range(int(established[:4]), 2025):
                st = board.build(views, fund, str(year))
                lines = " ".join(f"{line.summary} {line.note}" for line in st.lines)
                files = formats.to_json(st).decode() + formats.to_csv(st).decode("utf-8-sig")
                assert private_number_kind(lines) is None, (fund, year)
                assert [name for name in hidden if name in lines] == [], (fund, year)
                assert all(line.summary in files for line in st.lines if line.kind == "entry")
                checked += 1
        assert checked >= 20
    finally:
        views.close()
