"""Growth benchmark: how the site's cost grows with the store, at 1,000, 10,000 and 100,000
articles (each size measured on the same store, grown in place).

    python bench/growth.py [--sizes 1000,10000,100000] [--db URL] [--seconds 5]
                           [--connections 8] [--data PATH] [--httpx] [--home DIR]
                           [--pages "search,api deep (offset)"]

For each size, the store is filled by ``scripts/fill_store.py`` (real news text, varied sources,
languages and dates, stored published and rendered as the pipeline leaves them); then the app
runs under uvicorn in a subprocess (one process, or ``--workers N`` as ``babelwire serve
--workers``; page cache off: the honest figure) and every page type is driven by ``wrk``
(else an httpx async loop) with ``--connections`` connections:
the front page, an article, a source page, a search, each feed, the API list's first page, a
deep page by cursor (``before``) and, as the baseline for it, the same depth by ``offset`` (or
the deepest the API allows, ``MAX_OFFSET``), and the pages that show counts (the chooser, the
sources index, the API's languages and sources), the sitemap's index and one of its parts.
``--pages``: only these (names as printed).
Printed per size: req/s, p50 and p99 latency of each, and the server's CPU time per request
(from ``/proc``: what a page costs whatever else the machine runs, and the req/s one core would
give); the store's size on disk per article; and the time of ``babelwire run --once`` when
nothing is new (every source paused, so the run does only its own bookkeeping over the store).
The last column is each page's CPU per request at the size against the first size, in the same
run: flat means the cost does not grow with N.

``--postgres``: a throw-away PostgreSQL cluster (``tests/services.py``, as ``bench/scale.py``
uses) instead of a fresh SQLite file; ``--db URL``: an empty PostgreSQL database of your own. The
store's size is then the database's (``pg_database_size``). ``--home DIR``: a SQLite store home
of your own, kept afterwards and filled only up to each size (to measure one store again, or
before and after a change: the server runs the babelwire of ``PYTHONPATH``).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))

import fill_store  # noqa: E402
import web  # noqa: E402
from proc import TICK, cpu_ticks, descendants, stat_fields  # noqa: E402

from babelwire.publish.present import cursor_of  # noqa: E402
from babelwire.publish.views.api import MAX_OFFSET  # noqa: E402
from babelwire.settings import load  # noqa: E402
from babelwire.store import Store  # noqa: E402

LANG = "en"
SEARCH = "government"


def serve(home: Path, port: int, db: str, workers: int = 1) -> None:
    """Run the app under uvicorn, page cache off (the subprocess side), in ``workers``
    processes (as ``babelwire serve --workers``)."""
    import uvicorn

    from babelwire.publish import create_app
    from babelwire.publish.app import hand_down

    overrides: dict[str, object] = {"site_url": f"http://127.0.0.1:{port}"}
    if db:
        overrides["database_url"] = db
    # The API's rate limit stays on (its bucket is a store write per request, part of the
    # cost) but high enough for one client to drive the API flat out.
    overrides.update(page_cache_ttl=0, api_rate=1e7, api_burst=10**7)
    settings = load(overrides, home=home)
    if workers > 1:
        hand_down(settings)
        uvicorn.run("babelwire.publish.app:handed_down_app", factory=True, host="127.0.0.1",
                    port=port, workers=workers, log_level="warning", access_log=False)
        return
    app = create_app(settings, cache=False)
    uvicorn.run(app, host="127.0.0.1", port=port,
                log_level="warning", access_log=False)


def paths(store: Store) -> dict[str, str]:
    """The page of each type to drive, chosen in the middle of the store."""
    count = store.count_published(LANG)
    middle = store.published_articles(LANG, limit=1, offset=count // 2)[0]
    deep = count * 9 // 10
    cursor = cursor_of(store.published_articles(LANG, limit=1, offset=deep - 1, brief=True)[0])
    parts = store.sitemap_parts()
    return {
        "front": f"/{LANG}/",
        "article": f"/{LANG}/a/{middle.item_id}",
        "source": f"/{LANG}/sources/{middle.source_id}",
        "search": f"/{LANG}/search?q={SEARCH}",
        "rss": f"/{LANG}/feed.xml",
        "atom": f"/{LANG}/atom.xml",
        "json feed": f"/{LANG}/feed.json",
        "api first": f"/api/v1/articles?lang={LANG}",
        "api deep (cursor)": f"/api/v1/articles?lang={LANG}&before={cursor}",
        "api deep (offset)": f"/api/v1/articles?lang={LANG}&offset={min(deep, MAX_OFFSET)}",
        "chooser": "/",
        "sources index": f"/{LANG}/sources/",
        "api languages": "/api/v1/languages",
        "api sources": "/api/v1/sources",
        "sitemap index": "/sitemap.xml",
        "sitemap part": f"/sitemaps/{parts[len(parts) // 2]}.xml",   # a full one
    }


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process ``pid`` and its descendants (the processes of a
    multi-process server) have used so far (Linux ``/proc``)."""
    total = 0
    for current in descendants(pid):
        fields = stat_fields(current)
        if fields is not None:
            total += cpu_ticks(fields, reaped=False)
    return total / TICK


def measure(home: Path, db: str, pages: dict[str, str], args: argparse.Namespace
            ) -> dict[str, tuple[web.Result, float]]:
    """Start the server, drive each page, stop it."""
    port = web.free_port()
    command = [sys.executable, __file__, "--serve", str(home), str(port), "--db", db,
               "--workers", str(args.workers)]
    process = subprocess.Popen(command)
    base = f"http://127.0.0.1:{port}"
    try:
        web.wait_ready(base, process)
        use_wrk = shutil.which("wrk") is not None and not args.httpx
        results = {}
        for name, path in pages.items():
            first = httpx.get(base + path, follow_redirects=True, timeout=60)
            assert first.status_code == 200, (path, first.status_code)
            url = str(first.url)
            before = cpu_seconds(process.pid)
            result = (web.run_wrk(url, args.seconds, args.connections) if use_wrk
                      else web.run_httpx(url, args.seconds, args.connections))
            cpu_ms = (cpu_seconds(process.pid) - before) * 1000 / max(1, result.requests)
            results[name] = (result, cpu_ms)
        return results
    finally:
        process.terminate()
        process.wait(timeout=10)


def store_bytes(home: Path, store: Store, db: str) -> int:
    """The store's size on disk."""
    if db:
        with store.connection() as conn:
            from sqlalchemy import text  # only for this figure: the bench reads the database

            return int(conn.execute(text("SELECT pg_database_size(current_database())"))
                       .scalar_one())
    return sum(p.stat().st_size for p in home.glob("babelwire.db*"))


def idle_run(home: Path, db: str) -> float:
    """Seconds of ``babelwire run --once`` when nothing is new."""
    env = {**os.environ, "BABELWIRE_HOME": str(home),
           "PYTHONPATH": os.environ.get("PYTHONPATH", str(ROOT / "src"))}
    if db:
        env["BABELWIRE_DATABASE_URL"] = db
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "babelwire", "run", "--once"], env=env, check=True,
                   capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    """Grow a store, measure at each size, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--db", default="", help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--postgres", action="store_true",
                        help="start a throw-away PostgreSQL cluster and measure on it")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--httpx", action="store_true", help="use the httpx loop even with wrk")
    parser.add_argument("--workers", type=int, default=1,
                        help="server processes (babelwire serve --workers)")
    parser.add_argument("--home", type=Path, help="a store home to use and keep (SQLite)")
    parser.add_argument("--pages", default="", help="only these pages (comma-separated)")
    parser.add_argument("--serve", nargs=2, metavar=("HOME", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(Path(args.serve[0]), int(args.serve[1]), args.db, args.workers)
        return
    server = None
    if args.postgres:
        sys.path.insert(0, str(ROOT))
        from tests.services import PostgresServer

        server = PostgresServer.start()
        args.db = server.new_database()
    try:
        grow(args)
    finally:
        if server is not None:
            server.stop()


def grow(args: argparse.Namespace) -> None:
    """Fill and measure at each size."""
    sizes = [int(s) for s in args.sizes.split(",")]
    corpus = fill_store.load_corpus(args.data)
    tool = "wrk" if shutil.which("wrk") and not args.httpx else "httpx loop"
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    procs = "one process" if args.workers == 1 else f"{args.workers} processes"
    print(f"{'PostgreSQL' if args.db else 'SQLite'}; uvicorn ({http}), {procs}, page cache "
          f"off; {tool}, {args.connections} connections, {args.seconds} s per page")
    first_cpu: dict[str, float] = {}
    with (nullcontext(str(args.home)) if args.home
          else tempfile.TemporaryDirectory(prefix="babelwire-bench-growth-")) as tmp:
        home = Path(tmp)
        settings = load({"database_url": args.db} if args.db else {}, home=home)
        store = Store(settings.db_url)
        # every filled article has two translations
        have = sum(store.count_published(lang) for lang in fill_store.LANGS) // 2
        for size in sizes:
            took = fill_store.fill(store, size - have, corpus, sources=60,
                                   seed=size, progress=False) if size > have else 0.0
            have = size
            for source in store.list_sources():   # nothing new for run --once
                store.set_source_active(source.id, False)
            pages = {name: path for name, path in paths(store).items()
                     if not args.pages or name in args.pages.split(",")}
            on_disk = store_bytes(home, store, args.db)
            idle = idle_run(home, args.db)
            results = measure(home, args.db, pages, args)
            print(f"\n{size:,} articles (filled in {took:.0f} s); store {on_disk / 2**20:.1f} MiB, "
                  f"{on_disk / size / 1024:.1f} KiB an article; idle run --once {idle:.2f} s")
            print(f"{'page':<18} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
                  f"{'CPU ms/req':>10} {'req/s/core':>10} {'vs first size':>13}")
            for name, (r, cpu_ms) in results.items():
                first_cpu.setdefault(name, cpu_ms)
                print(f"{name:<18} {r.rps:>8.0f} {r.p50_ms:>8.2f} {r.p99_ms:>8.2f} "
                      f"{r.errors:>7} {cpu_ms:>10.2f} {1000 / cpu_ms:>10.0f} "
                      f"{cpu_ms / first_cpu[name]:>12.2f}×", flush=True)
        store.close()


if __name__ == "__main__":
    main()
