"""How alike two news articles are, in 0..1, and whether they tell the same story.

Five signals, each cheap and language-light, computed over a batch of documents at once (a
pair, or a new article and its candidates):

- ``words``: TF-IDF cosine of title and text, words cut to their first five letters (a crude
  stemmer that serves es, fr and en alike), without the stems most news texts share, with IDF
  weights from the documents compared and a fixed background of news texts;
- ``chars``: TF-IDF cosine of character 3- to 5-grams, which also matches cognates and names
  across languages;
- ``names``: overlap of the capitalised names the two mention;
- ``numbers``: Jaccard similarity of the numbers (figures, years, dates) they mention;
- ``titles``: the better of the two TF-IDF cosines of one's title against the other's title and
  text (the same stems and weights as ``words``): a headline names what the story is about, and
  two reports of one event share it even when their bodies go different ways.

A linear model per kind of pair (same language, or two languages) turns them into the expected
human score of SemEval-2022 Task 8 (1 = same story .. 4 = unrelated), mapped onto 0..1. Its
weights and the same-story cut are fitted by ``bench/stories.py --fit`` on the development part
of ``../shared/data/stories`` (cross-validated there; the held-out part is never fitted).

A pair's verdict depends on the two documents alone (and the fixed background), never on the
other documents compared in the same call: grouping compares a new article with whichever
candidates the window holds, and the workers of a fleet see them in another order than one
process does.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

FEATURES = ("words", "chars", "names", "numbers", "titles")
_WORD = re.compile(r"\w+")
_NAME = re.compile(r"\b[A-ZÁÉÍÓÚÑÀÂÈÊÎÔÛÇÜ][\w'’-]+"
                   r"(?:\s+(?:de|del|la|le|of|du|des)?\s*[A-ZÁÉÍÓÚÑÀÂÈÊÎÔÛÇÜ][\w'’-]+)*")
TOKEN = re.compile(r"(?u)\b\w+\b")      # scikit-learn's token pattern as the vectorizer had it
_NUMBER = re.compile(r"\b\d[\d.,]*\b")
STEM = 5
COMMON_SHARE = 0.25


@dataclass(frozen=True)
class Document:
    """One article as compared: its language, title and plain text."""

    lang: str
    title: str
    text: str

    @property
    def body(self) -> str:
        """Title and text together."""
        return f"{self.title}\n{self.text}"


@dataclass(frozen=True)
class Model:
    """A linear model over ``FEATURES`` giving ``-overall``, and the same-story cut on the
    0..1 similarity."""

    weights: tuple[float, ...]
    bias: float
    cut: float

    def similarity(self, features: Sequence[float]) -> float:
        """The expected human score mapped from 4..1 onto 0..1."""
        minus_overall = float(np.dot(self.weights, features)) + self.bias
        return min(1.0, max(0.0, (minus_overall + 4.0) / 3.0))


# fitted by `python bench/stories.py --fit` on the development pairs (see docs/performance.md)
SAME_LANGUAGE = Model(weights=(2.776, 0.0, 0.0, 0.497, 3.193), bias=-3.915, cut=0.4)
CROSS_LANGUAGE = Model(weights=(3.547, 5.392, 0.0, 1.998, 0.0), bias=-4.856, cut=0.28)


@dataclass(frozen=True)
class Verdict:
    """The comparison of two documents."""

    similarity: float
    same_story: bool
    features: tuple[float, ...]


def stemmed(text: str) -> str:
    """``text`` lowercased with every word cut to its first letters."""
    return " ".join(w[:STEM] for w in _WORD.findall(text.lower()))


def names(text: str) -> set[str]:
    """The capitalised names (one or several words) ``text`` mentions, lowercased."""
    return {m.group(0).lower() for m in _NAME.finditer(text)}


def names_within_sentences(text: str) -> set[str]:
    """The names ``text`` mentions at least once inside a sentence, not only at its start
    (where any word is capitalised: "However", "According"), lowercased; names of several
    words count wherever they are."""
    found = set()
    for m in _NAME.finditer(text):
        before = text[:m.start()].rstrip(" \t\"'«“‘(—–-")
        if " " in m.group(0) or (before and before[-1] not in ".!?:\n"):
            found.add(m.group(0).lower())
    return found


def numbers(text: str) -> set[str]:
    """The numbers ``text`` mentions, without separators (``1.500`` and ``1,500`` alike)."""
    return {re.sub(r"[.,]", "", m.group(0)) for m in _NUMBER.finditer(text)}


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def word_vectors(stems: list[str]) -> list[dict[str, float]]:
    """TF-IDF vectors (L2-normalised, as ``{stem: weight}``) of stemmed texts, without the stems
    common to most news texts of a language (``common_stems``); the IDF weights count the
    background documents too (with two texts alone, every word shared would weigh as much as a
    name).

    The same vectors as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` fitted on the texts
    and the background (``tests/test_stories_compare.py`` checks it), computed here because
    that vectorizer counts the whole background again at every call: a sixth of the time of
    grouping one article. The background's document frequencies are counted once.
    """
    return _weighted([stem_counts(text) for text in stems])


def stem_counts(stems: str) -> Counter[str]:
    """How often each stem of a stemmed text occurs, without the common stems."""
    common = common_stems()
    return Counter(w for w in TOKEN.findall(stems) if w not in common)


def _weighted(counts: list[Counter[str]]) -> list[dict[str, float]]:
    """``word_vectors`` of texts already counted by ``stem_counts``."""
    frequency, total = _background_frequency()
    seen: Counter[str] = Counter()
    for found in counts:
        seen.update(found.keys())
    n_docs = total + len(counts)
    vectors = []
    for found in counts:
        weights = {w: (1.0 + math.log(n)) * (math.log((1 + n_docs) /
                                                       (1 + frequency.get(w, 0) + seen[w])) + 1.0)
                   for w, n in found.items()}
        norm = math.sqrt(sum(v * v for v in weights.values()))
        vectors.append({w: v / norm for w, v in weights.items()} if norm else {})
    return vectors


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(b) < len(a):
        a, b = b, a
    return sum(v * b[w] for w, v in a.items() if w in b)


@cache
def _background_frequency() -> tuple[dict[str, int], int]:
    """In how many background articles each stem is (common stems left out), all languages
    together, and how many articles there are."""
    common = common_stems()
    counts = background_counts()
    frequency: Counter[str] = Counter()
    for found in counts.frequency.values():
        frequency.update({w: n for w, n in found.items() if w not in common})
    return dict(frequency), sum(counts.documents.values())


@dataclass(frozen=True)
class BackgroundCounts:
    """Per language: how many background articles, and in how many of them each stem is."""

    documents: dict[str, int]
    frequency: dict[str, dict[str, int]]


@cache
def background_counts() -> BackgroundCounts:
    """The background's stem counts (en, es, fr news articles of the extraction benchmarks'
    development pages; built by ``scripts/build_story_background.py``, which says which)."""
    raw = (resources.files("babelwire.stories") / "data" / "background.json.gz").read_bytes()
    data = json.loads(gzip.decompress(raw))
    return BackgroundCounts(data["documents"], data["frequency"])


@cache
def common_stems() -> frozenset[str]:
    """Stems found in at least ``COMMON_SHARE`` of the background articles of a language:
    articles, prepositions, auxiliaries ("the", "que", "les", "avait")."""
    counts = background_counts()
    return frozenset(w for lang, found in counts.frequency.items() for w, n in found.items()
                     if n >= COMMON_SHARE * counts.documents[lang])


def features(docs: Sequence[Document], pairs: Sequence[tuple[int, int]]
             ) -> list[tuple[float, ...]]:
    """The five signals of each pair ``(i, j)`` of ``docs``, each pair's with IDF weights from
    the pair and the background alone (the other documents change nothing).

    Character n-grams, the costly signal, are computed only for pairs in two languages (the
    same-language model does not use them; ``SAME_LANGUAGE.weights[1]`` is 0): grouping an
    article with candidates in its own language stays cheap."""
    bodies = [d.body for d in docs]
    # each text counted once, whatever the number of pairs it is in
    counts = [stem_counts(stemmed(b)) for b in bodies]
    titles = [stem_counts(stemmed(d.title)) for d in docs]
    found_names = [names(b) for b in bodies]
    found_numbers = [numbers(d.text) for d in docs]
    out: list[tuple[float, ...]] = []
    for i, j in pairs:
        first, second = _weighted([counts[i], counts[j]])
        char = 0.0
        if docs[i].lang != docs[j].lang:
            # imported here: scikit-learn is a third of a runner's memory at start, and the
            # pipeline compares articles through their translations, in one language
            from sklearn.feature_extraction.text import TfidfVectorizer

            chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                                    dtype=np.float32).fit_transform([bodies[i], bodies[j]])
            char = float(chars[0].multiply(chars[1]).sum())
        out.append((cosine(first, second), char, _overlap(found_names[i], found_names[j]),
                    _jaccard(found_numbers[i], found_numbers[j]),
                    max(_title_against(titles[i], counts[j]),
                        _title_against(titles[j], counts[i]))))
    return out


def _title_against(title: Counter[str], body: Counter[str]) -> float:
    """TF-IDF cosine of a title against another article's title and text, the IDF weights
    from the two and the background (as ``words``)."""
    first, second = _weighted([title, body])
    return cosine(first, second)


def model_for(a: Document, b: Document) -> Model:
    """The model for a pair: same language or not."""
    return SAME_LANGUAGE if a.lang == b.lang else CROSS_LANGUAGE


def compare(docs: Sequence[Document], pairs: Sequence[tuple[int, int]]) -> list[Verdict]:
    """Compare each pair ``(i, j)`` of ``docs``."""
    verdicts = []
    for (i, j), f in zip(pairs, features(docs, pairs), strict=True):
        model = model_for(docs[i], docs[j])
        score = model.similarity(f)
        verdicts.append(Verdict(score, score >= model.cut, f))
    return verdicts
