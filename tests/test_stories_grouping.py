"""Articles joining stories in a real SQLite store: documents and their translations (held-out
newstest2013 pairs in en, es and fr, with no translation stored, so compared across languages)
end up together, unrelated ones apart, candidates come only from the window, and grouping twice
changes nothing."""

from __future__ import annotations

import gzip
import json
import re
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from babelwire.models import Article, FeedItem, ItemInfo, Translation, TranslationStatus
from babelwire.run.stories import join_story, reuse_copy
from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.stories.grouping import story_keys
from babelwire.stories.similarity import Document
from tests.helpers import DATA

OWNER = "test-owner"


def _pairs() -> list[dict[str, Any]]:
    with gzip.open(DATA / "stories" / "crosslingual-heldout.jsonl.gz", "rt") as f:
        return [json.loads(line) for line in f]


def _add(store: Store, source: int, key: str, lang: str, title: str, text: str) -> ItemInfo:
    store.upsert_feed_items(source, [FeedItem(guid=key, url=f"https://n.example/{key}")])
    item_id = store.item_id(source, key)
    assert item_id is not None
    claimed = store.claim_item(OWNER, datetime.now(UTC), 60, item_id=item_id)
    assert claimed is not None
    store.save_article(item_id, OWNER, Article(url=claimed.url, title=title, html=f"<p>{text}</p>",
                                               text=text, lang=lang))
    store.release(item_id, OWNER)
    info = store.get_item(item_id)
    assert info is not None
    return info


@pytest.fixture
def stories(store: Store, settings: Settings) -> tuple[Store, list[tuple[ItemInfo, ItemInfo]]]:
    """Four documents each with its translation, all grouped, in turn."""
    source, _ = store.add_source("https://n.example/feed", targets=("es",), kind="feed")
    found = [p for p in _pairs() if p["overall"] == 1]
    # one pair per document: ids are xl-DOC-PAIR-DOC
    by_document = {re.sub(r"-(enes|enfr|esfr)-.*", "", p["id"]): p for p in found}
    chosen = list(by_document.values())[:4]
    pairs = []
    for p in chosen:
        a = _add(store, source.id, p["id"] + "a", p["lang1"], p["title1"], p["text1"])
        b = _add(store, source.id, p["id"] + "b", p["lang2"], p["title2"], p["text2"])
        pairs.append((a, b))
    for first, _ in pairs:
        join_story(settings, store, first)
    for _, second in pairs:
        join_story(settings, store, second)
    return store, pairs


def test_a_document_and_its_translation_share_a_story(
        stories: tuple[Store, list[tuple[ItemInfo, ItemInfo]]]) -> None:
    store, pairs = stories
    assert all(store.story_of(a.id) == store.story_of(b.id) for a, b in pairs)
    assert len({store.story_of(a.id) for a, _ in pairs}) == len(pairs) == 4
    story = store.story(store.story_of(pairs[0][0].id) or 0)
    assert story is not None and len(story.members) == 2
    assert len(set(story.languages)) == 2


def test_grouping_again_changes_nothing(
        stories: tuple[Store, list[tuple[ItemInfo, ItemInfo]]], settings: Settings) -> None:
    store, pairs = stories
    before = [(store.story_of(a.id), store.story_of(b.id)) for a, b in pairs]
    for a, b in pairs:
        assert join_story(settings, store, b) == store.story_of(a.id)
    assert [(store.story_of(a.id), store.story_of(b.id)) for a, b in pairs] == before
    assert sum(len(s.members) for s in store.list_stories()) == 8


def test_articles_outside_the_window_are_no_candidates(store: Store, settings: Settings) -> None:
    source, _ = store.add_source("https://n.example/feed", targets=("es",), kind="feed")
    p = next(p for p in _pairs() if p["overall"] == 1)
    a = _add(store, source.id, "a", p["lang1"], p["title1"], p["text1"])
    b = _add(store, source.id, "b", p["lang2"], p["title2"], p["text2"])
    closed = replace(settings, story_window_hours=0.0)
    assert join_story(closed, store, a) != join_story(closed, store, b)


def test_story_keys_are_names_numbers_and_title_words() -> None:
    keys = story_keys(Document("en", "Parliament approves the budget",
                               "Angela Merkel said 2,500 jobs in Berlin would go by 2020."))
    assert {"n:angela merkel", "n:berlin", "d:2500", "d:2020", "w:parli", "w:appro",
            "w:budge"} <= set(keys)


def test_words_capitalised_only_at_a_sentence_start_are_no_story_keys() -> None:
    # Two unrelated held-out documents: before, both were keyed under "n:the", "n:it",
    # "n:however"... and any two such keys made each the other's candidate.
    first, second = _pairs()[0], _pairs()[-1]
    keys = [set(story_keys(Document("en", p["title1"] if p["lang1"] == "en" else p["title2"],
                                    p["text1"] if p["lang1"] == "en" else p["text2"])))
            for p in (first, second)]
    for found in keys:
        names = {k[2:] for k in found if k.startswith("n:")}
        assert names and not names & {"the", "it", "in", "of", "however", "but", "according"}
    assert not {k for k in keys[0] & keys[1] if k.startswith("n:")}
    text = "The study by Stanford University was cited. However, Obama said it. The end."
    assert {k for k in story_keys(Document("en", "A study", text)) if k.startswith("n:")} == {
        "n:stanford university", "n:obama"}


def _claimed(store: Store, source: int, key: str, owner: str, article: Article) -> ItemInfo:
    """An item extracted and still claimed by ``owner``: a worker is translating it."""
    store.upsert_feed_items(source, [FeedItem(guid=key, url=f"https://n.example/{key}")])
    item_id = store.item_id(source, key)
    assert item_id is not None
    assert store.claim_item(owner, datetime.now(UTC), 60, item_id=item_id) is not None
    store.save_article(item_id, owner, replace(article, url=f"https://n.example/{key}"))
    info = store.get_item(item_id)
    assert info is not None
    return info


def test_a_copy_waits_for_its_original_being_translated_and_reuses_it(
        store: Store, settings: Settings) -> None:
    # Two workers: the original is being translated by one when its copy (the same wire text,
    # one sentence cut) reaches the other. The copy waits and takes the original's translation.
    pair = _pairs()[0]
    text = pair["text1"]
    original = Article(url="", title=pair["title1"], html=f"<p>{text}</p>", text=text,
                       lang=pair["lang1"])
    cut = text.rsplit(".", 2)[0] + "."
    copy = replace(original, html=f"<p>{cut}</p>", text=cut, title=pair["title1"] + " (AP)")
    source, _ = store.add_source("https://n.example/feed", targets=("es",), kind="feed")
    first = _claimed(store, source.id, "first", "worker-a", original)
    assert not reuse_copy(settings, store, first, original, "worker-a")   # indexed; no copy
    second = _claimed(store, source.id, "second", "worker-b", copy)
    done = Translation(lang="es", engine="apertium", title=pair["title2"],
                       html=f"<p>{pair['text2']}</p>", text=pair["text2"], source_lang="en",
                       status=TranslationStatus.PUBLISHED)

    def translate_the_original() -> None:
        time.sleep(1.0)
        store.save_translations(first.id, "worker-a", [done])

    worker = threading.Thread(target=translate_the_original)
    worker.start()
    started = time.monotonic()
    reused = reuse_copy(settings.replace(copy_wait_seconds=30.0), store, second, copy,
                        "worker-b")
    worker.join()
    assert reused and 0.9 <= time.monotonic() - started < 30.0
    assert store.duplicate_of(second.id) == first.id
    got = store.load_translation(second.id, "es")
    assert got is not None and got.text == pair["text2"]


def test_a_copy_waits_no_longer_than_told(store: Store, settings: Settings) -> None:
    pair = _pairs()[1]
    original = Article(url="", title=pair["title1"], html=f"<p>{pair['text1']}</p>",
                       text=pair["text1"], lang=pair["lang1"])
    source, _ = store.add_source("https://n.example/feed", targets=("es",), kind="feed")
    first = _claimed(store, source.id, "first", "worker-a", original)   # never finishes
    assert not reuse_copy(settings, store, first, original, "worker-a")
    second = _claimed(store, source.id, "second", "worker-b", original)
    started = time.monotonic()
    assert not reuse_copy(settings.replace(copy_wait_seconds=0.5), store, second, original,
                          "worker-b")
    assert 0.5 <= time.monotonic() - started < 10.0
    assert store.duplicate_of(second.id) is None
