"""Stored events read straight from the event table, decoded without the library's mapper.

A rebuild of a million events cannot afford the mapper's per-event objects (DESIGN.md §6), so
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
    return Record(position, canonical_id(originator_id), version, topic, orjson.loads(bytes(state)))
