"""``babelwire stories compare``: pairs of articles in, one verdict per pair out.

Pairs come one JSON object per line in the format of ``../shared/data/stories``; only ``id``,
``lang1``/``lang2``, ``title1``/``title2`` and ``text1``/``text2`` are read (never the human
scores). Each pair is compared on its own.

Two articles in two languages are compared as the pipeline compares them: each is translated
into the common language (``story_lang``) by babelwire's engines (offline, Apertium: the
``translator`` given, ``babelwire.run.stories.Translator``), and the translations are judged by
the same-language model. Without a route between the languages (or with ``--no-translate``),
the cross-language model compares the originals (names, cognates, character n-grams, numbers).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from babelwire.exceptions import ConfigError
from babelwire.stories.similarity import Document, Verdict, compare

# A document put into the common language, or None where no engine could translate it
# (``babelwire.run.stories.Translator`` does it with the router).
Translate = Callable[[Document], Document | None]

FIELDS = ("id", "lang1", "lang2", "title1", "title2", "text1", "text2")


@dataclass(frozen=True)
class Pair:
    """Two documents to compare, under the pair's id."""

    id: str
    first: Document
    second: Document


def read_pairs(lines: Iterable[str], *, origin: str = "pairs") -> list[Pair]:
    """Parse JSON lines into pairs; a line without the needed fields is a clear error."""
    pairs = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw: dict[str, Any] = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"line {number} is not JSON: {exc}", subject=origin) from exc
        missing = [f for f in FIELDS if f not in raw]
        if missing:
            raise ConfigError(f"line {number} lacks {', '.join(missing)}", subject=origin)
        pairs.append(Pair(str(raw["id"]),
                          Document(raw["lang1"], raw["title1"] or "", raw["text1"] or ""),
                          Document(raw["lang2"], raw["title2"] or "", raw["text2"] or "")))
    return pairs


def verdicts(pairs: list[Pair], translator: Translate | None = None) -> list[Verdict]:
    """Compare every pair on its own (as the pipeline compares an article with a few others:
    the verdict on a pair never depends on the rest of the file); a pair in two languages
    through ``translator``'s translations when it can make both."""
    found = []
    for p in pairs:
        first, second = p.first, p.second
        if translator is not None and first.lang != second.lang:
            a, b = translator(first), translator(second)
            if a is not None and b is not None:
                first, second = a, b
        found.append(compare([first, second], [(0, 1)])[0])
    return found


def compare_lines(pairs: list[Pair], translator: Translate | None = None) -> Iterator[str]:
    """One JSON line per pair: ``{"id", "similarity", "same_story"}``."""
    for pair, verdict in zip(pairs, verdicts(pairs, translator), strict=True):
        yield json.dumps({"id": pair.id, "similarity": round(verdict.similarity, 4),
                          "same_story": verdict.same_story})
