"""ASGI middleware of the public site: security headers on every response (and ``no-store`` on
every admin page), a per-client token bucket in front of the API, and HEAD answered like GET.

Both are plain ASGI classes rather than Starlette's ``BaseHTTPMiddleware``, which costs a task
and a memory stream per request; that matters for the cached-page throughput target.
"""

from __future__ import annotations

import json
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from babelwire.publish.feeds import FEED_FILES

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


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """One token bucket per client: ``rate`` tokens a second, at most ``burst`` saved up.

    Only the ``max_clients`` most recently seen clients are remembered, so a flood of addresses
    cannot grow memory without bound (a forgotten client simply starts with a full bucket).
    """

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


class RateLimitMiddleware:
    """Answer 429 with ``Retry-After`` when a client of the API runs out of tokens."""

    def __init__(self, app: ASGIApp, buckets: TokenBuckets, *, prefix: str = "/api/") -> None:
        self.app, self.buckets, self.prefix = app, buckets, prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.buckets.take(client[0] if client else "unknown")
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
