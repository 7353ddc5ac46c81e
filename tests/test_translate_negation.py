"""A negation that ends a clause: Spanish "o no", English "no." and their French and English
renderings.

Real text: Última Hora's page of newspaper4k's fixtures, one of the demo's pages too
(``tests/data/extract/pages/es-ultimahora-infanta``: "si se valida o no, no lo sé"), and
newstest2013 (``../shared/data/mt/newstest2013``, en 2308 and 2309: "Yes." / "And no.", in
Spanish "Sí." / "Y no."). Apertium's es-fr wrote "ou ne" (the "ne" of "ne ... pas", with no
verb), es-en "or no", and the English analyser read "no." as the abbreviation of "number" ("Y
núm.").
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from babelwire.extract.article import extract_article
from babelwire.models import Article, TranslationStatus
from babelwire.run.translation import translate_article
from babelwire.translate.router import Router
from babelwire.translate.typography import clean_text

PAGE = Path(__file__).parent / "data" / "extract" / "pages" / "es-ultimahora-infanta"


def _infanta() -> Article:
    html = gzip.decompress((PAGE / "source.html.gz").read_bytes())
    return extract_article(html, json.loads((PAGE / "origin.json").read_text("utf-8"))["url"])


def test_a_clause_ending_in_no_is_translated_as_a_negation(router: Router) -> None:
    article = _infanta()
    assert "si se valida o no, no lo sé" in article.text
    fr = translate_article(article, "fr", router)
    assert re.search(r"\bou non, je ne le sais pas", fr.text), fr.text
    assert not re.search(r"\bne[ \u00a0]*[,.;:!?)»]", fr.text)
    en = translate_article(article, "en", router)
    assert re.search(r"\bor not, ", en.text), en.text
    assert not re.search(r"\bor no[,.;:!?)]", en.text)
    for tr in (fr, en):
        assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]


def test_english_no_before_a_stop(router: Router) -> None:
    article = Article(url="https://newstest.invalid/en", title="", lang="en",
                      html="<p>Yes.</p><p>And no.</p>", text="Yes.\n\nAnd no.")
    es = translate_article(article, "es", router)
    assert es.text.splitlines() == ["Sí.", "Y no."], es.text


@pytest.mark.parametrize(("text", "tgt", "expected"), [
    # a capital "Ne" in mid-sentence is a name or an abbreviation, not the particle
    ("Le front froid NE arrive.", "fr", "Le front froid NE arrive."),
    ("Juridiction Sanitaire Ne, et", "fr", "Juridiction Sanitaire Ne, et"),
    ("Il ne sait pas. Ne, merci.", "fr", "Il ne sait pas. Non, merci."),
    ("Pourquoi ne ? Peut-être ne.", "fr", "Pourquoi pas\u00a0? Peut-être pas."),
    ("yes or no? Paid or no?", "en", "yes or no? Paid or not?"),
    ("or no one came", "en", "or no one came"),
])
def test_the_rule_leaves_what_is_not_a_lone_negation(text: str, tgt: str,
                                                      expected: str) -> None:
    assert clean_text(text, "es", tgt) == expected
