"""Names checked on what the reader reads: the checker finds the source's names by its own
method and holds a translation that lost one, whatever the protector did; the protector takes
its evidence from the whole document and the page (real pages: the demo sites, and the
hand-read cases of tests/data/fidelity, see their PROVENANCE files)."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import replace
from importlib import resources
from pathlib import Path

import pytest

from babelwire.extract import extract_article
from babelwire.models import Article, Translation, TranslationStatus
from babelwire.quality.names import SourceNames, find_names, missing_names
from babelwire.run.translation import translate_article, translate_lines
from babelwire.store import Store
from babelwire.translate import document
from babelwire.translate.names.detect import detect_terms
from babelwire.translate.names.lexicon import ApertiumLexicon
from babelwire.translate.router import Router
from babelwire.translate.runs import parse_document
from tests.helpers.store import add_article

FIDELITY = Path(__file__).parent / "data" / "fidelity"


def _demo(path: str, url: str) -> Article:
    page = resources.files("babelwire.demo").joinpath(f"data/{path}")
    return extract_article(gzip.decompress(page.read_bytes()), url)


def _case(name: str) -> tuple[dict[str, object], Article]:
    folder = FIDELITY / name
    case = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    page = gzip.decompress((folder / "page.html.gz").read_bytes())
    return case, extract_article(page, str(case["url"]))


def _story(text: str, lang: str = "es", title: str = "") -> Article:
    """An article of one paragraph, as ``bench/fidelity.py --stories`` makes of a story text."""
    return Article(url=f"https://stories.invalid/{lang}", title=title, html=f"<p>{text}</p>",
                   text=text, lang=lang)


def _names(blocks: list[str], lang: str, target: str) -> SourceNames:
    """The checker's names of ``blocks``, with the target forms the pair's dictionary gives."""
    with ApertiumLexicon(lang, target) as lexicon:
        return find_names(blocks, lexicon.analyse(blocks), lang,
                          translate=lexicon.translate_lemmas)


def test_a_name_the_protector_missed_holds_the_translation(
        router: Router, monkeypatch: pytest.MonkeyPatch) -> None:
    # Reuters on the SAG awards (the demo's wire site): with name detection switched off, the
    # engine translates "Waller-Bridge" ("Waller-el puente") and "Marriage Story"; the checker,
    # which does not use the protector, names what is missing.
    article = _demo("wire/en-reuters-parasite.html.gz",
                    "https://www.reuters.com/article/us-awards-sag/parasite")
    monkeypatch.setattr(document, "detect_terms", lambda *a, **k: [])
    tr = translate_article(article, "es", router)
    names = next(c for c in tr.checks if c.name == "names")
    assert tr.status == TranslationStatus.HELD and not names.ok
    assert "'Bridge' missing" in names.detail, names.detail
    assert next(c for c in tr.checks if c.name == "protected_names").ok   # nothing to check


def test_the_same_page_with_the_protector_is_published_with_its_names(router: Router) -> None:
    article = _demo("wire/en-reuters-parasite.html.gz",
                    "https://www.reuters.com/article/us-awards-sag/parasite")
    tr = translate_article(article, "es", router)
    assert "Waller-Bridge" in tr.text
    assert next(c for c in tr.checks if c.name == "names").detail.endswith("kept") or \
        "Story" in next(c for c in tr.checks if c.name == "names").detail


@pytest.mark.parametrize(("lang", "target", "paragraphs", "names", "not_names"), [
    # newstest-like sentences of the fidelity pages, one case per language
    ("en", "es", ["Target and Shell shares fall as London listing looms",
                  "Shares of Target fell on Tuesday, while Shell said its listing in London would "
                  "move. Target said it would cut jobs.", "The Gulf states and the Gulf allies."],
     {"Target", "Shell"}, {"Gulf", "Shares"}),
    ("es", "en", ["El grupo Prisa y la Caixa suben", "Según El País, el grupo Prisa, Vueling y "
                  "la ministra de Vivienda hablaron con el Gobierno."],
     {"Prisa", "Caixa", "Vueling", "El País"}, {"Vivienda", "Gobierno"}),
    ("fr", "es", ["Orange et Total reculent", "Selon Le Monde, les actions de Total et d'Orange "
                  "montent, et Free aussi, dit le ministre de l'Intérieur."],
     {"Orange", "Total", "Free", "Le Monde"}, {"Intérieur"}),
])
def test_names_that_are_common_words_count_in_every_occurrence(
        lang: str, target: str, paragraphs: list[str], names: set[str],
        not_names: set[str]) -> None:
    with ApertiumLexicon(lang, target) as lexicon:
        found = find_names(paragraphs, lexicon.analyse(paragraphs), lang,
                           translate=lexicon.translate_lemmas)
        protected = {t.text for t in detect_terms(paragraphs, lang, target, lexicon=lexicon)}
    assert names <= set(found.blocks), found.blocks
    assert not not_names & set(found.blocks)
    title_names = {n for n in names if n in paragraphs[0]}
    assert all(0 in found.blocks[n] for n in title_names)      # the title's too
    assert names <= protected | {"El País", "Le Monde"}, protected   # publications: the list's


def test_a_place_may_come_out_in_its_target_form() -> None:
    blocks = ["Le sommet de Londres", "Ils étaient aux États-Unis et en Syrie, selon Le Monde. "
              "Le sommet de Londres a eu lieu."]
    found = _names(blocks, "fr", "en")
    output = ["The London summit", "They were in the United States and in Syria, according to "
              "Le Monde. The summit of London took place."]
    assert missing_names(found, output, aligned=True) == []
    assert missing_names(found, ["The summit", output[1]], aligned=True) == [("Londres", 0)]


def test_a_line_s_first_word_is_no_evidence_of_a_name() -> None:
    # trafilatura's evaluation page denkanstoos.wordpress.com/2012/04/11, its lines in one
    # block (as a <br> leaves them): "Moderator" opens a line, as "Gastgeber" does
    block = ("Gastgeber: Xing AG, Dammtorstraße 29-32, 20354 Hamburg\nModerator: Hass Chapman"
             "\nAgenda\nTwo or three 10-15 min lightning talks (30 mins).")
    found = _names(["DenkanStoos April 2012", block], "en", "es")
    assert "Moderator" not in found.words()


def test_names_of_the_page_beyond_its_text_are_evidence(router: Router) -> None:
    # Twin Cities: the description has the team's name in mid-sentence ("the Minnesota Wild
    # beat the Buffalo Sabres"), the byline the author's; keywords are read from the page.
    _, article = _case("en-twincities-wild-sabres")
    assert article.keywords == ("minnesota wild",)
    assert "Minnesota Wild" in article.summary
    terms = {t.text: t.kind for t in detect_terms(
        [article.title, article.text], "en", "es", lexicon=router.lexicon("en", "es"),
        context=[article.summary], known=["Bruce Boudreau"])}
    assert terms.get("Bruce Boudreau") == "known"


def test_hyphenated_names_stay_whole(router: Router) -> None:
    _, article = _case("en-nbcnews-korea")
    runs = [article.title, *(r.text for r in parse_document(article.html, "en").runs)]
    terms = {t.text for t in detect_terms(runs, "en", "es", lexicon=router.lexicon("en", "es"))}
    assert {"Han Dong-hoon", "Lee Jae-myung"} <= terms


def test_names_kept_are_remembered_for_the_next_article_of_the_source(store: Store) -> None:
    _, article = _case("en-barrons-home-depot")
    kept = Translation(lang="es", engine="apertium", title="t", html="<p>t</p>", text="t",
                       status=TranslationStatus.PUBLISHED, source_lang="en",
                       names=("Home Depot", "Lowe’s"))
    held = Translation(lang="fr", engine="apertium", title="t", html="<p>t</p>", text="t",
                       status=TranslationStatus.HELD, source_lang="en", names=("Menear",))
    add_article(store, article, [kept, held])
    source = store.list_sources()[0]
    assert store.known_names(source.id, "en") == ["Home Depot", "Lowe’s"]   # held: not kept
    assert store.known_names(source.id, "es") == []
    # the next article keeping one of them again: counted twice, it comes first
    again = replace(article, url=article.url + "?next", canonical_url=article.url + "?next")
    add_article(store, again, [replace(kept, names=("Lowe’s",))])
    assert store.known_names(source.id, "en") == ["Lowe’s", "Home Depot"]
    loaded = store.load_article(store.item_id(source.id, article.url) or 0)
    assert loaded is not None and loaded.keywords == article.keywords
    assert loaded.summary == article.summary


# -- a place's name in a person's ----------------------------------------------------------------
# Real es news texts of the SemEval-2022 Task 8 pairs (../shared/data/stories/pairs.jsonl, pairs
# es-3a76bb925014, es-78e934bc1152, es-7f0b074a672f, es-857d16033737), translated by babelwire
# with every check green: "el expresidente Mauricio Macri" became "the ex-president Mauritius
# Macri" and "le ancien président Maurice Macri" (the dictionary's "Mauricio" is the island),
# "Magaly Medina" became "Magaly Médine", and the Chilean commune San Clemente "Saint Clemente".


@pytest.mark.parametrize(("target", "text", "name", "wrong"), [
    ("en", "El 16 de agosto, luego de las PASO, el expresidente Mauricio Macri eximió de IVA a "
           "trece alimentos de la canasta básica.", "Mauricio Macri", "Mauritius"),
    ("fr", "El 16 de agosto, luego de las PASO, el expresidente Mauricio Macri eximió de IVA a "
           "trece alimentos de la canasta básica.", "Mauricio Macri", "Maurice"),
    # es-43b53fdabdf2: "identifiée aussi bien que les Maurice Rivera" (the es-fr pair reads
    # "Rivera" as a proper noun of no kind, "Mauricio" only as the island)
    ("fr", "Las balas alcanzaron a un usuario de la gasolinera, quien murió en el lugar. La "
           "víctima fue identificada como Mauricio Rivera, de 54.", "Mauricio Rivera", "Maurice"),
    ("fr", "No le gustó que no respeten las normas impuestas. Magaly Medina se ha caracterizado "
           "por decir sus opiniones sin filtro.", "Magaly Medina", "Médine"),
    ("en", "Allí se analizó en detalle la situación del incendio, junto a los comunales de "
           "emergencia de Molina y San Clemente.", "San Clemente", "Saint"),
    ("fr", "Dichos cruceros con el tren son los de Zaragoza, Santa Isabel, Vidaurri y Juárez.",
           "Santa Isabel", "Sainte"),
    # es-d920936719e1 (es-fr reads "Leo" only as the sign of the zodiac: "Lion Messi")
    ("fr", "Si el Barcelona consiguiera tres títulos esta temporada, Leo Messi se convertiría "
           "en el jugador que más títulos habría ganado con un solo equipo.", "Leo Messi",
     "Lion"),
    # Página Siete (tests/data/fidelity/es-paginasiete-carabineros, a dev case)
    ("fr", "aseguró este martes que ha detectado 112 vehículos robados en Chile y trasladados a "
           "Santa Cruz, de los cuales el 90% estarían en manos de autoridades.", "Santa Cruz",
           "Croix"),
])
def test_a_place_in_a_person_s_name_or_after_san_is_kept(router: Router, target: str, text: str,
                                                          name: str, wrong: str) -> None:
    article = _story(text)
    tr = translate_article(article, target, router)
    assert name in tr.text and wrong not in tr.text, tr.text
    assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]


# -- a surname the dictionary reads as an adjective -------------------------------------------
# Real es news texts of the SemEval-2022 Task 8 pairs (../shared/data/stories/pairs.jsonl, pairs
# es-13f7123bee18, es-083d8438d9b3, es-6ca73f42a291): an unknown first name before a surname
# that is also an adjective lost the surname as a place's trailing adjective ("California
# [Central]"): "de Niki Caro" became "of Niki Expensive" and "de Niki Cher", "el presidente
# Lenín Moreno" "le président Lenín Brun".


@pytest.mark.parametrize(("target", "text", "name", "wrong"), [
    ("en", 'La cuarta película más esperada para el año que viene es "Mulan", de Niki Caro, la '
           'última de la serie de remakes de dibujos clásicos que se estrenará en marzo.',
     "Niki Caro", "Expensive"),
    ("fr", 'La cuarta película más esperada para el año que viene es "Mulan", de Niki Caro, la '
           'última de la serie de remakes de dibujos clásicos que se estrenará en marzo.',
     "Niki Caro", "Cher"),
    ("fr", "A través de su cuenta de Twitter, el presidente Lenín Moreno afirmó que sigue de "
           "cerca la situación.", "Lenín Moreno", "Brun"),
    ("fr", "Queremos elecciones libres presidenciales, con un TSJ que no esté dominado por "
           "Maikel Moreno, hay que pensar en un proceso presidencial.", "Maikel Moreno", "Brun"),
])
def test_a_surname_that_is_an_adjective_is_kept(router: Router, target: str, text: str,
                                                name: str, wrong: str) -> None:
    tr = translate_article(_story(text), target, router)
    assert name in tr.text and wrong not in tr.text, tr.text


def test_an_adjective_after_an_unknown_word_that_places_it_is_not_a_surname(
        router: Router) -> None:
    # es-e63848275fe5 and es-e0a50c02b4f6 (the same pairs): a town, and a body of the state
    paragraphs = ["De igual forma, en redes sociales aparecieron fotos de un hombre y una mujer "
                  "heridos por una bala perdida en Pinotepa Nacional, en la Costa de Oaxaca.",
                  "Además, contó que, cuando efectivos de Gendarmería Nacional fueron a "
                  "constatar qué había en el domicilio.",
                  # (written for the test) a people's word, also a noun, is no surname
                  "El avión llegó a Columbia Británica ayer por la tarde."]
    terms = {t.text for t in detect_terms(paragraphs, "es", "en",
                                          lexicon=router.lexicon("es", "en"))}
    assert not {"Pinotepa Nacional", "Gendarmería Nacional", "Columbia Británica"} & terms, \
        terms


def test_the_checker_wants_a_person_s_name_verbatim() -> None:
    blocks = ["", "El 16 de agosto, el expresidente Mauricio Macri eximió de IVA a trece "
                  "alimentos. Después, Magaly Medina habló."]
    for target, wrong, lost in (
            ("en", "On 16 August, the ex-president Mauritius Macri exempted of VAT thirteen "
                   "foods. Afterwards, Magaly Medina spoke.", "Mauricio"),
            ("fr", "Le 16 août, le ancien président Mauricio Macri a exempté de TVA treize "
                   "nourritures. Après, Magaly Médine a parlé.", "Medina")):
        found = _names(blocks, "es", target)
        missing = {name for name, _ in missing_names(found, ["", wrong], aligned=True)}
        assert missing == {lost}, (target, missing, found.exonyms)
    # where the text also names the island or the city alone, their target forms stay allowed
    blocks = ["", "El viaje a Mauricio y a Medina fue largo."]
    found = _names(blocks, "es", "en")
    assert "Mauritius" in found.exonyms.get("Mauricio", set()), found.exonyms



def test_the_checker_wants_a_first_name_the_dictionary_has_as_a_word() -> None:
    # The Pioneer Press (tests/data/fidelity/en-twincities-wild-sabres): "The Wild lost
    # defenseman Matt Dumba" was published as "Mate Dumba" and "Tuez Dumba": English Apertium
    # has "matt" only as an adjective, and the checker read it as his title.
    blocks = ["", "The Wild lost defenseman Matt Dumba, who sat out the third period."]
    for target, wrong in (("es", "El Wild perdido defenseman Mate Dumba, quién sentó fuera."),
                          ("fr", "Le Wild perdu defenseman Tuez Dumba, qui a assis dehors.")):
        found = _names(blocks, "en", target)
        assert ("Matt", 1) in missing_names(found, ["", wrong], aligned=True), target
    # a post before a surname stays its title, which the translation writes in its own words
    found = _names(["", "The case was heard by Judge Merchan in New York."], "en", "es")
    output = "El caso estuvo oído por juez Merchan en Nueva York."
    assert missing_names(found, ["", output], aligned=True) == []


# -- datelines -----------------------------------------------------------------------------------
# The Washington Post (tests/data/fidelity/en-wapo-north-africa, a dev case): "CAIRO — Gunmen
# opened fire on visitors" came out in French as "Gangsters — CAIRO ont ouvert feu": Apertium
# does not end a sentence at a dash, and its rules moved words across it. Datelines whose place
# is not one proper noun of the dictionary were translated word by word: "PROGRESO, Yucatán, 31
# de diciembre.-" (Por Esto!, SemEval-2022 Task 8 pair es-28b32c0156c1) as "Progress, Yucatán"
# and "Progrès", "BUFFALO, N.Y. —" (tests/data/fidelity/en-twincities-wild-sabres) as "BUFFLE",
# every check green.


def test_a_dateline_stays_before_its_dash_and_its_place_as_written(router: Router) -> None:
    _, article = _case("en-wapo-north-africa")
    cairo = next(p for p in article.html.split("\n") if "CAIRO — Gunmen" in p)
    tr = translate_article(Article(url="https://www.washingtonpost.com/x", title="", html=cairo,
                                   text="", lang="en"), "fr", router)
    assert tr.html.startswith("<p>CAIRE — ") or tr.html.startswith("<p>CAIRO — "), tr.html[:80]
    progreso = ("PROGRESO, Yucatán, 31 de diciembre.- Cuando al año le restan escasas horas, la "
                "mañana de este martes decenas de familias se dirigieron al centro de la ciudad.")
    _, buffalo = _case("en-twincities-wild-sabres")
    for article, target, place in (
            (_story(progreso), "en", "PROGRESO, Yucatán"),
            (_story(progreso), "fr", "PROGRESO, Yucatán"),
            (buffalo, "fr", "BUFFALO, ")):
        tr = translate_article(article, target, router)
        assert place in tr.text, tr.text[:200]
        assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]
    # and the checker wants the place as written
    blocks = ["", progreso]
    found = _names(blocks, "es", "en")
    output = ["", "Progress, Yucatán, 31 December.- When the year has only a few hours left."]
    assert ("PROGRESO", 1) in missing_names(found, output, aligned=True)


def test_a_datelines_region_written_short_stays_as_written(router: Router) -> None:
    # SemEval-2022 Task 8 pair es-8d69449efe78 (a dev story text): "Culiacán, Sin.-Los
    # comerciantes" (Sinaloa) came out "Culiacán, Without.-The traders" and "Culiacán,
    # Sans.-Les marchands", every check green.
    culiacan = ("Culiacán, Sin.-Los comerciantes se la siguen viendo negras ante la situación "
                "de emergencia sanitaria que se vive por COVID-19.")
    # and an agency's name in capitals (pair es-a42d1b855aff, a dev story text: "BARCELONA, 1
    # Ene. (EUROPA PRESS) –" came out "(EUROPE PRESS)")
    erc = ("BARCELONA, 1 Ene. (EUROPA PRESS) – El Consell Nacional de ERC decidirá este jueves "
           "si avala el acuerdo.")
    for text, kept in ((culiacan, "Culiacán, Sin.-"), (erc, ", 1 Ene. (EUROPA PRESS) –")):
        for target in ("en", "fr"):
            tr = translate_article(_story(text), target, router)
            assert kept in tr.text.split("\n")[0], tr.text[:80]
            assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]
    found = _names(["", culiacan], "es", "en")
    output = ["", "Culiacán, Without.-The traders follow it to him seeing black."]
    assert ("Sin", 1) in missing_names(found, output, aligned=True)


# -- "del" in a name of English text ------------------------------------------------------------
# newstest2013 (en, lines 2063 and 2189): "Valle del Bravo" and "Los Tigres del Norte" came out
# in French as "Valle Bravo" and "Los Tigres Norte": the English analyser does not know "del",
# so only the capitalised words were kept, and the pivot's second leg swallowed "del" into its
# translation of the next word.


@pytest.mark.parametrize("source", [
    "In the bucolic town of Valle del Bravo, for example, he is remembered fondly.",
    "We love listening to the Mexican band, Los Tigres del Norte, but also to Bruce Springsteen.",
])
def test_del_stays_in_a_spanish_name_of_english_text(router: Router, source: str) -> None:
    name = next(n for n in ("Valle del Bravo", "Los Tigres del Norte") if n in source)
    for target in ("es", "fr"):
        tr = translate_lines([source], "en", target, router)
        assert name in tr.text, tr.text


def test_a_place_written_with_its_article_keeps_its_target_form_through_the_pivot() -> None:
    # SemEval-2022 Task 8 pair fr-9f70c17de561 (a dev story text): "On a fait tomber les
    # États-Unis la tête la première" came out in English with "the United States", and the
    # names check held it for "les États-Unis" missing: the first leg's form, "los Estados
    # Unidos", was looked up in spa-eng with its article and found nothing.
    blocks = ["", "Un partisan de la milice. \"On a fait tomber les États-Unis la tête la "
                  "première dans le sable\", a-t-il dit."]
    found = _names(blocks, "fr", "en")
    assert "United States" in found.exonyms["les États-Unis"], found.exonyms
    output = ["", "An adherent of the militia. \"It has done fall the United States the head "
                  "the first in the sand\", he said."]
    assert missing_names(found, output, aligned=True) == []
    assert missing_names(found, ["", "An adherent of the militia."], aligned=True) \
        == [("les États-Unis", 1)]


# -- false holds on real story texts ---------------------------------------------------------
# SemEval-2022 Task 8 pairs (dev story texts) whose right translations were held:
# es-f9fc75f1c241: "la duda principal ¿Qué son los premios Grammy?" ("Qué" taken for a name
# in mid-sentence: the checker did not know "¿" opens a sentence); es-91b9fe9f099b: "el Consejo
# Episcopal Latinoamericano" came out "le Conseil Épiscopal Latino-américain" (an adjective of
# origin after a capitalised adjective, which the producer leaves to the engine, was wanted
# verbatim); fr-0b1df9f9e514: "affectés par les inondations.Baswedan a donné" came out "affected
# by the floods. Baswedan has" ("Baswedan", glued to the stop in the source, was not the
# source's word, so it was called glued).


@pytest.mark.parametrize(("lang", "target", "text"), [
    ("es", "fr", "Primero resolveremos la duda principal ¿Qué son los premios Grammy?, pues "
                 "son los premios de la música. ¿Qué artistas han ganado un Grammy? Muchos."),
    ("es", "fr", "Invita a todos los mexicanos a unirse a las conferencias episcopales y el "
                 "Consejo Episcopal Latinoamericano el Domingo 12 de abril."),
    ("fr", "en", "Il faut préparer des itinéraires alternatifs pour les transports publics, "
                 "affectés par les inondations.Baswedan a donné la priorité à plusieurs zones."),
    ("fr", "es", "Il faut préparer des itinéraires alternatifs pour les transports publics, "
                 "affectés par les inondations.Baswedan a donné la priorité à plusieurs zones."),
])
def test_a_right_translation_of_a_story_text_is_published(router: Router, lang: str, target: str,
                                                          text: str) -> None:
    title = "Grammys 2020: ¿Qué son los Grammy? aquí te lo explicamos" if "Qué" in text else ""
    article = Article(url="https://stories.invalid/x", title=title, html=f"<p>{text}</p>",
                      text=text, lang=lang)
    tr = translate_article(article, target, router)
    assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]


# -- words in capitals that the dictionary reads as common words --------------------------------
# SemEval-2022 Task 8 pairs (dev story texts), published with every check green: "para
# enfrentar al MAS" (es-47288316837e, Bolivia's party) came out "to confront to the BUT" and "à
# au MAIS", "luego de las PASO" (es-3a76bb925014, Argentina's primaries) "after the STEP", "a
# la cadena SER" (es-9cff63a2947d) "to the chain BE", "la tarjeta SUBE" (es-8902ef864112) "the
# card GOES UP", "el gobierno de CABA" (es-599adf799f36) a form of "ciar".


@pytest.mark.parametrize(("text", "acronym"), [
    ("Luis Fernando Camacho manifestó estar dispuesto a declinar su candidatura para enfrentar "
     "al MAS rumbo a los comicios de mayo.", "MAS"),
    ("El 16 de agosto, luego de las PASO, el expresidente Mauricio Macri eximió de IVA a trece "
     "alimentos.", "PASO"),
    ('Comentó el asturiano en declaraciones a la cadena SER. "Hay que invertir la pirámide".',
     "SER"),
    ("A partir del jueves 2 de enero se implementará la tarjeta SUBE en el servicio de "
     "transporte.", "SUBE"),
    ("Regresó de un viaje desde México y fue aislado por el gobierno de CABA en un hotel.",
     "CABA"),
    # hoy.com.py, a page of the extraction benchmark: "Technicians of WALK it attended" (the
    # word joins "Técnicos de la" in one run of capitalised words and connectors)
    ("Técnicos de la ANDE acudieron al lugar a verificar la columna.", "ANDE"),
])
def test_a_word_in_capitals_read_as_a_common_word_is_kept(router: Router, text: str,
                                                          acronym: str) -> None:
    article = _story(text)
    for target in ("en", "fr"):
        tr = translate_article(article, target, router)
        assert re.search(rf"\b{acronym}\b", tr.text), tr.text
        assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]
    # and the checker wants it as written
    found = _names(["", text], "es", "en")
    assert acronym in found.blocks, sorted(found.blocks)


@pytest.mark.parametrize("text", [
    # capitals for emphasis, a link's word, a heading, and English's habits stay words
    "Estrategia de comercialización y promoción de TODOS los puertos de la Autoridad.",
    "Ahora NO queremos eso, dijo el alcalde.",
    '"PROFANACION A DIOS", decía la pancarta.',
])
def test_capitals_for_emphasis_are_no_acronym(text: str) -> None:
    found = _names(["", text], "es", "en")
    assert not {"TODOS", "NO", "DIOS"} & set(found.blocks), sorted(found.blocks)


# -- a town's name after the word for a town ---------------------------------------------------
# "antes de ser derivado a la ciudad de Corrientes" (SemEval-2022 Task 8 pair es-b3a0642270ff, a
# dev story text) came out "the city of Currents", "de la ciudad de Mercedes" (es-8adf3e010b7e)
# "the city of Mercedes" only because the dictionary had no such word, and hoy.com.py's "el
# barrio San José de la ciudad de Limpio" (a page of the extraction benchmark) "the city of
# Clean", every check green.


@pytest.mark.parametrize(("text", "town", "wrong"), [
    ("Fue atendido en el hospital local antes de ser derivado a la ciudad de Corrientes, "
     "señalaron fuentes consultadas.", "Corrientes", "Currents"),
    ("El hecho ocurrió ese jueves en el barrio San José de la ciudad de Limpio, en una vivienda "
     "próxima al hospital.", "Limpio", "Clean"),
])
def test_a_town_s_name_after_the_word_for_a_town_is_kept(router: Router, text: str, town: str,
                                                        wrong: str) -> None:
    article = _story(text)
    tr = translate_article(article, "en", router)
    assert f"city of {town}" in tr.text and wrong not in tr.text, tr.text
    assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]
    # the checker wants the name as written; a place with its own target form keeps it
    found = _names(["", text], "es", "en")
    output = ["", tr.text.replace(town, wrong)]
    assert (town, 1) in missing_names(found, output, aligned=True)
    found = _names(["", "Viajó a la ciudad de Nueva York y a la ciudad de Londres."], "es", "en")
    assert not missing_names(found, ["", "He travelled to the city of New York and to the city "
                                         "of London."], aligned=True)


# -- places and names made of common words -----------------------------------------------------
# SemEval-2022 Task 8 pairs (dev story texts), published with every check green: "arrojó cordero
# en Punta del Este" (es-caaca3b0bbaa) came out "launched lamb in east Punta" and "en Pointe de
# l'Est", "el camping de Puerto Pirámides" (es-b4c49cd99f1b) "the camping of Port Pyramids",
# "en Santiago de Cuba" (es-15a6bf69aae6) "in Santiago of Cuba", "sa résidence de Mar-a-Lago"
# (fr-1ccc763f79ea) "his residence of Mar-has-Lago", and "En noviembre de 2018 He Jiankui"
# (es-a16e26da8e85) "En novembre de 2018 j'Ai Jiankui".


@pytest.mark.parametrize(("lang", "text", "name"), [
    ("es", "El empresario que arrojó cordero en Punta del Este no cometió delito, según la "
           "fiscalía.", "Punta del Este"),
    ("es", "Ya no quedan lugares disponibles en el camping de Puerto Pirámides este verano.",
     "Puerto Pirámides"),
    ("es", "Beatriz Johnson, presidenta del gobierno local en Santiago de Cuba, habló ayer con "
           "los vecinos.", "Santiago de Cuba"),
    ("fr", "Ses golfs aux États-Unis sont sous pression, et sa résidence de Mar-a-Lago, en "
           "Floride, est fermée.", "Mar-a-Lago"),
    ("es", "En noviembre de 2018 He Jiankui (Southern University of Science and Technology) "
           "comunicó el nacimiento de gemelas.", "He Jiankui"),
    # es-b4c49cd99f1b and es-ba7df2f4f831: newspapers, "Daily Day" and "Daily Novelty"
    ("es", "El agua llega además con cisternas de 1.500 m3 y 500 m3 que abastecen a la "
           "localidad, indicó Diario Jornada.", "Diario Jornada"),
    ("es", "Ten la información al instante en tu celular. Únete al grupo de Diario Primicia en "
           "WhatsApp a través del siguiente enlace.", "Diario Primicia"),
])
def test_a_name_made_of_common_words_is_kept(router: Router, lang: str, text: str,
                                             name: str) -> None:
    article = _story(text, lang)
    for target in {"es": ("en", "fr"), "fr": ("en", "es")}[lang]:
        tr = translate_article(article, target, router)
        assert name in tr.text, (target, tr.text)
        assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]


def test_the_checker_wants_a_place_s_name_made_of_common_words() -> None:
    text = ("El empresario que arrojó cordero en Punta del Este no cometió delito. Ya no quedan "
            "lugares en el camping de Puerto Pirámides. Viajaron por el Mar Rojo.")
    found = _names(["", text], "es", "en")
    output = ("The employer that launched lamb in east Punta did not commit crime. No longer "
              "places remain in the camping of Port Pyramids. They travelled by the Red Sea.")
    missing = {name for name, _ in missing_names(found, ["", output], aligned=True)}
    assert {"Este", "Puerto", "Pirámides"} <= missing and "Rojo" not in missing, missing
    output = "His residence of Mar-has-Lago, in Florida, is closed."
    found = _names(["", "Et sa résidence de Mar-a-Lago, en Floride, est fermée."], "fr", "en")
    assert ("Mar-a-Lago", 1) in missing_names(found, ["", output], aligned=True)
    text = "En noviembre de 2018 He Jiankui (Southern University) comunicó el nacimiento."
    found = _names(["", text], "es", "fr")
    output = "En novembre de 2018 j'Ai Jiankui (Southern University) a communiqué la naissance."
    assert ("He", 1) in missing_names(found, ["", output], aligned=True)


def test_the_words_before_a_kept_place_stay(router: Router) -> None:
    # Apertium generates the preposition and article before a name with the name's first word,
    # under its blank: "la Policía del Valle de Aburrá" (El Colombiano, a page of the extraction
    # benchmark) came back "la Police [de la Vallée de Aburrá]", and restoring the kept name
    # dropped "de la": "la Police Valle de Aburrá"; "comunales de emergencia de Río Claro"
    # (SemEval pair es-7f0b074a672f, a dev story text) "communaux d'émergence Río Claro".
    for text, kept in (
            ("Lo dijo el jefe de la Policía del Valle de Aburrá ayer por la tarde.",
             "Police de la Valle de Aburrá"),
            ("Además de autoridades de Conaf, Carabineros, Onemi y comunales de emergencia de "
             "Río Claro, San Clemente y Molina.", "d'émergence de Río Claro")):
        tr = translate_article(Article(url="https://stories.invalid/es", title="",
                                       html=f"<p>{text}</p>", text=text, lang="es"), "fr", router)
        assert kept in tr.text, tr.text


def test_a_place_named_short_after_its_whole_name_is_kept(router: Router) -> None:
    # SemEval pair es-b4c49cd99f1b (a dev story text): after "el camping de Puerto Pirámides",
    # "Pirámides cuenta además con cisternas" came out "Pyramids counts" (held by the checker,
    # which wants the word as written wherever the article writes it in the whole name)
    paragraphs = ["Ya no quedan lugares disponibles en el camping de Puerto Pirámides este "
                  "verano, según los encargados.",
                  "La planta desalinizadora genera 9 m3/h de agua potable. Pirámides cuenta "
                  "además con cisternas de 1.500 m3 y 500 m3 que abastecen a la localidad."]
    article = Article(url="https://stories.invalid/es", title="Camping lleno",
                      html="".join(f"<p>{p}</p>" for p in paragraphs),
                      text="\n\n".join(paragraphs), lang="es")
    for target in ("en", "fr"):
        tr = translate_article(article, target, router)
        last = tr.text.split("\n")[-1]
        assert "Pirámides" in last and "Pyramid" not in last, tr.text
        assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]


# newstest2013 en 223, 228, 235 and 238 (one document, on Montreal's corruption inquiry)
MAYOR = (
    "In recent weeks, it has conducted a series of searches and brought charges of fraud and "
    "corruption against municipal politicians, such as Frank Zampino and Richard Marcotte, "
    "Mayor of a suburban town.",
    "He himself paid 3% of the value of the contracts obtained in Montreal to an intermediary "
    "linked to the mafia who in turn paid the money to Union Montréal, Mayor Gérald Tremblay's "
    "party.",
    "Then an organiser of the Mayor's party, Martin Dumont, accused Mr Tremblay of having "
    "deliberately closed his eyes to a parallel budget feeding his coffers with dirty money.",
    "Mayor of the borough of Rivière-des-Prairies, to the East of the island, she protested in "
    "2010 against the sale of municipal land.",
)


def test_a_post_before_a_name_is_its_title_not_a_name(router: Router) -> None:
    # "Mayor" is also a surname to the English dictionary; beside "Gérald Tremblay" the checker
    # took it for one and held every translation that wrote "alcalde" (the 10,000-article run
    # of bench/rss.py held them)
    names = _names(list(MAYOR), "en", "es")
    assert "Mayor" not in names.blocks and "Tremblay" in names.blocks, names.blocks
    for lang in ("es", "fr"):
        tr = translate_lines(list(MAYOR), "en", lang, router)
        assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]
        assert "Tremblay" in tr.text and "Mayor" not in tr.text, tr.text
        # the engine too reads the post, not the surname the English dictionary also has:
        # it wrote "Mayor Gérald Tremblay", and through Spanish "Majeur Gérald Tremblay"
        assert "Majeur" not in tr.text and re.search(r"(?i)\b(alcalde|maire) Gérald", tr.text)
