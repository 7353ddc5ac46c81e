"""Spaces trafilatura loses at the edges of inline elements, put back from the page itself.

trafilatura trims the text next to the inline elements it keeps: ``roundup about <em>Artificial``
comes out as ``roundup about<hi rend="#i">Artificial`` (adbar/trafilatura#661 and #845 are the
same family), which glues two words together in the very way babelwire exists to avoid. The fix
cannot be a rule ("always a space between a word and a tag"): ``Face<em>book</em>`` and drop caps
are words split by markup on purpose. So the page decides: a glued edge gets its space back when
the page's visible text has the two sides separated by whitespace and nowhere joined.
"""

from __future__ import annotations

from lxml import etree

from babelwire.extract.blocks import visible

CONTEXT_CHARS = 24
_SKIP = frozenset({"script", "style", "noscript", "template", "head"})
# Elements a browser shows on a line of their own: text on either side of one is apart.
_BLOCKS = frozenset({"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
                     "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
                     "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table",
                     "td", "th", "tr", "ul"})


def page_text(tree: etree._Element) -> str:
    """The visible text of a page: text of scripts and the like left out, a space at the edges
    of block elements, whitespace collapsed as in extracted blocks."""
    # An explicit stack, not recursion (hostile pages nest deeply), and not lxml's iterwalk,
    # which skips comments and with them the text that follows them.
    parts: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(tree, False)]
    while stack:
        element, closing = stack.pop()
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        tail = element.tail or "" if element is not tree else ""
        if closing or not tag or tag in _SKIP:
            if closing and tag in _BLOCKS:
                parts.append(" ")
            parts.append(tail)
            continue
        if tag in _BLOCKS:
            parts.append(" ")
        parts.append(element.text or "")
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    return visible("".join(parts))


class PageText:
    """The visible text of a page, read once when first needed, to judge glued edges."""

    def __init__(self, tree: etree._Element) -> None:
        self._tree = tree
        self._text: str | None = None

    @property
    def text(self) -> str:
        """The page's visible text (:func:`page_text`)."""
        if self._text is None:
            self._text = page_text(self._tree)
        return self._text

    def separated(self, left: str, right: str) -> bool:
        """Whether the page shows ``left`` and ``right`` apart (and never glued together)."""
        left, right = left[-CONTEXT_CHARS:].lstrip(), right[:CONTEXT_CHARS].rstrip()
        if not left or not right:
            return False
        return f"{left} {right}" in self.text and f"{left}{right}" not in self.text
