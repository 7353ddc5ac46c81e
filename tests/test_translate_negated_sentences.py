"""A negated sentence stays negated.

Apertium's Spanish -> English drops the "no" of "no habrá" and writes a negative word before
the verb as its positive ("ningún estado exigía" -> "any state demanded", "Si nadie fumara" ->
"If anybody smoked"): the reader read the opposite of the source with every check green. Route
choice now takes such a sentence from another route that keeps a negation, or makes the word
that lost it negative again (``route_choice.RouteChoice.keep_negation``).

Real text: newstest2013 (``../shared/data/mt/newstest2013/es.txt``, the WMT 2013 test set),
lines 27, 47 and 77 (the first 300 lines, development text of ``bench/fidelity.py``).
"""

from __future__ import annotations

from babelwire.models import Article
from babelwire.run.translation import translate_article
from babelwire.translate.negation import negate_first, negated
from babelwire.translate.router import Router

NO_STATE = "Antes de 2004 ningún estado exigía la prueba de ciudadanía para votar."          # 27
NOBODY = ('"Si nadie fumara, esa tasa se elevaría, al menos, al 50%", subraya André Beaulieu, '
          'portavoz de la Sociedad Canadiense contra el Cáncer.')                            # 77
HOWEVER = ("Sin embargo, es innegable que las nuevas reglas adoptadas complicarán el ejercicio "
           "del derecho a voto en 2012.")                                                      # 47


def _translate(router: Router, line: str, tgt: str) -> str:
    article = Article(url="https://newstest.invalid/es", title="", lang="es",
                      html=f"<p>{line}</p>", text=line)
    return translate_article(article, tgt, router).text


def test_the_words_that_negate() -> None:
    assert negated("There will not be classes.", "en")
    assert negated("It isn't here.", "en")
    assert not negated("Before 2004 any state demanded the test.", "en")
    assert negated("No habrá afluencia de talibanes.", "es")
    assert not negated(HOWEVER, "es")           # "sin embargo" is "however"
    assert negated("Il n'y aura pas d'afflux.", "fr")
    assert not negated("Le nord du pays.", "fr")
    assert negated("Si personne fumât.", "fr")
    assert not negated("Une personne fumait.", "fr")
    assert negated("text", "de") is None
    # the abbreviation of "number" (The List on multivitamins, the extraction benchmark's
    # pages: "the No. 1 cause of death" had sent the sentence through Catalan, garbled)
    assert not negated("Cardiovascular disease is the No. 1 cause of death.", "en")
    assert negated("He said no.", "en")
    assert not negated("A no-fly zone over the north.", "en")
    # after a comparison: "more than any other"
    assert not negated("Disney dominó la taquilla más que ninguna otra.", "es")
    assert negated("Pidió que nadie saliera.", "es")
    assert negate_first("Before 2004 any state demanded", "en") == "Before 2004 no state demanded"
    assert negate_first("Anybody smoked", "en") == "Nobody smoked"
    assert negate_first("They smoked", "en") is None


def test_a_negated_sentence_is_not_published_as_its_opposite(router: Router) -> None:
    for line in (NO_STATE, NOBODY):
        for tgt in ("en", "fr"):
            text = _translate(router, line, tgt)
            assert negated(text, tgt), text
    assert "no state" in _translate(router, NO_STATE, "en")
    assert "nobody" in _translate(router, NOBODY, "en").lower()


def test_a_sentence_without_negation_gets_none(router: Router) -> None:
    text = _translate(router, HOWEVER, "en")
    assert not negated(text, "en"), text
