"""Site furniture kept out of articles, on real pages: related-link blocks, kickers glued to the
first paragraph, site names in titles, newsletter boxes (tests/data/extract/PROVENANCE.md)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from babelwire.extract import cleanup, extract_article
from babelwire.extract.blocks import Block
from babelwire.extract.metadata import clean_title
from babelwire.models import Article

DATA = Path(__file__).parent / "data" / "extract"


def _page(name: str) -> tuple[dict[str, Any], Article]:
    folder = DATA / "pages" / name
    origin = json.loads((folder / "origin.json").read_text(encoding="utf-8"))
    raw = gzip.decompress((folder / "source.html.gz").read_bytes())
    return origin, extract_article(raw, origin["url"])


def _next_line(text: str, start: str) -> str:
    """The paragraph after the one that starts with ``start`` ('' after the last one)."""
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(start))
    return lines[index + 1] if index + 1 < len(lines) else ""


# (page, the related-link label, the paragraph before the block, the one after it: the block
# between them must go, and nothing else)
RELATED = [
    ("fr-lemonde-renseignement", "Lire aussi", "La Commission nationale informatique",
     "Le dispositif introduit une forme"),
    ("fr-liberation-ayrault", "A lire aussi", "Après les turbulences de la semaine",
     "Mais ne citera pas cette fois"),
    # the article's last paragraph: the teasers after it went with their box (below)
    ("fr-liberation-ayrault", "A lire aussi", "En chef de la majorité, Ayrault", ""),
    ("es-elespectador-jep", "Le puede interesar", "El delito más endilgado",
     "La hipótesis es que estos crímenes"),
    ("es-elespectador-jep", "Lea aquí", "Además, la Sala de Reconocimiento",
     "Un tercer patrón que documentará"),
    # a label alone ("Read more:") and the linked headlines it introduces, at the end
    ("en-wapo-north-africa", "Read more", "Heba Habib contributed to this report.", ""),
]


@pytest.mark.parametrize(("name", "label", "before", "after"), RELATED)
def test_related_link_blocks_are_not_published(name: str, label: str, before: str,
                                               after: str) -> None:
    _, article = _page(name)
    assert label.casefold() not in article.text.casefold()
    assert label.casefold() not in article.html.casefold()
    assert _next_line(article.text, before).startswith(after)


def test_boxes_of_other_stories_labelled_outside_the_body_are_not_published() -> None:
    """Libération: after the article, an "À lire aussi" box whose label sits in its own
    ``div.block-top``, then "À la une de libération.fr" and the sidebar's boxes; trafilatura
    takes their teasers for text and leaves the labels out (extract.boxes)."""
    _, article = _page("fr-liberation-ayrault")
    assert article.text.splitlines()[-1].startswith("En chef de la majorité, Ayrault livre")
    for teaser in ("Après avoir annoncé l’invalidation", "La presse est versatile",
                   "Pour mémoire", "Isaskun Lesaka", "LeGuide.com", "sur le web"):
        assert teaser not in article.text
        assert teaser not in article.html
    assert "Le plaidoyer du temps long" in article.text.splitlines()


def test_newsletter_box_at_the_end_of_the_body_is_not_published() -> None:
    """El País: the evaluation's "with" snippets kept, its "without" ones (the closing call to
    write in and subscribe to the newsletter among them) gone."""
    _, article = _page("es-elpais-ciencia")
    segments = json.loads((DATA / "pages" / "es-elpais-ciencia" / "expected-segments.json")
                          .read_text(encoding="utf-8"))
    for snippet in segments["with"]:
        assert snippet in article.text
    for snippet in segments["without"]:
        assert snippet not in article.text
    assert "newsletter" not in article.text
    assert article.text.splitlines()[-1].startswith("La Antártida está protegida")


def test_kicker_glued_to_the_first_paragraph_is_removed() -> None:
    """Tribune de Genève: <h3><span class="keyword">Agriculture</span>L'Office fédéral…"""
    _, article = _page("fr-tdg-chlorothalonil")
    first = article.text.splitlines()[0]
    assert first.startswith("L'Office fédéral de l'agriculture a décidé")
    assert article.html.startswith("<p>L'Office fédéral")
    assert "Agriculture" not in article.text


def test_label_words_inside_prose_are_kept() -> None:
    """A paragraph that opens with "Lesen Sie" and recommends another article in a sentence of
    its own is the author's text, not a related-link block."""
    raw = gzip.decompress((DATA / "furniture" / "wolfgangmichal.de.sorgfaltspflicht.html.gz")
                          .read_bytes())
    url = ("https://www.wolfgangmichal.de/2017/06/07/"
           "publizistische-sorgfaltspflicht-statt-netzwerkdurchsetzungsgesetz/")
    article = extract_article(raw, url)
    assert any(line.startswith("Lesen Sie – als Hintergrundinformation") and
               line.endswith("aus dem Jahr 2012.") for line in article.text.splitlines())


def test_a_whole_page_read_as_one_paragraph_falls_back() -> None:
    """trafilatura reads jaraguadosul.com.br's news page as one paragraph of the whole page's
    menus (8,733 characters), which matches no segment; the article is a bare text node that no
    segment holds. The model rejects every segment inside that block, so it goes, and the weak
    body falls back to readability's reading: the article's 509 characters."""
    raw = gzip.decompress((DATA / "furniture" / "jaraguadosul.com.br.arrombamento.html.gz")
                          .read_bytes())
    url = ("http://jaraguadosul.com.br/news/"
           "servi-o-de-atendimento-domiciliar-registra-arrombamento-em-dois-ve-culos")
    article = extract_article(raw, url)
    assert "A equipe do Serviço de Atendimento Domiciliar (SAD)" in article.text
    assert article.text.endswith("a partir da tarde de hoje (5).")
    for menu in ("Ouvidoria SUS", "Conselhos Municipais", "CNPJ"):
        assert menu not in article.text
    assert len(article.text) < 1000
    # readability gives the headline as the body's first paragraph: it is the title, not text
    assert article.title and article.text.split("\n")[0].strip() != article.title.strip()
    assert article.text.startswith("A equipe do Serviço de Atendimento Domiciliar (SAD)")


def test_site_name_and_sections_leave_the_title() -> None:
    folder = DATA / "pages" / "es-ultimahora-infanta"
    expected = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
    _, article = _page("es-ultimahora-infanta")
    assert article.title == expected["title"]
    # served from elsewhere (the demo's local server): the page's own addresses name the site
    raw = gzip.decompress((folder / "source.html.gz").read_bytes())
    mirrored = extract_article(raw, "http://127.0.0.1:8000/prensa/es-ultimahora-infanta.html")
    assert mirrored.title == expected["title"]


# Real <title>s of pages of the extraction benchmark, with their site names and URLs.
TITLES = [
    ("Perturbazione polare al Centro e al Sud. Il Nord, scavalcato, mantiene temperature alte "
     "- La Stampa", [], "https://www.lastampa.it/cronaca/2020/02/19/news/temperature-in-calo",
     "Perturbazione polare al Centro e al Sud. Il Nord, scavalcato, mantiene temperature alte"),
    ("Privatkredit-Zinsen: So ermitteln Sie Ihre Kosten | SMAVA", [],
     "https://www.smava.de/privatkredit/privatkredit-zinsen/",
     "Privatkredit-Zinsen: So ermitteln Sie Ihre Kosten"),
    ("Flächenverbrauch für Fleisch, Milch und Eier • CareElite", [],
     "https://www.careelite.de/flaechenverbrauch-fuer-fleisch/",
     "Flächenverbrauch für Fleisch, Milch und Eier"),
    ("Internationale Steuerberatung | Kanzlei Viehbacher", [],
     "https://viehbacher.com/de/steuerrecht", "Internationale Steuerberatung"),
    # a dash inside the headline is no separator of a site name
    ("Star Wars Jedi: Fallen Order review - shoots for the moon, lands among the stars",
     ["VG247"], "https://www.vg247.com/2019/11/20/star-wars-jedi-fallen-order-review/",
     "Star Wars Jedi: Fallen Order review - shoots for the moon, lands among the stars"),
    ("Bubonic plague: Third case of plague in China as panic begins – ‘The plague is coming’",
     ["Express.co.uk"], "https://www.express.co.uk/news/science/1205992/bubonic-plague",
     "Bubonic plague: Third case of plague in China as panic begins – ‘The plague is coming’"),
]


@pytest.mark.parametrize("name", ["de-uebermedien-israel", "de-strafprozess-polizisten",
                                  "de-zoll-tabaksteuer"])
def test_an_h1_that_names_the_site_or_a_section_is_not_the_title(name: str) -> None:
    # each page's <h1> is its logo or section ("Übermedien", "strafprozess.ch", "Fachmeldungen"),
    # and its <title> holds that name beside the headline
    origin, article = _page(name)
    assert article.title == origin["title"]


# (title, the page's h1s, site names, url, expected)
TITLES_AND_HEADINGS = [
    ("Rasende Polizisten - strafprozess.ch", ["strafprozess.ch"], [],
     "https://www.strafprozess.ch/rasende-polizisten/", "Rasende Polizisten"),
    # zoll.de: three h1s, the site's, the section's and the headline
    ("Zoll online - Fachmeldungen - Verkündung des Tabaksteuermodernisierungsgesetzes",
     ["Zoll", "Fachmeldungen", "Verkündung des Tabaksteuermodernisierungsgesetzes"], [],
     "https://www.zoll.de/SharedDocs/Fachmeldungen/2021/vst.html",
     "Verkündung des Tabaksteuermodernisierungsgesetzes"),
    # an h1 that is the headline still says where it ends
    ("Covid-19: Lässt sich die Ausbreitung kontrollieren? - Spektrum der Wissenschaft",
     ["Lässt sich die Ausbreitung kontrollieren?"], ["Spektrum der Wissenschaft"],
     "https://www.spektrum.de/news/covid-19/1710935", "Lässt sich die Ausbreitung kontrollieren?"),
    ("Star Wars Jedi: Fallen Order review - shoots for the moon, lands among the stars | VG247",
     ["Star Wars Jedi: Fallen Order review - shoots for the moon, lands among the stars"],
     ["VG247"], "https://www.vg247.com/2019/11/20/star-wars-jedi-fallen-order-review/",
     "Star Wars Jedi: Fallen Order review - shoots for the moon, lands among the stars"),
]


@pytest.mark.parametrize(("title", "headings", "names", "url", "expected"),
                         TITLES_AND_HEADINGS)
def test_clean_title_takes_no_h1_that_names_the_site(title: str, headings: list[str],
                                                     names: list[str], url: str,
                                                     expected: str) -> None:
    assert clean_title(title, names, headings, urls=[url]) == expected


@pytest.mark.parametrize(("title", "names", "url", "expected"), TITLES)
def test_clean_title_on_real_titles(title: str, names: list[str], url: str,
                                    expected: str) -> None:
    assert clean_title(title, names, urls=[url]) == expected


def test_a_linked_citation_after_a_related_label_inside_the_body_is_not_published() -> None:
    # Le Monde diplomatique's blog (tests/data/fidelity/fr-mondediplo-turpitude): "Lire aussi
    # Martine Bulard & Sung Il-kwon, « En Corée, la politique du rayon de soleil », Le Monde
    # diplomatique, juin 2018." set apart between two paragraphs, its title linked. Once the
    # text runs beside the body were paragraphs of their own (extract.runs), it stood inside
    # the body, where no rule judged it.
    folder = Path(__file__).parent / "data" / "fidelity" / "fr-mondediplo-turpitude"
    case = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    article = extract_article(gzip.decompress((folder / "page.html.gz").read_bytes()),
                              case["url"])
    assert "Lire aussi" not in article.text and "rayon de soleil" not in article.text
    assert "le prix Émile Guimet" in article.text and "Deux vies évoluant" in article.text


# Related-link labels and calls to action of the shared benchmark pages' boilerplate (their
# "without" snippets), as trafilatura's blocks give them: each goes, and prose that opens with
# the same words stays.
LABELLED = [
    (Block("p", "", "PUEDES VER: ¿Qué es la Sunedu, cómo está conformada y para qué sirve?",
           0), "related"),  # La República (Peru)
    (Block("p", "", "MIRA: Madre se acerca a conocer los motivos de captura de su hijo y termina "
                    "detenida", 0), "related"),  # Soy502 (Guatemala)
    (Block("p", "", "Dowiedz się więcej: Kto jak głosował ws. unijnych funduszy?", 40),
     "related"),  # Rzeczpospolita
    (Block("p", "", "Schon gelesen?", 0), "related"),  # aerobuzz.de, a label alone
    (Block("p", "", "Follow us on Twitter @Spacedotcom and on Facebook.", 0), "call"),
    (Block("p", "", "For the latest stories and breaking news updates download the app for iOS "
                    "and Android.", 0), "call"),
]
PROSE = [
    Block("p", "", "Mira Sorvino ganó el Oscar a la mejor actriz de reparto en 1996.", 0),
    Block("p", "", "Weitere Informationen zu den Hilfen will das Ministerium im Januar "
                   "veröffentlichen.", 0),
    Block("p", "", "Recommended doses were lowered after the trial, the agency said.", 0),
]


@pytest.mark.parametrize(("block", "kind"), LABELLED)
def test_more_related_labels_and_calls_to_action_are_not_published(block: Block,
                                                                   kind: str) -> None:
    body = Block("p", "", "The council approved the budget on Tuesday after a long debate.", 0)
    blocks = [body, block, body]
    if kind == "related":
        assert cleanup.drop_related(blocks) == [body, body]
    else:
        assert cleanup.drop_calls_to_action(blocks) == [body, body]


@pytest.mark.parametrize("block", PROSE)
def test_prose_that_opens_with_a_label_word_stays(block: Block) -> None:
    body = Block("p", "", "The council approved the budget on Tuesday after a long debate.", 0)
    assert cleanup.drop_related([body, block]) == [body, block]
    assert cleanup.drop_calls_to_action([body, block]) == [body, block]


# Image credits that trafilatura's body holds as paragraphs, from the shared benchmark pages'
# "without" snippets (sportnews.bz, amnesty.de, salon.com, de.starsinsider.com, gipfelbuch.ch),
# and lines that name an agency or open with a credit word inside a sentence.
CREDITS = ["AFP / MARCO BERTORELLO", "© Oli Scarff/Getty Images", "Credit:", "© Shutterstock",
           "Abbildung: Vergleich auf dem Aletschgletscher", "Foto: LA NACION", "Imagen: EFE"]
NOT_CREDITS = ["Según AP, el presidente llegó el martes a Lima",
               "Apple, AP y Reuters firmaron el acuerdo",
               "Foto de familia: los ministros posaron en la escalinata del palacio.",
               "Image 3 of 5"]


def test_image_credits_standing_as_paragraphs_are_not_published() -> None:
    body = Block("p", "", "The council approved the budget on Tuesday after a long debate.", 0)
    credits = [Block("p", "", text, 0) for text in CREDITS]
    others = [Block("p", "", text, 0) for text in NOT_CREDITS]
    assert cleanup.drop_credits([body, *credits, body]) == [body, body]
    assert cleanup.drop_credits([body, *others]) == [body, *others]
    heading = Block("h2", "", "Foto: Die Gewinner des Abends", 0)
    assert cleanup.drop_credits([heading]) == [heading]


def test_a_paragraph_of_the_article_that_is_a_link_is_kept() -> None:
    """The release's first paragraph is one link (to the release); the block model is sure it
    is the article's, so the rule against paragraphs that are nothing but a link leaves it.
    Sharing buttons, the newsletter and the search box stay out."""
    raw = gzip.decompress((DATA / "linked" / "unendlich-viel-energie-strompreisbremse.html.gz")
                          .read_bytes())
    article = extract_article(raw, "https://www.unendlich-viel-energie.de/themen/strom/umfrage-"
                                   "zur-strompreisbremse-oekostromkundinnen-besonders-sensibel-"
                                   "fuers-stromsparen")
    text = " ".join(article.text.split())
    assert text.startswith("Düsseldorf, 22. November 2022 - Der Öko-Energieversorger naturstrom")
    for snippet in ("„Die große Mehrheit der Bevölkerung", "Das Marktforschungsunternehmen YouGov"):
        assert snippet in text
    for snippet in ("Diesen Artikel teilen", "Newsletter November", "Suche"):
        assert snippet not in text
    # without the model's word, a paragraph that is one link is still a teaser
    teaser = Block("p", "", text.split(" - ")[0], len(text.split(" - ")[0]))
    assert cleanup.drop_link_blocks([teaser]) == []
