"""The Celery application for running babelwire on many machines: Redis broker, one queue a stage
(the queues of ``run/stage_table.py``).

``make_celery(settings)`` builds an app whose tasks (``run/tasks.py``) wrap the same stage
functions as the embedded runner. Nothing here holds settings at import time: the ``worker`` and
``scheduler`` commands build the app from settings, and each worker process opens its own store
and services (fetcher, translation router) when it starts and closes them when it stops.

Delivery is at least once. A task is acknowledged only after it ran (``acks_late``) and a task
whose worker process died is given back to the broker (``task_reject_on_worker_lost``); if the
whole worker dies, Redis hands its unacknowledged tasks to another worker once the visibility
timeout (``visibility_timeout``) has passed. The item's lease in the store (``lease_seconds``) is
shorter than that timeout, so the redelivered task finds the dead worker's lease expired and
claims the item. The beat's sweep does not wait for that: it finds the expired lease and enqueues
the item again ahead of the queues, within one visibility timeout of the death however long the
queues are (``run/tasks.py``). A task delivered twice finds the item leased or already moved on,
and changes nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Celery
from celery.signals import (
    worker_init,
    worker_process_init,
    worker_process_shutdown,
    worker_shutdown,
)
from kombu import Exchange, Queue  # type: ignore[attr-defined]

from babelwire.exceptions import ConfigError
from babelwire.run.stage_table import POLL_QUEUE, WORKER_QUEUES
from babelwire.run.worker import Runtime
from babelwire.settings import Settings

log = logging.getLogger(__name__)

# The broker gives an unacknowledged task to another worker this long after a lease would have
# expired, so that the redelivered task can claim the item of a worker that died.
VISIBILITY_MARGIN = 1.5
MAX_RESTORE_INTERVAL = 10.0


def sweep_interval(settings: Settings) -> float:
    """Seconds between two sweeps for items whose lease ran out: ``scheduler_tick``, or less,
    so that an item a dead worker held is enqueued again within one visibility timeout of the
    death (the lease runs out at most ``lease_seconds`` after it, the sweep follows within
    half of what the visibility timeout leaves, and the other half is for a worker to take the
    task, which goes ahead of every queue)."""
    margin = visibility_timeout(settings) - float(settings.lease_seconds)
    return max(0.1, min(float(settings.scheduler_tick), margin / 2))


def visibility_timeout(settings: Settings) -> float:
    """Seconds before Redis redelivers an unacknowledged task: the ``visibility_timeout``
    setting, else 1.5 × the lease; refused unless longer than the lease."""
    lease = float(settings.lease_seconds)
    timeout = settings.visibility_timeout or lease * VISIBILITY_MARGIN
    if timeout <= lease:
        raise ConfigError(f"the visibility timeout ({timeout:g}s) must be longer than the "
                          f"lease ({lease:g}s), or a redelivered task finds the item leased",
                          subject="visibility_timeout")
    return timeout


def _queue(name: str) -> Any:
    return Queue(name, Exchange(name, type="direct"), routing_key=name)  # type: ignore[no-untyped-call]


def celery_config(settings: Settings) -> dict[str, Any]:
    """Celery settings: late acknowledgement, one queue per stage, Redis visibility, the beat."""
    from babelwire.run.tasks import SWEEP_TASK, TARGETS_TASK, TICK_TASK, task_routes

    timeout = visibility_timeout(settings)
    sweep = sweep_interval(settings)
    restore_every = min(MAX_RESTORE_INTERVAL, max(1.0, timeout / 10))
    return {
        "broker_url": settings.broker_url,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": {
            "visibility_timeout": timeout,
            # look for the tasks of dead workers at every interval, not every tenth one
            "unacked_restore_interval": restore_every,
            "unacked_restore_throttle": 1,
        },
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "task_ignore_result": True,
        "task_serializer": "json",
        "accept_content": ["json"],
        # each queue its own exchange and key: one shared key would copy every task to every queue
        "task_queues": [_queue(name) for name in WORKER_QUEUES],
        "task_default_queue": POLL_QUEUE,
        "task_routes": task_routes(),
        # one task at a time per process: a long translation must not sit on prefetched work
        "worker_prefetch_multiplier": 1,
        # running tasks are redelivered anyway when the broker connection drops
        "worker_cancel_long_running_tasks_on_connection_loss": True,
        "beat_schedule": {
            "babelwire-tick": {"task": TICK_TASK, "schedule": settings.scheduler_tick,
                               "options": {"expires": settings.scheduler_tick}},
            "babelwire-sweep": {"task": SWEEP_TASK, "schedule": sweep,
                                "options": {"expires": sweep}},
            "babelwire-targets": {"task": TARGETS_TASK, "schedule": settings.scheduler_tick,
                                  "options": {"expires": settings.scheduler_tick}},
        },
        "beat_schedule_filename": str(settings.home / "celerybeat-schedule"),
        "timezone": "UTC",
        "enable_utc": True,
    }


def survive_broker_loss() -> None:
    """Keep a worker alive when Redis goes away (kombu 5.x, up to 5.7 at least).

    When the broker connection is lost, Celery closes it and then reconnects; closing a Redis
    channel restores its unacknowledged messages through a new client made from the
    connection's parameters, which the loss has already dropped. kombu then raises
    ``AttributeError: 'NoneType' object has no attribute 'hostname'``, which Celery does not
    expect: "Unrecoverable error", and the worker stops instead of reconnecting (seen in
    ``tests/test_reliability_services.py``, Redis SIGKILLed mid-run). Raised as the connection
    error it is, Celery ignores it while closing and reconnects; the messages themselves come
    back through the visibility timeout (or were lost with the broker's memory).
    """
    from kombu.transport import redis as kombu_redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    original = kombu_redis.Channel._connparams
    if getattr(original, "babelwire", False):
        return

    def connparams(channel: Any, asynchronous: bool = False) -> Any:
        if channel.connection is None or channel.connection.client is None:
            raise RedisConnectionError("the broker connection is closed")
        return original(channel, asynchronous=asynchronous)  # type: ignore[no-untyped-call]

    connparams.babelwire = True  # type: ignore[attr-defined]
    kombu_redis.Channel._connparams = connparams  # type: ignore[method-assign]


def make_celery(settings: Settings) -> Celery:
    """A Celery app running babelwire's stages on ``settings.broker_url`` and ``settings.db_url``.

    The beat looks for due sources every ``scheduler_tick`` seconds, and for items whose
    lease ran out every ``sweep_interval``; a retryable failure waits ``retry_backoff`` seconds,
    doubled at each attempt.
    """
    from babelwire.run.tasks import register_tasks

    survive_broker_loss()
    app = Celery("babelwire", set_as_current=False)
    app.conf.update(celery_config(settings))
    runtime = Runtime(settings)
    app.babelwire_runtime = runtime
    register_tasks(app, runtime)
    # weak receivers: a discarded app (in tests) takes its handlers with it
    worker_init.connect(runtime.on_worker_init, weak=True)
    worker_process_init.connect(runtime.on_process_init, weak=True)
    worker_process_shutdown.connect(runtime.close, weak=True)
    worker_shutdown.connect(runtime.close, weak=True)
    return app


def runtime_of(app: Celery) -> Runtime:
    """The Runtime of an app made by ``make_celery``."""
    runtime = getattr(app, "babelwire_runtime", None)
    if not isinstance(runtime, Runtime):
        raise TypeError("not an app made by babelwire.run.celery_app.make_celery")
    return runtime
