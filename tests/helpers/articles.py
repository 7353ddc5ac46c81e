"""Real news pages and their human translations (tests/data/fidelity), the hostile record
(tests/data/publish), and a translation damaged the way engines damage text."""

from __future__ import annotations

import functools
import json
from dataclasses import replace
from datetime import datetime
from typing import Any

import lxml.html

from babelwire.models import Article, Attribution, Check, Translation, TranslationStatus
from babelwire.publish.sanitize import block_text
from babelwire.quality.checks import run_checks, status_for
from babelwire.translate.names.detect import ProtectedTerm
from tests.helpers import DATA

FIDELITY = DATA / "fidelity"
PUBLISH = DATA / "publish"
CASES = ("en-chips", "es-vivienda")
ENGINE = "human-reference"
BLOOMBERG = '<a href="https://www.bloomberg.com/">Bloomberg</a>'


def case(name: str) -> dict[str, Any]:
    """The fidelity case of a saved page."""
    return dict(json.loads((FIDELITY / name / "case.json").read_text(encoding="utf-8")))


def load_article(name: str) -> Article:
    """An Article from a saved page: metadata from its head, body from its real paragraphs."""
    page = lxml.html.fromstring((FIDELITY / name / "page.html").read_bytes())
    body = (FIDELITY / name / "body.html").read_text(encoding="utf-8").strip()
    text = "\n".join(p.text_content() for p in lxml.html.fragments_fromstring(body))

    def meta(attr: str, value: str) -> str:
        return str(page.xpath(f"string(//meta[@{attr}='{value}']/@content)"))

    return Article(
        url=case(name)["url"], title=page.xpath("string(//h1)"), html=body, text=text,
        lang=case(name)["source_lang"], author=meta("name", "author"),
        published=datetime.fromisoformat(meta("property", "article:published_time")),
        site_name=meta("property", "og:site_name"),
        canonical_url=str(page.xpath("string(//link[@rel='canonical']/@href)")))


def translation_data(name: str, lang: str) -> dict[str, Any]:
    """The stored human translation of a case into ``lang``."""
    path = FIDELITY / name / f"translation.{lang}.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


def make_translation(article: Article, lang: str, title: str, html: str, text: str = "", *,
                     status: TranslationStatus = TranslationStatus.PUBLISHED,
                     engine: str = ENGINE, notice: str | None = None) -> Translation:
    """A Translation of ``article`` as the translate stage would hand it to the store."""
    if notice is None:
        notice = f"Machine translation notice: translated by {engine}."
    attribution = Attribution(site_name=article.site_name, url=article.canonical_url,
                              author=article.author, published=article.published, notice=notice)
    checks = (Check("links", True, "all links kept"),)
    return Translation(lang=lang, engine=engine, title=title, html=html, text=text,
                       status=status, checks=checks, attribution=attribution,
                       source_lang=article.lang,
                       reason="" if status == TranslationStatus.PUBLISHED else "garbled")


def reference_translation(name: str, lang: str, *, second: bool = False) -> Translation:
    """The human translation of a case (``second``: the independent second translation)."""
    data = translation_data(name, lang)
    prefix = "retranslation_" if second else ""
    html = data[prefix + "html"]
    text = "\n".join(p.text_content() for p in lxml.html.fragments_fromstring(html))
    return make_translation(load_article(name), lang, data[prefix + "title"], html, text)


def hostile() -> tuple[Article, Translation]:
    """An article and its translation full of injections."""
    data = json.loads((PUBLISH / "hostile.json").read_text(encoding="utf-8"))
    article = replace(load_article("en-chips"), **data["article"])
    t = data["translation"]
    return article, make_translation(article, t["lang"], t["title"], t["html"], t["text"],
                                     engine=t["engine"], notice=t["notice"])


@functools.cache
def garbled_chips(publication: str = "La Información") -> Translation:
    """The human Spanish translation of ``en-chips`` damaged the way engines damage text: the
    publication "The Information" translated as a common noun and the Bloomberg link lost.
    Checked by the real fidelity checks, which hold it back."""
    article, data = load_article("en-chips"), translation_data("en-chips", "es")
    html = data["html"].replace(BLOOMBERG, "Bloomberg").replace("The Information", publication)
    terms = [ProtectedTerm(t, "name") for t in case("en-chips")["protect"]]
    checks = run_checks(article.html, html, source_lang="en", target="es", terms=terms,
                        source_title=article.title, output_title=data["title"])
    status = status_for(checks)
    failed = [c.name for c in checks if not c.ok]
    translation = make_translation(article, "es", data["title"], html, block_text(html),
                                   status=status, engine="apertium")
    return replace(translation, checks=checks, reason=f"failed checks: {', '.join(failed)}")
