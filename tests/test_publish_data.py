"""The test data of the publishing tests (tests/helpers/articles.py: real pages, human
translations): real paragraphs, faithful links, real metadata, as the other tests assume."""

from __future__ import annotations

import lxml.html
import pytest

from tests.helpers.articles import CASES, case, load_article, reference_translation


@pytest.mark.parametrize("name", CASES)
def test_articles_are_the_pages_real_paragraphs_and_metadata(name: str) -> None:
    article, expected = load_article(name), case(name)
    fragments = lxml.html.fragments_fromstring(article.html)
    assert [f.tag for f in fragments] == ["p"] * expected["paragraphs"]
    assert article.title == expected["metadata"]["title"]
    assert article.author == expected["metadata"]["author"]
    assert article.site_name == expected["metadata"]["site_name"]
    assert article.published is not None
    assert article.published.date().isoformat() == expected["metadata"]["published"]
    assert article.canonical_url == expected["url"]


@pytest.mark.parametrize(("name", "lang", "second"), [
    ("en-chips", "es", False), ("en-chips", "es", True), ("es-vivienda", "en", False),
    ("es-vivienda", "en", True), ("es-vivienda", "fr", False)])
def test_reference_translations_keep_links_names_and_paragraphs(name: str, lang: str,
                                                                second: bool) -> None:
    expected, t = case(name), reference_translation(name, lang, second=second)
    fragments = lxml.html.fragments_fromstring(t.html)
    assert len(fragments) == expected["paragraphs"]
    hrefs = {a.get("href") for f in fragments for a in f.iter("a")}
    assert hrefs == {link["href"] for link in expected["links"]}
    for protected in expected["protect"]:
        assert protected in t.text, protected
