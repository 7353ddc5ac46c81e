"""Items stranded by a dead Celery worker are found by lease expiry, whatever the queues hold.

A worker that dies leaves its item leased; the beat's sweep finds the expired lease and enqueues
the item's stage again, ahead of every queue, within one visibility timeout of the death. First
without worker processes (real Redis, real store, the stage functions on a real page), then with
two real `babelwire worker` processes (prefork, one pool process each) and `babelwire scheduler`
on Redis, one worker SIGKILLed while it fetches an item, and a backlog of real fetches keeping the
queue busy all along.
"""

from __future__ import annotations

import gzip
import os
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from babelwire.demo.sites import DATA as SAMPLE_DATA
from babelwire.models import FeedItem, ItemState
from babelwire.run.celery_app import (
    make_celery,
    sweep_interval,
    visibility_timeout,
)
from babelwire.run.stage_table import STAGE_AT
from babelwire.run.stages import Services
from babelwire.run.tasks import NORMAL, POLL_TASK, URGENT, run_stage, sweep
from babelwire.run.worker import WorkerContext
from babelwire.settings import Settings
from babelwire.store import Store, new_owner
from babelwire.store.tables import utcnow
from tests.helpers.http import LocalServer, reply
from tests.services import ServiceProcess

PAGE = SAMPLE_DATA / "prensa" / "es-elcomercio-fujimori.html.gz"
ARTICLE = gzip.decompress(PAGE.read_bytes())


@pytest.fixture
def ctx(settings: Settings, store: Store, server: LocalServer,
        redis_url: str) -> Iterator[WorkerContext]:
    """A worker context on the test's SQLite store and Redis, with a short lease (longer than a
    first fetch in the process takes on a loaded machine: 0.5 s was not, once in CI, and the
    lease ran out before the test's first sweep)."""
    settings = settings.replace(allowed_hosts=(f"127.0.0.1:{server.port}",), lease_seconds=2.0,
                                broker_url=redis_url)
    services = Services(settings)
    yield WorkerContext(settings, store, services)
    services.close()


def _item(store: Store, url: str) -> int:
    source, _ = store.add_source(url, targets=("en",), kind="page", source_lang="es")
    store.upsert_feed_items(source.id, [FeedItem(guid=url, url=url)])
    item_id = store.item_id(source.id, url)
    assert item_id is not None
    return item_id


def _next_message(app: Any, queue: str) -> dict[str, Any]:
    """Take the message a worker of ``queue`` would get next."""
    with app.connection_for_write() as conn:
        message = conn.default_channel.basic_get(queue, no_ack=True)
        assert message is not None, f"{queue} is empty"
        return {"task": message.headers["task"], "args": message.decode()[0],
                "kwargs": message.decode()[1], "priority": message.properties.get("priority")}


def test_a_worker_dying_between_two_stages_leaves_a_lease_the_sweep_finds(
        ctx: WorkerContext, server: LocalServer) -> None:
    """A task commits its stage and dies before the next stage's task is enqueued: its lease
    stays, runs out, and the sweep enqueues the next stage ahead of a busy queue; the abandoned
    lease counts as an attempt."""
    server.routes["/nota"] = reply(200, ARTICLE, Content_Type="text/html; charset=utf-8")
    item_id = _item(ctx.store, server.url("/nota"))
    app = make_celery(ctx.settings)
    for n in range(30):                                  # the backlog of the extract queue
        app.send_task(STAGE_AT[ItemState.FETCHED].task, args=(10_000 + n,))
    owner = new_owner()
    item = ctx.store.claim_item(owner, utcnow(), ctx.settings.lease_seconds, item_id=item_id)
    assert item is not None
    STAGE_AT[ItemState.DISCOVERED].run(ctx.settings, ctx.store, ctx.services, item, owner)
    # ... and the process dies here: nothing enqueued, the lease not given back
    assert sweep(app, ctx) == []                         # the lease still runs
    time.sleep(ctx.settings.lease_seconds + 0.1)
    assert sweep(app, ctx) == [item_id]
    assert sweep(app, ctx) == []                         # enqueued once
    first = _next_message(app, "extract")
    assert first["task"] == "babelwire.extract" and first["args"] == [item_id]
    assert first["priority"] == URGENT and "after" in first["kwargs"]
    assert _next_message(app, "extract")["priority"] == NORMAL   # then the backlog
    info = ctx.store.get_item(item_id)
    assert info is not None and info.state == ItemState.FETCHED and info.attempts == 1
    status = ctx.store.item_status(item_id)
    assert status is not None and status.lease_owner is None    # waiting in its queue


def test_a_task_hands_its_item_on_before_letting_go(ctx: WorkerContext,
                                                    server: LocalServer) -> None:
    """The next stage's task is enqueued while the lease is held, naming its owner; the next
    task takes the lease over from that owner at once (another owner must wait)."""
    server.routes["/nota"] = reply(200, ARTICLE, Content_Type="text/html; charset=utf-8")
    item_id = _item(ctx.store, server.url("/nota"))
    handed: list[tuple[str, str, str | None]] = []

    def hand_on(task: str, owner: str) -> None:
        status = ctx.store.item_status(item_id)
        assert status is not None
        handed.append((task, owner, status.lease_owner))

    outcome = run_stage(ctx, STAGE_AT[ItemState.DISCOVERED], item_id, hand_on=hand_on)
    assert outcome.note == "done" and outcome.next_task == "babelwire.extract"
    [(task, owner, holder)] = handed
    assert task == "babelwire.extract" and holder == owner     # still leased when sent
    settings = ctx.settings.replace(lease_seconds=30)
    item = ctx.store.claim_item(owner, utcnow(), 30, item_id=item_id)   # as if still sending
    assert item is not None
    waiting = run_stage(WorkerContext(settings, ctx.store, ctx.services),
                        STAGE_AT[ItemState.FETCHED], item_id)
    assert waiting.note == "leased"
    taken = run_stage(WorkerContext(settings, ctx.store, ctx.services),
                      STAGE_AT[ItemState.FETCHED], item_id, after=owner)
    assert taken.note == "done" and taken.state == ItemState.EXTRACTED
    info = ctx.store.get_item(item_id)
    assert info is not None and info.attempts == 0


def test_the_sweep_runs_often_enough_for_the_visibility_timeout(settings: Settings) -> None:
    assert sweep_interval(settings) == settings.scheduler_tick == 30     # 600 s lease, 900 s
    short = settings.replace(lease_seconds=4, visibility_timeout=10, scheduler_tick=30)
    assert visibility_timeout(short) == 10 and sweep_interval(short) == 3
    conf = make_celery(short).conf
    assert conf.beat_schedule["babelwire-sweep"]["schedule"] == 3
    assert conf.beat_schedule["babelwire-tick"]["schedule"] == 30


# -- real workers -----------------------------------------------------------------------------

LEASE = 4.0
VISIBILITY = 10.0
BACKLOG = 80
SLOW = 0.3              # seconds each backlog page takes (then 404: the item fails at once)


def _feed(server: LocalServer) -> bytes:
    items = [server.url("/nota")] + [server.url(f"/lenta/{n}") for n in range(BACKLOG)]
    entries = "".join(f"<item><title>Nota {n}</title><link>{url}</link><guid>{url}</guid>"
                      f"</item>" for n, url in enumerate(items))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Prensa</title><link>{server.url('/')}</link>{entries}</channel></rss>"
            ).encode()


def _slow_404(handler: BaseHTTPRequestHandler) -> None:
    time.sleep(SLOW)
    reply(404, b"gone")(handler)


def _stall_first(server: LocalServer, seen: list[float]) -> Any:
    def route(handler: BaseHTTPRequestHandler) -> None:
        seen.append(time.monotonic())
        if len(seen) == 1:
            server.release.wait(120)        # the first fetch never ends: its worker dies
        reply(200, ARTICLE, Content_Type="text/html; charset=utf-8")(handler)
    return route


def _env(home: Path, db_url: str, broker_url: str, server: LocalServer) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")}
    env.update(BABELWIRE_HOME=str(home), BABELWIRE_DATABASE_URL=db_url,
               BABELWIRE_BROKER_URL=broker_url, BABELWIRE_LEASE_SECONDS=str(LEASE),
               BABELWIRE_VISIBILITY_TIMEOUT=str(VISIBILITY), BABELWIRE_SCHEDULER_TICK="30",
               BABELWIRE_PER_HOST_DELAY="0", BABELWIRE_ALLOWED_HOSTS=f"127.0.0.1:{server.port}")
    return env


def _owner_pid(store: Store, item_id: int) -> int | None:
    status = store.item_status(item_id)
    if status is None or status.lease_owner is None:
        return None
    return int(status.lease_owner.split("-")[0])


def _waiting(app: Any, queue: str) -> int:
    with app.connection_for_read() as conn:
        try:
            return int(conn.default_channel.queue_declare(queue=queue, passive=True)[1])
        except conn.channel_errors:
            return 0


def test_an_item_a_killed_worker_held_is_rerun_within_the_visibility_timeout_while_busy(
        settings: Settings, server: LocalServer, redis_url: str, tmp_path: Path) -> None:
    """Two workers and the scheduler; a feed of 81 items, the first of which is served only on
    the second request. The worker fetching it is SIGKILLed; the other works through a backlog
    of 80 slow fetches meanwhile, so the fetch queue is never empty. The item is fetched again
    within one visibility timeout of the kill (the broker's own redelivery comes only after it),
    then goes through every stage; its abandoned lease counts as one attempt."""
    seen: list[float] = []
    server.routes["/feed.xml"] = reply(200, _feed(server), Content_Type="application/rss+xml")
    server.routes["/nota"] = _stall_first(server, seen)
    for n in range(BACKLOG):
        server.routes[f"/lenta/{n}"] = _slow_404
    home = tmp_path / "home"
    db_url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store(db_url)
    source, _ = store.add_source(server.url("/feed.xml"), targets=("en",), kind="feed",
                                 source_lang="es")
    env = _env(home, db_url, redis_url, server)
    app = make_celery(settings.replace(broker_url=redis_url, lease_seconds=LEASE,
                                       visibility_timeout=VISIBILITY))
    # the prefork pool (no longer the default): the kill takes a pool process with its parent
    workers = [ServiceProcess.start(name, ["worker", "--pool", "prefork", "--concurrency", "1",
                                           "--name", f"{name}@%h"], env,
                                    tmp_path / f"{name}.log")
               for name in ("worker-a", "worker-b")]
    procs = list(workers)
    try:
        for worker in workers:
            worker.wait_for_log("ready.")
        procs.append(ServiceProcess.start("scheduler", ["scheduler"], env,
                                          tmp_path / "scheduler.log"))
        app.send_task(POLL_TASK, args=(source.id,))
        item_id = _wait_for(lambda: store.item_id(source.id, server.url("/nota")), 60)
        _wait_for(lambda: seen or None, 60)          # its first fetch has started (and stalls)
        holder = _wait_for(lambda: next((w for w in workers
                                         if _owner_pid(store, item_id) in w.pids()), None), 60)
        victim_pids = holder.pids()
        holder.kill()
        killed = time.monotonic()
        survivor = next(w for w in workers if w is not holder)
        queue_lengths = []
        while len(seen) < 2 and time.monotonic() - killed < 3 * VISIBILITY:
            queue_lengths.append(_waiting(app, "fetch"))
            time.sleep(0.1)
        assert len(seen) == 2, f"never fetched again:\n{survivor.tail()}"
        rerun = seen[1] - killed
        assert rerun <= VISIBILITY, f"fetched again {rerun:.1f}s after the kill"
        assert queue_lengths and min(queue_lengths) > 0, queue_lengths   # busy all along
        assert _waiting(app, "fetch") > 0
        final = _wait_for(lambda: _finished(store, item_id), 120)
        assert final.state == ItemState.PUBLISHED and final.attempts == 1, final
        assert _owner_pid(store, item_id) not in victim_pids
        scheduler_log = (tmp_path / "scheduler.log").read_text(errors="replace")
        logs = "".join(w.log.read_text(errors="replace") for w in workers)
        assert "its lease ran out (the worker died): enqueued again" in logs + scheduler_log
        print(f"re-run {rerun:.1f}s after the kill (visibility timeout {VISIBILITY:g}s, lease "
              f"{LEASE:g}s); fetch queue during the wait: {min(queue_lengths)} to "
              f"{max(queue_lengths)} tasks")
        # the broker gives the dead worker's task back after the visibility timeout: it finds
        # the item moved on and fetches nothing
        time.sleep(max(0.0, killed + VISIBILITY + 3.0 - time.monotonic()))
        assert len(seen) == 2
        status = store.item_status(item_id)
        assert status is not None and status.lease_owner is None
    finally:
        for proc in procs:
            proc.stop()
        server.release.set()
        store.close()


def _finished(store: Store, item_id: int) -> Any:
    info = store.get_item(item_id)
    if info is not None and info.state in (ItemState.PUBLISHED, ItemState.HELD,
                                           ItemState.FAILED):
        return info
    return None


def _wait_for(check: Any, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found is not None:
            return found
        time.sleep(0.05)
    raise AssertionError(f"nothing after {timeout:.0f}s")
