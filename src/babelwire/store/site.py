"""What the site, feeds, API and CLI read. Only published translations of published
items are ever returned by the ``published_*`` methods: held, failed and rejected ones never leave
the store through them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVarTuple

from sqlalchemy import Select, func, select

from babelwire.models import Check, ItemState, Mode, PublishedArticle, TranslationStatus
from babelwire.store.base import StoreBase
from babelwire.store.rows import article_from_row
from babelwire.store.tables import ArticleRow, ItemRow, SourceRow, TranslationRow

Ts = TypeVarTuple("Ts")
# A source declared ``none`` publishes nothing: no page, feed, API answer or search result.
NOTHING = str(Mode.NONE)


def published_query(lang: str | None = None) -> Select[TranslationRow, ArticleRow, SourceRow]:
    """(translation, article, source) rows of public translations, optionally of one language."""
    query = (select(TranslationRow, ArticleRow, SourceRow)
             .join(ItemRow, ItemRow.id == TranslationRow.item_id)
             .join(ArticleRow, ArticleRow.item_id == ItemRow.id)
             .join(SourceRow, SourceRow.id == ItemRow.source_id)
             .where(TranslationRow.status == TranslationStatus.PUBLISHED,
                    ItemRow.state == ItemState.PUBLISHED, SourceRow.republish != NOTHING))
    return query.where(TranslationRow.lang == lang) if lang else query


def published_view(tr: TranslationRow, art: ArticleRow, src: SourceRow) -> PublishedArticle:
    """The reader's view of one row of ``published_query``."""
    original = article_from_row(art)
    return PublishedArticle(
        item_id=tr.item_id, lang=tr.lang, title=tr.title, html=tr.html, text=tr.text,
        engine=tr.engine, notice=tr.notice, published_at=tr.published_at,
        updated_at=tr.updated_at, source_lang=tr.source_lang or art.lang,
        original_title=art.title, original_url=art.canonical_url or art.url,
        original_html=art.html, site_name=art.site_name or src.name, author=art.author,
        original_published=original.published, source_id=src.id, source_name=src.name,
        image=art.image, status=TranslationStatus(tr.status),
        checks=tuple(Check(**c) for c in json.loads(tr.checks or "[]")),
        rights=original.rights, republish=src.republish or "",
        republish_reason=src.republish_reason or "")


@dataclass(frozen=True)
class PublicPage:
    """Enough of a published translation to list it in a sitemap."""

    item_id: int
    lang: str
    title: str
    original_title: str
    updated_at: datetime | None


def _public(query: Select[*Ts]) -> Select[*Ts]:
    return (query.join(ItemRow, ItemRow.id == TranslationRow.item_id)
            .join(SourceRow, SourceRow.id == ItemRow.source_id)
            .where(TranslationRow.status == TranslationStatus.PUBLISHED,
                   ItemRow.state == ItemState.PUBLISHED, SourceRow.republish != NOTHING))


class SiteMixin(StoreBase):
    """Queries for publishing; mixed into ``Store``."""

    def published_articles(self, lang: str, *, limit: int = 20, offset: int = 0,
                           source_id: int | None = None) -> list[PublishedArticle]:
        """Published translations into ``lang``, newest first."""
        query = published_query(lang)
        if source_id is not None:
            query = query.where(SourceRow.id == source_id)
        query = query.order_by(TranslationRow.published_at.desc(), TranslationRow.id.desc())
        with self.session() as s:
            rows = s.execute(query.limit(limit).offset(offset)).all()
            return [published_view(*r) for r in rows]

    def count_published(self, lang: str, *, source_id: int | None = None) -> int:
        """How many translations into ``lang`` are published."""
        query = published_query(lang)
        if source_id is not None:
            query = query.where(SourceRow.id == source_id)
        with self.session() as s:
            return int(s.scalar(select(func.count()).select_from(query.subquery())) or 0)

    def published_article(self, item_id: int, lang: str) -> PublishedArticle | None:
        """One published translation, or None if it is not (or no longer) public."""
        with self.session() as s:
            row = s.execute(published_query(lang).where(TranslationRow.item_id == item_id)).first()
            return published_view(*row) if row else None

    def published_languages(self, item_id: int | None = None) -> list[str]:
        """Target languages that have published translations (of one item, if given)."""
        query = _public(select(TranslationRow.lang)).distinct()
        if item_id is not None:
            query = query.where(TranslationRow.item_id == item_id)
        with self.session() as s:
            return sorted(s.scalars(query).all())

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
        query = _public(select(func.count(TranslationRow.id),
                               func.max(TranslationRow.updated_at)))
        with self.session() as s:
            count, newest = s.execute(query).one()
        return int(count or 0), newest.isoformat() if newest else ""

    def public_pages(self, *, limit: int) -> list[PublicPage]:
        """The newest ``limit`` published translations, without their bodies."""
        query = _public(select(TranslationRow.item_id, TranslationRow.lang, TranslationRow.title,
                               ArticleRow.title, TranslationRow.updated_at))
        query = query.join(ArticleRow, ArticleRow.item_id == TranslationRow.item_id)
        query = query.order_by(TranslationRow.published_at.desc(), TranslationRow.id.desc())
        with self.session() as s:
            rows = s.execute(query.limit(limit)).all()
        return [PublicPage(*row) for row in rows]

    def public_counts(self) -> dict[int, dict[str, int]]:
        """Published translations per source and language: ``{source_id: {lang: count}}``."""
        query = _public(select(ItemRow.source_id, TranslationRow.lang,
                               func.count(TranslationRow.id)))
        query = query.group_by(ItemRow.source_id, TranslationRow.lang)
        counts: dict[int, dict[str, int]] = {}
        with self.session() as s:
            for source_id, lang, count in s.execute(query):
                counts.setdefault(source_id, {})[lang] = int(count)
        return counts
