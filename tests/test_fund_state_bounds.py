"""The Fund's state stays compact and the store keeps one snapshot per aggregate (issue 20,
ADR 0110): a fund with 10,000 entries in its open year snapshots in at most 1 MB, only the
latest snapshot is kept, and a snapshot of the older shape still loads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from eventsourcing.domain import Snapshot

from ledger.application import Ledger
from ledger.application.snapshot_pace import BYTES_PER_EVENT
from ledger.domain.fund import Fund, expand_voucher
from tests.domain import builders

END = date(2025, 12, 31)
ENTRIES = 10_000


def _busy_fund(entries: int, save: Callable[[Fund], object] | None = None) -> Fund:
    """A fund with ``entries`` vouchers over one year: donations, every tenth an expense, every
    hundredth a reversal, every fiftieth a bank deposit; saved every 1,000 entries if ``save``."""
    fund = builders.a_fund(kind="mutual_aid", established_on=date(2025, 1, 1))
    today = builders.ctx(today=END)
    last_gift = None
    for n in range(entries):
        day = date(2025, 1, 1) + timedelta(days=n * 365 // entries)
        if n % 100 == 99 and last_gift is not None:
            fund.reverse_entry(today, voucher_no=last_gift, occurred_on=day, reason="录入错误")
            last_gift = None
        elif n % 50 == 49:
            fund.move_cash(
                today,
                occurred_on=day,
                amount_fen=1_000,
                from_account="cash",
                to_account="bank",
                doc_refs=["存"],
            )
        elif n % 10 == 9:
            fund.pay_expense(today, **builders.expense(occurred_on=day, amount_fen=2_000))
        else:
            last_gift = fund.receive_donation(today, **builders.donation(occurred_on=day, amount_fen=5_000))
        if save is not None and (n % 1_000 == 999 or n == entries - 1):
            save(fund)
    return fund


def test_a_fund_with_ten_thousand_entries_keeps_one_snapshot_of_at_most_a_megabyte_when_saved_in_parts(
    open_ledger,
):
    ledger = open_ledger(today=END)
    fund = _busy_fund(ENTRIES, save=ledger.save)  # many saves, each reaching snapshot versions
    ledger.forget_cached()

    stored = ledger.snapshots.recorder.select_events(fund.id)

    # The latest snapshot: at most one pace of a snapshot that size behind (ADR 0192), plus the
    # 1,000 entries of a save, since a snapshot is taken when a save makes one due.
    behind = max(Ledger.snapshotting_intervals[Fund], len(stored[0].state) // BYTES_PER_EVENT) + 1_000
    assert len(stored) == 1 and fund.version - behind < stored[0].originator_version <= fund.version
    assert len(stored[0].state) <= 1_000_000, len(stored[0].state)
    loaded = ledger.fund(fund.id)
    assert (loaded.version, loaded.balances_fen, loaded.vouchers) == (
        fund.version,
        fund.balances_fen,
        fund.vouchers,
    )


def test_a_snapshot_of_the_older_shape_loads_with_the_same_days_and_vouchers_when_read():
    fund = _busy_fund(400)
    old = dict(vars(fund))  # class version 1 kept every posting and each voucher as a dict
    del old["open_days"]
    old["open_postings"] = [
        [day, account, delta, day[:7]]
        for event in _money_events(fund)
        for day, account, delta in event.postings()
    ]
    old["vouchers"] = {number: expand_voucher(record) for number, record in fund.vouchers.items()}
    for key in ("_id", "_version", "_pending_events"):
        old.pop(key)
    snapshot = Snapshot(
        originator_id=fund.id,
        originator_version=fund.version,
        timestamp=Snapshot.create_timestamp(),
        topic=Fund.TOPIC,
        state=old,
    )

    loaded = snapshot.mutate(None)

    assert (loaded.open_days, loaded.vouchers) == (fund.open_days, fund.vouchers)


def _money_events(fund: Fund) -> list:
    return [event for event in fund.pending_events if hasattr(event, "postings")]
