"""The Ledger's event encoder: the library's JSON, byte for byte, written by orjson (issue 20
item 4, ADR 0195).

The standard ``json`` module with a Python hook for every date encodes each event's state.
``EventJSONTranscoder`` writes the same bytes with orjson, in about half the time, when the
state is one level of what the two write alike: texts, whole numbers that fit in 64 bits,
true/false/null, lists of texts, and the dates and times that the registered transcodings turn
into ``{"_type_": …, "_data_": …}``. Anything else (a UUID, which orjson would write as plain
text; a float, a tuple, a bigger number, a subclass, a nested mapping such as a snapshot's) goes
to the library's encoder as before. Decoding is the library's. The stored bytes do not change,
so the hash chain, the views and old stores read them as before
(``tests/test_import_event_encoding.py`` compares both encoders).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import orjson
from eventsourcing.persistence import JSONTranscoder

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
    """True if orjson writes ``state`` exactly as the library's encoder does: looked at inline,
    one level deep (an event's fields; a list of texts such as its documents). A state with a
    nested mapping or any other list (a snapshot's vouchers, a fund's custody) is left to the
    library's encoder: walking it in Python would cost more than orjson saves."""
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
        elif kind is not list or not all(type(item) is str for item in value):
            return False
    return True
