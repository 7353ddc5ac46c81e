"""Pages fetched from somewhere else than their site (a mirror, the demo's local server) keep
their own address as canonical URL, and truncated or junk pages fail with babelwire's error."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from babelwire.exceptions import ExtractError
from babelwire.extract.article import extract_article

PAGES = Path(__file__).parent / "data" / "extract" / "pages"


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
])
def test_truncated_and_junk_pages_raise_extract_error(page: bytes) -> None:
    with pytest.raises(ExtractError):
        extract_article(page, "https://news.example/a")
