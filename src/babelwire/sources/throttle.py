"""Per-host politeness: a minimum delay between the starts of two requests to the same host.

Thread-safe: each host has its own lock, held while a thread waits for its turn, so threads asking
the same host queue up one delay apart while requests to other hosts go ahead in parallel. With
``SharedSlots`` (the store's, ``store/politeness.py``) the delay holds across processes too: every
worker of a fleet takes its turn from the same slots.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

from babelwire.exceptions import BabelwireError

log = logging.getLogger(__name__)


class SharedSlots(Protocol):
    """Request slots per host shared by several processes."""

    def reserve(self, host: str, delay: float, now: float) -> float:
        """Reserve the next request to ``host``; when it may start (epoch seconds)."""
        ...


class KeyedLocks:
    """One lock per key, created on first use."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    @contextmanager
    def hold(self, key: str) -> Iterator[None]:
        """Hold the lock of ``key`` for the duration of the ``with`` block."""
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            yield


class HostThrottle:
    """Spaces requests to one host by at least ``delay`` seconds (or the host's own, if larger)."""

    def __init__(self, delay: float, *, clock: Callable[[], float],
                 sleep: Callable[[float], None], shared: SharedSlots | None = None,
                 wall: Callable[[], float] = time.time) -> None:
        self._delay = max(0.0, delay)
        self._clock = clock
        self._sleep = sleep
        self._shared = shared
        self._wall = wall
        self._locks = KeyedLocks()
        self._last: dict[str, float] = {}
        self._host_delay: dict[str, float] = {}

    def set_host_delay(self, host: str, delay: float) -> None:
        """Raise the delay for ``host`` (robots.txt Crawl-delay); never below the default."""
        self._host_delay[host] = max(self._delay, delay)

    def delay_for(self, host: str) -> float:
        """The delay applied to ``host``."""
        return self._host_delay.get(host, self._delay)

    def wait(self, host: str) -> None:
        """Block until a request to ``host`` may start, and record that it starts now."""
        with self._locks.hold(host):
            delay = self.delay_for(host)
            if self._shared is not None and delay > 0:
                try:
                    start = self._shared.reserve(host, delay, self._wall())
                except BabelwireError as exc:  # the store is busy or away: keep our own delay
                    log.warning("shared per-host delay unavailable for %s: %s", host, exc)
                else:
                    self._sleep_until_wall(start)
                    self._last[host] = self._clock()
                    return
            last = self._last.get(host)
            if last is not None:
                remaining = last + delay - self._clock()
                if remaining > 0:
                    self._sleep(remaining)
            self._last[host] = self._clock()

    def _sleep_until_wall(self, start: float) -> None:
        remaining = start - self._wall()
        if remaining > 0:
            self._sleep(remaining)
