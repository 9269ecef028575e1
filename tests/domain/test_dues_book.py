"""A branch's dues book (ADR 0160) through the Ledger on the test's store: standards from the
rate bands as data, payments as entered, the clearing balance zero after each hand-up, the
rebate checked against the configured share (a warning, never a refusal)."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.domain import errors
from ledger.domain.dues_rates import TABLE_2008, check_table, standard_fen

TODAY = date(2025, 7, 10)
SEED = "seed"


@pytest.fixture
def book(open_ledger):
    ledger = open_ledger(today=TODAY)
    community = ledger.register_organisation(
        actor=SEED, kind="community_committee", name_zh="和平社区党委", established_on=date(2020, 1, 1)
    )["org_id"]
    branches = {}
    for key, kind in (("a", "retiree"), ("temp", "temporary")):
        branches[key] = ledger.register_organisation(
            actor=SEED,
            kind="branch",
            name_zh=f"支部{key}",
            parent_org_id=community,
            established_on=date(2020, 1, 1),
            branch_kind=kind,
        )["org_id"]
    people = {}
    for key in ("wang", "li", "outsider"):
        people[key] = ledger.register_person(actor=SEED, name_zh=f"{key}同志")["person_id"]
    for key in ("wang", "li"):
        ledger.change_person(
            people[key],
            "join_branch",
            actor=SEED,
            org_id=branches["a"],
            effective_on=date(2020, 1, 1),
            membership_status="full",
            category="retired",
        )
    return ledger, community, branches, people


def declare(ledger, org, person, **kw):
    fields = {"from_month": "2025-01", "category": "retired", "base_fen": 420_000, **kw}
    return ledger.declare_dues_base(org, actor=SEED, person_id=person, **fields).result


def pay(ledger, org, person, months, amount_fen, paid_on=date(2025, 3, 5)):
    return ledger.pay_dues(
        org,
        actor=SEED,
        person_id=person,
        months=months,
        amount_fen=amount_fen,
        paid_on=paid_on,
        receipt_ref="收据001",
    ).result


def code_of(call) -> str:
    with pytest.raises(errors.LedgerError) as refused:
        call()
    return refused.value.code


def test_standard_applies_the_bands_rate_to_the_whole_base_when_it_crosses_a_bound():
    assert standard_fen(TABLE_2008, "employed", 300_000, None) == 1_500
    assert standard_fen(TABLE_2008, "employed", 300_001, None) == 3_000
    assert standard_fen(TABLE_2008, "employed", 1_000_001, None) == 20_000
    assert standard_fen(TABLE_2008, "retired", 500_001, None) == 5_000
    assert standard_fen(TABLE_2008, "allowance", None, None) == 20
    assert standard_fen(TABLE_2008, "fixed", None, 300) == 300


@pytest.mark.parametrize(
    "table",
    [
        {},
        {"fixed": {"flat_fen": 20}},
        {"employed": {"bands": [[300_000, 50], [200_000, 100], [None, 150]]}},
        {"employed": {"bands": [[300_000, 50]]}},
        {"employed": {"bands": [[None, 0]]}},
        {"allowance": {"flat_fen": -20}},
    ],
)
def test_rate_table_is_refused_when_malformed(table):
    assert code_of(lambda: check_table(table)) == "dues_rates_invalid"


def test_payment_records_the_standard_beside_the_amount_entered_when_a_member_pays_more(book):
    ledger, _, branches, people = book
    assert declare(ledger, branches["a"], people["wang"])["standard_fen"] == 2_100
    result = pay(ledger, branches["a"], people["wang"], ["2025-02", "2025-01"], 5_000)
    assert (result["payment_no"], result["standard_fen"], result["difference_fen"]) == (
        "D2025-001",
        4_200,
        800,
    )
    book_ = ledger.dues_book(branches["a"])
    assert book_.held_fen == 5_000
    assert book_.payments["D2025-001"]["months"] == ["2025-01", "2025-02"]


def test_configured_table_decides_the_standard_from_its_month_when_the_branch_has_its_own(book):
    ledger, _, branches, people = book
    table = {"retired": {"bands": [[None, 100]]}}
    ledger.configure_dues(
        branches["a"], actor=SEED, from_month="2025-03", table=table, decision_ref="会议纪要"
    )
    declare(ledger, branches["a"], people["wang"])
    assert (
        pay(ledger, branches["a"], people["wang"], ["2025-02", "2025-03"], 6_300)["standard_fen"]
        == 2_100 + 4_200
    )


def test_dues_are_refused_when_the_rule_they_break_is_named(book):
    ledger, community, branches, people = book
    a, wang = branches["a"], people["wang"]
    assert code_of(lambda: pay(ledger, a, wang, ["2025-01"], 2_100)) == "dues_base_not_declared"
    assert code_of(lambda: declare(ledger, branches["temp"], wang)) == "dues_not_a_branch"
    assert code_of(lambda: declare(ledger, community, wang)) == "dues_not_a_branch"
    assert code_of(lambda: declare(ledger, a, people["outsider"])) == "dues_member_not_in_branch"
    assert code_of(lambda: declare(ledger, a, wang, category="farmer")) == "value_not_allowed"
    assert code_of(lambda: declare(ledger, a, wang, base_fen=None)) == "dues_base_required"
    assert code_of(lambda: declare(ledger, a, wang, category="fixed", base_fen=None)) == "amount_invalid"
    declare(ledger, a, wang)
    pay(ledger, a, wang, ["2025-01"], 2_100)
    assert code_of(lambda: pay(ledger, a, wang, ["2025-01", "2025-02"], 4_200)) == "dues_month_already_paid"
    assert code_of(lambda: pay(ledger, a, wang, ["2025-02", "2025-02"], 4_200)) == "value_not_allowed"
    assert code_of(lambda: pay(ledger, a, wang, ["2025-02"], 0)) == "amount_must_be_positive"
    assert code_of(lambda: pay(ledger, a, wang, ["2025-13"], 2_100)) == "period_invalid"
    assert code_of(lambda: pay(ledger, a, wang, ["2025-02"], 2_100, date(2025, 8, 1))) == "date_in_future"
    assert code_of(lambda: declare(ledger, a, wang, from_month="2025-01")) == "dues_base_before_paid_month"
    assert ledger.dues_book(a).held_fen == 2_100


def test_hand_up_leaves_nothing_held_and_refuses_a_part_or_nothing_when_recorded(book):
    ledger, community, branches, people = book
    a = branches["a"]
    declare(ledger, a, people["wang"])
    declare(ledger, a, people["li"], category="allowance", base_fen=None)
    pay(ledger, a, people["wang"], ["2025-01", "2025-02", "2025-03"], 6_300)
    pay(ledger, a, people["li"], ["2025-03"], 20)

    def hand_up(amount_fen, to=None):
        return ledger.hand_up_dues(
            a,
            actor=SEED,
            to_org_id=to,
            handed_on=date(2025, 4, 1),
            amount_fen=amount_fen,
            receipt_ref="银行回单",
        ).result

    assert code_of(lambda: hand_up(6_300)) == "dues_hand_up_not_whole"
    assert code_of(lambda: hand_up(6_320, to=branches["temp"])) == "dues_hand_up_not_upward"
    result = hand_up(6_320)
    assert result["handup_no"] == "S2025-001"
    book_ = ledger.dues_book(a)
    assert book_.held_fen == 0
    assert {p["state"] for p in book_.payments.values()} == {"handed_up"}
    assert code_of(lambda: hand_up(6_320)) == "dues_nothing_to_hand_up"
    handed = next(e for e in ledger.events.get(book_.id) if type(e).__name__ == "HandedUp")
    assert (handed.to_org_id, handed.period_from, handed.period_to) == (community, "2025-01", "2025-03")


def test_payment_is_reversed_only_while_it_is_held_when_a_mistake_is_corrected(book):
    ledger, _, branches, people = book
    a, wang = branches["a"], people["wang"]
    declare(ledger, a, wang)
    pay(ledger, a, wang, ["2025-01"], 21_000)  # a slip: ten times the figure

    def reverse(no):
        return ledger.reverse_dues_payment(
            a, actor=SEED, payment_no=no, reversed_on=date(2025, 3, 6), reason="多录一位"
        ).result

    assert reverse("D2025-001")["payment_no"] == "D2025-001"
    assert code_of(lambda: reverse("D2025-001")) == "dues_payment_already_reversed"
    assert code_of(lambda: reverse("D2025-009")) == "dues_payment_not_found"
    assert pay(ledger, a, wang, ["2025-01"], 2_100)["payment_no"] == "D2025-002"
    assert ledger.dues_book(a).held_fen == 2_100
    ledger.hand_up_dues(a, actor=SEED, handed_on=date(2025, 4, 1), amount_fen=2_100, receipt_ref="回单")
    assert code_of(lambda: reverse("D2025-002")) == "dues_payment_handed_up"


def test_rebate_records_its_difference_from_the_share_without_refusing_when_it_differs(book):
    ledger, _, branches, people = book
    a, wang = branches["a"], people["wang"]
    declare(ledger, a, wang)

    def rebate(amount_fen, period=("2025-01", "2025-06")):
        return ledger.receive_dues_rebate(
            a,
            actor=SEED,
            received_on=date(2025, 7, 1),
            amount_fen=amount_fen,
            period_from=period[0],
            period_to=period[1],
            decision_ref="返还通知",
        ).result

    assert code_of(lambda: rebate(1_000)) == "dues_rebate_share_not_configured"
    ledger.configure_dues(a, actor=SEED, from_month="2025-01", rebate_share_bp=5_000, decision_ref="区委文件")
    pay(ledger, a, wang, ["2025-01", "2025-02", "2025-03"], 6_301)
    ledger.hand_up_dues(a, actor=SEED, handed_on=date(2025, 4, 1), amount_fen=6_301, receipt_ref="回单")
    result = rebate(3_000)
    assert (result["expected_fen"], result["difference_fen"]) == (3_151, -151)
    assert result["warning"] == "dues_rebate_differs_from_share"
    assert code_of(lambda: rebate(3_151, ("2025-06", "2025-12"))) == "dues_rebate_period_overlaps"
    assert rebate(1, ("2025-07", "2025-07"))["warning"] == "dues_rebate_differs_from_share"
    assert code_of(lambda: rebate(1, ("2024-01", "2024-12"))) == "dues_rebate_share_not_configured"


def test_dues_never_move_a_fund_when_paid_handed_up_and_rebated(book):
    ledger, _, branches, people = book
    a = branches["a"]
    fund_id = ledger.establish_fund(
        actor=SEED,
        owner_org_id=a,
        kind="activity",
        name_zh="活动经费",
        allowed_purposes=["activities"],
        custody={"kind": "cash_box", "ref": "box-1"},
        established_on=date(2025, 1, 1),
    )["fund_id"]
    before = (dict(ledger.fund(fund_id).balances_fen), ledger.fund(fund_id).version)
    ledger.configure_dues(a, actor=SEED, from_month="2025-01", rebate_share_bp=5_000, decision_ref="文件")
    declare(ledger, a, people["wang"])
    pay(ledger, a, people["wang"], ["2025-01"], 2_100)
    ledger.hand_up_dues(a, actor=SEED, handed_on=date(2025, 4, 1), amount_fen=2_100, receipt_ref="回单")
    ledger.receive_dues_rebate(
        a,
        actor=SEED,
        received_on=date(2025, 7, 1),
        amount_fen=1_050,
        period_from="2025-01",
        period_to="2025-06",
    )
    assert (ledger.fund(fund_id).balances_fen, ledger.fund(fund_id).version) == before
