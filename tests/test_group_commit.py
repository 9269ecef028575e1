"""Group commit on a real store: commands queued together are saved in one transaction, each
checked in turn as if alone, each answered with its own result, refusal and log position."""

from __future__ import annotations

import json
import threading
import time
from datetime import date

import pytest

from ledger.domain import errors
from ledger.domain.fund import Fund

ACTOR = "bookkeeper-1"


@pytest.fixture
def fund_id(activity_fund_id):
    return activity_fund_id


def donate(ledger, fund_id, fen, request_id=None):
    return ledger.record(
        fund_id,
        "receive_donation",
        actor=ACTOR,
        request_id=request_id,
        occurred_on=date(2025, 1, 5),
        amount_fen=fen,
        donor_kind="resident",
        donor_name="居民",
        doc_refs=["收据"],
    )


def pay(ledger, fund_id, fen):
    return ledger.record(
        fund_id,
        "pay_expense",
        actor=ACTOR,
        occurred_on=date(2025, 1, 6),
        amount_fen=fen,
        category="activities",
        payee="超市",
        handled_by="李四",
        approved_by="王五",
        doc_refs=["发票"],
    )


def queued_together(ledger, calls):
    """Run each call in its own thread while holding the write lock until all are queued, so
    one leader takes them as one group; return each call's answer or error, in order."""
    answers: list[object] = [None] * len(calls)
    saves = []
    original_save = ledger.save

    def counting_save(*aggregates, **kwargs):
        saves.append(len(aggregates))
        return original_save(*aggregates, **kwargs)

    ledger.save = counting_save

    def run(i, call):
        try:
            answers[i] = call()
        except Exception as error:  # collected for the assertions
            answers[i] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    with ledger._writing:
        for thread in threads:
            thread.start()
            while len(ledger._committer._queue) < threads.index(thread) + 1:  # keep the order
                time.sleep(0.001)
    for thread in threads:
        thread.join(timeout=60)
    del ledger.save
    return answers, saves


def test_sixteen_donations_queued_together_are_saved_in_one_transaction_with_their_own_positions(
    ledger, fund_id
):
    answers, saves = queued_together(
        ledger, [lambda n=n: donate(ledger, fund_id, 100 + n) for n in range(16)]
    )

    assert len(saves) == 1
    assert [a["voucher_no"] for a in answers] == [f"202501-{n:03d}" for n in range(1, 17)]
    for n, answer in enumerate(answers):
        (note,) = ledger.recorder.select_notifications(start=answer.position, limit=1)
        state = json.loads(note.state)
        assert (str(note.originator_id), note.topic, state["amount_fen"]) == (
            fund_id,
            Fund.DonationReceived.TOPIC,
            100 + n,
        )
    assert ledger.fund(fund_id).balance_fen == sum(100 + n for n in range(16))


def test_payments_queued_together_are_checked_in_turn_so_only_those_that_fit_are_paid(ledger, fund_id):
    donate(ledger, fund_id, 1000)

    answers, saves = queued_together(ledger, [lambda: pay(ledger, fund_id, 300) for _ in range(5)])

    paid = [a for a in answers if not isinstance(a, Exception)]
    refused = [a.code for a in answers if isinstance(a, errors.LedgerError)]
    assert len(saves) == 1
    assert len(paid) == 3 and refused == ["insufficient_funds"] * 2
    assert ledger.fund(fund_id).balance_fen == 100
    reopened = type(ledger)(env=ledger.env, today=ledger.today)
    try:
        assert reopened.fund(fund_id).balance_fen == 100  # the store agrees with the cache
    finally:
        reopened.close()


def test_one_request_id_twice_in_a_group_records_once_and_answers_both_alike(ledger, fund_id):
    answers, _ = queued_together(ledger, [lambda: donate(ledger, fund_id, 500, request_id="same")] * 2)

    assert answers[0]["voucher_no"] == answers[1]["voucher_no"] == "202501-001"
    assert [a.replayed for a in answers] == [False, True]
    assert ledger.fund(fund_id).balance_fen == 500


def test_a_retried_request_is_answered_without_reading_the_snapshot_store_when_its_id_was_seen(
    ledger, fund_id, monkeypatch
):
    first = donate(ledger, fund_id, 500, request_id="retried")
    ledger.forget_cached()  # nothing of the first answer left in the writer's memory

    def no_snapshot_reads(*args, **kwargs):
        raise AssertionError("an idempotency lookup read the snapshot store")

    monkeypatch.setattr(ledger.snapshots.recorder, "select_events", no_snapshot_reads)
    again = donate(ledger, fund_id, 500, request_id="retried")
    fresh = ledger.prior_request("never-seen")

    assert (again["voucher_no"], again.replayed, fresh) == (first["voucher_no"], True, None)


def test_a_command_that_fails_after_changing_a_shared_fund_sends_the_group_one_by_one(ledger, fund_id):
    from ledger.domain.context import Context

    def half_done(ctx: Context):
        fund = ledger.fund(fund_id)
        fund.receive_donation(
            ctx,
            occurred_on=date(2025, 1, 5),
            amount_fen=999,
            donor_kind="resident",
            donor_name="半途",
            doc_refs=["r"],
        )
        raise errors.PurposeNotAllowed(category="after a change")

    calls = [
        lambda: donate(ledger, fund_id, 100),
        lambda: ledger.execute("half_done", {}, actor=ACTOR, request_id=None, work=half_done),
        lambda: donate(ledger, fund_id, 200),
    ]
    answers, _ = queued_together(ledger, calls)

    assert answers[1].code == "purpose_not_allowed"
    assert [answers[0]["voucher_no"], answers[2]["voucher_no"]] == ["202501-001", "202501-002"]
    assert ledger.fund(fund_id).balance_fen == 300  # the half-done 999 was never saved nor served


def test_reads_beside_writes_never_apply_an_event_twice(ledger, fund_id):
    """Readers (a route's ownership check) fetch the fund while the writer changes the same
    cached object: a read must not fast-forward it over the writer's unsaved events
    (OriginatorVersionError, seen as a 500 under 16 HTTP clients)."""
    import sys

    failures: list[BaseException] = []
    writing = threading.Event()

    def reader() -> None:
        while not writing.is_set():
            time.sleep(0)
        while writing.is_set():
            try:
                ledger.fund(fund_id).owner_org_id  # noqa: B018 (the read is the test)
            except BaseException as exc:  # any failure is the finding
                failures.append(exc)
                return

    def writer() -> None:
        for _ in range(60):
            donate(ledger, fund_id, 100)

    # A slow store read (a busy disk, a PostgreSQL round trip) widens the window between a
    # reader taking the cached fund's version and reading the events after it.
    store = ledger.repository.event_store
    real_get = store.get

    def slow_get(*args, **kwargs):
        time.sleep(0.002)
        return real_get(*args, **kwargs)

    store.get = slow_get
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads often, so reads land inside the writes
    try:
        readers = [threading.Thread(target=reader) for _ in range(4)]
        writers = [threading.Thread(target=writer) for _ in range(4)]
        for thread in readers:
            thread.start()
        writing.set()
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join()
        writing.clear()
        for thread in readers:
            thread.join()
    finally:
        sys.setswitchinterval(previous)
        del store.get
    assert failures == []
    assert ledger.fund(fund_id).balance_fen == 4 * 60 * 100


def test_a_second_process_waits_for_the_writer_lock_and_then_sees_the_first_ones_commits(
    open_ledger, fund_id
):
    """Two Ledgers on one store stand for two processes (their locks are separate: separate
    file descriptions for SQLite's flock, separate sessions for PostgreSQL's advisory lock).
    While one holds the writer lock, the other's command waits, then loads the fund as the first
    left it: no version conflict, no retry."""
    first, second = open_ledger(), open_ledger()
    donate(second, fund_id, 100)  # the second process has the fund cached at this version
    done = threading.Event()
    with first.writer_lock:
        donate(first, fund_id, 200)  # re-entrant within its own lock: the group takes it again
        waiter = threading.Thread(target=lambda: (donate(second, fund_id, 300), done.set()))
        waiter.start()
        assert not done.wait(0.3)  # blocked on the lock the first process holds
    waiter.join(timeout=10)
    assert done.is_set()
    assert second.fund(fund_id).balance_fen == 600


def test_a_group_pays_from_a_donation_another_process_saved_when_its_cached_fund_was_current_before(
    open_ledger, fund_id
):
    """The writer's cache skips the per-read query while nobody else wrote (ADR 0191); a
    donation saved by another process since must still count: here the payment fits only with
    it, and a stale fund would refuse it as over the balance."""
    here, there = open_ledger(), open_ledger()
    donate(here, fund_id, 100)  # here's cache holds the fund, current as of its own commit
    donate(there, fund_id, 500)
    pay(here, fund_id, 550)
    assert here.fund(fund_id).balance_fen == there.fund(fund_id).balance_fen == 50


def test_a_group_reads_no_events_of_its_cached_fund_when_nobody_wrote_since_its_last_commit(ledger, fund_id):
    """The second donation finds the fund current in the writer's cache: the events table is
    not asked for the fund's events again (the request id's lookup still is)."""
    donate(ledger, fund_id, 100)
    asked: list[object] = []
    select_events = ledger.recorder.select_events

    def counting(originator_id, **kwargs):
        asked.append(originator_id)
        return select_events(originator_id, **kwargs)

    ledger.recorder.select_events = counting
    try:
        donate(ledger, fund_id, 200, request_id="second-donation")
    finally:
        del ledger.recorder.select_events
    assert all(str(asked_id) != fund_id for asked_id in asked), asked
    assert ledger.fund(fund_id).balance_fen == 300
