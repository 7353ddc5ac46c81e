"""``babelwire worker``'s defaults: one worker is one process working the ``workers`` setting's
number of tasks at once, the shape of the embedded runner (``babelwire run``: one process,
``workers`` threads), so that it overlaps one task's waits (engines, pages) with another's work.
"""

from __future__ import annotations

import os
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from sqlalchemy import select

from babelwire.cli.workers import worker_concurrency
from babelwire.run.celery_app import make_celery
from babelwire.run.tasks import TICK_TASK
from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.store.tables import ItemRow
from tests.helpers.http import LocalServer, reply
from tests.services import ServiceProcess

PAGES = 5
SLOTS = 3   # the `workers` setting given to the worker: neither 2 (the default) nor the CPUs


class SlowPages:
    """Article pages that are answered only once the test lets them go; counts how many
    requests wait at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.waiting = 0
        self.peak = 0
        self.go = threading.Event()

    def route(self, handler: BaseHTTPRequestHandler) -> None:
        """Wait (at most 150 s) for ``go``, then answer a small article."""
        with self.lock:
            self.waiting += 1
            self.peak = max(self.peak, self.waiting)
        self.go.wait(150)
        with self.lock:
            self.waiting -= 1
        body = (f"<html><head><title>{handler.path}</title></head><body><article>"
                f"<h1>Page {handler.path}</h1><p>Un texto breve.</p></article></body>"
                "</html>").encode()
        reply(200, body, Content_Type="text/html; charset=utf-8")(handler)

    def wait_for(self, count: int, timeout: float) -> int:
        """Wait until ``count`` requests wait at once (or ``timeout``); how many do."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.waiting < count:
            time.sleep(0.05)
        return self.waiting


def _feed(server: LocalServer) -> bytes:
    items = "".join(f"<item><title>Page {i}</title><link>{server.url(f'/a{i}.html')}</link>"
                    f"<guid>{server.url(f'/a{i}.html')}</guid></item>" for i in range(PAGES))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Slow</title>'
            f"<link>{server.url('/')}</link><language>es</language>{items}</channel></rss>"
            ).encode()


def _lease_pids(store: Store) -> list[int]:
    with store.session() as s:
        owners = s.scalars(select(ItemRow.lease_owner)
                           .where(ItemRow.lease_owner.is_not(None))).all()
    return [int(owner.split("-")[0]) for owner in owners if owner]


def test_one_worker_process_works_the_workers_setting_of_tasks_at_once(
        settings: Settings, server: LocalServer, redis_url: str, pg_url: str,
        tmp_path: Path) -> None:
    pages = SlowPages()
    server.routes["/feed.xml"] = reply(200, _feed(server), Content_Type="application/rss+xml")
    for i in range(PAGES):
        server.routes[f"/a{i}.html"] = pages.route
    store = Store(pg_url)
    store.add_source(server.url("/feed.xml"), targets=("en",), kind="feed", source_lang="es")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")}
    env.update(BABELWIRE_HOME=str(tmp_path / "home"), BABELWIRE_DATABASE_URL=pg_url,
               BABELWIRE_BROKER_URL=redis_url, BABELWIRE_PER_HOST_DELAY="0",
               BABELWIRE_ALLOWED_HOSTS=f"127.0.0.1:{server.port}",
               BABELWIRE_WORKERS=str(SLOTS),
               BABELWIRE_READ_TIMEOUT="120")  # a request that timed out would free its slot
    # no --pool, no --concurrency: the defaults are what is tested
    worker = ServiceProcess.start("worker", ["worker", "-Q", "fetch", "--name", "slots@%h"],
                                  env, tmp_path / "worker.log")
    try:
        worker.wait_for_log("ready.")
        make_celery(settings.replace(broker_url=redis_url, database_url=pg_url)).send_task(
            TICK_TASK)
        at_once = pages.wait_for(SLOTS, timeout=30)
        time.sleep(1.0)  # a slot more than the setting would show now
        leases = _lease_pids(store)
        pages.go.set()
        assert at_once == SLOTS and pages.peak == SLOTS, worker.tail()
        # the tasks holding the items all run in the worker's own process: no pool processes
        assert leases == [worker.process.pid] * SLOTS, worker.tail()
    finally:
        pages.go.set()
        worker.stop()
        store.close()


def test_the_threads_pool_takes_the_workers_setting_and_an_explicit_concurrency_wins(
        settings: Settings) -> None:
    assert worker_concurrency(settings, "threads", None) == settings.workers == 2
    assert worker_concurrency(settings.replace(workers=5), "threads", None) == 5
    assert worker_concurrency(settings, "threads", 4) == 4
    assert worker_concurrency(settings, "prefork", None) is None  # Celery's: one per CPU
    assert worker_concurrency(settings, "prefork", 3) == 3
