"""The pipeline's two story steps: a copy reuses its original's translations (in the translate
stage), and every article joins its story (in the publish stage, before it is made public).

Both are idempotent: a copy already given its translations has moved on to ``translated``, an
article already in a story stays in it, and index keys are written once.
"""

from __future__ import annotations

import time
from datetime import timedelta

from babelwire.models import Article, ItemInfo
from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.store.tables import utcnow
from babelwire.stories import minhash
from babelwire.stories.grouping import MIN_SHARED, choose, story_keys
from babelwire.stories.minhash import MinHash
from babelwire.stories.similarity import Document
from babelwire.translate.router import Router

COPY_POLL_S = 0.25        # seconds between two looks at an original being translated


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
    if match is None and _wait_for_original(settings, store, item, sig, found):
        match = minhash.best_match(sig, store.translated_texts(found), settings.dedupe_threshold)
    if match is None:
        return False
    original, similarity = match
    return store.reuse_translations(item.id, owner, original, similarity)


def _wait_for_original(settings: Settings, store: Store, item: ItemInfo, sig: MinHash,
                       found: list[int]) -> bool:
    """Wait while an earlier copy of the article is being translated by another worker (with
    several workers the copies of a wire story reach translation together); True if one was.

    Only earlier items are waited for, so two copies never wait for each other; the wait ends
    when the original leaves translation (translated, failed or its lease lost) or after
    ``copy_wait_seconds``, and then the article is translated on its own as before.
    """
    now = utcnow()
    busy = [(i, text) for i, text in store.in_translation(found, now) if i < item.id]
    match = minhash.best_match(sig, busy, settings.dedupe_threshold)
    if match is None:
        return False
    original = match[0]
    deadline = time.monotonic() + settings.copy_wait_seconds
    while time.monotonic() < deadline:
        if not store.in_translation([original], utcnow()):
            return True
        time.sleep(COPY_POLL_S)
    return False


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


class Translator:
    """Documents put into one language by a router's engines, each document once."""

    def __init__(self, router: Router, lang: str) -> None:
        self.router = router
        self.lang = lang
        self._done: dict[tuple[str, str, str], Document | None] = {}

    def __call__(self, doc: Document) -> Document | None:
        """``doc`` in the common language; None if no engine could translate it."""
        if doc.lang == self.lang:
            return doc
        key = (doc.lang, doc.title, doc.text)
        if key not in self._done:
            from babelwire.translate.document import draft_lines

            lines = [doc.title, *(line for line in doc.text.splitlines() if line.strip())]
            draft = draft_lines(lines, doc.lang, self.lang, self.router)
            out = draft.text.split("\n") if draft.text else []
            self._done[key] = Document(self.lang, out[0], "\n".join(out[1:])) \
                if len(out) == len(lines) else None
        return self._done[key]
