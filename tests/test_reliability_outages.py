"""Outages of the services a Celery run depends on: PostgreSQL restarted (stopped cleanly, then
crashed) and Redis down for 30 seconds, on the real services.

Two `babelwire worker` processes and `babelwire scheduler` (tick 1 s) work synthetic feeds of
real pages (``tests/helpers/synthetic.py``, 40 articles, 80 translations) on a Redis and a
PostgreSQL cluster of the test's own. Mid-run, while items are leased:

1. PostgreSQL is stopped (``pg_ctl stop -m fast``: every session cut, open transactions rolled
   back) and started again 5 s later;
2. PostgreSQL is crashed (``-m immediate``: no shutdown, crash recovery at the next start) and
   started again 3 s later;
3. Redis is SIGKILLed (it keeps nothing: every queued message is lost) and started again
   ``BABELWIRE_TEST_REDIS_OUTAGE`` seconds later (30 by default).

The run must finish by itself: the workers and the scheduler reconnect with backoff and say so,
and the store holds every feed item once, every translation once and whole, and no lease.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from babelwire.cli.demo import subscribe
from babelwire.demo.sites import SampleSitesServer
from babelwire.models import ItemState
from babelwire.store import Store
from tests.helpers.faults import count, finished, leased, states, wait_for
from tests.helpers.runs import feed_guids
from tests.helpers.synthetic import synthetic_sites
from tests.services import PostgresServer, RedisServer, ServiceProcess

ARTICLES = 40
LEASE = 3.0
VISIBILITY = 6.0
OUTAGE = float(os.environ.get("BABELWIRE_TEST_REDIS_OUTAGE", "30"))
DEADLINE = 300.0


def _ticks(scheduler: ServiceProcess) -> int:
    return scheduler.log.read_text(errors="replace").count("Sending due task babelwire-tick")


def test_a_celery_run_survives_postgresql_restarts_and_redis_down_for_30_seconds(
        tmp_path: Path) -> None:
    data = synthetic_sites(tmp_path / "sites", ARTICLES, seed=16)
    postgres = PostgresServer.start()
    redis = RedisServer.start(tmp_path / "redis")
    procs: list[ServiceProcess] = []
    moments: list[str] = []
    try:
        with SampleSitesServer(0, data=data) as server:
            url = postgres.new_database()
            store = Store(url)
            env = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")}
            env.update(BABELWIRE_HOME=str(tmp_path / "home"), BABELWIRE_DATABASE_URL=url,
                       BABELWIRE_BROKER_URL=redis.url, BABELWIRE_LEASE_SECONDS=str(LEASE),
                       BABELWIRE_VISIBILITY_TIMEOUT=str(VISIBILITY),
                       BABELWIRE_RETRY_BACKOFF="1", BABELWIRE_PER_HOST_DELAY="0",
                       BABELWIRE_LEARN_NAMES="false",
                       BABELWIRE_ALLOWED_HOSTS=f"127.0.0.1:{server.port}")
            procs += [ServiceProcess.start(name, ["worker", "--concurrency", "1", "--name",
                                                  f"{name}@%h"], env, tmp_path / f"{name}.log")
                      for name in ("worker-a", "worker-b")]
            for proc in procs:
                proc.wait_for_log("ready.")
            subscribe(store, server)
            procs.append(ServiceProcess.start("scheduler", ["scheduler", "--tick", "1"], env,
                                              tmp_path / "scheduler.log"))
            expected = len(feed_guids(server))

            def working(done: int) -> bool:
                found = states(store)
                return leased(store) > 0 and found[ItemState.PUBLISHED] >= done

            # 1. a clean stop of PostgreSQL, 5 s down, while items are worked
            wait_for(lambda: working(0), 120, procs)
            moments.append(f"stop -m fast at {dict(states(store))}")
            postgres.restart(down=5.0, mode="fast")
            # 2. a crash of PostgreSQL, 3 s down, once some articles are out
            wait_for(lambda: working(5), 180, procs)
            moments.append(f"stop -m immediate at {dict(states(store))}")
            postgres.restart(down=3.0, mode="immediate")
            # 3. Redis gone for OUTAGE seconds, with work left
            wait_for(lambda: working(10), 180, procs)
            before = states(store)
            moments.append(f"Redis killed at {dict(before)}")
            redis.crash()
            time.sleep(OUTAGE)
            redis.restart()
            back = time.monotonic()
            ticks = _ticks(procs[2])
            wait_for(lambda: finished(store, expected), DEADLINE, procs)
            took = time.monotonic() - back
            wait_for(lambda: _ticks(procs[2]) > ticks, 15, procs)     # still ticking
            alive = [p.process.poll() is None for p in procs]
            counts = count(store, server)
            store.close()
    finally:
        for proc in procs:
            proc.stop()
        redis.stop()
        postgres.stop()
    logs = {p.name: p.log.read_text(errors="replace") for p in procs}
    print("\n".join(moments), f"\nfinished {took:.0f}s after Redis came back: {counts}")
    assert before[ItemState.PUBLISHED] < expected, "Redis went away after the run was over"
    assert counts.problems() == [], counts
    assert counts.items == expected and counts.states[ItemState.FAILED] == 0, counts
    assert counts.translations == 2 * expected
    assert alive == [True, True, True]
    for name in ("worker-a", "worker-b"):
        log = logs[name]
        assert "Connection to broker lost" in log and "Unrecoverable error" not in log, log[-3000:]
        assert log.count("Connected to redis://") >= 2, log[-3000:]
    # the store's outages were seen, said and ended by the workers (one of them at least:
    # an idle worker may not have touched the store while it was away)
    said = "".join(logs[n] for n in ("worker-a", "worker-b"))
    assert "the store is unavailable" in said and "the store is back after" in said, said[-3000:]
