"""Boxes of other stories whose label sits outside the body: "À lire aussi", "À la une".

A related-links box often puts its label in a region of its own, before the teasers it heads::

    <div class="block"><div class="block-top">À lire aussi</div>
      <div class="block-content"><div class="item"><a><h5>Headline</h5></a><p>Summary…</p>…

trafilatura takes the teasers for text and leaves the label out, so the label rules of
:func:`~babelwire.extract.cleanup.drop_related`, which read the body's blocks, never see it. This
rule reads the page instead: each block of the body is found in the page (the segment it is, or
holds it) and its *box* looked for: climbing from the block's element at most :data:`BOX_LEVELS`
levels (never to an element of more than :data:`BOX_MAX_WORDS` words: the article's own
container), the nearest earlier sibling with text at each level is the *head* of the element
below it when it is short (:data:`HEAD_MAX_WORDS` words at most) and the first of its parent's
children to show text (the head opens the box). A box is

- *related* when its head starts with a related-link label of
  :data:`~babelwire.extract.cleanup.RELATED_LABELS` (or a label the site's memory learned) and
  is little more than that label;
- *teasers* when its head is a heading (an ``h2``-``h6``, or an element holding one and no more
  text) and the box is other stories: :data:`MIN_HEADLINES` links of headline length at least,
  link text :data:`TEASER_LINK_SHARE` of its text or more;

and nothing after the head holds a paragraph of running text (:data:`RUNNING_WORDS` words or
more, few links): CNN puts the rest of its article in a ``div`` after a "Read More" button, and
La Nación a topic's "Más sobre …" link before the article's first paragraph, which are no boxes.

A block in either is dropped. What follows the last box dropped, when it is only short lines
(:data:`HEAD_MAX_WORDS` words at most: the heads of further boxes, "sur le web"), goes with it,
up to a heading (uepo.de's "Weiterführender Link" after its "Mehr zum Thema" box is the
article's).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from lxml import etree

from babelwire.extract.blocks import HEADINGS, Block, collapse
from babelwire.extract.cleanup import LABEL_TAIL_WORDS, label_end, related_labels
from babelwire.extract.features import Segment

BOX_LEVELS = 5
BOX_MAX_WORDS = 400
HEAD_MAX_WORDS = 8
MIN_HEADLINES = 2
HEADLINE_WORDS = 3
TEASER_LINK_SHARE = 0.3
RUNNING_WORDS = 40
RUNNING_LINK_SHARE = 0.2
_HEADING_TAGS = ("h2", "h3", "h4", "h5", "h6")
_LEAVES = ("p", "div", "li", "blockquote", "section", "article", "td", "dd")
_WORD = re.compile(r"\w+")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _text(element: etree._Element) -> str:
    return collapse(element.text_content())


def _head(element: etree._Element) -> etree._Element | None:
    """The nearest earlier sibling of ``element`` that shows text."""
    for sibling in element.itersiblings(preceding=True):
        if isinstance(sibling.tag, str) and sibling.tag not in {"script", "style"} \
                and any(piece.strip() for piece in sibling.itertext()):
            return sibling
    return None


def _heading(head: etree._Element, text: str) -> bool:
    """Whether ``head`` is a heading, or holds one that is all of its text."""
    if head.tag in _HEADING_TAGS:
        return True
    return any(_text(h) == text for h in head.iter(*_HEADING_TAGS))


def _running(box: etree._Element) -> bool:
    """Whether ``box`` holds a paragraph of running text: an element of :data:`_LEAVES` holding
    none, of :data:`RUNNING_WORDS` words or more, little of it links."""
    for leaf in box.iter(*_LEAVES):
        if next(leaf.iterdescendants(*_LEAVES), None) is not None:
            continue
        words = _text(leaf)
        linked = sum(len(_text(a)) for a in leaf.iter("a"))
        if _words(words) >= RUNNING_WORDS and linked < RUNNING_LINK_SHARE * len(words):
            return True
    return False


def _teasers(box: etree._Element) -> bool:
    """Whether ``box`` holds other stories: headline links, mostly links."""
    text = _text(box)
    links = [_text(a) for a in box.iter("a")]
    headlines = sum(_words(t) >= HEADLINE_WORDS for t in links)
    return headlines >= MIN_HEADLINES and sum(map(len, links)) >= TEASER_LINK_SHARE * len(text)


class Boxes:
    """The box of each element of a page, by the rule of the module docstring."""

    def __init__(self, labels: Collection[tuple[str, ...]]) -> None:
        self.labels = labels
        self.judged: dict[etree._Element, bool | None] = {}
        self.sizes: dict[etree._Element, int] = {}

    def _large(self, node: etree._Element) -> bool:
        """Whether ``node`` holds more than :data:`BOX_MAX_WORDS` words (counted piece by piece,
        up to there: the article's container is read no further)."""
        if node not in self.sizes:
            count = 0
            for piece in node.itertext():
                count += len(_WORD.findall(piece))
                if count > BOX_MAX_WORDS:
                    break
            self.sizes[node] = count
        return self.sizes[node] > BOX_MAX_WORDS

    def boxed(self, element: etree._Element) -> bool:
        """Whether ``element`` sits in a related or teasers box."""
        node = element
        for _ in range(BOX_LEVELS):
            if self._large(node):
                return False
            if node not in self.judged:
                self.judged[node] = self._judge(node)
            found = self.judged[node]
            if found is not None:
                return found
            parent = node.getparent()
            if parent is None:
                return False
            node = parent
        return False

    def _judge(self, node: etree._Element) -> bool | None:
        """True when ``node`` is a box under a short head, else None (the climb goes on)."""
        head = _head(node)
        if head is None:
            return None
        text = _text(head)
        if _words(text) > HEAD_MAX_WORDS or _head(head) is not None:
            return None     # long, or not the first of its parent's: no box's head
        end = label_end(text, self.labels)
        related = bool(end) and _words(text[end:]) <= LABEL_TAIL_WORDS
        box = [node, *node.itersiblings()]     # all that follows the head
        if (related or (_heading(head, text) and _teasers(node))) \
                and not any(_running(part) for part in box):
            return True
        return None


def _element(block: Block, segs: Sequence[Segment], first: dict[str, int],
             after: int) -> tuple[etree._Element | None, int]:
    """The element of ``block`` in the page (its segment, or the first one after ``after`` that
    holds its text) and that segment's index."""
    line = block.text.split("\n")[0]
    index = first.get(line)
    if index is None:
        index = next((i for i in range(max(after, 0), len(segs)) if line in segs[i].text), None)
    return (segs[index].element, index) if index is not None else (None, after)


def drop_boxed(blocks: Sequence[Block], segs: Sequence[Segment],
               learned: Collection[str] = ()) -> list[Block]:
    """``blocks`` without those in a box of other stories (see the module docstring)."""
    first: dict[str, int] = {}
    for i, seg in enumerate(segs):
        first.setdefault(seg.text, i)
    boxes = Boxes(related_labels(learned))
    kept: list[Block] = []
    dropped_last = False
    after = 0
    for block in blocks:
        if block.kind == "figure":
            kept.append(block)
            continue
        element, after = _element(block, segs, first, after)
        if element is not None and boxes.boxed(element):
            dropped_last = True
            continue
        dropped_last = dropped_last and block.words <= HEAD_MAX_WORDS
        kept.append(block)
    if dropped_last:
        while kept and kept[-1].kind not in {"figure", *HEADINGS} \
                and kept[-1].words <= HEAD_MAX_WORDS:
            kept.pop()
    return kept

