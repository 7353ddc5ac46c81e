"""The SQLite default when its disk fails mid-run: full, read-only, or the process killed while
SQLite checkpoints its write-ahead log.

The data directory is on a small tmpfs of its own (``tests/helpers/disk.py``). A real
``babelwire run --once`` works the reliability sites (3 feeds, 4 articles, 8 translations);
once it has fetched a page, the disk is filled up (or its ext4 turned read-only). The run must say
what is wrong, commit nothing half-written, count no attempt against the items, and go on by
itself once the space is freed (a read-only ext4 needs a check and a new mount first: a new run
then finishes): every feed item once, every
translation once and complete, SQLite's integrity check passing, no lease left.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from babelwire.demo.sites import SampleSitesServer
from tests.helpers.disk import ext4_disk, fill, free, free_bytes, small_disk
from tests.helpers.runs import (
    RUN_TIMEOUT,
    assert_store_whole,
    feed_guids,
    prepare_home,
    rows,
    run_once,
)

DISK_MB = 48
HOLD = 4.0        # seconds the fault lasts after the run has reported it


def _start(home: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "babelwire", "--home", str(home), "run",
                                 "--once"], stdout=out, stderr=subprocess.STDOUT,
                                env=dict(os.environ))


def _wait_log(log: Path, text: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in log.read_text(errors="replace"):
            return
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    raise AssertionError(f"the run did not log {text!r} (exit {proc.poll()}):\n"
                         f"{log.read_text(errors='replace')[-4000:]}")


def _run_with_fault(tmp_path: Path, server: SampleSitesServer, inject: Callable[[Path], None],
                    undo: Callable[[Path], None], said: str) -> str:
    """Run the sites with the fault injected after the first page is fetched, lifted once the
    run has said ``said`` and HOLD seconds passed; returns the run's output."""
    with small_disk(tmp_path / "disk", DISK_MB) as disk:
        home = disk / "home"
        prepare_home(home, server, learn_names=False, lease_seconds=5)
        log = tmp_path / "run.log"
        proc = _start(home, log)
        try:
            _wait_log(log, "↓ fetched", proc, 120)
            inject(disk)
            _wait_log(log, said, proc, 120)
            time.sleep(HOLD)
            assert proc.poll() is None, log.read_text(errors="replace")  # waiting, not dead
            undo(disk)
            proc.wait(timeout=RUN_TIMEOUT)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        output = log.read_text(errors="replace")
        assert proc.returncode == 0, output[-4000:]
        assert "the store is back after" in output, output[-4000:]
        _check(home, server)
    return output


def _check(home: Path, server: SampleSitesServer, max_attempts: int = 0) -> None:
    assert sorted(r[0] for r in rows(home, "SELECT guid FROM items")) == sorted(feed_guids(server))
    assert_store_whole(home)
    states = dict(rows(home, "SELECT state, count(*) FROM items GROUP BY state"))
    assert set(states) <= {"published", "held"}, states
    # an outage of the store is not the items' fault: no attempt counted against them (but a
    # lease a stopped run could not give back counts as abandoned once)
    assert rows(home, f"SELECT count(*) FROM items WHERE attempts > {max_attempts}") == [(0,)]
    assert rows(home, "SELECT count(*) FROM translations") == [(8,)]


def test_a_full_disk_pauses_the_run_which_resumes_once_space_is_freed(
        tmp_path: Path, reliability_sites: SampleSitesServer) -> None:
    left: list[int] = []

    def inject(disk: Path) -> None:
        fill(disk)
        left.append(free_bytes(disk))

    output = _run_with_fault(tmp_path, reliability_sites, inject, free, "disk full")
    assert left == [0]
    assert "DiskFull" in output or "disk full" in output
    print(output[-1500:])


def test_a_data_directory_turned_read_only_stops_nothing_corrupts_nothing(
        tmp_path: Path, reliability_sites: SampleSitesServer) -> None:
    """The data directory's ext4 meets an error and goes read-only under the running process
    (``tests/helpers/disk.py`` says why a plain remount cannot be used). The run names the
    problem and waits; stopped (SIGTERM), the file system checked and mounted again, a new run
    finishes the work."""
    with ext4_disk(tmp_path, 64) as disk:
        home = disk.path / "home"
        prepare_home(home, reliability_sites, learn_names=False, lease_seconds=3)
        os.sync()   # the subscriptions on disk: what the run writes after is what is at stake
        log = tmp_path / "run.log"
        proc = _start(home, log)
        try:
            _wait_log(log, "↓ fetched", proc, 120)
            disk.break_it()
            _wait_log(log, "is on a read-only file system", proc, 120)
            time.sleep(HOLD)
            assert proc.poll() is None, log.read_text(errors="replace")  # waiting, not dead
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        output = log.read_text(errors="replace")
        fsck = disk.repair()
        time.sleep(3.5)                     # the leases the read-only store could not give back
        # WAL with synchronous=NORMAL syncs at checkpoints only: the journal aborted by the error
        # may have lost the last transactions, which a new run redoes (they are idempotent)
        kept = rows(home, "SELECT state, count(*) FROM items GROUP BY state")
        again = run_once(home)
        _check(home, reliability_sites, max_attempts=1)
    assert "Traceback" not in output, output[-4000:]
    print(output[-1500:], fsck, f"after the repair: {kept}", again.stderr[-600:], sep="\n")


CHECKPOINTER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA wal_autocheckpoint=0")
db.execute("PRAGMA synchronous=NORMAL")
db.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, round INTEGER, body BLOB)")
for n in range(int(sys.argv[2]), 1_000_000_000):
    db.execute("BEGIN")
    db.executemany("INSERT INTO t (round, body) VALUES (?, randomblob(4000))", [(n,)] * 500)
    db.execute("COMMIT")
    print("checkpoint", n, flush=True)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print("done", n, flush=True)
"""


def test_sigkill_during_wal_checkpoints_corrupts_nothing(tmp_path: Path) -> None:
    """A process writing 2 MB transactions and checkpointing after each is SIGKILLed at a
    random moment inside a checkpoint, 12 times: the database opens, passes its integrity
    check and holds every transaction whose commit returned, each whole (500 rows)."""
    db = tmp_path / "store.db"
    rng = random.Random(int(os.environ.get("BABELWIRE_CRASH_SEED", "20261205")))
    committed, in_checkpoint = -1, 0  # the last round whose commit returned
    for kill in range(12):
        proc = subprocess.Popen([sys.executable, "-c", CHECKPOINTER, str(db), str(kill * 1000)],
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        for _ in range(rng.randint(1, 3)):   # let a few rounds through, then kill in one
            line = proc.stdout.readline().split()
            assert line[0] == "checkpoint", line
            committed = max(committed, int(line[1]))
            if proc.stdout.readline().split()[0] != "done":
                break
        line = proc.stdout.readline().split()
        committed = max(committed, int(line[1]))
        time.sleep(rng.uniform(0, 0.01))      # the checkpoint copies 2 MB: tens of ms
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        after = proc.stdout.read().split()   # "done N" here: the checkpoint ended before
        proc.stdout.close()
        in_checkpoint += "done" not in after
        committed = max([committed] + [int(after[i + 1]) for i, w in enumerate(after)
                                       if w == "checkpoint"])
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            counts = dict(conn.execute("SELECT round, count(*) FROM t GROUP BY round"))
            assert set(counts.values()) == {500}, counts
            assert committed in counts   # the last commit that returned is there
    assert in_checkpoint >= 6
    assert committed >= 11_000
    print(f"{in_checkpoint} kills inside a checkpoint")
