"""Waiting for the store to come back: backoff and the log lines that say so.

When the database cannot be used (``StoreUnavailable``: unreachable, restarting, its connection
cut, its disk full or read-only), the item being worked is not at fault. The embedded runner's
threads and the Celery tasks wait with a doubling backoff (``FIRST_WAIT`` up to ``MAX_WAIT``),
say once what is wrong and when they try again, and say when the store is back; no attempt is
counted against the item, and nothing of the stage was committed (its transaction rolled back).
"""

from __future__ import annotations

import logging
import threading
import time

from babelwire.exceptions import StoreUnavailable

log = logging.getLogger(__name__)

FIRST_WAIT = 0.5
MAX_WAIT = 30.0


def backoff(failures: int, first: float = FIRST_WAIT, cap: float = MAX_WAIT) -> float:
    """Seconds to wait after ``failures`` failures in a row (1, 2, ...): doubling, capped."""
    return float(min(cap, first * 2 ** max(0, failures - 1)))


class Outage:
    """The store's outage as one process sees it: since when, how many failures in a row.

    Shared by the threads (or tasks) of a process so that an outage is reported once, each
    retry at debug level, and its end once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.since: float | None = None
        self.failures = 0
        self.outages = 0

    def failed(self, exc: StoreUnavailable, what: str) -> float:
        """Record a failure of ``what``; returns the seconds to wait before trying again."""
        with self._lock:
            self.failures += 1
            first = self.since is None
            if first:
                self.since = time.monotonic()
                self.outages += 1
            wait = backoff(self.failures)
        if first:
            log.warning("the store is unavailable (%s); %s waits and tries again "
                        "(backoff %.1fs, doubling up to %.0fs)", exc, what, wait, MAX_WAIT)
        else:
            log.info("the store is still unavailable (%s); %s tries again in %.1fs",
                     exc.__class__.__name__, what, wait)
        return wait

    def succeeded(self) -> None:
        """Record a success: ends the outage, if there was one (said once)."""
        if self.since is None:
            return
        with self._lock:
            since, self.since, failures, self.failures = self.since, None, self.failures, 0
        if since is not None:
            log.warning("the store is back after %.1fs (%d tries failed); work goes on",
                        time.monotonic() - since, failures)
