"""Crash safety: `babelwire run --once` killed with SIGKILL at random moments, restarted each time.

The real command runs in a subprocess against real sample sites (the bundled sample-sites server
on a small copy of its data: three sites, RSS, Atom and JSON Feed, four articles, eight
translations by real Apertium). The kill moments are drawn from a seeded generator
(``BABELWIRE_CRASH_SEED`` picks another seed) and logged. In the end the store must hold every
article exactly once, every translation complete, published translations identical to those of an
uninterrupted run, no lease left behind, and pass SQLite's integrity check.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from sqlalchemy import text

from babelwire.cli.demo import subscribe
from babelwire.demo.sites import SampleSitesServer, load_sites
from babelwire.sources.feeds import parse_feed
from babelwire.store import Store
from tests.helpers import DATA

SITES = DATA / "reliability" / "sites"
KILLS = 20
LEASE_SECONDS = 2.0
RUN_TIMEOUT = 240.0
END_STATES = {"published", "held", "failed"}


# -- helpers shared with test_reliability_concurrency.py -------------------------------------------

@pytest.fixture
def sites(tmp_path: Path) -> Iterator[SampleSitesServer]:
    """The sample-sites server playing a private copy of the reliability sites."""
    data = tmp_path / "sites"
    shutil.copytree(SITES, data)
    with SampleSitesServer(0, data=data) as server:
        yield server


def prepare_home(home: Path, server: SampleSitesServer, **settings: Any) -> None:
    """A data directory allowed to reach the sample server, following its sites."""
    home.mkdir(parents=True, exist_ok=True)
    values = {"allowed_hosts": [f"127.0.0.1:{server.port}"], "per_host_delay": 0, **settings}
    (home / "babelwire.toml").write_text(
        "".join(f"{k} = {json.dumps(v)}\n" for k, v in values.items()), encoding="utf-8")
    store = Store(db_url(home))
    try:
        subscribe(store, server)
    finally:
        store.close()


def db_url(home: Path) -> str:
    """The SQLite URL of a data directory's store."""
    return f"sqlite:///{home / 'babelwire.db'}"


def start_run(home: Path) -> subprocess.Popen[str]:
    """`babelwire --home HOME run --once` as a child process."""
    return subprocess.Popen([sys.executable, "-m", "babelwire", "--home", str(home), "run",
                             "--once"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=dict(os.environ))


def run_once(home: Path) -> subprocess.CompletedProcess[str]:
    """Run `babelwire run --once` to the end and check it succeeded."""
    proc = subprocess.run([sys.executable, "-m", "babelwire", "--home", str(home), "run",
                           "--once"], capture_output=True, text=True, timeout=RUN_TIMEOUT,
                          env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr
    return proc


def feed_guids(server: SampleSitesServer) -> set[str]:
    """Every guid the sample sites' feeds list, read with babelwire's own feed parser."""
    guids = set()
    for site in load_sites(server.data):
        body = server.body(f"/{site.slug}/{site.feed}")
        assert body is not None
        guids |= {item.guid for item in parse_feed(body[0], server.feed_url(site)).items}
    return guids


def rows(home: Path, sql: str) -> list[tuple[Any, ...]]:
    """The rows of a query on a data directory's store (opened without migrating)."""
    store = Store(db_url(home), migrate_schema=False)
    try:
        with store.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        store.close()


def published(home: Path) -> dict[tuple[str, str], tuple[Any, ...]]:
    """(guid, lang) -> (status, engine, title, html, text) of every translation."""
    found = rows(home, "SELECT i.guid, t.lang, t.status, t.engine, t.title, t.html, t.text "
                       "FROM translations t JOIN items i ON i.id = t.item_id")
    return {(r[0], r[1]): r[2:] for r in found}


# -- processes ------------------------------------------------------------------------------------

def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (Apertium pipelines are started in their own sessions, so a
    process group would miss them)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    """The processes of ``pids`` still running (zombies count as gone)."""
    running = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            running.add(pid)
    return running


def wait_gone(pids: set[int], timeout: float) -> set[int]:
    """Wait until the processes are gone; returns (and kills) those that outlived ``timeout``."""
    deadline = time.monotonic() + timeout
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = alive(pids)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left


# -- the test -------------------------------------------------------------------------------------

MOMENTS = (("start", 0.2, 3.0), ("first request", 0.2, 2.0), ("first claim", 0.6, 4.0))


def kill_at_random(home: Path, server: SampleSitesServer, rng: random.Random,
                   log: list[str]) -> dict[str, int]:
    """Start and SIGKILL the runner ``KILLS`` times at random moments; returns counts.

    Each kill waits a random time after one of three marks (``MOMENTS``: name, share of kills,
    longest wait): the start of the process (imports, opening the store), its first request
    (polling), or its first claim of an item (fetching, extracting, translating, publishing).
    Start-up alone takes seconds on a busy machine: timed from the start only, most kills
    would land before any work.
    """
    counts = {"kills": 0, "completed": 0, "mid_item": 0, "orphans": 0}
    while counts["kills"] < KILLS:
        # with no work left a run never claims: then only the other two marks make sense
        marks = MOMENTS if _work_left(home) else MOMENTS[:2]
        mark, _, longest = rng.choices(marks, weights=[m[1] for m in marks])[0]
        delay = rng.uniform(0.0, longest)
        seen = len(server.requests)
        proc = start_run(home)
        while proc.poll() is None and not _reached(mark, proc.pid, home, server, seen):
            time.sleep(0.02)
        try:
            proc.wait(timeout=delay)
            _, errors = proc.communicate()
            counts["completed"] += 1
            log.append(f"run finished before the kill ({delay:.2f}s after its {mark})")
            assert proc.returncode == 0, errors
            continue
        except subprocess.TimeoutExpired:
            below = descendants(proc.pid)
            proc.kill()
            proc.communicate()
        counts["kills"] += 1
        counts["orphans"] += len(wait_gone(below, timeout=10.0))
        held = [r[0] for r in rows(home, f"SELECT state FROM items "
                                         f"WHERE lease_owner LIKE '{proc.pid}-%'")]
        counts["mid_item"] += bool(held)
        states = dict(rows(home, "SELECT state, count(*) FROM items GROUP BY state"))
        log.append(f"kill {counts['kills']:2d} {delay:.2f}s after its {mark}: working on items "
                   f"in {held or 'no item'}; store {states}")
    return counts


def _work_left(home: Path) -> bool:
    states = {r[0] for r in rows(home, "SELECT DISTINCT state FROM items")}
    return not states or not states <= END_STATES


def _reached(mark: str, pid: int, home: Path, server: SampleSitesServer, seen: int) -> bool:
    if mark == "start":
        return True
    if mark == "first request":
        return len(server.requests) > seen
    # lease owners are "PID-random": this process holds an item
    with sqlite3.connect(home / "babelwire.db", timeout=30) as conn:
        return conn.execute("SELECT 1 FROM items WHERE lease_owner LIKE ?",
                            (f"{pid}-%",)).fetchone() is not None


def finish(home: Path) -> None:
    """Clean runs, after the last lease expired, until no item has work left."""
    for _ in range(4):
        time.sleep(LEASE_SECONDS + 0.2)
        run_once(home)
        states = {r[0] for r in rows(home, "SELECT DISTINCT state FROM items")}
        if states <= END_STATES:
            return
    pytest.fail(f"items still not finished after clean runs: {states}")


def test_sigkill_at_random_moments_loses_and_duplicates_nothing(
        tmp_path: Path, sites: SampleSitesServer) -> None:
    seed = int(os.environ.get("BABELWIRE_CRASH_SEED", "20261127"))
    log = [f"seed {seed} (set BABELWIRE_CRASH_SEED to replay another)"]
    reference, crashed = tmp_path / "reference", tmp_path / "crashed"
    # without names learnt from earlier articles: they make the wording depend on the order
    # articles are done in, which the kills change
    prepare_home(reference, sites, learn_names=False)
    # Every kill mid-item abandons a lease, which counts as an attempt (a page that crashes the
    # runner must not be tried for ever; tests/test_store_store.py): enough attempts for all.
    prepare_home(crashed, sites, lease_seconds=LEASE_SECONDS, max_attempts=KILLS + 1,
                 learn_names=False)
    uninterrupted = start_run(reference)  # alongside: it has a store of its own

    counts = kill_at_random(crashed, sites, random.Random(seed), log)
    finish(crashed)
    _, errors = uninterrupted.communicate(timeout=RUN_TIMEOUT)
    assert uninterrupted.returncode == 0, errors
    print("\n".join(log), f"\n{counts}")  # shown by pytest -s, and on failure

    assert counts["kills"] == KILLS
    assert counts["mid_item"] >= 3, "too few kills landed while an item was worked"
    assert counts["orphans"] == 0, "engine processes outlived the killed runner"
    guids = feed_guids(sites)
    assert sorted(r[0] for r in rows(crashed, "SELECT guid FROM items")) == sorted(guids)
    assert_store_whole(crashed)
    expected = published(reference)
    statuses = [v[0] for v in expected.values()]
    assert statuses.count("published") > len(statuses) / 2 and set(statuses) <= {"published",
                                                                                   "held"}
    assert published(crashed) == expected
    assert rows(crashed, "SELECT max(attempts) FROM items")[0][0] >= 1  # the kills were counted


def assert_store_whole(home: Path) -> None:
    """Integrity, no lease left, every item finished, every translation complete."""
    assert rows(home, "PRAGMA integrity_check") == [("ok",)]
    assert rows(home, "PRAGMA foreign_key_check") == []
    assert rows(home, "SELECT count(*) FROM items WHERE lease_owner IS NOT NULL "
                      "OR lease_until IS NOT NULL") == [(0,)]
    assert rows(home, "SELECT count(*) FROM sources WHERE poll_lease_until IS NOT NULL") == [(0,)]
    assert rows(home, "SELECT source_id, guid FROM items GROUP BY source_id, guid "
                      "HAVING count(*) > 1") == []
    assert rows(home, "SELECT item_id, lang FROM translations GROUP BY item_id, lang "
                      "HAVING count(*) > 1") == []
    for state, html_len in rows(home, "SELECT i.state, length(a.html) FROM items i "
                                      "LEFT JOIN articles a ON a.item_id = i.id"):
        assert state in END_STATES and (state != "published" or html_len)
    for status, title, html, checks, published_at in rows(
            home, "SELECT status, title, html, checks, published_at FROM translations"):
        assert all({"name", "ok", "detail"} <= set(c) for c in json.loads(checks))
        if status == "published":
            assert title.strip() and html.strip() and published_at is not None
            assert lxml.html.fragment_fromstring(html, create_parent="div").text_content().strip()
