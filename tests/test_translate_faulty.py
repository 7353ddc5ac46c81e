"""Deliberately faulty engines: each fault ends held, with the check that names it (issue 3).

Each fake wraps the real Apertium engine and breaks its answer one way. Repairs go through the
same faulty engine, so a fault that is always there cannot be repaired away; a fault that happens
once is repaired and recorded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

import pytest

from babelwire.exceptions import EngineFailed
from babelwire.models import Article, Translation, TranslationStatus
from babelwire.run.translation import translate_article
from babelwire.translate.engines.apertium.engine import ApertiumEngine
from babelwire.translate.engines.base import Answer, Job, translate
from babelwire.translate.router import Router

DATA = Path(__file__).parent / "data" / "translate"


class Faulty:
    """Apertium with one fault applied to every answer (or only to the first batch)."""

    name = "faulty"
    max_segments = 0

    def __init__(self, inner: ApertiumEngine, fault: str, *, once: bool = False) -> None:
        self.inner, self.fault, self.once, self.calls = inner, fault, once, 0

    def pairs(self) -> Mapping[tuple[str, str], str]:
        return self.inner.pairs()

    def run(self, job: Job) -> Answer:
        segments, src, tgt = job.segments, job.src, job.tgt
        self.calls += 1
        if self.once and self.calls > 1:
            return Answer(translate(self.inner, segments, src, tgt))
        if self.fault == "wrong_language":
            other = sorted(t for s, t in self.inner.pairs() if s == src and t != tgt)[0]
            return Answer(translate(self.inner, segments, src, other))
        if self.fault == "translate_names":
            # Send protected terms as ordinary words: Apertium translates them.
            marked = [re.sub(r'<k id="(\d+)">', r'<g id="50\1">', s).replace("</k>", "</g>")
                      for s in segments]
            answers = translate(self.inner, marked, src, tgt)
            return Answer([re.sub(r'<g id="50(\d+)">(.*?)</g>', r'<k id="\1">\2</k>', a)
                           for a in answers])
        answers = translate(self.inner, segments, src, tgt)
        if self.fault == "drop_placeholder":
            return Answer([re.sub(r'</?g[^>]*>|<x[^>]*/>', "", a) for a in answers])
        if self.fault == "drop_named_link":  # a link whose whole text is a protected name
            return Answer([re.sub(r'<g id="\d+"><k id="\d+">[^<]*</k></g>', "", a)
                           for a in answers])
        if self.fault == "glue_link":
            return Answer([re.sub(r"</g>\s+", "</g>", a) for a in answers])
        if self.fault == "fail":
            raise EngineFailed("the engine crashed", subject=self.name)
        return Answer(answers)

    def close(self) -> None:
        pass


def _translate(engine: Faulty, name: str, target: str) -> Translation:
    case = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    article = Article(url=case["url"], title=case["metadata"]["title"],
                      html=(DATA / f"{name}.html").read_text(encoding="utf-8"), text="",
                      lang=case["source_lang"], site_name=case["metadata"]["site_name"])
    return translate_article(article, target, Router([engine]))


def _failed(tr: Translation) -> set[str]:
    return {c.name for c in tr.checks if not c.ok}


@pytest.mark.parametrize(("fault", "check"), [
    ("drop_placeholder", "link_targets"),
    ("glue_link", "tag_spacing"),
    ("translate_names", "protected_names"),
    ("wrong_language", "language"),
])
@pytest.mark.parametrize(("name", "target"), [("en-chips", "es"), ("es-vivienda", "en")])
def test_each_fault_is_held_with_its_check(apertium: ApertiumEngine, fault: str, check: str,
                                           name: str, target: str) -> None:
    tr = _translate(Faulty(apertium, fault), name, target)
    assert tr.status == TranslationStatus.HELD
    assert check in _failed(tr), tr.checks


def test_translated_name_is_reported(apertium: ApertiumEngine) -> None:
    tr = _translate(Faulty(apertium, "translate_names"), "en-chips", "es")
    detail = next(c.detail for c in tr.checks if c.name == "protected_names")
    assert "'The Information' missing" in detail


def test_dropped_placeholder_is_recorded(apertium: ApertiumEngine) -> None:
    tr = _translate(Faulty(apertium, "drop_placeholder"), "en-chips", "es")
    assert any("dropped" in r and "did not bring it back" in r for r in tr.repairs)


def test_a_placeholder_dropped_once_is_repaired(apertium: ApertiumEngine) -> None:
    tr = _translate(Faulty(apertium, "drop_placeholder", once=True), "en-chips", "es")
    assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]
    assert any("re-translated with a placeholder" in r for r in tr.repairs)
    assert tr.html.count("<a ") == 3


def test_a_dropped_link_around_a_protected_name_is_repaired(apertium: ApertiumEngine) -> None:
    # Apertium does this to a run of navigation links (wordsmith.org, in trafilatura's evaluation
    # pages: "Yesterday's Word Archives FAQ" lost "Archives"); the link and the name inside it
    # come back together, from the link's own segment.
    tr = _translate(Faulty(apertium, "drop_named_link", once=True), "en-chips", "es")
    assert tr.status == TranslationStatus.PUBLISHED, [c for c in tr.checks if not c.ok]
    assert any("re-translated with a placeholder" in r for r in tr.repairs), tr.repairs
    assert ">Bloomberg</a>" in tr.html and ">The Information</a>" in tr.html


def test_engine_failure_is_failed_with_reason(apertium: ApertiumEngine) -> None:
    tr = _translate(Faulty(apertium, "fail"), "en-chips", "es")
    assert tr.status == TranslationStatus.FAILED
    assert "the engine crashed" in tr.reason and not tr.checks
