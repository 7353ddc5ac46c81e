"""Wire copies made from the demo's real pages: the same article trimmed, in another site's
template, or under another headline, and sample sites that carry one wire story three times."""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path

import lxml.html

from babelwire.demo.sites import DATA as DEMO_DATA
from babelwire.sources.charset import decode_html


def demo_pages() -> list[tuple[str, bytes]]:
    """``(slug, html)`` of every page the demo's sample sites hold."""
    return [(path.name.removesuffix(".html.gz"), gzip.decompress(path.read_bytes()))
            for path in sorted(DEMO_DATA.glob("*/*.html.gz"))]


def _tree(page: bytes) -> lxml.html.HtmlElement:
    """``page`` parsed as babelwire decodes it: lxml alone reads bytes whose charset only the
    server's header gave (four of the demo's pages) as Latin-1, and the copies were mojibake
    ("AdemÃ¡s") where the originals were not."""
    return lxml.html.fromstring(decode_html(page)[0])


def _body(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The element holding the most paragraphs directly: the article's body."""
    return max(tree.iter("div", "article", "section", "td", "main", "body"),
               key=lambda e: len(e.findall("p")))


def trimmed(page: bytes) -> bytes:
    """The page with its article's last quarter of paragraphs cut (at least one)."""
    tree = _tree(page)
    paragraphs = _body(tree).findall("p")
    for p in paragraphs[len(paragraphs) - max(1, len(paragraphs) // 4):]:
        p.getparent().remove(p)
    return bytes(lxml.html.tostring(tree))


def reheadlined(page: bytes, headline: str) -> bytes:
    """The page under another headline (title, h1 and og:title)."""
    tree = _tree(page)
    for el in tree.iter("title", "h1"):
        el.text = headline
        for child in list(el):
            el.remove(child)
    for meta in tree.iter("meta"):
        if meta.get("property") in ("og:title", "twitter:title") \
                or meta.get("name") in ("twitter:title", "title"):
            meta.set("content", headline)
    return bytes(lxml.html.tostring(tree))


def in_template(page: bytes, other: bytes) -> bytes:
    """``page``'s article (headline and paragraphs) in ``other``'s template: the other site's
    furniture around it, the other article's paragraphs replaced."""
    source, target = _tree(page), _tree(other)
    body = _body(target)
    for p in [p for p in target.iter("p") if len(p.text_content()) > 80 or p.getparent() is body]:
        p.getparent().remove(p)   # every paragraph of the other article, wherever it is
    for p in _body(source).findall("p"):
        body.append(copy.deepcopy(p))
    title = source.findtext(".//title") or ""
    return reheadlined(lxml.html.tostring(target), title.strip())


def wire_sites(folder: Path, original: str, other: str, distinct: str) -> None:
    """Three sample sites (for ``babelwire.demo.sites.SampleSitesServer``) that carry the demo
    page ``original``: as it is (beside the distinct page ``distinct``), in the template of the
    page ``other``, and trimmed under another headline."""
    pages = dict(demo_pages())
    sample_sites(folder, {
        "agency": [(original, pages[original]), (distinct, pages[distinct])],
        "daily": [(original + "-copy", in_template(pages[original], pages[other]))],
        "weekly": [(original + "-short", reheadlined(trimmed(pages[original]),
                                                     "A wire story told again"))],
    })


def sample_sites(folder: Path, sites: dict[str, list[tuple[str, bytes]]], lang: str = "en",
                 targets: tuple[str, ...] = ("es",)) -> None:
    """Sample sites (for ``babelwire.demo.sites.SampleSitesServer``) in ``folder``: each slug
    of ``sites`` a site in ``lang`` with a JSON feed of its ``(name, html)`` pages."""
    manifest = []
    for slug, entries in sites.items():
        (folder / slug).mkdir(parents=True)
        items = []
        for name, html in entries:
            (folder / slug / f"{name}.html.gz").write_bytes(gzip.compress(html))
            items.append({"id": f"urn:wire-test:{slug}:{name}", "title": name,
                          "url": f"{{base}}/{slug}/{name}.html",
                          "date_published": "2020-04-01T08:00:00+00:00"})
        (folder / slug / "feed.json").write_text(json.dumps({
            "version": "https://jsonfeed.org/version/1.1", "title": slug.title(),
            "feed_url": f"{{base}}/{slug}/feed.json", "language": lang, "items": items}),
            encoding="utf-8")
        manifest.append({"slug": slug, "name": slug.title(), "lang": lang, "format": "json",
                         "targets": list(targets), "feed": "feed.json",
                         "pages": [{"slug": n} for n, _ in entries]})
    (folder / "sites.json").write_text(json.dumps(manifest), encoding="utf-8")
