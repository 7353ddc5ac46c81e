"""Read-only queries the site, feeds, API and CLI make. Only published translations of published
items are ever returned by the ``published_*`` methods: held, failed and rejected ones never leave
the store through them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from babelwire.models import Check, ItemState, PublishedArticle, TranslationStatus
from babelwire.store.tables import ArticleRow, ItemRow, SourceRow, TranslationRow


class _HasSession(Protocol):
    def session(self) -> AbstractContextManager[Session]: ...


def published_query(lang: str | None = None) -> Select[TranslationRow, ArticleRow, SourceRow]:
    """(translation, article, source) rows of public translations, optionally of one language."""
    query = (select(TranslationRow, ArticleRow, SourceRow)
             .join(ItemRow, ItemRow.id == TranslationRow.item_id)
             .join(ArticleRow, ArticleRow.item_id == ItemRow.id)
             .join(SourceRow, SourceRow.id == ItemRow.source_id)
             .where(TranslationRow.status == TranslationStatus.PUBLISHED,
                    ItemRow.state == ItemState.PUBLISHED))
    return query.where(TranslationRow.lang == lang) if lang else query


def published_view(tr: TranslationRow, art: ArticleRow, src: SourceRow) -> PublishedArticle:
    """The reader's view of one row of ``published_query``."""
    from babelwire.store.store import article_from_row  # circular at import time only

    original = article_from_row(art)
    return PublishedArticle(
        item_id=tr.item_id, lang=tr.lang, title=tr.title, html=tr.html, text=tr.text,
        engine=tr.engine, notice=tr.notice, published_at=tr.published_at,
        updated_at=tr.updated_at, source_lang=tr.source_lang or art.lang,
        original_title=art.title, original_url=art.canonical_url or art.url,
        original_html=art.html, site_name=art.site_name or src.name, author=art.author,
        original_published=original.published, source_id=src.id, source_name=src.name,
        image=art.image, status=TranslationStatus(tr.status),
        checks=tuple(Check(**c) for c in json.loads(tr.checks or "[]")))


class ReadsMixin:
    """Queries for publishing; mixed into ``Store``."""

    def published_articles(self: _HasSession, lang: str, *, limit: int = 20, offset: int = 0,
                           source_id: int | None = None) -> list[PublishedArticle]:
        """Published translations into ``lang``, newest first."""
        query = published_query(lang)
        if source_id is not None:
            query = query.where(SourceRow.id == source_id)
        query = query.order_by(TranslationRow.published_at.desc(), TranslationRow.id.desc())
        with self.session() as s:
            rows = s.execute(query.limit(limit).offset(offset)).all()
            return [published_view(*r) for r in rows]

    def count_published(self: _HasSession, lang: str, *, source_id: int | None = None) -> int:
        """How many translations into ``lang`` are published."""
        query = published_query(lang)
        if source_id is not None:
            query = query.where(SourceRow.id == source_id)
        with self.session() as s:
            return int(s.scalar(select(func.count()).select_from(query.subquery())) or 0)

    def published_article(self: _HasSession, item_id: int, lang: str) -> PublishedArticle | None:
        """One published translation, or None if it is not (or no longer) public."""
        with self.session() as s:
            row = s.execute(published_query(lang).where(TranslationRow.item_id == item_id)).first()
            return published_view(*row) if row else None

    def published_languages(self: _HasSession, item_id: int | None = None) -> list[str]:
        """Target languages that have published translations (of one item, if given)."""
        query = select(TranslationRow.lang).join(ItemRow).where(
            TranslationRow.status == TranslationStatus.PUBLISHED,
            ItemRow.state == ItemState.PUBLISHED).distinct()
        if item_id is not None:
            query = query.where(TranslationRow.item_id == item_id)
        with self.session() as s:
            return sorted(s.scalars(query).all())

    def target_languages(self: _HasSession) -> list[str]:
        """Every language some active source is translated into."""
        with self.session() as s:
            rows = s.scalars(select(SourceRow.targets).where(SourceRow.active)).all()
        return sorted({t for row in rows for t in row.split(",") if t})

    def summary(self: _HasSession) -> dict[str, Any]:
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

    def iter_translations(self: _HasSession, status: str | None = None
                          ) -> Iterator[tuple[int, str, str]]:
        """(item_id, lang, status) of every translation, optionally of one status."""
        query = select(TranslationRow.item_id, TranslationRow.lang, TranslationRow.status)
        if status:
            query = query.where(TranslationRow.status == status)
        with self.session() as s:
            rows = s.execute(query.order_by(TranslationRow.id)).all()
        yield from rows
