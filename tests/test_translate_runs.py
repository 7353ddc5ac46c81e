"""Cutting article HTML into units and putting tags back (translate/runs.py, restore.py)."""

from __future__ import annotations

from pathlib import Path

from babelwire.translate import markup
from babelwire.translate.names.detect import ProtectedTerm, find_spans
from babelwire.translate.restore import atoms_html, encode_unit, render, tidy
from babelwire.translate.runs import parse_document, parse_text

DATA = Path(__file__).parent / "data" / "translate"


def test_article_body_is_cut_into_sentences_with_their_links() -> None:
    doc = parse_document((DATA / "en-chips.html").read_text(encoding="utf-8"), "en")
    assert len(doc.runs) == 4
    assert [len(r.units) for r in doc.runs] == [1, 1, 2, 1]
    first = doc.runs[0].units[0]
    assert [first.text[t.start:t.end] for t in first.tags] == ["Bloomberg", "The Information"]
    assert "".join(p for p in doc.parts if isinstance(p, str)).count("<p>") == 4


def test_a_sentence_crossed_by_a_link_stays_one_unit() -> None:
    doc = parse_document('<p>He was right <a href="u">about this. The promise</a> held. '
                         "Next one.</p>", "en")
    assert [u.text for u in doc.runs[0].units] == [
        "He was right about this. The promise held.", "Next one."]


def test_line_breaks_cut_units_and_stay_in_place() -> None:
    doc = parse_document("<p>First line<br>second line. Third.</p>", "en")
    run = doc.runs[0]
    assert [u.text for u in run.units] == ["First line", "second line.", "Third."]
    assert run.gaps == ("", "<br>", " ", "")


def test_spaces_inside_a_link_edge_are_remembered() -> None:
    html = (DATA / "en-bbc.html").read_text(encoding="utf-8")
    tag = parse_document(html, "en").runs[0].tags[0]
    assert tag.trail and not tag.lead


def test_french_nested_tags_and_no_break_spaces() -> None:
    doc = parse_document((DATA / "fr-liberation.html").read_text(encoding="utf-8"), "fr")
    assert "de\u00a0Libération\u00a0pour" in doc.runs[0].text
    nested = [t.tag for t in doc.runs[1].tags]
    assert nested.count("a") == 2 and "em" in nested


def test_encode_then_render_gives_the_source_back() -> None:
    html = (DATA / "en-chips.html").read_text(encoding="utf-8").split("\n")[0]
    unit = parse_document(html, "en").runs[0].units[0]
    terms = [ProtectedTerm("Bloomberg", "anchor"), ProtectedTerm("Qualcomm", "name")]
    enc = encode_unit(unit, find_spans(unit.text, terms))
    assert '<g id="1"><k id="2">Bloomberg</k></g>' in enc.segment
    assert '<k id="1">Qualcomm</k>' in enc.segment
    nodes = markup.parse(enc.segment)
    assert tidy(nodes, enc, "s") == (set(), [])
    assert "<p>" + atoms_html(render(nodes, enc)) + "</p>" == html


def test_a_term_across_a_tag_is_kept_in_pieces() -> None:
    unit = parse_document('<p><a href="u">Selon <em>Mediapart</em></a>, oui.</p>',
                          "fr").runs[0].units[0]
    enc = encode_unit(unit, find_spans(unit.text, [ProtectedTerm("Selon Mediapart", "anchor")]))
    assert enc.segment == ('<g id="1"><k id="1">Selon</k> <g id="2"><k id="2">Mediapart</k>'
                           "</g></g>, oui.")


def test_split_link_is_joined_and_recorded() -> None:
    unit = parse_text("x", "en").units[0]
    enc = encode_unit(unit, [])
    enc.tags[1] = parse_document('<p><a href="u">x</a></p>', "en").runs[0].tags[0]
    nodes = markup.parse('con el <g id="1">calor y</g> el <g id="1">poder</g> inútil')
    missing, repairs = tidy(nodes, enc, "block 1 sentence 1")
    assert not missing and "joined" in repairs[0]
    assert atoms_html(render(nodes, enc)) == 'con el <a href="u">calor y el poder</a> inútil'
