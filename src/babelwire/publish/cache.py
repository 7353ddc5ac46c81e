"""An in-process page cache: finished GET responses kept for a short time, keyed by URL.

Pages, feeds and API answers are the same for every reader until something is published, so the
rendered bytes are kept in a small LRU with a TTL. Every second at most the cache asks the store
what changed since it last asked (``Store.public_changes``: the translations and items written
since, found through indexes on ``updated_at``) and drops only the pages those changes touch
(``touched``): the article's own pages in every language, the front pages, feeds, source pages of
its source and API lists of its language, and the site-wide lists; a change it cannot tell page
by page (a source added, renamed, removed or given another mode) empties it. So a new, edited
or withdrawn translation shows within a second, and a publish leaves the rest of the cache warm.
(The older ``generation`` callable, which empties everything when its value moves, still works.)

Written as a plain ASGI middleware because no maintained library caches ASGI responses in
process with an invalidation hook; it is a few dozen lines over an ``OrderedDict``.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from babelwire.exceptions import StoreError


@dataclass(frozen=True)
class CachedResponse:
    """A complete response as it was sent."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    stored_at: float


class PageCache:
    """LRU of responses with a TTL, emptied when ``generation()`` returns a new value."""

    def __init__(self, generation: Callable[[], Hashable] | None = None, *,
                 changes: Callable[[Any], Any] | None = None,
                 max_entries: int = 512, ttl: float = 60.0, max_body: int = 2_000_000,
                 check_every: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._entries: OrderedDict[str, CachedResponse] = OrderedDict()
        self._generation = generation
        self._changes = changes
        self._mark: Any = None
        self._current: Hashable = None
        self._checked_at = float("-inf")
        self.max_entries, self.ttl, self.max_body = max_entries, ttl, max_body
        self.check_every, self.clock = check_every, clock

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> CachedResponse | None:
        """The fresh response stored under ``key``, if any."""
        hit = self._entries.get(key)
        if hit is None:
            return None
        if self.clock() - hit.stored_at > self.ttl:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return hit

    def put(self, key: str, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        """Keep a response (too large ones are not kept)."""
        if len(body) > self.max_body:
            return
        self._entries[key] = CachedResponse(status, tuple(headers), body, self.clock())
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every response."""
        self._entries.clear()

    def forget(self, changes: Iterable[Any]) -> int:
        """Drop the pages that ``changes`` (``store.site.Change``: item, language, source)
        touch; how many were dropped."""
        found = list(changes)
        if not found:
            return 0
        gone = [key for key in self._entries if any(touched(key, c.item_id, c.lang, c.source_id)
                                                    for c in found)]
        for key in gone:
            del self._entries[key]
        return len(gone)

    async def revalidate(self) -> None:
        """Ask the store what changed (at most every ``check_every`` s); drop what it touched."""
        now = self.clock()
        if (self._generation is None and self._changes is None) \
                or now - self._checked_at < self.check_every:
            return
        # Set first so that concurrent requests during the query do not all query too.
        self._checked_at = now
        try:
            if self._changes is not None:
                found = await anyio.to_thread.run_sync(self._changes, self._mark)
            else:
                current = await anyio.to_thread.run_sync(self._generation)  # type: ignore[arg-type]
        except StoreError:
            return  # the store is unreachable: keep serving what we have until the TTL ends
        if self._changes is not None:
            first, self._mark = self._mark is None, found.mark
            if found.everything or first:
                self.clear()
            else:
                self.forget(found.changes)
            return
        if current != self._current:
            self._current = current
            self.clear()


def touched(key: str, item_id: int, lang: str, source_id: int) -> bool:
    """Whether the cached page ``key`` (a path, with its query for the API) can show a change
    to the translation of item ``item_id`` into ``lang`` (``""``: every language, for an item
    taken down) of source ``source_id``."""
    path, _, query = key.partition("?")
    parts = path.split("/")  # "/es/a/12-slug" -> ["", "es", "a", "12-slug"]
    if len(parts) > 1 and parts[1] == "api":
        if len(parts) > 4 and parts[3] == "articles":         # /api/v1/articles/<id>/<lang>
            return parts[4] == str(item_id)
        if len(parts) > 3 and parts[3] == "articles" and lang:  # a list: of its language only
            return parse_qs(query).get("lang", [lang]) == [lang]
        return True                                            # sources, languages, stories
    if len(parts) < 3 or not parts[1] or "." in parts[1]:     # /, /sitemap.xml, /robots.txt
        return True
    if parts[1] == "sitemaps":                                 # the sitemap's parts
        return True
    if parts[2] == "a":                                        # an article page, any language
        ref = parts[3] if len(parts) > 3 else ""
        return ref.split("-", 1)[0] == str(item_id)
    if lang and parts[1] != lang:                              # another language's pages
        return False
    if parts[2] == "sources" and len(parts) > 3 and parts[3]:  # one source's pages and feeds
        return parts[3] == str(source_id)
    return True                                                # front pages, feeds, stories


class PageCacheMiddleware:
    """Serve GET requests from a ``PageCache``; store successful answers that allow it."""

    def __init__(self, app: ASGIApp, cache: PageCache, *,
                 key_query: Callable[[str], bool] = lambda path: path.startswith("/api/"),
                 skip: Callable[[str], bool] = lambda path: path == "/healthz") -> None:
        self.app, self.cache = app, cache
        self.key_query, self.skip = key_query, skip

    def _key(self, scope: Scope) -> str:
        path: str = scope["path"]
        # Only the API reads its query string; pages and feeds ignore it, so keying them by path
        # alone stops random query strings from filling the cache with copies.
        if self.key_query(path) and scope.get("query_string"):
            return f"{path}?{scope['query_string'].decode('latin-1')}"
        return path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or self.skip(scope["path"]):
            await self.app(scope, receive, send)
            return
        await self.cache.revalidate()
        key = self._key(scope)
        hit = self.cache.get(key)
        if hit is not None:
            await send({"type": "http.response.start", "status": hit.status,
                        "headers": [*hit.headers, (b"x-cache", b"hit")]})
            await send({"type": "http.response.body", "body": hit.body})
            return
        await self._forward(key, scope, receive, send)

    async def _forward(self, key: str, scope: Scope, receive: Receive, send: Send) -> None:
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                message = {**message, "headers": [*message.get("headers", []),
                                                  (b"x-cache", b"miss")]}
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and _storable(start):
                    self.cache.put(key, start["status"], list(start.get("headers", [])),
                                   b"".join(chunks))
            await send(message)

        await self.app(scope, receive, capture)


def _storable(start: Message) -> bool:
    if start.get("status") != 200:
        return False
    for name, value in start.get("headers", []):
        if name.lower() == b"cache-control" and (b"no-store" in value or b"private" in value):
            return False
    return True
