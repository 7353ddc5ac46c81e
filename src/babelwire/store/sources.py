"""Sources in the store: following, pausing, polling under a lease, and the items a poll finds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, literal, or_, select, update

from babelwire.models import FeedItem, ItemState, SourceInfo
from babelwire.store.base import StoreBase
from babelwire.store.rows import source_info
from babelwire.store.tables import ItemRow, SourceRow, utcnow
from babelwire.store.takedown import taken_down_keys, url_key, withdraw_item


class SourcesMixin(StoreBase):
    """Followed sources and their polls."""

    def add_source(self, url: str, *, targets: Sequence[str], name: str = "", kind: str = "auto",
                   source_lang: str = "", republish: str | None = None,
                   republish_reason: str = "") -> tuple[SourceInfo, bool]:
        """Follow ``url``; returns the source and whether it is new (an existing one is updated).

        ``republish`` declares the source's republishing mode with ``republish_reason`` (``""``
        takes the declaration back: each page's rights decide); None leaves it as it is."""
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
            if republish is not None:
                row.republish, row.republish_reason = republish, republish_reason if republish \
                    else ""
            row.active = True
            s.flush()
            return source_info(row), created

    def list_sources(self, *, items: bool = True) -> list[SourceInfo]:
        """Every source, oldest first, with its number of items (``items=False``: without,
        each ``items`` 0; counting them is a pass over every item, which the public pages,
        whose counts are ``public_counts``, do not need)."""
        with self.session() as s:
            counts = dict(s.execute(select(ItemRow.source_id, func.count())
                                    .group_by(ItemRow.source_id)).all()) if items else {}
            rows = s.scalars(select(SourceRow).order_by(SourceRow.id)).all()
            return [source_info(r, counts.get(r.id, 0)) for r in rows]

    def get_source(self, source_id: int) -> SourceInfo | None:
        """One source by id."""
        with self.session() as s:
            row = s.get(SourceRow, source_id)
            return source_info(row) if row else None

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
                    claimed.append(source_info(s.get_one(SourceRow, source_id)))
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
