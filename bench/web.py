"""Web serving benchmark: requests per second and latency of the front page and an article page,
with and without the page cache.

    python bench/web.py [--data PATH] [--seconds 10] [--connections 16] [--copies 1] [--httpx]

Data: ``pages/`` under PATH (default ``../shared/data`` next to the repository): the 40 real news
pages are extracted with babelwire's extractor and put through the store's real transitions
(discovered -> fetched -> extracted -> translated -> published) into a temporary SQLite store;
the "translation" is the article itself (an identity engine), since this measures serving, not
translating. The app then runs under uvicorn (one process, as ``babelwire serve`` runs it) in a
subprocess on a free port, and is driven by ``wrk`` if installed (Debian package ``wrk``), else
by an httpx async load loop. Client and server share the machine's cores.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import httpx

from babelwire.exceptions import BabelwireError
from babelwire.extract import extract_article
from babelwire.models import (
    Article,
    Attribution,
    FeedItem,
    FetchResult,
    Translation,
    TranslationStatus,
)
from babelwire.settings import Settings, load
from babelwire.store import Store, new_owner
from babelwire.store.tables import utcnow

ROOT = Path(__file__).resolve().parent.parent
TARGET = "en"


def articles(data: Path, copies: int) -> list[Article]:
    """Articles extracted from the saved pages (each page ``copies`` times, under new URLs)."""
    out = []
    for folder in sorted((data / "pages").iterdir()):
        origin = folder / "origin.json"
        if not origin.exists():
            continue
        url = json.loads(origin.read_text(encoding="utf-8"))["url"]
        try:
            article = extract_article((folder / "source.html").read_bytes(), url)
        except BabelwireError as exc:
            print(f"skipped {folder.name}: {exc}", file=sys.stderr)
            continue
        out += [replace(article, url=f"{url}#copy{n}" if n else url) for n in range(copies)]
    return out


def publish(store: Store, article: Article) -> int:
    """Put one article through the store's transitions with an identity 'translation'."""
    name = article.site_name or "Bench source"
    feed = "https://" + re.sub(r"\W+", "-", name.lower()).strip("-") + ".bench.invalid/feed"
    source, _ = store.add_source(feed, targets=[TARGET], name=name)
    store.upsert_feed_items(source.id, [FeedItem(guid=article.url, url=article.url,
                                                 title=article.title)])
    owner, item_id = new_owner(), store.item_id(source.id, article.url)
    item = store.claim_item(owner, utcnow(), 60, item_id=item_id)
    assert item is not None
    store.save_document(item.id, owner, FetchResult(url=article.url, final_url=article.url,
                                                    status=200, content=article.html.encode()))
    store.save_article(item.id, owner, article)
    notice = "Benchmark: identity translation, not a real one."
    store.save_translations(item.id, owner, [Translation(
        lang=TARGET, engine="identity", title=article.title, html=article.html,
        text=article.text, status=TranslationStatus.PUBLISHED, source_lang=article.lang,
        attribution=Attribution(article.site_name, article.url, article.author,
                                article.published, notice))])
    store.publish_item(item.id, owner)
    return int(item.id)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve(home: Path, port: int, cache: bool) -> None:
    """Run the app under uvicorn (the subprocess side of the benchmark)."""
    import uvicorn

    from babelwire.publish import create_app

    settings = load({"site_url": f"http://127.0.0.1:{port}"}, home=home)
    uvicorn.run(create_app(settings, cache=cache), host="127.0.0.1", port=port,
                log_level="warning", access_log=False)


@dataclass(frozen=True)
class Result:
    """One measurement."""

    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def run_wrk(url: str, seconds: int, connections: int) -> Result:
    """Drive ``url`` with wrk and read its latency distribution."""
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(_find(r"Requests/sec:\s+([\d.]+)", out)[0])
    requests = int(_find(r"(\d+) requests in", out)[0])
    # Errors are reported only when there are some.
    failed = sum(int(n) for n in _find(r"Non-2xx or 3xx responses: (\d+)", out, "0"))
    failed += sum(int(n) for n in _find(r"Socket errors: connect (\d+), read (\d+), "
                                        r"write (\d+), timeout (\d+)", out, "0"))
    return Result(rps, _wrk_ms(out, "50%"), _wrk_ms(out, "99%"), requests, failed)


def _find(pattern: str, text: str, default: str | None = None) -> tuple[str, ...]:
    match = re.search(pattern, text)
    if match:
        return match.groups()
    if default is None:
        raise SystemExit(f"unexpected wrk output, no {pattern!r}:\n{text}")
    return (default,)


def _wrk_ms(out: str, label: str) -> float:
    value, unit = _find(rf"{label}\s+([\d.]+)(us|ms|s)", out)
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_httpx(url: str, seconds: int, connections: int) -> Result:
    """Drive ``url`` with ``connections`` concurrent httpx loops."""
    async def main() -> tuple[list[float], int]:
        latencies: list[float] = []
        errors = 0
        deadline = time.perf_counter() + seconds
        limits = httpx.Limits(max_connections=connections)
        async with httpx.AsyncClient(limits=limits) as client:
            async def loop() -> None:
                nonlocal errors
                while time.perf_counter() < deadline:
                    start = time.perf_counter()
                    response = await client.get(url)
                    latencies.append((time.perf_counter() - start) * 1000)
                    errors += response.status_code != 200
            await asyncio.gather(*(loop() for _ in range(connections)))
        return latencies, errors

    latencies, errors = asyncio.run(main())
    cuts = statistics.quantiles(latencies, n=100)
    return Result(len(latencies) / seconds, cuts[49], cuts[98], len(latencies), errors)


def wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    """Wait until the server answers its health check."""
    for _ in range(200):
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit("server did not start")


def measure(home: Path, cache: bool, paths: dict[str, str], args: argparse.Namespace
            ) -> dict[str, Result]:
    """Start the server (cache on or off), drive each path, stop it."""
    port = free_port()
    command = [sys.executable, __file__, "--serve", str(home), str(port)]
    process = subprocess.Popen([*command, "--no-cache"] if not cache else command)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, process)
        drive = run_wrk if shutil.which("wrk") and not args.httpx else run_httpx
        results = {}
        for name, path in paths.items():
            # Follow the id-only URL to the canonical one (this also warms the cache).
            first = httpx.get(base + path, follow_redirects=True)
            assert first.status_code == 200, path
            results[name] = drive(base + first.url.raw_path.decode(), args.seconds,
                                  args.connections)
        return results
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    """Fill a store, measure, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--copies", type=int, default=1, help="times each page is published")
    parser.add_argument("--httpx", action="store_true", help="use the httpx loop even with wrk")
    parser.add_argument("--serve", nargs=2, metavar=("HOME", "PORT"), help=argparse.SUPPRESS)
    parser.add_argument("--no-cache", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(Path(args.serve[0]), int(args.serve[1]), cache=not args.no_cache)
        return
    with tempfile.TemporaryDirectory(prefix="babelwire-bench-web-") as tmp:
        home = Path(tmp)
        settings: Settings = load(home=home, environ={})
        store = Store(settings.db_url)
        ids = [publish(store, a) for a in articles(args.data, args.copies)]
        store.close()
        paths = {"front page": f"/{TARGET}/", "article page": f"/{TARGET}/a/{ids[len(ids) // 2]}"}
        tool = "wrk" if shutil.which("wrk") and not args.httpx else "httpx loop"
        http = "httptools" if importlib.util.find_spec("httptools") else "h11"
        print(f"{len(ids)} published articles; uvicorn ({http}), one process; {tool}, "
              f"{args.connections} connections, {args.seconds} s per run")
        print(f"{'page':<14} {'cache':<6} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
              f"{'requests':>9} {'errors':>7}")
        for cache in (True, False):
            for name, r in measure(home, cache, paths, args).items():
                print(f"{name:<14} {'on' if cache else 'off':<6} {r.rps:>9.0f} "
                      f"{r.p50_ms:>8.2f} {r.p99_ms:>8.2f} {r.requests:>9} {r.errors:>7}")


if __name__ == "__main__":
    main()
