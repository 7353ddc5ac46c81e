"""Spanish "EE.UU." and "EE. UU." (the United States) come out in the target's words.

No engine dictionary into French had the abbreviation, so it was published as it is ("aux
EE.UU."), and "EE. UU." ended a sentence at its first stop ("Les exportations à EE. UU. Ils
ont grandi"). The source is read with it written out (``document.source_form``), and English
gives it its article (``typography``).

Real text: newstest2013 (``../shared/data/mt/newstest2013/es.txt``, the WMT 2013 test set),
lines 722, 1602 and 1603 (development documents of ``bench/reference_names.py``).
"""

from __future__ import annotations

from babelwire.models import Article, TranslationStatus
from babelwire.run.translation import translate_article
from babelwire.translate.document import source_form
from babelwire.translate.router import Router
from babelwire.translate.typography import clean_text

LINES = ("Se ponen en huelga los empleados de restaurantes de comida rápida y supermercados en "
         "EE.UU.",                                                                   # 722
         "En cambio, EE. UU. se ha mostrado claramente a favor de un veto.",             # 1602
         "¿Existe disparidad de opiniones entre EE. UU. y muchas naciones europeas?")     # 1603


def test_the_abbreviation_is_read_written_out() -> None:
    assert source_form(LINES[1], "es") == \
        "En cambio, Estados Unidos se ha mostrado claramente a favor de un veto."
    # its stop also ends the sentence before a capital or the text's end
    assert source_form("Abrió oficinas en EE.UU. El año pasado creció.", "es") == \
        "Abrió oficinas en Estados Unidos. El año pasado creció."
    assert source_form(LINES[0], "es").endswith("en Estados Unidos.")
    assert source_form("<p>Vive en EE. UU.</p>", "es") == "<p>Vive en Estados Unidos.</p>"
    # other languages are read as they are
    assert source_form("EE. UU.", "fr") == "EE. UU."


def test_the_united_states_in_the_targets_words(router: Router) -> None:
    article = Article(url="https://newstest.invalid/es", title="", lang="es",
                      html="".join(f"<p>{line}</p>" for line in LINES),
                      text="\n\n".join(LINES))
    for lang, name in (("fr", "États-Unis"), ("en", "United States")):
        tr = translate_article(article, lang, router)
        assert tr.text.count(name) == 3 and "EE." not in tr.text and "UU" not in tr.text, \
            tr.text
        assert len(tr.text.splitlines()) == 3, tr.text
        assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]
    # English names it with its article ("in United States", "among United States")
    english = translate_article(article, "en", router).text
    assert english.count("the United States") == 3, english


def test_english_gives_the_united_states_its_article() -> None:
    assert clean_text("The embassy of United States in Baghdad.", "es", "en") == \
        "The embassy of the United States in Baghdad."
    assert clean_text("Paid in United States dollars.", "es", "en") == \
        "Paid in United States dollars."
    assert clean_text("Instead, United States has said so. United States Steel fell.", "es",
                      "en") == "Instead, the United States has said so. United States Steel fell."
    assert clean_text("United States announced it.", "es", "en") == \
        "The United States announced it."
    # other names English writes with "the" (the development story texts' outputs: "citizens
    # of United Kingdom", "in Philippines", "peace in Middle East")
    assert clean_text("Citizens of Italy, United Kingdom and Ukraine live in Philippines.",
                      "es", "en") == \
        "Citizens of Italy, the United Kingdom and Ukraine live in the Philippines."
    assert clean_text("Peace in Middle East, said the minister.", "fr", "en") == \
        "Peace in the Middle East, said the minister."
    assert clean_text("Le président des États-Unis.", "es", "fr") == "Le président des États-Unis."
