"""A page read once: decoded, parsed, its metadata read and trafilatura's candidate body taken.

Everything later (cleanup, template learning, fallbacks, figures) works from a :class:`ParsedPage`,
so learning templates from a batch and then extracting its articles parses each page only once.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import unescape
from itertools import islice
from typing import Any

from lxml import etree
from urllib3.exceptions import DependencyWarning

from babelwire.exceptions import ExtractError
from babelwire.extract.blocks import Block, Kicker, collapse
from babelwire.extract.convert import blocks_from_xml, page_kickers
from babelwire.extract.metadata import PageMetadata, read_metadata
from babelwire.extract.rights import read_rights
from babelwire.extract.spacing import PageText
from babelwire.models import Rights
from babelwire.sources.charset import decode_html

with warnings.catch_warnings():
    # trafilatura probes urllib3's optional SOCKS support on import; without PySocks urllib3 warns
    # and trafilatura carries on without it. babelwire never downloads through trafilatura.
    warnings.simplefilter("ignore", DependencyWarning)
    from htmldate import find_date
    from trafilatura import bare_extraction
    from trafilatura.baseline import baseline
    from trafilatura.metadata import (
        META_URL,
        examine_meta,
        extract_author,
        extract_meta_json,
        extract_metadata,
        extract_sitename,
        extract_title,
        extract_url,
    )
    from trafilatura.settings import set_date_params
    from trafilatura.utils import line_processing, load_html

LOGGER = logging.getLogger(__name__)

# trafilatura's balanced mode: its recall mode did better on the ScrapingHub pages (F1 0.975 vs
# 0.973 after cleanup) but lost whole bodies on the trafilatura benchmark (0.921 vs 0.927).
# Images are off: with them, trafilatura turns image titles and slideshow captions into
# paragraphs (figures are placed afterwards, see figures.py). Fast mode: trafilatura's own
# comparison with readability and jusText costs a third of its time; the block model (which reads
# the whole page) and babelwire's fallback for a weak body (article.py) do that work instead
# (F1 0.930 against 0.932 on 300 of trafilatura's evaluation pages, cross-validated, 1.4 times
# the pages per second).
# The metadata is read apart (:class:`TrafilaturaMetadata`: trafilatura's own pass, only the
# fields babelwire reads), and the body is taken as XML: trafilatura's "python" output also
# renders it as text, which babelwire never reads (the format changes nothing else).
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "fast": True,
    "include_comments": False,
    "include_tables": True,
    "include_links": True,
    "include_formatting": True,
    "include_images": False,
    "output_format": "xml",
}


@dataclass(frozen=True)
class ParsedPage:
    """One page: its address, decoded HTML, parsed tree, metadata, trafilatura's blocks and the
    kickers the page shows (see :func:`~babelwire.extract.convert.page_kickers`)."""

    url: str
    html: str
    tree: etree._Element
    metadata: PageMetadata
    blocks: tuple[Block, ...]
    kickers: tuple[Kicker, ...] = ()
    rights: Rights = field(default_factory=Rights)
    #: What later steps derive from the page once and read again (the site's memory keeps the
    #: page's blocks: :func:`~babelwire.extract.furniture.remembered`); it goes with the page.
    derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def key(self) -> str:
        """What identifies the article: its canonical URL, else the URL it was fetched from."""
        return self.metadata.canonical_url or self.url


def _h1_texts(tree: etree._Element) -> list[str]:
    return [collapse(h1.text_content()) for h1 in islice(tree.iter("h1"), 5)]


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CHAR_REF = re.compile(r"&#(?:([0-9]+)|[xX]([0-9a-fA-F]+));?")


def _xml_char(code: int) -> bool:
    """Whether XML 1.0 can hold the character ``code``."""
    return (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF)


def _drop_bad_ref(match: re.Match[str]) -> str:
    """A numeric character reference as it is, or nothing when XML cannot hold its character."""
    decimal, hexadecimal = match.groups()
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    return match.group(0) if _xml_char(code) else ""


def _utf8(text: str) -> bool:
    """Whether ``text`` can be written in UTF-8 (no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_CONTROLS = tuple(chr(code) for code in (*range(0x9), 0xB, 0xC, *range(0xE, 0x20), 0xFFFE,
                                         0xFFFF))


def _xml_text(text: str) -> str:
    """``text`` without the characters XML cannot hold (NUL and other control characters,
    U+FFFE/U+FFFF, lone surrogates), also written as character references."""
    # looking for each character is faster than a regex scan of the page, which is kept for
    # the rare page that has some
    if any(char in text for char in _CONTROLS) or not _utf8(text):
        text = _NOT_XML.sub("", text)
    return _CHAR_REF.sub(_drop_bad_ref, text)


def _read_tree(page: bytes | str, url: str, encoding: str | None) -> tuple[str, etree._Element]:
    """The decoded text of ``page`` and its parsed tree (ExtractError when it is not HTML)."""
    text = decode_html(page, encoding=encoding)[0] if isinstance(page, bytes) else page
    # lxml refuses, deep inside trafilatura, text that XML cannot hold: drop it.
    text = _xml_text(text)
    tree = load_html(text) if text.strip() else None
    if tree is None:
        raise ExtractError("the page is empty or not HTML", subject=url)
    return text, tree


def page_rights(page: bytes | str, url: str, *, encoding: str | None = None,
                robots_tag: Sequence[str] = ()) -> Rights:
    """The rights of ``page`` alone, without extracting its article (as ``parse_page`` reads
    them)."""
    return read_rights(_read_tree(page, url, encoding)[1], url, robots_tag=robots_tag)


def _trimmed(value: str | None) -> str | None:
    """A text field as trafilatura's ``Document.clean_and_trim`` leaves it."""
    if not isinstance(value, str):
        return value
    if len(value) > 10000:
        value = value[:9999] + "…"
    return line_processing(unescape(value))


class TrafilaturaMetadata:
    """The fields of trafilatura's metadata pass (``trafilatura.metadata.extract_metadata``, as
    ``bare_extraction(with_metadata=True)`` runs it) that :func:`~.metadata.read_metadata` reads,
    with the same values: title, site name, image and description at once; the author and the
    day only when asked for. Those two are the pass's costly steps (the author search copies the
    whole tree, htmldate searches the page), and babelwire reads them only when the page states
    no author in JSON-LD and no time. The categories, tags and licence, which babelwire never
    reads, are not looked for."""

    def __init__(self, tree: etree._Element, url: str,
                 dates: dict[str, Any] | None = None) -> None:
        self._tree = tree
        self._dates = dates or set_date_params(False)
        found = examine_meta(tree)
        if found.author and " " not in found.author:
            found.author = None
        try:
            found = extract_meta_json(tree, found)
        except Exception as exc:  # as trafilatura: bugs in its JSON-LD reader lose that reading
            LOGGER.debug("error in trafilatura's JSON metadata extraction: %s", exc)
        self.title: str | None = _trimmed(found.title or extract_title(tree))
        self._author: str | None = found.author
        self._author_read = bool(found.author)
        self.url: str | None = found.url or extract_url(tree, url)
        sitename = found.sitename or extract_sitename(tree)
        if sitename:
            sitename = sitename.lstrip("@")
            if sitename and "." not in sitename and not sitename[0].isupper():
                sitename = sitename.title()
        elif self.url:
            match = META_URL.match(self.url)
            sitename = match[1] if match else sitename
        self.sitename: str | None = _trimmed(sitename)
        self.image: str | None = _trimmed(found.image)
        self.description: str | None = _trimmed(found.description)
        self._date: str | None = None
        self._date_read = False

    @property
    def author(self) -> str | None:
        """trafilatura's author: the page's metadata, else its search of the page."""
        if not self._author_read:
            self._author, self._author_read = extract_author(self._tree), True
        return _trimmed(self._author)

    @property
    def date(self) -> str | None:
        """htmldate's day of the page (without its extensive search, see :func:`parse_page`)."""
        if not self._date_read:
            self._date = _trimmed(find_date(self._tree, **{**self._dates, "url": self.url}))
            self._date_read = True
        return self._date


def _trafilatura(tree: etree._Element, url: str) -> tuple[etree._Element | None, Any]:
    """trafilatura's body of the page (None when it finds too little text) and its metadata."""
    # htmldate without its extensive search: that search reads the page's free text with
    # dateparser (a tenth of a whole pipeline run's time), and its day is only the last
    # fallback after JSON-LD, <meta> and <time> (metadata.py), which htmldate reads anyway
    dates = set_date_params(False)
    if not url:
        # without an address, trafilatura takes the page's own (its metadata) for the links
        document = bare_extraction(tree, url=url, date_extraction_params=dates,
                                   **{**TRAFILATURA_OPTIONS, "with_metadata": True})
        if document is None:
            # trafilatura returns nothing, metadata included, when it finds too little text.
            return None, extract_metadata(tree, url, extensive=False)
        return getattr(document, "body", None), document
    metadata = TrafilaturaMetadata(tree, url, dates)
    if tree.tag != "html":
        # a fragment read as a tree rooted at, say, an iframe: htmldate and trafilatura's
        # author search fail on it (see parse_page) as they did when trafilatura ran them first
        _ = metadata.author, metadata.date
    document = bare_extraction(tree, url=url, date_extraction_params=dates, **TRAFILATURA_OPTIONS)
    return getattr(document, "body", None), metadata


def parse_page(page: bytes | str, url: str, *, encoding: str | None = None,
               robots_tag: Sequence[str] = ()) -> ParsedPage:
    """Decode (see :mod:`babelwire.sources.charset`), parse and pre-extract ``page``, and read
    its rights (:mod:`babelwire.extract.rights`; ``robots_tag``: the X-Robots-Tag headers).

    Raises :class:`~babelwire.exceptions.ExtractError` when the page is not parseable HTML.
    """
    text, tree = _read_tree(page, url, encoding)
    # read before trafilatura, which may prune the footers where licences are stated
    rights = read_rights(tree, url, robots_tag=robots_tag)
    try:
        body, document = _trafilatura(tree, url)
    except AssertionError as exc:
        # lxml checks trees with assertions: trafilatura reads some fragments ("<iframe html>")
        # into a tree rooted at an iframe, which htmldate then removes like any iframe, and
        # lxml asserts that the element has a parent. Such a page fails, not the run.
        raise ExtractError("the page's HTML cannot be read", subject=url) from exc
    return ParsedPage(
        url=url,
        html=text,
        tree=tree,
        metadata=read_metadata(tree, url, document, _h1_texts(tree)),
        blocks=tuple(blocks_from_xml(body, url, PageText(tree))),
        kickers=page_kickers(tree),
        rights=rights,
    )


def baseline_blocks(parsed: ParsedPage) -> list[Block]:
    """trafilatura's baseline reading of the page: its paragraphs ([] when it fails). The last
    candidate for a page where nothing else finds a body (see :mod:`babelwire.extract.article`)."""
    try:
        body = baseline(parsed.tree)[0]
    except Exception:  # a last resort that fails leaves the other candidates
        return []
    return blocks_from_xml(body, parsed.url)
