"""English names the engine read as common words: titles in quotes, shops' names in "'s", and
names that end in a common noun.

Real text: lines of newstest2013 (``../shared/data/mt/newstest2013/en.txt``, the WMT 2013 test
set; line numbers given with each) and The Seattle Times's page of the fidelity cases
(``tests/data/fidelity/en-seattletimes-halibut``). The human translators kept "McDonald's",
"I Dream of Jeannie" and "The Good Life" as they are; Apertium wrote "McDonald es" (the "'s"
read as "is"), "Sueño de Jeannie" and "La Vida Buena". Where transfer reordered a kept name's
words around a word of the source, that word was lost: "The Voices for Africa Association has
found" came out "Las Voices for Africa ha encontrado". "Fort Worth" came out "Fort Valor": the
common noun after a name was taken for the kind of thing named, as in "Tahrir Square" ("plaza
Tahrir").
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

from babelwire.extract.article import extract_article
from babelwire.models import Article, TranslationStatus
from babelwire.run.translation import translate_article
from babelwire.translate.engines.apertium.engine import ApertiumEngine
from babelwire.translate.names.detect import detect_terms
from babelwire.translate.router import Router

FIDELITY = Path(__file__).parent / "data" / "fidelity"

# newstest2013 en 723, 724, 756 and 758 (one document)
FAST_FOOD = (
    "Up to a fourth of all American teenagers have worked the cash register at McDonald's at "
    "one time or another",
    "In the last few days, there is a wave of protest actions in the U.S.A. against low "
    "salaries in supermarkets of the Walmart chain and popular fast food chain restaurants like "
    "McDonald's, Burger King, Taco Bell, Wendy's and Kentucky Fried Chicken.",
    "Once upon a time, almost a fourth of American teenagers went through McDonald's, working "
    "part-time after school, living with parents.",
    "Now I continuously come across interviews with McDonald's employees, who complain that "
    "they have to survive on this salary and sometimes even feed their children.",
)
# newstest2013 en 2929 and 2931
SITCOMS = (
    "Years before \"Dallas,\" Hagman became famous on television as a decent guy in the light "
    "comedy \"I Dream of Jeannie,\" aired on NBC from 1965 to 1970.",
    "He also starred in two sitcoms that were not aired for long, \"The Good Life\" (NBC, "
    "1971-72) and \"Here We Go Again\" (ABC, 1973).",
)
# newstest2013 en 1717, 1734 and 1769
CHOIR = (
    "The Voices for Africa Association has found sponsors in Germany for 180 AIDS orphans in "
    "the village of Esitjeni.",
    "However, just one year later, the choir established the \"Voices for Africa\" Association, "
    "which since then has been looking after the AIDS orphans in Esitjeni at an almost "
    "professional level.",
    "In addition, \"Voices for Africa\" has established a sewing school,built two chicken coops "
    "and, together with the American health organisation, PSI, organised for many in the "
    "village to be tested for HIV.",
)


def _article(*paragraphs: str) -> Article:
    return Article(url="https://newstest.invalid/en", title="", lang="en",
                   html="".join(f"<p>{p}</p>" for p in paragraphs), text="\n\n".join(paragraphs))


def _terms(router: Router, paragraphs: tuple[str, ...]) -> set[str]:
    return {t.text for t in detect_terms(list(paragraphs), "en", "es",
                                         lexicon=router.lexicon("en", "es"))}


def test_a_shops_name_in_s_is_kept_where_no_noun_follows(router: Router) -> None:
    assert {"McDonald's", "Wendy's"} <= _terms(router, FAST_FOOD)
    for lang, engine_is in (("es", "McDonald es"), ("fr", "McDonald il est")):
        tr = translate_article(_article(*FAST_FOOD), lang, router)
        assert tr.text.count("McDonald's") == 4 and engine_is not in tr.text, tr.text
        assert "Wendy's" in tr.text
        assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]


def test_a_genitive_stays_the_engines(router: Router) -> None:
    # a genitive before a noun, and "'s" for "is" at a sentence's start
    terms = _terms(router, ("Obama's government said it.",
                            "“Grocery's a category,” said the analyst."))
    assert not any(t.endswith("'s") for t in terms), terms
    # an article that writes the name without "'s" too: "Amazon's $119-a-year Prime
    # membership" is Amazon's (The Seattle Times, en-seattletimes-halibut)
    case = json.loads((FIDELITY / "en-seattletimes-halibut" / "case.json").read_text("utf-8"))
    page = gzip.decompress((FIDELITY / "en-seattletimes-halibut" / "page.html.gz").read_bytes())
    article = extract_article(page, str(case["url"]))
    assert re.search(r"Amazon[’']s \$", article.text)
    tr = translate_article(article, "es", router)
    assert "Amazon" in tr.text and not re.search(r"Amazon[’']s", tr.text), tr.text
    assert not re.search(r"Grocery[’']s", tr.text)


def test_a_kept_name_gets_no_article_the_source_did_not_give_it(router: Router) -> None:
    # Transfer read "Whole Foods" and "Amazon" as common nouns and gave them the article
    # a common noun takes: "Las Whole Foods dijeron", "sede del Amazon", "Les Whole Foods".
    article = _fidelity_article("en-seattletimes-halibut")
    assert "Whole Foods said it has lowered prices" in article.text
    # (the source's own article stays: "you won't recognize the original Whole Foods")
    given = len(re.findall(r"\b[Tt]he (?:[a-z]+ )?(?:Whole Foods|Amazon)\b", article.text))
    for lang, articles in (("es", r"\b(?:[Ll]as|[Ll]os|[Ll]a|del) "),
                           ("fr", r"\b(?:[Ll]es|[Ll]a|du) ")):
        text = translate_article(article, lang, router).text
        added = re.findall(articles + "(?:Whole Foods|Amazon)", text)
        assert "Whole Foods" in text and len(added) <= given, (given, added)
    tr = translate_article(_article(BIG_MACHINE), "es", router)
    assert tr.text.startswith("Big Machine"), tr.text
    # an article the generator writes with a proper noun it knows stays ("de l'Uruguay")
    tr = translate_article(_fidelity_article("es-elpaisuy-montecon"), "fr", router)
    assert "l'Uruguay" in tr.text.replace("’", "'"), tr.text


def test_a_kept_name_gets_no_pronoun_after_it(router: Router) -> None:
    # Spanish -> French transfer writes the subject pronoun Spanish drops before a verb whose
    # subject it did not see, a name it did not know: "Toyota il dit la batterie", "Le RAV4
    # Prime il sort à la vente" (The CT Post's page of the L.A. Auto Show, through Spanish).
    # And a verb the route did not know, translated alone, came with one: "Montecon
    # trasmitió" -> "Montecon it transmitted" (El País of Uruguay).
    text = translate_article(_fidelity_article("en-ctpost-la-auto-show"), "fr", router).text
    assert "Toyota" in text and not re.search(r"\b(?:Toyota|Volkswagen|Prime) ils? ", text), text
    text = translate_article(_fidelity_article("es-elpaisuy-montecon"), "en", router).text
    assert "Montecon" in text and not re.search(r"\b(?:Montecon|Mieres) (?:it|they) ", text), \
        text

def _fidelity_article(name: str) -> Article:
    case = json.loads((FIDELITY / name / "case.json").read_text("utf-8"))
    page = gzip.decompress((FIDELITY / name / "page.html.gz").read_bytes())
    return extract_article(page, str(case["url"]))

def test_a_title_in_quotes_is_kept(router: Router) -> None:
    terms = _terms(router, SITCOMS)
    assert {"I Dream of Jeannie", "The Good Life", "Here We Go Again"} <= terms, terms
    for lang in ("es", "fr"):
        tr = translate_article(_article(*SITCOMS), lang, router)
        for title in ("I Dream of Jeannie", "The Good Life", "Here We Go Again"):
            assert title in tr.text, tr.text
            # marked in its language as a whole, not word by word
            assert f'<span lang="en">{title}</span>' in tr.html, tr.html
        assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]
    # a quoted sentence is no title, nor a quote a noun follows ("the "Voices for Africa"
    # Association": the engine moves the noun into the title's words)
    said = _terms(router, ('"It\'s a decision" he confirmed.',
                           'the choir established the "Voices for Africa" Association.'))
    assert not said & {"It's a decision", "Voices for Africa"}, said


def test_a_word_transfer_puts_between_a_names_words_is_not_lost(router: Router) -> None:
    assert "Voices for Africa" in _terms(router, CHOIR)
    for lang, association in (("es", "Asociación"), ("fr", "Association")):
        tr = translate_article(_article(*CHOIR), lang, router)
        first, second = [p for p in tr.text.split("\n") if p.strip()][:2]
        assert "Voices for Africa" in first and association in first, first
        assert "Voices for Africa" in second and association in second, second


# newstest2013 en 2917, 747, 2425 (names that end in a common noun), 1799 and 1972 (the kind of
# thing named, which the human translators put first: "el Instituto Max Planck", "la plaza Tahrir")
ENDING_IN_A_NOUN = (
    "Larry Hagman, born on 21 September 1931 in Fort Worth (Texas), became world famous for his "
    "role as John Ross Ewing.",
    "Representative of the corporation, Dan Fogelman, asserted in an interview with a "
    "left-wing site, the Huffington Post, that a total of \"less than five\" Walmart employees "
    "left the workplace.",
    "Their situation wasn't helped by a recent BBC Two documentary, Wonderland: Young, Bright "
    "and on the Right, about student politics.",
)
KINDS = (
    "This image comes from a camera developed by German researchers at the Max Planck "
    "Institute.",
    "Tens of thousands gathered on Friday evening at the Tahrir Square in Cairo, in unfamiliar "
    "unity.",
)


def test_a_common_noun_ending_a_name_is_the_names(router: Router) -> None:
    terms = _terms(router, ENDING_IN_A_NOUN)
    assert {"Fort Worth", "Huffington Post", "BBC Two"} <= terms, terms
    tr = translate_article(_article(*ENDING_IN_A_NOUN), "es", router)
    for name in ("Fort Worth", "Huffington Post", "BBC Two"):
        assert name in tr.text, tr.text
    # the kind of thing named stays the engine's, put first
    kinds = _terms(router, KINDS)
    assert {"Max Planck", "Tahrir"} <= kinds and not kinds & {"Max Planck Institute",
                                                           "Tahrir Square"}, kinds
    tr = translate_article(_article(*KINDS), "es", router)
    assert "Instituto" in tr.text and "Plaza" in tr.text, tr.text


# The ScrapingHub benchmark's CRN page (ground truth 291a8bf3..., www.crn.com/news/cloud/tim-
# cook-on-apple-being-pulled-into-the-enterprise-): a firm introduced by an apposition
APPOSITION = ("Apple, a giant industrial producer, has gone well beyond what it's legally "
              "required to do, challenging itself to run entirely on renewable energy while "
              "encouraging suppliers to be cleaner as well.")
# The Los Angeles Times on Mike Bloomberg (trafilatura's evaluation pages) and Annals of
# Internal Medicine (same set): a post before a name and a post after one, in Title Case
POSTS = ("Along with Democratic rivals, President Trump has gotten into the act, stepping up "
         "his trolling of the candidate he calls “Mini Mike.”",
         "Jaya K. Rao, MD, MHS, Deputy Editor, reports that she has stock holdings/options in "
         "Eli Lilly and Pfizer.")


def test_ordinary_words_that_name_a_firm_are_kept(router: Router) -> None:
    # The Washington Post's page of the fidelity cases: "Amnesty International" had come out
    # "la amnistía Internacional"; "Apple, a giant industrial producer," "Manzana, un ..."
    case = json.loads((FIDELITY / "en-wapo-north-africa" / "case.json").read_text("utf-8"))
    page = gzip.decompress((FIDELITY / "en-wapo-north-africa" / "page.html.gz").read_bytes())
    article = extract_article(page, str(case["url"]))
    assert "Amnesty International" in _terms(router, (article.text,))
    assert "Apple" in _terms(router, (APPOSITION,))
    for lang in ("es", "fr"):
        tr = translate_article(article, lang, router)
        assert "Amnesty International" in tr.text and "mnist" not in tr.text, tr.text
        assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]
        tr = translate_article(_article(APPOSITION), lang, router)
        # (and the word after the comma keeps its small letter: "Orange, L'opérateur" had
        # come through Spanish into French with Apertium's capital)
        assert re.match(r"Apple, [a-zé]", tr.text), tr.text
    # a post is no firm: "President Trump" and "Deputy Editor" are translated
    terms = _terms(router, POSTS)
    assert not {"President Trump", "Deputy Editor"} & terms, terms


# Barron's page of the fidelity cases (``en-barrons-home-depot``): "home" is an adverb as well as
# a noun, and the run was not taken for a name ("Dépôt de Maison"). Dealbreaker's "Opening Bell"
# of 2019-11-18 (ScrapingHub's article-extraction benchmark): a firm of ordinary words opening
# a sentence ("La machine grande a nié").
HOME_DEPOT = ("Shares of construction goods giant Home Depot are dropping in premarket trading "
              "after the company cut full-year sales growth guidance.")
BIG_MACHINE = "Big Machine has denied Swift’s claims, saying they were “shocking and false.”"
# A description opening a sentence before no verb stays the engine's: newstest2013 en 1860 and
# 2625.
DESCRIPTIONS = ("The Keck Telescopes are part of the Mauna Kea Observatory, which alongside the "
                "Keck telescopes, can look to the heavens with the help of the Subaru telescope.",
                "Supreme Court justices heard the case, and the court will rule in June.",
                # The List on multivitamins (the extraction benchmark's pages): a vitamin's letter
                "\"Vitamin A helps to keep the cornea clear and is a protein component that "
                "serves for low-light vision sensitivity,\" she continued.")


def test_ordinary_words_opening_a_sentence_before_its_verb_name_a_firm(router: Router) -> None:
    assert "Home Depot" in _terms(router, (HOME_DEPOT,))
    assert "Big Machine" in _terms(router, (BIG_MACHINE,))
    for lang in ("es", "fr"):
        tr = translate_article(_article(BIG_MACHINE), lang, router)
        assert "Big Machine" in tr.text and "máquina" not in tr.text.lower() \
            and "machine grande" not in tr.text.lower(), tr.text
        tr = translate_article(_article(HOME_DEPOT), lang, router)
        assert "Home Depot" in tr.text, tr.text
    terms = _terms(router, DESCRIPTIONS)
    assert not {"Supreme Court", "Keck Telescopes", "Vitamin A"} & terms, terms


# ScrapingHub's article-extraction benchmark: Billboard's page on The Doobie Brothers' tour
# (2019-11-19) and Healthline's on binge eating. A firm opening a sentence ("Live Nation is
# producing") had counted toward the cap of runs in mid-sentence (a page with more writes in
# Title Case), so the page's places went into Spanish ("Vista de Montaña"); and a label opening
# many sentences ("Summary Studies show", "Summary Yoga can help") was kept as a firm.
TOUR = ("Simmons teased The Doobie Brothers 50th Anniversary Tour tre k during the band’s set "
        "Monday night (Nov. 18) at the Ryman Auditorium in Nashville, Tennessee.",
        "The four-time Grammy winning band will kick off the jaunt June 9, 2020 in West Palm "
        "Beach, FL, the first stop of 30 cities including Nashville, Toronto, Denver, Seattle "
        "and Los Angeles.",
        "Also, the Doobies will loop into Shoreline Amphitheatre at Mountain View, CA for a "
        "hometown show on Sept. 12.",
        "Live Nation is producing the tour, tickets for which go on sale Friday, Dec. 6 at "
        "LiveNation.com.",
        "Sept. 5 -- White River Amphitheatre. Seattle, WA")
SUMMARIES = ("Summary Studies show that fasting or eliminating certain foods from your diet may "
             "be associated with increased cravings and overeating.",
             "Summary Yoga can help prevent binge eating and may reduce common triggers like "
             "stress, depression, and anxiety.",
             "Summary Fiber can help keep you feeling full to reduce calorie intake and feelings "
             "of hunger.")


def test_runs_opening_sentences_neither_cap_the_page_nor_name_a_label(router: Router) -> None:
    terms = _terms(router, TOUR)
    assert {"Live Nation", "West Palm Beach", "Mountain View", "White River Amphitheatre"} \
        <= terms, terms
    terms = _terms(router, SUMMARIES)
    assert not any(t.startswith("Summary") for t in terms), terms
    # one such opening is still a firm
    assert "Big Machine" in _terms(router, (*SUMMARIES[:1], BIG_MACHINE))


def test_an_adjective_opening_a_sentence_makes_a_run_for_the_names_check(
        router: Router) -> None:
    # "Court" stood bare after the sentence's first word and in the run "the Supreme Court"
    # (newstest2013 en 1686) once each, so the check took it for a name and held a right
    # translation ("'Court' missing": "Corte suprema", "Cour suprême")
    article = _article("Supreme Court justices heard the case.",
                       "The matter is now pending before the Supreme Court.")
    for lang in ("es", "fr"):
        tr = translate_article(article, lang, router)
        assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]

# ScrapingHub's article-extraction benchmark (a Wikileaks story and NASA's Titan map): English
# writes some words with a prefix and a hyphen that the analyser knows only solid; it read an
# unknown "co", a dash and a noun, and transfer gave the noun its own article ("El co-el
# fundador dijo", "L'il-co-el fondateur").
PREFIXED = ("Prosecutors in Sweden have dropped an investigation into a rape allegation made "
            "against Wikileaks co-founder Julian Assange in 2010.",
            "Rainfall occurs everywhere on Titan, but the equatorial regions are drier than the "
            "poles, said study co-author Anezina Solomonidou, a European Space Agency research "
            "fellow.",
            "Co-founder Julian Assange said the post-war order was over.")


def test_a_word_with_a_prefix_is_read_as_the_dictionary_writes_it(router: Router) -> None:
    for sentence, word in zip(PREFIXED, ("cofundador", "coautor", "cofundador"), strict=True):
        text = translate_article(_article(sentence), "es", router).text
        assert word in text.lower() and "co-" not in text.lower(), text
    text = translate_article(_article(PREFIXED[2]), "es", router).text
    assert "posguerra" in text, text
    # "Co" before "-founder" is a prefix, not a name opening the sentence
    assert "Co" not in _terms(router, (PREFIXED[2],))
    engine = router.engines[0]
    assert isinstance(engine, ApertiumEngine)
    # a hyphenated word the analyser knows as it is stays so, and a place before "-based"
    kept = ["the co-owner", "a Seattle-based firm", "<k id=\"1\">Co-op</k> and the co-founder"]
    assert list(engine._joined_prefixes("en", "es", kept)) == [
        *kept[:2], "<k id=\"1\">Co-op</k> and the cofounder"]


def test_a_first_name_the_dictionary_has_only_as_a_word_is_the_names(router: Router) -> None:
    # "The Wild lost defenseman Matt Dumba" (The Pioneer Press, en-twincities-wild-sabres):
    # English Apertium has "matt" only as an adjective, so it was read as a title before the
    # surname and translated: "Mate Dumba", "Tuez Dumba".
    article = _fidelity_article("en-twincities-wild-sabres")
    assert "defenseman Matt Dumba" in article.text
    for lang in ("es", "fr"):
        text = translate_article(article, lang, router).text
        assert "Matt Dumba" in text, text
    # a title before a name stays a title, and a people's word before a name is not its own
    terms = _terms(router, ("The ruling was read by Judge Merchan in New York.",
                            "The talks with Korean Yoon were delayed."))
    assert {"Merchan", "Yoon"} <= terms and not terms & {"Judge Merchan", "Korean Yoon"}, terms


def test_a_common_word_between_two_names_is_theirs(router: Router) -> None:
    # "SoftBank Group Corp" (VentureBeat, en-venturebeat-wework) and "the $1,000 Meta Quest
    # Pro" (The Verge, en-theverge-vision-pro) came out "SoftBank Grupo Corp" and "Meta
    # Búsqueda Pro": the common word between two names was cut out as a title.
    for name, case in (("SoftBank Group Corp", "en-venturebeat-wework"),
                       ("Meta Quest Pro", "en-theverge-vision-pro")):
        article = _fidelity_article(case)
        assert name in article.text
        text = translate_article(article, "es", router).text
        assert name in text, text
    # a post or a role between a firm and a person is theirs: "Microsoft President Brad Smith"
    terms = _terms(router, ("The deal was signed by Microsoft President Brad Smith.",
                            "The team is led by Real Madrid Coach Ancelotti this year."))
    assert {"Microsoft", "Brad Smith", "Ancelotti"} <= terms, terms
    assert not any("President" in t or "Coach" in t for t in terms), terms


def test_a_common_noun_before_names_only_is_the_first_word_of_the_name(router: Router) -> None:
    # "the ingredients for Rice Krispies Treats" (en-seattletimes-halibut) came out "Arroz
    # Krispies Trata": the common noun before a name was read as a title.
    article = _fidelity_article("en-seattletimes-halibut")
    assert "Rice Krispies Treats" in article.text
    assert "Rice Krispies" in translate_article(article, "es", router).text
    # ScrapingHub's benchmark (ground truth bodies): Dealbreaker and mySanAntonio
    terms = _terms(router, (
        "Taylor Swift might not be able to perform all of her hits due to a legal dispute with "
        "Scooter Braun (which owns her former record label, Big Machine) ...",
        "The four players in front of him - Oscar Robertson, Russell Westbrook, Lakers great "
        "Magic Johnson and Lakers assistant coach Jason Kidd - hadn't done it against 30 teams."))
    assert {"Scooter Braun", "Magic Johnson"} <= terms, terms
    # but not a post or a role (Al Jazeera, The New York Times), nor a point of the compass,
    # which the target words its own way ("el norte de la India": Vox)
    terms = _terms(router, (
        "In May, NASA's Administrator Jim Bridenstine said returning to the moon was necessary "
        "to build the infrastructure.",
        "It was a dramatic turnaround from four years ago, when Republican Phil Bryant won in "
        "a landslide.",
        "These extreme pollution events happen across North India every November - not just on "
        "Diwali."))
    assert {"Jim Bridenstine", "Phil Bryant"} <= terms, terms
    assert not any(t.startswith(("Administrator", "Republican", "North")) for t in terms), terms


def test_a_common_noun_and_a_place_name_a_firm(router: Router) -> None:
    # "Kazakhstan's Air Astana" (CNBC, en-cnbc-emirates-boeing) came out "Astaná de Aire de
    # Kazajstán": "Air" was read as a common noun, and the place after it was translated.
    article = _fidelity_article("en-cnbc-emirates-boeing")
    assert "Kazakhstan's Air Astana" in article.text
    for lang in ("es", "fr"):
        text = translate_article(article, lang, router).text
        assert "Air Astana" in text and "Aire" not in text, text
    # a sentence may open with the firm when it goes on in lower case ("Air France said")
    terms = _terms(router, ("Air France said on Tuesday that it would cut jobs.",
                            "Shares of Radio Canada and Singapore Airlines fell."))
    assert {"Air France", "Radio Canada", "Singapore Airlines"} <= terms, terms
    # not the kind of place, a part of one, a title, nor a time before a place
    terms = _terms(router, ("The boat sank on Lake Victoria near Cape Town.",
                            "Hurricane Florence hit the coast, Senator Warren said.",
                            "Yesterday Paris was calm."))
    assert not any(" " in t and t.split()[0] in ("Lake", "Hurricane", "Senator", "Yesterday")
                   for t in terms), terms
