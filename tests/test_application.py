"""The Ledger on a real store (SQLite or PostgreSQL, see conftest): atomic saves, idempotent
requests, retries after version conflicts, and state rebuilt by a reopened Ledger."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from eventsourcing.persistence import RecordConflictError

from ledger.domain import errors
from ledger.domain.fund import Fund

ACTOR = "bookkeeper-1"


@pytest.fixture
def books(ledger):
    """A community, a member, and a mutual-aid and an activity fund kept in a bank."""
    community = ledger.register_organisation(
        actor=ACTOR,
        kind="community_committee",
        name_zh="阳光社区党委",
        established_on=date(2010, 1, 1),
    )["org_id"]
    member = ledger.register_person(actor=ACTOR, name_zh="王小明")["person_id"]
    funds = {}
    for kind in ("mutual_aid", "activity"):
        funds[kind] = ledger.establish_fund(
            actor=ACTOR,
            owner_org_id=community,
            kind=kind,
            name_zh=f"{kind}基金",
            allowed_purposes=["hardship_aid", "activities"],
            custody={"kind": "bank_account", "ref": "acct-1"},
            established_on=date(2024, 1, 1),
        )["fund_id"]
    return {"community": community, "member": member, **funds}


def donate(ledger, fund_id, amount_fen=10_000, on=date(2025, 1, 5), request_id=None, **extra):
    return ledger.record(
        fund_id,
        "receive_donation",
        actor=ACTOR,
        request_id=request_id,
        occurred_on=on,
        amount_fen=amount_fen,
        donor_kind="resident",
        donor_name="居民",
        doc_refs=["收据1"],
        **extra,
    )


def test_recording_returns_the_log_position_it_wrote(ledger, books):
    recorded = donate(ledger, books["mutual_aid"])
    assert recorded.position == ledger.recorder.max_notification_id()
    assert recorded["voucher_no"] == "202501-001"
    assert ledger.fund(books["mutual_aid"]).balance_fen == 10_000


def test_retried_request_returns_the_original_answer_without_a_new_event(ledger, books):
    first = donate(ledger, books["mutual_aid"], request_id="req-1")
    position = ledger.recorder.max_notification_id()
    again = donate(ledger, books["mutual_aid"], request_id="req-1")
    assert again.replayed and again.result == first.result
    assert ledger.recorder.max_notification_id() == position
    assert ledger.fund(books["mutual_aid"]).balance_fen == 10_000


def test_request_id_is_refused_when_reused_with_different_content(ledger, books):
    donate(ledger, books["mutual_aid"], request_id="req-1")
    with pytest.raises(errors.LedgerError) as excinfo:
        donate(ledger, books["mutual_aid"], amount_fen=10_001, request_id="req-1")
    assert excinfo.value.code == "idempotency_key_reused_with_different_request"
    with pytest.raises(errors.LedgerError) as excinfo:
        ledger.register_person(actor=ACTOR, request_id="req-1", name_zh="李四")
    assert excinfo.value.code == "idempotency_key_reused_with_different_request"


def test_refused_command_writes_nothing(ledger, books):
    position = ledger.recorder.max_notification_id()
    with pytest.raises(errors.LedgerError) as excinfo:
        ledger.record(
            books["mutual_aid"],
            "pay_expense",
            actor=ACTOR,
            occurred_on=date(2025, 1, 6),
            amount_fen=1,
            category="hardship_aid",
            payee="王*明",
            handled_by="a",
            approved_by="b",
            doc_refs=["x"],
        )
    assert excinfo.value.code == "insufficient_funds"
    assert ledger.recorder.max_notification_id() == position


def test_unknown_ids_are_not_found(ledger, books):
    for fund_id in ("not-a-uuid", "00000000-0000-0000-0000-000000000000", books["community"]):
        with pytest.raises(errors.LedgerError) as excinfo:
            donate(ledger, fund_id)
        assert excinfo.value.code == "fund_not_found"


def test_transfer_saves_both_funds_in_one_transaction(ledger, books):
    donate(ledger, books["activity"], amount_fen=50_000)
    recorded = ledger.transfer_between_funds(
        actor=ACTOR,
        from_fund_id=books["activity"],
        to_fund_id=books["mutual_aid"],
        occurred_on=date(2025, 1, 7),
        amount_fen=20_000,
        decision_ref="支委会2025-1",
    )
    assert ledger.fund(books["activity"]).balance_fen == 30_000
    assert ledger.fund(books["mutual_aid"]).balance_fen == 20_000
    source, target = ledger.fund(books["activity"]), ledger.fund(books["mutual_aid"])
    assert source.voucher(recorded["from_voucher_no"])["counterpart_voucher_no"] == "202501-001"
    assert target.voucher(recorded["to_voucher_no"])["counterpart_fund_id"] == books["activity"]
    assert recorded.result["from_voucher_no"] == "202501-002"
    assert recorded.result["to_voucher_no"] == "202501-001"


def test_transfer_reversal_reverses_both_sides(ledger, books):
    donate(ledger, books["activity"], amount_fen=50_000)
    moved = ledger.transfer_between_funds(
        actor=ACTOR,
        from_fund_id=books["activity"],
        to_fund_id=books["mutual_aid"],
        occurred_on=date(2025, 1, 7),
        amount_fen=20_000,
        decision_ref="支委会2025-1",
    )
    ledger.reverse_entry(
        books["mutual_aid"],
        actor=ACTOR,
        voucher_no=moved["to_voucher_no"],
        occurred_on=date(2025, 1, 8),
        reason="划错基金",
    )
    assert ledger.fund(books["activity"]).balance_fen == 50_000
    assert ledger.fund(books["mutual_aid"]).balance_fen == 0
    with pytest.raises(errors.LedgerError) as excinfo:
        ledger.reverse_entry(
            books["activity"],
            actor=ACTOR,
            voucher_no=moved["from_voucher_no"],
            occurred_on=date(2025, 1, 8),
            reason="again",
        )
    assert excinfo.value.code == "voucher_already_reversed"


def test_version_conflict_is_retried_after_reloading(ledger, books, monkeypatch, open_ledger):
    """Another writer saves the same fund between our load and our save: we reload and redo."""
    other = open_ledger()  # another process on the same store
    original_save = type(ledger).save
    calls = {"n": 0}

    def save_with_interference(self, *aggregates, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            fund = other.fund(books["mutual_aid"])
            fund.receive_donation(
                ledger_ctx(),
                occurred_on=date(2025, 1, 5),
                amount_fen=111,
                donor_kind="resident",
                donor_name="抢先",
                doc_refs=["r"],
            )
            original_save(other, fund)
        return original_save(self, *aggregates, **kwargs)

    monkeypatch.setattr(type(ledger), "save", save_with_interference)
    recorded = donate(ledger, books["mutual_aid"])
    assert calls["n"] == 2
    assert recorded["voucher_no"] == "202501-002"
    assert ledger.fund(books["mutual_aid"]).balance_fen == 10_111


def test_conflicts_that_never_stop_are_refused_after_bounded_retries(ledger, books, monkeypatch):
    def always_conflict(self, *aggregates, **kwargs):
        raise RecordConflictError("simulated")

    monkeypatch.setattr(type(ledger), "save", always_conflict)
    with pytest.raises(errors.LedgerError) as excinfo:
        donate(ledger, books["mutual_aid"])
    assert excinfo.value.code == "concurrent_update_retry_exhausted"


def test_concurrent_donations_from_threads_are_all_kept(open_ledger, books):
    writers = [open_ledger() for _ in range(4)]
    failures: list[BaseException] = []

    def write(app, n):
        try:
            for i in range(5):
                donate(app, books["mutual_aid"], amount_fen=100 + n, request_id=f"t{n}-{i}")
        except BaseException as error:  # collected and asserted below
            failures.append(error)

    threads = [threading.Thread(target=write, args=(app, n)) for n, app in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    fund = writers[0].fund(books["mutual_aid"])
    assert fund.balance_fen == sum(5 * (100 + n) for n in range(4))
    assert fund.voucher_counters["2025-01"] == 20


def test_reopened_ledger_rebuilds_the_same_state_with_snapshots(open_ledger, books, ledger):
    for day in range(1, 29):
        for _ in range(9):
            donate(ledger, books["mutual_aid"], amount_fen=day, on=date(2025, 2, day))
    fund = ledger.fund(books["mutual_aid"])
    assert fund.version > 200
    assert ledger.snapshots is not None
    assert len(list(ledger.snapshots.get(fund.id))) == 1
    reopened = open_ledger().fund(books["mutual_aid"])
    assert reopened.__dict__ == fund.__dict__
    replayed = Fund.__new__(Fund)
    for event in ledger.events.get(fund.id):
        replayed = event.mutate(replayed if event.originator_version > 1 else None)
    assert replayed.__dict__ == fund.__dict__


def ledger_ctx():
    from ledger.domain.context import Context

    return Context(recorded_by="someone-else", today=date(2025, 3, 10))


def test_a_fund_loaded_from_a_snapshot_after_a_handover_keeps_the_holder_and_the_handover_date(
    open_ledger, books, ledger
):
    fund_id = books["mutual_aid"]
    cashier, incoming, supervisor = (
        ledger.register_person(actor=ACTOR, name_zh=name)["person_id"]
        for name in ("李出纳", "王新", "周书记")
    )
    ledger.record(
        fund_id,
        "assign_custodian",
        actor=ACTOR,
        role="cashier",
        person_id=cashier,
        from_date=date(2024, 1, 1),
    )
    donate(ledger, fund_id, on=date(2025, 1, 5))
    ledger.record(
        fund_id,
        "hand_over_custody",
        actor=ACTOR,
        role="cashier",
        to_person_id=incoming,
        supervisor_person_id=supervisor,
        handed_over_on=date(2025, 1, 8),
        cash_counted_fen=0,
        bank_balance_fen=10_000,
        inventory_ref="移交清单",
    )
    fund = ledger.fund(fund_id)
    ledger.snapshots.put([Fund.Snapshot.take(fund)])

    reopened = open_ledger()
    restored = reopened.fund(fund_id)

    assert len(list(reopened.snapshots.get(fund.id))) == 1
    assert restored.__dict__ == fund.__dict__
    assert (restored.holder("cashier"), restored.handed_over_on) == (incoming, date(2025, 1, 8))
    with pytest.raises(errors.LedgerError) as excinfo:
        donate(reopened, fund_id, on=date(2025, 1, 7))
    assert excinfo.value.code == "entry_before_handover"
