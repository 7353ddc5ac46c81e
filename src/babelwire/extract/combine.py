"""trafilatura's candidate body judged by the block model, in one pass over the parsed page.

trafilatura's blocks stay the body's backbone (its inline markup, lists and tables are what the
translator reads). The block model's probability for each page segment then:

- drops a trafilatura block when every segment it matches scores below ``drop_below``
  (a related-links box, a newsletter call or a label that trafilatura took for text), unless it
  is running text (:data:`PROSE_WORDS` words or more, few links) or opens with a related-link
  label: :func:`~babelwire.extract.cleanup.drop_related` tells a label in the author's prose
  ("Lesen Sie – als Hintergrundinformation … auch den Beitrag …") from a related link;
- adds a segment trafilatura left out when it scores at least ``add_above``, is a paragraph,
  heading or quote, and sits within :data:`REACH` segments of the body trafilatura found (a lead
  paragraph or a last paragraph in a separate container), at its place in the page, unless it
  is an image's caption (:func:`captions_image`: figures are put back apart, with their caption
  in the HTML only), or the site's memory knows it as furniture (``refused``: see below), or
  the body already holds its text once white space is left out (a paragraph cut by ``<br>``
  reads as one line in the segment and as several in trafilatura's blocks). A *run* (text that
  no block element held, made a paragraph by :mod:`~babelwire.extract.runs`) is added only
  within the span of the kept blocks, or next to it when it is running text
  (:func:`_run_may_add`).

The memory (:mod:`~babelwire.extract.furniture`) judges trafilatura's blocks before the model
runs (its furniture is one of the model's features), but an addition is the model's own choice,
made after. So the memory also keeps, for each page, the segments the model *may* add
(:func:`may_add`: the addable segments within :data:`REACH` of trafilatura's body, whatever
their scores, so no model is needed to remember a page), and judges them by the same rule as
the blocks: a segment found on another story of the site, the stories holding it more than
half of the site's stories in memory (a template's standfirst that is the same on every page),
is not added. The model's inputs do not change.

A block that matches no segment (text that trafilatura assembled across elements) is judged by
the segments inside it (:func:`_furniture_whole`): when it has :data:`PROSE_WORDS` words or more,
the page's segments found in its text make up most of it (:data:`INSIDE_SHARE` of its
characters), none of them is running text and the model's scores of them, weighted by their
characters, average below ``drop_below``, the block is dropped. That is trafilatura's reading of a
page it could not split (a whole page of menus as one paragraph, the article a bare text node that
no segment holds); the body left is then weak, and the fallback of
:mod:`~babelwire.extract.article` reads the page again. Any other unmatched block is kept as it is.
The two thresholds belong to the model (:class:`~babelwire.extract.classifier.BlockModel`): they
are chosen on its own training pages only (:func:`babelwire.extract.training.choose_thresholds`);
:data:`DROP_BELOW` and :data:`ADD_ABOVE` are the defaults of a model file that records none.
:func:`model_text`, the segments scoring at
least :data:`TEXT_AT`, is the reference that :func:`~babelwire.extract.cleanup.trim_edges` trims
the body's edges against.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from lxml import etree

from babelwire.extract.blocks import Block, collapse, visible
from babelwire.extract.cleanup import MAX_BLOCK_CHARS, fold, label_end
from babelwire.extract.convert import blocks_of_element
from babelwire.extract.features import Segment

DROP_BELOW = 0.3
ADD_ABOVE = 0.7
TEXT_AT = 0.5
REACH = 4
CAPTION_LEVELS = 3
CAPTION_EXTRA_CHARS = 200
MIN_ADDED_CHARS = 40
PROSE_WORDS = 30
PROSE_LINK_DENSITY = 0.2
INSIDE_SHARE = 0.5
COVER_SHARE = 0.6
MIN_INSIDE = 2
_SPACES = re.compile(r"\s+")
_ADDABLE = frozenset({"p", "div", "section", "blockquote", "h2", "h3", "h4", "pre"})
_IMAGES = ("img", "picture", "video")
_CAPTION_NAME = re.compile(r"caption|credit|legend|l[eé]gende|leyenda|bildunterschrift",
                           re.IGNORECASE)


def _lines(block: Block) -> list[str]:
    return block.text.split("\n") if block.kind in {"ul", "ol"} else [block.text]


def _running(text: str, link_chars: int) -> bool:
    return len(text.split()) >= PROSE_WORDS and link_chars < PROSE_LINK_DENSITY * len(text)


def _prose(block: Block) -> bool:
    return block.kind == "p" and _running(block.text, block.link_chars)


@dataclass(frozen=True)
class _Match:
    """What :meth:`_Scores.of` found for a block: the best score and first segment index of
    the segments it matched (None when none), and the segments matched only by a part of them
    or as parts of the block (``covered``)."""

    prob: float | None = None
    index: int | None = None
    covered: tuple[str, ...] = ()


_NO_MATCH = _Match()


class _Scores:
    """The best score, first index and link characters of each segment text, keyed by the text
    as a reader sees it (:func:`~babelwire.extract.blocks.visible`): trafilatura's blocks leave
    out the soft hyphens that German sites write ("Klima\xadwandel") and the segments keep, so
    the same paragraph matched nothing and was added a second time."""

    def __init__(self, segs: Sequence[Segment], probs: Sequence[float]) -> None:
        self.prob: dict[str, float] = {}
        self.index: dict[str, int] = {}
        self.links: dict[str, int] = {}
        for i, (seg, p) in enumerate(zip(segs, probs, strict=True)):
            key = visible(seg.text)
            self.links.setdefault(key, seg.link_chars)
            self.prob[key] = max(self.prob.get(key, 0.0), float(p))
            self.index.setdefault(key, i)

    def of(self, block: Block) -> _Match:
        """Best score and first segment index among the lines of ``block`` (None if unmatched).

        A block that is no segment's whole text takes the score of the smallest segment that
        holds it, when the block is most of that segment (:data:`COVER_SHARE` of its
        characters: trafilatura left out a segment's last words, a "Subscribe here!" link), or
        the best score of the segments it holds when they make up most of it (trafilatura
        joined a label's cells with "|"). Only a short block (under :data:`PROSE_WORDS` words,
        not a list, table or code) is matched so: a longer one is running text or is judged
        by :func:`_furniture_whole`. Such a match gives no index: the block does not move the
        span of the body that additions are sought next to; the segments it matched are
        ``covered``, never added beside it (the box would be there twice)."""
        found = [line for line in map(visible, _lines(block)) if line in self.prob]
        if found:
            return _Match(max(self.prob[t] for t in found), min(self.index[t] for t in found))
        text = _SPACES.sub(" ", visible(block.text)).strip()
        if block.kind in {"ul", "ol", "table", "pre"} or not text \
                or len(text.split()) >= PROSE_WORDS:
            return _NO_MATCH
        holders = [t for t in self.prob if len(text) >= COVER_SHARE * len(t) and text in t]
        if holders:
            holder = min(holders, key=len)
            return _Match(self.prob[holder], covered=(holder,))
        inside = [t for t in self.prob if len(t) >= MIN_ADDED_CHARS // 4 and t in text]
        if inside and sum(map(len, inside)) >= COVER_SHARE * len(text):
            return _Match(max(self.prob[t] for t in inside), covered=tuple(inside))
        return _NO_MATCH


def _furniture_whole(block: Block, scores: _Scores, drop_below: float) -> bool:
    """Whether an unmatched ``block`` of :data:`PROSE_WORDS` words or more (what would pass for
    running text) is made mostly of page segments the model rejects: the distinct segment texts
    found in it cover :data:`INSIDE_SHARE` of its characters, there are :data:`MIN_INSIDE` of
    them at least, none is running text, and their mean score, weighted by their characters, is
    below ``drop_below`` (one menu item the model likes among hundreds does not save the block;
    see the module docstring)."""
    text = visible(block.text)
    if len(text.split()) < PROSE_WORDS:
        return False
    inside = [t for t in scores.prob if t in text]
    if len(inside) < MIN_INSIDE or sum(map(len, inside)) < INSIDE_SHARE * len(text):
        return False
    if any(_running(t, scores.links[t]) for t in inside):
        return False
    return sum(len(t) * scores.prob[t] for t in inside) < drop_below * sum(map(len, inside))


def combine(blocks: Sequence[Block], segs: Sequence[Segment], probs: Sequence[float],
            base_url: str, drop_below: float = DROP_BELOW, add_above: float = ADD_ABOVE,
            refused: frozenset[str] = frozenset()) -> list[Block]:
    """trafilatura's ``blocks`` with the model's drops and additions (see the module docstring);
    no segment whose folded text is in ``refused`` (the site's furniture) is added."""
    scores = _Scores(segs, probs)
    kept: list[tuple[int | None, Block]] = []
    found: list[int] = []
    covered: set[str] = set()
    for block in blocks:
        match = scores.of(block) if block.kind != "figure" else _NO_MATCH
        prob, index = match.prob, match.index
        covered.update(match.covered)
        if index is not None:
            found.append(index)
        if prob is not None and prob < drop_below and not _prose(block) \
                and not label_end(block.text):
            continue
        if prob is None and block.kind != "figure" and _furniture_whole(block, scores,
                                                                       drop_below):
            continue
        kept.append((index, block))
    return _add_missed(kept, found, segs, probs, base_url, add_above, refused, covered)


def _addable(seg: Segment) -> bool:
    return seg.tag in _ADDABLE and len(seg.text) >= MIN_ADDED_CHARS


def _within_reach(placed: Sequence[int], count: int) -> range:
    """The segment indexes within :data:`REACH` of the first and last of ``placed``."""
    return range(max(min(placed) - REACH, 0), min(max(placed) + REACH + 1, count))


def may_add(blocks: Sequence[Block], segs: Sequence[Segment]) -> list[Segment]:
    """The segments the model may add to trafilatura's ``blocks``, whatever their scores: every
    segment :func:`combine` could add, and some it would not (those already in the blocks'
    text, captions; the span of the blocks the model keeps lies within that of all of them)."""
    first: dict[str, int] = {}
    for i, seg in enumerate(segs):
        first.setdefault(visible(seg.text), i)
    placed = []
    for block in blocks:
        found = [first[t] for t in map(visible, _lines(block)) if t in first] \
            if block.kind != "figure" else []
        if found:
            placed.append(min(found))
    if not placed:
        return []
    return [segs[i] for i in sorted(_chain(placed, len(segs), lambda i: _addable(segs[i])))]


def _chain(placed: Sequence[int], count: int, takes: Callable[[int], bool]) -> list[int]:
    """The segment indexes that ``takes`` accepts within :data:`REACH` of ``placed``, then within
    reach of those, and so on: a body that trafilatura found only in part (a paragraph or two of
    a long article, the rest in containers it left) grows paragraph by paragraph, as long as the
    model keeps finding text no more than :data:`REACH` segments from the last one taken."""
    taken: set[int] = set()
    seen: set[int] = set()  # each index is judged once: ``takes`` does not depend on the chain
    reach = _within_reach(placed, count)
    while True:
        new = [i for i in reach if i not in seen and takes(i)]
        seen.update(reach)
        if not new:
            return sorted(taken)
        taken.update(new)
        reach = _within_reach([*placed, *taken], count)


def _add_missed(kept: list[tuple[int | None, Block]], found: Sequence[int],
                segs: Sequence[Segment], probs: Sequence[float], base_url: str,
                add_above: float, refused: frozenset[str],
                covered: Collection[str] = frozenset()) -> list[Block]:
    """``kept`` with the confident segments it lacks inserted at their place: those within
    reach of trafilatura's body as it found it (``found``: the segment index of each of its
    blocks, those in ``kept`` and those the model dropped, so that a dropped "Commenter"
    between the standfirst and the first paragraph does not put the standfirst out of reach),
    and within reach of those (:func:`_chain`)."""
    placed = [i for i, _ in kept if i is not None]
    if not placed:
        return [b for _, b in kept]
    text = "\n".join(b.text for _, b in kept)
    squashed = _SPACES.sub("", visible(text))

    def _adds(seg: Segment, prob: float, i: int) -> bool:
        return (prob >= add_above and _addable(seg) and visible(seg.text) not in covered
                and _SPACES.sub("", visible(seg.text)) not in squashed
                and _run_may_add(seg, i, placed)
                and not captions_image(seg.element, seg.text)
                and not (refused and fold(seg.text)[:MAX_BLOCK_CHARS] in refused))

    additions: list[tuple[int, Block]] = []
    for i in _chain(found, len(segs), lambda i: _adds(segs[i], probs[i], i)):
        additions.extend((i, b) for b in blocks_of_element(segs[i].element, base_url))
    if not additions:
        return [b for _, b in kept]
    return _merge(kept, additions)


def _run_may_add(seg: Segment, index: int, placed: Sequence[int]) -> bool:
    """Whether ``seg``, at ``index``, may be added beside the kept blocks at ``placed``: any
    segment but a run (:mod:`~babelwire.extract.runs`) may; a run only within the span of the
    kept blocks, or next to it when it is running text (it extends trafilatura's body by one
    paragraph, not by a box beside it)."""
    if not seg.run:
        return True
    first, last = min(placed), max(placed)
    return first < index < last or (index in (first - 1, last + 1)
                                    and _running(seg.text, seg.link_chars))


def captions_image(element: etree._Element, text: str) -> bool:
    """Whether ``element`` (of text ``text``) is an image's caption: it or one of its first
    :data:`CAPTION_LEVELS` ancestors is a ``<figcaption>`` or has a class or id that names a
    caption or a credit, and the first ancestor that holds an image holds little text besides
    (at most :data:`CAPTION_EXTRA_CHARS` more: a credit line).

    The block model scores such a caption as high as a standfirst ("Le 14 mars 2020, Olivier
    Véran a mis en garde…" under Sciences et Avenir's lead image, in a
    ``<span class="visuel-credits">``, scored 0.58): its words are prose, so only the page's
    layout tells it apart. The layout alone is not enough: a standfirst often shares a small
    container with the lead image (El Espectador, Infobae), hence the class."""
    named = False
    for level, node in enumerate((element, *element.iterancestors())):
        if level > CAPTION_LEVELS:
            return False
        named = named or node.tag == "figcaption" or bool(
            _CAPTION_NAME.search(f"{node.get('class') or ''} {node.get('id') or ''}"))
        if level and next(node.iter(*_IMAGES), None) is not None:
            return named and len(collapse(node.text_content())) <= len(text) + CAPTION_EXTRA_CHARS
    return False


def _merge(kept: list[tuple[int | None, Block]],
           additions: list[tuple[int, Block]]) -> list[Block]:
    """Insert each addition after the last kept block that comes before it in the page."""
    out: list[Block] = []
    pending = sorted(additions, key=lambda pair: pair[0])
    position = -1
    for index, block in kept:
        if index is not None:
            while pending and pending[0][0] < index and pending[0][0] > position:
                out.append(pending.pop(0)[1])
            position = max(position, index)
        out.append(block)
    out.extend(b for i, b in pending if i > position)
    return out


def model_text(segs: Sequence[Segment], probs: Sequence[float]) -> str:
    """The text of the segments the model takes for article text, and of those it never drops
    (running text, a label's block: see the module docstring), one per line."""
    return "\n".join(s.text for s, p in zip(segs, probs, strict=True)
                     if p >= TEXT_AT or _running(s.text, s.link_chars) or label_end(s.text))


def model_body(segs: Sequence[Segment], probs: Sequence[float], base_url: str) -> list[Block]:
    """The model's own body: the segments scoring at least :data:`TEXT_AT`, as blocks (one more
    candidate when trafilatura's body is weak)."""
    return [block for seg, p in zip(segs, probs, strict=True) if p >= TEXT_AT
            for block in blocks_of_element(seg.element, base_url)]
