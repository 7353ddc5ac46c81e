"""Putting the article's own figures back among its extracted blocks.

The text extractor runs without images: with them, trafilatura turns slideshow captions and image
titles into paragraphs. Figures are instead read from the page's ``<figure>`` elements and placed
by position: each extracted block is located in the page (by its text, in document order), and a
figure that sits inside the container holding those blocks, between the first and the last of them,
is inserted before the first block that follows it. Figures before the body (the lead image, also
given by the metadata) or after it (related articles) are left out.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from babelwire.extract.blocks import Block
from babelwire.extract.cleanup import fold
from babelwire.extract.convert import figure_from_html

_TEXT_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td",
                        "div", "span", "section", "article"})
_PREFIX_WORDS = 8


def _prefix(text: str) -> str:
    return " ".join(fold(text).split()[:_PREFIX_WORDS])


def _locate(blocks: Sequence[Block], tree: etree._Element) -> list[etree._Element | None]:
    """The page element where each block starts, searched forward in document order.

    An element matches when its text starts with the block's first words and is not much longer
    than the block (so that a container holding the whole article does not match its first line).
    An element's text is read when the search reaches it, its first words when it is short
    enough to match (the search stops at the body's last block: most of a page is never read).
    """
    elements = list(tree.iter(*_TEXT_TAGS))
    texts: dict[int, str] = {}
    prefixes: dict[int, str] = {}
    found: list[etree._Element | None] = []
    cursor = 0
    for block in blocks:
        wanted = _prefix(block.text.split("\n")[0])
        limit = 2 * len(block.text) + 200
        hit = None
        for index in range(cursor, len(elements) if wanted else 0):
            text = texts.get(index)
            if text is None:
                text = texts[index] = elements[index].text_content()
            if len(text) > limit:
                continue
            prefix = prefixes.get(index)
            if prefix is None:
                prefix = prefixes[index] = _prefix(text[:300])
            if prefix.startswith(wanted):
                hit, cursor = elements[index], index + 1
                break
        found.append(hit)
    return found


def _common_ancestor(elements: Sequence[etree._Element]) -> etree._Element | None:
    paths = [[*list(el.iterancestors())[::-1], el] for el in elements]
    common = None
    for level in zip(*paths, strict=False):
        if all(node is level[0] for node in level):
            common = level[0]
        else:
            break
    return common


def place_figures(blocks: Sequence[Block], tree: etree._Element, base_url: str) -> list[Block]:
    """``blocks`` with the page's in-body figures inserted where they stand in the page."""
    if next(tree.iter("figure"), None) is None:  # nothing to place: the blocks are not located
        return list(blocks)
    located = _locate(blocks, tree)
    anchors = [el for el in located if el is not None]
    container = _common_ancestor(anchors) if len(anchors) >= 2 else None
    if container is None:
        return list(blocks)
    # the order of elements in the page, counted in the container (it holds every anchor and
    # every figure looked at)
    order = {el: i for i, el in enumerate(container.iter())}
    positions = [order[el] if el is not None else None for el in located]
    first, last = order[anchors[0]], order[anchors[-1]]
    inserts: dict[int, list[Block]] = {}
    for figure in container.iter("figure"):
        where = order.get(figure, -1)
        block = figure_from_html(figure, base_url) if first < where < last else None
        if block is None:
            continue
        target = next(i for i, p in enumerate(positions) if p is not None and p > where)
        inserts.setdefault(target, []).append(block)
    result: list[Block] = []
    for index, block in enumerate(blocks):
        result.extend(inserts.get(index, []))
        result.append(block)
    return result
