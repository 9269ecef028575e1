"""Every thread's Python stack on demand: ``kill -USR1 <pid>`` makes a process that serves
(``fundbook serve`` itself with one worker, each worker with ``--workers N``; uvicorn's
supervisor of several workers keeps SIGUSR1 for itself) write the stacks of all its threads to
its standard error, and go on serving. It answers the question "what is this server waiting on?" on a machine
without a profiler, and the end-to-end tests ask for it when a server never becomes healthy
(tests/e2e/server.py). Python's ``faulthandler`` writes from the signal handler itself, so a
process whose threads are all blocked still answers."""

from __future__ import annotations

import faulthandler
import signal
import sys

SIGNAL = signal.SIGUSR1


def install() -> None:
    """Dump every thread's stack to standard error on SIGUSR1 (a no-op where there is none)."""
    if hasattr(signal, "SIGUSR1") and sys.stderr is not None:
        faulthandler.register(SIGNAL, file=sys.stderr, all_threads=True, chain=False)
