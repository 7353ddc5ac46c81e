"""Inline markup checks: link targets, empty anchors, spacing at tag edges, sentences cut at links.

Source and translation are compared block by block (a block is the inline content of one
paragraph, heading, list item or caption) and element by element: links by their ``href`` (the
n-th link to a URL with the n-th), other inline tags by their order among tags of the same name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from babelwire.translate.runs import Run, Tag
from babelwire.translate.segment import ends_with_abbreviation

_TERMINAL = re.compile(r"(?:[.!?…]|\.\.\.)[\"'”’»)\]]*$")
_INNER_END = re.compile(r"(?:[.!?…]|\.\.\.)[\"'”’»)\]]*(?=\s+\S)")
_STARTS_TERMINAL = re.compile(r"^\s*(?:[.!?…]|\.\.\.)[\"'”’»)\]]*\s+\S")


@dataclass(frozen=True)
class Edge:
    """One element present in both source and translation, with both runs."""

    block: int
    src_run: Run
    src_tag: Tag
    out_run: Run
    out_tag: Tag

    @property
    def label(self) -> str:
        """How the element is named in details."""
        href = dict(self.src_tag.attrs).get("href", "")
        text = self.src_run.text[self.src_tag.start:self.src_tag.end]
        return f"block {self.block + 1} <{self.src_tag.tag}{' ' + href if href else ''}> {text!r}"


def hrefs(runs: Sequence[Run]) -> list[str]:
    """Every link target, in order."""
    return [dict(t.attrs).get("href", "") for run in runs for t in run.tags if t.tag == "a"]


def empty_anchors(runs: Sequence[Run]) -> list[str]:
    """Links whose text is empty, as ``block N <href>``."""
    return [f"block {i + 1} <{dict(t.attrs).get('href', '')}>" for i, run in enumerate(runs)
            for t in run.tags if t.tag == "a" and not run.text[t.start:t.end].strip()]


def matched(source: Sequence[Run], output: Sequence[Run]) -> Iterator[Edge]:
    """Pairs of the same element in source and translation (blocks paired by position)."""
    for block, (src, out) in enumerate(zip(source, output, strict=False)):
        out_tags = {key: tag for key, tag in _keyed(out.tags)}
        for key, tag in _keyed(src.tags):
            if key in out_tags:
                yield Edge(block, src, tag, out, out_tags[key])


def _keyed(tags: Sequence[Tag]) -> Iterator[tuple[tuple[str, str, int], Tag]]:
    seen: dict[tuple[str, str], int] = {}
    for tag in tags:
        ident = (tag.tag, dict(tag.attrs).get("href", "") if tag.tag == "a" else "")
        seen[ident] = seen.get(ident, 0) + 1
        yield (*ident, seen[ident]), tag


def glued_edges(edge: Edge) -> list[str]:
    """Edges separated (space or punctuation) in the source but glued to a word in the output."""
    out = []
    for side in ("before", "after"):
        src, dst = edge.src_run.text, edge.out_run.text
        if (_separated(src, edge.src_tag, side) and not _separated(dst, edge.out_tag, side)) \
                or (_spaced(src, edge.src_tag, side) and _run_on(dst, edge.out_tag, side)):
            out.append(f"{edge.label}: word glued {side} the tag "
                       f"({_context(edge.out_run.text, edge.out_tag, side)!r})")
    return out


def _separated(text: str, tag: Tag, side: str) -> bool:
    if side == "before":
        if tag.start == 0:
            return True
        outside, inside = text[tag.start - 1], text[tag.start:tag.start + 1]
    else:
        if tag.end >= len(text):
            return True
        outside, inside = text[tag.end], text[tag.end - 1:tag.end]
    return not (outside.isalnum() and inside.isalnum())


def _spaced(text: str, tag: Tag, side: str) -> bool:
    """A space between the element and the text beside it."""
    at = tag.start - 1 if side == "before" else tag.end
    return 0 <= at < len(text) and text[at].isspace()


def _run_on(text: str, tag: Tag, side: str) -> bool:
    """A word against the element where a reader reads one word: a letter or digit outside,
    and inside a letter or digit, or a mark that starts a word (".DJI" after "Industrial"
    reads "Industrial.DJI"; an element's end is read with the word after it whatever it ends
    with: "EE.UU.economía")."""
    if side == "before":
        if tag.start == 0 or tag.start >= len(text) or not text[tag.start - 1].isalnum():
            return False
        inside = text[tag.start:tag.start + 2]
        return inside[:1].isalnum() or (inside[:1] in ".,#@$" and inside[1:].isalnum())
    return tag.end < len(text) and text[tag.end].isalnum()


def _context(text: str, tag: Tag, side: str) -> str:
    at = tag.start if side == "before" else tag.end
    return text[max(0, at - 12):at] + "|" + text[at:at + 12]


def _ends_sentence(text: str, lang: str) -> bool:
    return bool(_TERMINAL.search(text)) and not ends_with_abbreviation(text, lang)


def _sentence_ends(text: str, lang: str) -> int:
    """Sentence-ending punctuation in ``text``, at its end included, abbreviations aside."""
    return _inner_ends(text, lang) + _ends_sentence(text.rstrip(), lang)


def _inner_ends(text: str, lang: str) -> int:
    """Sentence ends inside ``text`` (terminal punctuation then more text), abbreviations aside."""
    return sum(1 for m in _INNER_END.finditer(text) if _ends_sentence(text[:m.end()], lang))


def adds_sentence_end(src: Run, out: Run, src_lang: str, out_lang: str) -> bool:
    """Whether the translated block has more sentence ends than the source block.

    A cut adds a sentence end: "on this point the promise" becoming "sur ce point. la promesse".
    Without one, a sentence edge next to a link comes from word order ("the whole Epic Games
    thing." is "la cosa de Juegos de Épica entera."; "I opened a ticket" is "Abrí una entrada"),
    and :func:`cuts` need not look.
    """
    return _sentence_ends(out.text, out_lang) > _sentence_ends(src.text, src_lang)


def cuts(edge: Edge, src_lang: str = "en", out_lang: str = "en") -> list[str]:
    """Sentence ends the translation has at a link that the source has not (to be asked only
    of blocks where :func:`adds_sentence_end` holds)."""
    if edge.src_tag.tag != "a":
        return []
    src, out = edge.src_run.text, edge.out_run.text
    s_tag, o_tag = edge.src_tag, edge.out_tag
    problems = []
    before_src, before_out = src[:s_tag.start].rstrip(), out[:o_tag.start].rstrip()
    if before_out and _ends_sentence(before_out, out_lang) and \
            not _ends_sentence(before_src, src_lang):
        problems.append(f"{edge.label}: a sentence ends just before the link "
                        f"({_context(out, o_tag, 'before')!r})")
    inner_src, inner_out = src[s_tag.start:s_tag.end], out[o_tag.start:o_tag.end]
    after_src, after_out = src[s_tag.end:], out[o_tag.end:]
    ends_inside = _ends_sentence(inner_out, out_lang) and not _ends_sentence(inner_src, src_lang)
    ends_after = _STARTS_TERMINAL.search(after_out) and not _STARTS_TERMINAL.search(after_src)
    if _inner_ends(inner_out, out_lang) > _inner_ends(inner_src, src_lang):
        problems.append(f"{edge.label}: a sentence ends inside the link ({inner_out!r})")
    if after_out.strip() and (ends_inside or ends_after):
        problems.append(f"{edge.label}: a sentence ends at the end of the link "
                        f"({_context(out, o_tag, 'after')!r})")
    return problems
