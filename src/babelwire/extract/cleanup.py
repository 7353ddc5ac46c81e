"""Rules that remove what main-text extractors leave around an article body.

Each rule is small and general (no per-site knowledge):

- the headline: headings that repeat the title (which the metadata carries); a long heading
  before the first paragraph is the standfirst and becomes a paragraph;
- link lists and link-only paragraphs (related articles, "read more" teasers), and a trailing
  run of teasers (linked headings with short summaries);
- byline and dateline lines near the start or end ("Marcos Ibáñez · Valencia · 22/09/2024");
- edge trimming by agreement: blocks at the start or end of the body that a second, independent
  extractor (readability-lxml) did not find are dropped. Extractors disagree most at the edges,
  where promos, newsletter boxes and author notes sit, and agree on the body itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from itertools import pairwise

from babelwire.extract.blocks import HEADINGS, Block

_WORD = re.compile(r"\w+")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2})\b")

LINK_LIST_DENSITY = 0.8
LINK_PARAGRAPH_DENSITY = 0.9
TEASER_MAX_WORDS = 40
TEASER_LINK_DENSITY = 0.5
BYLINE_MAX_WORDS = 15
BODY_PARAGRAPH_WORDS = 20
EDGE_COVERAGE = 0.5
AGREEMENT_MIN = 0.7
LEAD_PROSE_WORDS = 20
DECK_MIN_WORDS = 12


def fold(text: str) -> str:
    """Text reduced to lower-case words, for comparisons that ignore case and punctuation."""
    return " ".join(_WORD.findall(text.casefold()))


def drop_headline(blocks: Sequence[Block], title: str) -> list[Block]:
    """Remove headings that repeat the title (equal to it, or one containing the other).

    A heading of ``DECK_MIN_WORDS`` words or more before any other block is a standfirst: it is
    kept, as a paragraph.
    """
    folded_title = fold(title)
    kept: list[Block] = []
    for block in blocks:
        if block.kind in HEADINGS:
            folded = fold(block.text)
            if folded and folded_title and (folded in folded_title or folded_title in folded):
                continue
            if not kept and block.words >= DECK_MIN_WORDS:
                block = Block("p", block.html, block.text, block.link_chars)
        kept.append(block)
    return kept


def drop_link_blocks(blocks: Sequence[Block]) -> list[Block]:
    """Remove lists that are mostly links and paragraphs that are nothing but a link."""
    return [
        b for b in blocks
        if not (b.kind in {"ul", "ol"} and b.link_density > LINK_LIST_DENSITY)
        and not (b.kind == "p" and b.link_density > LINK_PARAGRAPH_DENSITY)
    ]


def drop_teaser_tail(blocks: Sequence[Block]) -> list[Block]:
    """Remove a trailing run of teasers: linked headings, each with a short summary.

    From the end, the run takes headings and paragraphs shorter than ``TEASER_MAX_WORDS``; when
    it holds at least two headings that are mostly link text (other articles' titles), it is cut
    from its first heading on ("More columns", then title + summary pairs).
    """
    start = len(blocks)
    while start > 0 and (blocks[start - 1].kind in HEADINGS
                         or blocks[start - 1].words < TEASER_MAX_WORDS):
        start -= 1
    tail = blocks[start:]
    linked = [b for b in tail if b.kind in HEADINGS and b.link_density >= TEASER_LINK_DENSITY]
    if len(linked) < 2:
        return list(blocks)
    first_heading = next(i for i, b in enumerate(tail) if b.kind in HEADINGS)
    return list(blocks[:start + first_heading])


def _is_byline(block: Block, authors: Sequence[str], published: datetime | None) -> bool:
    """A short line naming the author or giving the publication date."""
    if block.kind == "figure" or block.words > BYLINE_MAX_WORDS:
        return False
    folded = fold(block.text)
    if any(fold(a) and fold(a) in folded for a in authors):
        return True
    if _NUMERIC_DATE.search(block.text):
        return True
    if published is None:
        return False
    words = set(folded.split())
    return str(published.year) in words and str(published.day) in words


def drop_bylines(blocks: Sequence[Block], authors: Sequence[str],
                 published: datetime | None) -> list[Block]:
    """Remove byline/dateline lines before the first and after the last body paragraph."""
    body = [i for i, b in enumerate(blocks) if b.kind == "p" and b.words >= BODY_PARAGRAPH_WORDS]
    if not body:
        return list(blocks)
    first, last = body[0], body[-1]
    return [
        b for i, b in enumerate(blocks)
        if first <= i <= last or not _is_byline(b, authors, published)
    ]


def _bigrams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text)
    if len(words) < 2:
        return {tuple(words)} if words else set()
    return set(pairwise(words))


def _covered(block: Block, reference: set[tuple[str, ...]]) -> bool:
    grams = _bigrams(block.text)
    return not grams or len(grams & reference) / len(grams) >= EDGE_COVERAGE


def trim_edges(blocks: Sequence[Block], reference_text: str) -> list[Block]:
    """Drop leading and trailing blocks absent from ``reference_text`` (another extractor's output).

    Nothing is trimmed when the two extractors disagree on the body as a whole (less than half of
    this body's word pairs in the reference): the reference then found something else.
    """
    reference = _bigrams(reference_text) | {(w,) for w in _WORD.findall(reference_text)}
    if not agree(blocks, reference_text):
        return list(blocks)
    flags = [_covered(b, reference) for b in blocks]
    if not any(flags):
        return list(blocks)
    start = flags.index(True)
    end = len(flags) - flags[::-1].index(True)
    # Leading paragraphs of running text are kept even where the reference missed them (a lead
    # often sits in another container than the rest); trimming stops at the first short block.
    while start > 0 and _prose(blocks[start - 1], LEAD_PROSE_WORDS):
        start -= 1
    return list(blocks[start:end])


def agree(blocks: Sequence[Block], reference_text: str) -> bool:
    """Whether the reference found the same body: it holds at least ``AGREEMENT_MIN`` of this
    body's word pairs."""
    ours = _bigrams(" ".join(b.text for b in blocks if b.kind != "figure"))
    return bool(ours) and len(ours & _bigrams(reference_text)) / len(ours) >= AGREEMENT_MIN


def _prose(block: Block, min_words: int) -> bool:
    """A paragraph of running text (a "heading" that long is a paragraph too)."""
    return block.kind in {"p", *HEADINGS} and block.words >= min_words and block.link_density < 0.2
