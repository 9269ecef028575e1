"""What the code wrote before the Fund was split into concern modules still loads (ADR 0155, 0205).

``fund_streams_20aeb2b.json`` holds three funds' stored events and a snapshot of each taken
half-way, written by the code at commit 20aeb2b (``fund.py`` of 1,185 lines, before stipends,
aid reservations and period closing moved to their own modules): an activity fund with every
voucher kind, stipends, a reversed stipend paid again, two closed months and a custody
handover; a mutual-aid fund with aid reserved, released, paid and its payment reversed; a
collection assessed, paid, settled and closed. It was made by running this module
(``.venv/bin/python -m tests.domain.test_fund_stored_streams``) at that commit; it is the old
code's output and is never rewritten.

The tests read it with today's code: every stored event decodes to the fund's event of that
topic and encodes back to the same bytes (same topic, same field names and values), and the
funds loaded from the store (from the events alone, and from the snapshot plus the events after
it) have the state the old code had.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from ledger.application import Ledger
from ledger.domain.fund import Fund, transfer_between
from tests.domain.builders import BANK_ACCOUNT, a_fund, ctx, donation, expense, given_cashier, stipend

FIXTURE = Path(__file__).parent / "data" / "fund_streams_20aeb2b.json"
WRITTEN_AT = "20aeb2b"


# --- the streams the old code wrote (run as a module at the old commit to write them) ------------
def funds_with_every_kind_of_event() -> list[tuple[Fund, int]]:
    """Three funds and, for each, the version after which its snapshot is taken."""
    activity = a_fund(kind="activity", custody=BANK_ACCOUNT, policy={"stipends_allowed": True})
    mutual = a_fund(kind="mutual_aid")
    collection = a_fund(kind="collection")
    dec = ctx(today=date(2024, 12, 20))

    given_cashier(activity)
    activity.receive_donation(dec, **donation(occurred_on=date(2024, 12, 2), amount_fen=300_000))
    activity.receive_grant(
        dec,
        occurred_on=date(2024, 12, 3),
        amount_fen=50_000,
        grant_kind="dues_rebate",
        grantor_name="社区党委",
        doc_refs=["拨款通知-01"],
    )
    activity.credit_interest(dec, occurred_on=date(2024, 12, 4), amount_fen=123, bank_ref="结息单-01")
    paid = activity.pay_expense(
        dec, **expense(occurred_on=date(2024, 12, 5), amount_fen=8_000, public_summary="慰问住院党员")
    )
    first_stipend = activity.pay_stipend(dec, **stipend(occurred_on=date(2024, 12, 6), months=["2024-12"]))
    activity.move_cash(
        dec,
        occurred_on=date(2024, 12, 7),
        amount_fen=10_000,
        from_account="bank",
        to_account="cash",
        doc_refs=["取款单-01"],
    )
    transfer_between(
        dec, activity, mutual, occurred_on=date(2024, 12, 8), amount_fen=40_000, decision_ref="决-1"
    )
    activity.reverse_entry(dec, voucher_no=paid, occurred_on=date(2024, 12, 9), reason="录入错误")
    activity.reverse_entry(dec, voucher_no=first_stipend, occurred_on=date(2024, 12, 10), reason="重复发放")
    activity_snapshot_at = activity.version
    activity.pay_stipend(ctx(), **stipend(occurred_on=date(2025, 1, 2), months=["2024-12"]))
    activity.close_periods_through(ctx(), period="2024-12", reviewed_by="person-reviewer")
    activity.hand_over_custody(
        ctx(),
        role="cashier",
        to_person_id="person-next-cashier",
        supervisor_person_id="person-supervisor",
        handed_over_on=date(2025, 1, 3),
        cash_counted_fen=activity.balances_fen["cash"] - 10,
        bank_balance_fen=activity.balances_fen["bank"],
        inventory_ref="移交清单-01",
        difference_note="短款 0.10 元",
    )
    activity.receive_donation(ctx(), **donation(occurred_on=date(2025, 1, 4), amount_fen=1_000))

    mutual.receive_donation(dec, **donation(occurred_on=date(2024, 12, 9), amount_fen=20_000))
    mutual.reserve_aid(dec, case_id="case-1", amount_fen=30_000)
    mutual.reserve_aid(dec, case_id="case-2", amount_fen=5_000)
    mutual_snapshot_at = mutual.version
    mutual.release_aid(ctx(), case_id="case-2", reason="申请撤回")
    aid = mutual.pay_aid(
        ctx(),
        case_id="case-1",
        occurred_on=date(2025, 1, 2),
        beneficiary_person_id="person-beneficiary",
        aid_kind="hospitalisation",
        approved_by=["person-secretary"],
        doc_refs=["审批表-01"],
    )
    mutual.reverse_entry(
        ctx(), voucher_no=aid, occurred_on=date(2025, 1, 3), reason="付错人", aid_case_id="case-1"
    )
    mutual.close_period(ctx(), period="2024-12")

    given_cashier(collection)
    collection.assess_fees(ctx(), basis="equal_split", participants=["p-1", "p-2", "p-3"], target_fen=30_000)
    collection.pay_fee(
        ctx(), occurred_on=date(2025, 1, 2), amount_fen=10_000, person_id="p-1", doc_refs=["收-1"]
    )
    collection_snapshot_at = collection.version
    collection.pay_fee(
        ctx(), occurred_on=date(2025, 1, 3), amount_fen=10_000, person_id="p-2", doc_refs=["收-2"]
    )
    collection.pay_expense(ctx(), **expense(occurred_on=date(2025, 1, 4), amount_fen=15_001))
    collection.settle_collection(ctx(), occurred_on=date(2025, 1, 5), rule="pro_rata", doc_refs=["结算表"])
    collection.close_collection(ctx())
    return [
        (activity, activity_snapshot_at),
        (mutual, mutual_snapshot_at),
        (collection, collection_snapshot_at),
    ]


def encoded(stored: StoredEvent) -> dict[str, Any]:
    return {
        "originator_id": str(stored.originator_id),
        "originator_version": stored.originator_version,
        "topic": stored.topic,
        "state": stored.state.decode(),  # JSON text (the Ledger neither compresses nor encrypts)
    }


def decoded(row: dict[str, Any]) -> StoredEvent:
    return StoredEvent(
        originator_id=UUID(row["originator_id"]),
        originator_version=row["originator_version"],
        topic=row["topic"],
        state=row["state"].encode(),
    )


def write_fixture(path: Path) -> None:
    """Save the three funds in a store in memory, snapshot each half-way and at its end, and
    write what the store holds."""
    ledger = Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo", "IS_SNAPSHOTTING_ENABLED": "y"})
    streams = []
    for fund, snapshot_at in funds_with_every_kind_of_event():
        ledger.save(fund)
        ledger.take_snapshot(fund.id, version=snapshot_at)
        [halfway] = ledger.snapshots.recorder.select_events(fund.id)
        ledger.take_snapshot(fund.id)
        end = ledger.snapshots.recorder.select_events(fund.id, gt=snapshot_at)[-1]
        streams.append(
            {
                "events": [encoded(e) for e in ledger.events.recorder.select_events(fund.id)],
                "snapshot": encoded(halfway),
                "final_snapshot": encoded(end),
            }
        )
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        json.dumps({"written_at": WRITTEN_AT, "streams": streams}, indent=1, ensure_ascii=False) + "\n"
    )


# --- today's code reads them -------------------------------------------------------------------
# The fund's events at 20aeb2b: every one of them is in the fixture.
TOPICS_AT_20AEB2B = {
    f"fundbook:Fund.{name}"
    for name in (
        "Established",
        "CustodianAssigned",
        "CustodyHandedOver",
        "DonationReceived",
        "GrantReceived",
        "InterestCredited",
        "TransferredIn",
        "ExpensePaid",
        "StipendPaid",
        "TransferredOut",
        "AidPaid",
        "FeePaid",
        "RefundPaid",
        "AidReserved",
        "AidReleased",
        "EntryReversed",
        "CashMoved",
        "PeriodClosed",
        "FeeAssessed",
        "CollectionSettled",
        "CollectionClosed",
    )
}


@pytest.fixture(scope="module")
def streams() -> list[dict[str, Any]]:
    return json.loads(FIXTURE.read_text())["streams"]


@pytest.fixture(scope="module")
def mapper():
    return Ledger(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper


def test_the_old_streams_hold_every_event_the_fund_stored_at_the_old_commit(streams):
    topics = {row["topic"] for stream in streams for row in stream["events"]}

    assert topics == TOPICS_AT_20AEB2B


def test_an_old_stored_event_is_the_funds_event_of_its_topic_and_is_written_the_same_by_todays_class(
    streams, mapper
):
    for stream in streams:
        for row in stream["events"]:
            stored = decoded(row)

            event = mapper.to_domain_event(stored)

            assert vars(Fund)[type(event).__name__] is type(event), row["topic"]
            assert type(event).__qualname__ == f"Fund.{type(event).__name__}"
            # Made afresh by today's class from the old fields (a renamed, added or dropped
            # field fails here: decoding alone fills any attribute it finds in the state).
            rebuilt = type(event)(**vars(event))
            assert mapper.to_stored_event(rebuilt) == stored, row["topic"]


def test_an_old_snapshot_encodes_back_to_the_same_bytes_and_loads_as_the_fund_at_its_version(streams, mapper):
    for stream in streams:
        stored = decoded(stream["snapshot"])
        snapshot = mapper.to_domain_event(stored)
        replayed = None
        for row in stream["events"][: stored.originator_version]:
            replayed = mapper.to_domain_event(decoded(row)).mutate(replayed)

        loaded = snapshot.mutate(None)

        assert mapper.to_stored_event(snapshot) == stored
        assert snapshot.topic == "fundbook:Fund"
        assert type(loaded) is Fund
        assert vars(loaded) == vars(replayed)


@pytest.mark.parametrize("from_snapshot", [False, True], ids=["from-events", "from-snapshot"])
def test_a_fund_stored_by_the_old_code_loads_from_the_store_with_the_old_codes_state(
    open_ledger, streams, mapper, from_snapshot
):
    ledger = open_ledger()
    for stream in streams:
        ledger.events.recorder.insert_events([decoded(row) for row in stream["events"]])
        if from_snapshot:
            ledger.snapshots.recorder.insert_events([decoded(stream["snapshot"])])
    ledger.forget_cached()

    for stream in streams:
        final = mapper.to_domain_event(decoded(stream["final_snapshot"]))
        loaded = ledger.fund(final.originator_id)

        assert loaded.version == final.originator_version
        state = {k: v for k, v in vars(loaded).items() if k not in ("_id", "_version", "_pending_events")}
        assert state == {k: v for k, v in final.state.items() if k != "class_version"}


if __name__ == "__main__":
    write_fixture(Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURE)
