"""Stored events read straight from the event table, decoded without the library's mapper.

A rebuild of a million events cannot afford the mapper's per-event objects (read-models.md), so
the projections read ``(position, originator_id, version, topic, state)`` rows and decode the
state JSON with orjson. The state is exactly what the Ledger's transcoder wrote: plain JSON,
with business dates as ``{"_type_": "date_iso", "_data_": "2024-07-01"}`` (kept here as the ISO
text, which sorts like the date). No cipher or compressor is ever configured (bootstrap.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from uuid import UUID

import orjson

from ledger.domain.control_chars import replace_controls


@dataclass(frozen=True, slots=True)
class Record:
    position: int
    originator_id: str  # canonical UUID text, as other events refer to it
    version: int
    topic: str
    state: dict[str, Any]

    def day(self, key: str) -> str | None:
        """A business date field as ISO text."""
        return iso(self.state.get(key))


def iso(value: Any) -> Any:
    """Unwrap the library's transcoded date (or datetime) into its ISO text."""
    if isinstance(value, dict) and "_data_" in value:
        return value["_data_"]
    return value


def canonical_id(value: Any) -> str:
    """SQLite stores ids as 32 hex digits, PostgreSQL as uuid: both become ``str(UUID)``."""
    if isinstance(value, UUID):
        return str(value)
    return _hex_to_canonical(value)


# The ids seen most (funds, organisations, people) stay; one-off ids (each request's record)
# pass through. 4,096 entries hold about 1 MiB (65,536 held about 19 MiB under writes).
EVENT_ID_CACHE_MAX = 1 << 12


@lru_cache(maxsize=EVENT_ID_CACHE_MAX)
def _hex_to_canonical(value: str) -> str:
    return str(UUID(value))


def canonical_id_cache_info() -> Any:
    return _hex_to_canonical.cache_info()


def decode(position: int, originator_id: Any, version: int, topic: str, state: bytes | memoryview) -> Record:
    return Record(position, canonical_id(originator_id), version, topic, load_state(state))


# How a control character can appear in the library's JSON (``ensure_ascii=False``): C0 escaped
# as \u00XX, DEL as itself, C1 as the UTF-8 bytes C2 80..9F. Anything else skips the walk.
MAYBE_CONTROL = (b"\\u00", b"\x7f", b"\xc2")


def load_state(state: bytes | memoryview) -> dict[str, Any]:
    """An event's stored state as the views use it: decoded, and (for an event recorded before
    the domain refused control characters) with each control character but tab, LF and CR
    replaced by U+FFFD, which every view can hold (PostgreSQL TEXT cannot hold NUL)."""
    raw = bytes(state)
    values = orjson.loads(raw)
    if any(mark in raw for mark in MAYBE_CONTROL):
        values = replace_controls(values)
    return values
