"""Sentence segmentation of news text (translate/segment.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from babelwire.translate.segment import boundaries, sentence_spans, split_sentences

DATA = Path(__file__).parent / "data" / "translate"


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "The vote is on Nov. 17 in Ohio. Polls open at 7.", 2),
    ("en", "Mr. Smith met J. K. Rowling in the U.S. on Monday. They talked.", 2),
    ("en", "Rates rose 3.5 percent. Stocks fell.", 2),
    ("en", 'He said "we will win." Then he left.', 2),
    ("en", "She paused... Then she spoke.", 2),
    ("en", "Was it true? Nobody knew! Nobody cared.", 3),
    ("en", "It was late... and cold.", 1),
    ("es", "El Sr. García llegó a EE.UU. el martes con 20.000 dólares. Nadie lo esperaba.", 2),
    ("es", "La Sra. López dijo: «Ya basta». Luego se fue.", 2),
    ("es", "¿Quién lo sabía? Nadie. ¡Qué escándalo!", 3),
    ("es", "Construyó el templo en el año 25 a. C. para su familia.", 1),
    ("fr", "M. Dupont a vu Mme Durand le 3 nov. 2012. Elle a souri.", 2),
    ("fr", "Le taux est de 3,5 %. Il baisse.", 2),
])
def test_news_cases(lang: str, text: str, expected: int) -> None:
    sentences = split_sentences(text, lang)
    assert len(sentences) == expected, sentences
    assert " ".join(sentences) == text


def test_spans_cover_the_text_without_surrounding_space() -> None:
    text = "  One here.  Two there.  "
    spans = sentence_spans(text, "en")
    assert [text[s:e] for s, e in spans] == ["One here.", "Two there."]


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_newstest_document_boundaries(lang: str) -> None:
    """Lines of one newstest2013 document, joined: most line ends found, few false ones."""
    lines = (DATA / f"newstest-{lang}.txt").read_text(encoding="utf-8").splitlines()
    text = " ".join(lines)
    truth, pos = set(), 0
    for line in lines[:-1]:
        pos += len(line)
        truth.add(pos)
        pos += 1
    found = set(boundaries(text, lang))
    precision = len(found & truth) / len(found)
    recall = len(found & truth) / len(truth)
    assert precision >= 0.95 and recall >= 0.9, (precision, recall)


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # real runs-together from ../shared/data/stories/pairs.jsonl (SemEval-2022 Task 8 texts)
    ("es", "se realiza en los hospitales generales.Enfatizó que gracias al proceso",
     ["se realiza en los hospitales generales.", "Enfatizó que gracias al proceso"]),
    ("es", "citado por The Jakarta Post.Según los reportes",
     ["citado por The Jakarta Post.", "Según los reportes"]),
    ("fr", "la peine est déclarée définitive.Compte tenu de la peine",
     ["la peine est déclarée définitive.", "Compte tenu de la peine"]),
    # not sentence ends: addresses, code, dotted names, abbreviations, a quote that opens
    ("en", "Visit Node.js, ASP.NET or Yahoo.com at 5 p.m.The end", None),
    ("es", "el Sr.García dijo que la casa", None),
    # an abbreviation's stop before a word that opens sentences ends one, spaced or not
    ("es", "el Sr.García dijo que etc.La casa", ["el Sr.García dijo que etc.", "La casa"]),
    ("es", "la ceremonia del Atlántico.El acto de", ["la ceremonia del Atlántico.",
                                                   "El acto de"]),
    ("es", 'hoy en Bagdad", dijo."Estados Unidos protegerá', None),
    # a dateline ends at its dash (Apertium's rules moved words across it)
    ("en", "CAIRO — Gunmen opened fire on visitors", ["CAIRO —", "Gunmen opened fire on visitors"]),
    ("en", "NEW YORK (Reuters) - Oil prices fell", ["NEW YORK (Reuters) -", "Oil prices fell"]),
    ("es", "PROGRESO, Yucatán, 31 de diciembre.- Cuando al año",
     ["PROGRESO, Yucatán, 31 de diciembre.-", "Cuando al año"]),
    ("es", "GALICIA.-La Xunta convoca ayudas", ["GALICIA.-", "La Xunta convoca ayudas"]),
    # in lower case, with a stop and a dash (SemEval-2022 Task 8 pair es-8d69449efe78)
    ("es", "Culiacán, Sin.-Los comerciantes se la siguen viendo negras",
     ["Culiacán, Sin.-", "Los comerciantes se la siguen viendo negras"]),
    ("es", "Ciudad de México.- El presidente", ["Ciudad de México.-", "El presidente"]),
    ("es", "Así lo dijo.- No habrá más", None),
    ("es", "ALAJUELENSE 3-1 PÉREZ ZELEDÓN", None),
    ("en", "The US - and others - agreed", None),
])
def test_a_stop_with_no_space_after_it(lang: str, text: str, expected: list[str] | None) -> None:
    assert split_sentences(text, lang) == (expected or [text])
