"""What each worker process works with: its settings, store and services (``WorkerContext``),
opened once per process and closed when it ends (``Runtime``). The Celery app
(``run.celery_app``) makes one ``Runtime``; the tasks (``run.tasks``) use its context
(``Runtime.using``) and it is closed only once no task uses it any more."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from babelwire.run.outage import Outage
from babelwire.run.stage_table import TRANSLATE_QUEUE
from babelwire.run.stages import Services
from babelwire.settings import Settings
from babelwire.store import Store

log = logging.getLogger(__name__)


@dataclass
class WorkerContext:
    """What a task needs: settings, and this process's store and services."""

    settings: Settings
    store: Store
    services: Services
    # whether this process runs translate tasks: then it starts the engines of an item's pairs
    # when it fetches or extracts the item (``run.tasks.run_stage``); a worker of other queues
    # would start engines it never uses
    translates: bool = False


class Runtime:
    """Opens one WorkerContext per process on first use and closes it when the process ends.

    Prefork workers fork after the app is built: a context inherited from the parent process
    (database connections, engine subprocesses) must never be used by a child, so the context
    remembers the process that opened it.

    A threads worker's tasks share the context. Celery's cold shutdown (a second Ctrl-C)
    signals the end of the worker while its threads still run their tasks (a thread cannot be
    stopped): closing the engines under a translation would fail its item. So ``close`` waits
    for the tasks using the context, as the embedded runner waits for its threads.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._context: WorkerContext | None = None
        self._pid = 0
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._users = 0
        self.outage = Outage()  # the store's outages as this process sees them
        # set from the worker's queues when it starts (``on_worker_init``); a process that was
        # not started as a worker (a test calling tasks) starts no engines ahead
        self.translates = False

    @property
    def is_open(self) -> bool:
        """True when this process has opened its context (and not closed it)."""
        with self._lock:
            return self._context is not None and self._pid == os.getpid()

    def context(self) -> WorkerContext:
        """This process's context, opened now if needed."""
        with self._lock:
            return self._open()

    def _open(self) -> WorkerContext:
        if self._context is None or self._pid != os.getpid():
            store = Store(self.settings.db_url)
            self._context = WorkerContext(self.settings, store,
                                          Services(self.settings, store=store), self.translates)
            self._pid = os.getpid()
            self._users = 0  # the parent's tasks are not this process's
        return self._context

    @contextmanager
    def using(self) -> Iterator[WorkerContext]:
        """This process's context for the ``with`` block (a task): not closed meanwhile."""
        with self._lock:
            context = self._open()
            self._users += 1
        try:
            yield context
        finally:
            with self._lock:
                self._users -= 1
                self._idle.notify_all()

    def _wait_idle(self, timeout: float) -> None:
        """Wait (holding ``_lock``) until no task uses the context, or ``timeout``."""
        deadline = time.monotonic() + timeout
        if self._users:
            log.info("waiting for %d running task(s) before stopping the engines", self._users)
        while self._users and self._idle.wait(max(0.0, deadline - time.monotonic())):
            pass
        if self._users:
            log.warning("%d task(s) still running after %.0fs: stopping the engines under them",
                        self._users, timeout)

    def on_worker_init(self, sender: Any = None, **_: Any) -> None:
        """Signal handler (``worker_init``, in a worker's main process before its pool starts):
        when the worker is this Runtime's, note whether it serves the translate queue (its
        processes then start an item's engines when they fetch or extract it), and if its pool
        runs the tasks in this process's threads, open the context now. The store's schema
        check and the stage modules' imports (about half a CPU-second) are then paid before
        the worker says it is ready, as the embedded runner pays them before its first item,
        not by the first tasks (with their leases held). A prefork pool opens one context per
        pool process instead (``on_process_init``), never in the parent, whose connections the
        pool processes would inherit; the solo pool sends ``worker_process_init`` from this
        process itself."""
        app = getattr(sender, "app", None)
        if getattr(app, "babelwire_runtime", None) is not self:
            return
        self.translates = consumes(app, TRANSLATE_QUEUE)   # a prefork pool's processes inherit it
        if runs_tasks_in_threads(sender):
            self.context()

    def on_process_init(self, **_: Any) -> None:
        """Signal handler: forget the parent's context (without closing it) and open ours."""
        with self._lock:
            self._context = None
        self.context()

    def close(self, **_: Any) -> None:
        """Close the store and stop the engines of this process's context, once the tasks
        using it have ended (at most ``lease_seconds``: past that their leases are gone)."""
        with self._lock:
            if self._context is not None and self._pid == os.getpid():
                self._wait_idle(float(self.settings.lease_seconds))
            context, self._context = self._context, None
            if context is None or self._pid != os.getpid():
                return
        try:
            context.services.close()
        finally:
            context.store.close()


def consumes(app: Any, queue: str) -> bool:
    """True if a worker of ``app`` takes tasks from ``queue``: every queue of the app unless it
    was started with ``--queues`` (Celery's ``-Q``), which selects some."""
    queues = app.amqp.queues
    selected = queues.consume_from
    return queue in (selected if selected else queues)


def runs_tasks_in_threads(worker: Any) -> bool:
    """True if ``worker`` (a Celery ``WorkController``) runs its tasks in threads of its own
    process (``--pool threads``)."""
    from celery.concurrency import get_implementation
    from celery.concurrency.thread import TaskPool as ThreadsPool

    pool = getattr(worker, "pool_cls", None)
    if pool is None:
        return False
    pool = get_implementation(pool)
    return isinstance(pool, type) and issubclass(pool, ThreadsPool)
