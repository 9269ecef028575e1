"""``Fund`` is one aggregate written as several modules of one concern each (ADR 0155): the money
in ``fund.py``, custody and its handovers in ``fund_custody.py``, collections in
``fund_collections.py``. The events a concern module defines are the fund's own: stored under the
same topics, read back as ``Fund.X``, raised as ``Fund.X``."""

from __future__ import annotations

import pytest
from eventsourcing.domain import Aggregate
from eventsourcing.utils import resolve_topic

from ledger.domain.fund import Fund
from ledger.domain.fund_collections import Collection
from ledger.domain.fund_custody import Custody
from tests.domain.builders import a_fund, ctx, given_cashier

CONCERNS = (Custody, Collection)


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


def test_the_concern_modules_define_the_events_of_custody_and_of_collections():
    names = {name for concern in CONCERNS for name, _ in events_of(concern)}
    assert names == {
        "CustodianAssigned",
        "CustodyHandedOver",
        "FeeAssessed",
        "CollectionSettled",
        "CollectionClosed",
    }


def test_a_command_of_a_concern_module_raises_the_funds_event_class_when_called():
    fund = a_fund(kind="collection")
    given_cashier(fund)
    fund.assess_fees(ctx(), basis="per_head", participants=["p-1", "p-2"], fee_fen=5_000)

    raised = fund.collect_events()

    assert type(raised[-2]) is Fund.CustodianAssigned
    assert type(raised[-1]) is Fund.FeeAssessed
