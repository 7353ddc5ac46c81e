"""A body that trafilatura found only in part grows paragraph by paragraph (``extract.combine``):
the block model's confident paragraphs are added within reach of trafilatura's blocks and then
within reach of those added, on real pages (tests/data/extract/PROVENANCE.md)."""

from __future__ import annotations

import gzip
import unicodedata
from pathlib import Path

from lxml import html as lxml_html

from babelwire.extract import extract_article
from babelwire.extract.blocks import Block
from babelwire.extract.combine import combine, may_add
from babelwire.extract.features import segments

DATA = Path(__file__).parent / "data" / "extract" / "chain"


def _text(name: str, url: str) -> str:
    """The article's text, white space collapsed, composed (ICON writes "ü" as "u" and a
    diaeresis; the translate stage composes it too)."""
    raw = gzip.decompress((DATA / name).read_bytes())
    return unicodedata.normalize("NFC", " ".join(extract_article(raw, url).text.split()))


def test_an_interview_that_trafilatura_read_two_paragraphs_of_is_read_whole() -> None:
    """ICON: trafilatura's fast body is the interview's first two paragraphs; the answers stand
    further down, each a few segments from the last (the questions between them). Added only
    within four segments of trafilatura's blocks, the article was 1,335 characters."""
    text = _text("iconmagazine.de.sharonstone.html.gz",
                 "https://iconmagazine.de/story/interview-mit-sharon-stone/")
    assert text.startswith("Es gibt Ereignisse, die eine Biografie für immer in zwei Teile")
    for answer in ("Dass es nicht nur um mich geht. Mein Adoptivsohn Roan",
                   "Ich war zehn Jahre lang ein Superstar.",
                   "Ich schreibe seit meinem 14. Lebensjahr Kurzgeschichten",
                   "Wie jeder Debütant musste ich erst einmal das Schamgefühl überwinden"):
        assert answer in text
    for furniture in ("Interview SVEN MICHAELSEN", "Impressum", "Datenschutz", "Mediadaten"):
        assert furniture not in text
    assert len(text) > 8000


def test_a_press_release_whose_last_item_trafilatura_took_gets_its_lead() -> None:
    """BMZ: trafilatura's body is the last item of a list at the end of the press release; the
    minister's and Beasley's statements and the release's lead stand six to ten segments before
    it, the image captions between them."""
    text = _text("bmz.de-schulze.html.gz",
                 "https://www.bmz.de/de/aktuelles/aktuelle-meldungen/"
                 "schulze-deutschland-an-der-der-seite-wfp-im-kampf-gegen-hunger-103026")
    assert text.startswith("Pressemitteilung vom 25. Januar 2022 | Berlin – ")
    for paragraph in ("Ministerin Schulze: \"Die Bekämpfung des Hungers",
                      "David Beasley, Exekutivdirektor des UN-Welternährungsprogramms",
                      "Fast fünf Millionen Menschen", "Alleine im letzten Jahr"):
        assert paragraph in text.replace("\xad", "")
    assert text.count("Ministerin Schulze:") == 1  # once: not added beside trafilatura's copy
    for furniture in ("Siehe auch", "Sonderinitiative EINEWELT", "Copyright-Hinweis",
                      "Bundesentwicklungsministerin Svenja Schulze bei ihrem Treffen"):
        assert furniture not in text


def _page(*paragraphs: str) -> list:  # type: ignore[type-arg]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return segments(lxml_html.document_fromstring(f"<html><body><div>{body}</div></body></html>"))


def test_the_chain_stops_at_a_gap_wider_than_the_reach() -> None:
    """Text four segments from the last one taken is added, and text four from that; a
    confident paragraph behind five rejected segments is not (another story's box)."""
    story = [f"Paragraph {i} of the story, with enough words to be a paragraph of it." for i in
             range(12)]
    segs = _page(*story)
    first = Block("p", story[0], story[0])
    probs = [0.9, 0.1, 0.1, 0.1, 0.9, 0.1, 0.1, 0.1, 0.9, 0.1, 0.1, 0.1]
    assert [b.text for b in combine([first], segs, probs, "https://example.org/a")] \
        == [story[0], story[4], story[8]]
    probs[8], probs[11] = 0.1, 0.9  # six segments from the last one taken
    assert [b.text for b in combine([first], segs, probs, "https://example.org/a")] \
        == [story[0], story[4]]
    # the site's memory keeps every segment a chain could reach, whatever their scores
    assert [s.text for s in may_add([first], segs)] == story
