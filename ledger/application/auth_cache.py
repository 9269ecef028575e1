"""What every signed-in request reads before its command, kept for a few seconds (ADR 0190).

An append over HTTP first reads the token's record, its user, the fund's owner and the owner's
line of parent organisations: four to six reads of the store per request, each fast-forwarding
a cached aggregate by a query, before the command itself runs. Here they are kept per process:

- a token's record and its user, and an organisation's ancestors, for ``ttl_s`` seconds after
  they were read (``FUNDBOOK_AUTH_CACHE_S``, 2 by default; 0 keeps nothing);
- whatever this process itself saves of a user, a token or an organisation (a revocation, a
  role granted or taken back, a reparent) empties the cache at once, so it takes effect on the
  next request here; a change saved by another process (another worker, the CLI) takes effect
  here within ``ttl_s``.

An entry read before such a save is never stored after it (``generation``), so a request that
raced with a revocation cannot keep the old record for another ``ttl_s``. A token's expiry is
checked on every request against the clock, as before; only the facts in the store are kept.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

ENTRIES_MAX = 4096


class AuthCache:
    def __init__(self, ttl_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self.clock = clock
        self._entries: dict[object, tuple[float, Any]] = {}
        self._generation = 0
        self._lock = threading.Lock()

    def generation(self) -> int:
        """Take this before reading the store; hand it to ``put`` with what was read."""
        return self._generation

    def get(self, key: object) -> Any | None:
        if self.ttl_s <= 0:
            return None
        entry = self._entries.get(key)
        if entry is None or self.clock() - entry[0] >= self.ttl_s:
            return None
        return entry[1]

    def put(self, key: object, value: Any, generation: int) -> None:
        if self.ttl_s <= 0:
            return
        with self._lock:
            if generation != self._generation:
                return  # a save of this process may have changed it since it was read
            if len(self._entries) >= ENTRIES_MAX:
                self._entries.clear()
            self._entries[key] = (self.clock(), value)

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._entries = {}
