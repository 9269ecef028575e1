"""Limits on failed console sign-ins: per login name and per client address, in a sliding window.

A sign-in is refused with ``signin_throttled`` (429) *before* its token or password is checked
when, within the last ``window``, the login name typed has failed ``login_failures_max`` times
or the client address has failed ``address_failures_max`` times (token and password sign-ins
together). A token names no login, so a wrong token counts against the address only. A
successful sign-in clears its own login's failures and nothing else: not another login's, and
not the address's (else one good account would reset the count of guesses at another).

Every attempt counts as a failure *before* it is checked, in the same locked step that looks at
the counts (``attempt``): 40 concurrent guesses at one login get exactly ``login_failures_max``
checks, never more (issue 15, point 4: checking before a 60 ms hash and counting after it let
14–19 through). A success then takes its own attempt back off the address and clears its
login (``succeeded``).

The counts live in memory, per process: a restart forgets them, and each worker of a
multi-process deployment counts on its own (so the limits multiply by the number of workers).
At most ``keys_max`` logins and addresses are tracked; beyond that the stalest is forgotten.
The clock is injectable (tests move it instead of sleeping).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from ledger.domain import errors

LOGIN_FAILURES_MAX = 5
ADDRESS_FAILURES_MAX = 20
WINDOW = timedelta(minutes=15)
KEYS_MAX = 100_000


@dataclass(frozen=True)
class Attempt:
    """One sign-in, already counted: its login (None for a token), address and time."""

    login: str | None
    address: str
    at: float


def login_key(login: str) -> str:
    """Login names are matched without regard to case or surrounding spaces (as ``Login``)."""
    return "login:" + login.strip().casefold()


def address_key(address: str) -> str:
    return "address:" + address


class SignInLimits:
    def __init__(
        self,
        *,
        login_failures_max: int = LOGIN_FAILURES_MAX,
        address_failures_max: int = ADDRESS_FAILURES_MAX,
        window: timedelta = WINDOW,
        keys_max: int = KEYS_MAX,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        assert login_failures_max >= 1 and address_failures_max >= 1 and keys_max >= 2
        self.login_failures_max = login_failures_max
        self.address_failures_max = address_failures_max
        self.window_s = window.total_seconds()
        self.keys_max = keys_max
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}  # key → times of its failures, oldest first
        self._lock = threading.Lock()

    def attempt(self, login: str | None, address: str) -> Attempt:
        """Refuse with ``signin_throttled`` while either count is at its limit; else count this
        attempt as a failure already (atomically with the look), until ``succeeded`` says not."""
        now = self.clock()
        keys = self._keys(login, address)
        with self._lock:
            wait_s = max(self._wait_s(key, limit, now) for key, limit in keys)
            if wait_s > 0:
                raise errors.SigninThrottled(
                    retry_after_s=math.ceil(wait_s), retry_after_min=max(1, math.ceil(wait_s / 60))
                )
            for key, _ in keys:
                times = self._failures.pop(key, None) or deque()
                self._drop_old(times, now)
                times.append(now)
                self._failures[key] = times  # re-inserted: the dict stays in order of last failure
            self._bound()
        return Attempt(login, address, now)

    def succeeded(self, attempt: Attempt) -> None:
        """The attempt was good: it no longer counts against its address, and its login's
        failures are forgotten."""
        with self._lock:
            times = self._failures.get(address_key(attempt.address))
            if times is not None and attempt.at in times:
                times.remove(attempt.at)
            if attempt.login is not None:
                self._failures.pop(login_key(attempt.login), None)

    def _keys(self, login: str | None, address: str) -> list[tuple[str, int]]:
        keys = [(address_key(address), self.address_failures_max)]
        if login is not None:
            keys.append((login_key(login), self.login_failures_max))
        return keys

    def _wait_s(self, key: str, limit: int, now: float) -> float:
        """Seconds until fewer than ``limit`` failures of ``key`` are left in the window (the
        caller holds the lock)."""
        times = self._failures.get(key)
        if not times:
            return 0.0
        self._drop_old(times, now)
        if len(times) < limit:
            return 0.0
        return times[-limit] + self.window_s - now

    def _drop_old(self, times: deque[float], now: float) -> None:
        while times and times[0] <= now - self.window_s:
            times.popleft()

    def _bound(self) -> None:
        """Forget the stalest keys beyond ``keys_max`` (those whose last failure is oldest)."""
        while len(self._failures) > self.keys_max:
            del self._failures[next(iter(self._failures))]
