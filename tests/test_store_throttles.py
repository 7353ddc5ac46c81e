"""Login and API throttles kept in the store: the same buckets as in memory, one per client for
every process, on SQLite and PostgreSQL, atomic under concurrent spending; then two real
`babelwire serve` processes on one store enforce one login throttle and one API limit."""

from __future__ import annotations

import math
import os
import random
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from babelwire.publish.middleware import SharedBuckets, TokenBuckets
from babelwire.settings import Settings
from babelwire.store import Store
from tests.services import ServiceProcess, free_port


def test_a_bucket_in_the_store_spends_and_refills_like_one_in_memory(db_store: Store) -> None:
    """200 requests of 3 clients at random moments: the store's answers are the in-memory
    buckets' answers, to the microsecond."""
    rng = random.Random(16)
    now = [1_000_000.0]
    memory = TokenBuckets(rate=2.0, burst=4, clock=lambda: now[0])
    shared = SharedBuckets(db_store, "test", 2.0, 4, clock=lambda: now[0])
    spent = 0
    for _ in range(200):
        now[0] += rng.choice([0.0, 0.01, 0.2, 0.5, 3.0])
        client = rng.choice(["a", "b", "c"])
        if rng.random() < 0.3:
            assert shared.wait(client) == pytest.approx(memory.wait(client), abs=1e-6)
        else:
            expected = memory.take(client)
            assert shared.take(client) == pytest.approx(expected, abs=1e-6)
            spent += expected == 0.0
    assert 40 < spent < 200


def test_a_bucket_that_never_refills_and_the_clean_up(db_store: Store) -> None:
    never = SharedBuckets(db_store, "never", 0.0, 2, clock=lambda: 100.0)
    assert [never.take("x"), never.take("x")] == [0.0, 0.0]
    assert never.take("x") == math.inf and never.wait("x") == math.inf
    assert db_store.take_token("login 1/s 2", "y", 1.0, 2, now=100.0) == 0.0
    assert db_store.prune_throttles(100.5) == 0          # y is full again at 101
    assert db_store.prune_throttles(101.0) == 1          # then forgotten; x never is
    assert db_store.token_wait("login 1/s 2", "y", 1.0, 2, now=101.0) == 0.0
    assert never.wait("x") == math.inf


def test_spending_at_once_from_many_threads_gets_the_burst_exactly(db_url: str) -> None:
    """Two stores (as two processes), four threads each, 10 requests per thread at the same
    moment: exactly ``burst`` requests are let through."""
    stores = [Store(db_url), Store(db_url)]
    allowed: list[int] = []
    start = threading.Barrier(8)

    def spend(store: Store) -> None:
        start.wait()
        allowed.append(sum(store.take_token("api 0.001/s 25", "203.0.113.9", 0.001, 25,
                                            now=time.time()) == 0.0 for _ in range(10)))

    threads = [threading.Thread(target=spend, args=(stores[i % 2],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for store in stores:
        store.close()
    assert sum(allowed) == 25


# -- two `babelwire serve` processes on one store ------------------------------------------------

LOGIN_BURST = 3
API_BURST = 5


@pytest.fixture
def two_sites(settings: Settings, tmp_path: Path) -> Iterator[tuple[list[str], Store]]:
    """Two `babelwire serve` processes on one data directory (one SQLite store): their base
    URLs, and the store."""
    store = Store(settings.db_url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")}
    env.update(BABELWIRE_HOME=str(settings.home), BABELWIRE_LOGIN_BURST=str(LOGIN_BURST),
               BABELWIRE_LOGIN_RATE="0.001", BABELWIRE_API_BURST=str(API_BURST),
               BABELWIRE_API_RATE="0.001")
    ports = [free_port(), free_port()]
    procs = [ServiceProcess.start(f"serve-{n}", ["serve", "--port", str(port)], env,
                                  tmp_path / f"serve-{n}.log") for n, port in enumerate(ports)]
    try:
        for proc, port in zip(procs, ports, strict=True):
            _wait_for_port(port, proc)
        yield [f"http://127.0.0.1:{port}" for port in ports], store
    finally:
        for proc in procs:
            proc.stop()
        store.close()


def _wait_for_port(port: int, proc: ServiceProcess, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        assert proc.process.poll() is None, proc.tail()
        time.sleep(0.1)
    raise AssertionError(f"{proc.name} does not listen on {port}:\n{proc.tail()}")


def test_two_serve_processes_enforce_one_login_throttle(
        two_sites: tuple[list[str], Store]) -> None:
    """Failed sign-ins sent to the two processes in turn: the third is the last refused as
    wrong (login_burst=3), every later one is throttled by both, the right token too. Kept per
    process, the limit would have let six through."""
    sites, store = two_sites
    _, secret = store.create_token("editor")
    statuses = []
    for n in range(8):
        response = httpx.post(f"{sites[n % 2]}/admin/login", data={"token": "bw_" + "x" * 43})
        statuses.append(response.status_code)
    assert statuses == [401] * LOGIN_BURST + [429] * (8 - LOGIN_BURST)
    for site in sites:
        right = httpx.post(f"{site}/admin/login", data={"token": secret})
        assert right.status_code == 429 and int(right.headers["retry-after"]) >= 1


def test_two_serve_processes_enforce_one_api_rate_limit(
        two_sites: tuple[list[str], Store]) -> None:
    sites, _ = two_sites
    statuses = [httpx.get(f"{sites[n % 2]}/api/v1/languages").status_code for n in range(10)]
    assert statuses == [200] * API_BURST + [429] * (10 - API_BURST)
    assert httpx.get(f"{sites[0]}/healthz").status_code == 200     # only the API is limited
