"""Per-site template learning: blocks that repeat across a site's articles are furniture.

What is remembered: for each site (host name without ``www.``), the candidate blocks of its recent
pages (``window`` pages, newest last), each block reduced by :func:`~babelwire.extract.cleanup.fold`
(lower-case words only). :class:`SiteFurniture` is that memory; :class:`InMemoryFurniture` keeps it
in a dict, a store-backed one keeps it in a table.

The rule that tells furniture from text that legitimately repeats:

1. Pages are grouped into *stories*: the same key (canonical URL), or block sets that overlap by at
   least half (Jaccard >= 0.5: an updated version, an AMP copy, a wire story seen twice), count as
   one story. A correction notice repeated on two versions of one article is seen once.
2. A block of the current page is furniture when a matching block (same folded text, or for blocks
   of 6+ words a word-trigram Jaccard >= 0.6, so that "15 countries" vs "18 countries" still
   matches) appears in at least one *other* story, and the stories holding it are more than half
   (``min_share``) of the site's stories in memory, the current one included.

So a notice, a "subscribe" call or an "About us" paragraph that the site puts on every article is
removed from the second article on (and from the first too when several pages of the site are
learned at once), while a correction notice, a series standfirst or a quote that recurs on a
minority of the site's stories is kept. Weakness: with only two or three stories of a site in
memory, a block shared by two of them is taken as furniture.

The same memory keeps, apart, the segments of each page that the block model may add to the
candidate blocks (:func:`~babelwire.extract.combine.may_add`), and judges them by the same rule
(:func:`recurring_additions`; a match may be another page's block or addition), so that the
model does not add a site's template text that trafilatura left out (a standfirst that is the
same on every page). The candidate blocks alone decide which pages are one story, and the
candidate blocks' furniture (:func:`furniture`) is judged against candidate blocks only, as
before the additions were kept: it is one of the block model's features.

The same memory teaches the site's own labels (:func:`recurring_labels`): the first two to
``LABEL_MAX_WORDS`` words of a short block ("Lire aussi sur Regards.fr", "El Comercio
recomienda") that start a short block on more than ``min_share`` of the site's stories, whatever
follows them (another headline each time). A learned label is then used like the
labels of :data:`~babelwire.extract.cleanup.RELATED_LABELS`: the block it starts is furniture
only when it is otherwise a link, a headline or nothing much (:func:`~babelwire.extract.cleanup.
drop_related`), so a phrase that merely opens many paragraphs is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from babelwire.exceptions import ExtractError
from babelwire.extract.blocks import Block
from babelwire.extract.cleanup import MAX_BLOCK_CHARS, fold
from babelwire.extract.combine import may_add
from babelwire.extract.features import Segment, page_segments
from babelwire.extract.source import ParsedPage, parse_page
from babelwire.models import PageBlocks

STORY_OVERLAP = 0.5
NEAR_MATCH = 0.6
NEAR_MATCH_MIN_WORDS = 6
LABEL_MIN_WORDS = 2
LABEL_MAX_WORDS = 4
LABELLED_MAX_WORDS = 30
_WWW = re.compile(r"^www\d*\.")


def page_blocks(key: str, blocks: Sequence[Block], addable: Sequence[Segment] = ()) -> PageBlocks:
    """Remember ``blocks`` (figures left out) under ``key``, and the segments the block model
    may add to them (``addable``) that are not among them; each text is capped in length."""
    folded = (fold(b.text)[:MAX_BLOCK_CHARS] for b in blocks if b.kind != "figure")
    kept = tuple(dict.fromkeys(f for f in folded if f))
    added = (fold(s.text)[:MAX_BLOCK_CHARS] for s in addable)
    return PageBlocks(key, kept, tuple(dict.fromkeys(f for f in added if f and f not in kept)))


def remembered(parsed: ParsedPage) -> PageBlocks:
    """:func:`page_blocks` of a parsed page, made once per page (kept with it): a batch
    remembers each of its pages before extracting it, and the extraction remembers it again."""
    made = parsed.derived.get("remembered")
    if not isinstance(made, PageBlocks):
        addable = may_add(parsed.blocks, page_segments(parsed))
        made = parsed.derived["remembered"] = page_blocks(parsed.key, parsed.blocks, addable)
    return made


class SiteFurniture(Protocol):
    """Memory of the recent pages of each site, from which furniture is learned.

    A store-backed implementation keeps one row per (site, page key): see the package report for
    the table. ``remember`` must replace an earlier row with the same key and keep only the most
    recent ``window`` pages of a site, so that running a page twice changes nothing.
    """

    min_share: float
    """Share of the site's stories a block must be in to be furniture (see the module doc)."""

    def pages(self, site: str) -> Sequence[PageBlocks]:
        """The remembered pages of ``site``, oldest first."""
        ...

    def remember(self, site: str, page: PageBlocks) -> None:
        """Add ``page`` to the memory of ``site`` (replacing a page with the same key)."""
        ...


class InMemoryFurniture:
    """A :class:`SiteFurniture` kept in a dict; what a run or a test uses without a store."""

    def __init__(self, *, window: int = 50, min_share: float = 0.5) -> None:
        self.window = window
        self.min_share = min_share
        self._pages: dict[str, dict[str, PageBlocks]] = {}

    def pages(self, site: str) -> Sequence[PageBlocks]:
        """The remembered pages of ``site``, oldest first."""
        return tuple(self._pages.get(site, {}).values())

    def remember(self, site: str, page: PageBlocks) -> None:
        """Add ``page`` to ``site``'s memory, dropping the oldest pages beyond the window."""
        site_pages = self._pages.setdefault(site, {})
        site_pages.pop(page.key, None)
        site_pages[page.key] = page
        while len(site_pages) > self.window:
            site_pages.pop(next(iter(site_pages)))


def site_of(url: str) -> str:
    """The site a URL belongs to: its host name, lower-case, without a leading ``www.``."""
    host = (urlsplit(url).hostname or "").lower()
    return _WWW.sub("", host)


def _trigrams(text: str) -> frozenset[tuple[str, ...]]:
    words = text.split()
    return frozenset(zip(words, words[1:], words[2:], strict=False))


def _jaccard(a: AbstractSet[object], b: AbstractSet[object]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _stories(pages: Sequence[PageBlocks]) -> list[int]:
    """Story id of each page: near-duplicate pages (block Jaccard >= 0.5) share one id."""
    ids = list(range(len(pages)))
    sets = [set(p.blocks) for p in pages]
    for i in range(len(pages)):
        for j in range(i):
            if pages[i].key == pages[j].key or _jaccard(sets[i], sets[j]) >= STORY_OVERLAP:
                ids[i] = ids[j]
                break
    return ids


class _BlockIndex:
    """Which stories hold a block equal or near to a given folded text: among the pages'
    candidate blocks, or among their blocks and addable segments."""

    def __init__(self, pages: Sequence[PageBlocks], story_ids: Sequence[int]) -> None:
        self.exact: dict[str, set[int]] = {}
        self.exact_added: dict[str, set[int]] = {}
        # long texts: (trigrams, story, whether an addable segment), and the entries holding
        # each trigram (a text near another shares a trigram with it: only those are compared)
        self.long: list[tuple[frozenset[tuple[str, ...]], int, bool]] = []
        self.holding: dict[tuple[str, ...], list[int]] = {}
        for page, story in zip(pages, story_ids, strict=True):
            for texts, exact, added in ((page.blocks, self.exact, False),
                                        (page.additions, self.exact_added, True)):
                for text in texts:
                    exact.setdefault(text, set()).add(story)
                    if len(text.split()) >= NEAR_MATCH_MIN_WORDS:
                        grams = _trigrams(text)
                        for gram in grams:
                            self.holding.setdefault(gram, []).append(len(self.long))
                        self.long.append((grams, story, added))

    def stories_with(self, text: str, additions: bool = False) -> set[int]:
        """Ids of the stories holding ``text`` or a block near it (with ``additions``, or an
        addable segment)."""
        found = set(self.exact.get(text, set()))
        if additions:
            found.update(self.exact_added.get(text, set()))
        if len(text.split()) >= NEAR_MATCH_MIN_WORDS:
            grams = _trigrams(text)
            for entry in {e for gram in grams for e in self.holding.get(gram, ())}:
                other, story, added = self.long[entry]
                if story not in found and (additions or not added) and _near(grams, other):
                    found.add(story)
        return found


def _near(a: AbstractSet[object], b: AbstractSet[object]) -> bool:
    """``_jaccard(a, b) >= NEAR_MATCH``, without building the union, and without even the
    intersection when the sizes alone rule it out (the share cannot exceed the smaller size
    over the larger)."""
    sizes = sorted((len(a), len(b)))
    if not sizes[1] or sizes[0] / sizes[1] < NEAR_MATCH:
        return False
    common = len(a & b)
    return common / (sizes[0] + sizes[1] - common) >= NEAR_MATCH


def furniture(page: PageBlocks, memory: Sequence[PageBlocks], *,
              min_share: float = 0.5) -> frozenset[str]:
    """The folded texts of ``page``'s blocks that the rule above calls furniture."""
    return _recurring(page, memory, min_share)[0]


def recurring_additions(page: PageBlocks, memory: Sequence[PageBlocks], *,
                        min_share: float = 0.5) -> frozenset[str]:
    """The folded texts of the segments the block model may add to ``page`` that the rule above
    calls furniture, matched against the other pages' blocks and addable segments."""
    return _recurring(page, memory, min_share)[1]


def _recurring(page: PageBlocks, memory: Sequence[PageBlocks],
               min_share: float) -> tuple[frozenset[str], frozenset[str]]:
    """:func:`furniture` and :func:`recurring_additions` of ``page``, from one index."""
    others = [p for p in memory if p.key != page.key]
    if not others:
        return frozenset(), frozenset()
    story_ids = _stories([*others, page])
    own_story = story_ids[-1]
    total = len(set(story_ids))
    index = _BlockIndex(others, story_ids[:-1])

    def judged(texts: Sequence[str], additions: bool) -> frozenset[str]:
        found = set()
        for text in texts:
            stories = index.stories_with(text, additions) - {own_story}
            if stories and (len(stories) + 1) / total > min_share:
                found.add(text)
        return frozenset(found)

    return judged(page.blocks, False), judged(page.additions, True)


def _label_candidates(text: str) -> list[str]:
    """The leading 2 to ``LABEL_MAX_WORDS`` words of a short folded block, shorter than it."""
    words = text.split()
    if len(words) > LABELLED_MAX_WORDS:
        return []
    last = min(LABEL_MAX_WORDS, len(words) - 1)
    return [" ".join(words[:n]) for n in range(LABEL_MIN_WORDS, last + 1)]


def recurring_labels(page: PageBlocks, memory: Sequence[PageBlocks], *,
                     min_share: float = 0.5) -> frozenset[str]:
    """The leading words of ``page``'s short blocks that start a short block on more than
    ``min_share`` of the site's stories (the current one included); see the module doc."""
    others = [p for p in memory if p.key != page.key]
    if not others:
        return frozenset()
    story_ids = _stories([*others, page])
    own_story = story_ids[-1]
    holders: dict[str, set[int]] = {}
    for other, story in zip(others, story_ids, strict=False):
        for text in other.blocks:
            for label in _label_candidates(text):
                holders.setdefault(label, set()).add(story)
    total = len(set(story_ids))
    found = set()
    for text in page.blocks:
        for label in _label_candidates(text):
            stories = holders.get(label, set()) - {own_story}
            if stories and (len(stories) + 1) / total > min_share:
                found.add(label)
    return frozenset(found)


@dataclass(frozen=True)
class Learned:
    """What a site's memory says about one of its pages: the folded texts of its furniture
    blocks (:func:`furniture`), the site's labels it holds (:func:`recurring_labels`) and the
    folded texts of the segments the block model must not add (:func:`recurring_additions`)."""

    blocks: frozenset[str] = frozenset()
    labels: frozenset[str] = frozenset()
    additions: frozenset[str] = frozenset()


def learn(page: PageBlocks, memory: Sequence[PageBlocks], *, min_share: float = 0.5) -> Learned:
    """All that the site's ``memory`` says about ``page`` (see :class:`Learned`)."""
    blocks, additions = _recurring(page, memory, min_share)
    return Learned(blocks, recurring_labels(page, memory, min_share=min_share), additions)


def remove_furniture(blocks: Sequence[Block], templates: frozenset[str]) -> list[Block]:
    """``blocks`` without those whose folded text is in ``templates``."""
    if not templates:
        return list(blocks)
    return [b for b in blocks
            if b.kind == "figure" or fold(b.text)[:MAX_BLOCK_CHARS] not in templates]


def remember_pages(pages: Sequence[ParsedPage], templates: SiteFurniture) -> None:
    """Add each parsed page's candidate blocks to its site's memory."""
    for parsed in pages:
        templates.remember(site_of(parsed.url), remembered(parsed))


def learn_templates(pages: Sequence[tuple[bytes | str, str]], templates: SiteFurniture, *,
                    encoding: str | None = None) -> list[ParsedPage]:
    """Learn from several pages (``(page, url)`` pairs) at once, e.g. a feed's new items.

    Each page is parsed and remembered under its site; pages that are not HTML are skipped. The
    parsed pages are returned so that :func:`babelwire.extract.article.article_from_page` can use
    them without parsing again. After this, the first of these pages is already cleaned of the
    furniture it shares with the others.
    """
    parsed = []
    for page, url in pages:
        try:
            parsed.append(parse_page(page, url, encoding=encoding))
        except ExtractError:
            continue
    remember_pages(parsed, templates)
    return parsed
