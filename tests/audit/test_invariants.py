"""The auditor's fold of the invariants, fed with real decoded events in orders the Ledger
would never record: each rule names the record that breaks it."""

from __future__ import annotations

from ledger.audit.invariants import Invariants, Violation
from ledger.audit.log import stored_rows
from ledger.domain.fund import Fund, MoneyEvent
from tests.audit.conftest import decoder


def events_of(store, app):
    from eventsourcing.persistence import StoredEvent

    decode = decoder(app)
    return [
        (r.position, decode(StoredEvent(r.originator_id, r.version, r.topic, r.state)))
        for r in stored_rows(store)
    ]


def check(events) -> list[Violation]:
    found: list[Violation] = []
    invariants = Invariants(found.append)
    for position, event in events:
        invariants.apply(position, event)
    invariants.finish()
    return found


def test_the_recorded_history_breaks_no_invariant(audited):
    books, store = audited
    assert check(events_of(store, books.app)) == []


def test_a_voucher_reversed_a_second_time_is_reported_at_the_second_reversal(audited):
    books, store = audited
    events = events_of(store, books.app)
    position, reversal = next((p, e) for p, e in events if isinstance(e, Fund.EntryReversed))
    again = position + 10_000
    found = check([*events, (again, reversal)])
    assert ("reversal_repeated", again) in {(v.code, v.position) for v in found}
    assert ("voucher_repeated", again) in {(v.code, v.position) for v in found}  # same number too


def test_a_dropped_voucher_leaves_a_gap_named_at_the_next_voucher_of_that_month(audited):
    books, store = audited
    events = events_of(store, books.app)
    vouchers = [(p, e) for p, e in events if isinstance(e, MoneyEvent)]
    dropped = next(
        (p, e)
        for p, e in vouchers
        if any(
            d.originator_id == e.originator_id
            and d.voucher_no > e.voucher_no
            and d.voucher_no[:6] == e.voucher_no[:6]
            for _, d in vouchers
        )
    )
    rest = [(p, e) for p, e in events if p != dropped[0]]
    gaps = [v for v in check(rest) if v.code == "voucher_gap"]
    assert len(gaps) == 1 and dropped[1].voucher_no in gaps[0].detail
