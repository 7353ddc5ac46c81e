"""Gathering sentences from concurrent callers into one batch for a neural model.

The translate stage runs per item on several threads; each call brings the sentences of one
article. One sentence at a time wastes most of a CPU's vector units and ~99% of a GPU (ENGINES.md),
so a ``MicroBatcher`` in front of a model takes sentences from every caller for up to ``wait``
seconds (or until ``max_batch`` are waiting), sorts them by length so that padding is small, and
decodes them together on its own thread. Each caller gets its own sentences back, and its share of
the decoding time (by tokens), which is what usage accounting charges it.

Written here because CTranslate2 batches only what one call hands it: gathering across calls and
threads is the caller's job.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from babelwire.exceptions import EngineFailed

Decode = Callable[[list[list[str]]], list[list[str]]]


@dataclass
class _Request:
    items: Sequence[list[str]]
    results: list[list[str]] = field(default_factory=list)
    remaining: int = 0
    seconds: float = 0.0
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.results = [[] for _ in self.items]
        self.remaining = len(self.items)


@dataclass
class BatchStats:
    """How the batcher has batched so far."""

    batches: int = 0
    sentences: int = 0

    @property
    def mean_batch(self) -> float:
        """Sentences per batch on average."""
        return self.sentences / self.batches if self.batches else 0.0


class MicroBatcher:
    """Decodes token sequences from many threads in shared batches, on one worker thread."""

    def __init__(self, decode: Decode, *, max_batch: int = 64, wait: float = 0.01,
                 name: str = "batcher") -> None:
        self.decode = decode
        self.max_batch = max(1, max_batch)
        self.wait = max(0.0, wait)
        self.stats = BatchStats()
        self._queue: deque[tuple[_Request, int]] = deque()
        self._cond = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def submit(self, items: Sequence[list[str]]) -> tuple[list[list[str]], float]:
        """Decode ``items``; returns their outputs in order and this call's share of seconds."""
        if not items:
            return [], 0.0
        request = _Request(items)
        with self._cond:
            if self._closed:
                raise EngineFailed("the model was closed", subject=self.name, retryable=False)
            self._queue.extend((request, i) for i in range(len(items)))
            self._cond.notify_all()
        request.done.wait()
        if request.error is not None:
            raise EngineFailed(f"decoding failed: {request.error}", subject=self.name) \
                from request.error
        return request.results, request.seconds

    @property
    def name(self) -> str:
        """The worker thread's name."""
        return self._thread.name

    def _loop(self) -> None:
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            self._run(batch)

    def _next_batch(self) -> list[tuple[_Request, int]] | None:
        with self._cond:
            while not self._queue and not self._closed:
                self._cond.wait()
            if not self._queue:
                return None
            deadline = time.monotonic() + self.wait
            while len(self._queue) < self.max_batch and not self._closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            take = min(self.max_batch, len(self._queue))
            return [self._queue.popleft() for _ in range(take)]

    def _run(self, batch: list[tuple[_Request, int]]) -> None:
        ordered = sorted(batch, key=lambda entry: len(entry[0].items[entry[1]]))
        started = time.monotonic()
        try:
            outputs = self.decode([r.items[i] for r, i in ordered])
        except Exception as exc:  # any failure of the model fails the callers, not the thread
            for request in {id(r): r for r, _ in ordered}.values():
                request.error = exc
                request.done.set()
            return
        elapsed = time.monotonic() - started
        tokens = sum(max(1, len(r.items[i])) for r, i in ordered)
        self.stats.batches += 1
        self.stats.sentences += len(ordered)
        for (request, index), output in zip(ordered, outputs, strict=True):
            request.results[index] = output
            request.seconds += elapsed * max(1, len(request.items[index])) / tokens
            request.remaining -= 1
            if request.remaining == 0:
                request.done.set()

    def close(self) -> None:
        """Finish what is queued, then stop the worker thread."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join(timeout=30)
