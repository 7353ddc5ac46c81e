"""A sentence's first word that the pair's dictionary lacks: a common word, not a name.

Real texts of ``../shared/data/stories/pairs.jsonl`` (development articles, SemEval-2022 Task 8;
``bench/fidelity.py --stories dev``). Spanish -> English has no "apuñalar" nor "desalojar",
and capitalised at a headline's start each such verb was kept as a name ("Apuñalan to
excampeón", "Desalojan aeroplane"), while Spanish -> French translated them. Where an unknown
word opens a sentence, Apertium also capitalised the first word it knew ("Ambientalistas
Recommended this Thursday").
"""

from __future__ import annotations

import re

from babelwire.models import Article, TranslationStatus
from babelwire.run.translation import translate_article
from babelwire.translate.dictionaries import Dictionaries
from babelwire.translate.names.detect import detect_terms
from babelwire.translate.router import Router

# es-86cf445a0c82 (1), es-dd9bd2df5d70 (2), es-51ce19389790 (1), es-15a6bf69aae6 (2)
STABBED = ("Apuñalan a excampeón mundial de boxeo para robarle la billetera durante fiesta de "
           "Año Nuevo",
           "16:17 Jorge Rodrigo “La Hiena” Barrios recibió varias puñaladas luego de que un "
           "hombre que lo habría reconocido se acercara para abrazarlo.")
EVACUATED = ("Desalojan avión de Delta en AICM; usuarios reportan incendio en turbina",
             "Usuarios reportaron que un avión de Delta Air Lines fue desalojado antes de despegar "
             "en el Aeropuerto Internacional de la Ciudad de México (AICM) por un desperfecto.")
ENVIRONMENTALISTS = ("Ambientalistas recomendaron este jueves al gobierno de México tomar "
                     "\"medidas efectivas\" para proteger a la vaquita marina.")
TRIBUTE = "Santiagueros rinden tributo a Fidel en aniversario 61 de la Revolución"


def _article(title: str, *paragraphs: str) -> Article:
    text = "\n\n".join(paragraphs)
    html = "".join(f"<p>{p}</p>" for p in paragraphs)
    return Article(url="https://stories.invalid/es", title=title, html=html, text=text, lang="es")


def test_an_opening_verb_another_dictionary_knows_is_no_name(router: Router) -> None:
    title, body = STABBED
    with Dictionaries() as dictionaries:
        terms = {t.text for t in detect_terms(
            [title, body], "es", "en", lexicon=router.lexicon("es", "en"),
            common=lambda words: dictionaries.analysed("es", words))}
        # without the other dictionaries it is taken for a name, as before
        alone = {t.text for t in detect_terms([title, body], "es", "en",
                                              lexicon=router.lexicon("es", "en"))}
    assert "Apuñalan" in alone
    assert "Apuñalan" not in terms
    assert {"Jorge Rodrigo", "Barrios"} <= terms


def test_a_quoted_title_or_a_word_after_an_abbreviation_stays_a_name(router: Router) -> None:
    # es-27a8f4127b20 (1): a show's title in quotes opens no sentence; "Soltero" is no word of
    # Spanish -> English, and "soltero" one of Spanish -> French
    show = ("Ciudad de México.- La guapa actriz mexicana Vanessa Guzmán ha vuelto a los "
            "reflectores por su participación en ‘Soltero con hijas’, por lo que la escultural "
            "intérprete ha atraído las miradas.")
    with Dictionaries() as dictionaries:
        terms = {t.text for t in detect_terms(
            [show], "es", "en", lexicon=router.lexicon("es", "en"),
            common=lambda words: dictionaries.analysed("es", words))}
        assert dictionaries.analysed("es", {"soltero"})
        # tests/data/fidelity/en-reuters-oil-stocks: "U.S." ends no sentence
        treasury = {t.text for t in detect_terms(
            ["Long-dated U.S. Treasury yields slipped as risk appetite weakened."], "en", "es",
            lexicon=router.lexicon("en", "es"),
            common=lambda words: dictionaries.analysed("en", words))}
    assert "Soltero" in terms
    assert any("Treasury" in term for term in treasury), treasury


def test_headlines_opening_with_a_verb_the_pair_lacks_are_translated(router: Router) -> None:
    for (title, body), verb, kept in ((STABBED, "Apuñalan", "Barrios"),
                                      (EVACUATED, "Desalojan", "AICM")):
        done = translate_article(_article(title, body), "en", router)
        assert done.status is TranslationStatus.PUBLISHED, done.checks
        first = done.title.split()[0]
        assert verb not in done.title and first[0].isupper(), done.title
        assert kept in done.title + done.text


def test_the_word_after_an_unknown_opening_word_keeps_its_lower_case(router: Router) -> None:
    for text, unknown in ((ENVIRONMENTALISTS, "Ambientalistas"), (TRIBUTE, "Santiagueros")):
        done = translate_article(_article("", text), "en", router)
        opening = re.match(rf"{unknown}\s+(\w+)", done.text)
        assert opening is not None, done.text
        assert opening.group(1).islower(), done.text
    # the two words inside a bold label: Apertium's answer comes in one piece a word
    label, rest = ENVIRONMENTALISTS.split(" este ", 1)
    bold = Article(url="https://stories.invalid/es", title="",
                   html=f"<p><strong>{label}</strong> este {rest}</p>",
                   text=ENVIRONMENTALISTS, lang="es")
    done = translate_article(bold, "en", router)
    assert re.search(r"Ambientalistas(?:</span>)? [a-z]", done.html), done.html


def test_letters_written_with_combining_marks_are_read_whole(router: Router) -> None:
    # es-584c767fe95e (1): the title writes "ñ" and "ú" as a letter and a combining mark
    title = "Festejos de An\u0303o Nuevo au\u0301n no concluyen; morelianos siguen en las calles"
    done = translate_article(_article(title, "Los festejos continúan."), "en", router)
    assert "New Year" in done.title and "Añor" not in done.title, done.title
    assert done.status is TranslationStatus.PUBLISHED, done.checks
