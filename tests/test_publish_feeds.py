"""RSS 2.0, Atom 1.0 and JSON Feed 1.1: valid, complete, attributed, with GUIDs that survive a
re-translation."""

from __future__ import annotations

import json
from typing import Any

import feedparser
import jsonschema
import lxml.etree
import pytest

from babelwire.publish import create_app
from tests.helpers.articles import PUBLISH, case, load_article, reference_translation
from tests.helpers.site import SITE, FilledSite, TestClient
from tests.helpers.store import Filled, retranslate

XML_FEEDS = ("feed.xml", "atom.xml")
VERSIONS = {"feed.xml": "rss20", "atom.xml": "atom10"}


@pytest.fixture(scope="module")
def app_options() -> dict[str, Any]:
    """No page cache."""
    return {"cache": False}


def feed_paths(filled: Filled) -> list[str]:
    """Every feed base: each language, and the sources publishing in it."""
    return ["/es/", "/en/", "/fr/", f"/es/sources/{filled.source_id}/"]


def parse(client: TestClient, path: str) -> Any:
    """Fetch and parse a feed with feedparser, which must find nothing wrong with it."""
    response = client.get(path)
    assert response.status_code == 200, path
    parsed = feedparser.parse(response.content,
                              response_headers={"content-type": response.headers["content-type"]})
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    return parsed


@pytest.mark.parametrize("name", XML_FEEDS)
def test_xml_feeds_parse_cleanly(client: TestClient, filled_site: FilledSite,
                                 name: str) -> None:
    for base in feed_paths(filled_site.filled):
        parsed = parse(client, base + name)
        assert parsed.version == VERSIONS[name]
        assert parsed.feed.language.startswith(base.split("/")[1])
        assert parsed.feed.link == SITE + base.rstrip("/") + ("/" if base.count("/") == 2 else "")
        assert parsed.entries, base


def test_json_feed_validates_against_the_json_feed_schema(
        client: TestClient, filled_site: FilledSite) -> None:
    schema = json.loads((PUBLISH / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for base in feed_paths(filled_site.filled):
        response = client.get(base + "feed.json")
        assert response.headers["content-type"].startswith("application/feed+json")
        feed = response.json()
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(feed)]
        assert errors == [], base
        assert feed["feed_url"] == SITE + base + "feed.json"
        assert feed["items"], base


def entries(client: TestClient, path: str) -> list[dict[str, Any]]:
    """The items of a feed in one shape: feedparser's reading of RSS and Atom (feedparser 6
    does not read JSON Feed), the JSON itself for JSON Feed."""
    if path.endswith(".json"):
        return [{"id": i["id"], "title": i["title"], "link": i["url"],
                 "content": i["content_html"], "author": i["authors"][0]["name"],
                 "published": i["date_published"], "updated": i["date_modified"]}
                for i in client.get(path).json()["items"]]
    return [{"id": e.id, "title": e.title, "link": e.link, "content": e.content[0].value,
             "author": e.author, "published": e.published_parsed, "updated": e.updated_parsed}
            for e in parse(client, path).entries]


@pytest.mark.parametrize(("name", "lang", "key"), [("en-chips", "es", "chips"),
                                                   ("es-vivienda", "en", "vivienda")])
@pytest.mark.parametrize("fmt", [*XML_FEEDS, "feed.json"])
def test_feed_items_carry_the_full_translation_and_its_attribution(
        client: TestClient, filled_site: FilledSite, name: str, lang: str,
        key: str, fmt: str) -> None:
    item_id = getattr(filled_site.filled, key)
    original, translation = load_article(name), reference_translation(name, lang)
    (entry,) = [e for e in entries(client, f"/{lang}/{fmt}")
                if e["id"] == f"{SITE}/{lang}/a/{item_id}"]
    assert entry["title"] == translation.title
    assert entry["link"].startswith(f"{SITE}/{lang}/a/{item_id}-")
    content = entry["content"]
    body = lxml.etree.HTML(content)
    paragraphs = [" ".join("".join(p.itertext()).split()) for p in body.iter("p")]
    for line in translation.text.splitlines():  # the whole article, not a summary
        assert " ".join(line.split()) in paragraphs
    for link in case(name)["links"]:
        assert link["href"] in content
    assert f'href="{original.canonical_url}"' in content
    for fact in (original.site_name, original.author, original.title, "human-reference"):
        assert fact in content, fact
    assert entry["author"] == original.author
    assert entry["published"] and entry["updated"]


def test_json_feed_items_name_the_original_in_their_extension(
        client: TestClient, filled_site: FilledSite) -> None:
    item_id, original = filled_site.filled.vivienda, load_article("es-vivienda")
    (item,) = [i for i in client.get("/en/feed.json").json()["items"]
               if i["id"] == f"{SITE}/en/a/{item_id}"]
    assert item["external_url"] == original.canonical_url
    assert item["authors"] == [{"name": original.author}]
    assert item["language"] == "en"
    extension = item["_babelwire"]
    assert extension["original_title"] == original.title
    assert extension["original_language"] == "es"
    assert extension["site_name"] == original.site_name
    assert original.published is not None
    assert extension["original_published"] == original.published.isoformat()
    assert extension["engine"] == "human-reference"


def test_source_feed_holds_only_that_source(client: TestClient,
                                            filled_site: FilledSite) -> None:
    filled = filled_site.filled
    ids = {e.id for e in parse(client, f"/es/sources/{filled.source_id}/atom.xml").entries}
    assert ids == {f"{SITE}/es/a/{filled.chips}", f"{SITE}/es/a/{filled.hostile}"}
    assert "Circuit Daily" in parse(client, f"/es/sources/{filled.source_id}/feed.xml").feed.title
    other = filled.source_id + 1  # Noticias del Levante publishes in en and fr, not es
    assert client.get(f"/es/sources/{other}/feed.xml").status_code == 404
    assert client.get("/es/sources/999/feed.json").status_code == 404
    assert client.get("/xx/feed.xml").status_code == 404


def guids(client: TestClient, lang: str) -> dict[str, dict[str, str]]:
    """{format: {guid: title}} of a language's three feeds."""
    out = {fmt: {e.id: e.title for e in parse(client, f"/{lang}/{fmt}").entries}
           for fmt in XML_FEEDS}
    items = client.get(f"/{lang}/feed.json").json()["items"]
    out["feed.json"] = {i["id"]: i["title"] for i in items}
    return out


def test_guids_survive_a_retranslation(fresh_site: FilledSite) -> None:
    settings, store, filled = fresh_site
    with TestClient(create_app(settings, store, cache=False)) as client:
        before = guids(client, "en")
        first_url = client.get(f"/en/a/{filled.vivienda}").url
        retranslate(store, filled.vivienda, [
            reference_translation("es-vivienda", "en", second=True),
            reference_translation("es-vivienda", "fr")])
        after = guids(client, "en")
        second = reference_translation("es-vivienda", "en", second=True)
        for fmt in before:
            assert set(after[fmt]) == set(before[fmt]) != set(), fmt
            guid = f"{settings.site_url}/en/a/{filled.vivienda}"
            assert before[fmt][guid] == reference_translation("es-vivienda", "en").title
            assert after[fmt][guid] == second.title
        # The page moved to the new title's slug; the old URL and the GUID lead to it.
        new = client.get(f"/en/a/{filled.vivienda}")
        assert new.url != first_url and new.url.path.endswith("cabinet-backs-plan-for-20-000-"
                                                              "rental-flats-in-valencia")
        assert client.get(first_url.path).url == new.url
        assert "the Tenants' Union deems insufficient" in new.text


def test_feeds_say_when_they_last_changed(client: TestClient) -> None:
    rss = lxml.etree.fromstring(client.get("/es/feed.xml").content)
    atom = lxml.etree.fromstring(client.get("/es/atom.xml").content)
    assert rss.findtext("channel/lastBuildDate")
    updated = atom.findtext("{http://www.w3.org/2005/Atom}updated")
    entries = atom.findall("{http://www.w3.org/2005/Atom}entry")
    assert updated == max(e.findtext("{http://www.w3.org/2005/Atom}updated") for e in entries)
