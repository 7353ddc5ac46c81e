"""The reader's search page ``/{lang}/search?q=`` on the store's full-text search: results in the
target language only, published only, paginated, never cached under another query, and a
reflected query that stays text. (Kept with the admin tests: the same engineer owns both.)"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import lxml.html
import pytest

from babelwire import i18n
from tests.helpers.articles import reference_translation
from tests.helpers.site import TestClient
from tests.helpers.store import HELD_TITLE


@pytest.fixture(scope="module")
def app_options() -> dict[str, Any]:
    """The app as served (page cache on), one result a page."""
    return {"page_size": 1}


def page(client: TestClient, path: str, status: int = 200) -> lxml.html.HtmlElement:
    """GET a search page."""
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    assert "x-cache" not in response.headers  # searches bypass the page cache
    return lxml.html.fromstring(response.content)


def titles(doc: lxml.html.HtmlElement) -> list[str]:
    """Titles of the result cards."""
    return [" ".join(t.split()) for t in doc.xpath("//article[@class='card']/h2/a/text()")]


@pytest.mark.parametrize(("lang", "query", "name"), [
    ("en", "rental homes Valencia", "es-vivienda"), ("fr", "Isabel Rodríguez", "es-vivienda"),
    ("fr", "logements", "es-vivienda")])
def test_a_query_finds_the_translation_in_that_language(client: TestClient, lang: str,
                                                        query: str, name: str) -> None:
    doc = page(client, f"/{lang}/search?q={quote(query)}")
    assert titles(doc) == [reference_translation(name, lang).title]
    assert doc.xpath("//input[@name='q']/@value") == [query]
    assert doc.xpath("//meta[@name='robots']/@content") == ["noindex, follow"]
    assert doc.get("lang") == lang and doc.xpath("//form[@role='search']//label[@for='q']")


def test_results_are_paginated_with_the_query_kept(client: TestClient) -> None:
    first = page(client, "/es/search?q=Apple")  # the real article and the hostile copy
    assert "2" in first.xpath("string(//p[@role='status'])")
    assert first.xpath("//a[@rel='next']/@href") == ["/es/search?q=Apple&page=2"]
    second = page(client, "/es/search?q=Apple&page=2")
    assert second.xpath("//a[@rel='prev']/@href") == ["/es/search?q=Apple"]
    assert not second.xpath("//a[@rel='next']")
    assert len(set(titles(first) + titles(second))) == 2
    page(client, "/es/search?q=Apple&page=3", status=404)


def test_only_the_newest_matches_are_ranked_and_the_page_says_so(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from babelwire.publish.views import search as view
    from babelwire.store import search

    both = [*titles(page(client, "/es/search?q=Apple")),  # two match, one a page
            *titles(page(client, "/es/search?q=Apple&page=2"))]
    monkeypatch.setattr(search, "NEWEST", 1)
    monkeypatch.setattr(view, "NEWEST", 1)
    first = page(client, "/es/search?q=Apple")
    assert len(titles(first)) == 1 and titles(first)[0] in both
    assert not first.xpath("//a[@rel='next']")
    status = " ".join(first.xpath("string(//p[@role='status'])").split())
    assert status == i18n.labels("es")["search_newest"].format(count=1)
    page(client, "/es/search?q=Apple&page=2", status=404)


def test_different_queries_are_never_served_each_others_results(client: TestClient) -> None:
    viv = reference_translation("es-vivienda", "en").title
    assert titles(page(client, "/en/search?q=Valencia")) == [viv]
    assert titles(page(client, "/en/search?q=Qualcomm")) == []
    assert titles(page(client, "/en/search?q=Valencia")) == [viv]


def test_held_translations_and_other_languages_are_not_found(client: TestClient) -> None:
    assert titles(page(client, f"/es/search?q={quote(HELD_TITLE)}")) == []
    assert titles(page(client, "/es/search?q=Valencia")) == []  # only in en and fr
    assert "No translation matches" in page(client, "/en/search?q=zzzz").text_content()


def test_a_reflected_query_stays_text(client: TestClient) -> None:
    query = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    response = client.get(f"/en/search?q={quote(query)}")
    assert response.status_code == 200
    assert "<script>" not in response.text and "<img src=x" not in response.text
    doc = lxml.html.fromstring(response.content)
    assert doc.xpath("//input[@name='q']/@value") == ['">']  # markup goes, the rest is text
    assert not doc.xpath("//script | //img")
    kept = lxml.html.fromstring(client.get(f"/en/search?q={quote('x < y & z')}").content)
    assert kept.xpath("//input[@name='q']/@value") == ["x < y & z"]


def test_an_empty_search_shows_the_form_and_unknown_languages_are_not_found(
        client: TestClient) -> None:
    doc = page(client, "/en/search")
    assert doc.xpath("//form[@role='search']") and titles(doc) == []
    assert not doc.xpath("//p[@role='status']")
    page(client, "/xx/search?q=Valencia", status=404)
    page(client, f"/en/search?q={'a' * 201}", status=404)


def test_every_public_page_links_to_search_and_switching_language_keeps_the_query(
        client: TestClient) -> None:
    front = lxml.html.fromstring(client.get("/fr/").content)
    assert front.xpath("//footer//a[@href='/fr/search']")
    doc = page(client, "/en/search?q=Valencia")
    assert doc.xpath("//nav[@class='langs']//a/@href") == ["/en/search?q=Valencia",
                                                            "/es/search?q=Valencia",
                                                            "/fr/search?q=Valencia"]
