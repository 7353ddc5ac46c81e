"""The page's DOM blocks, and what the block model (:mod:`~babelwire.extract.classifier`) reads.

A *segment* is a block-level element of the parsed page (``p``, ``h1``-``h6``, ``li``, ``td``,
``div`` …) that holds no other block-level element, with its text. Segments are read from the tree
that :func:`~babelwire.extract.source.parse_page` already parsed, in one walk.

Each segment gets :data:`FEATURES`: its size and its link, punctuation and digit density; its
tag and depth; its place in the page and its distance from the first ``h1``; the words of the
class and id of the element and of its ancestors (grouped: content, navigation, comments,
sharing, related, promotion, newsletter, caption, byline, tag); the landmark elements it sits in
(``article``, ``nav``, ``footer`` …); its neighbours' size and link density and how much text its
parent holds; whether trafilatura's candidate body holds its text, where it stands against that
body (before, within or after its span, how far from its nearest segment, between two of them)
and how much of that body its parent and the two ancestors above hold; how many of its words
the page's title and description share; and whether the site's memory
(:mod:`~babelwire.extract.furniture`) knows it as furniture or it starts with a related-link
label.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from lxml import etree

from babelwire.extract.blocks import Block, collapse
from babelwire.extract.cleanup import MAX_BLOCK_CHARS, fold, label_end
from babelwire.extract.runs import HIDDEN, wrap_runs
from babelwire.extract.source import ParsedPage

SEGMENT_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dd", "dt", "pre",
                "blockquote", "figcaption", "caption", "address", "div", "section", "article",
                "header", "footer", "aside", "main", "nav", "form", "ul", "ol", "table", "tr",
                "dl", "figure")
_SKIP = HIDDEN
_TAG_GROUPS = {"p": 0, "h1": 1, "h2": 2, "h3": 2, "h4": 2, "h5": 2, "h6": 2, "li": 3, "td": 4,
               "th": 4, "div": 5, "section": 5, "article": 5, "blockquote": 6, "pre": 6}
_TAG_SLOTS = 8  # the groups above, and one for any other tag
_LANDMARKS = ("article", "main", "nav", "footer", "header", "aside", "form", "figure", "ul",
              "table", "a")
_WORD_GROUPS: dict[str, tuple[str, ...]] = {
    "content": ("article", "content", "body", "story", "post", "text", "entry", "main", "prose",
                "paragraph", "detail", "lead", "chapo", "texto", "cuerpo", "artikel", "inhalt"),
    "navigation": ("nav", "menu", "breadcrumb", "breadcrumbs", "header", "masthead", "skip",
                   "pagination", "pager", "navbar", "topbar"),
    "footer": ("footer", "copyright", "legal", "disclaimer", "foot", "colophon"),
    "comments": ("comment", "comments", "reply", "replies", "disqus", "discussion", "respond"),
    "sharing": ("share", "sharing", "social", "facebook", "twitter", "whatsapp", "print",
                "email", "mail", "tools", "toolbar", "buttons"),
    "related": ("related", "recommended", "recommend", "more", "read", "popular", "trending",
                "teaser", "teasers", "also", "similar", "next", "prev", "latest", "most", "list",
                "card", "cards", "feed", "tease", "outbrain", "taboola", "lire", "leer"),
    "promotion": ("ad", "ads", "advert", "advertisement", "banner", "promo", "sponsor",
                  "sponsored", "dfp", "gpt", "commercial", "publicite", "anzeige", "publicidad",
                  "partner", "affiliate"),
    "newsletter": ("newsletter", "subscribe", "subscription", "signup", "register", "login",
                   "paywall", "premium", "abo", "cookie", "cookies", "consent", "gdpr", "modal",
                   "popup", "overlay"),
    "caption": ("caption", "credit", "credits", "figure", "photo", "image", "img", "media",
                "gallery", "video", "legend", "figcaption", "wp"),
    "byline": ("byline", "author", "authors", "date", "time", "meta", "dateline", "timestamp",
               "published", "updated", "info", "autor", "auteur"),
    "labels": ("tag", "tags", "topic", "topics", "category", "categories", "label", "kicker",
               "keyword", "keywords", "rubrik", "rubrique", "section", "overline", "eyebrow"),
    "sidebar": ("sidebar", "aside", "widget", "rail", "column", "col", "secondary", "right",
                "left", "box", "module", "block"),
}
_GROUP_NAMES = tuple(_WORD_GROUPS)
_WORD_TO_GROUP = {word: i for i, name in enumerate(_GROUP_NAMES) for word in _WORD_GROUPS[name]}
_CLASS_WORD = re.compile(r"[a-z]+")
_PUNCT = re.compile(r"[.,;:!?¿¡…]")
_SENTENCE_END = re.compile(r"[.!?…][\"'”»)]?(?:\s|$)")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"\w+")
_CONTAINER_LEVELS = 3
_FAR = 99

FEATURES: tuple[str, ...] = (
    "log_chars", "log_words", "link_density", "punct_density", "sentence_ends", "ends_sentence",
    "digit_density", "mean_word_len", "depth", "position", "char_position", "after_h1",
    "from_h1", "in_candidate", "near_candidate", "furniture", "related_label", "title_overlap",
    "prev_log_chars", "next_log_chars", "prev_link_density", "next_link_density",
    "parent_log_chars", "parent_segments", "sibling_index",
    *(f"tag_{i}" for i in range(_TAG_SLOTS)),
    *(f"own_{name}" for name in _GROUP_NAMES),
    *(f"up_{name}" for name in _GROUP_NAMES),
    *(f"in_{name}" for name in _LANDMARKS),
    "cluster_side", "cluster_distance", "between_kept",
    *(f"container_share_{level}" for level in range(1, _CONTAINER_LEVELS + 1)),
    "description_overlap",
)


@dataclass(frozen=True)
class Segment:
    """One leaf block of the page: its element, tag, text and the characters inside links;
    ``run``: a paragraph made of text that no block element held (see
    :mod:`~babelwire.extract.runs`)."""

    element: etree._Element
    tag: str
    text: str
    link_chars: int
    depth: int
    run: bool = False


def _tag(element: etree._Element) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def segments(tree: etree._Element, runs: Collection[etree._Element] = ()) -> list[Segment]:
    """The page's leaf blocks with text, in document order (those among ``runs``, the
    paragraphs :func:`~babelwire.extract.runs.wrap_runs` made, marked ``run``).

    One walk: each block element marks its ancestors as holding a block (stopping at one already
    marked), so the leaves are the elements never marked; a leaf's depth, and whether it sits
    inside an element that shows no text (:data:`_SKIP`), come from its parent's."""
    blocks = list(tree.iter(*SEGMENT_TAGS))
    holding: set[etree._Element] = set()
    for element in blocks:
        parent = element.getparent()
        while parent is not None and parent not in holding:
            holding.add(parent)
            parent = parent.getparent()
    out = []
    # depth (ancestors up to the document's root) and "inside a _SKIP element of the tree"
    placed = {tree: (sum(1 for _ in tree.iterancestors()), False)}
    for element in blocks:
        if element in holding:
            continue
        depth, hidden = _place(element, placed)
        if hidden:
            continue
        text = collapse(element.text_content())
        if not text:
            continue
        links = sum(len(collapse(a.text_content())) for a in element.iter("a")) \
            if next(element.iter("a"), None) is not None else 0
        out.append(Segment(element, _tag(element), text, min(links, len(text)), depth,
                           element in runs))
    return out


def page_segments(parsed: ParsedPage) -> list[Segment]:
    """:func:`segments` of a parsed page, made once per page (kept with it): the site's memory
    reads them when it remembers the page, before the block model scores them. The page's text
    that no block element holds, where it stands beside trafilatura's body, is first put in
    paragraphs of its own, in the parsed tree (:func:`~babelwire.extract.runs.wrap_runs`):
    those segments are marked ``run``. Unless :func:`own_segments` made them first."""
    made = parsed.derived.get("segments")
    if not isinstance(made, list):
        body = {line for b in parsed.blocks for line in b.text.split("\n")}
        wrapped = wrap_runs(parsed.tree, SEGMENT_TAGS, body)
        made = parsed.derived["segments"] = segments(parsed.tree, wrapped)
    return made


def own_segments(parsed: ParsedPage) -> list[Segment]:
    """The page's segments made of its own block elements only, no runs, and kept as its
    :func:`page_segments` for every later step (training reads pages so:
    :func:`babelwire.extract.training.page_rows`). To be called before any other step reads
    them: runs already wrapped are in the tree."""
    made = parsed.derived.get("segments")
    if not isinstance(made, list):
        made = parsed.derived["segments"] = segments(parsed.tree)
    elif any(s.run for s in made):
        raise ValueError(f"{parsed.url}: its segments were made with runs already")  # a bug
    return made


def _place(element: etree._Element,
           placed: dict[etree._Element, tuple[int, bool]]) -> tuple[int, bool]:
    """How many ancestors ``element`` has, and whether one of them below the tree's root (or
    the root) is a :data:`_SKIP` element; ``placed`` holds those of the elements already met,
    the tree's root first (segments share their ancestors: each is reached once)."""
    chain = []
    node = element
    while node not in placed:
        chain.append(node)
        node = node.getparent()
    depth, hidden = placed[node]
    skip = node.tag in _SKIP
    for met in reversed(chain):
        depth, hidden = depth + 1, hidden or skip
        placed[met] = (depth, hidden)
        skip = met.tag in _SKIP
    return depth, hidden


def _words_of(element: etree._Element) -> tuple[int, ...]:
    """Group indexes of the words in ``element``'s class and id."""
    class_, id_ = element.get("class"), element.get("id")
    if class_ is None and id_ is None:
        return ()
    return _groups_of(f"{class_ or ''} {id_ or ''}")


@lru_cache(maxsize=4096)
def _groups_of(names: str) -> tuple[int, ...]:
    """Group indexes of the words in a class and id (pages repeat their classes: read once)."""
    return tuple(g for w in _CLASS_WORD.findall(names.lower())
                 if (g := _WORD_TO_GROUP.get(w)) is not None)


class _Context:
    """What is shared by the segments of one page: ancestor readings, candidate text, title."""

    def __init__(self, candidate: Sequence[Block], furniture: frozenset[str], title: str) -> None:
        self.candidate = "\n".join(b.text for b in candidate if b.kind != "figure")
        self.candidate_lines = {line for b in candidate for line in b.text.split("\n")}
        self.furniture = furniture
        self.title_words = set(_WORD.findall(title.lower()))
        self._ancestors: dict[etree._Element, tuple[list[float], list[float]]] = {}
        self._own: dict[etree._Element, tuple[int, ...]] = {}

    def ancestry(self, element: etree._Element) -> tuple[list[float], list[float]]:
        """Word groups found on ``element`` and above it, and the landmarks it sits in (an
        element that adds none shares its parent's lists: they are never changed)."""
        known = self._ancestors.get(element)
        if known is not None:
            return known
        parent = element.getparent()
        if parent is None:
            groups, marks = [0.0] * len(_GROUP_NAMES), [0.0] * len(_LANDMARKS)
        else:
            groups, marks = self.ancestry(parent)
        own = self._own[element] = _words_of(element)
        if own:
            groups = list(groups) if parent is not None else groups
            for g in own:
                groups[g] = 1.0
        tag = _tag(element)
        if tag in _LANDMARKS:
            marks = list(marks) if parent is not None else marks
            marks[_LANDMARKS.index(tag)] = 1.0
        self._ancestors[element] = (groups, marks)
        return groups, marks

    def own_words(self, element: etree._Element) -> tuple[int, ...]:
        """The word groups of ``element``'s own class and id (after :meth:`ancestry`)."""
        return self._own[element]


def _log(value: float) -> float:
    return math.log1p(value)


def _text_features(text: str, link_chars: int, words: list[str]) -> list[float]:
    """The features of a segment's text (``words``: its :data:`_WORD` matches)."""
    chars = len(text)
    return [_log(chars), _log(len(words)), link_chars / chars,
            len(_PUNCT.findall(text)) / chars, float(len(_SENTENCE_END.findall(text))),
            float(text[-1] in ".!?…\"”»"), len(_DIGIT.findall(text)) / chars,
            sum(map(len, words)) / max(len(words), 1)]


def _lower_words(text: str, words: list[str]) -> set[str]:
    """The words of ``text`` in lower case, as :data:`_WORD` finds them in ``text.lower()``.
    From ``words`` (its words), except when the text holds the one character whose lower
    case is not all word characters or all not (U+0130, "İ": "i" and a combining dot)."""
    if "\u0130" in text:
        return set(_WORD.findall(text.lower()))
    return {w.lower() for w in words}


def _parents(segs: Sequence[Segment]) -> dict[etree._Element | None, tuple[int, int]]:
    totals: dict[etree._Element | None, tuple[int, int]] = {}
    for seg in segs:
        parent = seg.element.getparent()
        chars, count = totals.get(parent, (0, 0))
        totals[parent] = (chars + len(seg.text), count + 1)
    return totals


def page_features(segs: Sequence[Segment], candidate: Sequence[Block], title: str,
                  furniture: frozenset[str] = frozenset(),
                  description: str = "") -> list[list[float]]:
    """One row of :data:`FEATURES` per segment of ``segs``.

    ``candidate`` is trafilatura's body as blocks, ``title`` the page's title, ``furniture`` the
    folded texts the site's memory knows as furniture, ``description`` the page's description
    (its ``og:description`` or ``<meta name="description">``).
    """
    context = _Context(candidate, furniture, title)
    description_words = set(_WORD.findall(description.lower()))
    total_chars = max(sum(len(s.text) for s in segs), 1)
    first_h1 = next((i for i, s in enumerate(segs) if s.tag == "h1"), -1)
    parents = _parents(segs)
    rows, seen_chars = [], 0
    last = len(segs) - 1
    no_group = [0.0] * len(_GROUP_NAMES)
    for i, seg in enumerate(segs):
        up, marks = context.ancestry(seg.element)
        own = no_group
        named = context.own_words(seg.element)
        if named:
            own = list(no_group)
            for g in named:
                own[g] = 1.0
        prev_seg, next_seg = segs[max(i - 1, 0)], segs[min(i + 1, last)]
        parent_chars, parent_count = parents[seg.element.getparent()]
        tags = [0.0] * _TAG_SLOTS
        tags[_TAG_GROUPS.get(seg.tag, _TAG_SLOTS - 1)] = 1.0
        in_candidate = seg.text in context.candidate_lines or (
            len(seg.text) > 20 and seg.text in context.candidate)
        found = _WORD.findall(seg.text)
        words = _lower_words(seg.text, found)
        rows.append([
            *_text_features(seg.text, seg.link_chars, found), float(seg.depth), i / max(last, 1),
            seen_chars / total_chars, float(first_h1 >= 0 and i > first_h1),
            (i - first_h1) / 50 if first_h1 >= 0 else 0.0, float(in_candidate), 0.0,
            float(bool(context.furniture)
                  and fold(seg.text)[:MAX_BLOCK_CHARS] in context.furniture),
            float(label_end(seg.text) > 0),
            len(words & context.title_words) / max(len(words), 1),
            _log(len(prev_seg.text)), _log(len(next_seg.text)),
            prev_seg.link_chars / len(prev_seg.text), next_seg.link_chars / len(next_seg.text),
            _log(parent_chars), _log(parent_count), _sibling_index(seg.element),
            *tags, *own, *up, *marks, 0.0, 0.0, 0.0, *([0.0] * _CONTAINER_LEVELS),
            len(words & description_words) / max(len(words), 1) if description_words else -1.0])
        seen_chars += len(seg.text)
    _near_candidate(rows)
    _cluster(rows)
    _container_share(rows, segs)
    return rows


_IN_CANDIDATE = FEATURES.index("in_candidate")
_NEAR_CANDIDATE = FEATURES.index("near_candidate")


def _near_candidate(rows: list[list[float]], reach: int = 3) -> None:
    """Fill ``near_candidate``: the share of the ``reach`` segments on either side that
    trafilatura kept (a block among kept ones is likelier text that it merely missed)."""
    kept = [row[_IN_CANDIDATE] for row in rows]
    for i, row in enumerate(rows):
        window = kept[max(i - reach, 0):i] + kept[i + 1:i + 1 + reach]
        row[_NEAR_CANDIDATE] = sum(window) / len(window) if window else 0.0


_CLUSTER_SIDE = FEATURES.index("cluster_side")
_CONTAINER_SHARE = FEATURES.index("container_share_1")


def _nearest_kept(kept: Sequence[bool]) -> tuple[list[int | None], list[int | None]]:
    """For each index, the nearest kept index before it and after it (None when none)."""
    before: list[int | None] = []
    seen: int | None = None
    for i, flag in enumerate(kept):
        before.append(seen)
        seen = i if flag else seen
    after: list[int | None] = [None] * len(kept)
    seen = None
    for i in range(len(kept) - 1, -1, -1):
        after[i] = seen
        seen = i if kept[i] else seen
    return before, after


def _cluster(rows: list[list[float]]) -> None:
    """Fill the segment's place relative to trafilatura's body: before it (-1), within its span
    (0) or after it (1); its distance in segments to the nearest kept segment; and whether kept
    segments stand on both sides of it (a paragraph trafilatura skipped inside the article)."""
    kept = [bool(row[_IN_CANDIDATE]) for row in rows]
    placed = [i for i, flag in enumerate(kept) if flag]
    before, after = _nearest_kept(kept)
    for i, row in enumerate(rows):
        side = 0.0 if not placed else -1.0 if i < placed[0] else 1.0 if i > placed[-1] else 0.0
        near = [abs(i - j) for j in (before[i], after[i]) if j is not None]
        distance = 0 if kept[i] else min(near, default=_FAR)
        row[_CLUSTER_SIDE:_CLUSTER_SIDE + 3] = [
            side, _log(distance), float(before[i] is not None and after[i] is not None)]


def _container_share(rows: list[list[float]], segs: Sequence[Segment]) -> None:
    """Fill the share of trafilatura's body text held by the segment's parent, grandparent and
    great-grandparent: text in the article's own container, or in a box beside it."""
    held: dict[etree._Element, int] = {}
    total = 0
    for row, seg in zip(rows, segs, strict=True):
        if row[_IN_CANDIDATE]:
            total += len(seg.text)
            for node in islice(seg.element.iterancestors(), _CONTAINER_LEVELS):
                held[node] = held.get(node, 0) + len(seg.text)
    if not total:
        return
    for row, seg in zip(rows, segs, strict=True):
        for level, node in enumerate(islice(seg.element.iterancestors(), _CONTAINER_LEVELS)):
            row[_CONTAINER_SHARE + level] = held.get(node, 0) / total


def _sibling_index(element: etree._Element) -> float:
    parent = element.getparent()
    return 0.0 if parent is None else _log(parent.index(element))
