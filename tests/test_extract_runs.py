"""Text that no block element holds (``extract.runs``), on real pages: read when it stands beside
trafilatura's body, left alone elsewhere (tests/data/extract/PROVENANCE.md)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from lxml import html as lxml_html

from babelwire.extract import extract_article
from babelwire.extract.features import SEGMENT_TAGS, own_segments, page_segments, segments
from babelwire.extract.runs import wrap_runs
from babelwire.extract.source import parse_page

DATA = Path(__file__).parent / "data" / "extract" / "runs"

# (file, URL, "with" snippets of trafilatura's evaluation data that are bare text beside the
# article's own paragraphs or headings, its "without" snippets)
PAGES = [
    ("world.kbs.co.kr-Temperatures.html.gz",
     "https://world.kbs.co.kr/service/news_view.htm?lang=e&Seq_Code=181595",
     ("Although the first cold wave alerts of the season were issued in anticipation of frigid "
      "morning lows on Tuesday", "Wednesday is forecast to be even colder."),
     ("Most Viewed News", "Headline News", "Most Viewed Content")),
    ("telemedicus.info.rezension.html.gz",
     "https://www.telemedicus.info/article/2766-Rezension-Haerting-Internetrecht,-5.-Auflage-2014"
     ".html",
     ("Ein Blick in das Inhaltsverzeichnis (PDF) zeigt aber: Hier bleiben kaum Fragen offen.",
      "Aufbau und Inhalt"),
     ("Anzeige:", "Ähnliche Artikel", "Kommentar schreiben")),
]


def _extract(name: str, url: str) -> str:
    raw = gzip.decompress((DATA / name).read_bytes())
    return " ".join(extract_article(raw, url).text.split())


@pytest.mark.parametrize(("name", "url", "with_", "without"), PAGES)
def test_bare_text_beside_the_body_is_read(name: str, url: str, with_: tuple[str, ...],
                                           without: tuple[str, ...]) -> None:
    """world.kbs.co.kr writes its story as text between ``<br>``s in a ``<div>`` that also
    holds the story's first paragraph; telemedicus.info writes its review as text beside its
    ``<h3>`` subheadings. trafilatura's fast body holds the paragraph and the headings, not that
    text, and no segment held it, so the block model could not add it."""
    text = _extract(name, url)
    for snippet in with_:
        assert snippet in text
    for snippet in without:
        assert snippet not in text


def test_bare_text_away_from_the_body_is_not_read() -> None:
    """macrumors.com writes its article and its readers' comments as bare text; trafilatura's
    fast body there is a box of the sidebar, so neither stands beside it and neither is wrapped.
    Wrapped everywhere, the comments scored as article text and the model's own reading, the
    fallback of a weak body, took them in (F1 0.97 -> 0.49)."""
    text = _extract("macrumors.com.scissor-keyboard.html.gz",
                    "https://www.macrumors.com/2019/11/18/13-inch-macbook-pro-scissor-keyboard-2020/")
    assert text.startswith("Following the 16-inch MacBook Pro, Apple plans to release")
    assert "refreshed in May." in text
    for comment in ("Before he died, Steve Jobs gave Jony Ive", "Best situation is to sell your"):
        assert comment not in text


def test_runs_are_wrapped_only_beside_the_body() -> None:
    """The story's ``<div>`` holds a paragraph of trafilatura's body: its two runs (cut at the
    two ``<br>``) become paragraphs, marked as runs; the menu's ``<div>`` holds none and stays
    as it was."""
    page = lxml_html.document_fromstring(
        "<html><body><div id='story'><p>First paragraph of the story.</p>"
        "Second paragraph, bare.<br><br>Third one, <a href='/x'>with a link</a>.</div>"
        "<div id='menu'><p>Sections</p>Home<br><br>World</div></body></html>")
    made = wrap_runs(page, SEGMENT_TAGS, {"First paragraph of the story."})
    assert sorted(p.text_content() for p in made) == ["Second paragraph, bare.",
                                                      "Third one, with a link."]
    found = segments(page, set(made))
    assert [(s.text, s.run) for s in found] == [
        ("First paragraph of the story.", False), ("Second paragraph, bare.", True),
        ("Third one, with a link.", True), ("Sections", False)]
    assert [child.tag for child in page.get_element_by_id("menu")] == ["p", "br", "br"]


def test_training_reads_a_page_s_own_blocks_and_says_when_too_late() -> None:
    """Training fixes a page's segments to its own block elements before any step reads them
    (``own_segments``); asked after the runs were wrapped into the tree, it refuses rather than
    hand back segments made with runs."""
    raw = gzip.decompress((DATA / "world.kbs.co.kr-Temperatures.html.gz").read_bytes())
    url = "https://world.kbs.co.kr/service/news_view.htm?lang=e&Seq_Code=181595"
    own = own_segments(parse_page(raw, url))
    assert own and not any(s.run for s in own)
    read = parse_page(raw, url)
    assert any(s.run for s in page_segments(read))
    with pytest.raises(ValueError, match="made with runs"):
        own_segments(read)
