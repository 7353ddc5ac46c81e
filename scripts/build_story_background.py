"""Build src/babelwire/stories/data/background.json.gz: in how many background news articles each
word stem occurs, per language (en, es, fr). The story similarity's IDF weights count these
documents beside the few articles it compares (a new article and its candidates), so a word is
weighed by how rare it is in news, not in two texts.

    python scripts/build_story_background.py [DATA]      # DATA defaults to ../shared/data

The articles are the development pages of the extraction benchmarks in ``DATA/extraction``
(ScrapingHub's article-extraction benchmark, trafilatura's evaluation pages, the multilingual
extra pages) in en, es and fr, each read by babelwire's extractor, whole (title and text).
Left out: the pages of ``DATA/pages`` (the demo's sample pages among them), which
``bench/stories.py`` uses as its set of unrelated articles, so that set never trains the weights
it measures. The SemEval pairs and newstest2013 documents of ``DATA/stories`` are not used either.

Only the stems' document counts are stored, not the texts: what the IDF needs, and nothing of
the articles that could be read back.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter
from pathlib import Path

from babelwire.exceptions import BabelwireError
from babelwire.extract.article import extract_article
from babelwire.stories.similarity import TOKEN, stemmed

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "babelwire" / "stories" / "data" / "background.json.gz"
LANGS = ("en", "es", "fr")
DATASETS = ("scrapinghub", "trafilatura", "multilingual_extra")
_URL = re.compile(r"https?://[^\s|]+")


def kept_aside(data: Path) -> set[str]:
    """The URLs of ``data/pages`` (from its README's table), without scheme and ``www.``."""
    text = (data / "pages" / "README.md").read_text(encoding="utf-8")
    return {_plain(url) for line in text.splitlines() if line.startswith("| `")
            for url in _URL.findall(line)}


def _plain(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


def pages(data: Path) -> list[tuple[str, str, Path, str | None]]:
    """``(dataset, language, html path, url)`` of every en/es/fr benchmark page (the url may
    be missing)."""
    found = []
    for name in DATASETS:
        folder = data / "extraction" / name
        truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
        if isinstance(truth, dict):           # ScrapingHub's upstream format, by id
            langs = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["lang"]
            rows = [(langs.get(i, ""), folder / "html" / f"{i}.html.gz", t["url"])
                    for i, t in truth.items()]
        else:
            rows = [(t.get("lang", ""), folder / t["html"], t["url"]) for t in truth]
        found += [(name, lang, path, url) for lang, path, url in rows if lang in LANGS]
    return found


def main(argv: list[str] | None = None) -> None:
    """Count the stems of every background article and write them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args(argv)
    aside = kept_aside(args.data)
    frequency: dict[str, Counter[str]] = {lang: Counter() for lang in LANGS}
    documents: Counter[str] = Counter()
    used: Counter[str] = Counter()
    for dataset, lang, path, url in pages(args.data):
        if url and _plain(url) in aside:
            continue
        try:
            article = extract_article(gzip.decompress(path.read_bytes()),
                                      url or f"https://{path.name}.example/")
        except BabelwireError:
            continue                          # a page without an article
        frequency[lang].update(set(TOKEN.findall(stemmed(f"{article.title}\n{article.text}"))))
        documents[lang] += 1
        used[dataset] += 1
    out = {"built_by": "scripts/build_story_background.py",
           "from": {name: used[name] for name in DATASETS},
           "documents": dict(documents),
           "frequency": {lang: dict(sorted(counts.items())) for lang, counts in frequency.items()}}
    OUT.write_bytes(gzip.compress(json.dumps(out, ensure_ascii=False, separators=(",", ":"))
                                  .encode("utf-8"), mtime=0))
    print(f"{sum(documents.values())} background articles {dict(documents)} from {dict(used)}, "
          f"{len(aside)} pages kept aside: {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
