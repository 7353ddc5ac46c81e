"""Polite, guarded HTTP downloads: the only way babelwire reads anything from the network.

Every request, including each redirect hop and each robots.txt, goes through the same steps: URL
vetting (http/https only, no credentials, no forbidden IP literal), robots.txt, the per-host delay,
then a connection whose address the SSRF guard accepted (see ``ssrf``), and a body read within a
size cap and a deadline (see ``body``). Failures are ``babelwire.exceptions`` with the URL asked
for as subject; no httpx exception escapes.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urljoin

import httpx

from babelwire.exceptions import (
    BabelwireError,
    BlockedAddress,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    RobotsDisallowed,
)
from babelwire.models import FetchResult
from babelwire.settings import Settings
from babelwire.sources.body import SUPPORTED_ENCODINGS, read_capped
from babelwire.sources.charset import charset_of
from babelwire.sources.robots import MAX_ROBOTS_BYTES, RobotsRules, decode_robots
from babelwire.sources.ssrf import AddressGuard, GuardedTransport
from babelwire.sources.throttle import HostThrottle, KeyedLocks, SharedSlots

MAX_REDIRECTS = 5
ROBOTS_TTL = 24 * 3600.0  # RFC 9309: do not use a cached robots.txt for more than 24 hours
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class _Reply:
    """One HTTP exchange: the body is read only for 2xx answers."""

    url: httpx.URL
    status: int
    headers: httpx.Headers
    body: bytes = b""


class Fetcher:
    """Downloads URLs politely and safely; one per runner, shared by its threads.

    ``transport`` replaces the guarded network transport (tests pass ``httpx.MockTransport``; the
    URL-level checks still apply, the connect-time address check then does not). ``clock`` and
    ``sleep`` drive the per-host delay. ``total_timeout`` bounds one whole request, body included
    (default: connect timeout plus twice the read timeout).
    """

    def __init__(self, settings: Settings, *, transport: httpx.BaseTransport | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep,
                 total_timeout: float | None = None,
                 shared_slots: SharedSlots | None = None) -> None:
        self._settings = settings
        self._guard = AddressGuard.from_settings(settings.allowed_hosts)
        self._client = httpx.Client(
            transport=transport or GuardedTransport(self._guard),
            timeout=httpx.Timeout(connect=settings.connect_timeout, read=settings.read_timeout,
                                  write=settings.read_timeout, pool=settings.connect_timeout),
            follow_redirects=False,  # every hop is vetted here, not inside httpx
            trust_env=False,  # no proxy from the environment: we must see the real address
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": SUPPORTED_ENCODINGS},
        )
        self._clock = clock
        self._throttle = HostThrottle(settings.per_host_delay, clock=clock, sleep=sleep,
                                      shared=shared_slots)
        self._robots: dict[str, tuple[float, RobotsRules]] = {}
        self._robots_locks = KeyedLocks()
        self._agent = _product_token(settings.user_agent)
        self._total_timeout = (total_timeout or settings.total_timeout
                               or settings.connect_timeout + 2 * settings.read_timeout)

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            accept: str = "*/*") -> FetchResult:
        """GET ``url``; ``not_modified=True`` if the validators show it did not change (304)."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        reply = self._follow(url, headers, subject=url, limit=self._settings.max_response_bytes,
                             check_robots=self._settings.respect_robots)
        if reply.status == 304:
            return FetchResult(url=url, final_url=str(reply.url), status=304, not_modified=True,
                               etag=reply.headers.get("etag", etag),
                               last_modified=reply.headers.get("last-modified", last_modified))
        if reply.status in _REDIRECT_STATUSES and reply.headers.get("location"):
            raise FetchError(f"more than {MAX_REDIRECTS} redirects", subject=url)
        if not 200 <= reply.status < 300:
            raise HTTPStatusError(f"HTTP {reply.status}", status=reply.status, subject=url)
        content_type = reply.headers.get("content-type", "")
        return FetchResult(
            url=url, final_url=str(reply.url), status=reply.status, content=reply.body,
            content_type=content_type, encoding=charset_of(content_type),
            etag=reply.headers.get("etag"), last_modified=reply.headers.get("last-modified"),
            robots_tag=tuple(reply.headers.get_list("x-robots-tag")),
        )

    def close(self) -> None:
        """Close pooled connections."""
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- one request, redirects followed by hand ------------------------------------------------

    def _follow(self, url: str, headers: dict[str, str], *, subject: str, limit: int,
                check_robots: bool, truncate: bool = False) -> _Reply:
        """Follow up to MAX_REDIRECTS redirects; returns the last reply (a 3xx if they ran out)."""
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            target = self._vet(current, subject=subject)
            if check_robots:
                self._check_robots(target, subject=subject)
            reply = self._send(target, headers, subject=subject, limit=limit, truncate=truncate)
            location = reply.headers.get("location")
            if reply.status not in _REDIRECT_STATUSES or not location:
                return reply
            current = urljoin(str(target), location.strip())
        return reply

    def _vet(self, url: str, *, subject: str) -> httpx.URL:
        """The parsed URL if babelwire may request it at all (the address is checked later)."""
        try:
            target = httpx.URL(url)
        except (httpx.InvalidURL, ValueError, TypeError) as exc:
            raise FetchError(f"invalid URL: {exc}", subject=subject) from exc
        if target.scheme not in _DEFAULT_PORTS:
            raise BlockedAddress(f"refused URL scheme {target.scheme!r} (only http and https)",
                                 subject=subject)
        if target.userinfo:
            raise BlockedAddress("refused URL with credentials", subject=subject)
        if not target.host:
            raise FetchError("URL has no host", subject=subject)
        port = target.port or _DEFAULT_PORTS[target.scheme]
        self._guard.check_literal(target.host, port, subject=subject)
        return target

    def _send(self, target: httpx.URL, headers: dict[str, str], *, subject: str, limit: int,
              truncate: bool) -> _Reply:
        self._throttle.wait(target.host)
        deadline = time.monotonic() + self._total_timeout
        with _translated(subject), self._client.stream("GET", target, headers=headers) as response:
            if not 200 <= response.status_code < 300:
                return _Reply(target, response.status_code, response.headers)
            chunks: Iterable[bytes] = response.iter_raw()
            coding = response.headers.get("content-encoding", "")
            if response.is_stream_consumed:  # built in memory (MockTransport): already decoded
                chunks, coding = [response.content], ""
            body = read_capped(chunks, content_encoding=coding, limit=limit, deadline=deadline,
                               subject=subject, truncate=truncate)
            return _Reply(target, response.status_code, response.headers, body)

    # -- robots.txt -----------------------------------------------------------------------------

    def _check_robots(self, target: httpx.URL, *, subject: str) -> None:
        rules = self._robots_for(target, subject=subject)
        if not rules.allows(self._agent, str(target)):
            raise RobotsDisallowed(f"robots.txt of {target.host} disallows this URL for "
                                   f"{self._agent}", subject=subject)

    def _robots_for(self, target: httpx.URL, *, subject: str) -> RobotsRules:
        """The origin's rules, fetched once per Fetcher (and again after a day)."""
        origin = f"{target.scheme}://{target.netloc.decode('ascii')}"
        with self._robots_locks.hold(origin):
            cached = self._robots.get(origin)
            if cached is not None and self._clock() - cached[0] < ROBOTS_TTL:
                return cached[1]
            rules = self._fetch_robots(origin, subject=subject)
            self._robots[origin] = (self._clock(), rules)
            self._throttle.set_host_delay(target.host, rules.crawl_delay(self._agent))
            return rules

    def _fetch_robots(self, origin: str, *, subject: str) -> RobotsRules:
        """RFC 9309 outcomes: 2xx obey, 4xx no rules, 5xx/429/network failure disallow for now."""
        try:
            reply = self._follow(f"{origin}/robots.txt", {"Accept": "text/plain, */*"},
                                 subject=subject, limit=MAX_ROBOTS_BYTES, check_robots=False,
                                 truncate=True)
        except BlockedAddress:
            raise
        except FetchError as exc:
            if not exc.retryable:  # e.g. an unreadable body: treat the file as unavailable
                return RobotsRules()
            raise RobotsDisallowed(f"robots.txt of {origin} unreachable ({exc.message}); "
                                   "assuming disallowed until it answers (RFC 9309)",
                                   subject=subject, retryable=True) from exc
        if 200 <= reply.status < 300:
            return RobotsRules.parse(decode_robots(reply.body))
        if reply.status == 429 or reply.status >= 500:
            raise RobotsDisallowed(f"robots.txt of {origin} answered HTTP {reply.status}; "
                                   "assuming disallowed until it answers (RFC 9309)",
                                   subject=subject, retryable=True)
        return RobotsRules()  # 4xx, or redirects that never end: no rules


@contextlib.contextmanager
def _translated(subject: str) -> Iterator[None]:
    """httpx's exceptions as babelwire's, each naming ``subject``."""
    try:
        yield
    except BlockedAddress as exc:
        if exc.subject == subject:
            raise
        raise BlockedAddress(exc.message, subject=subject) from exc
    except BabelwireError:
        raise
    except httpx.TimeoutException as exc:
        raise FetchTimeout(f"timed out: {exc or type(exc).__name__}", subject=subject) from exc
    except httpx.TransportError as exc:  # connect/read/protocol failures: may well pass later
        raise FetchError(f"{type(exc).__name__}: {exc}", subject=subject,
                         retryable=not isinstance(exc, httpx.UnsupportedProtocol)) from exc
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
        raise FetchError(f"{type(exc).__name__}: {exc}", subject=subject) from exc
    except ValueError as exc:  # e.g. a stored ETag that cannot be sent as a header
        raise FetchError(f"request could not be built: {exc}", subject=subject) from exc


def _product_token(user_agent: str) -> str:
    """``babelwire`` from ``babelwire/0.1 (+https://...)``: the name robots.txt groups match."""
    match = re.match(r"[A-Za-z0-9_-]+", user_agent.strip())
    return match.group(0) if match else "*"
