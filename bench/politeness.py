"""Cost of the per-host delay kept in the store (``store/politeness.py``), per request.

    python bench/politeness.py [--requests 2000] [--no-postgres]

Each request to a host reserves the host's next slot in the store, one round trip to the
database, so that every process fetching from that store keeps the same delay. This times
``StoreHostSlots.reserve`` on SQLite (a file store in WAL mode, the embedded default) and on
PostgreSQL (a throw-away cluster, as the tests start it), against the baseline of one page
fetched from a local server through babelwire's ``Fetcher`` without any delay, in the same
process: the ratio is what the shared delay adds to a fetch that costs nothing on the network.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # for tests.services: the same service helpers the tests use

from tests.services import PostgresServer  # noqa: E402

from babelwire.demo.sites import SampleSitesServer, load_sites  # noqa: E402
from babelwire.run.shared_state import StoreHostSlots  # noqa: E402
from babelwire.settings import Settings  # noqa: E402
from babelwire.sources.fetch import Fetcher  # noqa: E402
from babelwire.store import Store  # noqa: E402


def per_call_ms(call: Callable[[int], object], count: int) -> float:
    """Milliseconds per call of ``call(i)`` over ``count`` calls (after 20 to warm up)."""
    for i in range(20):
        call(i)
    started = time.perf_counter()
    for i in range(count):
        call(i)
    return 1000 * (time.perf_counter() - started) / count


def reservations_ms(url: str, count: int) -> float:
    """Per reservation on the store at ``url``, cycling over 50 hosts."""
    store = Store(url)
    try:
        slots = StoreHostSlots(store)
        return per_call_ms(lambda i: slots.reserve(f"host{i % 50}.example", 0.001,
                                                   time.time()), count)
    finally:
        store.close()


def fetch_ms(home: Path, count: int) -> float:
    """Per page fetched from the demo's local sample sites, no delay, no robots.txt."""
    with SampleSitesServer() as sites:
        settings = Settings(home=home, per_host_delay=0.0, respect_robots=False,
                            allowed_hosts=(f"127.0.0.1:{sites.port}",))
        site = load_sites(sites.data)[0]
        with Fetcher(settings) as fetcher:
            return per_call_ms(lambda i: fetcher.get(sites.feed_url(site)), count)


def main() -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        baseline = fetch_ms(home, max(50, args.requests // 10))
        rows = [("local fetch, no delay (baseline)", baseline),
                ("reserve on SQLite (WAL file)",
                 reservations_ms(f"sqlite:///{home / 'slots.db'}", args.requests))]
        if not args.no_postgres:
            postgres = PostgresServer.start()
            try:
                rows.append(("reserve on PostgreSQL", reservations_ms(
                    postgres.new_database(), args.requests)))
            finally:
                postgres.stop()
    print(f"{'measurement':36} {'ms/request':>10} {'ratio':>7}")
    for name, ms in rows:
        print(f"{name:36} {ms:10.3f} {ms / baseline:7.2f}")


if __name__ == "__main__":
    main()
