"""Article HTML to translatable units and back.

An article body is cut into *runs*: the inline content of one block (a paragraph, a heading, a list
item, a caption) as plain text plus the inline tags over it. A run is cut into *units*: sentences,
except that a sentence crossed by an inline tag stays one unit with the next, so that no sentence is
ever translated in pieces. Line breaks and inline images cut runs into units (nothing crosses them).
The rest of the document (block tags, figures, images) is kept as a layout of literal HTML.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import lxml.html
from lxml.etree import _Comment, _Element, _ProcessingInstruction

from babelwire.translate.segment import sentence_spans

VOID = frozenset({"br", "img", "wbr", "hr", "input", "source", "meta", "link"})
BLOCK = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "figure",
    "figcaption", "table", "thead", "tbody", "tr", "td", "th", "section", "article", "header",
    "footer", "aside", "pre", "dl", "dt", "dd", "hr", "picture", "video", "audio", "iframe",
    "nav", "main", "details", "summary"})
_COLLAPSE = re.compile(r"[ \t\n\r\f]+")


@dataclass(frozen=True)
class Tag:
    """An inline tag over ``text[start:end]`` of a run or unit (whitespace at its edges not in)."""

    tag: str
    attrs: tuple[tuple[str, str], ...]
    start: int
    end: int
    lead: bool = False      # the source had whitespace just inside the opening tag
    trail: bool = False     # ... just inside the closing tag
    depth: int = 0

    def open_html(self) -> str:
        """The opening tag with its original attributes."""
        return start_tag(self.tag, self.attrs)


@dataclass(frozen=True)
class Unit:
    """One sentence (or a few, held together by a tag) with the tags inside it."""

    text: str
    tags: tuple[Tag, ...] = ()


@dataclass(frozen=True)
class Run:
    """The inline content of a block as units and the literal HTML between them."""

    text: str
    tags: tuple[Tag, ...]
    units: tuple[Unit, ...] = ()
    gaps: tuple[str, ...] = ("",)          # len(units) + 1 pieces of literal HTML


@dataclass
class Layout:
    """A document as literal HTML pieces and runs to translate (``int`` = index in ``runs``)."""

    parts: list[str | int] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)


def start_tag(tag: str, attrs: Sequence[tuple[str, str]]) -> str:
    """An HTML start tag."""
    rendered = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in attrs)
    return f"<{tag}{rendered}>"


def parse_document(body: str, lang: str) -> Layout:
    """Cut article HTML into literal pieces and runs of units."""
    layout = Layout()
    if not body.strip():
        return layout
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    _walk_children(root, layout, lang)
    return layout


def parse_text(text: str, lang: str) -> Run:
    """A plain-text paragraph (a title, a line of a .txt file) as a run."""
    return _split(_RunBuilder().add_text(text).build(), (), lang)


def _walk_children(el: _Element, layout: Layout, lang: str) -> None:
    pending: list[str | _Element] = [el.text] if el.text else []
    for child in el:
        if _is_inline(child):
            pending.append(child)          # its tail goes with it
            continue
        _flush(pending, layout, lang)
        pending = []
        _walk_block(child, layout, lang)
        if child.tail:
            pending.append(child.tail)
    _flush(pending, layout, lang)


def _walk_block(el: _Element, layout: Layout, lang: str) -> None:
    if isinstance(el, _Comment | _ProcessingInstruction):
        return
    tag = str(el.tag).lower()
    layout.parts.append(start_tag(tag, [(str(k), str(v)) for k, v in el.attrib.items()]))
    if tag not in VOID:
        _walk_children(el, layout, lang)
        layout.parts.append(f"</{tag}>")


def _is_inline(el: _Element) -> bool:
    if isinstance(el, _Comment | _ProcessingInstruction):
        return True
    tag = str(el.tag).lower()
    return tag not in BLOCK and not any(str(d.tag).lower() in BLOCK for d in el.iterdescendants())


def _flush(pending: list[str | _Element], layout: Layout, lang: str) -> None:
    builder = _RunBuilder()
    for item in pending:
        if isinstance(item, str):
            builder.add_text(item)
        else:
            builder.add_element(item, 0)
    run = builder.build()
    if not run.text:
        if any(b for _, b in builder.breaks):
            layout.parts.append("".join(b for _, b in builder.breaks))
        elif pending:
            spaces = "".join(p for p in pending if isinstance(p, str))
            layout.parts.append("\n" if "\n" in spaces else " " if spaces else "")
        return
    layout.parts.append(len(layout.runs))
    layout.runs.append(_split(run, tuple(builder.breaks), lang))


class _RunBuilder:
    """Collects text with HTML whitespace collapsing, and the inline tags over it."""

    def __init__(self) -> None:
        self.text = ""
        self.tags: list[Tag] = []
        self.breaks: list[tuple[int, str]] = []

    def add_text(self, text: str) -> _RunBuilder:
        """Append text, collapsing HTML whitespace."""
        collapsed = _COLLAPSE.sub(" ", text)
        if collapsed.startswith(" ") and (not self.text or self.text.endswith(" ")):
            collapsed = collapsed[1:]
        self.text += collapsed
        return self

    def add_element(self, el: _Element, depth: int) -> None:
        """Append an inline element: its text, its tag over it, then its tail."""
        if isinstance(el, _Comment | _ProcessingInstruction):
            if el.tail:
                self.add_text(el.tail)
            return
        tag = str(el.tag).lower()
        attrs = tuple((str(k), str(v)) for k, v in el.attrib.items())
        if tag in VOID:
            self.breaks.append((len(self.text), lxml.html.tostring(el, with_tail=False,
                                                                   encoding="unicode")))
        else:
            start = len(self.text)
            self.add_text(el.text or "")
            for child in el:
                self.add_element(child, depth + 1)
            self.tags.append(Tag(tag, attrs, start, len(self.text), depth=depth))
        if el.tail:
            self.add_text(el.tail)

    def build(self) -> Run:
        """The run, without whitespace at its ends (tag offsets moved to match)."""
        text, shift = self.text.rstrip(" "), 0
        if text.startswith(" "):
            text, shift = text[1:], 1
        tags = [_trim(replace(t, start=min(len(text), max(0, t.start - shift)),
                              end=min(len(text), max(0, t.end - shift))), text) for t in self.tags]
        self.breaks = [(min(len(text), max(0, p - shift)), b) for p, b in self.breaks]
        ordered = sorted(tags, key=lambda t: (t.start, -t.end, t.depth))
        return Run(text, tuple(ordered))


def _trim(tag: Tag, text: str) -> Tag:
    start, end = tag.start, tag.end
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    return replace(tag, start=start, end=end, lead=start > tag.start, trail=end < tag.end)


def _split(run: Run, breaks: tuple[tuple[int, str], ...], lang: str) -> Run:
    """Cut a run into units at breaks and sentence ends not crossed by a tag."""
    spans: list[tuple[int, int]] = []
    cuts = sorted({0, *(p for p, _ in breaks), len(run.text)})
    for lo, hi in itertools.pairwise(cuts):
        spans.extend((lo + s, lo + e) for s, e in sentence_spans(run.text[lo:hi], lang))
    spans = _merge_crossed(spans, run.tags, breaks)
    units = tuple(Unit(run.text[s:e], _tags_in(run.tags, s, e)) for s, e in spans)
    gaps, previous, pending = [], 0, list(breaks)
    for start, end in [*spans, (len(run.text), len(run.text))]:
        mine = [b for b in pending if previous <= b[0] <= start]
        pending = [b for b in pending if b not in mine]
        gap = _gap_html(run.text, previous, start, mine)
        # two sentences the source ran together ("generales.Enfatizó"): a space between the
        # translations, as the reader expects it (``segment.glued_boundaries``)
        gaps.append(" " if not gap and 0 < previous == start < len(run.text) else gap)
        previous = end
    return Run(run.text, run.tags, units, tuple(gaps))


def _merge_crossed(spans: list[tuple[int, int]], tags: Sequence[Tag],
                   breaks: tuple[tuple[int, str], ...]) -> list[tuple[int, int]]:
    hard = {p for p, _ in breaks}
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and not any(merged[-1][1] <= p <= start for p in hard) and any(
                t.start < start and t.end > merged[-1][1] for t in tags):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _tags_in(tags: Sequence[Tag], start: int, end: int) -> tuple[Tag, ...]:
    """Tags clipped to [start, end) and made relative to it (a tag across a break is split).

    A clipped tag's edge space stays with the part cut off (the gap or the unit before it):
    ``<em><br> \xa0b</em>`` is a gap ``<br> \xa0`` and a unit ``b``, whose tag gets no space of
    its own inside it again."""
    out = []
    for t in tags:
        lo, hi = max(t.start, start), min(t.end, end)
        if lo < hi or (t.start == t.end and start <= t.start <= end and t.start != end):
            out.append(replace(t, start=lo - start, end=hi - start,
                               lead=t.lead and lo == t.start, trail=t.trail and hi == t.end))
    return tuple(out)


def _gap_html(text: str, lo: int, hi: int, breaks: Sequence[tuple[int, str]]) -> str:
    pieces, pos = [], lo
    for at, markup in breaks:
        pieces.append(html.escape(text[pos:at], quote=False) + markup)
        pos = at
    pieces.append(html.escape(text[pos:hi], quote=False))
    return "".join(pieces)
