"""``babelwire stories compare``: pairs of articles in, one verdict per pair out.

Pairs come one JSON object per line in the format of ``../shared/data/stories``; only ``id``,
``lang1``/``lang2``, ``title1``/``title2`` and ``text1``/``text2`` are read (never the human
scores). Each pair is compared on its own.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from babelwire.exceptions import ConfigError
from babelwire.stories.similarity import Document, Verdict, compare

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


def verdicts(pairs: list[Pair]) -> list[Verdict]:
    """Compare every pair on its own (as the pipeline compares an article with a few others:
    the verdict on a pair never depends on the rest of the file)."""
    return [compare([p.first, p.second], [(0, 1)])[0] for p in pairs]


def compare_lines(pairs: list[Pair]) -> Iterator[str]:
    """One JSON line per pair: ``{"id", "similarity", "same_story"}``."""
    for pair, verdict in zip(pairs, verdicts(pairs), strict=True):
        yield json.dumps({"id": pair.id, "similarity": round(verdict.similarity, 4),
                          "same_story": verdict.same_story})
