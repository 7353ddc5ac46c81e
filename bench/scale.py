"""Scale-out benchmark: articles per minute, embedded default vs 1 and 2 Celery workers.

    python bench/scale.py [--sites DIR] [--workers 1,2] [--concurrency 1] [--skip-profile]

Every mode processes the same sources (the demo's sample news sites, played by a local server:
23 real articles in es, fr and en, each translated into the two other languages) with the same
engine (Apertium), from an empty store:

- ``embedded``: ``babelwire run --once`` as a library call: one process, SQLite, the default pool
  of ``workers`` threads;
- ``N worker(s)``: Redis and PostgreSQL started on free ports, N ``babelwire worker`` processes
  (each ``--concurrency`` pool processes) started and ready before the clock starts; one tick
  enqueues the polls; the clock stops when every item is published, held or failed.

Then a single-threaded profile times each stage function per article (the measured per-article
costs docs/scaling.md sizes machines from). Figures print as a table, with ratios to embedded.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # for tests.services: the same service helpers the tests use

from tests.services import PostgresServer, RedisServer, ServiceProcess  # noqa: E402

from babelwire.cli.demo import subscribe  # noqa: E402
from babelwire.demo.sites import DATA as DEMO_DATA  # noqa: E402
from babelwire.demo.sites import SampleSitesServer  # noqa: E402
from babelwire.models import ItemState  # noqa: E402
from babelwire.run.celery_app import make_celery  # noqa: E402
from babelwire.run.runner import Runner  # noqa: E402
from babelwire.run.stage_table import STAGE_AT  # noqa: E402
from babelwire.run.stages import Services  # noqa: E402
from babelwire.run.tasks import TICK_TASK, poll, run_stage  # noqa: E402
from babelwire.run.worker import WorkerContext  # noqa: E402
from babelwire.settings import Settings, load  # noqa: E402
from babelwire.store import Store  # noqa: E402

END = {ItemState.PUBLISHED, ItemState.HELD, ItemState.FAILED}


@dataclass(frozen=True)
class Measure:
    """One mode's run: how many articles finished in how many seconds."""

    mode: str
    articles: int
    seconds: float

    @property
    def per_minute(self) -> float:
        """Articles per minute."""
        return 60 * self.articles / self.seconds


def finished(store: Store) -> int:
    """Items in an end state."""
    items = store.summary()["items"]
    return sum(n for state, n in items.items() if state in END)


def embedded(settings: Settings, server: SampleSitesServer) -> Measure:
    """The embedded default on SQLite."""
    store = Store(settings.db_url)
    subscribe(store, server)
    runner = Runner(settings, store)
    started = time.monotonic()
    try:
        runner.run(once=True)
    finally:
        runner.close()
    seconds = time.monotonic() - started
    done = finished(store)
    store.close()
    return Measure(f"embedded ({settings.workers} threads, SQLite)", done, seconds)


def distributed(settings: Settings, server: SampleSitesServer, workers: int, concurrency: int,
                redis: RedisServer, postgres: PostgresServer, tmp: Path) -> Measure:
    """N worker processes on Redis and PostgreSQL."""
    redis.flush()
    url = postgres.new_database()
    Store(url).close()
    settings = settings.replace(database_url=url, broker_url=redis.url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")}
    env.update(BABELWIRE_HOME=str(settings.home), BABELWIRE_DATABASE_URL=url,
               BABELWIRE_BROKER_URL=redis.url, BABELWIRE_PER_HOST_DELAY="0",
               BABELWIRE_ALLOWED_HOSTS=",".join(settings.allowed_hosts))
    procs = [ServiceProcess.start(f"w{i}", ["worker", "--concurrency", str(concurrency),
                                            "--name", f"bench{i}@%h"],
                                  env, tmp / f"worker{workers}-{i}.log") for i in range(workers)]
    store = Store(url)
    try:
        for proc in procs:
            proc.wait_for_log("ready.")
        subscribe(store, server)
        expected = server.articles
        app = make_celery(settings)
        started = time.monotonic()
        app.send_task(TICK_TASK)
        while finished(store) < expected:
            time.sleep(0.2)
        seconds = time.monotonic() - started
        return Measure(f"{workers} worker(s) x {concurrency} process(es), PostgreSQL",
                       finished(store), seconds)
    finally:
        for proc in procs:
            proc.stop()
        store.close()
        postgres.drop_database(url)


def profile(settings: Settings, server: SampleSitesServer) -> dict[str, list[float]]:
    """Seconds per article for each stage, one stage after the other, single-threaded."""
    store = Store(settings.db_url)
    subscribe(store, server)
    services = Services(settings)
    ctx = WorkerContext(settings, store, services)
    times: dict[str, list[float]] = defaultdict(list)
    try:
        ids = [i for source in store.list_sources() for i in poll(ctx, source.id)]
        for item_id in ids:
            state: ItemState | None = ItemState.DISCOVERED
            while state in STAGE_AT:
                stage = STAGE_AT[state]
                started = time.monotonic()
                state = run_stage(ctx, stage, item_id).state
                times[stage.queue].append(time.monotonic() - started)
    finally:
        services.close()
        store.close()
    return times


def report(measures: list[Measure], stages: dict[str, list[float]]) -> None:
    """Print the figures."""
    base = measures[0].per_minute
    print(f"{'mode':<48} {'articles':>8} {'seconds':>8} {'art/min':>8} {'ratio':>6}")
    for m in measures:
        print(f"{m.mode:<48} {m.articles:>8} {m.seconds:>8.1f} {m.per_minute:>8.1f} "
              f"{m.per_minute / base:>6.2f}")
    if stages:
        print("\nper-article cost of each stage (one at a time, seconds):")
        for name, values in stages.items():
            print(f"  {name:<10} mean {statistics.mean(values):.3f}  median "
                  f"{statistics.median(values):.3f}  max {max(values):.3f}  (n={len(values)})")
        total = sum(statistics.mean(v) for v in stages.values())
        print(f"  {'total':<10} mean {total:.3f} s per article (2 target languages)")


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=Path, default=DEMO_DATA,
                        help="sample sites in the demo's layout (default: the bundled demo)")
    parser.add_argument("--workers", default="1,2", help="worker counts to measure")
    parser.add_argument("--concurrency", type=int, default=1, help="pool processes per worker")
    parser.add_argument("--skip-profile", action="store_true", help="no per-stage profile")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="babelwire-bench-") as tmp_dir, \
            SampleSitesServer(data=args.sites) as server:
        tmp = Path(tmp_dir)
        settings = load({"per_host_delay": 0.0, "allowed_hosts": f"127.0.0.1:{server.port}"},
                        home=tmp / "embedded", environ={})
        measures = [embedded(settings, server)]
        print(f"done: {measures[-1]}", file=sys.stderr)
        redis, postgres = RedisServer.start(tmp / "redis"), PostgresServer.start()
        try:
            for n in (int(x) for x in args.workers.split(",")):
                measures.append(distributed(settings.replace(home=tmp / f"w{n}"), server, n,
                                            args.concurrency, redis, postgres, tmp))
                print(f"done: {measures[-1]}", file=sys.stderr)
        finally:
            postgres.stop()
            redis.stop()
        stages = {} if args.skip_profile else profile(
            settings.replace(home=tmp / "profile"), server)
        report(measures, stages)


if __name__ == "__main__":
    main()
