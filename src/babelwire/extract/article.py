"""Extracting one article from a page: the entry point the pipeline and the CLI call.

Steps: read the page once (:mod:`~babelwire.extract.source`: charset, metadata, trafilatura's
candidate body, the page's kickers); score every segment of the same parsed tree with the block
model (:mod:`~babelwire.extract.features`, :mod:`~babelwire.extract.classifier`) and let it drop
trafilatura's blocks it rejects and add those trafilatura missed
(:mod:`~babelwire.extract.combine`; the site's memory refuses an addition that recurs on its
other pages); drop the teasers of boxes of other stories whose label or heading the page puts
outside the body (:mod:`~babelwire.extract.boxes`) and the site's learned furniture
(:mod:`~babelwire.extract.furniture`); apply the cleanup rules (:mod:`~babelwire.extract.cleanup`:
kickers, headline, related links, link lists, teasers, newsletter boxes, image credits,
bylines), trimming the
edges against the model's reading of the page; fall back to readability-lxml or the model's own body
when the result is weak; put the body's figures back; detect the language.

Fallback rule: trafilatura's cleaned body is used unless it is *weak*, that is shorter than
``MIN_BODY_CHARS`` characters or made mostly of link text. A weak body is replaced by the longest
of readability-lxml's body, the block model's own body
(:func:`~babelwire.extract.combine.model_body`) and the feed item's ``content:encoded`` (each
cleaned by the same rules), if one is longer. When all of these are weak too (a section or
listing page, where neither trafilatura nor the model finds one article), the page's running
text by trafilatura's baseline (its paragraphs, cleaned the same way) is one more candidate, so
such a page keeps its teasers rather than collapsing to a line. Independently, the feed item's
content replaces the page body when it is more than ``FEED_RATIO`` times longer (a paywalled or
script-rendered page shows only a teaser).

A page whose chosen body has fewer than ``MIN_ARTICLE_CHARS`` characters outside links has no
article: :class:`~babelwire.exceptions.ExtractError`.

The article's ``text`` has one block per line: each paragraph, heading and quote on its own line,
and each list item on its own line. Figure captions are in ``html`` only.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from readability import Document as ReadabilityDocument

from babelwire.exceptions import ExtractError
from babelwire.extract import cleanup
from babelwire.extract.blocks import Block, render_html, render_text, visible
from babelwire.extract.boxes import drop_boxed
from babelwire.extract.classifier import BlockModel, shipped_model
from babelwire.extract.combine import combine, model_body, model_text
from babelwire.extract.convert import blocks_from_html
from babelwire.extract.features import Segment, page_features, page_segments
from babelwire.extract.figures import place_figures
from babelwire.extract.furniture import (
    Learned,
    SiteFurniture,
    learn,
    remember_pages,
    remembered,
    remove_furniture,
    site_of,
)
from babelwire.extract.language import detect_language
from babelwire.extract.metadata import PageMetadata
from babelwire.extract.source import ParsedPage, baseline_blocks, parse_page
from babelwire.models import Article, FeedItem

MIN_BODY_CHARS = 250
MIN_ARTICLE_CHARS = 20
MAX_LINK_DENSITY = 0.5
FEED_RATIO = 2.0
MIN_LANG_CONFIDENCE = 0.5
CONFIDENT = 0.9  # a segment the block model scores this high is article text to the link rules


def readability_blocks(parsed: ParsedPage) -> list[Block]:
    """readability-lxml's reading of the page as blocks ([] when it fails)."""
    try:
        summary = ReadabilityDocument(parsed.html, url=parsed.url).summary(html_partial=True)
    except Exception:  # readability raises bare Exceptions ("Document is empty" and the like)
        return []
    return blocks_from_html(summary, parsed.url)


def learned_furniture(parsed: ParsedPage, templates: SiteFurniture | None) -> Learned:
    """Furniture of this page's site, after adding the page to the site's memory."""
    if templates is None:
        return Learned()
    site = site_of(parsed.url)
    page = remembered(parsed)
    templates.remember(site, page)
    return learn(page, templates.pages(site), min_share=templates.min_share)


def _clean(blocks: Sequence[Block], parsed: ParsedPage, learned: Learned,
           confident: Collection[str] = ()) -> list[Block]:
    """The cleanup rules that apply to any extractor's blocks (``confident``: the texts the
    block model is sure of, which no link rule drops)."""
    meta = parsed.metadata
    kept = remove_furniture(blocks, learned.blocks)
    kept = cleanup.drop_kickers(kept, parsed.kickers)
    kept = cleanup.drop_headline(kept, meta.title)
    kept = cleanup.drop_related(kept, learned.labels)
    kept = cleanup.drop_link_blocks(kept, confident)
    kept = cleanup.drop_teaser_tail(kept)
    kept = cleanup.drop_calls_to_action(kept)
    kept = cleanup.drop_credits(kept)
    return cleanup.drop_bylines(kept, meta.authors, meta.published)


def _chars(blocks: Sequence[Block]) -> int:
    return sum(len(b.text) for b in blocks if b.kind != "figure")


def _weak(blocks: Sequence[Block]) -> bool:
    chars = _chars(blocks)
    links = sum(b.link_chars for b in blocks if b.kind != "figure")
    return chars < MIN_BODY_CHARS or links > MAX_LINK_DENSITY * chars


def block_features(parsed: ParsedPage, learned: Learned) -> tuple[list[Segment], list[list[float]]]:
    """The page's segments and the block model's features of each (from the parsed tree)."""
    segs = page_segments(parsed)
    return segs, page_features(segs, parsed.blocks, parsed.metadata.title, learned.blocks,
                               parsed.metadata.description)


@dataclass(frozen=True)
class Judged:
    """The block model's reading of a page: trafilatura's blocks after its drops and additions
    (:mod:`.combine`), the text it takes for the article, and its segments with their scores."""

    blocks: list[Block]
    reference: str
    segments: list[Segment]
    scores: list[float]


def judged_blocks(parsed: ParsedPage, learned: Learned, model: BlockModel) -> Judged:
    """Score the page's segments and combine them with trafilatura's blocks."""
    segs, rows = block_features(parsed, learned)
    probs = model.predict(rows).tolist()
    # the site's furniture is refused as an addition: see the docstring of extract.combine
    refused = learned.blocks | learned.additions
    return Judged(combine(parsed.blocks, segs, probs, parsed.url, model.drop_below,
                          model.add_above, refused), model_text(segs, probs), segs, probs)


def choose_body(parsed: ParsedPage, learned: Learned, feed_item: FeedItem | None,
                model: BlockModel | None = None) -> list[Block]:
    """The cleaned body by the fallback rule in this module's docstring."""
    judged = judged_blocks(parsed, learned, model or shipped_model())
    boxed = drop_boxed(judged.blocks, judged.segments, learned.labels)
    confident = {text for s, p in zip(judged.segments, judged.scores, strict=True)
                 if p >= CONFIDENT for text in (s.text, visible(s.text))}
    main = cleanup.trim_edges(_clean(boxed, parsed, learned, confident), judged.reference)
    feed = _clean(blocks_from_html(feed_item.content_html, parsed.url), parsed, learned) \
        if feed_item and feed_item.content_html else []
    if feed and _chars(feed) > FEED_RATIO * _chars(main):
        return feed
    if not _weak(main):
        return place_figures(main, parsed.tree, parsed.url)
    own = model_body(judged.segments, judged.scores, parsed.url)
    alternatives = [main, _clean(readability_blocks(parsed), parsed, learned), feed,
                    _clean(own, parsed, learned)]
    if all(_weak(blocks) for blocks in alternatives):
        alternatives.append(_clean(baseline_blocks(parsed), parsed, learned))
    return max(alternatives, key=_chars)


def _language(text: str, meta: PageMetadata) -> str:
    lang, confidence = detect_language(text)
    if confidence < MIN_LANG_CONFIDENCE and meta.declared_lang:
        return meta.declared_lang
    return lang


def article_from_page(parsed: ParsedPage, *, feed_item: FeedItem | None = None,
                      templates: SiteFurniture | None = None,
                      model: BlockModel | None = None) -> Article:
    """The :class:`~babelwire.models.Article` of a parsed page (see :func:`extract_article`)."""
    body = choose_body(parsed, learned_furniture(parsed, templates), feed_item, model)
    text = render_text(body)
    own_chars = _chars(body) - sum(b.link_chars for b in body if b.kind != "figure")
    if own_chars < MIN_ARTICLE_CHARS:
        raise ExtractError("no article text found in the page", subject=parsed.url)
    meta = parsed.metadata
    headings = [b.text for b in parsed.blocks if b.kind.startswith("h")]
    return Article(
        url=parsed.url,
        title=meta.title or (feed_item.title if feed_item else "") or next(iter(headings), ""),
        html=render_html(body),
        text=text,
        lang=_language(text, meta),
        author=meta.author or (feed_item.author if feed_item else ""),
        published=meta.published or (feed_item.published if feed_item else None),
        site_name=meta.site_name,
        canonical_url=meta.canonical_url,
        image=meta.image,
        keywords=meta.keywords,
        summary=meta.description,
        rights=parsed.rights,
    )


def extract_article(page: bytes | str, url: str, *, encoding: str | None = None,
                    feed_item: FeedItem | None = None,
                    templates: SiteFurniture | None = None,
                    robots_tag: Sequence[str] = ()) -> Article:
    """Extract the article of ``page`` (the bytes or text of the document fetched from ``url``).

    ``encoding`` is the charset the server declared, if any (see :mod:`babelwire.sources.charset`).
    ``feed_item`` is the feed entry that pointed at the page: its ``content_html`` serves as a
    fallback body and its title, author and date fill gaps. ``templates`` is the per-site memory
    of repeated blocks: the page is added to it and the site's furniture is removed.
    ``robots_tag`` holds the response's X-Robots-Tag headers, read with the page's rights.

    Raises :class:`~babelwire.exceptions.ExtractError` (``subject=url``) when no article is found.
    """
    return article_from_page(parse_page(page, url, encoding=encoding, robots_tag=robots_tag),
                             feed_item=feed_item, templates=templates)


def extract_articles(pages: Sequence[tuple[bytes | str, str]], templates: SiteFurniture, *,
                     encoding: str | None = None,
                     model: BlockModel | None = None) -> list[Article | ExtractError]:
    """Extract several pages of one site at once, learning its furniture from all of them first.

    Each page is parsed once. The result has one entry per page, in order: the article, or the
    :class:`~babelwire.exceptions.ExtractError` that page raised.
    """
    parsed: list[ParsedPage | ExtractError] = []
    for page, url in pages:
        try:
            parsed.append(parse_page(page, url, encoding=encoding))
        except ExtractError as exc:
            parsed.append(exc)
    ready = [p for p in parsed if isinstance(p, ParsedPage)]
    remember_pages(ready, templates)
    results: list[Article | ExtractError] = []
    for item in parsed:
        try:
            results.append(item if isinstance(item, ExtractError)
                           else article_from_page(item, templates=templates, model=model))
        except ExtractError as exc:
            results.append(exc)
    return results

