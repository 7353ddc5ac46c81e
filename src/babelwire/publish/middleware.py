"""ASGI middleware of the public site: security headers on every response (and ``no-store`` on
every admin page), a per-client token bucket in front of the API, and HEAD answered like GET.

The buckets of a served site are kept in the store (``SharedBuckets``), so that every ``serve``
process spends from the same ones; ``TokenBuckets`` keeps them in memory, for one process.

Both are plain ASGI classes rather than Starlette's ``BaseHTTPMiddleware``, which costs a task
and a memory stream per request; that matters for the cached-page throughput target.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from anyio import to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from babelwire.exceptions import StoreError
from babelwire.publish.feeds import FEED_FILES

if TYPE_CHECKING:
    from babelwire.store import Store

log = logging.getLogger(__name__)
PRUNE_EVERY = 60.0      # seconds between two clean-ups of the store's full buckets

# No script runs on the site at all. The JSON-LD block (<script type="application/ld+json">) is a
# "data block" in the HTML standard: the browser never prepares it as a script, so CSP's script
# checks do not apply to it and it stays readable by crawlers under ``default-src 'none'``.
# Forms (search, and the admin pages) may only be sent to the site itself.
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' https:; "
                           "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
ADMIN_PREFIX = "/admin"
NO_STORE = (b"cache-control", b"no-store")
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
                      "microphone=(), payment=(), usb=(), interest-cohort=()")


def security_headers(*, https: bool) -> list[tuple[bytes, bytes]]:
    """The headers every response carries (HSTS only when the site is served over https)."""
    headers = {
        "content-security-policy": CONTENT_SECURITY_POLICY,
        "x-content-type-options": "nosniff",
        # The original publisher sees that readers came from us (origin only, never the path).
        "referrer-policy": "strict-origin-when-cross-origin",
        "x-frame-options": "DENY",
        "permissions-policy": PERMISSIONS_POLICY,
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-resource-policy": "same-site",
    }
    if https:
        headers["strict-transport-security"] = "max-age=31536000"
    return [(k.encode(), v.encode()) for k, v in headers.items()]


def is_public_data(path: str) -> bool:
    """Feeds and the API: read-only public data that other sites' scripts may fetch."""
    return path.startswith("/api/") or path.rsplit("/", 1)[-1] in FEED_FILES


class SecurityHeadersMiddleware:
    """Add the security headers (and CORS for public data) to every HTTP response."""

    def __init__(self, app: ASGIApp, *, https: bool = False) -> None:
        self.app = app
        self.headers = security_headers(https=https)
        self.cors = [(b"access-control-allow-origin", b"*")]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        extra = self.headers + self.cors if is_public_data(path) else self.headers
        # Admin pages (and their redirects and errors) are per editor: no cache may keep them.
        admin = path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", [])
                           if not (admin and h[0].lower() == NO_STORE[0])]
                present = {name.lower() for name, _ in headers}
                added = [h for h in extra if h[0] not in present]
                message = {**message, "headers": [*headers, *added, *([NO_STORE] if admin else [])]}
            await send(message)

        await self.app(scope, receive, with_headers)


class Buckets(Protocol):
    """Per-client token buckets: ``wait`` says when a client may go on, ``take`` spends.
    ``blocking`` buckets do I/O (the store): async callers run them in a thread."""

    blocking: bool

    def wait(self, client: str) -> float:
        """Seconds until ``client`` has a token (0.0 if it has one now); spends none."""
        ...

    def take(self, client: str) -> float:
        """Spend a token of ``client``: 0.0 if allowed, else seconds until one is available."""
        ...


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """One token bucket per client: ``rate`` tokens a second, at most ``burst`` saved up.

    Only the ``max_clients`` most recently seen clients are remembered, so a flood of addresses
    cannot grow memory without bound (a forgotten client simply starts with a full bucket).
    """

    blocking = False

    def __init__(self, rate: float, burst: int, *, max_clients: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.max_clients, self.clock = rate, burst, max_clients, clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def wait(self, client: str) -> float:
        """Seconds until ``client`` has a token to spend (0.0 if it has one now); spends none."""
        bucket = self._buckets.get(client)
        if bucket is None:
            return 0.0
        tokens = min(float(self.burst),
                     bucket.tokens + (self.clock() - bucket.updated) * self.rate)
        if tokens >= 1.0:
            return 0.0
        return (1.0 - tokens) / self.rate if self.rate > 0 else math.inf

    def take(self, client: str) -> float:
        """Spend a token of ``client``: 0.0 if allowed, else seconds until one is available."""
        now = self.clock()
        bucket = self._buckets.pop(client, None) or _Bucket(float(self.burst), now)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        self._buckets[client] = bucket
        if len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate if self.rate > 0 else math.inf


class SharedBuckets:
    """Token buckets kept in the store: one bucket per client for every process serving the
    store (``Store.take_token``). ``kind`` names the limit; a bucket is shared by the processes
    that give it the same rate and burst. Full buckets are forgotten every ``PRUNE_EVERY``
    seconds, so that a flood of addresses does not stay in the store."""

    blocking = True

    def __init__(self, store: Store, kind: str, rate: float, burst: int, *,
                 clock: Callable[[], float] = time.time) -> None:
        self.store, self.rate, self.burst, self.clock = store, rate, burst, clock
        self.scope = f"{kind} {rate:g}/s {burst}"
        self._pruned = 0.0
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """Seconds until ``client`` has a token (0.0 if it has one now); spends none."""
        return self.store.token_wait(self.scope, client[:100], self.rate, self.burst,
                                     self.clock())

    def take(self, client: str) -> float:
        """Spend a token of ``client``: 0.0 if allowed, else seconds until one is available."""
        now = self.clock()
        with self._lock:
            prune = now - self._pruned >= PRUNE_EVERY
            if prune:
                self._pruned = now
        if prune:
            self.store.prune_throttles(now)
        return self.store.take_token(self.scope, client[:100], self.rate, self.burst, now)


class RateLimitMiddleware:
    """Answer 429 with ``Retry-After`` when a client of the API runs out of tokens. When the
    buckets cannot be read (the store is down) the request goes on: the API answers 503 by
    itself then, and a limit that fails closed would turn a store hiccup into an outage."""

    def __init__(self, app: ASGIApp, buckets: Buckets, *, prefix: str = "/api/") -> None:
        self.app, self.buckets, self.prefix = app, buckets, prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        name = client[0] if client else "unknown"
        try:
            wait = await to_thread.run_sync(self.buckets.take, name) if self.buckets.blocking \
                else self.buckets.take(name)
        except StoreError as exc:
            log.warning("API rate limit not applied (%s)", exc)
            wait = 0.0
        if not wait:
            await self.app(scope, receive, send)
            return
        body = json.dumps({"detail": "Too many requests: slow down."}).encode()
        retry = str(max(1, math.ceil(min(wait, 3600.0)))).encode()
        await send({"type": "http.response.start", "status": 429,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"retry-after", retry)]})
        await send({"type": "http.response.body", "body": body})


class HeadAsGetMiddleware:
    """Answer HEAD requests as GET without the body: FastAPI routes declare GET only, but link
    checkers and crawlers ask HEAD first."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)
