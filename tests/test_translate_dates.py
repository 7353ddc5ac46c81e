"""English dates in the target's words (``translate/names/dates.py``).

Real text: the fidelity cases' pages in ``tests/data/fidelity`` (Reuters on oil stocks, VentureBeat
on WeWork, The Seattle Times, CNBC on Emirates, the Connecticut Post on the LA Auto Show, their
provenance in ``PROVENANCE-en.md``). Apertium wrote "on September 30" as "encima septiembre 30",
"since March" as "desde entonces Marcha", "in April" as "en April", and through Spanish into
French "Il dessus Part 3" (newstest-like "On March 3").
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from babelwire.extract.article import extract_article
from babelwire.models import Article, TranslationStatus
from babelwire.run.translation import translate_article
from babelwire.translate.names.dates import find_dates
from babelwire.translate.names.detect import detect_terms
from babelwire.translate.router import Router

FIDELITY = Path(__file__).parent / "data" / "fidelity"


def _page(name: str) -> Article:
    case = json.loads((FIDELITY / name / "case.json").read_text("utf-8"))
    html = gzip.decompress((FIDELITY / name / "page.html.gz").read_bytes())
    return extract_article(html, str(case["url"]))


@pytest.mark.parametrize(("source", "spanish", "french"), [
    # the pages' own dates
    ("its plans for an initial public offering on September 30 after investors",
     "el 30 de septiembre", "le 30 septembre"),
    ("have been grounded since March.", "desde marzo", "depuis mars"),
    ("Amazon bought Whole Foods in August 2017 for $13.7 billion", "en agosto de 2017",
     "en août 2017"),
    ("which goes on sale in late January,", "a finales de enero", "fin janvier"),
    ("The next round of tariffs is due to start in mid-December.", "a mediados de diciembre",
     "à la mi-décembre"),
    ("it had more than 100 as of last July,", "julio pasado", "juillet dernier"),
    ("An October 11 presentation to bondholders", "11 de octubre", "11 octobre"),
    ("Updated: Nov. 19, 2019", "19 de noviembre de 2019", "19 novembre 2019"),
    # a date opening a sentence is written with a capital; the 1st of a month in French, and
    # no article before a weekday there ("mardi 1er mars", as French news writes it)
    ("On Tuesday, March 1, 2022, the plant reopened.", "El martes 1 de marzo de 2022",
     "Mardi 1er mars 2022"),
])
def test_a_date_is_written_as_the_target_writes_it(source: str, spanish: str,
                                                   french: str) -> None:
    assert [w for _, w in find_dates([source], "en", "es")] == [spanish]
    assert [w for _, w in find_dates([source], "en", "fr")] == [french]


@pytest.mark.parametrize("source", [
    "the March for Our Lives",            # a month alone is no date
    "Fredric March won an Oscar.",
    "the resignation of May",             # Theresa May
    "May's cabinet met in Downing Street.",
    "March-April figures",
])
def test_what_is_not_a_date(source: str) -> None:
    assert list(find_dates([source], "en", "es")) == []


def test_only_english_sources_and_known_targets() -> None:
    assert list(find_dates(["el 3 de marzo de 2020"], "es", "en")) == []
    assert list(find_dates(["on March 3"], "en", "de")) == []


def test_a_translated_page_has_its_dates_in_the_target_language(router: Router) -> None:
    wework, reuters = _page("en-venturebeat-wework"), _page("en-reuters-oil-stocks")
    terms = {t.text: t for t in detect_terms([wework.text], "en", "es",
                                             lexicon=router.lexicon("en", "es"))}
    assert terms["on September 30"].kind == "date"
    for lang, dates in (("es", ("el 30 de septiembre", "a mediados de diciembre")),
                        ("fr", ("le 30 septembre", "à la mi-décembre"))):
        for article, date in zip((wework, reuters), dates, strict=True):
            tr = translate_article(article, lang, router)
            assert date in tr.text, tr.text
            assert "September 30" not in tr.text and "December" not in tr.text
            assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]


def test_an_article_the_engine_puts_before_a_date_is_not_doubled(router: Router) -> None:
    # newstest2013 en 2055: eng-spa's rule for "On Saturday" writes "El" and the day, and
    # the date's own form begins with "el": "El el sábado" (and the check held the document)
    line = ("On Saturday, Mexico's new president Enrique Pena Nieto will receive the "
            "presidential sash and take over the running of the nation.")
    article = Article(url="https://newstest.invalid/en", title="", lang="en",
                      html=f"<p>{line}</p>", text=line)
    tr = translate_article(article, "es", router)
    assert tr.text.startswith("El sábado, "), tr.text
    assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]


# newstest2013 es and fr 454 and 500, fr 1190 and 2944 (development documents of
# bench/reference_names.py): Apertium wrote "el miércoles" as "the Wednesday" and French
# "mercredi" as "miércoles", with no article
NEWSTEST = {
    "es": ("Cogió a todo el mundo por sorpresa el miércoles, cuando anunció que la Asamblea "
           "Constituyente votaría su texto final al día siguiente.",
           "Los partidarios del jefe de Estado se manifestaron el sábado."),
    "fr": ("Prenant tout le monde de court, il a annoncé, mercredi, que l'Assemblée "
           "constituante voterait son texte final le lendemain.",
           "Les soutiens du chef de l'Etat défileront eux, samedi.",
           "Ça sera le cas la veille du jour prévu de la fin du monde, le jeudi 20 décembre 2012 "
           "à partir de 21 heures.",
           "Victoria Principal, coprotagoniste de la série originale, s'est rappelée ce "
           "vendredi d'Hagman comme d'un homme \" immense, tant sur le petit écran que dans la "
           "vie \"."),
}


def test_a_spanish_or_french_weekday_is_the_day_of_the_event(router: Router) -> None:
    assert dict(find_dates(NEWSTEST["es"], "es", "en")) == {
        "el miércoles": "on Wednesday", "el sábado": "on Saturday"}
    assert dict(find_dates(NEWSTEST["fr"][:2], "fr", "es")) == {
        "mercredi": "el miércoles", "samedi": "el sábado"}
    # after "le" or "ce" a weekday is the engine's ("le jeudi 20 décembre 2012" is "el jueves
    # 20 de diciembre de 2012" to it), and so is any "jeudi" of an article that writes one so
    # (a term is found wherever its text stands: "Ce même vendredi" and "Le vendredi 3
    # janvier" in one article had made "Este mismo el viernes")
    assert dict(find_dates(NEWSTEST["fr"][2:], "fr", "es")) == {}
    assert dict(find_dates([*NEWSTEST["fr"][2:], "Il a parlé jeudi."], "fr", "es")) == {}
    for src, tgt, wanted in (("es", "en", ("on Wednesday", "on Saturday")),
                             ("fr", "es", ("el miércoles", "el sábado")),
                             ("fr", "en", ("on Wednesday", "on Saturday"))):
        lines = NEWSTEST[src][:2]
        article = Article(url=f"https://newstest.invalid/{src}", title="", lang=src,
                          html="".join(f"<p>{line}</p>" for line in lines),
                          text="\n\n".join(lines))
        tr = translate_article(article, tgt, router)
        for date in wanted:
            assert date in tr.text, (tgt, tr.text)
        assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]


def test_a_weekday_with_its_date_keeps_the_date(router: Router) -> None:
    # El Mostrador (tests/data/fidelity/es-elmostrador-congreso): "El próximo domingo 4 de
    # septiembre será la fecha definitiva"; a first version wrote "Next Sunday" and lost the
    # date
    article = _page("es-elmostrador-congreso")
    assert "El próximo domingo 4 de septiembre será" in article.text
    for lang, date in (("en", "Next Sunday, September 4 "), ("fr", "Dimanche 4 septembre ")):
        tr = translate_article(article, lang, router)
        assert date in tr.text, tr.text
        assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]


def test_a_weekday_after_a_preposition_has_no_article_in_english(router: Router) -> None:
    # newstest2013 es 745, 1500 and 2108 (development documents): "del jueves", "la edición
    # del sábado", "la vista del viernes" came out "of the Thursday", "of the Saturday"; the
    # human translations have "on Thursday", "Saturday's issue", "Friday's hearing"
    lines = ("El \"Viernes Negro\" se prolongó en sus tiendas desde las 8 de la tarde del jueves "
             "hasta la medianoche del día siguiente.",
             "Puede consultar toda la entrevista en la edición del sábado de Práva.",
             "En la vista del viernes, Fein revisó con Manning los formularios.")
    article = Article(url="https://newstest.invalid/es", title="", lang="es",
                      html="".join(f"<p>{line}</p>" for line in lines), text="\n\n".join(lines))
    tr = translate_article(article, "en", router)
    for weekday in ("Thursday", "Saturday", "Friday"):
        assert f"of {weekday}" in tr.text and f"the {weekday}" not in tr.text, tr.text
    assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]
