"""Translating whole articles and text lines (translate/document.py) with real Apertium."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from babelwire.models import Article, GlossaryEntry, TranslationStatus
from babelwire.run.translation import translate_article, translate_lines
from babelwire.translate.router import Router

DATA = Path(__file__).parent / "data" / "translate"


def fidelity_article(name: str) -> tuple[Article, dict]:  # type: ignore[type-arg]
    case = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    meta = case["metadata"]
    body = (DATA / f"{name}.html").read_text(encoding="utf-8")
    article = Article(url=case["url"], title=meta["title"], html=body, text="",
                      lang=case["source_lang"], author=meta["author"],
                      published=datetime.fromisoformat(meta["published"]).replace(
                          tzinfo=UTC), site_name=meta["site_name"],
                      canonical_url=case["url"])
    return article, case


def _anchor_texts(html: str) -> dict[str, str]:
    return {m.group(1): re.sub("<[^>]+>", "", m.group(2))
            for m in re.finditer(r'<a href="([^"]+)"[^>]*>(.*?)</a>', html)}


@pytest.mark.parametrize(("name", "target"), [
    ("en-chips", "es"), ("es-vivienda", "en"), ("en-chips", "fr"),
])
def test_fidelity_case_is_published_with_every_invariant(router: Router, name: str,
                                                          target: str) -> None:
    article, case = fidelity_article(name)
    tr = translate_article(article, target, router)
    assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]
    everything = tr.title + "\n" + tr.text
    for protected in case["protect"]:
        assert re.search(rf"(?<!\w){re.escape(protected)}(?!\w)", everything), protected
    anchors = _anchor_texts(tr.html)
    for link in case["links"]:
        assert link["href"] in anchors
        if "text" in link:
            assert anchors[link["href"]] == link["text"]
    assert tr.html.count("<p>") == case["paragraphs"]
    assert len(tr.text.splitlines()) == case["paragraphs"]
    assert not re.search(r"\w<a |</a>\w", tr.html), "a word glued to a link"
    assert "*" not in tr.text and "  " not in tr.text
    att = tr.attribution
    assert att is not None and att.site_name == case["metadata"]["site_name"]
    assert att.url == case["url"] and att.author == case["metadata"]["author"]
    assert att.published is not None
    assert att.published.date() == date.fromisoformat(case["metadata"]["published"])
    assert "Apertium" in att.notice and case["metadata"]["site_name"] in att.notice
    if target == "fr" and case["source_lang"] == "en":
        assert tr.engine == "apertium (en→es→fr)" and "espagnol" in att.notice


def test_link_around_a_clause_stays_one_sentence(router: Router) -> None:
    article, _ = fidelity_article("en-chips")
    tr = translate_article(article, "es", router)
    paragraph = tr.html.split("</p>")[1]
    assert paragraph.count("<a ") == 1
    assert re.search(r"luchado con el <a [^>]+>calor", paragraph), paragraph
    assert any("split" in r for r in tr.repairs)


@pytest.mark.parametrize(("name", "src", "target"), [
    ("fr-lemonde", "fr", "es"), ("fr-lemonde", "fr", "en"), ("fr-liberation", "fr", "es"),
    ("en-bbc", "en", "es"), ("en-theverge", "en", "es"),
])
def test_real_paragraphs_keep_their_markup(router: Router, name: str, src: str,
                                           target: str) -> None:
    body = (DATA / f"{name}.html").read_text(encoding="utf-8")
    article = Article(url="https://news.example/a", title="", html=body, text="", lang=src,
                      site_name="News")
    tr = translate_article(article, target, router)
    # Every check passes, but the share of words left in the source language may hold one
    # (Libération's slang: "vapoteuses", "clope"); never a glued or garbled word.
    failed = [c for c in tr.checks if not c.ok]
    assert all(c.name == "words" and "glued" not in c.detail and "garbled" not in c.detail
               for c in failed), failed
    for tag in ("a", "em", "strong"):
        assert tr.html.count(f"<{tag}") == body.count(f"<{tag}"), tag
    assert set(re.findall(r'href="([^"]+)"', tr.html)) == set(re.findall(r'href="([^"]+)"', body))
    assert tr.html.count("<p>") == body.count("<p>")


def test_french_typography(router: Router) -> None:
    article = Article(url="https://x.example/", title="", lang="es", site_name="X", text="",
                      html='<p>Dijo: "no" a <a href="https://a.example/">la ley</a>. '
                           "¿Por qué? Costó 20.000 euros.</p>")
    tr = translate_article(article, "fr", router)
    assert "\u00a0:" in tr.text and "\u00a0?" in tr.text
    assert "«\u00a0" in tr.text and "\u00a0»" in tr.text
    assert "20\u00a0000" in tr.text


def test_lines_keep_one_line_per_input_line(router: Router) -> None:
    lines = (DATA / "newstest-es.txt").read_text(encoding="utf-8").splitlines()[:20]
    lines.insert(3, "")
    tr = translate_lines(lines, "es", "en", router)
    out = tr.text.split("\n")
    assert len(out) == len(lines) and out[3] == ""
    assert out[0] == "A republican strategy to hinder the reelection of Obama"
    assert tr.status == TranslationStatus.PUBLISHED
    assert tr.attribution is not None and "Spanish" in tr.attribution.notice


def test_unsupported_pair_fails_with_reason(router: Router) -> None:
    article, _ = fidelity_article("es-vivienda")
    tr = translate_article(article, "ja", router)
    assert tr.status == TranslationStatus.FAILED
    assert "UnsupportedPair" in tr.reason and "ja" in tr.reason


def test_glossary_terms_are_kept_or_translated_one_way(router: Router) -> None:
    article, _ = fidelity_article("es-vivienda")
    glossary = [GlossaryEntry("Consejo de Ministros", source_lang="es", target_lang="en",
                              translation="Cabinet"),
                GlossaryEntry("Comunidad Valenciana")]
    tr = translate_article(article, "en", router, glossary=glossary)
    assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]
    assert "The Cabinet approved" in tr.text
    assert "Comunidad Valenciana" in tr.text and "Valencian Community" not in tr.text


def test_unknown_source_language_fails_with_reason(router: Router) -> None:
    article, _ = fidelity_article("es-vivienda")
    tr = translate_article(replace(article, lang=""), "en", router)
    assert tr.status == TranslationStatus.FAILED and "source language" in tr.reason
