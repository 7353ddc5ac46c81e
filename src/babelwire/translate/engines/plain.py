"""Neutral markup for engines that only translate plain text (CTranslate2 models, LibreTranslate).

Such an engine gets the sentence as plain text, whole: tags never cut it. The markup is then
projected onto the translation:

- a protected term (``<k>``) is sent as its own text, which a model copies as a name, and is
  found again verbatim in the translation;
- a tag's content (``<g>``) is also translated on its own, in the same batch, and that
  translation is looked for in the sentence's: exactly, ignoring case, then by fuzzy alignment
  (rapidfuzz) snapped to whole words;
- a placeholder (``<x/>``) cannot travel through such an engine and is dropped.

What cannot be found is left out; the document layer notices the missing element, re-asks with
a placeholder, and the fidelity checks hold what still fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from babelwire.translate import markup
from babelwire.translate.markup import Node

MIN_FUZZY_SCORE = 80.0
_EDGE_PUNCT = " \t.,;:!?«»\"'“”‘’()[]"


@dataclass
class PlainSegment:
    """A segment as plain text, with the elements to find again in its translation."""

    text: str
    terms: list[tuple[int, str]] = field(default_factory=list)       # (k id, verbatim text)
    tags: list[tuple[int, str]] = field(default_factory=list)        # (g id, its own text)


def encode(segment: str) -> PlainSegment:
    """The segment's plain text and the outermost elements to project back."""
    nodes = markup.parse(segment)
    plain = PlainSegment(markup.plain_text(nodes).strip())
    _collect(nodes, plain)
    return plain


def _collect(nodes: list[Node], plain: PlainSegment) -> None:
    for node in nodes:
        if node.kind == "k":
            plain.terms.append((node.id, markup.plain_text(node.children)))
        elif node.kind == "g":
            text = markup.plain_text(node.children).strip()
            if text:
                plain.tags.append((node.id, text))
            _collect(node.children, plain)      # terms inside a link are still found
        elif node.kind == "u":
            _collect(node.children, plain)


def requests(plain: PlainSegment) -> list[str]:
    """Texts to translate for one segment: the sentence, then each tag's content."""
    return [plain.text, *(text for _, text in plain.tags)]


def decode(plain: PlainSegment, answers: list[str]) -> str:
    """Neutral markup for a translation: terms and tags put back where they can be found.

    ``answers`` are the translations of ``requests(plain)``, in order.
    """
    sentence = answers[0].strip()
    spans: list[tuple[int, int, str, int]] = []
    for ident, text in plain.terms:
        at = sentence.find(text) if text else -1
        if at >= 0:
            spans.append((at, at + len(text), "k", ident))
    for (ident, _), own in zip(plain.tags, answers[1:], strict=True):
        found = locate(sentence, own.strip(_EDGE_PUNCT))
        if found is not None:
            spans.append((found[0], found[1], "g", ident))
    return _render(sentence, _nesting(spans))


def locate(sentence: str, needle: str) -> tuple[int, int] | None:
    """Where ``needle`` (a tag's own translation) is in ``sentence``, or None."""
    if not needle:
        return None
    at = sentence.find(needle)
    if at < 0:
        at = sentence.lower().find(needle.lower())
    if at >= 0:
        return _snap(sentence, at, at + len(needle))
    aligned = fuzz.partial_ratio_alignment(needle.lower(), sentence.lower())
    if aligned is None or aligned.score < MIN_FUZZY_SCORE:
        return None
    return _snap(sentence, aligned.dest_start, aligned.dest_end)


def _snap(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Widen a span to whole words, then trim spaces and edge punctuation."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and re.match(r"\w", text[end]):
        end += 1
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        end -= 1
    return (start, end) if start < end else None


def _nesting(spans: list[tuple[int, int, str, int]]) -> list[tuple[int, int, str, int]]:
    """Spans that nest or stand apart; one crossing a span already kept is dropped."""
    kept: list[tuple[int, int, str, int]] = []
    for span in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]), s[2] == "k")):
        start, end = span[0], span[1]
        if all(end <= k[0] or start >= k[1] or (k[0] <= start and end <= k[1])
               or (start <= k[0] and k[1] <= end) for k in kept):
            kept.append(span)
    return kept


def _render(sentence: str, spans: list[tuple[int, int, str, int]]) -> str:
    events: list[tuple[int, int, int, str]] = []
    for start, end, kind, ident in spans:
        events.append((start, 1, -(end - start), markup.open_tag(kind, ident)))
        events.append((end, 0, end - start, f"</{kind}>"))
    events.sort()
    out, pos = [], 0
    for offset, _, _, tag in events:
        out.append(markup.escape(sentence[pos:offset]) + tag)
        pos = offset
    out.append(markup.escape(sentence[pos:]))
    return "".join(out)
