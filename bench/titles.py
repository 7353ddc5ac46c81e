"""Title benchmark: the extracted title against every ground-truth title the shared data holds.

    python bench/titles.py [--data PATH] [--part dev|heldout|all] [--tools NAME ...] [--show]

Pages with a ground-truth title, each page once (by URL; the first source wins, in this order):
the fidelity cases (shared ``fidelity/`` and ``tests/data/fidelity``: titles read by hand),
``pages/*/expected-metadata.json`` (Readability.js' title), ``extraction/multilingual_extra``
(the extractor's title) and ``extraction/trafilatura`` (the evaluation's annotated title).

Split, fixed before any result was looked at: a page is *held out* when the first byte of the
SHA-256 of its name (file or folder name) modulo 10 is 7, 8 or 9, else *dev*.

Each title is compared after collapsing white space (NFKC, so a no-break space is a space) and
writing curly quotes straight (typography is not what this measures):
``exact``; ``extra`` when the truth is a part of the output (furniture left: a site name, a
section); ``cut`` when the output is a part of the truth (too much removed); ``other`` otherwise.
babelwire sees each site's pages together (as a feed batch gives them, see
:func:`babelwire.extract.extract_articles`); trafilatura's title is its metadata pass
(``trafilatura.extract_metadata``) on the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
import unicodedata
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from urllib3.exceptions import DependencyWarning

from babelwire.exceptions import ExtractError
from babelwire.extract import InMemoryFurniture, extract_articles, site_of
from babelwire.sources.charset import decode_html

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DependencyWarning)
    from trafilatura import extract_metadata
    from trafilatura.utils import load_html

REPO = Path(__file__).resolve().parent.parent
HELD_OUT = frozenset({7, 8, 9})


@dataclass(frozen=True)
class TitledPage:
    """One page with its ground-truth title."""

    name: str
    source: str
    url: str
    raw: bytes
    title: str


def part_of(name: str) -> str:
    """``heldout`` or ``dev``, by the hash of the page's name (see the module docstring)."""
    return "heldout" if hashlib.sha256(name.encode()).digest()[0] % 10 in HELD_OUT else "dev"


def _gz_or_plain(folder: Path, name: str) -> bytes:
    plain = folder / name
    return plain.read_bytes() if plain.exists() else gzip.decompress((folder / f"{name}.gz")
                                                                     .read_bytes())


def _fidelity(data: Path) -> Iterator[TitledPage]:
    for root in (data / "fidelity", REPO / "tests" / "data" / "fidelity"):
        for case_file in sorted(root.glob("*/case.json")):
            case = json.loads(case_file.read_text(encoding="utf-8"))
            yield TitledPage(case_file.parent.name, "fidelity", case["url"],
                             _gz_or_plain(case_file.parent, "page.html"),
                             case["metadata"]["title"])


def _pages(data: Path) -> Iterator[TitledPage]:
    for meta_file in sorted((data / "pages").glob("*/expected-metadata.json")):
        folder = meta_file.parent
        title = json.loads(meta_file.read_text(encoding="utf-8")).get("title")
        origin = json.loads((folder / "origin.json").read_text(encoding="utf-8"))
        if title:
            yield TitledPage(folder.name, "pages", origin["url"],
                             (folder / "source.html").read_bytes(), title)


def _records(data: Path, split: str) -> Iterator[TitledPage]:
    folder = data / "extraction" / split
    if not (folder / "ground-truth.json").is_file():
        return   # a folder of pages kept outside the repository may hold other parts only
    for record in json.loads((folder / "ground-truth.json").read_text(encoding="utf-8")):
        title = (record.get("metadata") or {}).get("title")
        if title and record.get("url"):
            raw = gzip.decompress((folder / record["html"]).read_bytes())
            yield TitledPage(str(record["id"]), split, record["url"], raw, title)


def titled_pages(data: Path) -> list[TitledPage]:
    """Every page with a ground-truth title, each URL once (see the module docstring)."""
    seen: set[str] = set()
    pages = []
    for page in (*_fidelity(data), *_pages(data), *_records(data, "multilingual_extra"),
                 *_records(data, "trafilatura")):
        key = page.url.rstrip("/")
        if key not in seen:
            seen.add(key)
            pages.append(page)
    return pages


_QUOTES = str.maketrans({"‘": "'", "’": "'", "‛": "'", "“": '"', "”": '"', "„": '"'})


def norm(title: str) -> str:
    """A title compared as shown: NFKC, white space collapsed, quotes straight."""
    return " ".join(unicodedata.normalize("NFKC", title).translate(_QUOTES).split())


def verdict(truth: str, got: str) -> str:
    """exact, extra (furniture left), cut (too much removed) or other."""
    truth, got = norm(truth), norm(got)
    if got == truth:
        return "exact"
    if truth and truth in got:
        return "extra"
    if got and got in truth:
        return "cut"
    return "other"


def babelwire_titles(pages: Sequence[TitledPage]) -> dict[str, str]:
    """babelwire's title of each page, each site's pages extracted together."""
    by_site: dict[str, list[TitledPage]] = defaultdict(list)
    for page in pages:
        by_site[site_of(page.url) or page.name].append(page)
    out: dict[str, str] = {}
    for site_pages in by_site.values():
        results = extract_articles([(p.raw, p.url) for p in site_pages], InMemoryFurniture())
        for page, result in zip(site_pages, results, strict=True):
            out[page.name] = "" if isinstance(result, ExtractError) else result.title
    return out


def trafilatura_titles(pages: Sequence[TitledPage]) -> dict[str, str]:
    """trafilatura's metadata title of each page."""
    out = {}
    for page in pages:
        tree = load_html(decode_html(page.raw)[0])
        found = extract_metadata(tree, page.url, extensive=False) if tree is not None else None
        out[page.name] = (found.title if found is not None else None) or ""
    return out


def report(tool: str, pages: Sequence[TitledPage], out: dict[str, str]) -> None:
    """One line per part and source: the share of exact titles and the other verdicts."""
    for part in ("dev", "heldout"):
        for source in ("fidelity", "pages", "multilingual_extra", "trafilatura", "all"):
            chosen = [p for p in pages if part_of(p.name) == part and source in ("all", p.source)]
            counts = Counter(verdict(p.title, out[p.name]) for p in chosen)
            if chosen:
                print(f"{tool:<12} {part:<8} {source:<19} {len(chosen):4d} pages  exact "
                      f"{counts['exact'] / len(chosen):.3f}  extra {counts['extra']:3d}  "
                      f"cut {counts['cut']:3d}  other {counts['other']:3d}")


def main(argv: Sequence[str] | None = None) -> int:
    """Score the titles of the chosen part, print one line per tool, part and source."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--part", choices=("dev", "heldout", "all"), default="dev")
    parser.add_argument("--tools", nargs="+", choices=("babelwire", "trafilatura"),
                        default=["babelwire", "trafilatura"])
    parser.add_argument("--show", action="store_true", help="print every title not exact")
    args = parser.parse_args(argv)
    pages = [p for p in titled_pages(args.data) if args.part in ("all", part_of(p.name))]
    runners = {"babelwire": babelwire_titles, "trafilatura": trafilatura_titles}
    for tool in args.tools:
        out = runners[tool](pages)
        report(tool, pages, out)
        for page in pages if args.show else ():
            if verdict(page.title, out[page.name]) != "exact":
                print(f"  {verdict(page.title, out[page.name]):<5} {page.name}\n"
                      f"        truth {norm(page.title)!r}\n        got   "
                      f"{norm(out[page.name])!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
