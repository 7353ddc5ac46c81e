"""Sentences quoted in another language than their article's (``translate/passages.py``).

Real text: Sciences et Avenir's page in the extraction fixtures
(``tests/data/extract/pages/fr-sciencesetavenir-rumeur``) quotes Donald Trump's tweet in
English; fr->en wrote it "have has real luck to be one of the biggest game changers" (French
"a" and "chance"), fr->es "have ha real suerte" and "works better with Tiene". The other
sentences are from es news texts of the SemEval-2022 Task 8 pairs (the development half of
``bench/fidelity.py --stories``; ids given with each), which embed tweets in English, and from
pages whose Spanish or French sentences hold English names.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from babelwire.extract.article import extract_article
from babelwire.models import Article, TranslationStatus
from babelwire.run.translation import translate_article
from babelwire.translate import markup
from babelwire.translate.passages import sentence_languages
from babelwire.translate.router import Router

PAGE = Path(__file__).parent / "data" / "extract" / "pages" / "fr-sciencesetavenir-rumeur"
TWEET = ("taken together, have a real chance to be one of the biggest game changers in the "
         "history of medicine")


def _rumour() -> Article:
    html = gzip.decompress((PAGE / "source.html.gz").read_bytes())
    return extract_article(html, json.loads((PAGE / "origin.json").read_text("utf-8"))["url"])


def test_a_quote_in_the_target_language_is_kept_as_written(router: Router) -> None:
    article = _rumour()
    assert TWEET in article.text
    en = translate_article(article, "en", router)
    assert TWEET in en.text, en.text
    assert "real luck" not in en.text and "with Has," not in en.text
    assert en.status == TranslationStatus.PUBLISHED, [c for c in en.checks if not c.ok]


def test_a_quote_in_a_third_language_is_translated_from_it(router: Router) -> None:
    es = translate_article(_rumour(), "es", router)
    assert "historia" in es.text and "game changers in" not in es.text, es.text
    assert "ha real suerte" not in es.text and "con Tiene," not in es.text
    assert es.status == TranslationStatus.PUBLISHED, [c for c in es.checks if not c.ok]


@pytest.mark.parametrize(("src", "sentence", "lang"), [
    # es-6f641d7f21eb-1 and es-fed41cbe0aa8-2: tweets
    ("es", "They will pay a very BIG PRICE!", "en"),
    ("es", "This is not a Warning, it is a Threat.", "en"),
    ("es", "That guy has tweeted that we see Iran responsible for the events in Baghdad & we "
           "will respond to Iran.", "en"),
    ("es", "After thousands of votes, it all comes down to this...", "en"),
    # English names and titles in the article's own sentences: es-f018d79b2d42-1, the fidelity
    # case fr-liberation-screenshot and the section page es-nytimes-section
    ("es", "Marvel Studios, de Disney, produjo el estreno de Sony Pictures “Spider-Man: Far "
           "From Home”.", "es"),
    ("fr", "Le documentaire The Death and Life of Marsha P. Johnson du cinéaste David France "
           "relate l’enquête de l’activiste Victoria Cruz.", "fr"),
    ("es", "Photo CreditKim Raff for The New York Times William Hanage Ómicron no es el final "
           "de la pandemia.", "es"),
    # too few words to tell
    ("es", "Happy New Year!", "es"),
])
def test_the_language_of_a_sentence(router: Router, src: str, sentence: str, lang: str) -> None:
    segment = markup.escape(sentence)
    assert sentence_languages([segment], src, {"en", "es", "fr", "ca"},
                              router.dictionaries()) == [lang]
