"""The Ledger's event encoder writes the library's bytes (ADR 0195): on generated states of every
shape the two encoders give the same bytes or both refuse, and every event a real import stores
re-encodes to the bytes stored."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from uuid import UUID

import pytest
from eventsourcing.persistence import DatetimeAsISO, DecimalAsStr, JSONTranscoder, UUIDAsHex
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.application.bulk_import import read_file
from ledger.application.event_json import EventJSONTranscoder
from ledger.application.ledger import DateAsISO

TEXTS = st.text(alphabet=st.characters(codec=None), max_size=12) | st.sampled_from(
    ['"', "\\", "\n\t\r", "\x00\x1f\x7f\x9f", "\u2028\u2029", "张大爷 · 捐款", "😀", "\ud800"]
)
SCALARS = (
    TEXTS
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.booleans()
    | st.none()
    | st.dates()
    | st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=8))]))
    | st.uuids()
    | st.floats(allow_nan=False)
)
STATES = st.dictionaries(
    TEXTS,
    st.recursive(
        SCALARS,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXTS, inner, max_size=3),
        max_leaves=8,
    ),
    max_size=8,
)


def _pair() -> tuple[JSONTranscoder, EventJSONTranscoder]:
    pair = (JSONTranscoder(), EventJSONTranscoder())
    for transcoder in pair:
        for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO(), DateAsISO()):
            transcoder.register(transcoding)
    return pair


def _outcome(transcoder: JSONTranscoder, state: dict) -> bytes | str:
    try:
        return transcoder.encode(state)
    except Exception as error:  # both must refuse alike (a lone surrogate, an unknown type)
        return type(error).__name__


@settings(max_examples=400, deadline=None)
@given(state=STATES)
def test_the_event_encoder_writes_the_librarys_bytes_when_given_any_state(state):
    library, ours = _pair()
    assert _outcome(ours, state) == _outcome(library, state)


@pytest.mark.parametrize("value", [UUID(int=7), 1e16, 0.1, (1, 2), 2**64, {1: "a"}, [UUID(int=8)]])
def test_the_event_encoder_writes_the_librarys_bytes_when_given_a_value_orjson_writes_otherwise(value):
    library, ours = _pair()
    state = {"value": value, "day": date(2024, 3, 2)}
    assert ours.encode(state) == library.encode(state)


def test_every_event_of_a_real_import_reencodes_to_the_stored_bytes_when_read_back(
    ledger, activity_fund_id, tmp_path
):
    book = tmp_path / "book.csv"
    book.write_text(
        "基金,类别,日期,凭证号,摘要,收入,支出,余额,经办人,审批人,对方,用途,账户\n"
        '活动经费,捐款,2024-03-02,记-1,居民捐款 "甲",100.00,,100.00,,,张大爷,,\n'
        "活动经费,拨款,2024-03-03,记-2,党费返还,500.00,,600.00,,,街道党工委,dues_rebate,\n"
        "活动经费,支出,2024-03-05,记-3,购买茶叶\\包,,35.50,564.50,李四,王五,超市,activities,\n"
        "活动经费,存现,2024-03-06,记-4,存入银行,64.50,,564.50,,,,,\n",
        encoding="utf-8",
    )
    result = ledger.import_rows(read_file(book), actor="digitiser")
    assert result.written and len(result.accepted) == 4
    library, _ = _pair()
    stored = ledger.recorder.select_notifications(start=1, limit=1000)
    assert len(stored) >= 6  # the branch, the fund, four entries
    for record in stored:
        event = ledger.mapper.to_domain_event(record)
        again = ledger.mapper.to_stored_event(event)
        assert again.state == record.state == library.encode(_state_of(record, library))


def _state_of(record, transcoder: JSONTranscoder) -> dict:
    return transcoder.decode(record.state)


@pytest.mark.parametrize("value", [date(2024, 2, 29), datetime(2024, 3, 2, 8, 30, tzinfo=UTC)])
def test_the_event_encoder_writes_dates_as_the_registered_transcoding_when_given_one(value):
    library, ours = _pair()
    assert ours.encode({"on": value}) == library.encode({"on": value})
