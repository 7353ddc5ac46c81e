"""Celery tasks: one task per stage of ``run/stage_table.py``, on that stage's queue.

A task carries only an id. It claims the item with the store's lease, runs the stage function
(the same one the embedded runner calls), lets go of the lease once the stage's transaction has
committed, then enqueues the task of the item's next stage. What a task does when it cannot claim
the item makes at-least-once delivery harmless:

- the item moved on (or is gone): the task was a duplicate, it does nothing;
- the item is leased by someone else: a duplicate running right now, or the task of a worker
  that died; it tries again when that lease ends, and then finds the item moved on or claims it;
- the item waits for a retry (``next_attempt_at``): it tries again at that time.

Failures are recorded by ``Store.fail_item`` exactly as in the embedded runner; a retryable one
schedules a Celery retry for when the store allows the next attempt.

No item is left without a task when a worker dies, however long the queues are. A task hands its
item on: it enqueues the next stage's task while it still holds the lease, naming itself
(``after``), and the next task takes the lease over from it; a poll does the same for the items
it found. So an item is always either in a queue, or leased by a live worker (which renews the
lease), or leased by a dead one, whose lease runs out. The beat's ``sweep`` (every
``sweep_interval``: within one ``visibility_timeout`` of the death) takes over every item whose
lease ran out, counting the abandoned lease as an attempt, and enqueues its stage's task at the
front of the queues (``URGENT``; every other task is ``NORMAL``). The beat's ``tick`` claims due
sources and enqueues their polls, and, when every queue is empty, re-enqueues any workable item
that no task carries any more (a message lost with the broker's memory).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from babelwire.exceptions import StoreError, StoreUnavailable
from babelwire.models import ItemInfo, ItemState
from babelwire.run.lease import kept_lease
from babelwire.run.stage_table import (
    POLL_QUEUE,
    QUEUES,
    STAGE_AT,
    STAGES,
    TARGETS_QUEUE,
    TASK_PREFIX,
    Stage,
    pairs_to_start,
)
from babelwire.run.stages import poll_source, record_failure
from babelwire.store import Store, new_owner
from babelwire.store.tables import utcnow

if TYPE_CHECKING:
    from celery import Celery

    from babelwire.run.worker import Runtime, WorkerContext

log = logging.getLogger(__name__)

POLL_TASK = TASK_PREFIX + "poll"
TICK_TASK = TASK_PREFIX + "tick"
SWEEP_TASK = TASK_PREFIX + "sweep"
TARGETS_TASK = TASK_PREFIX + "targets"
# Redis serves priority 0 first: the beat's tasks and re-enqueued items before the backlog.
URGENT = 0
NORMAL = 5
# a database that stays unreachable is retried this often (backoff capped), then left to the tick
STORE_RETRIES = 8
MAX_STORE_BACKOFF = 300.0
# wait a little past the moment the store allows a claim: clocks of two machines differ
CLAIM_SLACK = 1.0
# stranded items re-enqueued by one tick, at most
SWEEP_LIMIT = 500


def task_routes() -> dict[str, dict[str, Any]]:
    """Celery ``task_routes``: each stage to its queue, at ``NORMAL`` priority; polling is
    fetching; the beat's tasks are ``URGENT``."""
    routes: dict[str, dict[str, Any]] = {stage.task: {"queue": stage.queue, "priority": NORMAL}
                                         for stage in STAGES}
    routes[POLL_TASK] = {"queue": POLL_QUEUE, "priority": NORMAL}
    routes[TICK_TASK] = routes[SWEEP_TASK] = {"queue": POLL_QUEUE, "priority": URGENT}
    routes[TARGETS_TASK] = {"queue": TARGETS_QUEUE, "priority": NORMAL}
    return routes


@dataclass(frozen=True)
class Outcome:
    """What a stage task did: the item's state after it, and what should happen next."""

    state: ItemState | None
    next_task: str | None = None
    retry_in: float | None = None
    note: str = ""


def run_stage(ctx: WorkerContext, stage: Stage, item_id: int, *, after: str | None = None,
              hand_on: Callable[[str, str], None] | None = None) -> Outcome:
    """Claim item ``item_id`` (taking it over from ``after``, the task that handed it on) and
    run ``stage`` on it, if that is still to be done. When the stage is done, ``hand_on(next
    task, lease owner)`` enqueues the next stage's task while the lease is still held."""
    owner, now = new_owner(), utcnow()
    item = ctx.store.claim_item(owner, now, ctx.settings.lease_seconds, item_id=item_id,
                                after=after)
    if item is None:
        return _not_claimed(ctx.store, stage, item_id, now)
    if item.state != stage.state:
        ctx.store.release(item.id, owner)
        return Outcome(item.state, note="moved on")
    if ctx.translates:
        # as the embedded runner does: the engines of the item's pairs load on a helper thread
        # while it is fetched and extracted, not inside its first translation
        ctx.services.start_engines(pairs_to_start(item))
    try:
        try:
            with kept_lease(ctx.store, item.id, owner, ctx.settings.lease_seconds):
                stage.run(ctx.settings, ctx.store, ctx.services, item, owner)
        except Exception as exc:  # a bug must cost one item, not the worker
            return _record_failure(ctx, item, owner, exc)
        status = ctx.store.item_status(item.id)
        state = status.state if status else None
        following = STAGE_AT.get(state) if state else None
        if following is not None and hand_on is not None and status is not None \
                and status.lease_owner == owner:
            hand_on(following.task, owner)  # dying now leaves our lease, which the sweep finds
        ctx.store.release(item.id, owner)  # the stage committed: the next task may claim it now
    except StoreUnavailable as exc:
        # the store went away under the stage: its transaction rolled back, our lease stays
        # until the store is back; the retried task takes it over (``after``)
        raise StoreDown(owner) from exc
    return Outcome(state, next_task=following.task if following else None, note="done")


class StoreDown(Exception):
    """The store went away while a task held the lease of ``owner`` on its item."""

    def __init__(self, owner: str) -> None:
        super().__init__(owner)
        self.owner = owner


def _not_claimed(store: Store, stage: Stage, item_id: int, now: datetime) -> Outcome:
    status = store.item_status(item_id)
    if status is None:
        return Outcome(None, note="gone")
    if status.state != stage.state:
        return Outcome(status.state, note="moved on")
    if status.lease_until is not None and status.lease_until >= now:
        wait = (status.lease_until - now).total_seconds() + CLAIM_SLACK
        return Outcome(status.state, retry_in=wait, note="leased")
    if status.next_attempt_at is not None and status.next_attempt_at > now:
        wait = (status.next_attempt_at - now).total_seconds() + CLAIM_SLACK
        return Outcome(status.state, retry_in=wait, note="waiting")
    return Outcome(status.state, note="paused")  # its source is paused


def _record_failure(ctx: WorkerContext, item: ItemInfo, owner: str, exc: Exception) -> Outcome:
    record_failure(ctx.settings, ctx.store, item, owner, exc)
    status = ctx.store.item_status(item.id)
    if status is None:
        return Outcome(None, note="gone")
    if status.lease_owner not in (None, owner):
        return Outcome(status.state, note="lease lost")  # another task owns it now
    if status.state != ItemState.FAILED and status.next_attempt_at is not None:
        wait = (status.next_attempt_at - utcnow()).total_seconds() + CLAIM_SLACK
        return Outcome(status.state, retry_in=max(CLAIM_SLACK, wait), note="retry")
    return Outcome(status.state, note="failed")


def poll(ctx: WorkerContext, source_id: int) -> list[int]:
    """Poll one source; returns the ids of the items it discovered or found changed."""
    source = ctx.store.get_source(source_id)
    if source is None or not source.active:
        return []
    started = utcnow()  # updated_at is stamped by this process: no clock skew to allow for
    outcome = poll_source(ctx.settings, ctx.store, ctx.services, source)
    if outcome.error:
        log.info("source %s: %s", source.url, outcome.error)
    return ctx.store.discovered_since(source_id, started)


def queues_idle(app: Celery) -> bool:
    """True when no stage queue holds a waiting task."""
    with app.connection_for_read() as conn:
        channel = conn.default_channel
        for name in QUEUES:
            try:
                _, waiting, _ = channel.queue_declare(queue=name, passive=True)
            except conn.channel_errors:
                continue  # Redis drops an empty list: a queue it does not know is empty
            if waiting:
                return False
    return True


def _hand_on(app: Celery, item_id: int) -> Callable[[str, str], None]:
    def send(task: str, owner: str) -> None:
        app.send_task(task, args=(item_id,), kwargs={"after": owner})
    return send


def _stage_task(app: Celery, runtime: Runtime, stage: Stage) -> None:
    def body(task: Any, item_id: int, after: str | None = None) -> str:
        what = f"{stage.task} of item {item_id}"
        try:
            with runtime.using() as ctx:
                outcome = run_stage(ctx, stage, item_id, after=after,
                                    hand_on=_hand_on(app, item_id))
        except StoreDown as down:  # retried under the lease it holds, counting no attempt
            cause = down.__cause__
            assert isinstance(cause, StoreUnavailable)
            wait = runtime.outage.failed(cause, what)
            raise task.retry(countdown=wait, kwargs={"after": down.owner},
                             max_retries=None) from cause
        except StoreUnavailable as exc:  # the database cannot be used: try the task again
            wait = runtime.outage.failed(exc, what)
            raise task.retry(countdown=wait, max_retries=None) from exc
        except StoreError as exc:  # another database error: a few more tries
            if not exc.retryable or task.request.retries >= STORE_RETRIES:
                raise
            countdown = min(MAX_STORE_BACKOFF, runtime.settings.retry_backoff
                            * 2 ** task.request.retries)
            raise task.retry(exc=exc, countdown=countdown) from exc
        runtime.outage.succeeded()
        log.debug("%s item %s: %s -> %s", stage.task, item_id, outcome.note, outcome.state)
        if outcome.retry_in is not None:
            raise task.retry(countdown=outcome.retry_in, kwargs={})
        return outcome.note

    app.task(name=stage.task, bind=True, shared=False, max_retries=None, acks_late=True,
             reject_on_worker_lost=True)(body)


def hand_on_found(app: Celery, ctx: WorkerContext, item_ids: list[int], *,
                  priority: int | None = None, max_attempts: int | None = None) -> list[int]:
    """Enqueue the task of each item's stage, each under a lease of ours until its message is
    sent (so that dying on the way leaves leases the sweep finds); returns the ids sent.
    An item another task holds, or with no work to do, is left alone."""
    sent = []
    for item_id in item_ids:
        owner = new_owner()
        item = ctx.store.claim_item(owner, utcnow(), ctx.settings.lease_seconds,
                                    item_id=item_id, max_attempts=max_attempts)
        if item is None:
            continue
        options = {} if priority is None else {"priority": priority}
        app.send_task(STAGE_AT[item.state].task, args=(item_id,), kwargs={"after": owner},
                      **options)
        ctx.store.release(item_id, owner)
        sent.append(item_id)
    return sent


def sweep(app: Celery, ctx: WorkerContext) -> list[int]:
    """Take over every item whose lease ran out (its worker died: each counts as an attempt,
    and ``max_attempts`` of them fail the item) and enqueue its stage's task ahead of every
    other; returns the ids enqueued. It does not depend on what the queues hold."""
    expired = ctx.store.expired_leases(utcnow(), SWEEP_LIMIT)
    sent = hand_on_found(app, ctx, [item_id for item_id, _ in expired], priority=URGENT,
                         max_attempts=ctx.settings.max_attempts)
    for item_id, state in expired:
        if item_id in sent:
            log.warning("item %s (%s): its lease ran out (the worker died): enqueued again",
                        item_id, state)
    return sent


def _poll_task(app: Celery, runtime: Runtime) -> None:
    def body(source_id: int) -> int:
        with runtime.using() as ctx:
            return len(hand_on_found(app, ctx, poll(ctx, source_id)))

    app.task(name=POLL_TASK, shared=False, acks_late=True, reject_on_worker_lost=True)(body)


def _tick_task(app: Celery, runtime: Runtime) -> None:
    def body() -> int:
        with runtime.using() as ctx:
            return tick(app, ctx)

    app.task(name=TICK_TASK, shared=False)(body)


def tick(app: Celery, ctx: WorkerContext) -> int:
    """Re-enqueue stranded items if every queue is empty, then enqueue the polls of the due
    sources; returns how many polls."""
    if queues_idle(app):
        for item_id, state in ctx.store.stranded_items(utcnow(), SWEEP_LIMIT):
            log.info("re-enqueuing stranded item %s (%s)", item_id, state)
            app.send_task(STAGE_AT[state].task, args=(item_id,))
    sources = ctx.store.claim_due_sources(utcnow(), ctx.settings.lease_seconds)
    for source in sources:
        app.send_task(POLL_TASK, args=(source.id,))
    return len(sources)


def _sweep_task(app: Celery, runtime: Runtime) -> None:
    def body() -> int:
        with runtime.using() as ctx:
            return len(sweep(app, ctx))

    app.task(name=SWEEP_TASK, shared=False)(body)


def _targets_task(app: Celery, runtime: Runtime) -> None:
    def body() -> int:
        with runtime.using() as ctx:
            return sync_all_targets(ctx)

    app.task(name=TARGETS_TASK, shared=False)(body)


def sync_all_targets(ctx: WorkerContext) -> int:
    """Bring every publishing target in step (sent by the beat, on the ``targets`` queue);
    the posts are claimed one by one under leases, so two of these never clash. Returns the
    posts brought in step."""
    if not ctx.store.list_targets():
        return 0
    from babelwire.targets.sync import image_fetcher, sync_targets

    assert ctx.services.fetcher is not None
    reports = sync_targets(ctx.settings, ctx.store, image_fetcher(ctx.services.fetcher),
                           progress=log.info)
    for report in reports:
        if report.stopped:
            log.warning("target %s: %s", report.target, report.stopped)
    return sum(report.total for report in reports)


def register_tasks(app: Celery, runtime: Runtime) -> None:
    """Register babelwire's tasks on ``app``; they reach the store through ``runtime``."""
    for stage in STAGES:
        _stage_task(app, runtime, stage)
    _poll_task(app, runtime)
    _tick_task(app, runtime)
    _sweep_task(app, runtime)
    _targets_task(app, runtime)
