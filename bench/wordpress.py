"""Publishing throughput into a real local WordPress (posts per minute).

    python bench/wordpress.py [--posts 60]

Starts the tests' WordPress (Debian's package on MariaDB and PHP's built-in server with four
workers, tests/services_wordpress.py), fills a store with ``--posts`` published translations and
measures, in the same run:

1. baseline: the same number of bare ``POST /wp/v2/posts`` (title and content only, one after the
   other) — what WordPress itself costs;
2. babelwire's first sync of the backlog (categories and tags made, slug written ahead, post
   made, store updated), as posts per minute and as a ratio to the baseline;
3. a second sync with nothing to do (planning only);
4. a sync after every translation changed (each post updated: a look at the post, then the
   update).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # for tests.services_wordpress and tests.helpers: the same helpers

from tests.helpers.articles import reference_translation  # noqa: E402
from tests.helpers.store import retranslate  # noqa: E402
from tests.helpers.wordpress import add_chips, add_target, sync  # noqa: E402
from tests.services_wordpress import WordPressServer  # noqa: E402

from babelwire.settings import load  # noqa: E402
from babelwire.store import Store  # noqa: E402


def per_minute(count: int, seconds: float) -> float:
    """Posts per minute."""
    return 60.0 * count / seconds if seconds else 0.0


def baseline(server: WordPressServer, n: int) -> float:
    """Seconds for ``n`` bare post creations."""
    body = reference_translation("en-chips", "es").html
    with httpx.Client(auth=(server.user, server.app_password), timeout=60) as client:
        started = time.perf_counter()
        for i in range(n):
            client.post(f"{server.url}/wp-json/wp/v2/posts",
                        json={"title": f"baseline {i}", "content": body, "status": "publish"}
                        ).raise_for_status()
        return time.perf_counter() - started


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=60)
    args = parser.parse_args()
    n = args.posts
    server = WordPressServer.start()
    try:
        with tempfile.TemporaryDirectory() as home:
            settings = load({"per_host_delay": 0.0}, home=Path(home), environ={})
            store = Store(settings.db_url)
            items = add_chips(store, n)
            raw = baseline(server, n)
            server.empty()
            target = add_target(store, server, Path(home))
            started = time.perf_counter()
            first = sync(settings, store, target)
            made = time.perf_counter() - started
            started = time.perf_counter()
            sync(settings, store, target)
            idle = time.perf_counter() - started
            for item in items:
                retranslate(store, item, [reference_translation("en-chips", "es", second=True)])
            started = time.perf_counter()
            updated = sync(settings, store, target)
            update = time.perf_counter() - started
            store.close()
    finally:
        server.stop()
    assert first.done == {"created": n} and updated.done == {"updated": n}
    print(f"local WordPress 6.1 (Debian), {n} posts, one sync process")
    print(f"baseline, bare POST /wp/v2/posts:   {per_minute(n, raw):7.0f} posts/min "
          f"({raw:.1f} s)")
    print(f"babelwire, first sync (create):     {per_minute(n, made):7.0f} posts/min "
          f"({made:.1f} s, {made / raw:.2f} x baseline time)")
    print(f"babelwire, second sync (no change): {idle:7.2f} s for {n} posts, 0 requests made")
    print(f"babelwire, sync after edits:        {per_minute(n, update):7.0f} posts/min "
          f"({update:.1f} s, {update / raw:.2f} x baseline time)")


if __name__ == "__main__":
    main()
