"""A translation depends on its sentence alone, not on what the engine translated before.

Apertium's HMM tagger rewrites part of its model when it meets a word of a kind it was not trained
on ("cierto" in Spanish, "I" in English), and keeps the change for every later segment: a
long-lived pipeline then words the same sentence differently from a fresh one. The engine must
answer every sentence as a freshly started pipeline does, whatever it translated before, in
whatever calls and order -- for each direct pair and for English -> French through Spanish.
Name detection, which keeps Apertium's dictionaries running for the router's lifetime, must find
the same names in an article whatever it looked at before. The sentences are four whole
newstest2013 documents (see data/determinism/PROVENANCE.md).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

from babelwire.translate.engines.apertium.engine import ApertiumEngine
from babelwire.translate.engines.base import translate
from babelwire.translate.names.detect import ProtectedTerm, detect_terms
from babelwire.translate.router import Router

DATA = Path(__file__).parent / "data" / "determinism"
ARTICLE = 25                 # sentences per call, about one article's
# (source, target, probe lines): lines that a pipeline left running used to word differently
# after translating these documents (en->es, es->fr, en->fr), and two plain ones elsewhere
CASES = [("en", "es", (126, 156)), ("es", "en", (5, 21)), ("fr", "es", (5, 21)),
         ("es", "fr", (5, 21)), ("en", "fr", (27, 31)),
         # English -> Catalan's perceptron tagger runs uncut, as an ordinary stage
         ("en", "ca", (27, 126))]


def _lines(lang: str) -> list[str]:
    return (DATA / f"newstest-{lang}.txt").read_text(encoding="utf-8").splitlines()


def _translate(engine: ApertiumEngine, texts: Sequence[str], src: str, tgt: str) -> list[str]:
    """Through a router, as the pipeline does (English -> French goes through Spanish)."""
    return Router([engine]).translate(texts, src, tgt).texts


def _fresh(text: str, src: str, tgt: str) -> str:
    engine = ApertiumEngine()
    try:
        return _translate(engine, [text], src, tgt)[0]
    finally:
        engine.close()


@pytest.fixture(scope="module")
def engine(apertium: ApertiumEngine) -> ApertiumEngine:
    return apertium


@pytest.mark.parametrize(("src", "tgt", "probes"), CASES,
                         ids=[f"{s}-{t}" for s, t, _ in CASES])
def test_a_sentence_reads_the_same_after_hundreds_of_others(
        engine: ApertiumEngine, src: str, tgt: str, probes: tuple[int, ...]) -> None:
    lines = _lines(src)
    fresh = {i: _fresh(lines[i], src, tgt) for i in probes}
    in_articles: list[str] = []
    for start in range(0, len(lines), ARTICLE):
        in_articles += _translate(engine, lines[start:start + ARTICLE], src, tgt)
    alone = {i: _translate(engine, [lines[i]], src, tgt)[0] for i in probes}
    backwards = _translate(engine, lines[::-1], src, tgt)[::-1]
    for i in probes:
        assert alone[i] == fresh[i], f"line {i} after {len(lines)} others"
        assert in_articles[i] == backwards[i] == fresh[i], f"line {i} among others"


def test_the_tagger_is_replaced_after_a_word_that_changes_it(engine: ApertiumEngine) -> None:
    sentence = "Bajo su mando el ejército avanzó."
    fresh = _fresh(sentence, "es", "fr")
    assert fresh.startswith("Je descends")              # "Bajo" read as a verb, as Apertium does
    assert translate(engine, ["cierto"], "es", "fr") == ["certain"]
    assert translate(engine, [sentence], "es", "fr") == [fresh]
    assert translate(engine, ["por cierto,", sentence, "cierto", sentence], "es", "fr")[1::2] \
        == [fresh, fresh]
    assert engine._pipelines[("es", "fr")].tagger.restarts >= 3    # type: ignore[union-attr]


def test_name_detection_shares_one_lexicon_per_pair_and_finds_the_same_names() -> None:
    text = _lines("es")
    article, another = text[:40], text[100:140]
    fresh = detect_terms(article, "es", "en")              # a lexicon made for the call
    router = Router([])
    try:
        lexicon = router.lexicon("es", "en")
        assert lexicon is not None
        assert router.bind().lexicon("es", "en") is lexicon
        assert router.without(["apertium"]).lexicon("es", "en") is lexicon
        assert router.lexicon("xx", "en") is None                  # no dictionary: no names
        detect_terms(another, "es", "en", lexicon=lexicon)
        assert detect_terms(article, "es", "en", lexicon=lexicon) == fresh
        results: list[list[ProtectedTerm]] = []
        threads = [threading.Thread(target=lambda t=t: results.append(
            detect_terms(t, "es", "en", lexicon=lexicon))) for t in (article, article)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results == [fresh, fresh]
    finally:
        router.close()
    assert not lexicon._processes                                   # closed with the router


def test_an_article_is_analysed_once_for_targets_sharing_the_analyser() -> None:
    article = _lines("en")[:30]
    router = Router([])
    try:
        to_spanish, to_french = router.lexicon("en", "es"), router.lexicon("en", "fr")
        assert to_spanish is not None and to_french is not None
        assert to_spanish.analyser == to_french.analyser
        terms = detect_terms(article, "en", "es", lexicon=to_spanish)
        assert detect_terms(article, "en", "fr", lexicon=to_french) \
            == detect_terms(article, "en", "fr")
        assert f"-w {to_french.analyser}" not in to_french._processes   # never ran
        assert "Petr Necas" in {t.text for t in terms}          # a person named in the text
    finally:
        router.close()
