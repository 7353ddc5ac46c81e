"""Boxes of other stories whose label sits outside the body (extract.boxes), on small pages;
the real page (Libération's) is in test_extract_furniture.py."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from babelwire.extract.blocks import Block
from babelwire.extract.boxes import drop_boxed
from babelwire.extract.features import segments

PROSE = ("Le gouvernement a présenté mardi un projet de loi qui doit réformer le financement des "
         "retraites d'ici la fin de l'année, après des mois de concertation avec les syndicats.")
TEASERS = """<div class="block-content">
  <div class="item"><a href="/a"><h5>Un autre article du site</h5></a><p>Son résumé court.</p></div>
  <div class="item"><a href="/b"><h5>Encore un autre article ici</h5></a><p>Un résumé.</p></div>
</div>"""


def _texts(page: str) -> list[str]:
    segs = segments(lxml_html.fromstring(page))
    blocks = [Block("p", s.text, s.text) for s in segs]
    return [b.text for b in drop_boxed(blocks, segs)]


def test_a_related_box_in_the_middle_of_the_article_goes_and_the_article_stays() -> None:
    page = (f"<html><body><div class='article'><p>{PROSE}</p>"
            f"<div class='box'><div class='top'>À lire aussi</div>{TEASERS}</div>"
            f"<p>{PROSE} Suite.</p></div></body></html>")
    # the label itself, standing alone, is drop_related's (trafilatura leaves it out anyway)
    assert _texts(page) == [PROSE, "À lire aussi", f"{PROSE} Suite."]


@pytest.mark.parametrize("head", ["<h4>À la une</h4>",
                                  "<div class='top'><h5>Plus d'infos</h5></div>"])
def test_a_box_of_headline_links_under_a_heading_goes(head: str) -> None:
    page = (f"<html><body><div class='article'><p>{PROSE}</p></div>"
            f"<div class='box'>{head}{TEASERS}</div></body></html>")
    assert _texts(page)[0] == PROSE
    assert not any("article" in text or "résumé" in text for text in _texts(page))


def test_a_section_of_the_article_under_its_subheading_stays() -> None:
    """A subheading over a container of running text (with a link or two) is no box."""
    section = (f"<div><p>{PROSE} <a href='/x'>Un lien vers un autre article</a> et "
               f"<a href='/y'>un autre lien encore</a>.</p><p>{PROSE}</p></div>")
    page = (f"<html><body><div class='article'><p>{PROSE}</p><h3>La suite du débat</h3>"
            f"{section}</div></body></html>")
    assert len(_texts(page)) == 4


def test_the_rest_of_an_article_after_a_read_more_button_stays() -> None:
    """CNN: the article goes on in a ``div`` after a "Read More" button: running text, no box."""
    long = f"{PROSE} {PROSE}"
    page = (f"<html><body><div class='body'><div class='par'>{PROSE}</div>"
            f"<div class='read-more'><div class='button'>Read More</div></div>"
            f"<div class='read-all'><div class='par'>Le texte continue.</div>"
            f"<div class='par'>{long}</div></div></div></body></html>")
    assert _texts(page) == [PROSE, "Read More", "Le texte continue.", long]
