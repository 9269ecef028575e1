"""Collections (活动费, AA制, 集资): fees assessed per participant, paid, spent, then settled —
surplus refunded by the recorded rule — and only then closed (R32). Given/when/then, naming
the error codes."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.domain.errors import LedgerError
from ledger.domain.fund import Fund
from tests.domain.builders import a_fund, ctx, expense

A, B, C = "person-a", "person-b", "person-c"


def a_collection() -> Fund:
    fund = a_fund(kind="collection", allowed_purposes=["ping_pong_table"])
    fund.collect_events()
    return fund


def assessed(basis: str = "equal_split", **kwargs: object) -> Fund:
    fund = a_collection()
    args = {"target_fen": 100_000} if basis == "equal_split" else {"fee_fen": 30_000}
    fund.assess_fees(ctx(), basis=basis, participants=[A, B, C], **{**args, **kwargs})
    return fund


def pay(fund: Fund, person: str, amount_fen: int) -> str:
    return fund.pay_fee(
        ctx(), occurred_on=date(2025, 1, 5), amount_fen=amount_fen, person_id=person, doc_refs=["收据"]
    )


def spend(fund: Fund, amount_fen: int) -> str:
    return fund.pay_expense(ctx(), **expense(amount_fen=amount_fen, category="ping_pong_table"))


def refused(code: str, call, fund: Fund) -> None:
    fund.collect_events()
    with pytest.raises(LedgerError) as excinfo:
        call()
    assert excinfo.value.code == code
    assert fund.collect_events() == []


def test_an_equal_split_gives_the_odd_fen_to_the_first_participants():
    fund = assessed(target_fen=100_000)

    assert [fund.fees[p]["owed"] for p in (A, B, C)] == [33_334, 33_333, 33_333]


def test_a_per_head_fee_is_owed_by_every_participant():
    fund = assessed("per_head", fee_fen=30_000)

    assert {p: f["owed"] for p, f in fund.fees.items()} == {A: 30_000, B: 30_000, C: 30_000}


def test_assessing_twice_is_refused_with_collection_already_assessed():
    fund = assessed()

    refused(
        "collection_already_assessed",
        lambda: fund.assess_fees(ctx(), basis="per_head", participants=[A], fee_fen=1),
        fund,
    )


def test_assessing_a_mutual_aid_fund_is_refused_with_fund_not_a_collection():
    fund = a_fund(kind="mutual_aid")

    refused(
        "fund_not_a_collection",
        lambda: fund.assess_fees(ctx(), basis="per_head", participants=[A], fee_fen=1),
        fund,
    )


def test_a_payment_by_someone_not_assessed_is_refused_with_fee_payer_not_participant():
    fund = assessed()

    refused("fee_payer_not_participant", lambda: pay(fund, "person-x", 1_000), fund)


def test_a_grant_into_a_collection_is_refused_with_collection_top_up_needs_transfer():
    fund = assessed()

    refused(
        "collection_top_up_needs_transfer",
        lambda: fund.receive_grant(
            ctx(),
            occurred_on=date(2025, 1, 5),
            amount_fen=1_000,
            grant_kind="fiscal",
            grantor_name="街道",
            doc_refs=["x"],
        ),
        fund,
    )


def test_settlement_refunds_the_surplus_pro_rata_to_what_each_paid():
    fund = assessed("per_head", fee_fen=30_000)
    pay(fund, A, 30_000)
    pay(fund, B, 30_000)
    pay(fund, C, 15_000)
    spend(fund, 60_000)
    fund.collect_events()

    fund.settle_collection(ctx(), occurred_on=date(2025, 1, 8), rule="pro_rata", doc_refs=["结算表"])

    events = fund.collect_events()
    refunds = {e.person_id: e.amount_fen for e in events if isinstance(e, Fund.RefundPaid)}
    assert refunds == {A: 6_000, B: 6_000, C: 3_000}
    [settled] = [e for e in events if isinstance(e, Fund.CollectionSettled)]
    assert (settled.receipts_fen, settled.expenses_fen, settled.surplus_fen) == (75_000, 60_000, 15_000)
    assert settled.receipts_fen == settled.expenses_fen + sum(refunds.values())
    assert fund.balance_fen == 0


def test_an_equal_refund_splits_the_surplus_evenly_with_the_odd_fen_to_the_earliest():
    fund = assessed("per_head", fee_fen=30_000)
    for person in (A, B, C):
        pay(fund, person, 30_000)
    spend(fund, 89_999)
    fund.collect_events()

    fund.settle_collection(ctx(), occurred_on=date(2025, 1, 8), rule="equal", doc_refs=["结算表"])

    refunds = [e.amount_fen for e in fund.collect_events() if isinstance(e, Fund.RefundPaid)]
    assert refunds == [1]


def test_a_shortfall_covered_by_top_ups_is_recorded_at_settlement():
    fund = assessed("per_head", fee_fen=30_000)
    for person in (A, B, C):
        pay(fund, person, 30_000)
    pay(fund, A, 10_000)  # 少补: a top-up beyond the fee
    spend(fund, 100_000)
    fund.collect_events()

    fund.settle_collection(ctx(), occurred_on=date(2025, 1, 8), doc_refs=["结算表"])

    [settled] = fund.collect_events()
    assert (settled.surplus_fen, settled.shortfall_fen, settled.refunds) == (0, 10_000, [])


def test_closing_before_settlement_is_refused_with_collection_not_settled():
    fund = assessed()

    refused("collection_not_settled", lambda: fund.close_collection(ctx()), fund)


def test_a_settled_collection_closes_and_takes_no_more_entries():
    fund = assessed()
    pay(fund, A, 10_000)
    fund.settle_collection(ctx(), occurred_on=date(2025, 1, 8), doc_refs=["结算表"])
    fund.close_collection(ctx())

    refused("collection_already_settled", lambda: pay(fund, B, 10_000), fund)
    refused("collection_already_closed", lambda: fund.close_collection(ctx()), fund)


def test_settling_a_surplus_nobody_paid_is_refused_with_collection_surplus_has_no_payers():
    fund = assessed()
    fund.receive_donation(
        ctx(),
        occurred_on=date(2025, 1, 5),
        amount_fen=1_000,
        donor_kind="resident",
        donor_name="居民",
        doc_refs=["x"],
    )

    refused(
        "collection_surplus_has_no_payers",
        lambda: fund.settle_collection(ctx(), occurred_on=date(2025, 1, 8), doc_refs=["结算表"]),
        fund,
    )


def test_a_reversed_fee_payment_is_owed_again():
    fund = assessed()
    voucher = pay(fund, A, 10_000)

    fund.reverse_entry(ctx(), voucher_no=voucher, occurred_on=date(2025, 1, 6), reason="错收")

    assert fund.fees[A]["paid"] == 0
