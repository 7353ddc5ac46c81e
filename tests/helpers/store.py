"""Putting articles into a store through its real transitions, as the pipeline does, and the
filled store the publishing tests read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from babelwire.models import (
    Article,
    FeedItem,
    FetchResult,
    ItemState,
    Translation,
    TranslationStatus,
)
from babelwire.store import Store, new_owner
from babelwire.store.tables import utcnow
from tests.helpers.articles import (
    garbled_chips,
    hostile,
    load_article,
    make_translation,
    reference_translation,
)

HELD_TITLE = "HELD-ONLY translation title"
HELD_BODY = "HELD-ONLY garbled body"
MIXED_HELD_TITLE = "MIXED-HELD catalan title"
GARBLED_URL = "https://circuitdaily.example/news/modem-garbled"


# The articles of these stores come from saved pages whose rights were never read (their
# Article has no rights: an excerpt by default); the publishing tests read whole translations,
# so their sources declare ``full``, as an operator with the publishers' permission would.
# The republishing modes themselves are tested on real pages through the pipeline
# (tests/test_publish_rights.py).
FIXTURE_REASON = "test fixture: the publishing tests read whole translations"


def add_article(store: Store, article: Article, translations: Sequence[Translation], *,
                source_url: str = "https://news.example/feed.xml",
                source_name: str = "Example News", guid: str | None = None,
                publish: bool = True, republish: str | None = "full") -> int:
    """Put an article through the store's real transitions, as the pipeline does; returns its id.
    Its source declares the mode ``republish`` (None: leaves the source's as it is)."""
    targets = [t.lang for t in translations]
    source, _ = store.add_source(source_url, targets=targets, name=source_name,
                                 source_lang=article.lang, republish=republish,
                                 republish_reason=FIXTURE_REASON if republish else "")
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


def add_garbled(store: Store) -> int:
    """A copy of ``en-chips`` whose only translation is the garbled one; returns its item id."""
    article = replace(load_article("en-chips"), url=GARBLED_URL)
    return add_article(store, article, [garbled_chips()],
                       source_url="https://circuitdaily.example/feed.xml",
                       source_name="Circuit Daily")
