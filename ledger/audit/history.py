"""Who did what: the events of one fund or about one person, with the acting user, the time
it was recorded (UTC) and the business date it is about.

Read straight from the stored events (the log is the record; no view can leave anything out):
a fund's own events, or every event of a person, naming them as donor, payee, stipend holder,
custodian or office holder. The stored bytes are searched for the id before decoding, so a
scan of the log decodes only the events that can match.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from ledger.audit.log import stored_rows
from ledger.projections.records import iso
from ledger.projections.store import ViewStore

PERSON_FIELDS = ("donor_person_id", "payee_person_id", "person_id")
ACTOR_FIELDS = ("recorded_by", "granted_by", "revoked_by", "issued_by")
DATE_FIELDS = (
    "occurred_on",
    "effective_on",
    "established_on",
    "from_date",
    "to_date",
    "closed_on",
    "died_on",
    "granted_on",
    "revoked_on",
)


@dataclass(frozen=True)
class HistoryEntry:
    position: int
    topic: str
    originator_id: str
    version: int
    recorded_at: str  # UTC timestamp of the recording
    business_date: str | None
    actor: str | None
    request_id: str | None
    voucher_no: str | None
    amount_fen: int | None


def history(
    store: ViewStore, *, fund_id: str | None = None, person_id: str | None = None
) -> Iterator[HistoryEntry]:
    """The events of a fund (``fund_id``) or about a person (``person_id``), in log order."""
    wanted = fund_id or person_id
    assert wanted is not None and (fund_id is None or person_id is None)
    needle, hex_needle = wanted.encode(), wanted.replace("-", "").encode()
    for row in stored_rows(store):
        own = str(row.originator_id) == wanted
        if not own and needle not in row.state and hex_needle not in row.state:
            continue
        state = orjson.loads(row.state)
        if not own and not (person_id and any(state.get(key) == person_id for key in PERSON_FIELDS)):
            continue
        yield _entry(row.position, row.topic, str(row.originator_id), row.version, state)


def _entry(
    position: int, topic: str, originator_id: str, version: int, state: dict[str, Any]
) -> HistoryEntry:
    day = next((iso(state[k]) for k in DATE_FIELDS if state.get(k) is not None), None)
    actor = next((state[k] for k in ACTOR_FIELDS if state.get(k)), None)
    return HistoryEntry(
        position,
        topic,
        originator_id,
        version,
        iso(state.get("timestamp")),
        day,
        actor,
        state.get("request_id"),
        state.get("voucher_no"),
        state.get("amount_fen"),
    )
