"""The reader's site on a store filled through the real transitions with real pages and human
translations: what a page shows, what it links to, and what it never shows."""

from __future__ import annotations

import json
import re
from typing import Any

import lxml.etree
import lxml.html
import pytest

from babelwire.publish import create_app
from tests.helpers.articles import case, load_article, reference_translation
from tests.helpers.site import SITE, FilledSite, TestClient
from tests.helpers.store import HELD_BODY, HELD_TITLE, MIXED_HELD_TITLE, Filled


@pytest.fixture(scope="module")
def app_options() -> dict[str, Any]:
    """No page cache: these tests look at rendering, not caching."""
    return {"cache": False}


@pytest.fixture
def filled(filled_site: FilledSite) -> Filled:
    """Ids of the items of the shared store."""
    return filled_site.filled


def page(client: TestClient, path: str) -> lxml.html.HtmlElement:
    """GET ``path`` (following redirects), expecting an HTML page."""
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 200, (path, response.status_code)
    assert response.headers["content-type"].startswith("text/html")
    return lxml.html.fromstring(response.content)


def text_of(doc: lxml.html.HtmlElement, xpath: str) -> str:
    """Normalised text of the first node ``xpath`` selects."""
    return " ".join(str(doc.xpath(f"string({xpath})")).split())


ARTICLES = [("en-chips", "es", "chips"), ("es-vivienda", "en", "vivienda"),
            ("es-vivienda", "fr", "vivienda")]


@pytest.mark.parametrize(("name", "lang", "key"), ARTICLES)
def test_article_page_shows_translation_with_full_attribution(
        client: TestClient, filled: Filled, name: str, lang: str, key: str) -> None:
    item_id = getattr(filled, key)
    original, translation = load_article(name), reference_translation(name, lang)
    doc = page(client, f"/{lang}/a/{item_id}")
    assert doc.get("lang") == lang
    assert text_of(doc, "//h1") == translation.title
    paragraphs = doc.xpath("//div[@class='body']/p")
    assert len(paragraphs) == case(name)["paragraphs"]
    assert [" ".join(p.text_content().split()) for p in paragraphs] == [
        " ".join(line.split()) for line in translation.text.splitlines()]
    for link in case(name)["links"]:
        anchors = doc.xpath(f"//div[@class='body']//a[@href='{link['href']}']")
        assert anchors and anchors[0].get("rel") == "nofollow noopener"
    attribution = doc.xpath("//dl[@class='attribution']")[0]
    assert attribution.xpath(f".//a[@href='{original.canonical_url}']")[0].text == \
        original.site_name
    assert original.author in attribution.text_content()
    assert original.published is not None
    assert attribution.xpath(".//time/@datetime") == [original.published.isoformat()]
    assert attribution.xpath(f".//dd[@lang='{original.lang}']")[0].text_content() == \
        original.title
    notice = text_of(doc, "//p[@class='notice']")
    assert "human-reference" in notice and "human-reference" in attribution.text_content()


def test_article_page_metadata_names_the_original(client: TestClient, filled: Filled) -> None:
    original = load_article("es-vivienda")
    doc = page(client, f"/en/a/{filled.vivienda}")
    canonical = doc.xpath("//link[@rel='canonical']/@href")[0]
    assert canonical.startswith(f"{SITE}/en/a/{filled.vivienda}-government-approves-plan")
    alternates = dict(zip(doc.xpath("//link[@hreflang]/@hreflang"),
                          doc.xpath("//link[@hreflang]/@href"), strict=True))
    assert set(alternates) == {"en", "fr"}  # the held Catalan translation is not offered
    assert alternates["en"] == canonical
    og = dict(zip(doc.xpath("//meta[@property]/@property"),
                  doc.xpath("//meta[@property]/@content"), strict=True))
    assert og["og:title"] == reference_translation("es-vivienda", "en").title
    assert og["og:url"] == canonical and og["og:type"] == "article"
    (block,) = doc.xpath("//script")
    assert block.get("type") == "application/ld+json"
    data: dict[str, Any] = json.loads(block.text)
    assert data["@type"] == "NewsArticle" and data["inLanguage"] == "en"
    for key in ("isBasedOn", "translationOfWork"):
        assert data[key]["url"] == original.canonical_url
        assert data[key]["headline"] == original.title
        assert data[key]["inLanguage"] == "es"
        assert data[key]["author"]["name"] == original.author
        assert data[key]["publisher"]["name"] == original.site_name


def test_language_switcher_offers_each_published_translation(client: TestClient,
                                                             filled: Filled) -> None:
    doc = page(client, f"/en/a/{filled.vivienda}")
    links = doc.xpath("//nav[@class='langs']//a")
    assert [a.get("hreflang") for a in links] == ["en", "fr"]
    assert links[0].get("aria-current") == "true"
    french = page(client, links[1].get("href"))
    assert french.get("lang") == "fr"
    assert text_of(french, "//h1") == reference_translation("es-vivienda", "fr").title


def test_outdated_or_missing_slug_redirects_to_the_canonical_url(client: TestClient,
                                                                 filled: Filled) -> None:
    for ref in (str(filled.chips), f"{filled.chips}-old-title"):
        response = client.get(f"/es/a/{ref}", follow_redirects=False)
        assert response.status_code == 301
        assert response.headers["location"].startswith(f"/es/a/{filled.chips}-apple-")
    bilingual = client.get(f"/es/a/{filled.chips}/bilingual", follow_redirects=False)
    assert bilingual.headers["location"].endswith("/bilingual")


@pytest.mark.parametrize(("name", "lang", "key"), ARTICLES)
def test_bilingual_view_pairs_each_original_paragraph_with_its_translation(
        client: TestClient, filled: Filled, name: str, lang: str, key: str) -> None:
    original, translation = load_article(name), reference_translation(name, lang)
    doc = page(client, f"/{lang}/a/{getattr(filled, key)}/bilingual")
    rows = doc.xpath("//div[@class='pair']")
    assert len(rows) == case(name)["paragraphs"]
    for row, source_line, target_line in zip(rows, original.text.splitlines(),
                                             translation.text.splitlines(), strict=True):
        left, right = row.xpath("./div")
        assert left.get("lang") == original.lang
        assert " ".join(left.text_content().split()) == " ".join(source_line.split())
        assert " ".join(right.text_content().split()) == " ".join(target_line.split())
    assert doc.xpath("//link[@rel='canonical']/@href")[0].endswith(
        doc.xpath("//p[@class='meta']/a/@href")[0])  # points at the plain article
    assert doc.xpath("//meta[@name='robots']/@content") == ["noindex, follow"]
    assert "human-reference" in text_of(doc, "//p[@class='notice']")


def test_front_page_lists_published_translations_newest_first(client: TestClient,
                                                              filled: Filled) -> None:
    doc = page(client, "/es/")
    cards = doc.xpath("//article[@class='card']")
    hrefs = [c.xpath(".//h2/a/@href")[0] for c in cards]
    assert [h.split("/")[3].split("-")[0] for h in hrefs] == [str(filled.hostile),
                                                              str(filled.chips)]
    chips = cards[1]
    assert text_of(chips, ".//h2") == reference_translation("en-chips", "es").title
    assert "Circuit Daily" in chips.text_content() and "Priya Raman" in chips.text_content()
    assert load_article("en-chips").title in chips.text_content()
    assert doc.xpath("//link[@rel='alternate'][@type='application/rss+xml']/@href") == [
        f"{SITE}/es/feed.xml"]


def test_root_offers_every_published_language(client: TestClient) -> None:
    doc = page(client, "/")
    assert doc.xpath("//ul[@class='choices']//a/@hreflang") == ["en", "es", "fr"]


def test_pages_are_numbered_and_end(filled_site: FilledSite) -> None:
    settings, store, _ = filled_site
    with TestClient(create_app(settings, store, cache=False, page_size=1)) as client:
        first, second = page(client, "/es/"), page(client, "/es/page/2")
        # "Older" continues after the last article shown (a keyset cursor): the same page as
        # the numbered one, found without counting or skipping rows.
        older = first.xpath("//a[@rel='next']/@href")
        assert len(older) == 1 and older[0].startswith("/es/older/")
        by_cursor = page(client, older[0])
        assert text_of(by_cursor, "//article//h2") == text_of(second, "//article//h2")
        assert by_cursor.xpath("//a[@rel='prev']/@href") == ["/es/"]
        assert second.xpath("//a[@rel='prev']/@href") == ["/es/"]
        assert not second.xpath("//a[@rel='next']") and not by_cursor.xpath("//a[@rel='next']")
        titles = {text_of(d, "//article//h2") for d in (first, second)}
        assert reference_translation("en-chips", "es").title in titles
        assert client.get("/es/page/3").status_code == 404
        assert client.get("/es/page/1", follow_redirects=False).status_code == 301
        assert client.get("/es/page/0").status_code == 404
        for bad in ("/es/older/1-", "/es/older/x-1", "/es/older/99999999999999999999-1"):
            assert client.get(bad).status_code == 404
        assert client.get("/es/older/1-1").status_code == 404  # before everything: no page


def test_numbered_pages_stop_where_skipping_rows_would_cost_too_much(
        filled_site: FilledSite, monkeypatch: pytest.MonkeyPatch) -> None:
    from babelwire.publish.views import site
    settings, store, _ = filled_site
    with TestClient(create_app(settings, store, cache=False, page_size=1)) as client:
        assert client.get("/es/page/2").status_code == 200
        monkeypatch.setattr(site, "MAX_SKIP", 0)       # page 2 skips one row: too many now
        assert client.get("/es/page/2").status_code == 404
        older = page(client, "/es/").xpath("//a[@rel='next']/@href")[0]
        assert client.get(older).status_code == 200     # the keyset page is still served


def test_source_pages_list_that_sources_translations(client: TestClient,
                                                     filled: Filled) -> None:
    index = page(client, "/es/sources/")
    assert index.xpath("//ul[@class='sources']//a/text()") == ["Circuit Daily"]
    doc = page(client, index.xpath("//ul[@class='sources']//a/@href")[0])
    assert text_of(doc, "//h1") == "Circuit Daily"
    assert len(doc.xpath("//article[@class='card']")) == 2
    assert doc.xpath("//link[@type='application/atom+xml']/@href") == [
        f"{SITE}/es/sources/{filled.source_id}/atom.xml"]
    assert client.get("/es/sources/999").status_code == 404
    assert client.get("/es/sources/abc").status_code == 404


def test_held_translations_appear_nowhere(client: TestClient, filled: Filled) -> None:
    assert client.get(f"/es/a/{filled.held}").status_code == 404
    assert client.get(f"/ca/a/{filled.vivienda}").status_code == 404
    assert client.get(f"/ca/a/{filled.vivienda}/bilingual").status_code == 404
    assert client.get(f"/api/v1/articles/{filled.held}/es").status_code == 404
    assert client.get(f"/api/v1/articles/{filled.vivienda}/ca").status_code == 404
    paths = ["/", "/es/", "/ca/", "/en/", "/sitemap.xml", "/api/v1/languages"]
    for lang in ("es", "ca", "en"):
        paths += [f"/{lang}/feed.xml", f"/{lang}/atom.xml", f"/{lang}/feed.json",
                  f"/api/v1/articles?lang={lang}"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        for secret in (HELD_TITLE, HELD_BODY, MIXED_HELD_TITLE):
            assert secret not in response.text, (path, secret)
    assert not [loc for loc in sitemap_locs(client) if f"/{filled.held}-" in loc]


SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_parts(client: TestClient) -> list[str]:
    """The paths of the parts the sitemap index lists."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    index = lxml.etree.fromstring(response.content)
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    return [loc.removeprefix(SITE) for loc in index.xpath("//s:sitemap/s:loc/text()",
                                                          namespaces=SITEMAP_NS)]


def sitemap_locs(client: TestClient) -> list[str]:
    """Every URL of every part the sitemap index lists, in order."""
    locs = []
    for path in sitemap_parts(client):
        response = client.get(path)
        assert response.status_code == 200, path
        part = lxml.etree.fromstring(response.content)
        assert part.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset", path
        locs += part.xpath("//s:url/s:loc/text()", namespaces=SITEMAP_NS)
    return locs


def test_sitemap_lists_every_published_page_and_nothing_else(client: TestClient,
                                                            filled: Filled) -> None:
    listed = sitemap_locs(client)
    locs = set(listed)
    assert len(locs) == len(listed)  # no page twice
    fronts = {f"{SITE}/{lang}/" for lang in ("en", "es", "fr")}
    assert fronts <= locs
    articles = locs - fronts
    assert len(articles) == 4
    for loc in articles:  # each is the canonical URL: fetching it does not redirect
        path = loc.removeprefix(SITE)
        assert client.get(path, follow_redirects=False).status_code == 200, path
    robots = client.get("/robots.txt").text
    assert f"Sitemap: {SITE}/sitemap.xml" in robots


def test_the_sitemap_is_cut_in_parts_of_a_fixed_range(filled_site: FilledSite,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts hold a fixed range of translation ids, so no part grows with the store; with
    ranges of two ids the same pages come in more parts, a range with nothing public is not
    listed, and a part that is not listed is not found."""
    from babelwire.store import site
    settings, store, _ = filled_site
    with TestClient(create_app(settings, store, cache=False)) as client:
        whole = sitemap_locs(client)
        assert sitemap_parts(client) == ["/sitemaps/languages.xml", "/sitemaps/0.xml"]
        monkeypatch.setattr(site, "SITEMAP_PART", 2)
        parts = sitemap_parts(client)
        assert len(parts) > 3
        assert sorted(sitemap_locs(client)) == sorted(whole)
        for path in parts[1:]:
            urls = lxml.etree.fromstring(client.get(path).content).xpath(
                "//s:url", namespaces=SITEMAP_NS)
            assert 1 <= len(urls) <= 2, path
        listed = {int(p.removeprefix("/sitemaps/").removesuffix(".xml")) for p in parts[1:]}
        last = max(listed)
        unlisted = [k for k in range(last + 2) if k not in listed]
        assert unlisted   # the held translations and the one past the end
        for k in unlisted:
            assert client.get(f"/sitemaps/{k}.xml").status_code == 404, k


def test_site_and_api_are_read_only(client: TestClient, filled: Filled) -> None:
    for path in ("/", "/es/", f"/es/a/{filled.chips}", "/api/v1/articles",
                 f"/api/v1/articles/{filled.chips}/es", "/es/feed.xml", "/sitemap.xml"):
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            assert client.request(method, path).status_code == 405, (method, path)


def test_head_is_answered_like_get_without_a_body(client: TestClient, filled: Filled) -> None:
    for path in ("/es/", f"/es/a/{filled.chips}", "/es/feed.xml", "/api/v1/sources"):
        get, head = client.get(path), client.head(path)
        assert (head.status_code, head.content) == (get.status_code, b""), path
        assert head.headers["content-length"] == get.headers["content-length"], path
        assert head.headers["content-type"] == get.headers["content-type"], path


VALID_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?"
                            r"(Z|[+-]\d{2}:\d{2})?)?")


def test_pages_are_accessible_and_self_contained(client: TestClient, filled: Filled) -> None:
    for path in ("/", "/es/", f"/en/a/{filled.vivienda}", f"/en/a/{filled.vivienda}/bilingual",
                 "/es/sources/", "/es/does-not-exist"):
        response = client.get(path, follow_redirects=True)
        doc = lxml.html.fromstring(response.content)
        assert doc.get("lang"), path
        assert len(doc.xpath("//main[@id='main']")) == 1, path
        assert doc.xpath("//a[@class='skip']/@href") == ["#main"], path
        assert doc.xpath("//header[@role='banner']") and doc.xpath("//footer[@role='contentinfo']")
        assert all(nav.get("aria-label") for nav in doc.xpath("//nav")), path
        assert all(img.get("alt") is not None for img in doc.xpath("//img")), path
        assert len(doc.xpath("//h1")) == 1, path
        # No external stylesheet, script, font or frame: only our own /static files.
        assert doc.xpath("//link[@rel='stylesheet']/@href") == ["/static/site.css"], path
        assert not doc.xpath("//script[@src] | //iframe | //link[@rel='preconnect']"), path
        # HTML's date and time syntax: at most three digits of a second's fraction
        stamps = doc.xpath("//time/@datetime")
        assert all(VALID_DATETIME.fullmatch(v) for v in stamps), (path, stamps)
    css = client.get("/static/site.css")
    assert css.status_code == 200 and "url(" not in css.text and "@import" not in css.text


def test_unknown_language_and_article_are_not_found(client: TestClient) -> None:
    for path in ("/xx/", "/es/a/999", "/es/a/not-a-number", "/EN/", "/es/page/abc"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html")
