"""The soak: thousands of articles through the embedded default and through 2 Celery workers, with
faults of every kind injected at random moments, then the invariants counted and the memory of
each process looked at (issue 16, point 5).

    python bench/soak.py [--articles 2000] [--faults 50] [--seed 16] [--modes embedded,celery]
                         [--redis-outage 30] [--short]

``--short`` is the form CI runs (``tests/test_soak.py``): 60 articles and 5 faults per mode, a
5 s Redis outage. The full form (the defaults) injects ``--faults`` faults in each mode.

The articles are synthetic feeds of real pages (``tests/helpers/synthetic.py``: the demo's 23
real articles listed again and again, each copy an item of its own), served by the
sample-sites server and translated by Apertium (a copy reuses the first copy's translations).
The fault moments come from a seeded generator: fault k fires once the run has done a random
share (3 % to 90 %, drawn up front and sorted) of all its stages (4 per article), so faults
spread over every phase of the run whatever the machine's speed; the kind of each is drawn too.

- ``embedded``: ``babelwire run --once`` on SQLite, its data directory on a tmpfs of its own;
  faults: the runner SIGKILLed (whole process group: a machine that dies; a new runner is
  started), frozen (SIGSTOP) for two leases then thawed, an Apertium pipeline process of the
  runner SIGKILLed, the disk filled up for 3 s. A runner that finished while work remains (the
  items a killed runner leased wait for their lease) is started again.
- ``celery``: 2 ``babelwire worker`` processes (one task at a time each) and ``babelwire
  scheduler`` on a Redis and a PostgreSQL of the soak's own; faults: Redis SIGKILLed and started
  again at once, Redis down for ``--redis-outage`` seconds (at least once in a run of 10 faults
  or more), every database connection terminated (``pg_terminate_backend``), PostgreSQL stopped
  (``-m fast``) or crashed (``-m immediate``) and started 3 s later, the second worker SIGKILLed
  and started again, or frozen for two leases, an Apertium pipeline process of a worker killed.
  The last feed is held back (its source paused) until every fault has been injected: two
  workers finish work fast, and a fault that lasts (a worker frozen for 10 s) could otherwise
  outlast the rest of the run, leaving the later faults no run to hit.

Counted afterwards, per mode: every feed item exactly once, no translation twice, none lost (a
finished item has every target language), none half-published (title, body, date, checks), the
store's integrity check, no lease left. RSS is sampled every second for every process that is
never killed (the first worker's processes, the scheduler; in the embedded mode
the runner, which is killed, so each of its lives is its own series); flat memory is judged on
the longest-lived processes by the median RSS of the run's last quarter against that of its
second quarter.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # for tests.services and tests.helpers: the tests' own helpers

from tests.helpers.disk import fill, free, small_disk  # noqa: E402
from tests.helpers.faults import Counts, count, finished, states  # noqa: E402
from tests.helpers.memory import cmdline, python_pids, quarters, rss_kib  # noqa: E402
from tests.helpers.runs import feed_guids, prepare_home  # noqa: E402
from tests.helpers.synthetic import synthetic_sites  # noqa: E402
from tests.services import PostgresServer, RedisServer, ServiceProcess  # noqa: E402

from babelwire.cli.demo import subscribe  # noqa: E402
from babelwire.demo.sites import SampleSitesServer, load_sites  # noqa: E402
from babelwire.sources.feeds import parse_feed  # noqa: E402
from babelwire.store import Store  # noqa: E402

LEASE = 5.0
VISIBILITY = 10.0
DEADLINE_PER_ARTICLE = 6.0      # seconds: a run that takes longer than this per article fails
DISK_MB = 1024
STAGES_PASSED = {"discovered": 0, "fetched": 1, "extracted": 2, "translated": 3}


@dataclass
class Report:
    """One mode's soak: what was injected, what was counted, how memory went."""

    mode: str
    articles: int
    seconds: float = 0.0
    faults: Counter[str] = field(default_factory=Counter)
    log: list[str] = field(default_factory=list)
    counts: Counts | None = None
    rss: dict[str, list[tuple[float, int]]] = field(default_factory=dict)

    def memory(self) -> dict[str, tuple[int, int, float]]:
        """Per sampled process with enough samples: (median KiB of the 2nd quarter, of the last
        quarter, their ratio)."""
        found = {}
        for name, samples in self.rss.items():
            if len(samples) < 20:
                continue
            second, last = quarters(samples)
            found[name] = (int(second), int(last), last / second)
        return found


def apertium_pids(proc: ServiceProcess) -> list[int]:
    """The Apertium pipeline processes below a babelwire process."""
    return sorted(pid for pid in proc.pids() if "apertium" in cmdline(pid)
                  or "lt-proc" in cmdline(pid) or "cg-proc" in cmdline(pid))


class Soak:
    """Injects the faults of one mode at their moments and samples memory until done."""

    def __init__(self, report: Report, store: Store, expected: int, rng: random.Random,
                 faults: int) -> None:
        self.report = report
        self.store = store
        self.expected = expected
        self.rng = rng
        # moments in the first 60 % of the run: a run faster than its faults (a 10 s freeze is a
        # sixth of the short form) must still get all of them before it ends
        shares = sorted(rng.uniform(0.03, 0.6) for _ in range(faults))
        self.moments = [max(1, int(s * expected * 4)) for s in shares]
        self.started = time.monotonic()
        self.watched: dict[str, ServiceProcess] = {}
        self.last_sample = 0.0

    def done(self) -> int:
        """Items finished so far (-1 while the store is away)."""
        try:
            return sum(n for s, n in states(self.store).items()
                       if s in ("published", "held", "failed"))
        except Exception:
            return -1

    def sample(self) -> None:
        """RSS of the watched processes, once a second."""
        now = time.monotonic()
        if now - self.last_sample < 1.0:
            return
        self.last_sample = now
        for name, proc in self.watched.items():
            for pid in python_pids(proc):
                kib = rss_kib(pid)
                if kib is not None:
                    self.report.rss.setdefault(f"{name} pid {pid}", []).append(
                        (now - self.started, kib))

    def note(self, kind: str, detail: str = "") -> None:
        """Record one injected fault."""
        self.report.faults[kind] += 1
        line = (f"{time.monotonic() - self.started:7.1f}s {self.done():5d} done: {kind}"
                f" {detail}".rstrip())
        self.report.log.append(line)
        print(f"  [{self.report.mode}] {line}", flush=True)

    def progress(self) -> int:
        """How far the run is, in stages: each item counts the stages it has passed (4 for a
        finished one), so moments fall in every phase (the embedded runner fetches every page
        before it extracts the first)."""
        try:
            found = states(self.store)
        except Exception:
            return -1
        return sum(STAGES_PASSED.get(state, 4) * n for state, n in found.items())

    def due(self) -> bool:
        """Whether the next fault's moment has come."""
        done = self.progress()
        if self.moments and done >= self.moments[0]:
            self.moments.pop(0)
            return True
        return False

    def wait(self, seconds: float, tick: Callable[[], None] | None = None) -> None:
        """Sleep, sampling memory (and calling ``tick``) meanwhile."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.sample()
            if tick:
                tick()
            time.sleep(0.1)


def _kill_apertium(soak: Soak, proc: ServiceProcess) -> bool:
    pids = apertium_pids(proc)
    if not pids:
        return False
    pid = soak.rng.choice(pids)
    name = (cmdline(pid).split() or [str(pid)])[0]
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    soak.note("apertium killed", f"({Path(name).name})")
    return True


# -- the embedded default ----------------------------------------------------------------------

def embedded(server: SampleSitesServer, tmp: Path, faults: int, rng: random.Random) -> Report:
    """The soak of ``babelwire run --once`` on SQLite."""
    expected = len(feed_guids(server))
    report = Report("embedded", expected)
    with small_disk(tmp / "embedded-disk", DISK_MB) as disk:
        home = disk / "home"
        prepare_home(home, server, learn_names=False, lease_seconds=LEASE, retry_backoff=1,
                     max_attempts=faults + 4)
        store = Store(f"sqlite:///{home / 'babelwire.db'}")
        soak = Soak(report, store, expected, rng, faults)
        env = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")}
        lives = 0

        def start() -> ServiceProcess:
            nonlocal lives
            lives += 1
            proc = ServiceProcess.start(f"runner{lives}", ["--home", str(home), "run", "--once"],
                                        env, tmp / f"runner{lives}.log")
            soak.watched = {f"runner life {lives}": proc}
            return proc

        runner = start()
        deadline = time.monotonic() + DEADLINE_PER_ARTICLE * expected + 120
        try:
            while not finished(store, expected):
                if time.monotonic() > deadline:
                    raise AssertionError(f"embedded soak not done: {states(store)}\n"
                                         f"{runner.tail()}")
                if runner.process.poll() is not None:
                    runner = start()          # finished with items leased by a killed one
                if soak.due():
                    runner = _embedded_fault(soak, runner, disk, start)
                soak.wait(0.2)
        finally:
            runner.stop()
        report.seconds = time.monotonic() - soak.started
        report.counts = count(store, server)
        store.close()
    return report


def _embedded_fault(soak: Soak, runner: ServiceProcess, disk: Path,
                    start: Callable[[], ServiceProcess]) -> ServiceProcess:
    kind = soak.rng.choice(["runner killed", "runner frozen", "apertium killed", "disk full"])
    if kind == "apertium killed" and _kill_apertium(soak, runner):
        return runner
    if kind == "disk full":
        fill(disk)
        soak.note("disk full", "for 3s")
        soak.wait(3.0)
        free(disk)
        return runner
    if kind == "runner frozen":
        runner.freeze()
        soak.note("runner frozen", f"for {2 * LEASE:g}s")
        soak.wait(2 * LEASE)
        runner.freeze(False)
        return runner
    runner.kill()
    soak.note("runner killed")
    return start()


# -- Celery ------------------------------------------------------------------------------------

def celery(server: SampleSitesServer, tmp: Path, faults: int, rng: random.Random,
           outage: float) -> Report:
    """The soak of 2 Celery workers and the scheduler on Redis and PostgreSQL."""
    expected = len(feed_guids(server))
    report = Report("celery", expected)
    postgres = PostgresServer.start()
    redis = RedisServer.start(tmp / "redis")
    procs: dict[str, ServiceProcess] = {}
    try:
        url = postgres.new_database()
        store = Store(url)
        env = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")}
        env.update(BABELWIRE_HOME=str(tmp / "celery-home"), BABELWIRE_DATABASE_URL=url,
                   BABELWIRE_BROKER_URL=redis.url, BABELWIRE_LEASE_SECONDS=str(LEASE),
                   BABELWIRE_VISIBILITY_TIMEOUT=str(VISIBILITY), BABELWIRE_RETRY_BACKOFF="1",
                   BABELWIRE_MAX_ATTEMPTS=str(faults + 4), BABELWIRE_PER_HOST_DELAY="0",
                   BABELWIRE_LEARN_NAMES="false",
                   BABELWIRE_ALLOWED_HOSTS=f"127.0.0.1:{server.port}")
        lives = Counter[str]()

        def start(name: str, args: list[str]) -> ServiceProcess:
            lives[name] += 1
            proc = ServiceProcess.start(name, args, env, tmp / f"{name}-{lives[name]}.log")
            procs[name] = proc
            return proc

        def worker(name: str) -> ServiceProcess:
            return start(name, ["worker", "--concurrency", "1", "--name", f"{name}@%h"])

        for name in ("worker-a", "worker-b"):
            worker(name).wait_for_log("ready.")
        subscribe(store, server)
        held, held_items = _hold_back_last_feed(store, server)
        start("scheduler", ["scheduler", "--tick", "1"])
        soak = Soak(report, store, expected, rng, faults)
        soak.watched = {"worker-a": procs["worker-a"], "scheduler": procs["scheduler"]}
        kinds = ["redis killed", "redis down", "connections terminated", "postgres stopped",
                 "postgres crashed", "worker killed", "worker frozen", "apertium killed"]
        # the long outage at least once (in a run of 10 faults or more), the others at random
        plan = [rng.choice(kinds) for _ in range(faults)]
        if faults >= 10 and "redis down" not in plan:
            plan[rng.randrange(faults)] = "redis down"
        deadline = time.monotonic() + DEADLINE_PER_ARTICLE * expected + 120 + outage * faults
        while not finished(store, expected):
            if time.monotonic() > deadline:
                logs = "\n".join(f"--- {p.name}\n{p.tail()}" for p in procs.values())
                raise AssertionError(f"celery soak not done: {states(store)}\n{logs}")
            if soak.due() and plan:
                _celery_fault(soak, plan.pop(0), procs, redis, postgres, url, outage, worker)
            # released once every fault is in, or once the rest is done (a run too small for
            # its faults' moments: they then fall in the held feed's work)
            if held and (not plan or soak.done() >= expected - held_items):
                for source_id in held:
                    store.set_source_active(source_id, True)
                report.log.append(f"{time.monotonic() - soak.started:7.1f}s held feed released")
                held = []
            soak.wait(0.2)
        report.seconds = time.monotonic() - soak.started
        report.counts = count(store, server)
        alive = {name: p.process.poll() is None for name, p in procs.items()}
        report.log.append(f"alive at the end: {alive}")
        store.close()
    finally:
        for proc in procs.values():
            proc.stop()
        redis.stop()
        postgres.stop()
    return report


def _hold_back_last_feed(store: Store, server: SampleSitesServer) -> tuple[list[int], int]:
    """Pause the newest source if there are several: its id (in a list, empty if none) and
    how many items its feed lists."""
    sources = store.list_sources(items=False)
    if len(sources) < 2:
        return [], 0
    last = sources[-1]
    site = next(s for s in load_sites(server.data) if server.feed_url(s) == last.url)
    body = server.body(f"/{site.slug}/{site.feed}")
    assert body is not None
    store.set_source_active(last.id, False)
    return [last.id], len(parse_feed(body[0], last.url).items)


def _celery_fault(soak: Soak, kind: str, procs: dict[str, ServiceProcess], redis: RedisServer,
                  postgres: PostgresServer, url: str, outage: float,
                  worker: Callable[[str], ServiceProcess]) -> None:
    if kind == "apertium killed" and _kill_apertium(soak, procs[soak.rng.choice(
            ["worker-a", "worker-b"])]):
        return
    if kind in ("redis killed", "redis down"):
        down = outage if kind == "redis down" else 0.5
        redis.crash()
        soak.note(kind, f"for {down:g}s")
        soak.wait(down)
        redis.restart()
    elif kind == "connections terminated":
        cut = postgres.terminate_connections(url)
        soak.note(kind, f"({len(cut)}: {dict(Counter(cut))})")
    elif kind in ("postgres stopped", "postgres crashed"):
        postgres.stop_only("fast" if kind == "postgres stopped" else "immediate")
        soak.note(kind, "for 3s")
        soak.wait(3.0)
        postgres.start_again()
    elif kind == "worker frozen":
        procs["worker-b"].freeze()
        soak.note(kind, f"worker-b for {2 * LEASE:g}s")
        soak.wait(2 * LEASE)
        procs["worker-b"].freeze(False)
    else:                         # "worker killed" (or an Apertium kill with none running)
        procs["worker-b"].kill()
        soak.note("worker killed", "worker-b, started again")
        worker("worker-b")


# -- the whole soak ----------------------------------------------------------------------------

def run_soak(articles: int, faults: int, seed: int, modes: list[str], outage: float,
             tmp: Path) -> list[Report]:
    """Run the soak in each mode (one after the other, each on its own store)."""
    data = synthetic_sites(tmp / "sites", articles, seed)
    reports = []
    with SampleSitesServer(0, data=data) as server:
        for mode in modes:
            rng = random.Random(f"{seed}-{mode}")
            print(f"{mode}: {articles} articles, {faults} faults", flush=True)
            if mode == "embedded":
                reports.append(embedded(server, tmp, faults, rng))
            elif mode == "celery":
                reports.append(celery(server, tmp, faults, rng, outage))
            else:
                raise SystemExit(f"unknown mode {mode!r}")
    return reports


def print_reports(reports: list[Report]) -> None:
    """The figures: faults, invariants, memory."""
    for r in reports:
        c = r.counts
        assert c is not None
        print(f"\n== {r.mode}: {r.articles} articles in {r.seconds:.0f}s "
              f"({60 * r.articles / r.seconds:.0f}/min), {sum(r.faults.values())} faults: "
              f"{dict(r.faults)}")
        print(f"items {c.items} {dict(c.states)}; translations {c.translations} "
              f"({c.published} published); duplicated items {c.duplicate_items}, duplicated "
              f"translations {c.duplicate_translations}, lost {c.lost_translations}, "
              f"half-published {c.half_published}, missing guids {len(c.missing_guids)}, "
              f"leases left {c.leases_left}, integrity {c.integrity}")
        for name, (second, last, ratio) in sorted(r.memory().items()):
            print(f"RSS {name}: {second / 1024:.0f} MiB (2nd quarter median) -> "
                  f"{last / 1024:.0f} MiB (last quarter), x{ratio:.2f}")
        print("problems:", c.problems() or "none")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--faults", type=int, default=50, help="faults per mode")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--modes", default="embedded,celery")
    parser.add_argument("--redis-outage", type=float, default=30.0)
    parser.add_argument("--short", action="store_true",
                        help="the CI form: 60 articles and 5 faults per mode, a 5 s Redis outage")
    args = parser.parse_args(argv)
    if args.short:
        args.articles, args.faults, args.redis_outage = 60, 5, 5.0
    with tempfile.TemporaryDirectory(prefix="babelwire-soak-") as tmp:
        reports = run_soak(args.articles, args.faults, args.seed, args.modes.split(","),
                           args.redis_outage, Path(tmp))
    print_reports(reports)
    if any(r.counts is None or r.counts.problems() for r in reports):
        sys.exit(1)


if __name__ == "__main__":
    main()
