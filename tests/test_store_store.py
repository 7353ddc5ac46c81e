"""The store's transitions: idempotent feed upserts, leases, state changes, visibility."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from babelwire.exceptions import FetchTimeout, HTTPStatusError, StoreError
from babelwire.models import (
    Article,
    Attribution,
    Check,
    FeedItem,
    FetchResult,
    ItemState,
    Translation,
    TranslationStatus,
)
from babelwire.store import Store, new_owner
from babelwire.store.tables import utcnow
from tests.helpers.store import add_article

ARTICLE = Article(
    url="https://noticiaslevante.example/valencia/plan-viviendas-alquiler",
    title="El Gobierno aprueba un plan para construir 20.000 viviendas de alquiler en Valencia",
    html="<p>El Consejo de Ministros aprobó este martes un plan para levantar 20.000 "
         "viviendas.</p>",
    text="El Consejo de Ministros aprobó este martes un plan para levantar 20.000 viviendas.",
    lang="es", author="Marcos Ibáñez", site_name="Noticias del Levante",
    published=datetime.fromisoformat("2024-09-22T18:10:00+02:00"),
    canonical_url="https://noticiaslevante.example/valencia/plan-viviendas-alquiler")


def _translation(lang: str, status: TranslationStatus, title: str = "Title") -> Translation:
    checks = (Check("paragraphs", status != TranslationStatus.HELD, "1 of 1"),)
    return Translation(lang=lang, engine="apertium", title=title, html="<p>Body.</p>",
                       text="Body.", status=status, checks=checks, source_lang="es",
                       attribution=Attribution("Noticias del Levante", ARTICLE.url,
                                               ARTICLE.author, ARTICLE.published, "MT notice"))


def _items(n: int, version: str = "") -> list[FeedItem]:
    stamp = datetime.fromisoformat(version) if version else None
    return [FeedItem(guid=f"g{i}", url=f"https://news.example/{i}", title=f"T{i}", updated=stamp)
            for i in range(n)]


def test_new_store_is_in_wal_mode(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def test_opening_twice_migrates_once(db_url: str) -> None:
    Store(db_url).close()
    again = Store(db_url)
    assert again.list_sources() == []
    again.close()


def test_add_source_is_idempotent(db_store: Store) -> None:
    first, created = db_store.add_source("https://news.example/feed.xml", targets=["en", "fr"])
    second, created_again = db_store.add_source("https://news.example/feed.xml", targets=["en"])
    assert created and not created_again
    assert first.id == second.id and second.targets == ("en",)
    assert len(db_store.list_sources()) == 1


def test_seen_items_are_not_rediscovered_unless_changed(db_store: Store) -> None:
    source, _ = db_store.add_source("https://news.example/feed.xml", targets=["en"])
    assert db_store.upsert_feed_items(source.id, _items(3, "2024-01-01T00:00:00+00:00")) == (3, 0)
    assert db_store.upsert_feed_items(source.id, _items(3, "2024-01-01T00:00:00+00:00")) == (0, 0)
    assert db_store.upsert_feed_items(source.id, _items(4, "2024-01-02T00:00:00+00:00")) == (1, 3)
    assert db_store.list_sources()[0].items == 4


def test_a_leased_item_is_not_claimed_twice(db_store: Store) -> None:
    source, _ = db_store.add_source("https://news.example/feed.xml", targets=["en"])
    db_store.upsert_feed_items(source.id, _items(1))
    now = utcnow()
    first = db_store.claim_item("a", now, 60)
    assert first is not None and first.state == ItemState.DISCOVERED
    assert db_store.claim_item("b", now, 60) is None
    assert db_store.claim_item("b", now + timedelta(seconds=61), 60) is not None


def test_an_item_finished_by_another_runner_between_select_and_update_is_not_claimed(
        db_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runner A selects a waiting item; before A's update, runner B claims it, works it to an
    end state and lets go. A must not lease the finished item (it once did, and reported it
    finished a second time)."""
    source, _ = db_store.add_source("https://news.example/feed.xml", targets=["en"])
    db_store.upsert_feed_items(source.id, _items(1))
    between = Store._gave_up_after_crashes      # runs between A's select and A's update
    finished: list[ItemState] = []
    interleaved = threading.Event()

    def runner_b_finishes_it(s: Any, item_id: int, now: datetime, max_attempts: int | None,
                             after: str | None = None) -> bool:
        if not interleaved.is_set():      # once, in A's claim (B's claim passes through)
            interleaved.set()
            def work() -> None:  # on another connection of the pool
                assert db_store.claim_item("b", utcnow(), 60, item_id=item_id) is not None
                finished.append(db_store.fail_item(item_id, "b", FetchTimeout("slow"),
                                                   max_attempts=1, backoff_seconds=60))
            thread = threading.Thread(target=work)
            thread.start()
            thread.join()
        return between(s, item_id, now, max_attempts, after)

    monkeypatch.setattr(Store, "_gave_up_after_crashes", staticmethod(runner_b_finishes_it))
    assert db_store.claim_item("a", utcnow(), 60) is None
    assert finished == [ItemState.FAILED]


def test_only_the_lease_owner_moves_an_item(db_store: Store) -> None:
    source, _ = db_store.add_source("https://news.example/feed.xml", targets=["en"])
    db_store.upsert_feed_items(source.id, _items(1))
    item = db_store.claim_item("a", utcnow(), 60)
    assert item is not None
    result = FetchResult(url=item.url, final_url=item.url, status=200, content=b"<p>x</p>")
    with pytest.raises(StoreError, match="lease lost"):
        db_store.save_document(item.id, "b", result)
    db_store.save_document(item.id, "a", result)
    assert db_store.get_item(item.id).state == ItemState.FETCHED  # type: ignore[union-attr]


def test_retryable_failure_waits_then_fails_after_max_attempts(db_store: Store) -> None:
    source, _ = db_store.add_source("https://news.example/feed.xml", targets=["en"])
    db_store.upsert_feed_items(source.id, _items(1))
    owner = new_owner()
    for attempt in range(1, 4):
        item = db_store.claim_item(owner, utcnow() + timedelta(days=attempt), 60)
        assert item is not None
        state = db_store.fail_item(item.id, owner, FetchTimeout("timed out", subject=item.url),
                                max_attempts=3, backoff_seconds=60)
    assert state == ItemState.FAILED and item is not None
    failed = db_store.get_item(item.id)
    assert failed is not None and failed.attempts == 3 and "timed out" in (failed.reason or "")


def test_permanent_failure_fails_at_once(db_store: Store) -> None:
    source, _ = db_store.add_source("https://news.example/feed.xml", targets=["en"])
    db_store.upsert_feed_items(source.id, _items(1))
    item = db_store.claim_item("a", utcnow(), 60)
    assert item is not None
    error = HTTPStatusError("404 Not Found", status=404, subject=item.url)
    assert db_store.fail_item(item.id, "a", error, max_attempts=5,
                              backoff_seconds=60) == ItemState.FAILED


def test_only_published_translations_are_public(db_store: Store) -> None:
    item_id = add_article(db_store, ARTICLE, [_translation("en", TranslationStatus.PUBLISHED),
                                           _translation("fr", TranslationStatus.HELD)])
    assert db_store.get_item(item_id).state == ItemState.PUBLISHED  # type: ignore[union-attr]
    assert [a.lang for a in db_store.published_articles("en")] == ["en"]
    assert db_store.published_articles("fr") == []
    assert db_store.published_article(item_id, "fr") is None
    view = db_store.published_article(item_id, "en")
    assert view is not None and view.original_title == ARTICLE.title
    assert view.original_published == ARTICLE.published and view.author == "Marcos Ibáñez"
    assert view.published_at is not None and view.published_at.tzinfo is UTC


def test_an_item_with_only_held_translations_is_held(db_store: Store) -> None:
    item_id = add_article(db_store, ARTICLE, [_translation("en", TranslationStatus.HELD)])
    item = db_store.get_item(item_id)
    assert item is not None and item.state == ItemState.HELD
    assert db_store.count_published("en") == 0


def test_translations_are_invisible_until_the_publish_stage(db_store: Store) -> None:
    item_id = add_article(db_store, ARTICLE, [_translation("en", TranslationStatus.PUBLISHED)],
                          publish=False)
    assert db_store.get_item(item_id).state == ItemState.TRANSLATED  # type: ignore[union-attr]
    assert db_store.published_articles("en") == []


def test_article_round_trip_keeps_the_original_offset(db_store: Store) -> None:
    item_id = add_article(db_store, ARTICLE, [_translation("en", TranslationStatus.PUBLISHED)])
    article = db_store.load_article(item_id)
    assert article == ARTICLE
    assert article is not None and article.published is not None
    assert article.published.isoformat() == "2024-09-22T18:10:00+02:00"


def test_summary_counts_by_state(db_store: Store) -> None:
    add_article(db_store, ARTICLE, [_translation("en", TranslationStatus.PUBLISHED)])
    summary = db_store.summary()
    assert summary["sources"] == 1
    assert summary["items"] == {"published": 1}
    assert summary["translations"] == {"published": 1}


def test_an_abandoned_lease_counts_as_an_attempt(db_store: Store) -> None:
    """A process that dies while working an item leaves its lease to run out: each such death
    is an attempt, and an item that kills every runner ends failed instead of looping."""
    source, _ = db_store.add_source("https://news.example/feed.xml", targets=["en"])
    db_store.upsert_feed_items(source.id, _items(1))
    now = utcnow()
    for attempt in (1, 2, 3):
        item = db_store.claim_item(f"dead-{attempt}", now, 60, max_attempts=3)
        assert item is not None and item.attempts == attempt - 1
        now += timedelta(seconds=61)  # the owner died: its lease runs out
    assert db_store.claim_item("fourth", now, 60, max_attempts=3) is None
    assert item is not None
    failed = db_store.get_item(item.id)
    assert failed is not None and failed.state == ItemState.FAILED and failed.attempts == 3
    assert "stopped during the discovered stage" in (failed.reason or "")


def test_a_lease_handed_on_is_taken_over_without_an_attempt_even_once_it_ran_out(
        db_store: Store) -> None:
    # a task retried under its own lease after an outage longer than the lease, or the task a
    # stage handed its item to after its sender died before letting go: nobody crashed on it
    source, _ = db_store.add_source("https://news.example/feed.xml", targets=["en"])
    db_store.upsert_feed_items(source.id, _items(2))
    now = utcnow()
    first = db_store.claim_item("sender", now, 60)
    second = db_store.claim_item("dead", now, 60)
    assert first is not None and second is not None
    later = now + timedelta(seconds=61)
    taken = db_store.claim_item("next", later, 60, item_id=first.id, after="sender")
    assert taken is not None and taken.attempts == 0
    status = db_store.item_status(first.id)
    assert status is not None and status.lease_owner == "next"
    # the same run-out lease claimed from another owner than the one it names is a crash
    other = db_store.claim_item("next", later, 60, item_id=second.id, after="sender")
    assert other is not None and other.attempts == 1


def test_new_items_are_fetched_before_fetched_ones_are_extracted(db_store: Store) -> None:
    source, _ = db_store.add_source("https://news.example/feed.xml", targets=["en"])
    db_store.upsert_feed_items(source.id, _items(3))
    first = db_store.claim_item("a", utcnow(), 60)
    assert first is not None
    db_store.save_document(first.id, "a", FetchResult(url=first.url, final_url=first.url,
                                                       status=200, content=b"<p>x</p>"))
    db_store.release(first.id, "a")
    claimed = [db_store.claim_item("b", utcnow(), 60) for _ in range(3)]
    assert [c.state for c in claimed if c] == [ItemState.DISCOVERED, ItemState.DISCOVERED,
                                               ItemState.FETCHED]


def test_new_pages_are_fetched_first_then_the_latest_stage_comes_first(db_store: Store) -> None:
    # fetched before anything is extracted (extraction learns from a feed's fetched pages);
    # then an article is published before the next is translated, and translated before the
    # next is extracted, so that the engines work while babelwire's own process extracts
    source, _ = db_store.add_source("https://news.example/feed.xml", targets=["en"])
    db_store.upsert_feed_items(source.id, _items(4))
    owner, now = new_owner(), utcnow()
    ids = [db_store.item_id(source.id, f"g{i}") for i in range(4)]
    for steps, item_id in enumerate(ids[1:], start=1):     # g1 fetched, g2 extracted, ...
        assert db_store.claim_item(owner, now, 60, item_id=item_id) is not None
        assert item_id is not None
        db_store.save_document(item_id, owner, FetchResult(
            url=ARTICLE.url, final_url=ARTICLE.url, status=200, content=b"<p>x</p>"))
        if steps > 1:
            db_store.save_article(item_id, owner, ARTICLE)
        if steps > 2:
            db_store.save_translations(item_id, owner, [])
        db_store.release(item_id, owner)
    order = []
    while (item := db_store.claim_item(new_owner(), now, 60)) is not None:
        order.append((item.id, item.state))
    assert order == [(ids[0], ItemState.DISCOVERED), (ids[3], ItemState.TRANSLATED),
                     (ids[2], ItemState.EXTRACTED), (ids[1], ItemState.FETCHED)]
