"""Near-duplicates and stories: index keys, reused translations, stories and their articles.

Candidates are always found through ``index_keys`` (one indexed lookup per key, limited to a
time window), never by reading all articles; each write is one transaction, and every one of
them can be repeated without changing anything (keys are inserted once, an article joins one
story once, a copy's translations are reused once).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, select, update
from sqlalchemy.orm import Session

from babelwire.exceptions import StoreError
from babelwire.models import ItemState, StoryInfo, StoryMember, TranslationStatus
from babelwire.store.base import StoreBase
from babelwire.store.tables import (
    ArticleRow,
    DuplicateRow,
    IndexKeyRow,
    ItemRow,
    SourceRow,
    StoryItemRow,
    StoryRow,
    TranslationRow,
    utcnow,
)

TRANSLATED = (ItemState.TRANSLATED, ItemState.PUBLISHED, ItemState.HELD)


class StoriesMixin(StoreBase):
    """Index keys, near-duplicates and stories."""

    def add_index_keys(self, item_id: int, kind: str, keys: Sequence[str],
                       at: datetime | None = None) -> None:
        """Index an item under ``keys`` of ``kind`` (a key already there is left alone)."""
        with self.session() as s:
            self._add_keys(s, item_id, kind, keys, at or utcnow())

    def _add_keys(self, s: Session, item_id: int, kind: str, keys: Sequence[str],
                  at: datetime) -> None:
        rows = [{"kind": kind, "key": k[:120], "item_id": item_id, "at": at}
                for k in dict.fromkeys(keys)]
        if rows:
            # one statement for any number of rows, compiled once and cached (a VALUES list
            # built per call was compiled anew for every article)
            s.execute(self.dialect_insert()(IndexKeyRow).on_conflict_do_nothing(), rows)

    def candidates(self, kind: str, keys: Sequence[str], *, since: datetime, exclude: int,
                   limit: int, min_shared: int = 1) -> list[int]:
        """Items sharing at least ``min_shared`` of ``keys`` of ``kind``, indexed since
        ``since``: most shared keys first, then the oldest."""
        if not keys:
            return []
        shared = func.count(IndexKeyRow.key)
        query = (select(IndexKeyRow.item_id)
                 .where(IndexKeyRow.kind == kind, IndexKeyRow.key.in_(list(set(keys))),
                        IndexKeyRow.at >= since, IndexKeyRow.item_id != exclude)
                 .group_by(IndexKeyRow.item_id).having(shared >= min_shared)
                 .order_by(shared.desc(), IndexKeyRow.item_id).limit(limit))
        with self.session() as s:
            return list(s.scalars(query))

    def translated_texts(self, item_ids: Sequence[int]) -> list[tuple[int, str]]:
        """``(id, extracted text)`` of those items that have their translations."""
        return self._texts(item_ids, ItemRow.state.in_([str(x) for x in TRANSLATED]))

    def in_translation(self, item_ids: Sequence[int], now: datetime) -> list[tuple[int, str]]:
        """``(id, extracted text)`` of those items that wait for their translations under a
        live lease: another worker is translating them right now."""
        return self._texts(item_ids, and_(ItemRow.state == ItemState.EXTRACTED,
                                          ItemRow.lease_until > now))

    def _texts(self, item_ids: Sequence[int], condition: ColumnElement[bool]
               ) -> list[tuple[int, str]]:
        query = (select(ArticleRow.item_id, ArticleRow.text)
                 .join(ItemRow, ItemRow.id == ArticleRow.item_id)
                 .where(ArticleRow.item_id.in_(list(item_ids)), condition)
                 .order_by(ArticleRow.item_id))
        with self.session() as s:
            return [(i, t) for i, t in s.execute(query)]

    def story_texts(self, item_ids: Sequence[int], lang: str
                    ) -> list[tuple[int, str, str, str]]:
        """``(id, language, title, text)`` of each item in the common language ``lang``: its
        translation into it if it has one, else its original."""
        ids = list(item_ids)
        with self.session() as s:
            translated = {i: (t, x) for i, t, x in s.execute(
                select(TranslationRow.item_id, TranslationRow.title, TranslationRow.text)
                .where(TranslationRow.item_id.in_(ids), TranslationRow.lang == lang,
                       TranslationRow.text != ""))}
            out = []
            for i, a_lang, title, text in s.execute(
                    select(ArticleRow.item_id, ArticleRow.lang, ArticleRow.title,
                           ArticleRow.text).where(ArticleRow.item_id.in_(ids))
                    .order_by(ArticleRow.item_id)):
                if i in translated:
                    out.append((i, lang, *translated[i]))
                else:
                    out.append((i, a_lang, title, text))
            return out

    def reuse_translations(self, item_id: int, owner: str, original_id: int,
                           similarity: float) -> bool:
        """Give a copy the translations of its original and move it to ``translated``; False
        (nothing done) if the original has none."""
        with self.session() as s:
            row = s.get(ItemRow, item_id)
            if row is None or row.lease_owner != owner:
                raise StoreError("lease lost: another runner owns this item",
                                 subject=f"item {item_id}")
            originals = s.scalars(select(TranslationRow).where(
                TranslationRow.item_id == original_id)).all()
            if not originals:
                return False
            for o in originals:
                tr = s.scalar(select(TranslationRow).where(TranslationRow.item_id == item_id,
                                                           TranslationRow.lang == o.lang))
                if tr is None:
                    tr = TranslationRow(item_id=item_id, lang=o.lang)
                    s.add(tr)
                for name in ("source_lang", "engine", "title", "html", "text", "status",
                             "checks", "repairs", "reason", "notice", "human_edited"):
                    setattr(tr, name, getattr(o, name))
                tr.seconds, tr.published_at = 0.0, None
                tr.safe_html = tr.safe_lead = None   # rendered again for this article
            s.merge(DuplicateRow(item_id=item_id, original_id=original_id,
                                 similarity=similarity, created_at=utcnow()))
            row.state, row.reason = ItemState.TRANSLATED, None
            return True

    def duplicate_of(self, item_id: int) -> int | None:
        """The original an item copied, if it is a near-duplicate."""
        with self.session() as s:
            return s.scalar(select(DuplicateRow.original_id)
                            .where(DuplicateRow.item_id == item_id))

    def story_of(self, item_id: int) -> int | None:
        """The story an item belongs to, if it joined one."""
        with self.session() as s:
            return s.scalar(select(StoryItemRow.story_id).where(StoryItemRow.item_id == item_id))

    def stories_of(self, item_ids: Sequence[int]) -> dict[int, int]:
        """The story of each of these items that has one."""
        with self.session() as s:
            found = s.execute(select(StoryItemRow.item_id, StoryItemRow.story_id)
                              .where(StoryItemRow.item_id.in_(list(item_ids))))
            return {item_id: story_id for item_id, story_id in found}

    def join_story(self, item_id: int, story_id: int | None, *, title: str, lang: str,
                   similarity: float, keys: Sequence[str], at: datetime) -> int:
        """Put an item in story ``story_id`` (a new story if None) and index its story keys;
        an item already in a story stays there. Returns its story."""
        with self.session() as s:
            joined = s.scalar(select(StoryItemRow.story_id)
                              .where(StoryItemRow.item_id == item_id))
            if joined is not None:
                return joined
            story = s.get(StoryRow, story_id) if story_id is not None else None
            if story is None:
                story = StoryRow(title=title, lang=lang, size=0, created_at=at, updated_at=at)
                s.add(story)
                s.flush()
                similarity = 1.0
            s.add(StoryItemRow(item_id=item_id, story_id=story.id, similarity=similarity,
                               joined_at=at))
            s.execute(update(StoryRow).where(StoryRow.id == story.id)
                      .values(size=StoryRow.size + 1))
            if story.updated_at < at:
                story.updated_at = at
            self._add_keys(s, item_id, "story", keys, at)
            return story.id

    def story(self, story_id: int) -> StoryInfo | None:
        """A story with its articles, in order of arrival."""
        with self.session() as s:
            row = s.get(StoryRow, story_id)
            return _story_info(s, row) if row is not None else None

    def list_stories(self, limit: int = 50, *, min_size: int = 1) -> list[StoryInfo]:
        """The most recently updated stories with at least ``min_size`` articles."""
        with self.session() as s:
            rows = s.scalars(select(StoryRow).where(StoryRow.size >= min_size)
                             .order_by(StoryRow.updated_at.desc(), StoryRow.id.desc())
                             .limit(limit)).all()
            return [_story_info(s, row) for row in rows]


def _story_info(s: Session, row: StoryRow) -> StoryInfo:
    """A story row with its members."""
    query = (select(StoryItemRow, ArticleRow, SourceRow.name, DuplicateRow.original_id)
             .join(ArticleRow, ArticleRow.item_id == StoryItemRow.item_id)
             .join(ItemRow, ItemRow.id == StoryItemRow.item_id)
             .join(SourceRow, SourceRow.id == ItemRow.source_id)
             .outerjoin(DuplicateRow, DuplicateRow.item_id == StoryItemRow.item_id)
             .where(StoryItemRow.story_id == row.id)
             .order_by(StoryItemRow.joined_at, StoryItemRow.item_id))
    members = []
    for member, article, source_name, original in s.execute(query):
        langs = s.scalars(select(TranslationRow.lang).where(
            TranslationRow.item_id == member.item_id,
            TranslationRow.status == TranslationStatus.PUBLISHED)
            .order_by(TranslationRow.lang)).all()
        members.append(StoryMember(member.item_id, source_name, article.site_name, article.url,
                                   article.lang, article.title, member.similarity, original,
                                   tuple(langs)))
    return StoryInfo(row.id, row.title, row.lang, row.created_at, row.updated_at,
                     tuple(members))
