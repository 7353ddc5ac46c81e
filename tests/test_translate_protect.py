"""Protection: what is and is not protected on real news text, find_spans, glossary files."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from babelwire.exceptions import ConfigError, EngineUnavailable
from babelwire.extract.article import extract_article
from babelwire.models import Article, GlossaryEntry, TranslationStatus
from babelwire.run.translation import translate_article
from babelwire.translate.engines.apertium.engine import ApertiumEngine
from babelwire.translate.glossary import load_glossary_file
from babelwire.translate.names.detect import (
    ProtectedTerm,
    detect_terms,
    find_spans,
)
from babelwire.translate.names.lexicon import ApertiumLexicon, escape
from babelwire.translate.router import Router

DATA = Path(__file__).parent / "data" / "protect"
FIDELITY = Path(__file__).parent / "data" / "fidelity"


def _case(name: str) -> tuple[dict[str, Any], Article]:
    """A hand-read fidelity case of ``tests/data/fidelity``: its ``case.json`` and its page,
    extracted."""
    case = json.loads((FIDELITY / name / "case.json").read_text(encoding="utf-8"))
    page = gzip.decompress((FIDELITY / name / "page.html.gz").read_bytes())
    return case, extract_article(page, str(case["url"]))
CASES: list[dict[str, Any]] = json.loads((DATA / "cases.json").read_text(encoding="utf-8"))
MODES = {("en", "es"): "eng-spa", ("es", "en"): "spa-eng", ("fr", "es"): "fr-es"}


def _occurrences(text: str, word: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text)]


@pytest.fixture(scope="module")
def detected() -> dict[str, list[ProtectedTerm]]:
    """Terms detected for every case, computed once (one lexicon per language pair)."""
    out: dict[str, list[ProtectedTerm]] = {}
    for case in CASES:
        with ApertiumLexicon(case["lang"], case["target"]) as lexicon:
            out[case["name"]] = detect_terms(
                case["paragraphs"], case["lang"], case["target"], site_name=case["site_name"],
                anchors=case["anchors"], lexicon=lexicon)
    return out


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_names_are_protected_at_every_occurrence(
        case: dict[str, Any], detected: dict[str, list[ProtectedTerm]]) -> None:
    terms = detected[case["name"]]
    for name in case["protected"]:
        seen = 0
        for text in case["paragraphs"]:
            spans = find_spans(text, terms)
            for start, end in _occurrences(text, name):
                seen += 1
                assert any(s <= start and end <= e for s, e, _ in spans), (name, text)
        assert seen, f"{name!r} is not in the case's text"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_common_nouns_titles_and_exonyms_are_left_to_the_engine(
        case: dict[str, Any], detected: dict[str, list[ProtectedTerm]]) -> None:
    terms = detected[case["name"]]
    for word in case["not_protected"]:
        seen = 0
        for text in case["paragraphs"]:
            spans = find_spans(text, terms)
            for start, end in _occurrences(text, word):
                seen += 1
                assert not any(s < end and start < e for s, e, _ in spans), (word, text)
        assert seen, f"{word!r} is not in the case's text"


def _apertium(mode: str, raw: str) -> str:
    done = subprocess.run(["apertium", "-f", "none", "-u", mode], input=raw.encode(),
                          capture_output=True, check=True, timeout=120)
    out = re.sub(r"(?<!\\)\[((?:\\.|[^\]\\])*)(?<!\\)\]", r"\1", done.stdout.decode())
    return re.sub(r"\\(.)", r"\1", out)


@pytest.mark.parametrize("case", [c for c in CASES if c["name"].startswith("fidelity")],
                         ids=lambda c: c["name"])
def test_protected_names_come_through_apertium_verbatim(
        case: dict[str, Any], detected: dict[str, list[ProtectedTerm]]) -> None:
    terms = detected[case["name"]]
    raws = []
    for text in case["paragraphs"]:
        parts, cursor = [], 0
        for start, end, _ in find_spans(text, terms):
            parts += [escape(text[cursor:start]), "[", escape(text[start:end]), "]"]
            cursor = end
        raws.append("".join([*parts, escape(text[cursor:])]))
    output = _apertium(MODES[(case["lang"], case["target"])], "\n".join(raws) + "\n")
    for name in case["protected"]:
        assert name in output, name


def test_kinds_say_where_a_term_comes_from(detected: dict[str, list[ProtectedTerm]]) -> None:
    kinds = {t.text: t.kind for t in detected["fidelity en-chips"]}
    assert kinds["Circuit Daily"] == "site"
    assert kinds["Bloomberg"] == "publication"  # on the bundled list, and also a link text
    assert kinds["Qualcomm"] == "name"
    spanish = {t.text: t.kind for t in detected["fidelity es-vivienda"]}
    assert spanish["La Vanguardia"] == "publication"
    assert all(t.replacement is None for t in detected["fidelity es-vivienda"])


def test_anchor_text_is_protected_whole_but_not_after_a_determiner() -> None:
    paragraphs = ["La operación fue avalada por el Banco de España, según Caja Rural Sur."]
    terms = detect_terms(paragraphs, "es", "en", anchors=["Banco de España", "Caja Rural Sur"])
    found = {t.text: t.kind for t in terms}
    assert found.get("Caja Rural Sur") == "anchor"
    assert "Banco de España" not in found


# --- find_spans -------------------------------------------------------------------------------

def _t(text: str, kind: str = "name") -> ProtectedTerm:
    return ProtectedTerm(text, kind)


@pytest.mark.parametrize(("text", "term", "expected"), [
    ("El alcalde, María José Catalá, pidió", "Catalá", [(23, 29)]),
    ("en catalán y en Catalán", "Catalá", []),
    ("rencontre à l'Élysée mardi", "Élysée", [(14, 20)]),
    ("Applebee's and Apple's plans", "Apple", [(15, 20)]),
    ("Intel's modem", "Intel", [(0, 5)]),
    ("Página/12 informó", "Página/12", [(0, 9)]),
    ("sold by AT&T.", "AT&T", [(8, 12)]),
])
def test_find_spans_respects_unicode_word_boundaries(
        text: str, term: str, expected: list[tuple[int, int]]) -> None:
    assert [(s, e) for s, e, _ in find_spans(text, [_t(term)])] == expected


def test_find_spans_longest_match_wins_and_spans_are_sorted() -> None:
    text = "según The New York Times y New York, Times"
    terms = [_t("New York"), _t("The New York Times", "publication"), _t("Times")]
    spans = find_spans(text, terms)
    assert [(text[s:e], t.kind) for s, e, t in spans] == [
        ("The New York Times", "publication"), ("New York", "name"), ("Times", "name")]


def test_find_spans_prefers_the_stronger_kind_on_equal_length() -> None:
    spans = find_spans("told Wired", [_t("Wired", "name"), _t("Wired", "glossary")])
    assert [t.kind for _, _, t in spans] == ["glossary"]


# --- glossary ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["glossary.toml", "glossary.csv"])
def test_glossary_files_load(name: str) -> None:
    entries = load_glossary_file(DATA / name)
    assert entries[0] == GlossaryEntry("Wired")
    assert entries[1] == GlossaryEntry("board of directors", "en", "es",
                                       "consejo de administración", case_sensitive=False)


def test_glossary_terms_apply_to_their_pair_only_and_in_every_case() -> None:
    glossary = load_glossary_file(DATA / "glossary.csv")
    text = ["The Board of Directors met, and Wired said the board of directors agreed."]
    terms = detect_terms(text, "en", "es", glossary=glossary)
    fixed = {t.text: t.replacement for t in terms if t.kind == "glossary"}
    # "Sareb" is for Spanish sources only; the board entry matches in any letter case.
    assert fixed == {"Board of Directors": "consejo de administración",
                     "board of directors": "consejo de administración", "Wired": None}
    other_pair = detect_terms(text, "en", "fr", glossary=glossary)
    assert {t.text for t in other_pair if t.kind == "glossary"} == {"Wired"}


@pytest.mark.parametrize(("name", "content", "message"), [
    ("g.csv", "term,colour\nWired,red\n", "g.csv:1: bad header"),
    ("g.csv", "term,case_sensitive\nWired,maybe\n", "line 2: case_sensitive must be"),
    ("g.csv", "term,source_lang\nWired,english\n", "line 2: bad language code"),
    ("g.csv", "term\n\"\"\n", "line 2: empty or missing 'term'"),
    ("g.csv", "term\nWired,extra\n", "g.csv:2: 2 cells for 1 columns"),
    ("g.toml", "[[term]]\nterm = 'Wired'\ncolour = 'red'\n", "[[term]] #1: unknown key"),
    ("g.toml", "[[term]]\nterm = 3\n", "[[term]] #1: term, source_lang"),
    ("g.toml", "term = 'Wired'\n", "array of tables"),
    ("g.toml", "[[term]\n", "g.toml"),
    ("g.txt", "Wired\n", "must be a .toml or .csv file"),
])
def test_bad_glossary_files_name_the_file_and_line(
        tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_glossary_file(path)
    assert message in str(error.value)
    assert error.value.subject == str(path)


def test_missing_glossary_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_glossary_file(tmp_path / "absent.toml")


# --- without an analyser -------------------------------------------------------------------------

def test_without_an_analyser_only_lists_glossary_site_and_anchors_protect(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable):
        ApertiumLexicon("de", "en", root=tmp_path)
    text = ["Laut Reuters und dem Spiegel sagte die Regierung in Berlin etwas zu Heise Online."]
    terms = detect_terms(text, "de", "en", site_name="Heise Online",
                         glossary=[GlossaryEntry("Regierung", "de", "", "Bundesregierung")])
    assert {(t.text, t.kind) for t in terms} >= {
        ("Reuters", "publication"), ("Heise Online", "site"), ("Regierung", "glossary")}
    assert "Berlin" not in {t.text for t in terms}


def test_exonyms_are_found_through_a_pivot_dictionary() -> None:
    """French to English has no direct Apertium pair: fr->es->en still knows Londres = London."""
    case = next(c for c in CASES if c["name"] == "newstest fr: place names through a pivot")
    with ApertiumLexicon("fr", "en") as lexicon:
        assert len(lexicon.bilingual) == 2
    to_spanish = {t.text for t in detect_terms(case["paragraphs"], "fr", "es")}
    assert "Londres" in to_spanish  # the same name in Spanish: protecting it costs nothing


# Real sentences of trafilatura's evaluation pages (acpjournals.org, wordsmith.org, a recipe blog
# with a Twitter handle, a page citing an address): technical strings an engine takes apart.
LITERALS = (
    "<p>Influenza cost and cost-effectiveness studies globally—a review. Vaccine. 2013;31:5339-48."
    ' doi:<a href="https://doi.org/10.1016/j.vaccine.2013.09.013">10.1016/j.vaccine.2013.09.013'
    "</a></p>\n"
    "<p>See more usage examples of maudlin in Vocabulary.com's dictionary.</p>\n"
    "<p>Tag me @foxyfolksy or leave a comment at https://www.foxyfolksy.com/recipes?s=tart, "
    "or write to hello@foxyfolksy.com.</p>")


def test_addresses_handles_and_dois_come_through_verbatim() -> None:
    terms = {t.text: t.kind for t in detect_terms(
        ["Vaccine. 2013;31:5339-48. doi:10.1016/j.vaccine.2013.09.013", "Vocabulary.com's",
         "@foxyfolksy at https://www.foxyfolksy.com/recipes?s=tart, or hello@foxyfolksy.com."],
        "en", "es")}
    for literal in ("10.1016/j.vaccine.2013.09.013", "Vocabulary.com", "@foxyfolksy",
                    "https://www.foxyfolksy.com/recipes?s=tart", "hello@foxyfolksy.com"):
        assert terms.get(literal) == "literal", (literal, terms)
    router = Router([ApertiumEngine()])
    try:
        tr = translate_article(Article(url="https://example.com/", title="", html=LITERALS,
                                       text="", lang="en"), "es", router)
    finally:
        router.close()
    assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]
    for literal in ('">10.1016/j.vaccine.2013.09.013</a>', "Vocabulary.com", "@foxyfolksy",
                    "https://www.foxyfolksy.com/recipes?s=tart", "hello@foxyfolksy.com"):
        assert literal in tr.html, tr.html
    assert "@@" not in tr.html, tr.html          # the handle's "@" once, not once more before it


# -- sentence openers are not names ----------------------------------------------------------
# Two demo pages (src/babelwire/demo/data/prensa, real pages: see its PROVENANCE.md) where a
# sentence opens after an acronym's or a numeral's full stop: "miembro de ETA. Poco después",
# "el atentado de la T4. En el proceso" (El Mundo), "a finales del siglo XX. Hoy" (La Nación).
# The openers were taken for names met in mid-sentence, kept verbatim ("En the macrocaso",
# "Poco después, it joined"), then learned as the source's known names and protected in every
# later article of the source.
DEMO = Path(__file__).parents[1] / "src" / "babelwire" / "demo" / "data"
OPENERS = ("En", "En el proceso", "Poco", "Poco después", "Hoy")


def _demo_paragraphs(page: str) -> list[str]:
    folder = {"es": "prensa", "fr": "presse", "en": "wire"}[page[:2]]
    html = gzip.decompress((DEMO / folder / f"{page}.html.gz").read_bytes())
    article = extract_article(html, f"http://127.0.0.1:8765/{folder}/{page}.html")
    return [article.title, *(p for p in article.text.split("\n") if p.strip())]


@pytest.mark.parametrize("target", ["en", "fr"])
@pytest.mark.parametrize("page,opener,names", [
    ("es-elmundo-2012", "de la T4. En el proceso", ("Izaskun Lesaka", "Iturbe")),
    ("es-elmundo-2012", "de ETA. Poco después", ("Izaskun Lesaka", "Iturbe")),
    ("es-lanacion-mapuche", "siglo XX. Hoy", ("Abdullah Ocalan", "Andrés Malamud")),
])
def test_a_sentence_opened_after_an_acronym_or_numeral_is_no_name(
        page: str, opener: str, names: tuple[str, ...], target: str) -> None:
    paragraphs = _demo_paragraphs(page)
    assert any(opener in p for p in paragraphs), opener      # the case is in the page
    with ApertiumLexicon("es", target) as lexicon:
        terms = detect_terms(paragraphs, "es", target, lexicon=lexicon)
    texts = {t.text for t in terms}
    assert not texts & set(OPENERS), sorted(texts & set(OPENERS))
    for name in names:         # the page's names are still found
        assert any(name in t for t in texts), (name, sorted(texts))


def test_a_function_word_learned_as_a_name_is_not_protected() -> None:
    # A store written before the fix holds "En" among the source's known names; an anchor
    # "En" would be the same. Neither makes the preposition a name.
    paragraphs = _demo_paragraphs("es-elmundo-2012")
    with ApertiumLexicon("es", "en") as lexicon:
        terms = detect_terms(paragraphs, "es", "en", lexicon=lexicon,
                             known=["En", "Poco después", "Iturbe"], anchors=["Hoy"])
    texts = {t.text for t in terms}
    assert "Iturbe" in texts
    assert not texts & set(OPENERS), sorted(texts & set(OPENERS))


def test_a_capitalised_unit_after_a_number_is_no_name() -> None:
    # Última Hora (demo page): "donde dormir cuesta 500 Euros" was kept as "500 Euros".
    paragraphs = _demo_paragraphs("es-ultimahora-infanta")
    assert any("500 Euros" in p for p in paragraphs)
    with ApertiumLexicon("es", "en") as lexicon:
        texts = {t.text for t in detect_terms(paragraphs, "es", "en", lexicon=lexicon)}
    assert "Euros" not in texts
    assert "Pedro Horrach" in texts


def test_a_title_is_no_name_joined_to_a_word_nor_learned_before_a_name() -> None:
    # The New York Times (demo page en-nytimes-sudan): "briefed President-elect Donald J.
    # Trump" made "President" a name met bare in mid-sentence; kept verbatim, it was learned
    # as a known name of the source, and the BBC's "President Barack Obama" (demo page
    # en-bbc-gun-laws) came out "President Barack Obama" in Spanish.
    sudan = _demo_paragraphs("en-nytimes-sudan")
    assert any("President-elect Donald J. Trump" in p for p in sudan)
    gun_laws = _demo_paragraphs("en-bbc-gun-laws")
    assert any("President Barack Obama" in p for p in gun_laws)
    with ApertiumLexicon("en", "es") as lexicon:
        texts = {t.text for t in detect_terms(sudan, "en", "es", lexicon=lexicon)}
        assert "President" not in texts and any("Donald" in t for t in texts), sorted(texts)
        texts = {t.text for t in detect_terms(gun_laws, "en", "es", lexicon=lexicon,
                                              known=["President", "Obama"])}
        assert "President" not in texts and "Barack Obama" in texts, sorted(texts)


def test_a_french_noun_of_nationality_is_no_name() -> None:
    # Libération (demo page fr-liberation-nepal): "Un troisième Français mort dans le séisme",
    # "2 209 Français ont été localisés" came out "Un tercer Français muerto" in Spanish.
    from babelwire.quality.names import find_names

    paragraphs = _demo_paragraphs("fr-liberation-nepal")
    assert any("troisième Français" in p for p in paragraphs)
    with ApertiumLexicon("fr", "es") as lexicon:
        texts = {t.text for t in detect_terms(paragraphs, "fr", "es", lexicon=lexicon)}
        checker = find_names(paragraphs, lexicon.analyse(paragraphs), "fr").words()
    assert "Français" not in texts and "Français" not in checker
    assert "Népal" not in texts      # an exonym, translated
    assert any(t in texts for t in ("Laurent Fabius", "Fabius")), sorted(texts)


def test_a_word_before_a_full_stop_is_no_title() -> None:
    # L'Opinion (tests/data/fidelity/fr-lopinion-glyphosate): "Las. Contre toute raison, ..."
    # ("Weary. Against all reason"): "Las" is no title like "M." or "Mme", so "Contre" opens a
    # sentence and is no name ("Contre toda razón" in Spanish before).
    _, article = _case("fr-lopinion-glyphosate")
    paragraphs = [article.title, *(p for p in article.text.split("\n") if p.strip())]
    assert any(p.startswith("Las. Contre toute raison") for p in paragraphs)
    with ApertiumLexicon("fr", "es") as lexicon:
        texts = {t.text for t in detect_terms(paragraphs, "fr", "es", lexicon=lexicon)}
    assert "Contre" not in texts
    assert {"Antony Fastier", "Bayer"} <= texts, sorted(texts)


# -- instrument codes at a link ---------------------------------------------------------------
# Reuters (tests/data/fidelity/en-reuters-oil-stocks): "the Dow Jones Industrial Average
# <a>.DJI</a> fell 102.2 points ... the Nasdaq Composite <a>.IXIC</a> added". Published as
# "Media Industrial<a>.DJI</a> Cayó 102,2 puntos ... Composite<a>.Ixic</a>", every check green:
# the typography rule for a space before a full stop took the code's "." for one, Apertium
# ended its sentence at that "." (the capital after it) and wrote "IXIC" as "Ixic", and the
# spacing check counted "." as a separation.


def test_an_instrument_code_keeps_its_space_its_letters_and_the_sentence_going(
        router: Router) -> None:
    from babelwire.quality.checks import check_tag_spacing
    from babelwire.translate.runs import parse_document

    case, article = _case("en-reuters-oil-stocks")
    assert "Industrial Average <a" in article.html
    paragraph = next(p for p in article.html.split("\n") if ".DJI</a>" in p)
    for target in ("es", "fr"):
        tr = translate_article(Article(url=case["url"], title="", html=paragraph, text="",
                                       lang="en"), target, router)
        for code in (".DJI", ".SPX", ".IXIC"):
            assert f' <a href="https://www.reuters.com/finance/markets/index?symbol={code}">' \
                   f"{code}</a> " in tr.html, (target, tr.html)
        assert not re.search(r"</a> [A-ZÁÉÍÓÚ]", tr.html), (target, tr.html)
        assert tr.status == TranslationStatus.PUBLISHED
        # the check reads what a reader would: the code against the word before it
        glued = tr.html.replace(' <a href="https://www.reuters.com/finance/markets/index'
                                '?symbol=.DJI">', '<a href="https://www.reuters.com/finance/'
                                'markets/index?symbol=.DJI">')
        check = check_tag_spacing(parse_document(paragraph, "en").runs,
                                  parse_document(glued, target).runs)
        assert not check.ok and ".DJI" in check.detail, check


# -- an adjective standing for a noun ---------------------------------------------------------
# The Pioneer Press (tests/data/fidelity/en-twincities-wild-sabres): the Minnesota Wild, "the
# Wild's 4-1 win", "gave the Wild a commanding two-goal lead", "Wild coach Bruce Boudreau". The
# dictionary reads "Wild" only as an adjective, so neither the protector nor the checker took it
# for a name: it was published as "el Salvaje" and "autocar Salvaje Bruce Boudreau", every check
# green.


def test_an_adjective_that_stands_for_a_noun_is_a_name_to_both_sides(router: Router) -> None:
    case, article = _case("en-twincities-wild-sabres")
    assert "Wild" in case["protect"]
    for target in ("es", "fr"):
        tr = translate_article(article, target, router)
        assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]
        assert tr.text.count("Wild") >= 10 and "Salvaje" not in tr.text \
            and "Sauvage" not in tr.text, tr.text[:400]
        names = next(c for c in tr.checks if c.name == "names")
        assert names.ok
    # an adjective that qualifies the noun after it, or that the text also writes in lower
    # case, stays a word: "the Democratic candidate", "back in the wild"
    terms = {t.text for t in detect_terms(
        ["The race went to the Democratic candidate, and the Democratic candidate won.",
         "The Wild are back in the wild, said the Wild coach."], "en", "es")}
    assert "Democratic" not in terms and "Wild" not in terms, terms


def test_a_plural_noun_that_qualifies_a_noun_is_a_name(router: Router) -> None:
    # The same Pioneer Press case: "Sabres captain Jack Eichel", "Sabres defenseman Brandon
    # Montour", "the Sabres". English puts a qualifying noun in the singular ("shoe store"): a
    # capitalised plural so used twice is a name, published before as "los Sables".
    case, article = _case("en-twincities-wild-sabres")
    assert "Sabres" in case["protect"]
    tr = translate_article(article, "es", router)
    assert tr.text.count("Sabres") >= 4 and "Sables" not in tr.text, tr.text[:300]
    assert tr.status == TranslationStatus.PUBLISHED
    # and the run it ends: The Seattle Times's "Whole Foods shoppers", "Whole Foods stores"
    # (tests/data/fidelity/en-seattletimes-halibut), published as "Repas Entiers"
    _, article = _case("en-seattletimes-halibut")
    tr = translate_article(article, "fr", router)
    assert tr.text.count("Whole Foods") >= 5 and "Repas Entiers" not in tr.text, tr.text[:300]
    assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]
    # a plural used so once, or also written in lower case, stays a word
    terms = {t.text for t in detect_terms(
        ["Reporters asked the Sales team about it.", "The Sports desk and the sports pages, "
         "said the Sports editor."], "en", "es")}
    assert "Sales" not in terms and "Sports" not in terms, terms
