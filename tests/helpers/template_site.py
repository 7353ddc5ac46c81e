"""A news site of several pages built on one real page's template.

La Nación's page ``es-lanacion-mapuche`` (tests/data/extract/pages) is the template, its article
body replaced by the openings of six real news stories (newstest2013, Spanish side). A
subscription notice sits *inside* the article container on every page; a correction notice sits
on the stories asked for, and story 0 may also be served at a second address (an updated copy).
In a variant, each page points to the next story with a label of the site's own ("Más sobre este
tema: <headline>").
"""

from __future__ import annotations

import copy
import gzip

from lxml import etree
from lxml import html as lxml_html

from tests.helpers import DATA

EXTRACT = DATA / "extract"
NOTICE = ("Para seguir leyendo, suscribite a LA NACION y accedé a todos los contenidos "
          "del sitio por un precio especial durante los primeros seis meses.")
CORRECTION = ("Fe de erratas: una versión anterior de esta nota atribuyó al Centro Brennan una "
              "cifra de casos de fraude que corresponde a otro estudio.")
BASE_URL = "https://www.lanacion.com.ar/"
SITE_LABEL = "Más sobre este tema:"


def stories() -> list[tuple[str, list[str]]]:
    """(headline, sentences) of the six newstest2013 documents."""
    text = (EXTRACT / "site" / "newstest2013-es-docs.txt").read_text(encoding="utf-8")
    found: list[tuple[str, list[str]]] = []
    for chunk in text.split("# ")[1:]:
        lines = [line for line in chunk.splitlines()[1:] if line.strip()]
        found.append((lines[0], lines[1:]))
    return found


def _page(template: etree._Element, headline: str, sentences: list[str],
          extra: list[str], related: str = "") -> bytes:
    """The template page with a new headline and body: the notice after paragraph 2, and
    ``related`` (a paragraph) after paragraph 1."""
    tree = copy.deepcopy(template)
    for h1 in tree.iter("h1"):
        h1.text, h1[:] = headline, []
    for title in tree.iter("title"):
        title.text = f"{headline} - LA NACION"
    for meta in tree.iter("meta"):
        if meta.get("property") in {"og:title", "og:url"} or meta.get("name") == "description":
            meta.getparent().remove(meta)
    body = tree.xpath("//section[@id='cuerpo']")[0]
    for p in body.findall("p"):
        body.remove(p)
    paragraphs = [" ".join(sentences[i:i + 2]) for i in range(0, len(sentences), 2)]
    paragraphs.insert(2, NOTICE)
    if related:
        paragraphs.insert(1, related)
    for text in paragraphs + extra:
        element = etree.SubElement(body, "p")
        element.text = text
    page: bytes = lxml_html.tostring(tree, encoding="utf-8", doctype="<!DOCTYPE html>")
    return page


def build_site(correction_on: set[int], updated_copy: bool,
               related: bool = False) -> list[tuple[bytes, str]]:
    """(page, url) of six stories (the correction on ``correction_on``), with ``updated_copy``
    story 0 again at a second address; with ``related``, each story points to the next one
    under ``SITE_LABEL``."""
    template_page = EXTRACT / "pages" / "es-lanacion-mapuche" / "source.html.gz"
    raw = gzip.decompress(template_page.read_bytes())
    template = lxml_html.fromstring(raw)
    for link in template.xpath("//link[@rel='canonical']"):
        link.getparent().remove(link)
    pages = []
    told = stories()
    for index, (headline, sentences) in enumerate(told):
        extra = [CORRECTION] if index in correction_on else []
        link = f"{SITE_LABEL} {told[(index + 1) % len(told)][0]}" if related else ""
        pages.append((_page(template, headline, sentences, extra, link),
                      f"{BASE_URL}nota-{index}"))
    if updated_copy:
        first_headline, first_sentences = stories()[0]
        updated = _page(template, first_headline, first_sentences, [CORRECTION])
        pages.append((updated, f"{BASE_URL}nota-0-actualizada"))
    return pages
