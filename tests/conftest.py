"""Fixtures shared by every test module: isolated data directories, settings and stores."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from babelwire.models import Article, FeedItem, FetchResult, ItemState, Translation
from babelwire.settings import Settings, load
from babelwire.store import Store, new_owner
from babelwire.store.tables import utcnow

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own BABELWIRE_HOME, so no test reads or writes a real data directory."""
    home = tmp_path / "home"
    monkeypatch.setenv("BABELWIRE_HOME", str(home))
    for name in list(os.environ):
        if name.startswith("BABELWIRE_") and name != "BABELWIRE_HOME":
            monkeypatch.delenv(name)
    return home


@pytest.fixture
def settings(_isolated_home: Path) -> Settings:
    """Settings on the test's own data directory, with no politeness delay."""
    return load({"per_host_delay": 0.0}, home=_isolated_home)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    """A migrated SQLite store in the test's data directory."""
    st = Store(settings.db_url)
    yield st
    st.close()


def add_article(store: Store, article: Article, translations: Sequence[Translation], *,
                source_url: str = "https://news.example/feed.xml",
                source_name: str = "Example News", guid: str | None = None,
                publish: bool = True) -> int:
    """Put an article through the store's real transitions, as the pipeline does; returns its id."""
    targets = [t.lang for t in translations]
    source, _ = store.add_source(source_url, targets=targets, name=source_name,
                                 source_lang=article.lang)
    item = FeedItem(guid=guid or article.url, url=article.url, title=article.title)
    store.upsert_feed_items(source.id, [item])
    owner = new_owner()
    item_id = store.item_id(source.id, item.guid)
    claimed = store.claim_item(owner, utcnow(), 60, item_id=item_id)
    assert claimed is not None, "the item was not claimable"
    store.save_document(claimed.id, owner, FetchResult(url=article.url, final_url=article.url,
                                                       status=200, content=article.html.encode()))
    store.save_article(claimed.id, owner, article)
    store.save_translations(claimed.id, owner, translations)
    if publish:
        assert store.publish_item(claimed.id, owner) in (ItemState.PUBLISHED, ItemState.HELD,
                                                         ItemState.FAILED)
    return claimed.id



# -- Redis and PostgreSQL servers for the scale-out tests (tests/services.py) --------------------
from tests.services import (  # noqa: E402, F401
    db_store,
    db_url,
    fresh_pg_url,
    pg_store,
    pg_url,
    postgres_server,
    redis_server,
    redis_url,
    shared_pg_url,
)
