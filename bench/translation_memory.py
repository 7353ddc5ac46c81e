"""What the translation memory saves, measured on real runs of the demo pipeline.

    python bench/translation_memory.py

Runs the whole pipeline on the bundled demo sources in a fresh data directory, served from a
copy of the demo data, and prints the segments sent to engines (from the usage counters):

1. on the first run;
2. on a second run (the sources answer 304 or unchanged items: nothing to do), and after forcing
   every item to be translated again (every segment comes from the memory);
3. after one paragraph of one source article changed (the feed's date for it changed too, so the
   item is fetched again): only that paragraph's sentences are sent, once per engine leg.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import update

from babelwire.cli.demo import demo_settings, subscribe
from babelwire.demo.sites import DATA, SampleSitesServer
from babelwire.run.runner import Runner
from babelwire.settings import Settings, load
from babelwire.store import Store
from babelwire.store.tables import ItemRow
from babelwire.translate.segment import sentence_spans

SITE, PAGE = "wire", "en-bbc-gun-laws"
_PARAGRAPH = re.compile(r"<p>([^<>]{200,600})</p>")


def sent(store: Store) -> int:
    """Segments sent to engines so far (memory hits excluded)."""
    return sum(line.counts.segments for line in store.usage(2, by_source=False))


def run_once(settings: Settings, store: Store) -> int:
    """One `run --once`; returns the segments it sent to engines."""
    before = sent(store)
    runner = Runner(settings, store)
    try:
        runner.run(once=True)
    finally:
        runner.close()
    return sent(store) - before


def edit_paragraph(data: Path) -> tuple[int, str]:
    """Change every sentence of one plain paragraph of one page; returns (sentences, text)."""
    page = data / SITE / f"{PAGE}.html.gz"
    html = gzip.decompress(page.read_bytes()).decode("utf-8")
    match = _PARAGRAPH.search(html)
    if match is None:
        raise SystemExit(f"no plain paragraph found in {page}")
    text = match.group(1)
    spans = sentence_spans(text, "en")
    edited = text
    for start, end in reversed(spans):          # "... said." -> "... said, officials added."
        sentence = text[start:end].rstrip()
        if sentence and sentence[-1] in ".!?":
            edited = edited[:start] + sentence[:-1] + ", officials added" + sentence[-1] + \
                edited[start + len(sentence):]
    page.write_bytes(gzip.compress(html.replace(text, edited, 1).encode("utf-8")))
    feed_path = data / SITE / "feed.json"
    feed = json.loads(feed_path.read_text(encoding="utf-8"))
    for item in feed["items"]:
        if PAGE in item["id"]:
            item["date_modified"] = "2026-01-01T08:00:00+00:00"       # the item is new again
    feed_path.write_text(json.dumps(feed, indent=1), encoding="utf-8")
    return len(spans), text


def force_retranslation(store: Store) -> None:
    """Send every item back to the translate stage, as if it had never been translated."""
    with store.session() as s:
        s.execute(update(ItemRow).values(state="extracted", next_attempt_at=None,
                                         lease_owner=None, lease_until=None))


def main() -> None:
    """Run the three measurements and print them."""
    argparse.ArgumentParser(description=__doc__).parse_args()
    with tempfile.TemporaryDirectory(prefix="babelwire-bench-memory-") as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(DATA, data)
        with SampleSitesServer(0, data) as server:
            settings = demo_settings(load({}, home=Path(tmp) / "home"), server.port)
            store = Store(settings.db_url)
            subscribe(store, server)
            first = run_once(settings, store)
            print(f"first demo run:                       {first:6d} segments sent to engines")
            second = run_once(settings, store)
            print(f"second run:                           {second:6d}")
            force_retranslation(store)
            forced = run_once(settings, store)
            print(f"every item translated again:          {forced:6d}")
            sentences, text = edit_paragraph(data)
            changed = run_once(settings, store)
            legs = 2       # wire: en->es, en->fr via es (its en->es leg is the memory's)
            print(f"one paragraph of {PAGE} edited:  {changed:6d} "
                  f"(the paragraph has {sentences} sentences x {legs} engine legs = "
                  f"{sentences * legs})")
            print(f"  paragraph: {text[:90]}...")
            store.close()


if __name__ == "__main__":
    main()
