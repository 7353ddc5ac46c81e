"""Words of a pivot language, traced back to the source word they stand for.

English <-> French goes through Spanish or Catalan. A word the second leg does not know comes
out as the first leg wrote it: a word of the pivot, in an article that was never in that
language. In Le Monde's "Que contient la loi sur le renseignement"
(``tests/data/fidelity/fr-lemonde-renseignement``) "En cas de non-lieu" came out "At case of
sobreseïment" (Catalan), and "Elle délivrera son avis" came out "It Will hand his decorate":
"avis" went into Catalan as "parer", which English lacked, and route choice then took "parer"
for the French verb ("to adorn"). In The Seattle Times' halibut story
(``tests/data/fidelity/en-seattletimes-halibut``) "fresh halibut fillets" came out in French
as "frais halibut les relloms" (Catalan). In Regards' "Deux ans et demi en Macronie"
(``tests/data/fidelity/fr-regards-macronie``) "les Mutuelles de Bretagne" came out "the Mutual of
Bretaña", and in L'Opinion's glyphosate column (``tests/data/fidelity/fr-lopinion-glyphosate``)
"S’opposer au glyphosate, c’est s’opposer à une multinationale" came out "Oponerse to the
glyphosate, is oponerse to a multinational". The sentences below are quoted from those pages.
"""

from __future__ import annotations

import re

from babelwire.translate import markup
from babelwire.translate.route_choice import _same_word
from babelwire.translate.router import Router

# Lower-case words of Spanish or Catalan that the two pages' translations used to carry.
PIVOT_WORDS = ("sobreseïment", "sobreseimiento", "parer", "relloms", "filetes")


def _translate(router: Router, sentence: str, src: str, tgt: str) -> str:
    return router.translate([sentence], src, tgt).texts[0]


def _words(text: str) -> set[str]:
    return {w.casefold() for w in markup.plain_words(markup.plain_text(markup.parse(text)))}


def test_a_catalan_word_for_a_french_one_gives_way_to_the_french_word(router: Router) -> None:
    sentence = ("En cas de non-lieu, relaxe, acquittement, amnistie ou réhabilitation, ces "
                "informations seront effacées.")
    out = _translate(router, sentence, "fr", "en")
    assert not _words(out) & set(PIVOT_WORDS), out
    # every word left unknown is the article's own
    assert all(w in sentence for w in markup.unknown_words(out)), out


def test_a_pivot_word_is_not_taken_for_a_source_word_of_another_meaning(router: Router) -> None:
    sentence = ("Elle délivrera son avis, sauf cas d’urgence, avant toute opération de "
                "surveillance ciblée.")
    out = _translate(router, sentence, "fr", "en")
    assert "decorate" not in out and "parer" not in out, out
    assert "opinion" in _words(out), out


def test_an_english_word_lost_through_catalan_is_translated_by_another_route(
        router: Router) -> None:
    sentence = ("Whole Foods stores have been festooned with yellow and blue signs pointing "
                "out Prime member benefits, one of which was fresh halibut fillets priced at "
                "$16.99 a pound, albeit only for a week earlier this month.")
    out = _translate(router, sentence, "en", "fr")
    assert not _words(out) & set(PIVOT_WORDS), out
    assert all(w in sentence for w in markup.unknown_words(out)), out
    assert re.search(r"\bfilets\b|<u>fillets</u>", out), out


def test_a_back_translation_with_an_article_still_finds_the_source_word(router: Router) -> None:
    # Spanish -> French gives "Bretaña" back as "La Bretagne"
    sentence = ("En juin 2017, le parquet de Brest a ouvert une enquête préliminaire sur son "
                "passé à la tête des Mutuelles de Bretagne de 1998 à 2012.")
    out = _translate(router, sentence, "fr", "en")
    assert "Bretaña" not in out and "Bretanya" not in out, out
    assert "Bretagne" in out or "Brittany" in out, out


def test_a_word_twice_keeps_each_occurrences_case(router: Router) -> None:
    sentence = "S’opposer au glyphosate, c’est s’opposer à une multinationale sans foi ni loi."
    out = _translate(router, sentence, "fr", "en")
    assert "oponerse" not in out.casefold(), out
    first, second = out.split(",", 1)
    # the word that stood for the second "s’opposer" opens no sentence: no capital there
    assert not re.search(r"\bis [A-Z]", second), out
    assert first[:1].isupper(), out


def test_the_round_trip_allows_another_ending_but_not_another_word() -> None:
    # "La loi, c’est lui." came out "The law, is lucido" (French -> Spanish read "lui" as the
    # participle of "luire"). "lucido" goes back into French as "lui", but "lui" alone goes into
    # Spanish as "le": the trip does not come back, and the word is not replaced.
    assert not _same_word("le", "lucido")
    # a word agrees with its sentence: alone it may take another gender or number
    assert _same_word("penitenciari", "penitenciària")
    assert _same_word("zimbabuès", "zimbabuesa")
    assert _same_word("tuit", "tuit")
    assert not _same_word("oponents", "opositors")
