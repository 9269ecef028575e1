"""When a saved aggregate is snapshotted: every ``interval`` events while its snapshot is small,
and further apart as it grows, so that a snapshot's cost per event stays bounded (ADR 0192).

Encoding a snapshot costs in proportion to its size: a fund's snapshot keeps a short record of
every voucher of the year (ADR 0110), and at 5,000 vouchers it is 0.7 MB, which took about
0.1 s to encode here. Taken every 200 events, that was half a millisecond of every append, and
it grows with the year. So once this process has taken a snapshot of an aggregate, the next one
waits until the events since cover the snapshot's size at ``BYTES_PER_EVENT`` each (never fewer
than ``interval``): each event then pays for at most ``BYTES_PER_EVENT`` bytes of encoding,
however large the fund. A load from the store replays at most that many events after the
snapshot, fewer than its own decoding costs. An aggregate this process has not snapshotted yet
(after a start) is snapshotted at the next multiple of ``interval``, as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from eventsourcing.application import LRUCache

BYTES_PER_EVENT = 500
KNOWN_MAX = 4096  # aggregates whose last snapshot this process remembers


class SnapshotPace:
    def __init__(self) -> None:
        self._last: LRUCache[UUID, tuple[int, int]] = LRUCache(maxsize=KNOWN_MAX)  # version, bytes

    def due(self, aggregate_id: UUID, versions: Iterable[int], interval: int) -> bool:
        versions = list(versions)
        if not versions:
            return False
        try:
            version, size = self._last.get(aggregate_id)
        except KeyError:
            return any(v % interval == 0 for v in versions)
        return max(versions) - version >= max(interval, size // BYTES_PER_EVENT)

    def taken(self, aggregate_id: UUID, version: int, size: int) -> None:
        self._last.put(aggregate_id, (version, size))
