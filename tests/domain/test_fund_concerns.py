"""``Fund`` is one aggregate written as several modules of one concern each (ADR 0155, 0205): the
money in ``fund.py``, custody and its handovers in ``fund_custody.py``, collections in
``fund_collections.py``, stipends in ``fund_stipends.py``, aid reservations in
``fund_reservations.py``, closing a month in ``fund_closing.py``. The events a concern module
defines are the fund's own: stored under the same topics, read back as ``Fund.X``, raised as
``Fund.X``; and each command is found in the module of its concern."""

from __future__ import annotations

from datetime import date

import pytest
from eventsourcing.domain import Aggregate
from eventsourcing.utils import resolve_topic

from ledger.domain.fund import Fund
from ledger.domain.fund_closing import Closing
from ledger.domain.fund_collections import Collection
from ledger.domain.fund_custody import Custody
from ledger.domain.fund_reservations import AidReservations
from ledger.domain.fund_stipends import Stipends
from tests.domain.builders import a_fund, ctx, given_cashier, given_closed, given_donation, stipend

CONCERNS = (Custody, Collection, Stipends, AidReservations, Closing)

# Where a newcomer finds each command of the fund that is not a plain voucher (docs/concepts/rules.md).
COMMAND_MODULES = {
    "assign_custodian": "fund_custody",
    "hand_over_custody": "fund_custody",
    "assess_fees": "fund_collections",
    "pay_fee": "fund_collections",
    "settle_collection": "fund_collections",
    "close_collection": "fund_collections",
    "pay_stipend": "fund_stipends",
    "reserve_aid": "fund_reservations",
    "release_aid": "fund_reservations",
    "pay_aid": "fund_reservations",
    "close_period": "fund_closing",
    "close_periods_through": "fund_closing",
}


def events_of(concern: type) -> list[tuple[str, type]]:
    return [
        (name, obj)
        for name, obj in vars(concern).items()
        if isinstance(obj, type) and issubclass(obj, Aggregate.Event)
    ]


@pytest.mark.parametrize(
    ("name", "defined"),
    [pair for concern in CONCERNS for pair in events_of(concern)],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_an_event_of_a_concern_module_is_the_funds_own_when_stored_and_read_back(name, defined):
    on_fund = vars(Fund)[name]

    assert issubclass(on_fund, defined)
    assert on_fund.__qualname__ == f"Fund.{name}"
    assert on_fund.TOPIC == f"fundbook:Fund.{name}" == defined.TOPIC
    assert resolve_topic(on_fund.TOPIC) is on_fund


def test_the_concern_modules_define_the_events_of_custody_collections_reservations_and_closing():
    names = {name for concern in CONCERNS for name, _ in events_of(concern)}
    assert names == {
        "CustodianAssigned",
        "CustodyHandedOver",
        "FeeAssessed",
        "CollectionSettled",
        "CollectionClosed",
        "AidReserved",
        "AidReleased",
        "PeriodClosed",
    }


@pytest.mark.parametrize(("command", "module"), COMMAND_MODULES.items())
def test_a_command_of_the_fund_is_defined_in_the_module_of_its_concern(command, module):
    assert getattr(Fund, command).__module__ == f"ledger.domain.{module}"


def test_a_command_of_a_concern_module_raises_the_funds_event_class_when_called():
    fund = a_fund(kind="collection")
    given_cashier(fund)
    fund.assess_fees(ctx(), basis="per_head", participants=["p-1", "p-2"], fee_fen=5_000)

    raised = fund.collect_events()

    assert type(raised[-2]) is Fund.CustodianAssigned
    assert type(raised[-1]) is Fund.FeeAssessed


def test_a_command_of_a_moved_concern_raises_the_funds_event_classes_when_called():
    fund = a_fund(kind="activity", policy={"stipends_allowed": True})
    given_donation(fund, 50_000, on=date(2024, 12, 2))
    fund.collect_events()

    fund.pay_stipend(ctx(), **stipend(occurred_on=date(2024, 12, 3)))
    fund.reserve_aid(ctx(), case_id="case-1", amount_fen=1_000)
    fund.release_aid(ctx(), case_id="case-1", reason="申请撤回")
    fund.reserve_aid(ctx(), case_id="case-2", amount_fen=2_000)
    fund.pay_aid(
        ctx(),
        case_id="case-2",
        occurred_on=date(2024, 12, 4),
        beneficiary_person_id="person-beneficiary",
        aid_kind="hospitalisation",
        approved_by=["person-secretary"],
        doc_refs=["审批表-01"],
    )
    given_closed(fund, "2024-12")

    raised = [type(e) for e in fund.collect_events()]
    assert raised == [
        Fund.StipendPaid,
        Fund.AidReserved,
        Fund.AidReleased,
        Fund.AidReserved,
        Fund.AidPaid,
        Fund.PeriodClosed,
    ]
    assert (fund.closed_through, fund.reserved_fen, fund.reservations) == ("2024-12", 0, {})
