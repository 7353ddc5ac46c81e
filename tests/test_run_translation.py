"""The translate step (run/translation.py): an article's source work shared by its targets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any, cast

import pytest

import babelwire.quality.checks
import babelwire.quality.verdict
import babelwire.translate.document
from babelwire.models import Translation
from babelwire.quality.names import find_names, source_names
from babelwire.run.translation import share_source, translate_article
from babelwire.translate.document import read_source
from babelwire.translate.engines.apertium.engine import ApertiumEngine
from babelwire.translate.router import Router
from tests.helpers.articles import load_article

# the steps done on the source text alone, where the pipeline calls them
SOURCE_STEPS = [
    (babelwire.translate.document, "parse_document"),            # cutting the body into runs
    (babelwire.quality.checks, "parse_document"),                # the checks' cut of it
    (babelwire.quality.verdict, "source_names"),                 # the names the checks want
]


def _counted(monkeypatch: pytest.MonkeyPatch, source_html: str) -> Counter[str]:
    """Count the source steps' calls (the checks' cut only when it cuts the source)."""
    calls: Counter[str] = Counter()
    for module, name in SOURCE_STEPS:
        real = getattr(module, name)
        label = f"{module.__name__.rsplit('.', 1)[-1]}.{name}"

        def spy(*args: Any, _real: Callable[..., Any] = real, _label: str = label,
                **kwargs: Any) -> Any:
            if not _label.startswith("checks.") or args[0] == source_html:
                calls[_label] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    return calls


def _same(a: Translation, b: Translation) -> None:
    assert (a.title, a.html, a.text, a.status, a.checks, a.names, a.repairs) == \
           (b.title, b.html, b.text, b.status, b.checks, b.names, b.repairs)


@pytest.mark.parametrize(("name", "targets", "expected"), [
    # English for Spanish and for French (through Spanish): one analyser, found once
    ("en-chips", ("es", "fr"), {"document.parse_document": 1, "verdict.source_names": 1}),
    # Spanish for English (spa-eng) and for French (es-fr): two analysers, names found twice
    ("es-vivienda", ("en", "fr"), {"document.parse_document": 1, "verdict.source_names": 2}),
])
def test_an_articles_source_work_is_done_once_for_all_its_targets(
        router: Router, monkeypatch: pytest.MonkeyPatch, name: str,
        targets: tuple[str, ...], expected: dict[str, int]) -> None:
    article = load_article(name)
    alone = [translate_article(article, target, router) for target in targets]
    calls = _counted(monkeypatch, article.html)
    shared = share_source(article)
    together = [translate_article(article, target, router, shared=shared) for target in targets]
    assert dict(calls) == expected          # and the checks never cut the source again
    for a, b in zip(alone, together, strict=True):
        _same(a, b)


def test_without_shared_work_each_target_does_its_own(router: Router,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    article = load_article("en-chips")
    calls = _counted(monkeypatch, article.html)
    for target in ("es", "fr"):
        translate_article(article, target, router)
    # each call works the source out for itself; its checks still read the draft's cut
    assert dict(calls) == {"document.parse_document": 2, "verdict.source_names": 2}


def test_names_found_once_take_each_targets_exonyms(router: Router) -> None:
    """The names kept for the article's other targets are not changed by one target's exonyms:
    each target gets what finding them afresh gives (New York has a form of its own in
    English -> Spanish, none through Spanish to French)."""
    article = load_article("en-chips")
    source = read_source(article)
    blocks = [source.title_run.text, *(r.text for r in source.layout.runs)]
    lexicons = [lexicon for target in ("es", "fr")
                if (lexicon := router.lexicon("en", target)) is not None]
    assert len(lexicons) == 2
    once = source_names(blocks, lexicons[0].analyse(blocks), "en")
    found = [once.with_exonyms(lexicon.translate_lemmas) for lexicon in lexicons]
    fresh = [find_names(blocks, lexicon.analyse(blocks), "en", translate=lexicon.translate_lemmas)
             for lexicon in lexicons]
    assert found == fresh
    assert found[0].exonyms != found[1].exonyms


@pytest.mark.parametrize(("name", "targets"), [("es-vivienda", ("en", "fr")),
                                               ("en-chips", ("es", "fr"))])
def test_analysers_started_ahead_translate_as_those_started_by_their_first_call(
        name: str, targets: tuple[str, ...]) -> None:
    # Router.start starts the lt-proc analysers of the word checks, name detection, recasing
    # and route choice before the first article: the same processes, started earlier
    article = load_article(name)
    fresh, started = Router([ApertiumEngine()]), Router([ApertiumEngine()])
    try:
        for target in targets:
            started.start(article.lang, target)
        engine = cast(ApertiumEngine, started.engines[0])
        languages = {lang for t in targets for r in started.routes(article.lang, t)
                     for s in r.steps for lang in (s.src, s.tgt)}
        assert {p.parent.name for p in started.dictionaries()._processes} >= \
               {f"apertium-{pair}" for pair in ("eng-spa", "fr-es", "spa-cat")}
        assert "ca" in languages and len(started.dictionaries()._processes) >= 10
        for target in targets:
            lexicon = started.lexicon(article.lang, target)
            closed = started.closed_class_lexicon(target)
            assert lexicon is not None and closed is not None
            assert len(lexicon._processes) >= 2 and closed._processes
            others = started.routes(article.lang, target)[1:]
            assert all((r.steps[0].src, r.steps[0].tgt) in engine._analysers for r in others)
        for target in targets:
            _same(translate_article(article, target, started),
                  translate_article(article, target, fresh))
    finally:
        fresh.close()
        started.close()
