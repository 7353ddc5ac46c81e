"""The Celery tasks: what a stage task does with each state of its item, and the Celery wiring.

Stage tasks are exercised first without a broker (``run_stage`` on a real store with real pages
played by the demo's local sample-sites server, real extraction and real Apertium), then on a real
Redis with an in-process worker, against the embedded runner's result for the same page.
"""

from __future__ import annotations

import gzip
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from celery.contrib.testing.worker import start_worker
from sqlalchemy import select

from babelwire.demo.sites import SampleSitesServer
from babelwire.exceptions import ConfigError
from babelwire.models import ItemState, PublishedArticle
from babelwire.run.celery_app import make_celery, runtime_of
from babelwire.run.runner import work_item
from babelwire.run.stage_table import QUEUES, STAGE_AT, STAGES, WORKER_QUEUES
from babelwire.run.stages import Services
from babelwire.run.tasks import (
    POLL_TASK,
    TICK_TASK,
    poll,
    queues_idle,
    run_stage,
)
from babelwire.run.worker import Runtime, WorkerContext
from babelwire.settings import Settings
from babelwire.sources.fetch import Fetcher
from babelwire.store import Store, new_owner
from babelwire.store.tables import TranslationRow, utcnow
from tests.services import RedisServer

PAGE = "prensa/es-elcomercio-fujimori.html"


@pytest.fixture
def scale_settings(settings: Settings, sample_sites: SampleSitesServer,
                   redis_url: str) -> Settings:
    """Settings reaching the sample sites and the test Redis, with a short lease."""
    return settings.replace(allowed_hosts=(f"127.0.0.1:{sample_sites.port}",), lease_seconds=20,
                            broker_url=redis_url)


@pytest.fixture
def ctx(scale_settings: Settings, store: Store) -> Iterator[WorkerContext]:
    """A worker context on the test's SQLite store, retrying after 30 s."""
    settings = scale_settings.replace(retry_backoff=30)
    services = Services(settings)
    yield WorkerContext(settings, store, services)
    services.close()


def _page_item(store: Store, url: str, targets: tuple[str, ...] = ("en",)) -> int:
    source, _ = store.add_source(url, targets=targets, kind="page", source_lang="es")
    from babelwire.models import FeedItem

    store.upsert_feed_items(source.id, [FeedItem(guid=url, url=url)])
    item_id = store.item_id(source.id, url)
    assert item_id is not None
    return item_id


def _snapshot(store: Store, item_id: int) -> tuple[object, ...]:
    with store.session() as s:
        rows = s.scalars(select(TranslationRow).where(TranslationRow.item_id == item_id)).all()
        translations = [(r.lang, r.title, r.html, r.status, r.updated_at, r.published_at)
                        for r in rows]
    info = store.get_item(item_id)
    return (info, translations)


def test_the_stages_run_in_order_and_a_second_delivery_changes_nothing(
        ctx: WorkerContext, sample_sites: SampleSitesServer) -> None:
    item_id = _page_item(ctx.store, f"{sample_sites.base}/{PAGE}")
    task: str | None = STAGES[0].task
    seen = []
    while task is not None:
        outcome = run_stage(ctx, {stage.task: stage for stage in STAGES}[task], item_id)
        assert outcome.note == "done" and outcome.retry_in is None
        seen.append((task, outcome.state))
        task = outcome.next_task
    assert seen == [("babelwire.fetch", ItemState.FETCHED),
                    ("babelwire.extract", ItemState.EXTRACTED),
                    ("babelwire.translate", ItemState.TRANSLATED),
                    ("babelwire.publish", ItemState.PUBLISHED)]
    published = ctx.store.published_article(item_id, "en")
    assert published is not None and "Fujimori" in published.title
    before = _snapshot(ctx.store, item_id)
    for stage in STAGES:  # every task delivered again, after the fact
        outcome = run_stage(ctx, stage, item_id)
        assert (outcome.note, outcome.next_task, outcome.retry_in) == ("moved on", None, None)
    assert _snapshot(ctx.store, item_id) == before


def test_a_worker_that_translates_starts_an_items_engines_when_it_fetches_the_item(
        ctx: WorkerContext, sample_sites: SampleSitesServer) -> None:
    # as the embedded runner does: the pair's engines load on a helper thread while the item
    # is fetched and extracted; a worker that does not translate builds no router at all
    item_id = _page_item(ctx.store, f"{sample_sites.base}/{PAGE}")
    assert run_stage(ctx, STAGE_AT[ItemState.DISCOVERED], item_id).note == "done"
    assert ctx.services._router is None
    translating = replace(ctx, translates=True)
    other = _page_item(ctx.store, f"{sample_sites.base}/prensa/es-elespectador-jep.html")
    assert run_stage(translating, STAGE_AT[ItemState.DISCOVERED], other).note == "done"
    for starter in ctx.services._starters:
        starter.join(timeout=120)
    router = ctx.services.router
    assert ctx.services._started == {("es", "en")}
    assert {p.parent.name for p in router.dictionaries()._processes} >= {"apertium-eng-spa"}
    assert router.lexicon("es", "en") is not None


def test_a_task_delivered_while_another_holds_the_item_waits_for_the_lease(
        ctx: WorkerContext, sample_sites: SampleSitesServer) -> None:
    item_id = _page_item(ctx.store, f"{sample_sites.base}/{PAGE}")
    other = ctx.store.claim_item("other-worker", utcnow(), 15, item_id=item_id)
    assert other is not None
    requests = len(sample_sites.requests)
    outcome = run_stage(ctx, STAGE_AT[ItemState.DISCOVERED], item_id)
    assert outcome.note == "leased" and outcome.next_task is None
    assert outcome.retry_in is not None and 14 < outcome.retry_in <= 16
    status = ctx.store.item_status(item_id)
    assert status is not None and status.state == ItemState.DISCOVERED
    assert status.lease_owner == "other-worker"
    assert len(sample_sites.requests) == requests  # nothing was fetched


def test_a_task_longer_than_its_lease_keeps_the_item(ctx: WorkerContext,
                                                    sample_sites: SampleSitesServer) -> None:
    """A stage that lasts three leases (a slow site) while another worker tries to claim the
    item every quarter lease: the task renews its lease, nobody takes the item over, and the
    stage's work is saved (it once was lost to a takeover, counted as an abandoned lease)."""
    lease = 0.4
    body = gzip.decompress((sample_sites.data / PAGE).with_suffix(".html.gz").read_bytes())

    def slow(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        time.sleep(3 * lease)
        return httpx.Response(200, content=body, headers={"content-type": "text/html"})

    settings = ctx.settings.replace(lease_seconds=lease)
    slow_ctx = replace(ctx, settings=settings,
                       services=Services(settings, fetcher=Fetcher(
                           settings, transport=httpx.MockTransport(slow))))
    item_id = _page_item(ctx.store, f"{sample_sites.base}/{PAGE}")
    result: list[Any] = []
    task = threading.Thread(target=lambda: result.append(
        run_stage(slow_ctx, STAGE_AT[ItemState.DISCOVERED], item_id)))
    task.start()
    while task.is_alive() and _lease_owner(ctx.store, item_id) is None:
        time.sleep(0.01)  # the task claims first (on a busy machine the thief could)
    stolen = []
    while task.is_alive():
        claimed = ctx.store.claim_item(new_owner(), utcnow(), lease, item_id=item_id)
        if claimed is not None:
            stolen.append(claimed.state)
        time.sleep(lease / 4)
    task.join()
    slow_ctx.services.close()
    assert stolen == []
    assert result and result[0].state == ItemState.FETCHED and result[0].note != "lease lost"
    status = ctx.store.item_status(item_id)
    assert status is not None and status.state == ItemState.FETCHED
    item = ctx.store.get_item(item_id)
    assert item is not None and item.attempts == 0


def _lease_owner(store: Store, item_id: int) -> str | None:
    status = store.item_status(item_id)
    return status.lease_owner if status else None


def test_the_redelivered_task_of_a_dead_worker_claims_the_item_once_its_lease_ends(
        ctx: WorkerContext, sample_sites: SampleSitesServer) -> None:
    item_id = _page_item(ctx.store, f"{sample_sites.base}/{PAGE}")
    long_ago = utcnow() - timedelta(seconds=ctx.settings.lease_seconds + 1)
    assert ctx.store.claim_item("dead-worker", long_ago, ctx.settings.lease_seconds,
                                item_id=item_id) is not None
    outcome = run_stage(ctx, STAGE_AT[ItemState.DISCOVERED], item_id)
    assert (outcome.note, outcome.state) == ("done", ItemState.FETCHED)
    assert outcome.next_task == "babelwire.extract"
    status = ctx.store.item_status(item_id)
    assert status is not None and status.lease_owner is None


def _failing_context(ctx: WorkerContext, status: int) -> WorkerContext:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(status, text="unavailable")

    fetcher = Fetcher(ctx.settings, transport=httpx.MockTransport(handler))
    return replace(ctx, services=Services(ctx.settings, fetcher=fetcher))


def test_a_retryable_error_is_retried_when_the_store_allows_until_max_attempts(
        ctx: WorkerContext) -> None:
    failing = _failing_context(ctx, 503)
    item_id = _page_item(ctx.store, "https://news.example/caida")
    fetch = STAGE_AT[ItemState.DISCOVERED]
    outcome = run_stage(failing, fetch, item_id)
    assert outcome.note == "retry" and outcome.state == ItemState.DISCOVERED
    assert outcome.retry_in is not None and 29 < outcome.retry_in <= 31  # retry_backoff=30
    info = ctx.store.get_item(item_id)
    assert info is not None and info.attempts == 1 and "503" in (info.reason or "")
    early = run_stage(failing, fetch, item_id)  # a retry that fires too early waits again
    assert early.note == "waiting" and early.retry_in is not None and early.retry_in > 28
    for _attempt in range(2, ctx.settings.max_attempts + 1):
        _expire_backoff(ctx.store, item_id)
        outcome = run_stage(failing, fetch, item_id)
    assert (outcome.note, outcome.state, outcome.retry_in) == ("failed", ItemState.FAILED, None)
    info = ctx.store.get_item(item_id)
    assert info is not None and info.attempts == ctx.settings.max_attempts


def _expire_backoff(store: Store, item_id: int) -> None:
    from babelwire.store.tables import ItemRow

    with store.session() as s:
        s.get_one(ItemRow, item_id).next_attempt_at = utcnow() - timedelta(seconds=1)


def test_a_permanent_error_fails_the_item_at_once(ctx: WorkerContext) -> None:
    item_id = _page_item(ctx.store, "https://news.example/borrada")
    outcome = run_stage(_failing_context(ctx, 404), STAGE_AT[ItemState.DISCOVERED], item_id)
    assert (outcome.note, outcome.state, outcome.retry_in) == ("failed", ItemState.FAILED, None)
    info = ctx.store.get_item(item_id)
    assert info is not None and info.attempts == 1 and "404" in (info.reason or "")


def test_an_item_of_a_paused_source_is_left_alone(ctx: WorkerContext) -> None:
    item_id = _page_item(ctx.store, "https://news.example/pausa")
    info = ctx.store.get_item(item_id)
    assert info is not None
    ctx.store.set_source_active(info.source_id, False)
    outcome = run_stage(ctx, STAGE_AT[ItemState.DISCOVERED], item_id)
    assert (outcome.note, outcome.retry_in) == ("paused", None)
    assert run_stage(ctx, STAGES[0], 999_999).note == "gone"


def test_a_poll_returns_the_new_items_once(ctx: WorkerContext,
                                           sample_sites: SampleSitesServer) -> None:
    site = next(s for s in _sites(sample_sites) if s.slug == "presse")
    source, _ = ctx.store.add_source(sample_sites.feed_url(site), targets=site.targets, kind="feed",
                                     source_lang=site.lang)
    first = poll(ctx, source.id)
    assert len(first) == site.pages
    assert {ctx.store.get_item(i).state for i in first} == {ItemState.DISCOVERED}  # type: ignore[union-attr]
    assert poll(ctx, source.id) == []  # unchanged feed (a 304): nothing to fetch again


def _sites(server: SampleSitesServer) -> list:  # type: ignore[type-arg]
    from babelwire.demo.sites import load_sites

    return load_sites(server.data)


def test_stranded_items_are_the_free_ready_workable_ones(ctx: WorkerContext) -> None:
    ids = [_page_item(ctx.store, f"https://news.example/{n}") for n in range(4)]
    now = utcnow()
    assert ctx.store.claim_item("busy", now, 60, item_id=ids[1]) is not None
    owner = new_owner()
    assert ctx.store.claim_item(owner, now, 60, item_id=ids[2]) is not None
    from babelwire.exceptions import FetchTimeout

    ctx.store.fail_item(ids[2], owner, FetchTimeout("slow"), max_attempts=3,
                        backoff_seconds=60)
    assert ctx.store.claim_item(owner, now, 60, item_id=ids[3]) is not None
    ctx.store.fail_item(ids[3], owner, FetchTimeout("slow"), max_attempts=1,
                        backoff_seconds=60)
    assert ctx.store.stranded_items(now, 100) == [(ids[0], ItemState.DISCOVERED)]
    later = now + timedelta(hours=1)
    assert [i for i, _ in ctx.store.stranded_items(later, 100)] == [ids[0], ids[1], ids[2]]


# -- Celery wiring ------------------------------------------------------------------------------


def test_each_stage_is_routed_to_its_own_queue(scale_settings: Settings) -> None:
    app = make_celery(scale_settings)
    route = app.amqp.router.route
    assert [route({}, stage.task)["queue"].name for stage in STAGES] == list(QUEUES)
    assert route({}, POLL_TASK)["queue"].name == route({}, TICK_TASK)["queue"].name == "fetch"
    conf = app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.broker_transport_options["visibility_timeout"] == 30  # 1.5 x lease_seconds
    assert conf.beat_schedule["babelwire-tick"]["task"] == TICK_TASK
    assert isinstance(runtime_of(app), Runtime)


def test_a_visibility_timeout_shorter_than_the_lease_is_refused(scale_settings: Settings) -> None:
    with pytest.raises(ConfigError, match="longer than the lease"):
        make_celery(scale_settings.replace(visibility_timeout=10))


def test_queues_idle_sees_waiting_tasks(scale_settings: Settings) -> None:
    app = make_celery(scale_settings)
    assert queues_idle(app)
    app.send_task("babelwire.translate", args=(1,))
    assert not queues_idle(app)
    with app.connection_for_read() as conn:
        waiting = {q: _waiting(conn, q) for q in QUEUES}
    assert waiting == {"fetch": 0, "extract": 0, "translate": 1, "publish": 0}
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("translate")
    assert queues_idle(app)


def _waiting(conn: object, queue: str) -> int:
    try:
        return int(conn.default_channel.queue_declare(queue=queue, passive=True)[1])  # type: ignore[attr-defined]
    except conn.channel_errors:  # type: ignore[attr-defined]
        return 0


def test_a_source_goes_through_celery_like_through_the_embedded_runner(
        scale_settings: Settings, sample_sites: SampleSitesServer, redis_server: RedisServer,
        tmp_path: object) -> None:
    url = f"{sample_sites.base}/{PAGE}"
    embedded = Store(f"sqlite:///{tmp_path}/embedded.db")
    item_id = _page_item(embedded, url)
    services = Services(scale_settings)
    owner = new_owner()
    item = embedded.claim_item(owner, utcnow(), 60, item_id=item_id)
    assert item is not None
    assert work_item(scale_settings, embedded, services, item, owner) == ItemState.PUBLISHED
    services.close()
    expected = embedded.published_article(item_id, "en")
    embedded.close()

    app = make_celery(scale_settings.replace(scheduler_tick=1))
    app.conf.worker_hijack_root_logger = False  # leave pytest's log capture alone
    store = runtime_of(app).context().store
    _page_item(store, url)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        app.send_task(TICK_TASK)
        got = _wait_published(store, item_id, "en")
    runtime_of(app).close()
    assert expected is not None and got is not None
    assert (got.title, got.html, got.text, got.engine) == (expected.title, expected.html,
                                                           expected.text, expected.engine)


def _wait_published(store: Store, item_id: int, lang: str,
                    timeout: float = 60.0) -> PublishedArticle | None:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        item = store.get_item(item_id)
        if item is not None and item.state in (ItemState.PUBLISHED, ItemState.FAILED,
                                               ItemState.HELD):
            return store.published_article(item_id, lang)
        time.sleep(0.2)
    raise AssertionError(f"item {item_id} not finished after {timeout}s: {store.get_item(item_id)}")


def test_the_worker_command_offers_the_queues_of_the_stage_table() -> None:
    from click.testing import CliRunner

    from babelwire.cli import cli

    assert QUEUES == ("fetch", "extract", "translate", "publish")
    assert WORKER_QUEUES == ("fetch", "extract", "translate", "publish", "targets")
    shown = CliRunner().invoke(cli, ["worker", "--help"], terminal_width=200)
    assert f"[default: {','.join(WORKER_QUEUES)}]" in shown.output
    refused = CliRunner().invoke(cli, ["worker", "-Q", "fetch,check"])
    assert refused.exit_code == 2 and f"choose among {', '.join(WORKER_QUEUES)}" in refused.output


def test_the_docs_list_the_queues_and_states_of_the_stage_table() -> None:
    root = Path(__file__).parent.parent
    scaling = (root / "docs" / "scaling.md").read_text(encoding="utf-8")
    line = next(line for line in scaling.splitlines() if "one queue per stage" in line)
    assert tuple(re.findall(r"`(\w+)`", line)) == QUEUES
    readme = (root / "README.md").read_text(encoding="utf-8")
    chain = " → ".join([*(stage.state for stage in STAGES), ItemState.PUBLISHED])
    assert f"({chain}," in readme
