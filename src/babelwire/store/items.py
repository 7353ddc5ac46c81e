"""Items in the store: claimed under a lease, moved from state to state, one transaction each.

Each write is one transaction that moves an item from one state to the next, so a crash leaves the
item in the state before or after, never in between. Items are worked under a lease: a runner
claims an item, and only the lease owner may move it on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.orm import Session

from babelwire.exceptions import BabelwireError, StoreError, TakenDown
from babelwire.models import (
    Article,
    FetchResult,
    ItemInfo,
    ItemState,
    Translation,
    TranslationStatus,
)
from babelwire.store.base import StoreBase
from babelwire.store.rows import (
    article_from_row,
    fill_rights,
    fill_translation,
    item_info,
    translation_from_row,
    why_not_published,
)
from babelwire.store.tables import (
    ArticleRow,
    DocumentRow,
    ItemRow,
    NameRow,
    SourceRow,
    TranslationRow,
    utcnow,
)
from babelwire.store.takedown import withdraw_item


def _document(doc: DocumentRow) -> FetchResult:
    """A kept page as the fetcher returned it."""
    return FetchResult(url=doc.final_url, final_url=doc.final_url, status=doc.status,
                       content=doc.body, content_type=doc.content_type, encoding=doc.encoding,
                       robots_tag=tuple(json.loads(doc.robots_tag or "[]")))


KNOWN_NAMES = 300                # names of earlier articles given to the next one, at most
WORKABLE = (ItemState.DISCOVERED, ItemState.FETCHED, ItemState.EXTRACTED, ItemState.TRANSLATED)
# The order items are claimed in: new pages fetched first (extraction learns a site's furniture
# from the pages it has), then the latest stage first, so that an extracted article is
# translated while the next is extracted and a translated one published while the next is
# translated: the engines' processes work beside babelwire's own (issue 13).
CLAIM_ORDER = (ItemState.DISCOVERED, ItemState.TRANSLATED, ItemState.EXTRACTED, ItemState.FETCHED)
_STAGE_ORDER = case(*((ItemRow.state == str(state), rank)
                      for rank, state in enumerate(CLAIM_ORDER)), else_=len(CLAIM_ORDER))


class ItemsMixin(StoreBase):
    """Items of the pipeline: leases, documents, articles, translations, publishing, failures."""

    def claim_item(self, owner: str, now: datetime, lease_seconds: float, *,
                   item_id: int | None = None, max_attempts: int | None = None,
                   after: str | None = None) -> ItemInfo | None:
        """Lease the next item that has work to do (or item ``item_id`` if it has), else None.

        New items come first, so that a batch of them is fetched before the first is extracted
        (extraction learns a site's furniture from the pages it has); then the latest stage
        first (``CLAIM_ORDER``). An item
        whose previous lease ran out without being given back was being worked by a process that
        died: that counts as an attempt, and after ``max_attempts`` the item is failed rather
        than crashing runner after runner. ``after`` takes the item over from the lease owner
        that handed it on (a task that enqueued the next stage before letting go of the item).
        """
        free = or_(ItemRow.lease_until.is_(None), ItemRow.lease_until < now)
        if after is not None:
            free = or_(free, ItemRow.lease_owner == after)
        ready = or_(ItemRow.next_attempt_at.is_(None), ItemRow.next_attempt_at <= now)
        workable = ItemRow.state.in_([str(x) for x in WORKABLE])
        query = (select(ItemRow.id).join(SourceRow)
                 .where(workable, free, ready, SourceRow.active)
                 .order_by(_STAGE_ORDER, ItemRow.id).limit(20))
        if item_id is not None:
            query = query.where(ItemRow.id == item_id)
        with self.session() as s:
            for candidate in s.scalars(query).all():
                if self._gave_up_after_crashes(s, candidate, now, max_attempts, after):
                    continue
                # Everything checked again in the update: between the select and here another
                # runner may have claimed the item, worked a stage (to the end, even) and let go.
                done = s.execute(update(ItemRow).where(ItemRow.id == candidate, free, workable,
                                                       ready).values(
                    lease_owner=owner, lease_until=now + timedelta(seconds=lease_seconds)))
                if done.rowcount:  # type: ignore[attr-defined]
                    return item_info(s.get_one(ItemRow, candidate))
        return None

    @staticmethod
    def _gave_up_after_crashes(s: Session, item_id: int, now: datetime,
                               max_attempts: int | None, after: str | None = None) -> bool:
        """Count an abandoned lease as an attempt; True if the item is now failed for it.

        A lease that ran out in the hands of ``after`` was handed on, not abandoned: its owner
        enqueued the task that claims it now once its stage had committed (it may have died
        before letting go: nothing of the stage was lost), or it is this same task, retried
        under its own lease after the store went away for longer than the lease."""
        row = s.get_one(ItemRow, item_id)
        if row.lease_owner is None or row.lease_until is None or row.lease_until >= now \
                or row.lease_owner == after:
            return False                 # free, still leased, or handed on: no crash
        row.attempts += 1
        row.reason = (f"the process working on it stopped during the {row.state} stage "
                      f"({row.attempts} time(s))")
        row.lease_owner = row.lease_until = None
        if max_attempts is not None and row.attempts >= max_attempts:
            row.state = ItemState.FAILED
            return True
        return False

    def item_id(self, source_id: int, guid: str) -> int | None:
        """The id of a source's item by its guid."""
        with self.session() as s:
            return s.scalar(select(ItemRow.id).where(ItemRow.source_id == source_id,
                                                      ItemRow.guid == guid))

    def get_item(self, item_id: int) -> ItemInfo | None:
        """One item by id."""
        with self.session() as s:
            row = s.get(ItemRow, item_id)
            return item_info(row) if row else None

    def renew_lease(self, item_id: int, owner: str, now: datetime,
                    lease_seconds: float) -> bool:
        """Extend ``owner``'s lease on an item it still holds; False if the lease was lost."""
        with self.session() as s:
            done = s.execute(update(ItemRow).where(ItemRow.id == item_id,
                                                   ItemRow.lease_owner == owner)
                             .values(lease_until=now + timedelta(seconds=lease_seconds)))
            return bool(done.rowcount)  # type: ignore[attr-defined]

    def release(self, item_id: int, owner: str) -> None:
        """Give up the lease on an item."""
        with self.session() as s:
            s.execute(update(ItemRow).where(ItemRow.id == item_id, ItemRow.lease_owner == owner)
                      .values(lease_owner=None, lease_until=None))

    def _owned(self, s: Session, item_id: int, owner: str) -> ItemRow:
        row = s.get(ItemRow, item_id)
        if row is None or row.lease_owner != owner:
            raise StoreError("lease lost: another runner owns this item", subject=f"item {item_id}")
        return row

    def save_document(self, item_id: int, owner: str, result: FetchResult) -> None:
        """Keep the downloaded page and move the item to ``fetched``."""
        with self.session() as s:
            row = self._owned(s, item_id, owner)
            doc = s.get(DocumentRow, item_id) or DocumentRow(item_id=item_id)
            doc.final_url, doc.status = result.final_url, result.status
            doc.content_type, doc.encoding, doc.body = result.content_type, result.encoding, \
                result.content
            doc.fetched_at = utcnow()
            doc.robots_tag = json.dumps(list(result.robots_tag), ensure_ascii=False)
            s.merge(doc)
            row.state, row.reason = ItemState.FETCHED, None

    def load_document(self, item_id: int) -> FetchResult | None:
        """The page downloaded for an item."""
        with self.session() as s:
            doc = s.get(DocumentRow, item_id)
            if doc is None:
                return None
            return _document(doc)

    def fetched_siblings(self, source_id: int, item_id: int, *, limit: int = 50
                         ) -> list[FetchResult]:
        """Pages downloaded for a source's other items that wait for extraction."""
        query = (select(DocumentRow).join(ItemRow, ItemRow.id == DocumentRow.item_id)
                 .where(ItemRow.source_id == source_id, ItemRow.id != item_id,
                        ItemRow.state == ItemState.FETCHED)
                 .order_by(ItemRow.id).limit(limit))
        with self.session() as s:
            return [_document(d) for d in s.scalars(query).all()]

    def save_article(self, item_id: int, owner: str, article: Article) -> None:
        """Keep the extracted article and move the item to ``extracted``."""
        digest = hashlib.sha256(article.html.encode()).hexdigest()
        with self.session() as s:
            row = self._owned(s, item_id, owner)
            stored = ArticleRow(
                item_id=item_id, url=article.url, canonical_url=article.canonical_url,
                title=article.title, author=article.author, published=article.published,
                published_iso=article.published.isoformat() if article.published else "",
                site_name=article.site_name, lang=article.lang, html=article.html,
                text=article.text, image=article.image, content_hash=digest,
                extracted_at=utcnow(), keywords=json.dumps(list(article.keywords)),
                summary=article.summary, safe_html=None)
            fill_rights(stored, article.rights)   # each version keeps the rights it came with
            s.merge(stored)
            # The translations' rendering used the article's address: render them again too.
            s.execute(update(TranslationRow).where(TranslationRow.item_id == item_id)
                      .values(safe_html=None, safe_lead=None,
                              updated_at=TranslationRow.updated_at))
            row.state, row.reason = ItemState.EXTRACTED, None

    def load_article(self, item_id: int) -> Article | None:
        """The extracted article of an item."""
        with self.session() as s:
            row = s.get(ArticleRow, item_id)
            return article_from_row(row) if row else None

    def save_translations(self, item_id: int, owner: str, translations: Sequence[Translation],
                          seconds: float = 0.0) -> None:
        """Store every translation of an item at once and move it to ``translated``."""
        with self.session() as s:
            row = self._owned(s, item_id, owner)
            for t in translations:
                tr = s.scalar(select(TranslationRow).where(TranslationRow.item_id == item_id,
                                                           TranslationRow.lang == t.lang))
                if tr is None:
                    tr = TranslationRow(item_id=item_id, lang=t.lang)
                    s.add(tr)
                fill_translation(tr, t, seconds)
            kept = {n for t in translations if t.status == TranslationStatus.PUBLISHED
                    for n in t.names}
            _remember_names(s, self.dialect_insert(), row.source_id,
                            translations[0].source_lang if translations else "", kept)
            row.state, row.reason = ItemState.TRANSLATED, None

    def load_translation(self, item_id: int, lang: str) -> Translation | None:
        """One stored translation of an item (any status), as the pipeline's plain data."""
        with self.session() as s:
            row = s.scalar(select(TranslationRow).where(TranslationRow.item_id == item_id,
                                                        TranslationRow.lang == lang))
            return translation_from_row(row) if row is not None else None

    def known_names(self, source_id: int, lang: str, limit: int = KNOWN_NAMES) -> list[str]:
        """Names published translations kept, most often first: the source's own, then those
        of every source in ``lang``."""
        with self.session() as s:
            own = s.scalars(select(NameRow.name).where(
                NameRow.source_id == source_id, NameRow.lang == lang)
                .order_by(NameRow.count.desc(), NameRow.name).limit(limit)).all()
            every = s.scalars(select(NameRow.name).where(NameRow.lang == lang)
                              .group_by(NameRow.name)
                              .order_by(func.sum(NameRow.count).desc(), NameRow.name)
                              .limit(limit)).all()
            return list(dict.fromkeys([*own, *every]))

    def publish_item(self, item_id: int, owner: str) -> ItemState:
        """Make the item's passing translations public; the item ends published, held or failed."""
        now = utcnow()
        with self.session() as s:
            row = self._owned(s, item_id, owner)
            rows = s.scalars(select(TranslationRow).where(TranslationRow.item_id == item_id)).all()
            statuses = {r.status for r in rows}
            for r in rows:
                if r.status == TranslationStatus.PUBLISHED and r.published_at is None:
                    r.published_at = now
            if TranslationStatus.PUBLISHED in statuses or not rows:
                state = ItemState.PUBLISHED
            elif TranslationStatus.HELD in statuses:
                state = ItemState.HELD
            else:
                state = ItemState.FAILED
            row.state, row.lease_owner, row.lease_until = state, None, None
            row.reason = None if state == ItemState.PUBLISHED else "; ".join(
                f"{r.lang}: {why_not_published(r)}" for r in rows
                if r.status != TranslationStatus.PUBLISHED)
            return state

    def fail_item(self, item_id: int, owner: str, error: BabelwireError, *, max_attempts: int,
                  backoff_seconds: float) -> ItemState:
        """Record a failure; a retryable one is tried again ``backoff_seconds`` later (doubled at
        each attempt) until ``max_attempts``."""
        with self.session() as s:
            row = s.get(ItemRow, item_id)
            if row is None:
                return ItemState.FAILED
            if row.lease_owner != owner:  # the lease was lost: the item is someone else's now
                return ItemState(row.state)
            if isinstance(error, TakenDown):
                withdraw_item(s, row)
                return ItemState.TAKEN_DOWN
            row.attempts += 1
            row.reason = str(error)
            if error.retryable and row.attempts < max_attempts:
                row.next_attempt_at = utcnow() + timedelta(
                    seconds=backoff_seconds * 2 ** (row.attempts - 1))
            else:
                row.state = ItemState.FAILED
            row.lease_owner, row.lease_until = None, None
            return ItemState(row.state)

    def item_status(self, item_id: int) -> ItemStatus | None:
        """The item's state, lease and next attempt time, or None if there is no such item."""
        with self.session() as s:
            row = s.get(ItemRow, item_id)
            if row is None:
                return None
            return ItemStatus(ItemState(row.state), row.lease_owner, row.lease_until,
                              row.next_attempt_at)

    def discovered_since(self, source_id: int, since: datetime) -> list[int]:
        """Ids of the source's items discovered (or found changed) since ``since``."""
        with self.session() as s:
            return list(s.scalars(select(ItemRow.id).where(
                ItemRow.source_id == source_id, ItemRow.state == ItemState.DISCOVERED,
                ItemRow.updated_at >= since).order_by(ItemRow.id)))

    def expired_leases(self, now: datetime, limit: int) -> list[tuple[int, ItemState]]:
        """Workable items whose lease ran out without being given back: (id, state), oldest
        lease first. Their owner died (a live one renews its lease), whatever the queues hold."""
        query = (select(ItemRow.id, ItemRow.state).join(SourceRow)
                 .where(ItemRow.state.in_([str(x) for x in WORKABLE]),
                        ItemRow.lease_owner.is_not(None), ItemRow.lease_until < now,
                        SourceRow.active)
                 .order_by(ItemRow.lease_until, ItemRow.id).limit(limit))
        with self.session() as s:
            return [(item_id, ItemState(state)) for item_id, state in s.execute(query)]

    def stranded_items(self, now: datetime, limit: int) -> list[tuple[int, ItemState]]:
        """Workable items nobody holds and nothing waits for: (id, state), oldest first."""
        free = or_(ItemRow.lease_until.is_(None), ItemRow.lease_until < now)
        ready = or_(ItemRow.next_attempt_at.is_(None), ItemRow.next_attempt_at <= now)
        query = (select(ItemRow.id, ItemRow.state).join(SourceRow)
                 .where(ItemRow.state.in_([str(x) for x in WORKABLE]), free, ready,
                        SourceRow.active)
                 .order_by(ItemRow.id).limit(limit))
        with self.session() as s:
            return [(item_id, ItemState(state)) for item_id, state in s.execute(query)]


def _remember_names(s: Session, insert: Any, source_id: int, lang: str,
                    names: set[str]) -> None:
    """Count each name once more for the source and language (a new one starts at 1): one
    upsert for all the names (a look-up and a write per name cost 40 statements an article)."""
    if not lang:
        return
    now = utcnow()
    rows = [{"source_id": source_id, "lang": lang, "name": name, "count": 1, "last_seen": now}
            for name in sorted(n for n in names if 0 < len(n) <= 300)]
    if not rows:
        return
    stmt = insert(NameRow)
    s.execute(stmt.on_conflict_do_update(
        index_elements=["source_id", "lang", "name"],
        set_={"count": NameRow.count + 1, "last_seen": stmt.excluded.last_seen}), rows)


@dataclass(frozen=True)
class ItemStatus:
    """Where an item stands, as far as claiming it is concerned."""

    state: ItemState
    lease_owner: str | None
    lease_until: datetime | None
    next_attempt_at: datetime | None
