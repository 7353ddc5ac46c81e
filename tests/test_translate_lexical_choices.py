"""babelwire's lexical choices for English news (translate/engines/apertium/lexical.py).

Real sentences: newstest2013 (``../shared/data/mt/newstest2013``, the WMT 2013 test set; line
numbers with each). Apertium's pairs chose "fiesta" for every party ("apoyan la Fiesta
Democrática", "la Fête Démocratique" through Spanish) where the human translators wrote
"partido" and "parti"; English -> Catalan wrote a court as a cut ("el Tall Suprem"). The
celebrations below are written for the test: newstest2013 holds none with a word that says so.
"""

from __future__ import annotations

import re

import pytest

from babelwire.run.translation import translate_lines
from babelwire.translate.engines.apertium import lexical
from babelwire.translate.engines.apertium.engine import ApertiumEngine
from babelwire.translate.router import Router

# newstest2013 en 31, 2434, 2621
PARTIES = (
    "However, it appears that two out of three Hispanic voters favour the Democratic party.",
    "Hatred of the Conservative Party was at its most febrile.",
    "Increased immigration is also seen as one of the reasons why, last year, the Singapore "
    "ruling party experienced its worst election result since independence.",
)
# newstest2013 en 879 and 1374: the human translators wrote "encuesta" ("urna", a ballot box,
# was the pair's default)
POLLS = ("In 2000, there was a poll in the press, for the People of Our City prize.",
         "The www.bankovnipoplatky.com server, which issues a poll every year on the most absurd "
         "bank charge, has now decided to announce a competition.")
# newstest2013 en 936: a people, no contest
OUR_RACE = ("To save humanity, the question is how to propagate our race in conditions of "
            "weightlessness or on that replacement planet?")


def _lines(router: Router, lines: tuple[str, ...], tgt: str) -> list[str]:
    return translate_lines(list(lines), "en", tgt, router).text.split("\n")


@pytest.mark.parametrize(("tgt", "party", "feast"), [("es", "partido", "fiesta"),
                                                     ("fr", "parti", "fête")])
def test_a_party_in_the_news_is_a_political_party(router: Router, tgt: str, party: str,
                                                  feast: str) -> None:
    for line in _lines(router, PARTIES, tgt):
        assert re.search(rf"\b{party}\b", line, re.IGNORECASE), line
        assert feast not in line.lower(), line


def test_a_poll_is_a_survey(router: Router) -> None:
    for line in _lines(router, POLLS, "es"):
        assert "encuesta" in line and "urna" not in line, line


def test_the_words_around_keep_the_other_sense(router: Router) -> None:
    out = _lines(router, ("They held a birthday party for the mayor at his house.",
                          "The company posted a loss in the third quarter.",
                          "He lives in the French quarter of the city.",
                          "He entered the race for mayor last year.", OUR_RACE,
                          "The cabinet met on Tuesday to discuss the budget.",
                          "She keeps the pills in the kitchen cabinet."), "es")
    assert "fiesta" in out[0] and "partido" not in out[0], out[0]
    assert "trimestre" in out[1], out[1]
    assert "barrio" in out[2], out[2]
    assert "carrera" in out[3], out[3]
    assert "raza" in out[4], out[4]
    assert "gabinete" in out[5] and "armario" in out[6], out[5:]


def test_the_pairs_default_without_the_choices() -> None:
    # the bench's baseline (bench/lexical_choices.py), and what a machine without lrx-comp
    # publishes: the choices are babelwire's, not Apertium's
    router = Router([ApertiumEngine(lexical_choices=False)])
    try:
        out = _lines(router, PARTIES[:1], "es")
    finally:
        router.close()
    assert "Fiesta" in out[0] or "fiesta" in out[0], out[0]


def test_the_choices_run_before_the_pairs_own() -> None:
    command = ("lt-proc -z -b '/x/eng-spa.autobil.bin' | lrx-proc -z -m '/x/eng-spa.autolex.bin'"
               " | apertium-transfer -z -b '/x/t1x' '/x/t1x.bin'")
    with_choices = lexical.with_choices(command, "en", "es")
    binary = lexical.compiled("en", "es")
    assert binary is not None and binary.exists()
    stages = [s.strip() for s in with_choices.split(" | ")]
    assert stages[1] == f"lrx-proc -z -m {binary}" and stages[2].endswith("autolex.bin'")
    # no choices for other pairs: their pipeline is the pair's
    assert lexical.with_choices(command, "es", "en") == command
    # and the memory keeps the answers of other choices apart
    engine = ApertiumEngine()
    assert engine.pairs()[("en", "es")] != ApertiumEngine(lexical_choices=False).pairs()[
        ("en", "es")]
    engine.close()


def test_the_ruleset_holds_each_pairs_own_choices() -> None:
    text = lexical.ruleset("en", "es")
    assert '<select lemma="partido"/>' in text and '<select lemma="fiesta"/>' in text
    assert "tribunal" not in text        # Spanish keeps "corte", which French takes as "cour"
    assert "tribunal" in lexical.ruleset("en", "ca")


def test_catalan_parties_into_french_are_parties_unless_a_game_is_played(router: Router) -> None:
    # through Catalan, "Six opposition parties" (NBC News, en-nbcnews-korea) came out "Six
    # matchs d'opposition": Catalan "partits" is a match by the pair's default
    out = router.translate(["Sis partits d'oposició van votar.",
                            "El partit de futbol va acabar amb un gol."], "ca", "fr").texts
    assert "partis" in out[0] and "match" not in out[0], out[0]
    assert "match" in out[1], out[1]


def test_to_fire_people_is_to_dismiss_them(router: Router) -> None:
    # ScrapingHub's benchmark (ground truth bodies): Slate's "many of her clients fired her"
    # came out "le dispararon" ("shot her"); The Guardian's police "fired round after round of
    # teargas" still shoot
    out = _lines(router, (
        "He became more and more intermittent with phone calls and correspondence, and many of "
        "her clients fired her.",
        "Hong Kong Polytechnic University was besieged by police, who fired round after round "
        "of teargas at protesters."), "es")
    assert "despidieron" in out[0] and "dispar" not in out[0], out[0]
    assert "disparó" in out[1] and "despid" not in out[1], out[1]
