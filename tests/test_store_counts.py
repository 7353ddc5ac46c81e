"""Counts of public translations (the chooser, the sources index, the API's languages and
sources, the API list's total) are counted again only when what is public changes, and are then
right at once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import event

from babelwire.publish import create_app
from babelwire.store import Store
from tests.helpers.articles import load_article, make_translation
from tests.helpers.site import FilledSite, TestClient
from tests.helpers.store import add_article

ANOTHER = "https://another.example/news/chips"


class Counting:
    """The counting statements (of public translations, of items...) a store runs."""

    def __init__(self, store: Store) -> None:
        self.seen = 0
        event.listen(store.engine, "before_cursor_execute", self._look)

    def _look(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "count(" in statement:
            self.seen += 1


@pytest.fixture
def client(fresh_site: FilledSite) -> Iterator[TestClient]:
    with TestClient(create_app(fresh_site.settings, fresh_site.store, cache=False,
                               api_rate=1e6, api_burst=1_000_000)) as c:
        yield c


def _languages(client: TestClient) -> dict[str, int]:
    return {x["code"]: x["articles"] for x in client.get("/api/v1/languages").json()}


def test_counts_are_kept_until_something_public_changes(
        client: TestClient, fresh_site: FilledSite) -> None:
    store = fresh_site.store
    counting = Counting(store)
    before = _languages(client)
    assert before == {"en": 1, "es": 2, "fr": 1}
    assert counting.seen == 1
    for path in ("/api/v1/languages", "/api/v1/sources", "/", "/es/sources/", "/en/sources/",
                 "/api/v1/articles?lang=es", "/api/v1/articles?lang=es&source=1"):
        assert client.get(path).status_code == 200
    assert counting.seen == 1                     # nothing changed: nothing counted again

    # the saved page again, as another site's copy (its own address)
    article = replace(load_article("en-chips"), url=ANOTHER, canonical_url=ANOTHER)
    add_article(store, article, [make_translation(article, "fr", article.title, article.html,
                                                  article.text)],
                source_url="https://another.example/feed.xml", source_name="Another")
    assert _languages(client) == {**before, "fr": 2}
    assert counting.seen == 2
    assert client.get("/api/v1/articles", params={"lang": "fr"}).json()["total"] == 2
    sources = {s["name"]: s["articles"] for s in client.get("/api/v1/sources").json()}
    assert sources["Another"] == {"fr": 1}
    assert "Another" in client.get("/fr/sources/").text
    assert counting.seen == 2

    assert store.take_down(article.url).translations == 1
    assert _languages(client) == before
    assert "Another" not in client.get("/fr/sources/").text
    assert counting.seen == 3
