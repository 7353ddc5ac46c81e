"""Fill a store with N synthetic but realistic published articles, fast, for measuring how the
site grows (``bench/growth.py``).

    python scripts/fill_store.py N [--db URL | --home DIR] [--data PATH] [--sources 60] [--seed 1]

The words are real news: the documents of newstest2013 (``mt/newstest2013`` under ``--data``,
``../shared/data`` by default), whose lines exist in English, Spanish and French, each a human
translation of the others. Each article is a run of 6 to 16 consecutive lines of one document in
its source's language (its first line the title, the rest paragraphs of one to three lines), and
its translations are the same lines in the two other languages: real text of real length in
every field the site shows. Sources (``--sources``, spread over the three languages, named for
real-sounding outlets) and publication dates (about 300 articles a day, back from now) vary.
Articles are stored published and rendered (``publish.render``), as the pipeline leaves them,
through ``Store.bulk_publish``: a few multi-row statements per batch of 2,000.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

from babelwire.publish.excerpt import first_paragraph
from babelwire.publish.sanitize import clean_html
from babelwire.settings import load
from babelwire.store import Store
from babelwire.store.site import BulkArticle, BulkTranslation

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("en", "es", "fr")
OUTLETS = ("Daily Ledger", "Morning Courier", "Harbour Post", "Valley Gazette", "City Wire",
           "Northern Times", "Coastal Herald", "Evening Standard", "Market Journal",
           "Republic Review")
BATCH = 2000
PER_DAY = 300


@dataclass(frozen=True)
class Corpus:
    """Aligned lines (en, es, fr) and the documents they belong to (first, last line)."""

    lines: dict[str, list[str]]
    docs: list[tuple[int, int]]


def load_corpus(data: Path) -> Corpus:
    """The newstest2013 documents under ``data``."""
    folder = data / "mt" / "newstest2013"
    lines = {lang: (folder / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
             for lang in LANGS}
    docs = []
    for row in (folder / "docs.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        fields = row.split("\t")
        docs.append((int(fields[1]) - 1, int(fields[2])))
    return Corpus(lines, docs)


def body(lines: list[str], cuts: list[int]) -> tuple[str, str]:
    """(HTML, text) of paragraphs made of ``lines`` cut at ``cuts``."""
    paragraphs = [" ".join(lines[a:b]) for a, b in zip([0, *cuts], [*cuts, len(lines)],
                                                        strict=True) if a < b]
    html = "".join(f"<p>{escape(p, quote=False)}</p>" for p in paragraphs)
    return html, "\n".join(paragraphs)


def make_article(rng: random.Random, corpus: Corpus, n: int, source: tuple[int, str, str],
                 published: datetime) -> BulkArticle:
    """The ``n``-th synthetic article, of ``source`` (id, language, host)."""
    source_id, lang, host = source
    first, last = corpus.docs[rng.randrange(len(corpus.docs))]
    size = min(rng.randint(6, 16), last - first)
    start = rng.randint(first, last - size)
    cuts = sorted(rng.sample(range(2, size), k=min(size - 2, max(1, size // 2))))
    url = f"https://{host}/{published:%Y/%m/%d}/{n}"
    made = {}
    for code in LANGS:
        span = corpus.lines[code][start:start + size]
        html, text = body(span[1:], [c - 1 for c in cuts])
        made[code] = (span[0][:200], html, text)
    title, html, text = made[lang]
    translations = []
    for code in LANGS:
        if code == lang:
            continue
        t_title, t_html, t_text = made[code]
        safe = clean_html(t_html, url)
        translations.append(BulkTranslation(code, t_title, t_html, t_text, safe_html=safe,
                                            safe_lead=first_paragraph(safe)))
    return BulkArticle(source_id=source_id, url=url, title=title, html=html, text=text,
                       lang=lang, published=published, translations=tuple(translations),
                       author=f"Reporter {n % 97}", safe_html=clean_html(html, url))


def fill(store: Store, count: int, corpus: Corpus, *, sources: int = 60, seed: int = 1,
         progress: bool = True) -> float:
    """Add ``count`` articles to ``store`` (which may hold some already); returns the seconds
    it took."""
    rng = random.Random(seed)
    found = []
    for i in range(sources):
        lang = LANGS[i % len(LANGS)]
        name = f"{OUTLETS[i % len(OUTLETS)]} {i // len(OUTLETS) + 1} ({lang})"
        host = f"outlet{i + 1}.{lang}.example"
        row, _ = store.add_source(f"https://{host}/feed.xml",
                                  targets=[c for c in LANGS if c != lang], name=name,
                                  source_lang=lang, republish="full",
                                  republish_reason="synthetic store for measuring")
        found.append((row.id, lang, host))
    first = store.summary()["items"].get("published", 0)  # numbers the new articles' URLs
    start = time.perf_counter()
    now = datetime.now(UTC).replace(microsecond=0)
    seconds_apart = 86400 / PER_DAY
    done = 0
    while done < count:
        batch = []
        for n in range(done, min(count, done + BATCH)):
            # Newest last, so that item ids grow with time as the pipeline's do.
            at = now - timedelta(seconds=(count - n) * seconds_apart * rng.uniform(0.5, 1.5))
            batch.append(make_article(rng, corpus, first + n, found[rng.randrange(len(found))],
                                      at))
        store.bulk_publish(batch)
        done += len(batch)
        if progress:
            print(f"\r{done:,} / {count:,} articles ({time.perf_counter() - start:.0f} s)",
                  end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    return time.perf_counter() - start


def main() -> None:
    """Fill the store named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--db", default="", help="database URL (default: the home's SQLite)")
    parser.add_argument("--home", type=Path, default=Path.cwd())
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--sources", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    settings = load({"database_url": args.db} if args.db else {}, home=args.home)
    store = Store(settings.db_url)
    try:
        took = fill(store, args.count, load_corpus(args.data), sources=args.sources,
                    seed=args.seed)
    finally:
        store.close()
    print(f"{args.count:,} articles in {took:.1f} s ({args.count / took:,.0f} a second)")


if __name__ == "__main__":
    main()
