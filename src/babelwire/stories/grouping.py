"""Which story a new article joins: its keys, and the best of its candidates.

An article is indexed under its story keys: the names and numbers it mentions and the stems of
its title's longer words, all language-light (a name stays a name in a translation). The store
returns the articles of the time window that share keys with it (an index lookup, whose cost
does not grow with the store's size); each is compared with the new article by
``stories.similarity`` in the common language, and the article joins the story of the most
similar one judged the same story, or starts a new story.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from babelwire.stories.similarity import (
    Document,
    compare,
    names_within_sentences,
    numbers,
    stemmed,
)

MAX_KEYS = 60
_WORD = re.compile(r"[\w'’-]+")
MIN_SHARED = 2          # keys a candidate must share (one name alone is too common)


def story_keys(doc: Document) -> list[str]:
    """The keys an article is indexed under for stories, at most ``MAX_KEYS``."""
    found = [f"n:{n}" for n in sorted(_real_names(doc), key=lambda n: (-len(n), n))]
    found += [f"d:{n}" for n in sorted(numbers(doc.text)) if len(n) >= 2]
    found += [f"w:{w}" for w in sorted(set(stemmed(doc.title).split())) if len(w) >= 5]
    return found[:MAX_KEYS]


def _real_names(doc: Document) -> set[str]:
    """The names of ``doc`` without the ordinary words capitalised at a sentence's start: a
    one-word "name" seen only there ("However", "According") or that the text also writes in
    lower case ("The"). Such keys matched nearly every article of the window, made every
    article a candidate and, two of them shared, a false story."""
    lowered = {w for w in _WORD.findall(doc.body) if w[0].islower()}
    return {n for n in names_within_sentences(doc.body) if " " in n or n not in lowered}


@dataclass(frozen=True)
class Choice:
    """The story to join (None: start one) and how alike the article is to it."""

    story_id: int | None
    similarity: float


def choose(doc: Document, candidates: Sequence[tuple[int, Document]]) -> Choice:
    """The story of the most similar candidate judged the same story, given ``(story id,
    document)`` candidates; else a new story."""
    if not candidates:
        return Choice(None, 1.0)
    docs = [doc, *(d for _, d in candidates)]
    verdicts = compare(docs, [(0, k) for k in range(1, len(docs))])
    best: Choice | None = None
    for (story_id, _), verdict in zip(candidates, verdicts, strict=True):
        if verdict.same_story and (best is None or verdict.similarity > best.similarity):
            best = Choice(story_id, verdict.similarity)
    return best or Choice(None, 1.0)
