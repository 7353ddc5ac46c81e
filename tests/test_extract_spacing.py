"""Spaces trafilatura drops next to inline elements, put back from the page (extract/spacing.py).

Pages from trafilatura's own evaluation set (tests/data/extract/spacing, see PROVENANCE.md).
"""

from __future__ import annotations

import gzip
from pathlib import Path

from lxml import html as lxml_html

from babelwire.extract.article import extract_article
from babelwire.extract.spacing import PageText, page_text

DATA = Path(__file__).parent / "data" / "extract" / "spacing"


def _article_html(name: str, url: str) -> tuple[str, str]:
    article = extract_article(gzip.decompress((DATA / f"{name}.html.gz").read_bytes()), url)
    return article.html, article.text


def test_the_space_before_an_inline_element_is_put_back() -> None:
    # The page: "<b>If you enjoyed our roundup about <em>Artificial Intelligence…" (trafilatura
    # gives "about<hi rend="#i">Artificial").
    html, text = _article_html("d44c5ef50718437984dca47627dee96b", "https://appen.com/blog/ai/")
    assert "roundup about <em>Artificial Intelligence" in html
    assert "roundup about Artificial Intelligence" in text
    assert "aboutArtificial" not in text


def test_the_space_after_a_link_goes_after_the_closing_tag() -> None:
    html, text = _article_html("blog.python.org", "https://blog.python.org/")
    assert "Python 3.6 document</a> for more information" in html
    assert "Python 3.6 document for more information" in text


def test_a_word_split_by_markup_in_the_page_stays_one_word() -> None:
    # A drop cap: "<em>I</em><em>ch hoffe" is "Ich hoffe" on the page, and must stay so.
    html, text = _article_html("thisisjanewayne.com.bauch",
                               "https://www.thisisjanewayne.com/news/2022/09/14/bauch/")
    assert "<em>I</em><em>ch hoffe" in html
    assert "Ich hoffe, dass ihr" in text and "I ch hoffe" not in text


def test_page_text_leaves_out_scripts_and_separates_blocks() -> None:
    tree = lxml_html.document_fromstring(
        "<html><head><title>T</title></head><body><div>Alexandria Ocasio-Cortez</div>"
        "<div>Sanders doubles down<script>var x = 1;</script> on <b>Face</b>book&nbsp;and "
        "<!-- a comment -->more</div></body></html>")
    assert page_text(tree).strip() == \
        "Alexandria Ocasio-Cortez Sanders doubles down on Facebook and more"
    page = PageText(tree)
    assert page.separated("Ocasio-Cortez", "Sanders")
    assert not page.separated("Face", "book")      # joined on the page
    assert not page.separated("down", "var")       # script text is not page text
    assert not page.separated("", "Sanders")
