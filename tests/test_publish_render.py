"""Render once, serve many times: bodies sanitised when published and stored, reads that use
the stored rendering, and everything that changes a body rendering it again; the page cache
dropping only the pages a change touches."""

from __future__ import annotations

import time
from dataclasses import replace

import lxml.html
import pytest
from alembic import command
from sqlalchemy import inspect

from babelwire.publish import create_app, present, render
from babelwire.publish.cache import PageCache, touched
from babelwire.publish.sanitize import clean_html
from babelwire.store import Store
from babelwire.store.db import alembic_config
from babelwire.store.site import Change
from tests.helpers.articles import load_article, reference_translation
from tests.helpers.site import FilledSite, TestClient
from tests.helpers.store import add_article, retranslate


def _body_text(client: TestClient, path: str) -> str:
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 200, path
    doc = lxml.html.fromstring(response.text)
    return " ".join(doc.xpath("string(//main//article)").split())


def _no_sanitising(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> str:
        raise AssertionError("a read sanitised an article body")

    monkeypatch.setattr(present, "clean_html", refuse)
    monkeypatch.setattr(render, "clean_html", refuse)


def test_publishing_renders_and_reads_use_the_rendering(
        fresh_site: FilledSite, monkeypatch: pytest.MonkeyPatch) -> None:
    settings, store, filled = fresh_site
    article = store.published_article(filled.chips, "es")
    assert article is not None and article.safe_html is None  # the fixture bypasses the stage
    assert render.render_item(store, filled.chips) == 1
    assert render.render_item(store, filled.chips) == 0        # once
    stored = store.published_article(filled.chips, "es")
    assert stored is not None and stored.safe_html and stored.safe_lead
    assert stored.safe_html == clean_html(stored.html, stored.original_url)
    assert stored.updated_at == article.updated_at  # rendering is not a change readers see
    for other in (filled.vivienda, filled.hostile):
        render.render_item(store, other)
    _no_sanitising(monkeypatch)
    with TestClient(create_app(settings, store, cache=False)) as client:
        words = reference_translation("en-chips", "es").text.split()[:8]
        assert " ".join(words) in _body_text(client, f"/es/a/{filled.chips}")
        for path in ("/es/", "/es/feed.xml", f"/api/v1/articles/{filled.chips}/es",
                     f"/es/a/{filled.chips}/bilingual", "/api/v1/articles?lang=es"):
            assert client.get(path, follow_redirects=True).status_code == 200, path


def test_the_first_read_renders_what_was_not_rendered_and_keeps_it(
        fresh_site: FilledSite) -> None:
    settings, store, filled = fresh_site
    with TestClient(create_app(settings, store, cache=False)) as client:
        assert client.get("/en/").status_code == 200  # a listing renders its entries too
    stored = store.published_article(filled.vivienda, "en")
    assert stored is not None and stored.safe_html and stored.original_safe_html


def test_a_retranslation_and_an_edit_are_rendered_again(fresh_site: FilledSite) -> None:
    settings, store, filled = fresh_site
    render.render_item(store, filled.chips)
    second = reference_translation("en-chips", "es", second=True)
    retranslate(store, filled.chips, [second])
    stored = store.published_article(filled.chips, "es")
    assert stored is not None and stored.safe_html is None  # the new HTML is not rendered yet
    with TestClient(create_app(settings, store, cache=False)) as client:
        assert " ".join(second.text.split()[:8]) in _body_text(client, f"/es/a/{filled.chips}")
        # An editor's change to a held translation, then approved, is what readers get.
        assert store.save_edit(filled.held, "es", title="Edited title",
                               html="<p>An editor wrote this sentence.</p>",
                               text="An editor wrote this sentence.", editor="ed")
        assert store.approve(filled.held, "es", editor="ed") is not None
        assert "An editor wrote this sentence." in _body_text(client, f"/es/a/{filled.held}")


@pytest.mark.parametrize(("key", "expected"), [
    ("/es/a/7-some-title", True), ("/fr/a/7", True), ("/es/a/7/bilingual", True),
    ("/es/a/70-other", False), ("/es/a/8-other", False),
    ("/es/", True), ("/es/page/3", True), ("/es/older/123-4", True), ("/es/feed.xml", True),
    ("/es/sources/", True), ("/es/sources/3", True), ("/es/sources/3/feed.xml", True),
    ("/es/sources/4", False), ("/es/sources/4/atom.xml", False),
    ("/fr/", False), ("/fr/feed.xml", False), ("/fr/sources/3", False),
    ("/", True), ("/sitemap.xml", True), ("/sitemaps/0.xml", True),
    ("/sitemaps/languages.xml", True),
    ("/api/v1/articles?lang=es&limit=5", True), ("/api/v1/articles?lang=fr", False),
    ("/api/v1/articles/7/fr", True), ("/api/v1/articles/8/es", False),
    ("/api/v1/languages", True), ("/api/v1/sources", True),
])
def test_a_change_touches_its_article_its_language_and_its_source(key: str,
                                                                    expected: bool) -> None:
    assert touched(key, 7, "es", 3) is expected


def test_a_takedown_touches_every_language() -> None:
    assert touched("/fr/", 7, "", 3) and touched("/fr/a/7-x", 7, "", 3)
    assert not touched("/fr/a/8-x", 7, "", 3)


def test_forget_drops_only_touched_pages() -> None:
    cache = PageCache()
    for key in ("/es/", "/fr/", "/es/a/7-x", "/es/a/8-y"):
        cache.put(key, 200, [], b"x")
    assert cache.forget([Change(7, "es", 3)]) == 2
    assert cache.get("/fr/") is not None and cache.get("/es/a/8-y") is not None
    assert cache.get("/es/") is None and cache.get("/es/a/7-x") is None


def test_store_changes_name_what_was_published(store: Store) -> None:
    first = store.public_changes(None)
    assert first.changes == () and not first.everything
    item = add_article(store, load_article("es-vivienda"),
                       [reference_translation("es-vivienda", "en")])
    found = store.public_changes(first.mark)
    assert found.everything  # a new source: not a change the store can tell page by page
    item2 = add_article(store, replace(load_article("es-vivienda"),
                                       url="https://noticiaslevante.example/2"),
                        [reference_translation("es-vivienda", "fr")])
    later = store.public_changes(found.mark)
    assert not later.everything
    assert {(c.item_id, c.lang) for c in later.changes} >= {(item2, "fr")}
    assert all(c.item_id in (item, item2) for c in later.changes)


def test_a_publish_keeps_the_other_languages_pages_cached(fresh_site: FilledSite) -> None:
    settings, store, _ = fresh_site
    with TestClient(create_app(settings, store)) as client:
        for path in ("/es/", "/fr/", "/en/"):
            assert client.get(path).status_code == 200
        time.sleep(1.1)
        assert client.get("/es/").headers["x-cache"] == "hit"
        copy = replace(load_article("es-vivienda"), url="https://noticiaslevante.example/2")
        add_article(store, copy, [reference_translation("es-vivienda", "en")],
                    source_url="https://noticiaslevante.example/rss",
                    source_name="Noticias del Levante")
        time.sleep(1.1)  # the cache asks the store what changed at most once a second
        assert client.get("/en/").headers["x-cache"] == "miss"
        assert client.get("/es/").headers["x-cache"] == "hit"
        assert client.get("/fr/").headers["x-cache"] == "hit"


def test_migration_0014_goes_down_and_up_keeping_articles_and_search(fresh_site: FilledSite
                                                                     ) -> None:
    store, filled = fresh_site.store, fresh_site.filled
    render.render_item(store, filled.chips)
    config = alembic_config(store.engine)
    command.downgrade(config, "0013")
    assert "safe_html" not in {c["name"] for c in inspect(store.engine).get_columns("articles")}
    command.upgrade(config, "head")
    article = store.published_article(filled.chips, "es")
    assert article is not None and article.safe_html is None  # rendered again when read
    # The full-text triggers survived both steps (no batch copy of the table).
    assert [a.item_id for a in store.search("es", "Qualcomm")[0]] == [filled.chips]
    retranslate(store, filled.chips, [reference_translation("en-chips", "es", second=True)])
    assert [a.item_id for a in store.search("es", "Qualcomm")[0]] == [filled.chips]
