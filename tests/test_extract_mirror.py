"""Pages fetched from somewhere else than their site (a mirror, the demo's local server) keep
their own address as canonical URL, truncated or junk pages fail with babelwire's error, and
numeric character references read as their characters."""

from __future__ import annotations

import gzip
import html
import re
from pathlib import Path

import pytest

from babelwire.exceptions import ExtractError
from babelwire.extract.article import extract_article

PAGES = Path(__file__).parent / "data" / "extract" / "pages"
RELIABILITY = Path(__file__).parent / "data" / "reliability" / "sites"


def test_schemeless_og_url_of_a_mirrored_page_names_the_real_site() -> None:
    # es-elmundo-2012 writes og:url without a scheme ("www.elmundo.es/elmundo/...")
    page = gzip.decompress((PAGES / "es-elmundo-2012" / "source.html.gz").read_bytes())
    article = extract_article(page, "http://127.0.0.1:8765/prensa/es-elmundo-2012.html")
    assert article.canonical_url == ("http://www.elmundo.es/elmundo/2012/10/28/espana/"
                                     "1351388909.html")


@pytest.mark.parametrize("page", [
    b"<html>",                                       # nothing after the root
    b"<html><head><title>Cut off</title></head>",    # a download cut after its head
    b"HTML&#XFFFE",                                  # a reference to a non-character
    b"<p>\x00\x01 text &#xD800; more</p>",           # control characters and a lone surrogate
    b"<IFRAME HTML>",                                # a fragment read as a tree rooted at an iframe
])
def test_truncated_and_junk_pages_raise_extract_error(page: bytes) -> None:
    with pytest.raises(ExtractError):
        extract_article(page, "https://news.example/a")


def test_numeric_character_references_are_read_as_their_characters() -> None:
    """Libération writes every apostrophe as ``&#39;``: the article must read "l'Élysée", not
    "l9;Élysée" (the references to characters XML cannot hold are the only ones dropped)."""
    page = gzip.decompress((RELIABILITY / "presse" / "fr-liberation-ayrault.html.gz").read_bytes())
    raw = page.decode("utf-8")
    article = extract_article(page, "https://www.liberation.fr/politiques/ayrault")
    words = {html.unescape(w) for w in re.findall(r"\w+&#39;\w+", raw)}
    found = {w for w in words if w in article.text}
    # the standfirst's two; the teasers of other stories after the article held the rest, and
    # are no longer in it (extract.boxes)
    assert {"d'estrade", "s'est"} <= found, (sorted(words), article.text[:500])
    assert not re.search(r"\w\d+;", article.text)


@pytest.mark.parametrize(("reference", "char"), [
    ("&#233;", "é"), ("&#xE9;", "é"), ("&#XE9", "é"), ("&#8220;", "\u201c"),
    ("&#x201C;", "\u201c"), ("&#039;", "'"), ("&#128512;", "\U0001f600")])
def test_each_numeric_reference_survives(reference: str, char: str) -> None:
    page = (f"<html><body><article><p>Antes {reference} despu{reference}s del acuerdo, el "
            "gobierno dijo que el plan de vivienda seguira adelante este mes.</p>"
            "</article></body></html>")
    assert f"despu{char}s" in extract_article(page.encode(), "https://news.example/a").text
