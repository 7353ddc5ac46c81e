"""Memory of a long embedded run: `babelwire run` (not ``--once``) follows feeds that keep growing,
RSS of every babelwire process is sampled, and the run is judged flat or not (issue 16 point 5,
issue 13 point 4).

    python bench/rss.py [DATA] [--minutes 40] [--feeds 10] [--every 20] [--batch 10]
                        [--prefill N] [--articles N]

Why not the soak's measure: ``run --once`` fetches every page, then extracts every page, then
translates (``Store.claim_item`` hands out earlier stages first), so its second quarter and its
last quarter are different work, and a rise between them cannot tell a leak from a phase. Here
new items arrive all the time (``--batch`` items every ``--every`` seconds, spread over
``--feeds`` feeds polled every ``POLL`` seconds), so every phase repeats all through the run.

The articles are real news text: each is a real page of the demo's sample sites (its template,
furniture and all) whose article is replaced by sentences of ``DATA/mt/newstest2013`` in the
page's language: first the 52 newstest documents as they are, then articles of 8 to 16
sentences drawn at random (seeded), so no two articles are copies and the translation memory,
the deduplication index and the story index all keep growing as they would.

``--prefill N`` first fills the store with N published articles (``scripts/fill_store.py``:
newstest text, sources of their own that are then set inactive), so that the run works on top
of a store of that size: every look-up the run makes (the deduplication and story indexes, the
known names, the template memory, the page cache's change mark) meets a store that large, and a
cache that grew with the store would show.

``--articles N`` lists N articles in all and ends the run once N are done, or none more is done
for ``STALL_S`` after the last is listed, or ``--minutes`` have passed: the run of a fixed size
that issue 13 asks for, whose feeds may then offer articles faster than the runner takes them (a
backlog, as after a pause).

Printed: articles published over time, and per process the median RSS of each tenth of the run;
the verdict compares the median of the last quarter with that of the second (after warm-up).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import signal
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from fill_store import fill, load_corpus  # noqa: E402
from tests.helpers.faults import states  # noqa: E402
from tests.helpers.memory import python_pids, quarters, rss_kib  # noqa: E402
from tests.helpers.runs import prepare_home  # noqa: E402
from tests.helpers.wire import demo_pages, in_template  # noqa: E402
from tests.services import ServiceProcess  # noqa: E402

from babelwire.demo.sites import SampleSitesServer  # noqa: E402
from babelwire.store import Store  # noqa: E402

POLL = 15.0            # seconds between two polls of a feed
PER_FEED = 100         # newest items a feed lists (a poll late under load misses none)
STALL_S = 180.0        # with every article listed, the run ends when none is done this long
SAMPLE_S = 2.0         # seconds between two RSS samples
LANGS = ("en", "es", "fr")
TARGETS = {"en": ["es", "fr"], "es": ["en"], "fr": ["en"]}


class Articles:
    """Endless real-text articles per language: newstest documents, then seeded mixes."""

    def __init__(self, data: Path, seed: int) -> None:
        folder = data / "mt" / "newstest2013"
        self.sentences = {lang: (folder / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
                          for lang in LANGS}
        rows = [line.split("\t") for line in
                (folder / "docs.tsv").read_text(encoding="utf-8").splitlines()[1:]]
        self.documents = [(int(first) - 1, int(last)) for _, first, last, *_ in rows]
        self.rng = random.Random(seed)
        self.made = dict.fromkeys(LANGS, 0)

    def next(self, lang: str) -> tuple[str, list[str]]:
        """A title and the paragraphs of the next article in ``lang``."""
        n = self.made[lang]
        self.made[lang] += 1
        lines = self.sentences[lang]
        if n < len(self.documents):
            first, last = self.documents[n]
            chosen = lines[first:last]
        else:
            chosen = self.rng.sample(lines, self.rng.randint(8, 16))
        paragraphs = [" ".join(chosen[k:k + 3]) for k in range(1, len(chosen), 3)]
        return f"{chosen[0]} ({n})", paragraphs


def article_page(template: bytes, title: str, paragraphs: list[str]) -> bytes:
    """``template``'s site around an article with this title and these paragraphs."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    # the charset said: lxml reads undeclared bytes as Latin-1, and the new text came out
    # "AdemÃ¡s" (a third of the first 10,000-article run held for it)
    page = (f'<html><head><meta charset="utf-8"><title>{escape(title)}</title></head><body>'
            "<article>"
            f"<h1>{escape(title)}</h1>{body}</article></body></html>").encode()
    return in_template(page, template)


class GrowingSites:
    """Sample sites whose feeds get new items while the run goes on."""

    def __init__(self, folder: Path, feeds: int, articles: Articles) -> None:
        self.folder = folder
        self.articles = articles
        templates: dict[str, list[bytes]] = {lang: [] for lang in LANGS}
        for slug, html in demo_pages():
            templates[slug[:2]].append(html)
        self.templates = templates
        self.feeds = [(f"mem{k:02d}", LANGS[k % len(LANGS)]) for k in range(feeds)]
        self.items: dict[str, list[str]] = {slug: [] for slug, _ in self.feeds}
        self.added = 0
        manifest = []
        for slug, lang in self.feeds:
            (folder / slug).mkdir(parents=True)
            self._write_feed(slug, lang)
            manifest.append({"slug": slug, "name": f"Memory {slug}", "lang": lang,
                             "format": "rss", "targets": TARGETS[lang], "feed": "feed.xml",
                             "pages": []})
        (folder / "sites.json").write_text(json.dumps(manifest), encoding="utf-8")

    def add(self, count: int) -> None:
        """``count`` new articles, one feed after the other."""
        for _ in range(count):
            slug, lang = self.feeds[self.added % len(self.feeds)]
            title, paragraphs = self.articles.next(lang)
            template = self.templates[lang][self.added % len(self.templates[lang])]
            name = f"a{self.added:06d}"
            (self.folder / slug / f"{name}.html.gz").write_bytes(
                gzip.compress(article_page(template, title, paragraphs)))
            date = format_datetime(datetime(2026, 1, 1, tzinfo=UTC)
                                   + timedelta(minutes=self.added))
            self.items[slug].append(
                f"<item><title>{escape(title)}</title><link>{{base}}/{slug}/{name}.html</link>"
                f'<guid isPermaLink="false">urn:babelwire-memory:{name}</guid>'
                f"<pubDate>{date}</pubDate></item>")
            self._write_feed(slug, lang)
            self.added += 1

    def _write_feed(self, slug: str, lang: str) -> None:
        newest = self.items[slug][-PER_FEED:][::-1]
        path = self.folder / slug / "feed.xml"
        part = path.with_suffix(".part")
        part.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
                        f"<title>{slug}</title><link>{{base}}/{slug}/</link><description>m"
                        f"</description><language>{lang}</language>\n" + "\n".join(newest)
                        + "\n</channel></rss>\n", encoding="utf-8")
        part.replace(path)      # the server never reads half a feed


def published(store: Store) -> int:
    """Items finished so far."""
    return sum(n for s, n in states(store).items() if s in ("published", "held", "failed"))


def tenths(samples: list[tuple[float, int]]) -> list[int]:
    """The median RSS (KiB) of each tenth of the samples."""
    size = max(1, len(samples) // 10)
    return [int(statistics.median(k for _, k in samples[i:i + size]))
            for i in range(0, size * 10, size) if samples[i:i + size]]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0 if every process stayed flat and under the bound."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--minutes", type=float, default=40.0)
    parser.add_argument("--feeds", type=int, default=10)
    parser.add_argument("--every", type=float, default=20.0, help="seconds between batches")
    parser.add_argument("--batch", type=int, default=10, help="new articles per batch")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--limit-mib", type=int, default=300, help="the RSS bound")
    parser.add_argument("--prefill", type=int, default=0,
                        help="published articles put in the store before the run")
    parser.add_argument("--articles", type=int, default=0,
                        help="list this many articles in all and stop once they are done")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="babelwire-memory-") as tmp:
        base = Path(tmp)
        sites = GrowingSites(base / "sites", args.feeds, Articles(args.data, args.seed))
        sites.add(args.batch)
        with SampleSitesServer(0, data=base / "sites") as server:
            home = base / "home"
            prepare_home(home, server, poll_interval=POLL)
            store = Store(f"sqlite:///{home / 'babelwire.db'}")
            if args.prefill:
                known = {s.id for s in store.list_sources()}
                took = fill(store, args.prefill, load_corpus(args.data), progress=False)
                for source in store.list_sources():
                    if source.id not in known:
                        store.set_source_active(source.id, False)
                print(f"store filled with {args.prefill:,} published articles in {took:.0f} s",
                      flush=True)
            env = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")}
            runner = ServiceProcess.start("runner", ["--home", str(home), "run"], env,
                                          base / "runner.log")
            rss: dict[int, list[tuple[float, int]]] = {}
            progress: list[tuple[float, int, int]] = []
            started = time.monotonic()
            stop = threading.Event()

            def feed() -> None:
                while not stop.wait(args.every):
                    left = args.articles - sites.added if args.articles else args.batch
                    sites.add(min(args.batch, left))

            feeder = threading.Thread(target=feed, daemon=True)
            feeder.start()
            try:
                next_report = 60.0
                last_done, last_change = -1, 0.0
                while (now := time.monotonic() - started) < args.minutes * 60:
                    if runner.process.poll() is not None:
                        raise SystemExit(f"the runner ended:\n{runner.tail()}")
                    for pid in python_pids(runner):
                        kib = rss_kib(pid)
                        if kib is not None:
                            rss.setdefault(pid, []).append((now, kib))
                    if now >= next_report:
                        done = published(store) - args.prefill
                        progress.append((now, sites.added, done))
                        print(f"{now / 60:5.1f} min: {sites.added} articles listed, {done} done, "
                              f"RSS {', '.join(f'{s[-1][1] // 1024} MiB' for s in rss.values())}",
                              flush=True)
                        next_report += 60.0
                        if args.articles and done >= args.articles:
                            break
                        if done != last_done:
                            last_done, last_change = done, now
                        elif args.articles and sites.added >= args.articles \
                                and now - last_change >= STALL_S:
                            print(f"{args.articles - done} listed articles never taken in",
                                  flush=True)
                            break
                    time.sleep(SAMPLE_S)
            finally:
                stop.set()
                runner.process.send_signal(signal.SIGINT)     # a clean shutdown, as Ctrl-C
                try:
                    runner.process.wait(60)
                except Exception:
                    runner.stop()
            done = published(store) - args.prefill
            store.close()
    minutes = (time.monotonic() - started) / 60
    print(f"\n{done} articles done in {minutes:.1f} min ({done / minutes:.0f} a minute), "
          f"{sites.added} listed")
    ok = True
    for pid, samples in rss.items():
        if len(samples) < 40:
            continue
        second, last = quarters(samples)
        peak = max(k for _, k in samples)
        flat = last <= 1.10 * second
        under = peak <= args.limit_mib * 1024
        ok = ok and flat and under
        print(f"process {pid}: {len(samples)} samples over {samples[-1][0] / 60:.1f} min; "
              f"median RSS per tenth (MiB): {[k // 1024 for k in tenths(samples)]}")
        print(f"  2nd quarter {second / 1024:.0f} MiB, last quarter {last / 1024:.0f} MiB "
              f"(x {last / second:.2f}: {'flat' if flat else 'GROWING'}), peak "
              f"{peak / 1024:.0f} MiB ({'under' if under else 'OVER'} {args.limit_mib} MiB)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
