"""Answers of the dictionary processes kept in memory, within a bound.

Name detection and the word checks ask Apertium's analysers and bilingual dictionaries about the
same words article after article (function words, frequent names), so the answers are kept. A
long run meets new words all the time, though (the vocabulary of news keeps growing), so what is
kept is bounded: past ``KEEP`` answers the older half is forgotten (insertion order), and the
frequent words come back with the next article. ``bench/rss.py`` measures the bound's effect on
a long run's memory (docs/performance.md).
"""

from __future__ import annotations

from itertools import islice
from typing import Any

KEEP = 30_000            # answers kept by one cache, at most


def trim(kept: dict[Any, Any], keep: int = KEEP) -> None:
    """Forget the older half of ``kept`` once it holds more than ``keep`` answers."""
    if len(kept) > keep:
        for key in list(islice(kept, len(kept) - keep // 2)):
            del kept[key]
