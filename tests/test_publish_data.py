"""Test data of the publishing tests (real pages, human translations, a hostile record) and the
helpers the other ``test_publish_*`` modules build their stores with. The tests here check that
the data is what the other tests assume: real paragraphs, faithful links, real metadata."""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from babelwire.models import (
    Article,
    Attribution,
    Check,
    FeedItem,
    FetchResult,
    Translation,
    TranslationStatus,
)
from babelwire.settings import Settings, load
from babelwire.store import Store, new_owner
from babelwire.store.tables import utcnow
from tests.conftest import add_article

DATA = Path(__file__).parent / "data" / "publish"
CASES_DIR = Path(__file__).parent / "data" / "fidelity"
SITE = "https://news.example.org"
CASES = ("en-chips", "es-vivienda")
ENGINE = "human-reference"

with warnings.catch_warnings():
    # Starlette 1.x warns that its TestClient prefers the httpx2 package; httpx (a dependency
    # of babelwire) works, so the warning says nothing about our code.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

__all__ = ["TestClient"]


def site_settings(home: Path, **overrides: Any) -> Settings:
    """Settings of a test site on ``home``, blind to the environment."""
    return load({"site_url": SITE, "site_title": "Babelwire News", **overrides}, home=home,
                environ={})


def case(name: str) -> dict[str, Any]:
    """The fidelity case of a saved page."""
    return dict(json.loads((CASES_DIR / name / "case.json").read_text(encoding="utf-8")))


def load_article(name: str) -> Article:
    """An Article from a saved page: metadata from its head, body from its real paragraphs."""
    page = lxml.html.fromstring((CASES_DIR / name / "page.html").read_bytes())
    body = (CASES_DIR / name / "body.html").read_text(encoding="utf-8").strip()
    text = "\n".join(p.text_content() for p in lxml.html.fragments_fromstring(body))

    def meta(attr: str, value: str) -> str:
        return str(page.xpath(f"string(//meta[@{attr}='{value}']/@content)"))

    return Article(
        url=case(name)["url"], title=page.xpath("string(//h1)"), html=body, text=text,
        lang=case(name)["source_lang"], author=meta("name", "author"),
        published=datetime.fromisoformat(meta("property", "article:published_time")),
        site_name=meta("property", "og:site_name"),
        canonical_url=str(page.xpath("string(//link[@rel='canonical']/@href)")))


def translation_data(name: str, lang: str) -> dict[str, Any]:
    """The stored human translation of a case into ``lang``."""
    path = CASES_DIR / name / f"translation.{lang}.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


def make_translation(article: Article, lang: str, title: str, html: str, text: str = "", *,
                     status: TranslationStatus = TranslationStatus.PUBLISHED,
                     engine: str = ENGINE, notice: str | None = None) -> Translation:
    """A Translation of ``article`` as the translate stage would hand it to the store."""
    if notice is None:
        notice = f"Machine translation notice: translated by {engine}."
    attribution = Attribution(site_name=article.site_name, url=article.canonical_url,
                              author=article.author, published=article.published, notice=notice)
    checks = (Check("links", True, "all links kept"),)
    return Translation(lang=lang, engine=engine, title=title, html=html, text=text,
                       status=status, checks=checks, attribution=attribution,
                       source_lang=article.lang,
                       reason="" if status == TranslationStatus.PUBLISHED else "garbled")


def reference_translation(name: str, lang: str, *, second: bool = False) -> Translation:
    """The human translation of a case (``second``: the independent second translation)."""
    data = translation_data(name, lang)
    prefix = "retranslation_" if second else ""
    html = data[prefix + "html"]
    text = "\n".join(p.text_content() for p in lxml.html.fragments_fromstring(html))
    return make_translation(load_article(name), lang, data[prefix + "title"], html, text)


def hostile() -> tuple[Article, Translation]:
    """An article and its translation full of injections."""
    data = json.loads((DATA / "hostile.json").read_text(encoding="utf-8"))
    article = replace(load_article("en-chips"), **data["article"])
    t = data["translation"]
    return article, make_translation(article, t["lang"], t["title"], t["html"], t["text"],
                                     engine=t["engine"], notice=t["notice"])


HELD_TITLE = "HELD-ONLY translation title"
HELD_BODY = "HELD-ONLY garbled body"
MIXED_HELD_TITLE = "MIXED-HELD catalan title"


@dataclass(frozen=True)
class Filled:
    """Ids of the items a filled store holds."""

    chips: int
    vivienda: int
    hostile: int
    held: int
    source_id: int


def fill(store: Store) -> Filled:
    """A store with the two real articles (three published translations, one held), the
    hostile article, and an item whose only translation was held."""
    chips = add_article(store, load_article("en-chips"), [reference_translation("en-chips", "es")],
                        source_url="https://circuitdaily.example/feed.xml",
                        source_name="Circuit Daily")
    viv = load_article("es-vivienda")
    held_ca = make_translation(viv, "ca", MIXED_HELD_TITLE, f"<p>{HELD_BODY}</p>",
                               status=TranslationStatus.HELD)
    vivienda = add_article(store, viv, [reference_translation("es-vivienda", "en"),
                                        reference_translation("es-vivienda", "fr"), held_ca],
                           source_url="https://noticiaslevante.example/rss",
                           source_name="Noticias del Levante")
    bad_article, bad_translation = hostile()
    hostile_id = add_article(store, bad_article, [bad_translation],
                             source_url="https://circuitdaily.example/feed.xml",
                             source_name="Circuit Daily")
    chips_copy = replace(load_article("en-chips"), url="https://circuitdaily.example/news/held")
    held = add_article(store, chips_copy, [make_translation(
        chips_copy, "es", HELD_TITLE, f"<p>{HELD_BODY}</p>", status=TranslationStatus.HELD)],
        source_url="https://circuitdaily.example/feed.xml", source_name="Circuit Daily")
    item = store.get_item(chips)
    assert item is not None
    return Filled(chips, vivienda, hostile_id, held, item.source_id)


def retranslate(store: Store, item_id: int, translations: list[Translation]) -> None:
    """Work a published item again through the store's transitions, as when its feed entry
    changes, and publish the new translations."""
    item = store.get_item(item_id)
    article = store.load_article(item_id)
    assert item is not None and article is not None
    changed = FeedItem(guid=item.guid, url=item.url, updated=datetime.now(UTC))
    assert store.upsert_feed_items(item.source_id, [changed]) == (0, 1)
    owner = new_owner()
    claimed = store.claim_item(owner, utcnow(), 60, item_id=item_id)
    assert claimed is not None
    store.save_document(item_id, owner, FetchResult(url=item.url, final_url=item.url,
                                                    status=200, content=article.html.encode()))
    store.save_article(item_id, owner, article)
    store.save_translations(item_id, owner, translations)
    store.publish_item(item_id, owner)


# -- the data itself -------------------------------------------------------------------------


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
