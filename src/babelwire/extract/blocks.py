"""Article blocks in babelwire's small tag set, and their HTML and plain-text renderings.

An extracted article is a list of :class:`Block`: paragraphs, headings (h2-h4), block quotes, lists
and figures. Inline markup is limited to ``a[href]``, ``em`` and ``strong``; every other element
is unwrapped so that its text survives. Link targets are made absolute against the page URL and
kept only for http, https and mailto; a link with any other target is unwrapped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape, unescape
from typing import Protocol
from urllib.parse import urljoin, urlsplit

_SPACE = re.compile(r"\s+")
# Soft hyphens, zero-width spaces and BOMs: invisible in a browser, but they split words for search,
# matching and translation.
_INVISIBLE = {0x00AD: None, 0x200B: None, 0x2060: None, 0xFEFF: None}
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_TAG = re.compile(r"(<[^>]*>)")
_EMPTY_INLINE = re.compile(r"<(a|em|strong)( [^>]*)?>\s*</\1>")

HEADINGS = frozenset({"h2", "h3", "h4"})
TEXT_KINDS = frozenset({"p", "blockquote", "ul", "ol", *HEADINGS})


def visible(value: str) -> str:
    """Text as a reader sees it: whitespace runs (non-breaking spaces too) as one space,
    invisible characters dropped; not stripped."""
    return _SPACE.sub(" ", value.replace("\u00a0", " ").translate(_INVISIBLE))


class Spacer(Protocol):
    """Judges whether two pieces of text glued at a tag edge were apart in the page."""

    def separated(self, left: str, right: str) -> bool:
        """True when the page has ``left`` and ``right`` separated by whitespace."""


def collapse(text: str) -> str:
    """Collapse runs of whitespace (including non-breaking spaces) to one space and strip."""
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


def safe_href(href: str | None, base_url: str) -> str | None:
    """Absolute form of ``href`` when it is an http, https or mailto link, else None."""
    if not href:
        return None
    href = href.strip()
    if href.startswith("#"):
        return None
    try:
        absolute = urljoin(base_url, href)
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:
        return None
    return absolute if scheme in _SAFE_SCHEMES else None


@dataclass(frozen=True)
class Block:
    """One block of article content.

    ``kind`` is ``p``, ``h2``-``h4``, ``blockquote``, ``ul``, ``ol`` or ``figure``. ``html`` is the
    block's inner HTML (for lists, the ``<li>`` items; for figures, the ``<img>`` and
    ``<figcaption>``). ``text`` is its plain text, one line per list item; for a figure, the
    caption.
    ``link_chars`` counts the characters of ``text`` that sit inside links.
    """

    kind: str
    html: str
    text: str
    link_chars: int = 0

    @property
    def link_density(self) -> float:
        """Share of the block's text that is link text (0 for an empty block)."""
        return self.link_chars / len(self.text) if self.text else 0.0

    @property
    def words(self) -> int:
        """Number of whitespace-separated words in the block's text."""
        return len(self.text.split())


class InlineBuilder:
    """Accumulates inline HTML and plain text side by side, keeping them consistent.

    Whitespace is collapsed as it goes, so the plain text is exactly the visible text of the HTML.
    """

    def __init__(self, spacer: Spacer | None = None) -> None:
        self._html: list[str] = []
        self._text: list[str] = []
        self.link_chars = 0
        self._link_depth = 0
        self._spacer = spacer
        self._tags_from: int | None = None  # where the tags since the last text start in _html

    def text(self, value: str | None) -> None:
        """Append character data (escaped in the HTML)."""
        if not value:
            return
        value = visible(value)
        if value == " " and (not self._text or self._text[-1].endswith(" ")):
            return
        self._respace(value)
        self._html.append(escape(value, quote=False))
        self._text.append(value)
        if self._link_depth:
            self.link_chars += len(value.strip())

    def _respace(self, value: str) -> None:
        """Put back the space of the page between the last text and ``value``, where tags
        between them glue two words (see :mod:`babelwire.extract.spacing`)."""
        at, self._tags_from = self._tags_from, None
        if at is None or self._spacer is None or not self._text:
            return
        before = self._text[-1]
        if before[-1:].isalnum() and value[:1].isalnum() and \
                self._spacer.separated("".join(self._text)[-64:], value):
            while at < len(self._html) and self._html[at].startswith("</"):
                at += 1  # after the closing tags, before the opening ones: "word</a> <em>word"
            self._html.insert(at, " ")
            self._text.append(" ")

    def _tag_edge(self) -> None:
        if self._tags_from is None:
            self._tags_from = len(self._html)

    def open(self, tag: str, href: str | None = None) -> None:
        """Open an inline element: ``a`` (with an already safe ``href``), ``em`` or ``strong``."""
        self._tag_edge()
        if tag == "a":
            self._html.append(f'<a href="{escape(href or "", quote=True)}">')
            self._link_depth += 1
        else:
            self._html.append(f"<{tag}>")

    def close(self, tag: str) -> None:
        """Close an element opened with :meth:`open`."""
        self._tag_edge()
        if tag == "a":
            self._link_depth -= 1
        self._html.append(f"</{tag}>")

    def result(self) -> tuple[str, str]:
        """The (html, text) built so far, both stripped of outer whitespace."""
        html = "".join(self._html).strip()
        html = _EMPTY_INLINE.sub("", html)
        return html, collapse("".join(self._text))


@dataclass(frozen=True)
class Kicker:
    """A short label that a page shows at the start of a block, apart from its text: a
    category, a kicker ("surtitre", "antetítulo"). ``follows`` is the start of the text the page
    puts right after it ('' when the label stands alone in its element)."""

    label: str
    follows: str


def without_leading_text(block: Block, chars: int) -> Block:
    """``block`` without the first ``chars`` characters of its text (and the same text in its
    HTML; inline elements left empty are dropped), nor the whitespace after them."""
    wanted = sum(not ch.isspace() for ch in block.text[:chars])
    parts: list[str] = []
    leading = True  # in the removed text or the whitespace after it
    for token in _TAG.split(block.html):
        if token.startswith("<") or not leading:
            parts.append(token)
            continue
        text = unescape(token)
        while text and wanted:
            wanted -= not text[0].isspace()
            text = text[1:]
        if not wanted:
            text = text.lstrip()
            leading = not text
        parts.append(escape(text, quote=False))
    html = _EMPTY_INLINE.sub("", "".join(parts)).strip()
    return Block(block.kind, html, block.text[chars:].lstrip(), _link_chars(html))


def _link_chars(html: str) -> int:
    """Characters of the visible text inside links of inline ``html``."""
    depth = count = 0
    for token in _TAG.split(html):
        if token.startswith("<a ") or token == "<a>":
            depth += 1
        elif token == "</a>":
            depth -= 1
        elif depth and not token.startswith("<"):
            count += len(unescape(token).strip())
    return count


def text_block(kind: str, builder: InlineBuilder) -> Block | None:
    """A block from a finished builder, or None when it holds no text."""
    html, text = builder.result()
    if not text:
        return None
    return Block(kind, html, text, builder.link_chars)


def list_block(kind: str, items: Sequence[InlineBuilder]) -> Block | None:
    """A ``ul``/``ol`` block from its items' builders; empty items are dropped."""
    done = [item.result() for item in items]
    kept = [(html, text) for html, text in done if text]
    if not kept:
        return None
    html = "".join(f"<li>{h}</li>" for h, _ in kept)
    links = sum(item.link_chars for item in items)
    return Block(kind, html, "\n".join(t for _, t in kept), links)


def figure_block(src: str, alt: str, caption: InlineBuilder | None) -> Block:
    """A figure block: one image and an optional caption."""
    img = f'<img src="{escape(src, quote=True)}" alt="{escape(alt, quote=True)}">'
    cap_html, cap_text = caption.result() if caption else ("", "")
    html = img + (f"<figcaption>{cap_html}</figcaption>" if cap_text else "")
    return Block("figure", html, cap_text, caption.link_chars if caption else 0)


def render_html(blocks: Iterable[Block]) -> str:
    """The article's HTML: one element per block, in order, joined by newlines."""
    return "\n".join(f"<{b.kind}>{b.html}</{b.kind}>" for b in blocks)


def render_text(blocks: Iterable[Block]) -> str:
    """The article's plain text: one paragraph per line (list items each on their own line).

    Figures are left out: a caption is not part of the running text (it stays in the HTML).
    """
    return "\n".join(b.text for b in blocks if b.kind != "figure")
