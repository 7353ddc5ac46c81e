"""Read queries the publishing side needs beyond ``store/reads.py``: cheap, read-only, and bound by
the same rule -- only published translations of published items are ever counted or listed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypeVarTuple

from sqlalchemy import Select, func, select

from babelwire.models import ItemState, TranslationStatus
from babelwire.publish.sanitize import plain_text
from babelwire.store import Store
from babelwire.store.tables import ArticleRow, ItemRow, TranslationRow

Ts = TypeVarTuple("Ts")


def _public(query: Select[*Ts]) -> Select[*Ts]:
    return (query.join(ItemRow, ItemRow.id == TranslationRow.item_id)
            .where(TranslationRow.status == TranslationStatus.PUBLISHED,
                   ItemRow.state == ItemState.PUBLISHED))


def generation(store: Store) -> tuple[int, str]:
    """A value that changes whenever what is public changes: (how many, newest change).

    A new, re-translated, held or taken-down translation changes the count or the newest
    ``updated_at``; the page cache drops everything when it sees a new value.
    """
    query = _public(select(func.count(TranslationRow.id), func.max(TranslationRow.updated_at)))
    with store.session() as s:
        count, newest = s.execute(query).one()
    return int(count or 0), newest.isoformat() if newest else ""


@dataclass(frozen=True)
class PublicPage:
    """Enough of a published translation to list it in a sitemap."""

    item_id: int
    lang: str
    title: str
    original_title: str
    updated_at: datetime | None

    @property
    def shown_title(self) -> str:
        """The title the page shows (and its URL slug is made from)."""
        return plain_text(self.title) or plain_text(self.original_title)


def public_pages(store: Store, *, limit: int) -> list[PublicPage]:
    """The newest ``limit`` published translations, without their bodies."""
    query = _public(select(TranslationRow.item_id, TranslationRow.lang, TranslationRow.title,
                           ArticleRow.title, TranslationRow.updated_at))
    query = query.join(ArticleRow, ArticleRow.item_id == TranslationRow.item_id)
    query = query.order_by(TranslationRow.published_at.desc(), TranslationRow.id.desc())
    with store.session() as s:
        rows = s.execute(query.limit(limit)).all()
    return [PublicPage(*row) for row in rows]


def public_counts(store: Store) -> dict[int, dict[str, int]]:
    """Published translations per source and language: ``{source_id: {lang: count}}``."""
    query = _public(select(ItemRow.source_id, TranslationRow.lang, func.count(TranslationRow.id)))
    query = query.group_by(ItemRow.source_id, TranslationRow.lang)
    counts: dict[int, dict[str, int]] = {}
    with store.session() as s:
        for source_id, lang, count in s.execute(query):
            counts.setdefault(source_id, {})[lang] = int(count)
    return counts
