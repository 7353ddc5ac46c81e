"""The page cache: LRU and TTL, invalidation by the store's generation, and what it keeps."""

from __future__ import annotations

import time
from dataclasses import replace

import anyio
import pytest

from babelwire.publish import create_app
from babelwire.publish.cache import PageCache
from babelwire.store import Store
from tests.helpers.articles import load_article, reference_translation
from tests.helpers.site import FilledSite, TestClient
from tests.helpers.store import add_article, fill, retranslate


def test_entries_expire_after_the_ttl_and_the_oldest_go_first() -> None:
    now = [0.0]
    cache = PageCache(max_entries=2, ttl=10.0, clock=lambda: now[0])
    cache.put("/a", 200, [], b"a")
    cache.put("/b", 200, [], b"b")
    assert cache.get("/a") is not None  # /a is now the most recently used
    cache.put("/c", 200, [], b"c")
    assert cache.get("/b") is None and cache.get("/a") is not None
    now[0] = 10.5
    assert cache.get("/a") is None and cache.get("/c") is None


def test_large_bodies_are_not_kept() -> None:
    cache = PageCache(max_body=10)
    cache.put("/big", 200, [], b"x" * 11)
    assert cache.get("/big") is None and len(cache) == 0


def test_a_new_generation_empties_the_cache_at_most_once_a_second() -> None:
    now, gen, calls = [0.0], [1], [0]

    def generation() -> int:
        calls[0] += 1
        return gen[0]

    cache = PageCache(generation, check_every=1.0, clock=lambda: now[0])
    anyio.run(cache.revalidate)
    cache.put("/a", 200, [], b"a")
    gen[0] = 2
    now[0] = 0.5
    anyio.run(cache.revalidate)
    assert cache.get("/a") is not None and calls[0] == 1  # not asked again within the second
    now[0] = 1.5
    anyio.run(cache.revalidate)
    assert cache.get("/a") is None and calls[0] == 2


def test_generation_moves_with_what_is_public(store: Store) -> None:
    empty = store.generation()
    filled = fill(store)
    published = store.generation()
    assert published[0] == 4 and published != empty  # 4 published translations, 2 held
    retranslate(store, filled.chips, [reference_translation("en-chips", "es", second=True)])
    assert store.generation()[1] > published[1]


def test_pages_are_served_from_the_cache_until_something_is_published(
        fresh_site: FilledSite) -> None:
    settings, store, _ = fresh_site
    app = create_app(settings, store)
    with TestClient(app) as client:
        first, second = client.get("/es/"), client.get("/es/")
        assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")
        assert second.content == first.content
        assert second.headers["content-security-policy"]  # headers are added to hits too
        assert client.get("/es/?utm=x").headers["x-cache"] == "hit"  # pages ignore queries
        api = client.get("/api/v1/articles?lang=es&limit=1")
        assert api.headers["x-cache"] == "miss"  # the API is keyed by its query
        assert client.get("/api/v1/articles?lang=es&limit=1").headers["x-cache"] == "hit"
        assert "x-cache" not in client.get("/healthz").headers
        assert client.get("/es/a/999").headers["x-cache"] == "miss"
        assert client.get("/es/a/999").headers["x-cache"] == "miss"  # errors are not kept
        copy = replace(load_article("es-vivienda"), url="https://noticiaslevante.example/2")
        add_article(store, copy, [reference_translation("es-vivienda", "en")])
        time.sleep(1.1)  # the cache asks the store for its generation at most once a second
        assert client.get("/es/").headers["x-cache"] == "miss"


@pytest.mark.parametrize("path", ["/es/", "/es/feed.xml", "/api/v1/articles?lang=es"])
def test_without_cache_every_request_is_rendered(fresh_site: FilledSite, path: str) -> None:
    with TestClient(create_app(fresh_site.settings, fresh_site.store, cache=False)) as client:
        responses = [client.get(path) for _ in range(2)]
    assert all(r.status_code == 200 and "x-cache" not in r.headers for r in responses)
