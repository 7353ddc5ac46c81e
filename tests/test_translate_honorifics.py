"""A person's title before the name, written as the target language writes it.

Real text: lines of newstest2013 (``../shared/data/mt/newstest2013/{fr,es,en}.txt``, the WMT 2013
test set; line numbers given with each), whose human translators wrote "Mr Beaulieu", "Ms
Plamondon", "Mr X" and "M. Beaulieu", "la Sra. Fatulayeva". Apertium wrote French "Mme" through
Spanish as "Sra" (which Spanish -> English lacks) and then, through Catalan, "the lady"; Spanish
"el Sr." as "The Mr."; English "Mrs" as "Dame" in French.
"""

from __future__ import annotations

import pytest

from babelwire.models import Article, TranslationStatus
from babelwire.run.translation import translate_article
from babelwire.translate.names.honorifics import find_titles
from babelwire.translate.router import Router

# newstest2013 fr 102, 131, 183 and 229
FRENCH = ("Par ailleurs, M. Beaulieu insiste sur l'importance de parler de ses inquiétudes et "
          "de ses antécédents familiaux avec son médecin.",
          "Maintenant, qu'est-ce que \"peuvent apporter\" toutes ces recherches, demande Mme "
          "Plamondon?",
          "Hier soir, on a servi une bière à M. X, décédé au cours de la nuit.",
          "M. Zambito a semé à tous vents dans les années 2000, donnant plus de 88 000 dollars "
          "canadiens (environ 68 000 euros) à des partis provinciaux.")
# newstest2013 es 1912, 183, 168 and 2086
SPANISH = ("La directora del museo, la Sra. Fatulayeva, cree en cambio que la causa reside en "
           "la alimentación.",
           "Ayer por la noche le servimos una cerveza al Sr. X, que murió en el transcurso de la "
           "noche.",
           "El mayor temor de la Sra. A., de 89 años, es morir \"consciente y ahogada\".",
           "\"Cuando llegué a su casa, parecía como si le hubieran limpiado el cuerpo\", recuerda "
           "la señora Buendía.")
# newstest2013 en 102 and 168
ENGLISH = ("In addition, Mr Beaulieu emphasises the importance of discussing your concerns and "
           "family history with your doctor.",
           "For Mrs A., 89 years old, the worst fear is to die \"conscious and suffocating.\"")


def _translate(router: Router, text: str, src: str, tgt: str) -> str:
    article = Article(url="https://newstest.invalid/a", title="", lang=src,
                      html=f"<p>{text}</p>", text=text)
    tr = translate_article(article, tgt, router)
    assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]
    return tr.text


@pytest.mark.parametrize(("text", "title"), [(FRENCH[0], "Mr Beaulieu"),
                                              (FRENCH[1], "Ms Plamondon"),
                                              (FRENCH[2], "Mr X"), (FRENCH[3], "Mr Zambito")])
def test_a_french_title_into_english(router: Router, text: str, title: str) -> None:
    out = _translate(router, text, "fr", "en")
    assert title in out and "lady" not in out and "Sra" not in out, out


def test_a_spanish_title_takes_its_article_with_it(router: Router) -> None:
    out = _translate(router, SPANISH[0], "es", "en")
    assert "Ms Fatulayeva" in out and "the Ms" not in out.lower(), out
    out = _translate(router, SPANISH[1], "es", "en")
    assert "to Mr X" in out, out
    assert "Mme Fatulayeva" in _translate(router, SPANISH[0], "es", "fr")
    # "de la" goes with it: Spanish -> French lost the "de" ("La majeure crainte Mme A.")
    assert "crainte de Mme " in _translate(router, SPANISH[2], "es", "fr")
    # and the title written in full ("la dame Buendía")
    out = _translate(router, SPANISH[3], "es", "en")
    assert "Ms Buendía" in out and "lady" not in out, out


def test_an_english_title_into_french(router: Router) -> None:
    assert "M. Beaulieu" in _translate(router, ENGLISH[0], "en", "fr")
    out = _translate(router, ENGLISH[1], "en", "fr")
    # (the initial "A." itself is still read as the article: "Mme Un.")
    assert "Pour Mme " in out and "Dame" not in out, out


def test_an_initial_is_no_title() -> None:
    # "M." after a first name is an initial; where an article writes it so, the text is left
    # to the engine everywhere, since a term is replaced wherever its text stands
    assert dict(find_titles(["Jean M. Dupont est venu.", "Selon M. Dupont, il est parti."],
                            "fr", "en")) == {}
    assert dict(find_titles(["Selon M. Dupont, il est parti."], "fr", "en")) == {"M.": "Mr"}
    # nor is a title before a word in lower case, nor a pair the module does not write
    assert dict(find_titles(["Le prix est de 3 M. d'euros."], "fr", "en")) == {}
    assert dict(find_titles(FRENCH, "fr", "es")) == {}
