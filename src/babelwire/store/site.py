"""What the site, feeds, API and CLI read. Only published translations of published
items are ever returned by the ``published_*`` methods: held, failed and rejected ones never leave
the store through them."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from types import SimpleNamespace
from typing import Any, TypeVarTuple

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    exists,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from babelwire.models import ItemState, Mode, PublishedArticle, TranslationStatus
from babelwire.store.base import StoreBase
from babelwire.store.rows import checks_from_json, rights_from_row
from babelwire.store.tables import ArticleRow, ItemRow, SourceRow, StoryItemRow, TranslationRow

Ts = TypeVarTuple("Ts")
# What a listing row keeps of a translation's text: enough for its summary.
BRIEF_TEXT = 1000
# A keyset position in the newest-first order: (published_at, translation id).
Cursor = tuple[datetime, int]
# Where ``public_changes`` stopped: the newest change seen, and a digest of what readers see of
# the sources (their names and declared modes; not their polling, which changes all the time).
Mark = tuple[datetime | None, int]
# A source declared ``none`` publishes nothing: no page, feed, API answer or search result.
NOTHING = str(Mode.NONE)
# How many rows a page asked by position (the API's ``offset``, the site's numbered pages) may
# skip: skipping costs in proportion to the rows skipped (0.55 s at 30,000 in a
# 100,000-article store); deeper pages go by keyset cursor, which costs the same at any depth.
MAX_SKIP = 1000


# What every view of a published translation shows, bodies aside.
_COMMON: tuple[Any, ...] = (
    TranslationRow.id, TranslationRow.item_id, TranslationRow.lang, TranslationRow.title,
    TranslationRow.title_html, TranslationRow.engine, TranslationRow.notice,
    TranslationRow.published_at, TranslationRow.updated_at, TranslationRow.source_lang,
    TranslationRow.status, TranslationRow.safe_lead, ArticleRow.lang.label("original_lang"),
    ArticleRow.title.label("original_title"), ArticleRow.canonical_url, ArticleRow.url,
    ArticleRow.site_name, ArticleRow.author, ArticleRow.published,
    ArticleRow.published_iso, ArticleRow.image, ArticleRow.license, ArticleRow.access,
    ArticleRow.robots, ArticleRow.rights_problems, SourceRow.id.label("source_id"),
    SourceRow.name.label("source_name"), SourceRow.republish, SourceRow.republish_reason)
# What a listing shows of a published translation: no bodies, the start of the text.
_BRIEF: tuple[Any, ...] = (*_COMMON, func.substr(TranslationRow.text, 1, BRIEF_TEXT).label("start"))
# What an article's page (or the API's article) shows: everything, bodies included.
FULL: tuple[Any, ...] = (
    *_COMMON, TranslationRow.html, TranslationRow.text, TranslationRow.checks,
    TranslationRow.safe_html, ArticleRow.html.label("original_html"),
    ArticleRow.safe_html.label("original_safe_html"))


def full_rows(query: Select[*Ts]) -> Select[*Ts]:
    """``query`` (of ``FULL`` or other columns) with the joins from a translation to its item,
    article and source."""
    return (query.join(ItemRow, ItemRow.id == TranslationRow.item_id)
            .join(ArticleRow, ArticleRow.item_id == ItemRow.id)
            .join(SourceRow, SourceRow.id == ItemRow.source_id))


# What makes a translation public, given its item and source rows: a published translation of a
# published item of a source that republishes something. Every reader's query asks these.
PUBLIC_ITEM = (ItemRow.state == ItemState.PUBLISHED, SourceRow.republish != NOTHING)
PUBLIC = (TranslationRow.status == TranslationStatus.PUBLISHED, *PUBLIC_ITEM)


def published_query(lang: str | None = None) -> Select[Any]:
    """``FULL`` rows (``full_row_view``) of public translations, optionally of one language."""
    query = full_rows(select(*FULL).select_from(TranslationRow)).where(*PUBLIC)
    return query.where(TranslationRow.lang == lang) if lang else query


_LANGUAGES = text("""
WITH RECURSIVE langs(lang) AS (
    SELECT MIN(lang) FROM translations
    UNION ALL
    SELECT (SELECT MIN(t.lang) FROM translations t WHERE t.lang > langs.lang)
    FROM langs WHERE langs.lang IS NOT NULL)
SELECT lang FROM langs
WHERE lang IS NOT NULL AND (
    SELECT 1 FROM translations t
    JOIN items i ON i.id = t.item_id
    JOIN sources s ON s.id = i.source_id
    WHERE t.lang = langs.lang AND t.status = :published AND i.state = :state
      AND s.republish != :nothing
    LIMIT 1) IS NOT NULL
ORDER BY lang""")
# (A LIMIT 1 subquery rather than EXISTS: PostgreSQL planned the EXISTS as a hash semi-join over
# every translation of the language, 1.4 s a page at 100,000 articles; LIMIT 1 makes it stop at
# the first public row, as SQLite does.)

def brief_row_view(row: Any) -> PublishedArticle:
    """The listing view of a row of ``_BRIEF`` columns. Kept for the next time the same row
    (every column the same) is read: listings read the same newest rows on every request, and
    building the view was a third of a front page's store time. (Keyed by the values, not by
    the row, which would keep its result's metadata alive.)"""
    return _brief_view(tuple(row), tuple(row._fields))


@lru_cache(maxsize=2048)
def _brief_view(values: tuple[Any, ...], fields: tuple[str, ...]) -> PublishedArticle:
    row = SimpleNamespace(**dict(zip(fields, values, strict=True)))
    return _row_view(row, html="", text=row.start or "", brief=True)


def full_row_view(row: Any) -> PublishedArticle:
    """The whole view of a row of ``FULL`` columns."""
    return _row_view(row, html=row.html, text=row.text, original_html=row.original_html,
                     checks=checks_from_json(row.checks), safe_html=row.safe_html,
                     original_safe_html=row.original_safe_html)


def _row_view(row: Any, *, original_html: str = "", **bodies: Any) -> PublishedArticle:
    published = (datetime.fromisoformat(row.published_iso) if row.published_iso
                 else row.published)
    return PublishedArticle(
        item_id=row.item_id, lang=row.lang, title=row.title, title_html=row.title_html or "",
        engine=row.engine, notice=row.notice, published_at=row.published_at,
        updated_at=row.updated_at, source_lang=row.source_lang or row.original_lang,
        original_title=row.original_title, original_url=row.canonical_url or row.url,
        site_name=row.site_name or row.source_name, author=row.author,
        original_published=published, source_id=row.source_id, source_name=row.source_name,
        image=row.image, status=TranslationStatus(row.status), rights=rights_from_row(row),
        republish=row.republish or "", republish_reason=row.republish_reason or "",
        safe_lead=row.safe_lead, translation_id=row.id, original_html=original_html, **bodies)


# The statements of the reader's hot paths, built once with bind parameters: a page runs them
# as they are, where building a statement for each call cost more than running it (SQLAlchemy
# builds and keys a new statement each time; a statement kept is keyed once).
_LANG = bindparam("lang", type_=String())
_ITEM, _SOURCE = bindparam("item_id", type_=Integer()), bindparam("source_id", type_=Integer())
_AT = bindparam("at", type_=TranslationRow.published_at.type)
_LAST, _LIMIT = bindparam("last_id", type_=Integer()), bindparam("limit", type_=Integer())
_OFFSET = bindparam("offset", type_=Integer())
_ARTICLE = published_query().where(
    TranslationRow.lang == _LANG, TranslationRow.item_id == _ITEM)
# The same with the item's story (a page shows "also reported by").
_ARTICLE_PAGE = _ARTICLE.add_columns(
    select(StoryItemRow.story_id).where(StoryItemRow.item_id == TranslationRow.item_id)
    .scalar_subquery().label("story_id"))
# The other public translations of an item, for its page's language switcher.
_SIBLINGS = published_query().with_only_columns(
    TranslationRow.lang, TranslationRow.title, ArticleRow.title).where(
    TranslationRow.item_id == _ITEM).order_by(TranslationRow.lang)
_SOURCE_NAME = select(SourceRow.name).where(SourceRow.id == _SOURCE)


@cache
def _listing(source: bool, before: bool, brief: bool) -> Select[Any]:
    """The newest-first page of a language's public translations (of one source; after a
    keyset position), as one kept statement per shape."""
    query = published_query().where(TranslationRow.lang == _LANG)
    if brief:
        query = query.with_only_columns(*_BRIEF)
    if source:
        query = query.where(TranslationRow.source_id == _SOURCE)
    if before:
        # ``published_at <= at`` is implied by the rest, but written so that the index is
        # entered at the cursor: without it the OR made SQLite walk from the newest row.
        query = query.where(TranslationRow.published_at <= _AT,
                            or_(TranslationRow.published_at < _AT,
                                and_(TranslationRow.published_at == _AT,
                                     TranslationRow.id < _LAST)))
    return (query.order_by(TranslationRow.published_at.desc(), TranslationRow.id.desc())
            .limit(_LIMIT).offset(_OFFSET))


@dataclass(frozen=True)
class ArticlePage:
    """What an article's page shows from the store, read in one transaction: the translation,
    the item's other public translations (language, title, original title) and its story."""

    article: PublishedArticle
    others: tuple[tuple[str, str, str], ...]
    story_id: int | None


@dataclass(frozen=True)
class Change:
    """A translation whose public pages may have changed: a publish, an edit, a re-translation,
    a hold, a takedown of its item."""

    item_id: int
    lang: str
    source_id: int


@dataclass(frozen=True)
class Changes:
    """What changed since a mark, and the mark to ask from next time. ``everything``: a change
    the store cannot tell page by page (a source added, edited or removed)."""

    changes: tuple[Change, ...]
    mark: Mark
    everything: bool


# Translation ids per sitemap part: at most this many URLs in one file (the protocol allows 50,000
# and 50 MB; a URL is about 150 bytes).
SITEMAP_PART = 10_000


@dataclass(frozen=True)
class PublicPage:
    """Enough of a published translation to list it in a sitemap."""

    item_id: int
    lang: str
    title: str
    original_title: str
    updated_at: datetime | None


def _mark(s: Session) -> Mark:
    """Where the store's public side stands: its newest change (two index seeks) and a digest
    of the sources' names and modes."""
    newest_tr = s.scalar(select(func.max(TranslationRow.updated_at)))
    newest_item = s.scalar(select(func.max(ItemRow.updated_at)))
    sources = hash(tuple(s.execute(
        select(SourceRow.id, SourceRow.name, SourceRow.republish,
               SourceRow.republish_reason).order_by(SourceRow.id)).all()))
    return max((t for t in (newest_tr, newest_item) if t is not None), default=None), sources


def public_only(query: Select[*Ts]) -> Select[*Ts]:
    """``query`` over translations, joined to their items and sources and kept to the public
    ones (published translations of published items of sources that republish something)."""
    return (query.join(ItemRow, ItemRow.id == TranslationRow.item_id)
            .join(SourceRow, SourceRow.id == ItemRow.source_id)
            .where(*PUBLIC))


def _public_in_range(first: int) -> tuple[ColumnElement[bool], ...]:
    """The public translations whose id is in ``[first, first + SITEMAP_PART)``, as conditions
    on translations alone: whether the item and source are public is asked per translation
    (a correlated EXISTS, two primary-key seeks), so the range of ids is walked first. Joined as
    ``public_only`` joins, SQLite walked every published item instead (1 s for the index)."""
    public = exists().where(ItemRow.id == TranslationRow.item_id,
                            SourceRow.id == ItemRow.source_id, *PUBLIC_ITEM)
    return (TranslationRow.id >= first, TranslationRow.id < first + SITEMAP_PART,
            TranslationRow.status == TranslationStatus.PUBLISHED, public)


# How long counts of public translations may be reused while the store's change mark stays the
# same: a backstop, as the page cache's TTL is, for a change the mark could not see.
COUNTS_TTL_S = 60.0


class _KeptCounts:
    """The last counts of public translations per source and language, with the change mark
    (``public_changes``) they were counted at. Counting them is a pass over every public
    translation (about 20 ms per 10,000 at best), so a page that shows counts (the chooser,
    the sources index, the API's languages and sources) would grow with the store; reading
    the mark is a few index seeks. The counts are counted again when the mark moves (a
    publish, hold, re-translation, takedown or source change) or after ``COUNTS_TTL_S``."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.mark: Mark | None = None
        self.at = float("-inf")
        self.counts: dict[int, dict[str, int]] = {}


@dataclass(frozen=True)
class BulkTranslation:
    """A published translation for ``SiteMixin.bulk_publish``."""

    lang: str
    title: str
    html: str
    text: str
    safe_html: str | None = None
    safe_lead: str | None = None


@dataclass(frozen=True)
class BulkArticle:
    """A published article and its translations for ``SiteMixin.bulk_publish``: a store filled
    for measuring (``scripts/fill_store.py``), not the pipeline's way in."""

    source_id: int
    url: str
    title: str
    html: str
    text: str
    lang: str
    published: datetime
    translations: tuple[BulkTranslation, ...]
    author: str = ""
    safe_html: str | None = None


class BulkMixin(StoreBase):
    """Bulk writes for filling a store to measure it; mixed into ``Store`` through
    ``SiteMixin``."""

    def bulk_publish(self, articles: list[BulkArticle], *, engine: str = "bulk") -> list[int]:
        """Insert published items, their articles and published translations in one
        transaction, with a few multi-row statements; returns the new item ids."""
        if not articles:
            return []
        with self.connection() as conn:
            first = int(conn.execute(select(func.coalesce(func.max(ItemRow.id), 0))).scalar_one())
            first_tr = int(conn.execute(
                select(func.coalesce(func.max(TranslationRow.id), 0))).scalar_one())
            ids = list(range(first + 1, first + 1 + len(articles)))
            items, arts, trs = [], [], []
            for item_id, a in zip(ids, articles, strict=True):
                items.append({"id": item_id, "source_id": a.source_id, "guid": a.url,
                              "url": a.url, "feed_title": a.title, "feed_content": "",
                              "version": "", "state": str(ItemState.PUBLISHED), "attempts": 1,
                              "created_at": a.published, "updated_at": a.published})
                arts.append({"item_id": item_id, "url": a.url, "canonical_url": a.url,
                             "title": a.title, "author": a.author, "published": a.published,
                             "published_iso": a.published.isoformat(), "site_name": "",
                             "lang": a.lang, "html": a.html, "text": a.text, "image": "",
                             "content_hash": "", "extracted_at": a.published, "keywords": "[]",
                             "summary": "", "license": None, "access": "unknown",
                             "robots": "[]", "rights_problems": "[]",
                             "safe_html": a.safe_html})
                for t in a.translations:
                    first_tr += 1
                    trs.append({"id": first_tr, "item_id": item_id, "source_id": a.source_id,
                            "lang": t.lang,
                                "source_lang": a.lang, "engine": engine, "title": t.title,
                                "html": t.html, "text": t.text,
                                "status": str(TranslationStatus.PUBLISHED), "checks": "[]",
                                "repairs": "[]", "reason": "", "notice": "", "seconds": 0.0,
                                "human_edited": False, "created_at": a.published,
                                "updated_at": a.published, "published_at": a.published,
                                "safe_html": t.safe_html, "safe_lead": t.safe_lead})
            conn.execute(insert(ItemRow), items)
            conn.execute(insert(ArticleRow), arts)
            conn.execute(insert(TranslationRow), trs)
            if conn.dialect.name == "postgresql":  # ids were given: move the sequences past them
                for table in ("items", "translations"):
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                      f"(SELECT max(id) FROM {table}))"))
        return ids


class SiteMixin(BulkMixin):
    """Queries for publishing; mixed into ``Store``."""

    def published_articles(self, lang: str, *, limit: int = 20, offset: int = 0,
                           source_id: int | None = None, before: Cursor | None = None,
                           brief: bool = False) -> list[PublishedArticle]:
        """Published translations into ``lang``, newest first: from ``offset``, or after the
        keyset position ``before`` (which costs the same on every page). ``brief``: listing
        rows without their bodies (see ``PublishedArticle``)."""
        query = _listing(source_id is not None, before is not None, brief)
        at, last_id = before if before is not None else (None, None)
        view = brief_row_view if brief else full_row_view
        with self.connection() as conn:
            return [view(r) for r in conn.execute(query, {
                "lang": lang, "source_id": source_id, "at": at, "last_id": last_id,
                "limit": limit, "offset": offset})]

    def has_published(self, lang: str, *, source_id: int | None = None) -> bool:
        """Whether any translation into ``lang`` (of one source) is public."""
        query = published_query(lang)
        if source_id is not None:
            query = query.where(TranslationRow.source_id == source_id)
        with self.session() as s:
            return s.execute(query.with_only_columns(TranslationRow.id).limit(1)).first() \
                is not None

    def save_rendered(self, article: PublishedArticle, safe_html: str, safe_lead: str,
                      original_safe_html: str) -> None:
        """Keep what ``publish.render`` made of a published translation and its original, unless
        the translation changed since it was read (then the next read renders it again)."""
        self.save_renderings([(article, safe_html, safe_lead, original_safe_html)])

    def save_renderings(self, renderings: Sequence[tuple[PublishedArticle, str, str, str]]
                        ) -> None:
        """``save_rendered`` for each ``(article, safe_html, safe_lead, original_safe_html)``,
        in one transaction (an item's translations are rendered together)."""
        if not renderings:
            return
        with self.session() as s:
            for article, safe_html, safe_lead, original_safe_html in renderings:
                s.execute(update(TranslationRow)
                          .where(TranslationRow.id == article.translation_id,
                                 TranslationRow.updated_at == article.updated_at,
                                 TranslationRow.safe_html.is_(None))
                          # ``updated_at`` kept: rendering changes nothing a reader sees.
                          .values(safe_html=safe_html, safe_lead=safe_lead,
                                  updated_at=TranslationRow.updated_at))
                s.execute(update(ArticleRow)
                          .where(ArticleRow.item_id == article.item_id,
                                 ArticleRow.html == article.original_html,
                                 ArticleRow.safe_html.is_(None))
                          .values(safe_html=original_safe_html))

    def unrendered(self, item_id: int) -> list[PublishedArticle]:
        """The published translations of an item not rendered yet (for ``publish.render``)."""
        query = published_query().where(TranslationRow.item_id == item_id,
                                        or_(TranslationRow.safe_html.is_(None),
                                            ArticleRow.safe_html.is_(None)))
        with self.session() as s:
            return [full_row_view(r) for r in s.execute(query).all()]

    def count_published(self, lang: str, *, source_id: int | None = None) -> int:
        """How many translations into ``lang`` (of one source) are public, from the kept
        counts (``public_counts``)."""
        if source_id is not None:
            return self.public_counts().get(source_id, {}).get(lang, 0)
        return self.language_counts().get(lang, 0)

    def published_article(self, item_id: int, lang: str) -> PublishedArticle | None:
        """One published translation, or None if it is not (or no longer) public."""
        with self.connection() as conn:
            row = conn.execute(_ARTICLE, {"item_id": item_id, "lang": lang}).first()
            return full_row_view(row) if row else None

    def source_name(self, source_id: int) -> str | None:
        """A source's name (None if there is no such source), for the pages that show it."""
        with self.connection() as conn:
            return conn.execute(_SOURCE_NAME, {"source_id": source_id}).scalar()

    def article_page(self, item_id: int, lang: str) -> ArticlePage | None:
        """A published translation with what its page shows beside it (None if it is not
        public): two kept statements on one connection."""
        with self.connection() as conn:
            row = conn.execute(_ARTICLE_PAGE, {"item_id": item_id, "lang": lang}).first()
            if row is None:
                return None
            others = tuple((code, title, original) for code, title, original
                           in conn.execute(_SIBLINGS, {"item_id": item_id}) if code != lang)
        return ArticlePage(full_row_view(row), others, row.story_id)

    def published_languages(self, item_id: int | None = None) -> list[str]:
        """Target languages that have published translations (of one item, if given)."""
        if item_id is not None:
            query = public_only(select(TranslationRow.lang)).distinct()
            with self.session() as s:
                return sorted(s.scalars(query.where(TranslationRow.item_id == item_id)).all())
        # Each language of the table found by one index seek (a loose index scan, written as a
        # recursive query), and one public row looked for in it: a few seeks in one statement
        # rather than a pass over every translation.
        with self.connection() as conn:
            return list(conn.execute(_LANGUAGES, {
                "published": str(TranslationStatus.PUBLISHED),
                "state": str(ItemState.PUBLISHED), "nothing": NOTHING}).scalars())

    def target_languages(self) -> list[str]:
        """Every language some active source is translated into."""
        with self.session() as s:
            rows = s.scalars(select(SourceRow.targets).where(SourceRow.active)).all()
        return sorted({t for row in rows for t in row.split(",") if t})

    def summary(self) -> dict[str, Any]:
        """Counts for progress lines and the demo summary."""
        with self.session() as s:
            sources = int(s.scalar(select(func.count()).select_from(SourceRow)) or 0)
            items = dict(s.execute(select(ItemRow.state, func.count())
                                   .group_by(ItemRow.state)).all())
            translations = dict(s.execute(select(TranslationRow.status, func.count())
                                          .group_by(TranslationRow.status)).all())
            errors = int(s.scalar(select(func.count()).select_from(SourceRow)
                                  .where(SourceRow.last_error.is_not(None))) or 0)
        return {"sources": sources, "sources_with_errors": errors, "items": items,
                "translations": translations}

    def iter_translations(self, status: str | None = None
                          ) -> Iterator[tuple[int, str, str]]:
        """(item_id, lang, status) of every translation, optionally of one status."""
        query = select(TranslationRow.item_id, TranslationRow.lang, TranslationRow.status)
        if status:
            query = query.where(TranslationRow.status == status)
        with self.session() as s:
            rows = s.execute(query.order_by(TranslationRow.id)).all()
        yield from rows

    def generation(self) -> tuple[int, str]:
        """A value that changes whenever what is public changes: (how many, newest change).

        A new, re-translated, held or taken-down translation changes the count or the newest
        ``updated_at``; the page cache drops everything when it sees a new value.
        """
        query = public_only(select(func.count(TranslationRow.id),
                                   func.max(TranslationRow.updated_at)))
        with self.session() as s:
            count, newest = s.execute(query).one()
        return int(count or 0), newest.isoformat() if newest else ""

    def public_changes(self, mark: Mark | None) -> Changes:
        """The translations whose public pages may have changed since ``mark`` (None: the
        first call, which only sets the mark). Rows changed at the mark's very moment are
        returned again next time (a writer may commit one later with the same time): the
        caller tolerates repeats."""
        with self.session() as s:
            new_mark = _mark(s)
            if mark is None:
                return Changes((), new_mark, False)
            since, seen_sources = mark
            if seen_sources != new_mark[1]:
                return Changes((), new_mark, True)
            if since is None:
                return Changes((), new_mark, new_mark[0] is not None)
            rows = s.execute(
                select(TranslationRow.item_id, TranslationRow.lang, ItemRow.source_id)
                .join(ItemRow, ItemRow.id == TranslationRow.item_id)
                .where(TranslationRow.updated_at >= since)
                .union(select(TranslationRow.item_id, TranslationRow.lang, ItemRow.source_id)
                       .join(ItemRow, ItemRow.id == TranslationRow.item_id)
                       .where(ItemRow.updated_at >= since,
                              TranslationRow.published_at.is_not(None)))).all()
            # A takedown deletes the translations: its item's pages go by its item alone.
            gone = s.execute(select(ItemRow.id, ItemRow.source_id)
                             .where(ItemRow.updated_at >= since,
                                    ItemRow.state == ItemState.TAKEN_DOWN)).all()
        changes = {Change(*r) for r in rows} | {Change(i, "", src) for i, src in gone}
        return Changes(tuple(sorted(changes, key=lambda c: (c.item_id, c.lang))), new_mark,
                       False)

    def sitemap_parts(self) -> list[int]:
        """The sitemap's parts that list something: part ``k`` holds the public translations
        whose id is in ``[k * SITEMAP_PART, (k + 1) * SITEMAP_PART)``.

        Parts by id range, so that a part's rows are one range of the primary key (its cost
        does not depend on the store's size) and finding the parts is one seek each, not a
        count of every row."""
        with self.session() as s:
            last = s.scalar(select(func.max(TranslationRow.id)))
            if last is None:
                return []
            parts = []
            for part in range(last // SITEMAP_PART + 1):
                first = part * SITEMAP_PART
                found = s.scalar(select(TranslationRow.id).where(
                    *_public_in_range(first)).limit(1))
                if found is not None:
                    parts.append(part)
            return parts

    def sitemap_part(self, part: int) -> list[PublicPage]:
        """The public translations of sitemap part ``part`` (``sitemap_parts``), without their
        bodies, in id order."""
        first = part * SITEMAP_PART
        query = (select(TranslationRow.item_id, TranslationRow.lang, TranslationRow.title,
                        ArticleRow.title, TranslationRow.updated_at)
                 .join(ArticleRow, ArticleRow.item_id == TranslationRow.item_id)
                 .where(*_public_in_range(first)))
        with self.session() as s:
            rows = s.execute(query.order_by(TranslationRow.id)).all()
        return [PublicPage(*row) for row in rows]

    def public_counts(self) -> dict[int, dict[str, int]]:
        """Published translations per source and language: ``{source_id: {lang: count}}``,
        counted again only when what is public has changed (``_KeptCounts``)."""
        kept = self._kept_counts()
        with kept.lock:         # one request counts; the others wait for its answer
            with self.session() as s:
                mark = _mark(s)
                if mark == kept.mark and time.monotonic() - kept.at < COUNTS_TTL_S:
                    return kept.counts
                query = public_only(select(ItemRow.source_id, TranslationRow.lang,
                                           func.count(TranslationRow.id)))
                counts: dict[int, dict[str, int]] = {}
                for source_id, lang, count in s.execute(
                        query.group_by(ItemRow.source_id, TranslationRow.lang)):
                    counts.setdefault(source_id, {})[lang] = int(count)
            kept.mark, kept.at, kept.counts = mark, time.monotonic(), counts
            return counts

    def language_counts(self) -> dict[str, int]:
        """Published translations per language (``public_counts`` summed over sources)."""
        totals: dict[str, int] = {}
        for per_lang in self.public_counts().values():
            for lang, count in per_lang.items():
                totals[lang] = totals.get(lang, 0) + count
        return totals

    def _kept_counts(self) -> _KeptCounts:
        kept: _KeptCounts | None = self.__dict__.get("_counts")
        if kept is None:
            kept = self.__dict__.setdefault("_counts", _KeptCounts())
        return kept

