"""Engine calls: their slots and cooldowns per engine, and the threads they run on.

``EngineGate`` says whether a call may start on an engine (its concurrency limit, its cooldown
after a failure). An engine call cannot be interrupted: a call past its deadline is abandoned,
not stopped, and ends when the engine returns. ``run_within`` runs each call on one of the kept
``_CallThreads`` and waits for it no longer than the router's deadline.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from babelwire.exceptions import EngineFailed, EngineUnavailable
from babelwire.settings import Settings, parse_numbers
from babelwire.translate.engines.base import Answer, Engine, Job

# Calls in flight per engine unless ``engine_concurrency`` says otherwise (others: no limit).
DEFAULT_CONCURRENCY = {"openai": 4, "deepl": 4, "libretranslate": 4}
# Without ``engine_deadline``, the router waits this many ``engine_timeout`` for one call: an
# engine's own timeout should end a stalled call first, the router's is the backstop.
DEADLINE_TIMEOUTS = 2.0


@dataclass
class EngineGate:
    """Concurrency limits and cooldowns per engine, shared by every view of one router.

    An engine that fails (or does not answer by the deadline) is cooling down for
    ``engine_cooldown`` seconds: no call is started on it, except by a caller with no other
    route left. When the cooldown is over one caller is let through (a probe) and the others go
    on falling back until the probe has answered: a stalled engine costs one call per cooldown,
    not one per article.
    """

    settings: Settings
    lock: threading.Lock = field(default_factory=threading.Lock)
    limits: dict[str, threading.BoundedSemaphore] = field(default_factory=dict)
    down_until: dict[str, float] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    concurrency: dict[str, int] = field(init=False)
    deadline: float = field(init=False)

    def __post_init__(self) -> None:
        given = parse_numbers(self.settings.engine_concurrency, "engine_concurrency")
        self.concurrency = {name: max(1, int(value))
                            for name, value in {**DEFAULT_CONCURRENCY, **given}.items()}
        self.deadline = float(self.settings.engine_deadline) or \
            DEADLINE_TIMEOUTS * float(self.settings.engine_timeout)

    def limit(self, engine: str) -> threading.BoundedSemaphore | None:
        """The engine's slots (None: no limit)."""
        size = self.concurrency.get(engine)
        if not size:
            return None
        with self.lock:
            return self.limits.setdefault(engine, threading.BoundedSemaphore(size))

    def admit(self, engine: str) -> bool:
        """Whether a call may start on ``engine`` now: it is not cooling down, or its cooldown
        is over and this caller is the probe (the others see it cooling until the probe ends)."""
        with self.lock:
            until = self.down_until.get(engine)
            now = time.monotonic()
            if until is None:
                return True
            if until > now:
                return False
            self.down_until[engine] = now + self.deadline     # this caller probes
            return True

    def generation(self, engine: str) -> int:
        """How many times ``engine`` has failed: a caller waiting for a slot gives up when
        this changes (the engine failed meanwhile: it is cooling down now)."""
        with self.lock:
            return self.failures.get(engine, 0)

    def failed(self, engine: str) -> float:
        """Count a failure of ``engine`` and cool it down; returns the cooldown's seconds."""
        cooldown = float(self.settings.engine_cooldown)
        with self.lock:
            self.down_until[engine] = time.monotonic() + cooldown
            self.failures[engine] = self.failures.get(engine, 0) + 1
        return cooldown

    def recovered(self, engine: str) -> None:
        """The engine answered: it is not cooling down."""
        with self.lock:
            self.down_until.pop(engine, None)


class _CallThreads:
    """Threads that run engine calls, started when none is idle and kept for the next call.

    A pool of fixed size would not do: a call past its deadline is abandoned, not stopped (an
    engine call cannot be interrupted), and a few stalled engines would take every thread of a
    fixed pool. Here a stalled call holds its own thread and the next call starts another; a
    thread idle for ``IDLE_S`` ends. Starting a thread per call cost up to a tenth of a run.
    """

    IDLE_S = 30.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle = 0
        self._work: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()

    def submit(self, call: Callable[[], None]) -> None:
        """Run ``call`` on an idle thread, or on a new one when none is idle."""
        with self._lock:
            if self._idle > 0:
                self._idle -= 1     # claimed: the next submit will not count on this thread
                start = False
            else:
                start = True
        self._work.put(call)
        if start:
            threading.Thread(target=self._serve, name="babelwire-engine-call",
                             daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                call = self._work.get(timeout=self.IDLE_S)
            except queue.Empty:
                with self._lock:
                    if self._idle > 0 and self._work.empty():
                        self._idle -= 1
                        return
                continue   # a call was handed to this thread as it timed out: take it
            try:
                call()
            finally:
                with self._lock:
                    self._idle += 1


CALLERS = _CallThreads()


def run_within(engine: Engine, job: Job, limit: threading.BoundedSemaphore | None,
               deadline: float, failed: Callable[[BaseException], None]) -> Answer:
    """``engine.run(job)`` in a thread of its own, waited for ``deadline`` seconds.

    The slot in ``limit`` (already taken) is given back when the engine returns, even after the
    deadline. ``failed`` is told of an engine failure before the slot is given back (so that a
    caller waiting for the slot sees the engine cooling down), and of a call past the deadline.
    """
    done, abandoned = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def call() -> None:
        try:
            outcome["answer"] = engine.run(job)
        except (EngineFailed, EngineUnavailable) as exc:
            if not abandoned.is_set():      # an abandoned call's failure was counted
                failed(exc)
            outcome["error"] = exc
        except BaseException as exc:  # handed to the caller, whatever it is
            outcome["error"] = exc
        finally:
            if limit is not None:
                limit.release()
            done.set()

    CALLERS.submit(call)
    if not done.wait(deadline):
        abandoned.set()
        problem = EngineFailed(f"{engine.name} did not answer within {deadline:g}s",
                               subject=engine.name, retryable=True)
        failed(problem)
        raise problem
    if "error" in outcome:
        raise outcome["error"]
    answer: Answer = outcome["answer"]
    return answer
