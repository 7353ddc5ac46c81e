"""Scale-out benchmark: articles per minute, embedded default vs N Celery workers, with the
queue overheads measured and the model of docs/scaling.md (``bench/scale_model.py``) beside.

    python bench/scale.py [--sites DIR] [--workers 1,2,4] [--concurrency C] [--pool POOL]
                          [--rounds 1] [--embedded-postgres] [--skip-profile]

Every mode processes the same sources (the demo's sample news sites, played by a local server:
23 real articles in es, fr and en, each translated into the two other languages) with the same
engine (Apertium), from an empty store:

- ``embedded``: ``babelwire run --once`` as a library call: one process, SQLite, the default pool
  of ``workers`` threads; with ``--embedded-postgres``, the same again on PostgreSQL (the store
  costs of the worker modes without the queue's);
- ``N worker(s)``: Redis and PostgreSQL started on free ports, N ``babelwire worker`` processes
  (each with ``--concurrency`` slots of ``--pool``; without them, the command's defaults: one
  process of ``workers`` threads) started and ready before the clock starts; one tick
  enqueues the polls; the clock stops when every item is published, held or failed.

``--rounds R`` runs all the modes R times, interleaved (embedded, 1, 2, 4, embedded, 1, ...), for
a machine whose load changes. For every mode it measures the CPU that other work took on the
machine meanwhile (``/proc/stat`` minus this benchmark's processes, PostgreSQL and Redis), its
own CPU per article by part (``cpu_parts``: the process running the stages, user and system; the
engines; PostgreSQL; Redis; this process in a worker mode), the transactions per article
(SQLite: counted in the process; PostgreSQL: ``pg_stat_database``, the embedded runner's too)
and the workers' tasks per article and time between tasks (their logs). The embedded modes run
in this process with the malloc settings ``babelwire run`` and the workers have
(``run/malloc.py``).

Then, unless ``--skip-profile``, each round measures the model's inputs:

- the broker round trip: a task sent (``send_task``) on the same Redis, delivered to a consumer
  with prefetch 1 and acknowledged, one at a time; its Redis commands, bytes and CPU;
- the stages one at a time, single-threaded, through the tasks' own code (``run_stage``: claim,
  stage, status, release) on SQLite and on PostgreSQL: wall time, CPU of every process (engines
  and database included), CPU of babelwire's own process, store transactions and their time.

and prints the model's prediction beside each measured mode, for the 2 cores and for the cores
other work left free during that mode.
"""

from __future__ import annotations

import argparse
import functools
import math
import os
import re
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # for tests.services: the same service helpers the tests use
sys.path.insert(0, str(REPO / "bench"))

from proc import TICK, cpu_ticks, descendants, stat_fields  # noqa: E402
from scale_model import ArticleCost, Startup, predict, run_seconds  # noqa: E402
from sqlalchemy import event, func, select  # noqa: E402
from tests.services import PostgresServer, RedisServer, ServiceProcess  # noqa: E402

from babelwire.cli.demo import subscribe  # noqa: E402
from babelwire.cli.workers import DEFAULT_POOL, worker_concurrency  # noqa: E402
from babelwire.demo.sites import DATA as DEMO_DATA  # noqa: E402
from babelwire.demo.sites import SampleSitesServer  # noqa: E402
from babelwire.models import ItemState  # noqa: E402
from babelwire.run.celery_app import make_celery  # noqa: E402
from babelwire.run.malloc import fix_mmap_threshold, limit_arenas  # noqa: E402
from babelwire.run.runner import Runner  # noqa: E402
from babelwire.run.stage_table import STAGE_AT  # noqa: E402
from babelwire.run.stages import Services  # noqa: E402
from babelwire.run.tasks import TICK_TASK, poll, run_stage  # noqa: E402
from babelwire.run.worker import WorkerContext  # noqa: E402
from babelwire.settings import Settings, load  # noqa: E402
from babelwire.store import Store  # noqa: E402
from babelwire.store.tables import ItemRow  # noqa: E402
from babelwire.translate.engines.apertium.engine import ApertiumEngine  # noqa: E402
from babelwire.translate.engines.base import Answer, Job  # noqa: E402
from babelwire.translate.router import Router  # noqa: E402

END = {ItemState.PUBLISHED, ItemState.HELD, ItemState.FAILED}
CORES = os.cpu_count() or 1
# how often a worker mode's clock looks for the end: each look is a query whose CPU (this
# process's and PostgreSQL's) counts against the mode (at 0.2 s and four queries a look, ~0.02
# CPU-s an article)
POLL_SECONDS = 0.5


# --- CPU accounting -----------------------------------------------------------------------


def tree_cpu(*roots: int) -> float:
    """CPU seconds of the processes under ``roots``, their reaped children's included."""
    total = 0
    for pid in set().union(*(descendants(r) for r in roots)):
        fields = stat_fields(pid)
        if fields is not None:
            total += cpu_ticks(fields)
    return total / TICK


def _times(pid: int) -> tuple[int, int, int]:
    """A process's own user and system ticks, and its reaped children's (user + system)."""
    fields = stat_fields(pid)
    if fields is None:
        return 0, 0, 0
    return int(fields[11]), int(fields[12]), int(fields[13]) + int(fields[14])


def _is_python(pid: int) -> bool:
    """True if ``pid`` runs this interpreter (a worker or a prefork pool process, not an
    engine)."""
    try:
        return os.readlink(f"/proc/{pid}/exe") == os.path.realpath(sys.executable)
    except OSError:
        return False


def cpu_parts(ours: OurProcesses) -> dict[str, float]:
    """CPU seconds so far of each part: the process running the stages (this one in the
    embedded modes, the workers' processes in the worker modes; user and system apart), this
    process in the worker modes (the sample sites and the clock), the engines (every other
    descendant), PostgreSQL, Redis."""
    parts: dict[str, float] = defaultdict(float)
    runners = {pid for root in ours.workers for pid in descendants(root)
               if _is_python(pid)} or {ours.pids[0]}
    servers = {pid: name for name, pid in zip(("redis", "postgres"), ours.pids[1:3],
                                              strict=False)}
    for pid, name in servers.items():
        for each in descendants(pid):
            parts[name] += sum(_times(each)) / TICK
    for pid in descendants(ours.pids[0]):
        user, system, reaped = _times(pid)
        if pid in runners:
            parts["stages user"] += user / TICK
            parts["stages system"] += system / TICK
            parts["engines"] += reaped / TICK  # engines that ended (and were waited for)
        elif pid == ours.pids[0]:
            parts["bench"] += (user + system) / TICK   # its reaped workers: not during a run
        else:
            parts["engines"] += (user + system + reaped) / TICK
    return parts


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy (all cores, not idle or waiting for I/O)."""
    values = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / TICK


@dataclass
class OurProcesses:
    """The pids whose CPU is ours: this process (and its workers, engines), PostgreSQL, Redis."""

    pids: list[int] = field(default_factory=lambda: [os.getpid()])
    workers: list[int] = field(default_factory=list)  # the worker processes, in a worker mode

    def ours(self) -> float:
        """CPU seconds of our processes."""
        return tree_cpu(*self.pids)


@dataclass(frozen=True)
class Load:
    """A reading of the machine's CPU and of ours."""

    at: float
    busy: float
    ours: float
    parts: dict[str, float] = field(default_factory=dict)

    @classmethod
    def now(cls, ours: OurProcesses) -> Load:
        """Read now."""
        return cls(time.monotonic(), machine_busy(), ours.ours(), cpu_parts(ours))

    def parts_since(self, earlier: Load) -> dict[str, float]:
        """CPU seconds of each part (``cpu_parts``) between ``earlier`` and this reading."""
        return {name: self.parts.get(name, 0.0) - earlier.parts.get(name, 0.0)
                for name in sorted(set(self.parts) | set(earlier.parts))}

    def others_cores(self, later: Load) -> float:
        """Cores other work kept busy between this reading and ``later``."""
        seconds = later.at - self.at
        others = (later.busy - self.busy) - (later.ours - self.ours)
        return max(0.0, others / seconds) if seconds > 0 else 0.0

    def our_cores(self, later: Load) -> float:
        """Cores our processes kept busy between this reading and ``later``."""
        seconds = later.at - self.at
        return (later.ours - self.ours) / seconds if seconds > 0 else 0.0


# --- the modes ------------------------------------------------------------------------------


@dataclass
class Measure:
    """One mode's run: how many articles finished in how many seconds, and what it cost."""

    mode: str
    slots: int
    processes: int
    articles: int
    seconds: float
    others: float = 0.0           # cores other work used meanwhile
    ours: float = 0.0             # cores our processes used
    transactions: float = 0.0     # store transactions per article
    tasks: float = 0.0            # broker tasks per article
    gap: float | None = None      # seconds a worker process spent between two tasks, mean
                                  # (None: tasks overlap in the threads of a process)
    distributed: bool = False
    parts: dict[str, float] = field(default_factory=dict)   # CPU seconds of each part, the run
    server_transactions: float | None = None   # PostgreSQL's count (pg_stat_database), per article

    @property
    def per_minute(self) -> float:
        """Articles per minute."""
        return 60 * self.articles / self.seconds


def finished(store: Store) -> int:
    """Items in an end state: one query (a worker mode's clock asks every ``POLL_SECONDS``,
    on the mode's CPU; ``store.summary()`` was four)."""
    with store.connection() as conn:
        return int(conn.scalar(select(func.count()).select_from(ItemRow)
                               .where(ItemRow.state.in_([str(state) for state in END]))) or 0)


@contextmanager
def counted_transactions(store: Store) -> Iterator[Counter[str]]:
    """Count the store's commits and rollbacks (every thread) within the block."""
    counts: Counter[str] = Counter()

    def commit(*_: Any) -> None:
        counts["commit"] += 1

    def rollback(*_: Any) -> None:
        counts["rollback"] += 1

    event.listen(store.engine, "commit", commit)
    event.listen(store.engine, "rollback", rollback)
    try:
        yield counts
    finally:
        event.remove(store.engine, "commit", commit)
        event.remove(store.engine, "rollback", rollback)


def embedded(settings: Settings, server: SampleSitesServer, ours: OurProcesses,
             postgres: PostgresServer | None = None) -> Measure:
    """The embedded default on SQLite (on PostgreSQL when ``settings`` name a database on
    ``postgres``, whose server transactions are then counted too)."""
    store = Store(settings.db_url)
    subscribe(store, server)
    runner = Runner(settings, store)
    server_xacts = None
    try:
        with counted_transactions(store) as counts:
            if postgres is not None:
                server_xacts = pg_transactions(postgres, settings.db_url)
            before = Load.now(ours)
            runner.run(once=True)
            after = Load.now(ours)
    finally:
        runner.close()
    done = finished(store)
    store.close()
    if postgres is not None and server_xacts is not None:
        time.sleep(1.0)  # the backends' statistics reach pg_stat_database as they exit
        server_xacts = pg_transactions(postgres, settings.db_url) - server_xacts
    kind = "PostgreSQL" if settings.database_url else "SQLite"
    return Measure(f"embedded ({settings.workers} threads, {kind})", settings.workers, 1, done,
                   after.at - before.at, before.others_cores(after), before.our_cores(after),
                   counts["commit"] / max(1, done), parts=after.parts_since(before),
                   server_transactions=None if server_xacts is None
                   else server_xacts / max(1, done))


def pg_transactions(postgres: PostgresServer, url: str) -> int:
    """Transactions the server counted on ``url``'s database so far."""
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=postgres.port, user="postgres",
                         dbname="postgres", autocommit=True) as conn:
        row = conn.execute("SELECT xact_commit + xact_rollback FROM pg_stat_database "
                           "WHERE datname = %s", (url.rsplit("/", 1)[1],)).fetchone()
    return int(row[0]) if row else 0


TASK_LINE = re.compile(r"^\[(\S+ \S+): INFO/(\S+)\] Task babelwire\.(\w+)\[[^]]+\] "
                       r"(succeeded in ([0-9.e-]+)s|retry)")


@dataclass
class TaskLog:
    """What the workers' logs say: tasks run (by name), retries, time between tasks."""

    tasks: Counter[str] = field(default_factory=Counter)
    retries: int = 0
    busy: float = 0.0
    gaps: list[float] = field(default_factory=list)


def read_task_logs(paths: list[Path]) -> TaskLog:
    """Parse Celery's INFO lines: each pool process's tasks, their run times and the gaps
    between the end of one and the start of the next."""
    log = TaskLog()
    for path in paths:
        ends: dict[str, float] = {}
        for line in path.read_text(errors="replace").splitlines():
            m = TASK_LINE.match(line)
            if not m:
                continue
            if m[4] == "retry":
                log.retries += 1
                continue
            end = datetime.strptime(m[1], "%Y-%m-%d %H:%M:%S,%f").timestamp()
            runtime = float(m[5])
            log.tasks[m[3]] += 1
            log.busy += runtime
            if m[2] in ends:
                log.gaps.append(max(0.0, end - runtime - ends[m[2]]))
            ends[m[2]] = end
    return log


def redis_pid(redis: RedisServer) -> int:
    """The redis-server's pid."""
    return int((redis.directory / "redis.pid").read_text().strip())


def postgres_pid(postgres: PostgresServer) -> int:
    """The postmaster's pid (its backends are its children)."""
    return int((postgres.directory / "data" / "postmaster.pid").read_text().split()[0])


def worker_args(concurrency: int | None, pool: str | None) -> list[str]:
    """The ``babelwire worker`` options of a mode; None leaves the command's default."""
    return (["--concurrency", str(concurrency)] if concurrency is not None else []) \
        + (["--pool", pool] if pool is not None else [])


def distributed(settings: Settings, server: SampleSitesServer, workers: int,
                concurrency: int | None, pool: str | None, redis: RedisServer,
                postgres: PostgresServer, tmp: Path, ours: OurProcesses) -> Measure:
    """N worker processes on Redis and PostgreSQL (``concurrency`` and ``pool`` None: the
    worker command's defaults)."""
    redis.flush()
    url = postgres.new_database()
    Store(url).close()
    settings = settings.replace(database_url=url, broker_url=redis.url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")}
    env.update(BABELWIRE_HOME=str(settings.home), BABELWIRE_DATABASE_URL=url,
               BABELWIRE_BROKER_URL=redis.url, BABELWIRE_PER_HOST_DELAY="0",
               BABELWIRE_ALLOWED_HOSTS=",".join(settings.allowed_hosts))
    logs = [tmp / f"worker{workers}-{i}-{time.monotonic_ns()}.log" for i in range(workers)]
    procs = [ServiceProcess.start(f"w{i}", ["worker", *worker_args(concurrency, pool),
                                            "--name", f"bench{i}@%h"], env, logs[i])
             for i in range(workers)]
    default = concurrency is None and pool is None
    pool = pool or DEFAULT_POOL
    each = worker_concurrency(settings, pool, concurrency) or CORES
    store = Store(url)
    ours.workers = [proc.process.pid for proc in procs]
    try:
        for proc in procs:
            proc.wait_for_log("ready.")
        subscribe(store, server)
        expected = server.articles
        app = make_celery(settings)
        with counted_transactions(store) as own:
            xacts = pg_transactions(postgres, url)
            before = Load.now(ours)
            app.send_task(TICK_TASK)
            while finished(store) < expected:
                time.sleep(POLL_SECONDS)
            after = Load.now(ours)
            done = finished(store)
        for proc in procs:
            proc.stop()
        time.sleep(1.0)  # the backends' statistics reach pg_stat_database as they exit
        xacts = pg_transactions(postgres, url) - xacts - own["commit"] - own["rollback"]
        tasks = read_task_logs(logs)
        slots = workers * each
        # a threads worker's tasks all log as its MainProcess: no per-slot gaps to take
        gap = statistics.mean(tasks.gaps) if tasks.gaps and pool != "threads" else None
        name = f"{workers} worker(s) x {each} {pool}{' (default)' if default else ''}"
        return Measure(f"{name}, PostgreSQL", slots, slots if pool == "prefork" else workers,
                       done, after.at - before.at, before.others_cores(after),
                       before.our_cores(after), xacts / done,
                       (sum(tasks.tasks.values()) + tasks.retries) / done, gap,
                       distributed=True, parts=after.parts_since(before),
                       server_transactions=xacts / done)
    finally:
        ours.workers = []
        for proc in procs:
            proc.stop()
        store.close()
        postgres.drop_database(url)


# --- the model's inputs ---------------------------------------------------------------------


@dataclass(frozen=True)
class RoundTrip:
    """One task through the broker: enqueue, delivery to a consumer, acknowledgement."""

    seconds: float        # median wall time
    client_cpu: float     # CPU of the sending and consuming process, per task
    broker_cpu: float     # CPU of redis-server, per task
    commands: float       # Redis commands, per task
    size: int             # bytes of the message as Redis holds it


def broker_round_trip(settings: Settings, redis: RedisServer, n: int = 300) -> RoundTrip:
    """Send ``n`` tasks one at a time with Celery's own ``send_task`` and take each with a
    consumer of prefetch 1 that acknowledges it, as a worker does (``acks_late``)."""
    import redis as redis_client
    from kombu import Consumer, Exchange, Queue  # type: ignore[attr-defined]

    redis.flush()
    app = make_celery(settings)
    name = "bench-round-trip"
    queue = Queue(name, Exchange(name, type="direct"), routing_key=name)  # type: ignore[no-untyped-call]
    client = redis_client.Redis(host="127.0.0.1", port=redis.port)
    got: list[Any] = []
    times: list[float] = []
    with app.connection_for_write() as conn:
        consumer = Consumer(conn.default_channel, [queue], callbacks=[  # type: ignore[no-untyped-call]
            lambda body, message: got.append(message)], accept=["json"])
        consumer.qos(prefetch_count=1)  # type: ignore[no-untyped-call]
        consumer.consume()  # type: ignore[no-untyped-call]
        app.send_task("babelwire.bench", args=(0,), queue=queue)  # a first one, to size it
        size = max(len(m) for m in client.lrange(name, 0, -1))
        conn.drain_events(timeout=10)
        got.pop().ack()
        commands = _redis_commands(client)
        cpu, server_cpu = time.process_time(), tree_cpu(redis_pid(redis))
        for i in range(n):
            started = time.perf_counter()
            app.send_task("babelwire.bench", args=(i,), queue=queue)
            while not got:
                conn.drain_events(timeout=10)
            got.pop().ack()
            times.append(time.perf_counter() - started)
        cpu, server_cpu = time.process_time() - cpu, tree_cpu(redis_pid(redis)) - server_cpu
        commands = _redis_commands(client) - commands
        consumer.cancel()  # type: ignore[no-untyped-call]
    client.close()
    return RoundTrip(statistics.median(times), cpu / n, server_cpu / n, commands / n, size)


def _redis_commands(client: Any) -> int:
    stats = client.info("commandstats")
    return sum(int(v["calls"]) for k, v in stats.items() if k != "cmdstat_info")


@dataclass
class StageCosts:
    """Per-article costs of each stage, one article at a time (``run_stage`` as a task runs it)."""

    store: str
    wall: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    cpu: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    python: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    engine: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    store_seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    transactions: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def total(self, what: dict[str, list[float]] | dict[str, list[int]]) -> float:
        """Sum over the stages of the mean per article."""
        return sum(statistics.mean(v) for v in what.values())

    def article(self) -> ArticleCost:
        """The model's cost of one article (of a pass whose engines had started)."""
        return ArticleCost(self.total(self.wall), self.total(self.cpu), self.total(self.python),
                           self.total(self.engine))

    def startup(self, warm: StageCosts) -> Startup:
        """What this pass, from cold, cost more than ``warm``, the same articles again with the
        engines and dictionaries started: a process's start-up."""
        def extra(cold: dict[str, list[float]], hot: dict[str, list[float]]) -> float:
            return max(0.0, sum(sum(v) for v in cold.values()) - sum(sum(v) for v in hot.values()))
        return Startup(extra(self.wall, warm.wall), extra(self.cpu, warm.cpu))


def timed_store(store: Store) -> list[float]:
    """Make every public method of ``store`` add its time to the returned one-item list (the
    outermost call only: a method calling another is timed once)."""
    spent = [0.0]
    depth = threading.local()

    def wrap(method: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            level = getattr(depth, "level", 0)
            depth.level = level + 1
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                depth.level = level
                if level == 0:
                    spent[0] += time.perf_counter() - started
        return timed

    for name in dir(type(store)):
        attribute = getattr(type(store), name)
        if name.startswith("_") or name in ("session", "connection", "close") \
                or not callable(attribute) or isinstance(attribute, type):
            continue
        setattr(store, name, wrap(getattr(store, name)))
    return spent


def timed_engine() -> list[float]:
    """Make every call of the Apertium engine add its time to the returned one-item list
    (undone by restoring ``ApertiumEngine.run.__wrapped__``)."""
    spent = [0.0]
    original = ApertiumEngine.run

    @functools.wraps(original)
    def run(self: ApertiumEngine, job: Job) -> Answer:
        started = time.perf_counter()
        try:
            return original(self, job)
        finally:
            spent[0] += time.perf_counter() - started

    ApertiumEngine.run = run  # type: ignore[method-assign]
    return spent


def profile(settings: Settings, server: SampleSitesServer, label: str,
            extra_pids: list[int], router: Router | None = None) -> tuple[StageCosts, Router]:
    """Each stage of each article, one after the other, single-threaded, from an empty store;
    with ``router``, on engines already started. Returns the costs and the router (started)."""
    store = Store(settings.db_url)
    subscribe(store, server)
    spent = timed_store(store)
    in_engine = timed_engine()
    services = Services(settings, store=store, _router=router)
    ctx = WorkerContext(settings, store, services)
    costs = StageCosts(label)
    roots = [os.getpid(), *extra_pids]
    try:
        ids = [i for source in store.list_sources() for i in poll(ctx, source.id)]
        with counted_transactions(store) as counts:
            for item_id in ids:
                state: ItemState | None = ItemState.DISCOVERED
                while state in STAGE_AT:
                    stage = STAGE_AT[state]
                    cpu, python, wall = tree_cpu(*roots), time.process_time(), time.perf_counter()
                    in_store, commits = spent[0], counts["commit"] + counts["rollback"]
                    engine = in_engine[0]
                    state = run_stage(ctx, stage, item_id).state
                    costs.wall[stage.queue].append(time.perf_counter() - wall)
                    costs.cpu[stage.queue].append(tree_cpu(*roots) - cpu)
                    costs.python[stage.queue].append(time.process_time() - python)
                    costs.engine[stage.queue].append(in_engine[0] - engine)
                    costs.store_seconds[stage.queue].append(spent[0] - in_store)
                    costs.transactions[stage.queue].append(
                        counts["commit"] + counts["rollback"] - commits)
    finally:
        ApertiumEngine.run = ApertiumEngine.run.__wrapped__  # type: ignore[method-assign,attr-defined]
        if services.fetcher is not None:
            services.fetcher.close()
        store.close()
    return costs, services.router


# --- a round, the report --------------------------------------------------------------------


@dataclass
class Round:
    """One round: every mode measured, and the model's inputs measured after them."""

    measures: list[Measure]
    cold: StageCosts | None = None       # SQLite, the engines starting
    sqlite: StageCosts | None = None     # SQLite, the same articles again, engines started
    postgres: StageCosts | None = None   # PostgreSQL, engines started
    broker: RoundTrip | None = None

    def cost(self, m: Measure) -> tuple[ArticleCost, Startup] | None:
        """The model's cost of an article in mode ``m``, and of a process's start-up."""
        if self.cold is None or self.sqlite is None or self.postgres is None \
                or self.broker is None:
            return None
        startup = self.cold.startup(self.sqlite)
        if not m.distributed:
            return self.sqlite.article(), startup
        b = self.broker
        return (self.postgres.article().with_tasks(m.tasks, b.seconds, b.client_cpu,
                                                   b.broker_cpu), startup)

    def cpu_per_article(self, m: Measure) -> float | None:
        """The model's CPU seconds per article for mode ``m``'s run: the articles' own, and
        each process's start-up shared among them."""
        found = self.cost(m)
        if found is None:
            return None
        cost, startup = found
        return cost.cpu + m.processes * startup.cpu / m.articles

    def model(self, m: Measure, cores: float) -> tuple[float, str] | None:
        """The model's articles per minute for mode ``m``'s run on ``cores`` cores, and the
        term that limits it."""
        found = self.cost(m)
        if found is None:
            return None
        cost, startup = found
        cores = max(0.1, cores)
        seconds = run_seconds(cost, startup, m.articles, slots=m.slots, processes=m.processes,
                              cores=cores)
        on_cpu = (m.articles * cost.cpu + m.processes * startup.cpu) / cores
        limit = "cores" if on_cpu >= seconds else \
            predict(cost, slots=m.slots, processes=m.processes, cores=math.inf).limit
        return 60 * m.articles / seconds, limit


def worker_mode(spec: str, concurrency: int | None,
                pool: str | None) -> tuple[int, int | None, str | None]:
    """``N`` (N workers of ``concurrency`` slots of ``pool``: by default, the worker command's
    defaults), ``NxC`` (C prefork processes each) or ``NxCt`` (C threads each): workers, slots
    per worker, pool (None: the command's default)."""
    m = re.fullmatch(r"(\d+)(?:x(\d+)(t?))?", spec.strip())
    if not m:
        raise SystemExit(f"--workers: {spec!r} is not N, NxC or NxCt")
    if m[2] is None:
        return int(m[1]), concurrency, pool
    return int(m[1]), int(m[2]), "threads" if m[3] else "prefork"


def run_round(args: argparse.Namespace, settings: Settings, server: SampleSitesServer,
              redis: RedisServer, postgres: PostgresServer, tmp: Path, number: int,
              ours: OurProcesses) -> Round:
    """Every mode once, then (unless skipped) the profile and the broker round trip."""
    home = tmp / f"round{number}"
    measures = [embedded(settings.replace(home=home / "embedded"), server, ours)]
    print(f"round {number}: {measures[-1]}", file=sys.stderr)
    if args.embedded_postgres:
        url = postgres.new_database()
        try:
            measures.append(embedded(settings.replace(home=home / "embedded-pg",
                                                      database_url=url), server, ours, postgres))
        finally:
            postgres.drop_database(url)
        print(f"round {number}: {measures[-1]}", file=sys.stderr)
    for spec in args.workers.split(","):
        n, concurrency, pool = worker_mode(spec, args.concurrency, args.pool)
        measures.append(distributed(settings.replace(home=home / f"w{spec}"), server, n,
                                    concurrency, pool, redis, postgres, home, ours))
        print(f"round {number}: {measures[-1]}", file=sys.stderr)
    result = Round(measures)
    if not args.skip_profile:
        result.broker = broker_round_trip(settings.replace(broker_url=redis.url), redis)
        result.cold, router = profile(settings.replace(home=home / "profile-cold"), server,
                                      "SQLite, from cold", [])
        url = postgres.new_database()
        try:
            result.sqlite, _ = profile(settings.replace(home=home / "profile-sqlite"), server,
                                       "SQLite, engines started", [], router)
            result.postgres, _ = profile(settings.replace(home=home / "profile-pg",
                                                          database_url=url),
                                         server, "PostgreSQL, engines started",
                                         [postgres_pid(postgres)], router)
        finally:
            router.close()
            postgres.drop_database(url)
    return result


def report_round(number: int, r: Round) -> None:
    """Print one round's figures, the model's prediction beside each mode."""
    base = r.measures[0].per_minute
    print(f"\nround {number}")
    print(f"{'mode':<46} {'art':>4} {'s':>6} {'art/min':>7} {'ratio':>5} {'others':>6} "
          f"{'ours':>5} {'cpu/art':>7} {'tx/art':>6} {'tasks':>5} {'gap ms':>6} "
          f"{'model@2':>7} {'model@free':>10} {'model cpu/art':>13}")
    for m in r.measures:
        line = (f"{m.mode:<46} {m.articles:>4} {m.seconds:>6.1f} {m.per_minute:>7.1f} "
                f"{m.per_minute / base:>5.2f} {m.others:>6.2f} {m.ours:>5.2f} "
                f"{m.ours * m.seconds / m.articles:>7.2f} {m.transactions:>6.1f} "
                f"{m.tasks:>5.2f} {'-' if m.gap is None else f'{1000 * m.gap:.1f}':>6}")
        quiet, free = r.model(m, CORES), r.model(m, CORES - m.others)
        cpu = r.cpu_per_article(m)
        if quiet is not None and free is not None and cpu is not None:
            line += f" {quiet[0]:>7.1f} {free[0]:>6.1f} {free[1][:5]:<5} {cpu:>13.2f}"
        print(line)
    print("CPU-s per article of each part (stages: the process running them):")
    for m in r.measures:
        server = "" if m.server_transactions is None else \
            f"; PostgreSQL server transactions {m.server_transactions:.1f}"
        print(f"  {m.mode:<46} " + ", ".join(f"{name} {value / m.articles:.3f}"
                                             for name, value in m.parts.items()) + server)
    if r.broker:
        b = r.broker
        print(f"broker round trip (send_task, deliver to prefetch 1, ack): median "
              f"{1000 * b.seconds:.2f} ms; {b.commands:.1f} Redis commands, CPU "
              f"{1000 * b.client_cpu:.2f} ms client + {1000 * b.broker_cpu:.2f} ms redis-server "
              f"per task; a task message is {b.size} bytes")
    for costs in (r.cold, r.sqlite, r.postgres):
        if costs is None:
            continue
        print(f"per-article cost of each stage on {costs.store} (one at a time; cpu = every "
              f"process, python = babelwire's; seconds):")
        for name, values in costs.wall.items():
            tx = costs.transactions[name]
            print(f"  {name:<10} wall mean {statistics.mean(values):.3f} median "
                  f"{statistics.median(values):.3f} max {max(values):.3f}  cpu "
                  f"{statistics.mean(costs.cpu[name]):.3f}  python "
                  f"{statistics.mean(costs.python[name]):.3f}  engine "
                  f"{statistics.mean(costs.engine[name]):.3f}  store "
                  f"{statistics.mean(costs.store_seconds[name]):.3f} in "
                  f"{statistics.mean(tx):.1f} transactions (n={len(values)})")
        tx_total = costs.total(costs.transactions)
        print(f"  {'total':<10} wall {costs.total(costs.wall):.3f}  cpu "
              f"{costs.total(costs.cpu):.3f}  python {costs.total(costs.python):.3f}  "
              f"engine {costs.total(costs.engine):.3f}  "
              f"store {costs.total(costs.store_seconds):.3f} in {tx_total:.1f} transactions "
              f"({1000 * costs.total(costs.store_seconds) / tx_total:.2f} ms each)")


def report_startup(r: Round) -> None:
    """A process's start-up: the cold pass minus the warm one."""
    if r.cold is not None and r.sqlite is not None:
        startup = r.cold.startup(r.sqlite)
        print(f"start-up of a process (engines, dictionaries: the cold pass minus the warm one): "
              f"wall {startup.wall:.2f} s, cpu {startup.cpu:.2f} s")


def report_summary(rounds: list[Round]) -> None:
    """Ranges over the rounds, per mode."""
    if len(rounds) < 2:
        return
    print("\nover the rounds (min–max):")
    for i, first in enumerate(rounds[0].measures):
        ms = [r.measures[i] for r in rounds]
        rate = [m.per_minute for m in ms]
        ratio = [m.per_minute / r.measures[0].per_minute for m, r in zip(ms, rounds, strict=True)]
        models = [p[0] for m, r in zip(ms, rounds, strict=True)
                  if (p := r.model(m, CORES - m.others)) is not None]
        line = (f"  {first.mode:<46} {min(rate):6.1f}–{max(rate):<6.1f} art/min, ratio "
                f"{min(ratio):.2f}–{max(ratio):.2f}, others {min(m.others for m in ms):.2f}–"
                f"{max(m.others for m in ms):.2f} cores")
        if models:
            line += f", model (free cores) {min(models):.1f}–{max(models):.1f}"
        print(line)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=Path, default=DEMO_DATA,
                        help="sample sites in the demo's layout (default: the bundled demo)")
    parser.add_argument("--workers", default="1,2,4",
                        help="worker modes: N workers (of --concurrency slots of --pool), "
                             "NxC (C prefork processes each), NxCt (C threads each)")
    parser.add_argument("--concurrency", type=int, default=None,
                        help="slots per worker of an N mode (default: the worker command's)")
    parser.add_argument("--pool", default=None, choices=["prefork", "threads"],
                        help="the Celery pool of an N mode (default: the worker command's, "
                             f"{DEFAULT_POOL})")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of all modes, interleaved")
    parser.add_argument("--embedded-postgres", action="store_true",
                        help="also run the embedded default on PostgreSQL (after SQLite)")
    parser.add_argument("--skip-profile", action="store_true",
                        help="no profile, no broker round trip, no model")
    args = parser.parse_args(argv)
    # the embedded modes run here: with the malloc settings of `babelwire run` (and of the
    # workers, which are `babelwire worker` processes), as the command line sets them
    limit_arenas()
    fix_mmap_threshold()
    # stopped (SIGTERM): still stop the workers, PostgreSQL and Redis on the way out
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    with tempfile.TemporaryDirectory(prefix="babelwire-bench-") as tmp_dir, \
            SampleSitesServer(data=args.sites) as server:
        tmp = Path(tmp_dir)
        settings = load({"per_host_delay": 0.0, "allowed_hosts": f"127.0.0.1:{server.port}"},
                        home=tmp / "embedded", environ={})
        redis, postgres = RedisServer.start(tmp / "redis"), PostgresServer.start()
        ours = OurProcesses([os.getpid(), redis_pid(redis), postgres_pid(postgres)])
        rounds = []
        try:
            for number in range(1, args.rounds + 1):
                rounds.append(run_round(args, settings, server, redis, postgres, tmp, number,
                                        ours))
                report_round(number, rounds[-1])
                report_startup(rounds[-1])
                sys.stdout.flush()
        finally:
            postgres.stop()
            redis.stop()
        report_summary(rounds)
        print(f"\n{CORES} cores; load average at the end: "
              f"{Path('/proc/loadavg').read_text().split()[:3]}")


if __name__ == "__main__":
    main()
