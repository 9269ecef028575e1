"""The Ledger's event encoder: the library's JSON, byte for byte, written by orjson (issue 20
item 4, ADR 0195).

Encoding each event's state with the standard ``json`` module and a Python hook for every date
took a fifth of a bulk import's time. ``EventJSONTranscoder`` writes the same bytes with orjson
when the state holds only what the two write alike: texts, whole numbers that fit in 64 bits,
true/false/null, lists, mappings with text keys, and the dates and times that the registered
transcodings turn into ``{"_type_": …, "_data_": …}``. Anything else (a UUID, which orjson would
write as plain text; a float, a tuple, a bigger number, a subclass) goes to the library's encoder
as before. Decoding is the library's. The stored bytes do not change, so the hash chain, the
views and old stores read them as before (``tests/test_import_event_encoding.py`` compares both encoders).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import orjson
from eventsourcing.persistence import JSONTranscoder

_SCALARS = frozenset({str, int, bool, type(None)})
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME
_INT_MAX = 2**63 - 1


class EventJSONTranscoder(JSONTranscoder):
    def encode(self, obj: Any) -> bytes:
        if type(obj) is dict and _plain_values(obj, self.types):
            try:
                return orjson.dumps(obj, default=self._encode_registered, option=_OPTIONS)
            except (orjson.JSONEncodeError, TypeError):
                pass  # e.g. a lone surrogate: the library's encoder decides (and says why)
        return super().encode(obj)

    def _encode_registered(self, value: Any) -> dict[str, Any]:
        transcoding = self.types[type(value)]
        return {"_type_": transcoding.name, "_data_": transcoding.encode(value)}


def _plain_values(state: dict[str, Any], registered: dict[type, Any]) -> bool:
    """``_plain`` of an event's state, the common fields looked at inline (this runs per event)."""
    for key, value in state.items():
        kind = type(value)
        if type(key) is not str:
            return False
        if kind is str or value is None or kind is bool:
            continue
        if kind is int:
            if not -_INT_MAX - 1 <= value <= _INT_MAX:
                return False
        elif kind is date or kind is datetime:
            if kind not in registered:
                return False
        elif not _plain(value, registered):
            return False
    return True


def _plain(value: Any, registered: dict[type, Any]) -> bool:
    """True if orjson writes ``value`` exactly as the library's encoder does."""
    kind = type(value)
    if kind in _SCALARS:
        return kind is not int or -_INT_MAX - 1 <= value <= _INT_MAX
    if kind is dict:
        return all(type(key) is str and _plain(item, registered) for key, item in value.items())
    if kind is list:
        return all(_plain(item, registered) for item in value)
    return kind in (date, datetime) and kind in registered
