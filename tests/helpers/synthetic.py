"""Synthetic news sites for the soak: many feeds of many items, every item a real saved page.

The demo's 23 real articles (``babelwire.demo`` data: es, fr and en pages with their provenance
in its ``sites.json``) are served by the sample-sites server as they are; the synthetic feeds
list them again and again, each time at an address of its own (``?n=`` + the item's number,
which the server ignores), under a guid of its own, in the order a seeded generator picks. A
feed holds at most ``PER_FEED`` items (under ``max_items_per_poll``), so 2,000 articles are 40
feeds. The copies are real items for the pipeline: fetched, extracted, deduplicated against the
first copy (whose translations they reuse) and published, each once.
"""

from __future__ import annotations

import json
import random
import shutil
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from babelwire.demo.sites import DATA as DEMO_DATA

PER_FEED = 50


def synthetic_sites(dest: Path, articles: int, seed: int) -> Path:
    """Write a sites directory for ``SampleSitesServer(data=...)`` whose feeds list
    ``articles`` items in all; returns it."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(DEMO_DATA, dest)   # the real pages (and their provenance)
    demo = json.loads((DEMO_DATA / "sites.json").read_text(encoding="utf-8"))
    rng = random.Random(seed)
    feeds = []
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for number, first in enumerate(range(0, articles, PER_FEED)):
        site = demo[number % len(demo)]
        slug = f"soak{number:03d}"
        (dest / slug).mkdir()
        items = []
        for n in range(first, min(articles, first + PER_FEED)):
            page = rng.choice(site["pages"])
            link = f"{{base}}/{site['slug']}/{page['slug']}.html?n={n}"
            date = format_datetime(start + timedelta(minutes=n))
            items.append(f"<item><title>{escape(page['title'])} ({n})</title>"
                         f"<link>{escape(link)}</link>"
                         f'<guid isPermaLink="false">urn:babelwire-soak:{n}</guid>'
                         f"<pubDate>{date}</pubDate></item>")
        (dest / slug / "feed.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>Soak {number}</title><link>{{base}}/{slug}/</link>"
            f"<description>soak</description><language>{site['lang']}</language>\n"
            + "\n".join(items) + "\n</channel></rss>\n", encoding="utf-8")
        feeds.append({"slug": slug, "name": f"Soak {number} ({site['name']})",
                      "lang": site["lang"], "format": "rss", "targets": site["targets"],
                      "feed": "feed.xml", "pages": [{"slug": f"n{n}"} for n in
                                                    range(first, min(articles, first + PER_FEED))]})
    (dest / "sites.json").write_text(json.dumps(feeds, indent=1), encoding="utf-8")
    return dest
