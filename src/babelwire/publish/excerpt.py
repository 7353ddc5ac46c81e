"""What a reader is shown of an article's body under its republishing mode.

``full`` shows the whole (sanitised) body; ``excerpt`` its first paragraph, cut at a word to
the ``max-snippet`` length the page's robots directives allow; ``headline`` and ``none`` show
no body at all. The cut works on HTML that ``sanitize.clean_html`` already made safe, so what it
returns is safe too.
"""

from __future__ import annotations

from html import escape

from babelwire.models import Mode, Policy
from babelwire.publish.sanitize import block_text, blocks

ELLIPSIS = "…"


def cut_body(html: str, policy: Policy) -> str:
    """The part of the sanitised ``html`` that ``policy`` lets a reader see."""
    if policy.mode == Mode.FULL:
        return html
    if policy.mode != Mode.EXCERPT:
        return ""
    first = first_paragraph(html)
    if policy.max_chars is None:
        return first
    text = " ".join(block_text(first).split())
    if len(text) <= policy.max_chars:
        return first
    return f"<p>{escape(shorten(text, policy.max_chars), quote=False)}</p>" \
        if policy.max_chars > 0 else ""


def first_paragraph(html: str) -> str:
    """The first paragraph of a sanitised body with words in it (its first block else)."""
    found = blocks(html)
    paragraphs = [b for b in found if b.startswith("<p") and block_text(b).strip()]
    return (paragraphs or found or [""])[0]


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut at a word, with an ellipsis if cut."""
    if len(text) <= limit:
        return text
    room = text[:max(0, limit - len(ELLIPSIS))]
    cut = room.rsplit(" ", 1)[0] if " " in room else room
    return cut.rstrip(" ,;:") + ELLIPSIS
