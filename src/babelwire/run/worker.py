"""What each worker process works with: its settings, store and services (``WorkerContext``),
opened once per process and closed when it ends (``Runtime``). The Celery app
(``run.celery_app``) makes one ``Runtime``; the tasks (``run.tasks``) ask it for the context."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any

from babelwire.run.outage import Outage
from babelwire.run.stages import Services
from babelwire.settings import Settings
from babelwire.store import Store


@dataclass
class WorkerContext:
    """What a task needs: settings, and this process's store and services."""

    settings: Settings
    store: Store
    services: Services


class Runtime:
    """Opens one WorkerContext per process on first use and closes it when the process ends.

    Prefork workers fork after the app is built: a context inherited from the parent process
    (database connections, engine subprocesses) must never be used by a child, so the context
    remembers the process that opened it.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._context: WorkerContext | None = None
        self._pid = 0
        self._lock = threading.Lock()
        self.outage = Outage()  # the store's outages as this process sees them

    def context(self) -> WorkerContext:
        """This process's context, opened now if needed."""
        with self._lock:
            if self._context is None or self._pid != os.getpid():
                store = Store(self.settings.db_url)
                self._context = WorkerContext(self.settings, store,
                                              Services(self.settings, store=store))
                self._pid = os.getpid()
            return self._context

    def on_process_init(self, **_: Any) -> None:
        """Signal handler: forget the parent's context (without closing it) and open ours."""
        with self._lock:
            self._context = None
        self.context()

    def close(self, **_: Any) -> None:
        """Close the store and stop the engines of this process's context."""
        with self._lock:
            context, self._context = self._context, None
            if context is None or self._pid != os.getpid():
                return
        try:
            context.services.close()
        finally:
            context.store.close()
