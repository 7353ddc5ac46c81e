"""A worker process's context (``run/worker.py``): shared by the tasks of a threads worker, and
closed only once none of them uses it, so that a cold shutdown (a second Ctrl-C) never stops the
engines under a running translation."""

from __future__ import annotations

import threading
import time

import pytest

from babelwire.run.celery_app import make_celery, runtime_of
from babelwire.run.worker import Runtime
from babelwire.settings import Settings


def test_the_threads_of_a_process_share_one_context(settings: Settings) -> None:
    runtime = Runtime(settings)
    seen = []

    def task() -> None:
        with runtime.using() as ctx:
            seen.append(ctx)

    threads = [threading.Thread(target=task) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    runtime.close()
    assert len(seen) == 4 and all(ctx is seen[0] for ctx in seen)


def test_close_waits_for_the_tasks_using_the_context(settings: Settings) -> None:
    runtime = Runtime(settings)
    started, events = threading.Event(), list[str]()

    def task() -> None:
        with runtime.using() as ctx:
            started.set()
            time.sleep(0.5)
            # the store still works: the context was not closed under the task
            ctx.store.summary()
            events.append("task done")

    thread = threading.Thread(target=task)
    thread.start()
    started.wait(10)
    runtime.close()
    events.append("closed")
    thread.join()
    assert events == ["task done", "closed"]


def test_close_gives_up_waiting_after_the_lease(settings: Settings) -> None:
    runtime = Runtime(settings.replace(lease_seconds=0.2))
    release, started = threading.Event(), threading.Event()

    def stuck() -> None:
        with runtime.using():
            started.set()
            release.wait(10)

    thread = threading.Thread(target=stuck)
    thread.start()
    started.wait(10)
    began = time.monotonic()
    runtime.close()
    waited = time.monotonic() - began
    release.set()
    thread.join()
    assert 0.15 < waited < 5


@pytest.mark.parametrize(("pool", "opened"), [("threads", True), ("prefork", False)])
def test_a_worker_whose_tasks_run_in_its_process_opens_the_context_before_it_starts(
        settings: Settings, redis_url: str, pool: str, opened: bool) -> None:
    # Celery's own worker, built as `babelwire worker --pool POOL` builds it (not started: the
    # pool and the consumer start later); a prefork parent must not open what its pool
    # processes would inherit
    app = make_celery(settings.replace(broker_url=redis_url))
    other = make_celery(settings.replace(broker_url=redis_url))
    runtime = runtime_of(app)
    assert not runtime.is_open
    app.WorkController(pool_cls=pool, concurrency=2, without_mingle=True, without_gossip=True)
    try:
        assert runtime.is_open is opened
        assert not runtime_of(other).is_open    # another app's worker: not this one's
    finally:
        runtime.close()
    assert not runtime.is_open


@pytest.mark.parametrize(("queues", "translates"), [(None, True), (["translate"], True),
                                                    (["fetch", "extract"], False)])
def test_a_worker_starts_engines_ahead_only_if_it_serves_the_translate_queue(
        settings: Settings, redis_url: str, queues: list[str] | None, translates: bool) -> None:
    # a worker of the fetch queue alone never translates: the engines it would start ahead
    # (hundreds of megabytes of dictionaries) would serve nothing
    app = make_celery(settings.replace(broker_url=redis_url))
    runtime = runtime_of(app)
    options = {} if queues is None else {"queues": queues}
    app.WorkController(pool_cls="threads", concurrency=2, without_mingle=True,
                       without_gossip=True, **options)
    try:
        assert runtime.translates is translates
        assert runtime.context().translates is translates
    finally:
        runtime.close()
