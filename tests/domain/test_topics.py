"""Stored events outlive the code: explicit topics and a fixed stored form.

Every event class carries its own stable ``TOPIC``, so moving or renaming a class never breaks
the stored log. A literal stored state of ``Fund.DonationReceived`` is decoded here as the
library would read it back: renaming a field, or the ``date_iso`` transcoding, fails this test
and calls for an upcaster (``class_version = 2``) instead.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import resolve_topic

from ledger.application import Ledger
from ledger.domain.fund import Fund, transfer_between
from ledger.domain.organisation import Organisation
from ledger.domain.person import Person
from ledger.domain.request_record import RequestRecord
from tests.domain.builders import (
    a_fund,
    ctx,
    donation,
    given_cashier,
    given_closed,
    given_donation,
    given_expense,
    given_reversal,
)

AGGREGATES = (Fund, Organisation, Person, RequestRecord)

FUND_ID = UUID("6f1c2a9e-3b7d-4c55-9a0e-2d4b8f1e7c30")
STORED_DONATION_STATE = (
    '{"timestamp":{"_type_":"datetime_iso","_data_":"2025-01-05T02:30:00+00:00"},'
    '"voucher_no":"202501-001",'
    '"occurred_on":{"_type_":"date_iso","_data_":"2025-01-05"},'
    '"amount_fen":10000,"account":"cash","recorded_by":"bookkeeper-1","request_id":null,'
    '"doc_refs":["收据-0001"],"memo":null,"donor_kind":"resident","donor_person_id":null,'
    '"donor_name":"李大爷","publish_donor_name":false,"campaign":null,"receipt_no":null}'
).encode()


def nested_event_classes() -> list[type[Aggregate.Event]]:
    return [
        obj
        for aggregate in AGGREGATES
        for name, obj in vars(aggregate).items()
        if isinstance(obj, type) and issubclass(obj, Aggregate.Event) and name != "Event"
    ]


@pytest.fixture
def mapper() -> Mapper:
    return Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper


# --- topics --------------------------------------------------------------------------------------
def test_every_aggregate_and_event_class_has_a_fundbook_topic():
    classes = [*AGGREGATES, *nested_event_classes()]

    missing = [c.__qualname__ for c in classes if not getattr(c, "TOPIC", "").startswith("fundbook:")]

    assert missing == []
    assert len(nested_event_classes()) >= 20


def test_every_topic_is_unique_and_resolves_to_its_class_when_none_is_inherited():
    classes = [*AGGREGATES, *nested_event_classes()]
    topics = [c.TOPIC for c in classes]

    assert len(set(topics)) == len(topics)
    assert all(resolve_topic(c.TOPIC) is c for c in classes)


# --- the stored form -----------------------------------------------------------------------------
def a_fund_with_every_kind_of_event() -> tuple[Fund, list[Aggregate.Event]]:
    fund = a_fund(kind="activity", policy={"stipends_allowed": True}, established_on=date(2024, 11, 1))
    other = a_fund(kind="activity", established_on=date(2024, 11, 1))
    given_cashier(fund)
    given_donation(fund, 100_000, on=date(2024, 11, 2))
    paid = given_expense(fund, 5_000, on=date(2024, 11, 3))
    fund.receive_grant(
        ctx(),
        occurred_on=date(2024, 11, 4),
        amount_fen=20_000,
        grant_kind="dues_rebate",
        grantor_name="社区党委",
        doc_refs=["拨款通知-01"],
    )
    fund.pay_stipend(
        ctx(),
        occurred_on=date(2024, 11, 5),
        amount_fen=10_000,
        person_id="person-secretary",
        months=["2024-11"],
        in_office=lambda person_id, month, role: True,
        handled_by="person-handler",
        doc_refs=["签收单-01"],
    )
    fund.move_cash(
        ctx(),
        occurred_on=date(2024, 11, 6),
        amount_fen=1_000,
        from_account="cash",
        to_account="bank",
        doc_refs=["存款单-01"],
    )
    transfer_between(ctx(), fund, other, occurred_on=date(2024, 11, 7), amount_fen=2_000, decision_ref="决-1")
    given_reversal(fund, paid, on=date(2024, 11, 8))
    fund.reserve_aid(ctx(), case_id="case-1", amount_fen=3_000)
    fund.reserve_aid(ctx(), case_id="case-2", amount_fen=1_000)
    fund.release_aid(ctx(), case_id="case-2", reason="申请撤回")
    fund.pay_aid(
        ctx(),
        case_id="case-1",
        occurred_on=date(2024, 11, 9),
        beneficiary_person_id="person-beneficiary",
        aid_kind="hospitalisation",
        approved_by=["person-secretary"],
        doc_refs=["审批表-01"],
    )
    given_closed(fund, "2024-11")
    fund.hand_over_custody(
        ctx(),
        role="cashier",
        to_person_id="person-next-cashier",
        supervisor_person_id="person-supervisor",
        handed_over_on=date(2024, 12, 2),
        cash_counted_fen=fund.balances_fen["cash"] - 10,
        bank_balance_fen=fund.balances_fen["bank"],
        inventory_ref="移交清单-01",
        difference_note="短款 0.10 元",
    )
    return fund, fund.collect_events()


def test_every_fund_event_round_trips_through_the_stored_form(mapper):
    _, events = a_fund_with_every_kind_of_event()

    decoded = [mapper.to_domain_event(mapper.to_stored_event(e)) for e in events]

    assert decoded == events
    assert {type(e) for e in events} >= {
        Fund.Created,
        Fund.CustodianAssigned,
        Fund.CustodyHandedOver,
        Fund.DonationReceived,
        Fund.ExpensePaid,
        Fund.GrantReceived,
        Fund.StipendPaid,
        Fund.CashMoved,
        Fund.TransferredOut,
        Fund.EntryReversed,
        Fund.AidReserved,
        Fund.AidReleased,
        Fund.AidPaid,
        Fund.PeriodClosed,
    }


def test_donation_is_stored_with_its_topic_and_its_date_as_iso_text(mapper):
    fund = a_fund()
    fund.collect_events()
    fund.receive_donation(ctx(), **donation(occurred_on=date(2025, 1, 5), amount_fen=10_000))
    [event] = fund.collect_events()

    stored = mapper.to_stored_event(event)

    assert stored.topic == "fundbook:Fund.DonationReceived"
    state = json.loads(stored.state)
    assert state["occurred_on"] == {"_type_": "date_iso", "_data_": "2025-01-05"}
    # today's class_version 2 adds the public summary to what a v1 donation stored (ADR 0080)
    expected = {**json.loads(STORED_DONATION_STATE), "public_summary": None, "class_version": 2}
    assert {k: v for k, v in state.items() if k != "timestamp"} == {
        k: v for k, v in expected.items() if k != "timestamp"
    }


def test_literal_stored_donation_decodes_to_the_expected_event(mapper):
    stored = StoredEvent(
        originator_id=FUND_ID,
        originator_version=2,
        topic="fundbook:Fund.DonationReceived",
        state=STORED_DONATION_STATE,
    )

    event = mapper.to_domain_event(stored)

    assert isinstance(event, Fund.DonationReceived)
    assert (event.originator_id, event.originator_version) == (FUND_ID, 2)
    assert event.timestamp == datetime(2025, 1, 5, 2, 30, tzinfo=UTC)
    assert event.occurred_on == date(2025, 1, 5)
    assert type(event.occurred_on) is date
    assert (event.voucher_no, event.amount_fen, event.account) == ("202501-001", 10_000, "cash")
    assert (event.donor_kind, event.donor_name, event.donor_person_id) == (
        "resident",
        "李大爷",
        None,
    )
    assert (event.doc_refs, event.memo, event.publish_donor_name) == (["收据-0001"], None, False)
    assert (event.recorded_by, event.request_id) == ("bookkeeper-1", None)
    assert event.postings() == [("2025-01-05", "cash", 10_000)]


def test_a_reversal_stored_at_version_1_decodes_with_no_cash_move_and_the_same_postings(mapper):
    """EntryReversed v2 adds ``reverses_to_account`` (ADR 0033), v3 ``public_summary`` (ADR 0080);
    every v1 reversal reversed a single-account voucher, so it reads back as None and posts as
    before."""
    fund = a_fund()
    gift = given_donation(fund, 10_000, on=date(2025, 1, 5))
    given_reversal(fund, gift, on=date(2025, 1, 6))
    reversal = fund.collect_events()[-1]
    stored = mapper.to_stored_event(reversal)
    state = json.loads(stored.state)
    v3 = (state.pop("class_version"), state.pop("reverses_to_account"), state.pop("public_summary"))
    assert v3 == (3, None, None)

    old = mapper.to_domain_event(
        StoredEvent(stored.originator_id, stored.originator_version, stored.topic, json.dumps(state).encode())
    )

    assert old.__dict__ == reversal.__dict__
    assert old.postings() == [("2025-01-06", "cash", -10_000)]
