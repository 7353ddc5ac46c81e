"""Broker and database faults during a Celery run, on the real services.

Two `babelwire worker` processes and `babelwire scheduler` run the reliability sites (three
feeds, four articles, eight translations) on Redis and PostgreSQL. Mid-run, every connection to
the database is terminated (``pg_terminate_backend``) several times while items are worked, and
Redis is SIGKILLed (it keeps nothing: every queued message is lost) and started again on the
same port. The run must finish by itself: workers and scheduler reconnect, the items whose
messages were lost are found again, and the store holds every feed item once, every
translation once, and no lease.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from babelwire.cli.demo import subscribe
from babelwire.demo.sites import SampleSitesServer, load_sites
from babelwire.models import ItemState
from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.store.tables import ItemRow, SourceRow, TranslationRow
from tests.helpers.runs import feed_guids
from tests.services import PostgresServer, RedisServer, ServiceProcess

LEASE = 3.0
VISIBILITY = 6.0
DEADLINE = 180.0
END_STATES = {ItemState.PUBLISHED, ItemState.HELD, ItemState.FAILED}


def _states(store: Store) -> Counter[str]:
    with store.session() as s:
        return Counter(dict(s.execute(select(ItemRow.state, func.count())
                                      .group_by(ItemRow.state)).all()))


def _wait_for(check: object, timeout: float, procs: list[ServiceProcess]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():  # type: ignore[operator]
                return
        except Exception:  # the store may be between two connections
            pass
        time.sleep(0.1)
    logs = "\n\n".join(f"--- {p.name}\n{p.tail()}" for p in procs)
    raise AssertionError(f"timed out after {timeout:.0f}s\n{logs}")


def test_a_celery_run_survives_redis_killed_and_its_database_connections_terminated(
        settings: Settings, reliability_sites: SampleSitesServer,
        postgres_server: PostgresServer, fresh_pg_url: str, tmp_path: Path) -> None:
    redis = RedisServer.start(tmp_path / "redis")
    store = Store(fresh_pg_url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")}
    env.update(BABELWIRE_HOME=str(tmp_path / "home"), BABELWIRE_DATABASE_URL=fresh_pg_url,
               BABELWIRE_BROKER_URL=redis.url, BABELWIRE_LEASE_SECONDS=str(LEASE),
               BABELWIRE_VISIBILITY_TIMEOUT=str(VISIBILITY), BABELWIRE_RETRY_BACKOFF="1",
               BABELWIRE_PER_HOST_DELAY="0", BABELWIRE_LEARN_NAMES="false",
               BABELWIRE_ALLOWED_HOSTS=f"127.0.0.1:{reliability_sites.port}")
    procs = [ServiceProcess.start(name, ["worker", "--concurrency", "1", "--name",
                                         f"{name}@%h"], env, tmp_path / f"{name}.log")
             for name in ("worker-a", "worker-b")]
    terminated: list[str] = []
    try:
        for proc in procs:
            proc.wait_for_log("ready.")
        subscribe(store, reliability_sites)
        procs.append(ServiceProcess.start("scheduler", ["scheduler", "--tick", "1"], env,
                                          tmp_path / "scheduler.log"))
        # the database: every connection terminated at three moments of the run, each time
        # five times 0.2 s apart, while items are leased (in the middle of their stages)
        # (on a busy machine the run can move past a stage between two looks: then the
        # connections are terminated at the next moment the test sees)
        mid_work = 0        # rounds that hit the database while an item was leased
        for wanted in (ItemState.DISCOVERED, ItemState.FETCHED, ItemState.EXTRACTED):
            _wait_for(lambda w=wanted: _leased_in(store, w) or _moved_past(store, w), 90, procs)
            mid_work += any(_leased_in(store, state) for state in _ORDER)
            for _ in range(5):
                terminated += postgres_server.terminate_connections(fresh_pg_url)
                time.sleep(0.2)
        # the broker: killed while items are in several stages, started again 3 s later
        _wait_for(lambda: len(set(_states(store)) - {ItemState.DISCOVERED}) >= 2
                  or _moved_past(store, ItemState.TRANSLATED), 90, procs)
        before = _states(store)
        redis.crash()
        time.sleep(3.0)
        redis.restart()
        restarted = time.monotonic()
        ticks_before = _ticks(procs[2])
        expected = len(feed_guids(reliability_sites))
        _wait_for(lambda: sum(_states(store).values()) == expected
                  and set(_states(store)) <= END_STATES, DEADLINE, procs)
        took = time.monotonic() - restarted
        states = _states(store)
        _wait_for(lambda: _ticks(procs[2]) > ticks_before, 10, procs)     # still ticking
        alive = [p.process.poll() is None for p in procs]
    finally:
        for proc in procs:
            proc.stop()
        redis.stop()
    try:
        _check_store(store, reliability_sites)
    finally:
        store.close()
    assert mid_work >= 1, "no termination happened while an item was being worked"
    assert states[ItemState.FAILED] == 0, states
    logs = [p.log.read_text(errors="replace") for p in procs]
    for log in logs[:2]:        # each worker lost the broker, said so, and reconnected
        assert "Connection to broker lost" in log and "Unrecoverable error" not in log, log
        assert log.count("Connected to redis://") >= 2, log[-3000:]
    assert alive == [True, True, True]
    print(f"{len(terminated)} database connections terminated "
          f"({Counter(terminated)}); Redis killed with items {dict(before)}; "
          f"finished {took:.0f}s after its restart: {dict(states)}")
    assert len(terminated) >= 3


def _ticks(scheduler: ServiceProcess) -> int:
    """How many ticks the scheduler has sent so far."""
    return scheduler.log.read_text(errors="replace").count("Sending due task babelwire-tick")


_ORDER = (ItemState.DISCOVERED, ItemState.FETCHED, ItemState.EXTRACTED, ItemState.TRANSLATED)


def _moved_past(store: Store, state: ItemState) -> bool:
    """Whether items exist and none is left at ``state`` or before it."""
    states = _states(store)
    upto = _ORDER[:_ORDER.index(state) + 1]
    return sum(states.values()) > 0 and not any(states[s] for s in upto)


def _leased_in(store: Store, state: ItemState) -> bool:
    with store.session() as s:
        return bool(s.scalar(select(func.count()).where(ItemRow.state == state,
                                                        ItemRow.lease_owner.is_not(None))))


def _check_store(store: Store, server: SampleSitesServer) -> None:
    """Every feed item once, every translation once, each finished item with its targets, no
    lease left."""
    with store.session() as s:
        items = s.execute(select(SourceRow.url, ItemRow.guid, ItemRow.id, ItemRow.state,
                                 ItemRow.lease_owner).join(ItemRow)).all()
        translations = s.execute(select(TranslationRow.item_id, TranslationRow.lang)).all()
    assert sorted(g for _, g, _, _, _ in items) == sorted(feed_guids(server))
    assert len({(u, g) for u, g, _, _, _ in items}) == len(items)
    assert len(set(translations)) == len(translations)
    assert [i for *_, i, _, owner in items if owner is not None] == []
    targets = {server.feed_url(site): set(site.targets) for site in load_sites(server.data)}
    for url, _, item_id, state, _ in items:
        if state in (ItemState.PUBLISHED, ItemState.HELD):
            assert {lang for i, lang in translations if i == item_id} == targets[url]


def test_a_redis_channel_closed_after_the_broker_went_away_raises_a_connection_error() -> None:
    """The kombu fault ``survive_broker_loss`` turns into a connection error (which Celery
    ignores while it closes a lost connection) instead of an AttributeError (which stops the
    worker)."""
    from kombu.transport import redis as kombu_redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    from babelwire.run.celery_app import survive_broker_loss

    survive_broker_loss()
    survive_broker_loss()                       # once is enough: not wrapped twice

    class Lost:
        connection = type("Transport", (), {"client": None})()

    with pytest.raises(RedisConnectionError):
        kombu_redis.Channel._connparams(Lost())  # type: ignore[arg-type,no-untyped-call]
    assert RedisConnectionError in kombu_redis.Transport.connection_errors
