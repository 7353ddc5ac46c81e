"""What every HTTP engine needs: timeouts, a request rate, retries with backoff, clear errors.

One ``EngineClient`` per engine instance wraps an ``httpx.Client``. A request that cannot connect,
or is answered 429 or 5xx, is retried after ``backoff * 2**attempt`` seconds (or the server's
``Retry-After`` when it gives one), up to ``retries`` times; a wait longer than the request
timeout is not worth it: the engine gives up at once and the router falls back. A request that
timed out is not retried either: a server that let the whole timeout pass without answering is
stalled, and asking again would hold the article back another timeout. 401/403
means the key is wrong (``EngineUnavailable``); other 4xx mean the request itself is wrong.
"""

from __future__ import annotations

import email.utils
import threading
import time
from typing import Any

import httpx

from babelwire.exceptions import EngineFailed, EngineUnavailable
from babelwire.settings import Settings, parse_numbers

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class RateLimiter:
    """Spaces request starts ``1 / rate`` seconds apart across threads (0: no limit)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Block until this caller may start a request."""
        if not self.interval:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            time.sleep(start - now)


class EngineClient:
    """An HTTP client for one engine's API, with its timeouts, rate, retries and errors."""

    def __init__(self, name: str, base_url: str, settings: Settings, *,
                 headers: dict[str, str] | None = None,
                 transport: httpx.BaseTransport | None = None, hint: str = "") -> None:
        self.name = name
        self.timeout = float(settings.engine_timeout)
        self.retries = int(settings.engine_retries)
        self.backoff = float(settings.engine_backoff)
        self.hint = hint
        rates = parse_numbers(settings.engine_rate, "engine_rate")
        self.limiter = RateLimiter(rates.get(name, 0.0))
        timeout = httpx.Timeout(self.timeout, connect=min(10.0, self.timeout))
        self.client = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout,
                                   headers=headers or {}, transport=transport)
        self.retried = 0                    # how many retries this client made (for tests)

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send a request and return its JSON body, retrying what may pass later."""
        attempt = 0
        while True:
            self.limiter.wait()
            try:
                response = self.client.request(method, path, **kwargs)
            except httpx.TimeoutException as exc:
                raise EngineFailed(f"{self.name} timed out after {self.timeout:g}s "
                                   f"({exc.__class__.__name__})", subject=self.name,
                                   retryable=True) from exc
            except httpx.TransportError as exc:
                wait, problem = self._backoff(attempt, None), f"cannot connect ({exc})"
            else:
                if response.status_code < 400:
                    return self._json(response)
                self._raise_final(response)
                wait = self._backoff(attempt, response.headers.get("retry-after"))
                problem = f"answered {response.status_code}: {_error_text(response)}"
            if attempt >= self.retries or wait is None:
                raise EngineFailed(f"{self.name} {problem}", subject=self.name, retryable=True)
            attempt += 1
            self.retried += 1
            time.sleep(wait)

    def _backoff(self, attempt: int, retry_after: str | None) -> float | None:
        """Seconds to wait before the next attempt; None when it is not worth waiting."""
        wait = self.backoff * 2 ** attempt
        if retry_after:
            wait = _parse_retry_after(retry_after, wait)
        return wait if wait <= self.timeout else None

    def _raise_final(self, response: httpx.Response) -> None:
        status = response.status_code
        if status in RETRY_STATUSES:
            return
        detail = _error_text(response)
        if status in (401, 403):
            raise EngineUnavailable(f"{self.name} refused the key ({status}: {detail})",
                                    hint=self.hint, subject=self.name)
        if status == 456:                                   # DeepL: quota exceeded
            raise EngineFailed(f"{self.name} quota exceeded: {detail}", subject=self.name,
                               retryable=True)
        raise EngineFailed(f"{self.name} rejected the request ({status}: {detail})",
                           subject=self.name, retryable=False)

    def _json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise EngineFailed(f"{self.name} answered something that is not JSON",
                               subject=self.name) from exc

    def close(self) -> None:
        """Close the connections."""
        self.client.close()


def _parse_retry_after(value: str, default: float) -> float:
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return max(0.0, when.timestamp() - time.time())


def _error_text(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        error = body.get("error") or body.get("message") or body.get("detail") or body
        if isinstance(error, dict):
            error = error.get("message", error)
        return str(error)[:200]
    return str(body)[:200]
