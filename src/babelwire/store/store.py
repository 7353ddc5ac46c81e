"""The store: every read and write the pipeline and the site make, as small transactional methods.

Each write is one transaction that moves an item from one state to the next, so a crash leaves the
item in the state before or after, never in between. Items are worked under a lease: a runner
claims an item, and only the lease owner may move it on.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import Engine, case, func, literal, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from babelwire.exceptions import BabelwireError, StoreError, TakenDown
from babelwire.models import (
    Article,
    Check,
    FeedItem,
    FetchResult,
    ItemInfo,
    ItemState,
    SourceInfo,
    Translation,
    TranslationStatus,
)
from babelwire.store.db import make_engine, migrate
from babelwire.store.reads import ReadsMixin
from babelwire.store.tables import (
    ArticleRow,
    DocumentRow,
    ItemRow,
    NameRow,
    SourceRow,
    TranslationRow,
    utcnow,
)
from babelwire.store.takedown import taken_down_keys, url_key, withdraw_item

KNOWN_NAMES = 300                # names of earlier articles given to the next one, at most
WORKABLE = (ItemState.DISCOVERED, ItemState.FETCHED, ItemState.EXTRACTED, ItemState.TRANSLATED)
_STAGE_ORDER = case(*((ItemRow.state == str(state), rank) for rank, state in enumerate(WORKABLE)),
                    else_=len(WORKABLE))


def new_owner() -> str:
    """A lease owner name unique to this process and call."""
    return f"{os.getpid()}-{uuid.uuid4().hex[:12]}"


def _targets(text: str) -> tuple[str, ...]:
    return tuple(t for t in text.split(",") if t)


def _source_info(row: SourceRow, items: int = 0) -> SourceInfo:
    return SourceInfo(id=row.id, url=row.url, name=row.name, kind=row.kind,
                      targets=_targets(row.targets), source_lang=row.source_lang,
                      active=row.active, last_polled_at=row.last_polled_at,
                      next_poll_at=row.next_poll_at, last_error=row.last_error,
                      error_count=row.error_count, items=items)


def _item_info(row: ItemRow) -> ItemInfo:
    return ItemInfo(id=row.id, source_id=row.source_id, guid=row.guid, url=row.url,
                    state=ItemState(row.state), attempts=row.attempts, reason=row.reason,
                    feed_title=row.feed_title, feed_content=row.feed_content,
                    targets=_targets(row.source.targets), source_lang=row.source.source_lang,
                    source_name=row.source.name)


class Store(ReadsMixin):
    """Transactional access to sources, items, documents, articles and translations."""

    def __init__(self, url: str, *, engine: Engine | None = None,
                 migrate_schema: bool = True) -> None:
        self.url = url
        self.engine = engine or make_engine(url)
        if migrate_schema:
            migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction, committed on success; database errors become StoreError."""
        try:
            with self._sessions() as session, session.begin():
                yield session
        except SQLAlchemyError as exc:
            raise StoreError(f"database error: {exc.__class__.__name__}: {exc}",
                             retryable=True) from exc

    # -- sources -------------------------------------------------------------------------------

    def add_source(self, url: str, *, targets: Sequence[str], name: str = "", kind: str = "auto",
                   source_lang: str = "") -> tuple[SourceInfo, bool]:
        """Follow ``url``; returns the source and whether it is new (an existing one is updated)."""
        with self.session() as s:
            row = s.scalar(select(SourceRow).where(SourceRow.url == url))
            created = row is None
            if row is None:
                row = SourceRow(url=url, kind=kind)
                s.add(row)
            row.targets = ",".join(dict.fromkeys(targets))
            row.name = name or row.name or url
            row.source_lang = source_lang or row.source_lang
            if created or kind != "auto":
                row.kind = kind
            row.active = True
            s.flush()
            return _source_info(row), created

    def list_sources(self) -> list[SourceInfo]:
        """Every source, oldest first, with its number of items."""
        with self.session() as s:
            counts = dict(s.execute(select(ItemRow.source_id, func.count())
                                    .group_by(ItemRow.source_id)).all())
            rows = s.scalars(select(SourceRow).order_by(SourceRow.id)).all()
            return [_source_info(r, counts.get(r.id, 0)) for r in rows]

    def get_source(self, source_id: int) -> SourceInfo | None:
        """One source by id."""
        with self.session() as s:
            row = s.get(SourceRow, source_id)
            return _source_info(row) if row else None

    def source_validators(self, source_id: int) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified of a source's last successful download."""
        with self.session() as s:
            row = s.get(SourceRow, source_id)
            return (row.etag, row.last_modified) if row else (None, None)

    def set_source_kind(self, source_id: int, kind: str) -> None:
        """Record what a source turned out to be: ``feed`` or ``page``."""
        with self.session() as s:
            s.execute(update(SourceRow).where(SourceRow.id == source_id).values(kind=kind))

    def set_source_active(self, source_id: int, active: bool) -> None:
        """Pause or resume a source."""
        with self.session() as s:
            s.execute(update(SourceRow).where(SourceRow.id == source_id).values(active=active))

    def remove_source(self, source_id: int) -> None:
        """Stop following a source and delete its items and translations."""
        with self.session() as s:
            row = s.get(SourceRow, source_id)
            if row is not None:
                s.delete(row)

    def claim_due_sources(self, now: datetime, lease_seconds: float, *,
                          due_only: bool = True) -> list[SourceInfo]:
        """Active sources whose next poll is due (or all, with ``due_only=False``), leased so
        that no other runner polls them at the same time."""
        until = now + timedelta(seconds=lease_seconds)
        due = or_(SourceRow.next_poll_at.is_(None), SourceRow.next_poll_at <= now,
                  literal(not due_only))
        free = or_(SourceRow.poll_lease_until.is_(None), SourceRow.poll_lease_until < now)
        claimed = []
        with self.session() as s:
            ids = s.scalars(select(SourceRow.id).where(SourceRow.active, due, free)
                            .order_by(SourceRow.id)).all()
            for source_id in ids:
                done = s.execute(update(SourceRow).where(SourceRow.id == source_id, free)
                                 .values(poll_lease_until=until))
                if done.rowcount:  # type: ignore[attr-defined]
                    claimed.append(_source_info(s.get_one(SourceRow, source_id)))
        return claimed

    def record_poll(self, source_id: int, *, next_poll_at: datetime, etag: str | None = None,
                    last_modified: str | None = None, error: str | None = None) -> None:
        """Remember the outcome of a poll: validators for the next conditional GET, or the error."""
        with self.session() as s:
            row = s.get(SourceRow, source_id)
            if row is None:
                return
            row.last_polled_at = utcnow()
            row.next_poll_at = next_poll_at
            row.poll_lease_until = None
            if error is None:
                row.etag, row.last_modified = etag, last_modified
                row.last_error, row.error_count = None, 0
            else:
                row.last_error, row.error_count = error, row.error_count + 1

    def upsert_feed_items(self, source_id: int, items: Sequence[FeedItem]) -> tuple[int, int]:
        """Record a feed's items: new ones are discovered, changed ones start again.

        An item seen before with the same version is left alone, so it is never fetched twice;
        one whose feed date changed is worked again. Returns (new, changed). An item at a
        taken-down address is kept as a ``takendown`` tombstone and never fetched.
        """
        new = changed = 0
        with self.session() as s:
            blocked = taken_down_keys(s)
            for item in items:
                row = s.scalar(select(ItemRow).where(ItemRow.source_id == source_id,
                                                     ItemRow.guid == item.guid))
                if blocked and url_key(item.url) in blocked:
                    if row is None:
                        s.add(ItemRow(source_id=source_id, guid=item.guid, url=item.url,
                                      state=ItemState.TAKEN_DOWN, reason="taken down"))
                    elif row.state != ItemState.TAKEN_DOWN:
                        withdraw_item(s, row)
                elif row is None:
                    s.add(ItemRow(source_id=source_id, guid=item.guid, url=item.url,
                                  feed_title=item.title, feed_content=item.content_html,
                                  version=item.version, state=ItemState.DISCOVERED))
                    new += 1
                elif (item.version and item.version != row.version
                      and row.state != ItemState.TAKEN_DOWN):
                    row.version, row.url = item.version, item.url
                    row.feed_title, row.feed_content = item.title, item.content_html
                    row.state, row.attempts, row.reason = ItemState.DISCOVERED, 0, None
                    row.next_attempt_at = None
                    changed += 1
        return new, changed

    # -- items ---------------------------------------------------------------------------------

    def claim_item(self, owner: str, now: datetime, lease_seconds: float, *,
                   item_id: int | None = None,
                   max_attempts: int | None = None) -> ItemInfo | None:
        """Lease the next item that has work to do (or item ``item_id`` if it has), else None.

        Items in earlier states come first, so that a batch of new items is fetched before the
        first is extracted (extraction learns a site's furniture from the pages it has). An item
        whose previous lease ran out without being given back was being worked by a process that
        died: that counts as an attempt, and after ``max_attempts`` the item is failed rather
        than crashing runner after runner.
        """
        free = or_(ItemRow.lease_until.is_(None), ItemRow.lease_until < now)
        ready = or_(ItemRow.next_attempt_at.is_(None), ItemRow.next_attempt_at <= now)
        workable = ItemRow.state.in_([str(x) for x in WORKABLE])
        query = (select(ItemRow.id).join(SourceRow)
                 .where(workable, free, ready, SourceRow.active)
                 .order_by(_STAGE_ORDER, ItemRow.id).limit(20))
        if item_id is not None:
            query = query.where(ItemRow.id == item_id)
        with self.session() as s:
            for candidate in s.scalars(query).all():
                if self._gave_up_after_crashes(s, candidate, now, max_attempts):
                    continue
                # Everything checked again in the update: between the select and here another
                # runner may have claimed the item, worked a stage (to the end, even) and let go.
                done = s.execute(update(ItemRow).where(ItemRow.id == candidate, free, workable,
                                                       ready).values(
                    lease_owner=owner, lease_until=now + timedelta(seconds=lease_seconds)))
                if done.rowcount:  # type: ignore[attr-defined]
                    return _item_info(s.get_one(ItemRow, candidate))
        return None

    @staticmethod
    def _gave_up_after_crashes(s: Session, item_id: int, now: datetime,
                               max_attempts: int | None) -> bool:
        """Count an abandoned lease as an attempt; True if the item is now failed for it."""
        row = s.get_one(ItemRow, item_id)
        if row.lease_owner is None or row.lease_until is None or row.lease_until >= now:
            return False
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
            return _item_info(row) if row else None

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
            s.merge(doc)
            row.state, row.reason = ItemState.FETCHED, None

    def load_document(self, item_id: int) -> FetchResult | None:
        """The page downloaded for an item."""
        with self.session() as s:
            doc = s.get(DocumentRow, item_id)
            if doc is None:
                return None
            return FetchResult(url=doc.final_url, final_url=doc.final_url, status=doc.status,
                               content=doc.body, content_type=doc.content_type,
                               encoding=doc.encoding)

    def fetched_siblings(self, source_id: int, item_id: int, *, limit: int = 50
                         ) -> list[FetchResult]:
        """Pages downloaded for a source's other items that wait for extraction."""
        query = (select(DocumentRow).join(ItemRow, ItemRow.id == DocumentRow.item_id)
                 .where(ItemRow.source_id == source_id, ItemRow.id != item_id,
                        ItemRow.state == ItemState.FETCHED)
                 .order_by(ItemRow.id).limit(limit))
        with self.session() as s:
            return [FetchResult(url=d.final_url, final_url=d.final_url, status=d.status,
                                content=d.body, content_type=d.content_type, encoding=d.encoding)
                    for d in s.scalars(query).all()]

    def save_article(self, item_id: int, owner: str, article: Article) -> None:
        """Keep the extracted article and move the item to ``extracted``."""
        digest = hashlib.sha256(article.html.encode()).hexdigest()
        with self.session() as s:
            row = self._owned(s, item_id, owner)
            s.merge(ArticleRow(
                item_id=item_id, url=article.url, canonical_url=article.canonical_url,
                title=article.title, author=article.author, published=article.published,
                published_iso=article.published.isoformat() if article.published else "",
                site_name=article.site_name, lang=article.lang, html=article.html,
                text=article.text, image=article.image, content_hash=digest,
                extracted_at=utcnow(), keywords=json.dumps(list(article.keywords)),
                summary=article.summary))
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
                _fill_translation(tr, t, seconds)
            kept = {n for t in translations if t.status == TranslationStatus.PUBLISHED
                    for n in t.names}
            _remember_names(s, row.source_id, translations[0].source_lang if translations
                            else "", kept)
            row.state, row.reason = ItemState.TRANSLATED, None

    def load_translation(self, item_id: int, lang: str) -> Translation | None:
        """One stored translation of an item (any status), as the pipeline's plain data."""
        with self.session() as s:
            row = s.scalar(select(TranslationRow).where(TranslationRow.item_id == item_id,
                                                        TranslationRow.lang == lang))
            if row is None:
                return None
            checks = tuple(Check(c["name"], bool(c["ok"]), c.get("detail", ""))
                           for c in json.loads(row.checks or "[]"))
            return Translation(lang=row.lang, engine=row.engine, title=row.title, html=row.html,
                               text=row.text, status=TranslationStatus(row.status),
                               checks=checks, reason=row.reason or "",
                               source_lang=row.source_lang,
                               repairs=tuple(json.loads(row.repairs or "[]")))

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
                f"{r.lang}: {_why(r)}" for r in rows if r.status != TranslationStatus.PUBLISHED)
            return state

    def fail_item(self, item_id: int, owner: str, error: BabelwireError, *, max_attempts: int,
                  backoff_seconds: float = 60.0) -> ItemState:
        """Record a failure; a retryable one is tried again later until ``max_attempts``."""
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


def article_from_row(row: ArticleRow) -> Article:
    """Turn a stored article back into the pipeline's plain data."""
    published = datetime.fromisoformat(row.published_iso) if row.published_iso else row.published
    return Article(url=row.url, title=row.title, html=row.html, text=row.text, lang=row.lang,
                   author=row.author, published=published, site_name=row.site_name,
                   canonical_url=row.canonical_url, image=row.image,
                   keywords=tuple(json.loads(row.keywords or "[]")), summary=row.summary or "")


def _remember_names(s: Session, source_id: int, lang: str, names: set[str]) -> None:
    """Count each name once more for the source and language (a new one starts at 1)."""
    if not lang:
        return
    now = utcnow()
    for name in sorted(n for n in names if 0 < len(n) <= 300):
        row = s.get(NameRow, (source_id, lang, name))
        if row is None:
            s.add(NameRow(source_id=source_id, lang=lang, name=name, count=1, last_seen=now))
        else:
            row.count, row.last_seen = row.count + 1, now


def _why(row: TranslationRow) -> str:
    """Why a translation is not published: its reason, else the names of its failed checks."""
    failed = [c["name"] for c in json.loads(row.checks or "[]") if not c.get("ok")]
    return row.reason or (f"{row.status}, failed checks: {', '.join(failed)}" if failed
                          else str(row.status))


def _fill_translation(tr: TranslationRow, t: Translation, seconds: float) -> None:
    tr.source_lang, tr.engine, tr.title, tr.html, tr.text = (
        t.source_lang, t.engine, t.title, t.html, t.text)
    tr.status = str(t.status)
    tr.checks = json.dumps([c.to_json() for c in t.checks], ensure_ascii=False)
    tr.repairs = json.dumps(list(t.repairs), ensure_ascii=False)
    tr.reason = t.reason
    tr.notice = t.attribution.notice if t.attribution else ""
    tr.seconds = seconds
    tr.human_edited = False
    tr.published_at = None

