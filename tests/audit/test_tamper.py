"""Tampering with the stored events directly in the database (SQLite or PostgreSQL, see
conftest): ``verify`` names every edited, deleted and swapped event by its log position, and
the seals and views that no longer agree; an untouched store has no violation."""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

import orjson
import pytest

from ledger.audit.fresh_fold import verify_store
from ledger.audit.log import export_jsonl, stored_rows, verify_file
from ledger.audit.verify import Report
from ledger.projections.store import ViewStore
from tests.audit.conftest import decoder


def events_table(store: ViewStore) -> tuple[str, str]:
    backend: Any = store.backend
    if backend.name == "sqlite":
        return "stored_events", "rowid"
    return f'"{backend.schema}"."{backend.events_table}"', "notification_id"


def tamper(store: ViewStore, statement: str, *params: Any) -> None:
    table, position = events_table(store)
    with store.backend.write() as cur:
        cur.execute(store.backend.sql(statement.format(table=table, position=position)), params)
        assert cur.rowcount >= 1


def donations(store: ViewStore) -> list[int]:
    return [r.position for r in stored_rows(store) if r.topic == "fundbook:Fund.DonationReceived"]


def state_at(store: ViewStore, position: int) -> bytes:
    return next(r.state for r in stored_rows(store) if r.position == position)


def found(report: Report) -> set[tuple[str, int | None]]:
    return {(v.code, v.position) for v in report.violations}


def test_verify_finds_no_violation_in_an_untouched_store(audited):
    books, store = audited
    report = verify_store(store, decoder(books.app), fingerprints=[store.chain_head().hex[:16]])
    assert report.violations == []
    assert report.seals_checked == 1  # January of the aid fund
    assert report.events == len(list(stored_rows(store)))


def test_verify_names_the_event_whose_stored_bytes_were_edited_and_the_seal_after_it(audited):
    books, store = audited
    first = donations(store)[0]  # 100.00 to the aid fund in January, sealed by its close
    edited = state_at(store, first).replace(b'"amount_fen":10000', b'"amount_fen":90000')
    assert edited != state_at(store, first)
    tamper(store, "UPDATE {table} SET state = ? WHERE {position} = ?", edited, first)

    report = verify_store(store, decoder(books.app), fingerprints=[])

    assert ("event_altered", first) in found(report)
    assert [v.code for v in report.violations].count("event_altered") == 1
    assert "seal_broken" in {v.code for v in report.violations}  # January's close sealed it
    assert "view_differs" in {v.code for v in report.violations}  # the views hold 100.00


def test_verify_names_a_deleted_event_by_its_position(audited):
    books, store = audited
    last = donations(store)[-1]
    tamper(store, "DELETE FROM {table} WHERE {position} = ?", last)

    report = verify_store(store, decoder(books.app), fingerprints=[])

    assert ("event_missing", last) in found(report)
    assert not any(v.code == "event_altered" for v in report.violations)


def test_verify_names_both_events_when_two_stored_states_are_swapped(audited):
    books, store = audited
    first, second = donations(store)[:2]
    a, b = state_at(store, first), state_at(store, second)
    tamper(store, "UPDATE {table} SET state = ? WHERE {position} = ?", b, first)
    tamper(store, "UPDATE {table} SET state = ? WHERE {position} = ?", a, second)

    report = verify_store(store, decoder(books.app), fingerprints=[])

    altered = {p for code, p in found(report) if code == "event_altered"}
    assert altered == {first, second}


def test_a_fingerprint_from_a_notice_printed_before_an_edit_is_no_longer_found(audited):
    books, store = audited
    printed = store.chain_head().hex[:16]
    first = donations(store)[0]
    tamper(store, "UPDATE {table} SET state = ? WHERE {position} = ?", state_at(store, first) + b" ", first)

    report = verify_store(store, decoder(books.app), fingerprints=[printed])

    assert ("seal_not_found", None) in found(report)
    assert report.fingerprints == {printed: None}


@pytest.mark.parametrize("where", ["first", "last"])
def test_verify_log_offline_names_an_event_edited_in_the_exported_file(audited, tmp_path, where):
    _, store = audited
    log = tmp_path / "log.jsonl"
    with log.open("wb") as out:
        export_jsonl(store, out)
    assert verify_file(log, fingerprints=[store.chain_head().hex[:16]]).violations == []
    lines = log.read_bytes().splitlines()
    index = 0 if where == "first" else len(lines) - 1
    item = orjson.loads(lines[index])
    item["state_b64"] = base64.b64encode(base64.b64decode(item["state_b64"]) + b" ").decode()
    lines[index] = orjson.dumps(item)
    log.write_bytes(b"\n".join(lines) + b"\n")

    report = verify_file(log, fingerprints=[])

    assert ("event_altered", item["position"]) in found(report)


def edit_state(store: ViewStore, position: int, old: bytes, new: bytes) -> None:
    state = state_at(store, position)
    assert old in state, (old, state)
    tamper(store, "UPDATE {table} SET state = ? WHERE {position} = ?", state.replace(old, new), position)


def position_of(store: ViewStore, topic: str, marker: bytes, nth: int = 0) -> int:
    return [r.position for r in stored_rows(store) if r.topic == topic and marker in r.state][nth]


def test_verify_reports_every_broken_invariant_with_its_position_not_only_the_first(audited):
    books, store = audited
    late = books.donate(books.aid, date(2025, 2, 10), 300).position  # after January's close
    expense = position_of(store, "fundbook:Fund.ExpensePaid", b'"voucher_no":"202501-002"')
    aid_reversal = position_of(store, "fundbook:Fund.EntryReversed", b'"reverses_voucher_no":"202501-002"', 0)
    b_reversal = position_of(store, "fundbook:Fund.EntryReversed", b'"reverses_voucher_no":"202501-002"', 1)
    march = position_of(store, "fundbook:Fund.ExpensePaid", b'"voucher_no":"202503-001"')
    edit_state(store, expense, b'"amount_fen":1500', b'"amount_fen":99999')  # overdraws aid on 9 Jan
    edit_state(
        store, b_reversal, b'"reverses_voucher_no":"202501-002"', b'"reverses_voucher_no":"202501-009"'
    )
    edit_state(store, march, b'"voucher_no":"202503-001"', b'"voucher_no":"202503-002"')
    edit_state(store, late, b'"_data_":"2025-02-10"', b'"_data_":"2025-01-30"')

    report = verify_store(store, decoder(books.app), fingerprints=[])

    assert {
        ("balance_negative", expense),
        ("reversal_inexact", aid_reversal),
        ("reversal_unknown", b_reversal),
        ("voucher_gap", march),
        ("dated_in_closed_period", late),
        ("event_altered", expense),
        ("event_altered", b_reversal),
        ("event_altered", march),
        ("fresh_fold_failed", None),  # a reversal of nothing cannot be folded
    } <= found(report)
