"""Target-language typography (translate/typography.py) and the attribution
(translate/attribution.py)."""

from __future__ import annotations

import pytest

from babelwire.models import Article
from babelwire.translate.attribution import attribution_for
from babelwire.translate.typography import TAG, clean_atoms, clean_text


@pytest.mark.parametrize(("text", "src", "tgt", "expected"), [
    ("Dijo  que  vale .", "en", "es", "Dijo que vale."),
    ("Il a dit : \"oui\" ? Non !", "en", "fr",
     "Il a dit\u00a0: «\u00a0oui\u00a0»\u00a0? Non\u00a0!"),
    ("À 10:30 sur http://x.fr/a?b", "es", "fr", "À 10:30 sur http://x.fr/a?b"),
    ("« la loi » dit-il ; bien", "fr", "es", "«la loi» dit-il; bien"),
    ("of « the law », he said", "fr", "en", "of “the law”, he said"),
    ("20.000 houses and 3,5 % more", "es", "en", "20,000 houses and 3.5% more"),
    ("1.500,25 euros, 3,5 points", "es", "en", "1,500.25 euros, 3.5 points"),
    ("20,000 dólares y 3.5 puntos", "en", "es", "20.000 dólares y 3,5 puntos"),
    ("20,000 dollars", "en", "fr", "20\u00a0000 dollars"),
    ("20\u00a0000 euros", "fr", "es", "20.000 euros"),
    ("20.000 euros", "es", "fr", "20\u00a0000 euros"),
    ("in 2012, 3 of 10", "es", "en", "in 2012, 3 of 10"),
    ('Dijo: "Qué pasa?" Nada. "No es el FC Barcelona!"', "fr", "es",
     'Dijo: "¿Qué pasa?" Nada. "¡No es el FC Barcelona!"'),
    ("¿Quién? Él lo sabe, no?", "en", "es", "¿Quién? ¿Él lo sabe, no?"),
])
def test_typography(text: str, src: str, tgt: str, expected: str) -> None:
    assert clean_text(text, src, tgt) == expected


def test_tags_stay_in_place_and_attributes_are_untouched() -> None:
    atoms = [(False, "Selon "), (True, '<a href="https://x.fr/?a=1:2">'), (False, "Le Monde"),
             (True, "</a>"), (False, " : oui")]
    out = clean_atoms(atoms, "fr", "fr")
    assert out[1] == (True, '<a href="https://x.fr/?a=1:2">')
    assert out[-1] == (False, "\u00a0: oui")
    assert TAG not in "".join(t for _, t in out)


def test_attribution_falls_back_to_the_host() -> None:
    article = Article(url="https://news.example/a?x=1", title="", html="", text="", lang="es")
    att = attribution_for(article, "n")
    assert att.site_name == "news.example" and att.url == "https://news.example/a?x=1"


def test_protected_terms_keep_their_numbers_and_quotes() -> None:
    # From a photo credit of theplanetarypress.com (trafilatura's evaluation pages), translated
    # by Apertium into Spanish: the licence is a protected anchor, the other number is not.
    atoms = [(False, "Crédito: Tomas Munita/CIFOR (3.5 km) ("),
             (True, '<a href="https://creativecommons.org/licenses/by-nc-nd/2.0/">'),
             (False, "CC BY-NC-ND 2.0"), (True, "</a>"), (False, ") y CC BY-NC-ND 2.0.")]
    out = "".join(t for _, t in clean_atoms(atoms, "en", "es", keep={"CC BY-NC-ND 2.0"}))
    assert out == ("Crédito: Tomas Munita/CIFOR (3,5 km) (<a href=\"https://creativecommons.org"
                   "/licenses/by-nc-nd/2.0/\">CC BY-NC-ND 2.0</a>) y CC BY-NC-ND 2.0.")
    plain = "".join(t for _, t in clean_atoms(atoms, "en", "es"))
    assert "CC BY-NC-ND 2,0" in plain           # without the term, it is a number like others
    quoted = clean_atoms([(False, 'Lo dijo "The Information" : sí')], "en", "fr",
                         keep={'"The Information"'})
    assert quoted == [(False, 'Lo dijo "The Information"\u00a0: sí')]


def test_private_use_characters_of_the_page_are_not_taken_for_kept_terms() -> None:
    # Icon fonts (Font Awesome) put private-use characters in the text.
    atoms = [(False, "\uf09a Síguenos, 3.5 y Le Monde")]
    out = clean_atoms(atoms, "en", "es", keep={"Le Monde"})
    assert out == [(False, "\uf09a Síguenos, 3,5 y Le Monde")]
