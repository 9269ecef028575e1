"""The hash chain: its definition byte for byte, the chain view (exactly-once, rebuilt alike)
and the seal a period close records."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import uuid
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.audit.chain import GENESIS, ChainHead, fingerprint, link
from ledger.audit.log import export_jsonl, recorded_chain, stored_rows
from ledger.projections import runner
from tests.audit.conftest import ACTOR_CLOSE

TOOL = Path(__file__).resolve().parents[2] / "tools" / "recompute_chain.py"


def test_a_link_hashes_previous_id_version_and_length_prefixed_topic_and_state():
    oid = uuid.UUID("12345678-1234-5678-1234-567812345678")
    state = b'{"amount_fen":100}'
    by_hand = hashlib.sha256(
        GENESIS
        + oid.bytes
        + (3).to_bytes(8, "big")
        + (23).to_bytes(4, "big")
        + b"fundbook:Fund.Something"
        + len(state).to_bytes(4, "big")
        + state
    ).digest()
    assert link(GENESIS, oid, 3, "fundbook:Fund.Something", state) == by_hand
    assert link(GENESIS, str(oid), 3, "fundbook:Fund.Something", state) == by_hand


def test_a_link_changes_when_any_part_of_the_event_or_the_previous_hash_changes():
    oid, state = uuid.uuid4(), b"{}"
    base = link(GENESIS, oid, 1, "fundbook:X", state)
    assert link(b"\x01" * 32, oid, 1, "fundbook:X", state) != base
    assert link(GENESIS, uuid.uuid4(), 1, "fundbook:X", state) != base
    assert link(GENESIS, oid, 2, "fundbook:X", state) != base
    assert link(GENESIS, oid, 1, "fundbook:Y", state) != base
    assert link(GENESIS, oid, 1, "fundbook:X", b"{ }") != base
    # the length prefixes keep topic and state apart: moving a byte across changes the hash
    assert link(GENESIS, oid, 1, "fundbook:X{", b"}") != link(GENESIS, oid, 1, "fundbook:X", b"{}")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.uuids(),
            st.sampled_from(["object", "hex", "canonical"]),
            st.integers(min_value=1, max_value=2**40),
            st.sampled_from(["fundbook:Fund.DonationReceived", "fundbook:X", "fundbook:基金"]),
            st.binary(max_size=300),
            st.booleans(),
        ),
        max_size=30,
    )
)
def test_extending_the_chain_gives_the_links_one_by_one(events):
    """``ChainHead.extend`` (inlined for speed) is ``link`` applied in turn, whatever form the id
    comes in (a UUID, SQLite's 32 hex digits, the canonical text) and the state (bytes or a
    memoryview, as PostgreSQL hands it)."""
    ids = {"object": lambda u: u, "hex": lambda u: u.hex, "canonical": str}
    rows = [
        (n + 1, ids[form](oid), version, topic, memoryview(state) if as_view else state)
        for n, (oid, form, version, topic, state, as_view) in enumerate(events)
    ]
    current, expected = GENESIS, []
    for position, oid, version, topic, state in rows:
        current = link(current, oid, version, topic, bytes(state))
        expected.append((position, current.hex()))
    head, links = ChainHead().extend(rows)
    assert links == expected
    assert head == ChainHead(len(rows), current)


def test_the_chain_view_holds_one_link_per_event_equal_to_the_chain_recomputed_from_genesis(audited):
    books, store = audited
    rows = list(stored_rows(store))
    head, expected = ChainHead().extend(
        (r.position, r.originator_id, r.version, r.topic, r.state) for r in rows
    )
    assert list(recorded_chain(store)) == expected
    assert store.chain_head() == head
    assert head.position == books.app.recorder.max_notification_id()


def test_the_chain_view_is_identical_after_a_rebuild(audited):
    _, store = audited
    before = list(recorded_chain(store))
    runner.rebuild(store)
    assert list(recorded_chain(store)) == before


def test_a_period_close_seals_the_chain_head_as_it_stood_just_before_the_close(audited):
    books, store = audited
    closed = books.app.close_periods_through(books.act_b, actor=ACTOR_CLOSE, period="2025-02")
    runner.catch_up(store)
    closes = store.fetch(
        "SELECT period, seal_position, seal_hash, position FROM v_period_close "
        "WHERE fund_id = ? ORDER BY period",
        (books.act_b,),
    )
    chain = dict(recorded_chain(store))
    assert [c[0] for c in closes] == ["2025-01", "2025-02"]
    for _, seal_position, seal_hash, position in closes:
        assert seal_position == closed.position - 2  # both months in one save, after the head
        assert position > seal_position
        assert chain[seal_position] == seal_hash
    assert fingerprint(closes[0][2]) == closes[0][2][:16]


def test_the_auditors_standalone_script_recomputes_the_same_head_from_an_exported_log(audited, tmp_path):
    _, store = audited
    log = tmp_path / "log.jsonl"
    with log.open("wb") as out:
        count = export_jsonl(store, out)
    head = store.chain_head()
    done = subprocess.run(
        [sys.executable, str(TOOL), str(log), head.hex[:16], "ffffffffffffffff"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.splitlines() == [
        f"head {head.position} {head.hex}",
        f"fingerprint {head.hex[:16]}: position {head.position}",
        "fingerprint ffffffffffffffff: NOT FOUND",
    ]
    assert done.returncode == 1  # one fingerprint was not found
    assert count == len(list(stored_rows(store)))
