"""Turning extractor output into :class:`~babelwire.extract.blocks.Block` lists.

Two inputs: trafilatura's internal XML body (``p``, ``head``, ``list``/``item``, ``quote``,
``table``, ``ref``, ``hi``, ``lb``) and ordinary HTML (readability-lxml's summary, a feed item's
``content:encoded``). Both drop the page's classes and layout, so the kickers the page shows apart
from the text they head are read from the page itself (:func:`page_kickers`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from lxml import etree
from lxml import html as lxml_html

from babelwire.extract.blocks import (
    Block,
    InlineBuilder,
    Kicker,
    Spacer,
    collapse,
    figure_block,
    list_block,
    safe_href,
    text_block,
    visible,
)

_SKIP = frozenset({"script", "style", "noscript", "iframe", "form", "button", "svg", "select",
                   "input", "textarea", "template", "object", "embed", "video", "audio", "nav"})
_HTML_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol",
                          "figure", "table", "pre", "hr", "dl"})
_HEADING_LEVEL = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}


def _tag(element: etree._Element) -> str:
    """Lower-case tag name; '' for comments and processing instructions."""
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


# --- trafilatura XML -------------------------------------------------------------------------


def _xml_inline(element: etree._Element, out: InlineBuilder, base_url: str) -> None:
    """Walk trafilatura inline content (ref, hi, lb, nested blocks) into ``out``."""
    out.text(element.text)
    for child in element:
        tag = _tag(child)
        if tag == "ref":
            href = safe_href(child.get("target"), base_url)
            if href:
                out.open("a", href)
            _xml_inline(child, out, base_url)
            if href:
                out.close("a")
        elif tag == "hi":
            rend = child.get("rend") or ""
            wrap = "strong" if "#b" in rend else "em" if "#i" in rend else ""
            if wrap:
                out.open(wrap)
            _xml_inline(child, out, base_url)
            if wrap:
                out.close(wrap)
        elif tag in {"lb", "graphic"}:
            out.text(" ")
        elif tag:
            out.text(" ")
            _xml_inline(child, out, base_url)
            out.text(" ")
        out.text(child.tail)


def _inline_of(element: etree._Element, base_url: str,
               spacer: Spacer | None = None) -> InlineBuilder:
    builder = InlineBuilder(spacer)
    _xml_inline(element, builder, base_url)
    return builder


def _xml_table(table: etree._Element, base_url: str,
               spacer: Spacer | None = None) -> Iterator[Block]:
    """A table as one paragraph per row, cells joined by ' | ' (tables are not in the tag set)."""
    for row in table.iter("row"):
        builder = InlineBuilder(spacer)
        for index, cell in enumerate(row.iter("cell")):
            if index:
                builder.text(" | ")
            _xml_inline(cell, builder, base_url)
        block = text_block("p", builder)
        if block:
            yield block


def _xml_block(element: etree._Element, base_url: str,
               spacer: Spacer | None = None) -> Iterator[Block]:
    tag = _tag(element)
    block: Block | None
    if tag == "head":
        level = _HEADING_LEVEL.get(element.get("rend") or "", "h3")
        block = text_block(level, _inline_of(element, base_url, spacer))
    elif tag == "list":
        kind = "ol" if (element.get("rend") or "").startswith("ol") else "ul"
        items = [_inline_of(item, base_url, spacer) for item in element.iter("item")]
        block = list_block(kind, items)
    elif tag == "quote":
        block = text_block("blockquote", _inline_of(element, base_url, spacer))
    elif tag == "table":
        yield from _xml_table(element, base_url, spacer)
        return
    elif tag in {"graphic", ""}:
        return
    else:
        block = text_block("p", _inline_of(element, base_url, spacer))
    if block:
        yield block


def blocks_from_xml(body: etree._Element | None, base_url: str,
                    spacer: Spacer | None = None) -> list[Block]:
    """Blocks of a trafilatura ``Document.body`` tree, in order.

    Text loose in the body (trafilatura leaves some as the tail of a heading) becomes a paragraph.
    ``spacer`` (the page's :class:`~babelwire.extract.spacing.PageText`) puts back the spaces
    trafilatura drops next to inline elements.
    """
    if body is None:
        return []
    blocks: list[Block] = []
    loose = _loose_paragraph(body.text)
    blocks.extend([loose] if loose else [])
    for child in body:
        blocks.extend(_xml_block(child, base_url, spacer))
        loose = _loose_paragraph(child.tail)
        blocks.extend([loose] if loose else [])
    return blocks


def _loose_paragraph(text: str | None) -> Block | None:
    builder = InlineBuilder()
    builder.text(text)
    return text_block("p", builder)


# --- ordinary HTML ---------------------------------------------------------------------------


def html_inline(element: etree._Element, out: InlineBuilder, base_url: str) -> None:
    """Walk ordinary HTML inline content into ``out`` (a, em/i, strong/b kept; rest unwrapped)."""
    out.text(element.text)
    for child in element:
        inline_child(child, out, base_url)
        out.text(child.tail)


def inline_child(child: etree._Element, out: InlineBuilder, base_url: str) -> None:
    """Walk one inline element (not its tail) into ``out``."""
    tag = _tag(child)
    if not tag or tag in _SKIP:
        return
    wrap, href = "", None
    if tag == "a":
        href = safe_href(child.get("href"), base_url)
        wrap = "a" if href else ""
    elif tag in {"em", "i", "cite"}:
        wrap = "em"
    elif tag in {"strong", "b"}:
        wrap = "strong"
    elif tag in {"br", "li", "td", "th", "div", "p"}:
        out.text(" ")
    if wrap:
        out.open(wrap, href)
    html_inline(child, out, base_url)
    if wrap:
        out.close(wrap)


def image_source(img: etree._Element, base_url: str) -> str | None:
    """The http(s) address of an ``<img>``, looking at lazy-loading attributes too."""
    for attr in ("src", "data-src", "data-lazy-src", "data-original", "srcset", "data-srcset"):
        value = (img.get(attr) or "").strip()
        if attr.endswith("srcset"):
            value = value.split(",")[0].strip().split(" ")[0]
        if value and not value.startswith("data:"):
            href = safe_href(value, base_url)
            if href and not href.startswith("mailto:"):
                return href
    return None


def figure_from_html(figure: etree._Element, base_url: str) -> Block | None:
    """A figure block from a ``<figure>`` (or a lone ``<img>``); None without a usable image."""
    img = figure if _tag(figure) == "img" else next(figure.iter("img"), None)
    src = image_source(img, base_url) if img is not None else None
    if img is None or src is None:
        return None
    caption_el = next(figure.iter("figcaption"), None)
    caption = None
    if caption_el is not None:
        caption = InlineBuilder()
        html_inline(caption_el, caption, base_url)
    return figure_block(src, collapse(img.get("alt") or ""), caption)


class _HtmlWalker:
    """Collects blocks from ordinary HTML, turning loose text in containers into paragraphs."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.blocks: list[Block] = []
        self._loose = InlineBuilder()

    def flush(self) -> None:
        """End the paragraph of loose text being gathered, if it holds any."""
        block = text_block("p", self._loose)
        if block:
            self.blocks.append(block)
        self._loose = InlineBuilder()

    def add(self, block: Block | None) -> None:
        """Append a block (after the pending loose text)."""
        self.flush()
        if block:
            self.blocks.append(block)

    def walk(self, element: etree._Element) -> None:
        """Collect the blocks inside ``element``."""
        self._loose.text(element.text)
        for child in element:
            tag = _tag(child)
            if tag in _HTML_BLOCKS or tag == "img":
                self.block(child, tag)
            elif tag and tag not in _SKIP and _has_block_child(child):
                self.flush()
                self.walk(child)
                self.flush()
            else:
                inline_child(child, self._loose, self.base_url)
            self._loose.text(child.tail)

    def block(self, element: etree._Element, tag: str) -> None:
        """Turn one block-level element into blocks."""
        if tag in _HEADING_LEVEL:
            self.add(self.inline_block(_HEADING_LEVEL[tag], element))
        elif tag in {"ul", "ol"}:
            items = []
            for li in element.iter("li"):
                builder = InlineBuilder()
                html_inline(li, builder, self.base_url)
                items.append(builder)
            self.add(list_block(tag, items))
        elif tag in {"figure", "img"}:
            self.add(figure_from_html(element, self.base_url))
        elif tag == "blockquote" and _has_block_child(element):
            self.add(self.inline_block("blockquote", element))
        elif tag in {"p", "pre", "blockquote"}:
            self.add(self.inline_block("p" if tag == "pre" else tag, element))
        elif tag in {"table", "dl"}:
            self.flush()
            for row in element.iter("tr", "dt", "dd"):
                self.add(self.inline_block("p", row))
        else:
            self.flush()

    def inline_block(self, kind: str, element: etree._Element) -> Block | None:
        """One block of ``kind`` holding the inline content of ``element``."""
        builder = InlineBuilder()
        html_inline(element, builder, self.base_url)
        return text_block(kind, builder)


def _has_block_child(element: etree._Element) -> bool:
    return any(_tag(d) in _HTML_BLOCKS or _tag(d) == "img" for d in element.iterdescendants())


def blocks_from_html(fragment: str, base_url: str) -> list[Block]:
    """Blocks of an HTML fragment or document (readability output, feed ``content:encoded``)."""
    if not fragment or not fragment.strip():
        return []
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError, AssertionError):
        # lxml asserts (rather than raising) on documents without a body, e.g. a page cut off
        # after its <head>
        return []
    walker = _HtmlWalker(base_url)
    walker.walk(root)
    walker.flush()
    return walker.blocks


# --- kickers ---------------------------------------------------------------------------------

KICKER_MAX_WORDS = 4
KICKER_MAX_CHARS = 40
FOLLOWS_CHARS = 24
#: Words in a class or id that name a kicker or a category label, in the languages of the pages.
KICKER_NAMES = ("kicker", "surtitre", "surtitle", "overline", "eyebrow", "antetitulo",
                "antetitle", "volanta", "cintillo", "dachzeile", "occhiello", "label",
                "category", "categorie", "categoria", "keyword", "rubrique", "rubric", "topic")
_KICKER_NAME = re.compile("|".join(map(re.escape, KICKER_NAMES)))
_BLOCK_TAGS = frozenset({"div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "header", "li", "dt",
                         "dd", "figcaption", "section", "aside"})
_OPENERS = "«\"“‘'¿¡("


def _named_kicker(element: etree._Element) -> bool:
    return _names_a_kicker(f"{element.get('class') or ''} {element.get('id') or ''}")


@lru_cache(maxsize=4096)
def _names_a_kicker(names: str) -> bool:
    """Whether a class and id name a kicker (pages repeat their classes: read once)."""
    return _KICKER_NAME.search(names.lower()) is not None


def _first_in_parent(element: etree._Element) -> bool:
    """No text and no element before ``element`` in its parent (comments aside)."""
    parent = element.getparent()
    if parent is None or (parent.text or "").strip():
        return False
    return not any(isinstance(p.tag, str) or (p.tail or "").strip()
                   for p in element.itersiblings(preceding=True))


def _text_after(element: etree._Element) -> str:
    """The visible text after ``element`` in its parent, up to about ``FOLLOWS_CHARS`` chars."""
    parts = [element.tail or ""]
    for sibling in element.itersiblings():
        if sum(map(len, parts)) > 2 * FOLLOWS_CHARS:
            break
        if _tag(sibling) and _tag(sibling) not in _SKIP:
            parts.extend(sibling.itertext())
        parts.append(sibling.tail or "")
    return visible("".join(parts))


def _short_text(element: etree._Element) -> str:
    """The text of ``element`` when it could be a kicker's label, else ''."""
    parts: list[str] = []
    for piece in element.itertext():
        parts.append(piece)
        if sum(map(len, parts)) > 2 * KICKER_MAX_CHARS:
            return ""
    label = collapse("".join(parts))
    short = len(label) <= KICKER_MAX_CHARS and len(label.split()) <= KICKER_MAX_WORDS
    return label if short and label[:1].isupper() else ""


def _kicker(element: etree._Element, tag: str | None = None) -> Kicker | None:
    """The kicker ``element`` (whose tag is ``tag``, when known) is, when the page gives the
    evidence (:func:`page_kickers`)."""
    named = _named_kicker(element)
    alone = (_tag(element) if tag is None else tag) in _BLOCK_TAGS \
        or not _first_in_parent(element)
    if alone and not named:  # no evidence: the label's text is not even read
        return None
    if not named and visible(element.tail or "")[:1] == " ":
        return None  # the only evidence left, glued text, cannot be: a space follows
    label = _short_text(element)
    if not label:
        return None
    if alone:
        return Kicker(label, "")
    after = _text_after(element)
    follows = after.strip()[:FOLLOWS_CHARS].rstrip()
    if not follows:
        return Kicker(label, "") if named else None
    capital = follows[0].isupper() or follows[0] in _OPENERS
    # glued: no space between the label and a capital, on a styled element ("AgricultureL'Office")
    glued = not after[0].isspace() and label[-1].isalnum() and follows[0].isupper() \
        and bool(element.get("class") or element.get("id"))
    return Kicker(label, follows) if glued or (named and capital) else None


_NAMED = etree.XPath("//*[@class or @id]")


def page_kickers(tree: etree._Element) -> tuple[Kicker, ...]:
    """The kickers of a page: short capitalised labels (a category, a "surtitre") in an element
    of their own, which the page shows apart from the text they head.

    The page must give the evidence: a class or id naming a kicker (:data:`KICKER_NAMES`), or
    a label that starts its parent element and is glued, without a space, to the capital that
    starts the following text ("<span class=keyword>Agriculture</span>L'Office…": layout, not
    a word, separates them). A kicker with text after it in its parent records the start of
    that text, so that only a block that goes on the same way loses it.
    """
    found: dict[Kicker, None] = {}
    # Either kind of evidence needs a class or an id: elements without one are not looked at.
    for element in _NAMED(tree):
        tag = _tag(element)
        if tag and tag not in _SKIP and len(element) <= KICKER_MAX_WORDS:
            kicker = _kicker(element, tag)
            if kicker is not None:
                found[kicker] = None
    return tuple(found)


def blocks_of_element(element: etree._Element, base_url: str) -> list[Block]:
    """The blocks of one element of a page (a paragraph, heading or quote that the block model
    found and trafilatura left out); an element that is not a block element gives a paragraph."""
    walker = _HtmlWalker(base_url)
    tag = _tag(element)
    if tag in _HTML_BLOCKS:
        walker.block(element, tag)
    else:
        walker.add(walker.inline_block("p", element))
    walker.flush()
    return walker.blocks
