"""The hash chain: one SHA-256 link per stored event, over the notification log in order.

    h_0 = 32 zero bytes
    h_n = SHA-256( h_{n-1}                                  32 bytes
                 ‖ originator_id                            16 bytes (the UUID's bytes)
                 ‖ originator_version                       8 bytes, unsigned big-endian
                 ‖ len(topic)  ‖ topic                      4 bytes big-endian ‖ UTF-8
                 ‖ len(state)  ‖ state )                    4 bytes big-endian ‖ stored bytes

The log position is not hashed: the chain's order is the log's order, so a deleted or moved
event changes every later link. ``state`` is exactly the bytes the event store holds (JSON as
the Ledger's transcoder wrote it; no cipher, no compression). docs/audit.md gives the same
definition for an auditor who recomputes it with their own code. Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from hashlib import sha256 as _sha256
from uuid import UUID

GENESIS = bytes(32)
FINGERPRINT_LEN = 16  # hex digits printed on a notice


def link(previous: bytes, originator_id: UUID | str, version: int, topic: str, state: bytes) -> bytes:
    """The next chain hash after ``previous`` for one stored event."""
    topic_bytes = topic.encode("utf-8")
    return _sha256(
        b"".join(
            (
                previous,
                _uuid_bytes(originator_id),
                version.to_bytes(8, "big"),
                len(topic_bytes).to_bytes(4, "big"),
                topic_bytes,
                len(state).to_bytes(4, "big"),
                state,
            )
        )
    ).digest()


def _uuid_bytes(value: UUID | str) -> bytes:
    """16 bytes of a UUID given as an object, as 32 hex digits (SQLite's form) or canonically."""
    if isinstance(value, UUID):
        return value.bytes
    if len(value) == 32:
        return bytes.fromhex(value)  # a rebuild's hot path: no UUID object per event
    return UUID(value).bytes


def fingerprint(hash_hex: str) -> str:
    """What a notice prints of a seal: the first 16 hex digits of its hash."""
    return hash_hex[:FINGERPRINT_LEN]


@dataclass(frozen=True)
class ChainHead:
    """The chain after the event at ``position`` (position 0 and GENESIS before any event)."""

    position: int = 0
    hash: bytes = GENESIS

    @property
    def hex(self) -> str:
        return self.hash.hex()

    def extend(
        self, rows: Iterable[tuple[int, object, int, str, bytes]]
    ) -> tuple[ChainHead, list[tuple[int, str]]]:
        """Link ``(position, originator_id, version, topic, state)`` rows in log order; return the
        new head and one ``(position, hash hex)`` per row.

        The same bytes as ``link`` (a test checks it), inlined: a rebuild hashes every event, and
        the call, the topic's encoding and the UUID's parsing per event were half its cost."""
        position, current = self.position, self.hash
        out: list[tuple[int, str]] = []
        append, join, fromhex = out.append, b"".join, bytes.fromhex
        topics: dict[str, bytes] = {}
        for position, originator_id, version, topic, state in rows:
            framed_topic = topics.get(topic)
            if framed_topic is None:
                encoded = topic.encode("utf-8")
                framed_topic = topics[topic] = len(encoded).to_bytes(4, "big") + encoded
            uid = (
                fromhex(originator_id)
                if type(originator_id) is str and len(originator_id) == 32
                else _uuid_bytes(originator_id)  # type: ignore[arg-type]
            )
            current = _sha256(
                join(
                    (
                        current,
                        uid,
                        version.to_bytes(8, "big"),
                        framed_topic,
                        len(state).to_bytes(4, "big"),
                        state if type(state) is bytes else bytes(state),
                    )
                )
            ).digest()
            append((position, current.hex()))
        return ChainHead(position, current), out
