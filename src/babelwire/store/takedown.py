"""Taking an article down: off the site, feeds, search and API at once, and never back.

``Store.take_down(url)`` records the address in the ``takedowns`` table and withdraws every item
whose own URL, downloaded page's final URL or article's (canonical) URL is that address: the item
becomes ``takendown`` (a tombstone that remembers its guid) and its translations, extracted
article and downloaded page are deleted. Public reads only show published items, so the article
leaves every page, feed, the sitemap, search and the API in the same transaction.

It stays away because the pipeline asks here before it works an address: ``Store.upsert_feed_items``
files a newly discovered item at a taken-down address straight as ``takendown`` (its page is
never fetched), and the fetch and extract stages call ``refuse_taken_down`` with the final and
canonical URLs, which raises ``TakenDown``; ``Store.fail_item`` then withdraws the item. The
addresses of withdrawn items count as taken down too: an article taken down by its canonical URL
is not fetched again from the feed address it was found at.

Addresses are compared by ``url_key``: the same page written another way (``http`` or ``https``,
``www.`` or not, tracking parameters, a trailing slash) is the same page.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import courlan
from sqlalchemy import ColumnElement, Select, delete, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from babelwire.exceptions import StoreError, TakenDown
from babelwire.models import ItemState
from babelwire.store.base import StoreBase
from babelwire.store.tables import (
    ArticleRow,
    DocumentRow,
    ItemRow,
    TakedownRow,
    TranslationRow,
    utcnow,
)

DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class TakedownInfo:
    """A taken-down address as the operator gave it, why, and when."""

    id: int
    url: str
    key: str
    reason: str
    created_at: datetime | None


@dataclass(frozen=True)
class TakedownResult:
    """What ``takedown`` did: the record, whether it is new, and what it withdrew."""

    takedown: TakedownInfo
    new: bool
    items: tuple[int, ...]
    translations: int


def url_key(url: str) -> str:
    """The form in which addresses are compared.

    courlan's normalisation (lower-case host, default port and tracking parameters such as
    ``utm_*`` dropped, query sorted, percent-escapes normalised), then the scheme, user info,
    a leading ``www.``, the fragment and a trailing slash left out: ``https://www.Example.com/a/``
    and ``http://example.com/a?utm_source=x#top`` have the same key, ``example.com/a``.
    """
    text = url.strip()
    try:
        parts = urlsplit(courlan.normalize_url(text))
    except ValueError:  # e.g. a malformed IPv6 host: compare the text as it is
        return text.lower()
    host = parts.netloc.rpartition("@")[2].lower()
    host, _, port = host.partition(":") if not host.startswith("[") else (host, "", "")
    if port and port != str(DEFAULT_PORTS.get(parts.scheme.lower(), "")):
        host = f"{host}:{port}"
    key = host.removeprefix("www.") + parts.path.rstrip("/")
    return f"{key}?{parts.query}" if parts.query else key


def _info(row: TakedownRow) -> TakedownInfo:
    return TakedownInfo(id=row.id, url=row.url, key=row.key, reason=row.reason,
                        created_at=row.created_at)


def taken_down_keys(s: Session) -> frozenset[str]:
    """The keys of every taken-down address and of every withdrawn item's own address.

    An article taken down by its canonical URL was usually found at another address (the feed's
    link); that address is refused too, without fetching it again. Both sets are small: read
    whole, matched in Python.
    """
    keys = set(s.scalars(select(TakedownRow.key)))
    tombstones = s.scalars(select(ItemRow.url).where(ItemRow.state == ItemState.TAKEN_DOWN))
    return frozenset(keys | {url_key(url) for url in tombstones})


def withdraw_item(s: Session, item: ItemRow, reason: str = "") -> int:
    """Make ``item`` a tombstone in ``s``: state ``takendown``, lease dropped, its translations,
    article and page deleted. Returns how many translations were deleted.

    Dropping the lease fences off a runner working the item right now: its next write finds the
    lease lost and changes nothing.
    """
    removed = len(s.scalars(select(TranslationRow.id)
                            .where(TranslationRow.item_id == item.id)).all())
    for table in (TranslationRow, ArticleRow, DocumentRow):
        s.execute(delete(table).where(table.item_id == item.id))
    item.state = ItemState.TAKEN_DOWN
    item.reason = f"taken down: {reason}" if reason else "taken down"
    item.lease_owner = item.lease_until = item.next_attempt_at = None
    item.feed_title, item.feed_content = "", ""
    return removed


def _matching_items(s: Session, key: str) -> list[ItemRow]:
    """Items whose URL, final URL or article URL has ``key``.

    The database narrows the candidates to addresses containing the key's host (URLs are stored
    as found, not normalised); ``url_key`` decides.
    """
    host = key.split("/", 1)[0].split("?", 1)[0]
    ids: set[int] = set()
    for query in _candidate_queries(host):
        for item_id, candidate in s.execute(query):
            if candidate and url_key(candidate) == key:
                ids.add(item_id)
    if not ids:
        return []
    return list(s.scalars(select(ItemRow).where(ItemRow.id.in_(ids)).order_by(ItemRow.id)))


def _candidate_queries(host: str) -> list[Select[int, str]]:
    forms = {host}
    with contextlib.suppress(UnicodeError):  # a stored URL may spell a host in punycode
        forms.add(host.encode("idna").decode("ascii"))

    def near(column: InstrumentedAttribute[str]) -> ColumnElement[bool]:
        return or_(*(column.ilike(f"%{_escape_like(f)}%", escape="\\") for f in forms))

    return [
        select(ItemRow.id, ItemRow.url).where(near(ItemRow.url)),
        select(DocumentRow.item_id, DocumentRow.final_url).where(near(DocumentRow.final_url)),
        select(ArticleRow.item_id, ArticleRow.url).where(near(ArticleRow.url)),
        select(ArticleRow.item_id, ArticleRow.canonical_url).where(near(ArticleRow.canonical_url)),
    ]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class TakedownMixin(StoreBase):
    """Takedowns: addresses removed everywhere and kept out."""

    def take_down(self, url: str, reason: str = "") -> TakedownResult:
        """Take ``url`` down: record it and withdraw every item at that address, in one transaction.

        Taking down an address again keeps the first record (and its reason) and withdraws any item
        that reached it since. An address no item has yet is recorded all the same, so that the
        article is refused when a feed brings it later.
        """
        key = url_key(url)
        if not key:
            raise StoreError("cannot take down an empty address", subject=url)
        with self.session() as s:
            row = s.scalar(select(TakedownRow).where(TakedownRow.key == key))
            new = row is None
            if row is None:
                row = TakedownRow(url=url.strip(), key=key, reason=reason, created_at=utcnow())
                s.add(row)
                s.flush()
            items = _matching_items(s, key)
            removed = sum(withdraw_item(s, item, row.reason) for item in items)
            return TakedownResult(_info(row), new, tuple(i.id for i in items), removed)

    def list_takedowns(self) -> list[TakedownInfo]:
        """Every taken-down address, oldest first."""
        with self.session() as s:
            return [_info(r) for r in s.scalars(select(TakedownRow).order_by(TakedownRow.id))]

    def taken_down(self, urls: Iterable[str]) -> str | None:
        """The first of ``urls`` that is taken down, or None."""
        wanted = [u for u in urls if u]
        if not wanted:
            return None
        with self.session() as s:
            blocked = taken_down_keys(s)
        return next((u for u in wanted if url_key(u) in blocked), None)

    def refuse_taken_down(self, *urls: str) -> None:
        """Raise ``TakenDown`` if any of ``urls`` was taken down (stages ask before working)."""
        url = self.taken_down(urls)
        if url is not None:
            raise TakenDown("taken down by the operator", subject=url)
