"""The pipeline's two story steps: a copy reuses its original's translations (in the translate
stage), and every article joins its story (in the publish stage, before it is made public).

Both are idempotent: a copy already given its translations has moved on to ``translated``, an
article already in a story stays in it, and index keys are written once.
"""

from __future__ import annotations

from datetime import timedelta

from babelwire.models import Article, ItemInfo
from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.store.tables import utcnow
from babelwire.stories import minhash
from babelwire.stories.grouping import MIN_SHARED, choose, story_keys
from babelwire.stories.similarity import Document


def reuse_copy(settings: Settings, store: Store, item: ItemInfo, article: Article,
               owner: str) -> bool:
    """Index the article's text and, if it is a copy of an article already translated, give
    it that article's translations; True if it did (nothing is left to translate)."""
    bands = minhash.Bands.for_threshold(settings.dedupe_threshold)
    sig = minhash.signature(article.text)
    keys = bands.keys(sig)
    since = utcnow() - timedelta(hours=settings.dedupe_window_hours)
    found = store.candidates("dup", keys, since=since, exclude=item.id,
                             limit=settings.story_candidates)
    store.add_index_keys(item.id, "dup", keys)
    match = minhash.best_match(sig, store.translated_texts(found), settings.dedupe_threshold)
    if match is None:
        return False
    original, similarity = match
    return store.reuse_translations(item.id, owner, original, similarity)


def join_story(settings: Settings, store: Store, item: ItemInfo) -> int | None:
    """Put the item in the story it belongs to (a copy in its original's), or start one; its
    story, or None if the item has no article."""
    joined = store.story_of(item.id)
    if joined is not None:
        return joined
    texts = store.story_texts([item.id], settings.story_lang)
    if not texts:
        return None
    _, lang, title, text = texts[0]
    doc = Document(lang, title, text)
    keys = story_keys(doc)
    now = utcnow()
    original = store.duplicate_of(item.id)
    story = store.story_of(original) if original is not None else None
    similarity = 1.0
    if story is None:
        found = store.candidates("story", keys, since=now - timedelta(
            hours=settings.story_window_hours), exclude=item.id,
            limit=settings.story_candidates, min_shared=MIN_SHARED)
        stories = store.stories_of(found)
        candidates = [(stories[i], Document(lg, t, x))
                      for i, lg, t, x in store.story_texts(found, settings.story_lang)
                      if i in stories]
        choice = choose(doc, candidates)
        story, similarity = choice.story_id, choice.similarity
    return store.join_story(item.id, story, title=title, lang=lang, similarity=similarity,
                            keys=keys, at=now)
