"""A small client of WordPress's REST API (``/wp-json/wp/v2/``) with an application password.

Every error becomes a ``TargetError`` naming the target and what was asked (the post, the
image, the category); the application password never appears in one. Timeouts, lost
connections, 429 and 5xx answers are retried here with a growing delay and, if they last,
raised as retryable: the sync tries the post again later.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from babelwire import __version__
from babelwire.exceptions import TargetError

JSON = dict[str, Any]


class TargetRefused(TargetError):
    """The target as a whole refuses: wrong user or password, missing rights, no REST API."""


class PostGone(TargetError):
    """The post babelwire made is no longer on the target (deleted there by hand)."""


@dataclass(frozen=True)
class ClientOptions:
    """Timeouts and retries of requests to a target."""

    timeout: float = 30.0
    retries: int = 3
    backoff: float = 0.5


class WordPressClient:
    """Requests to one WordPress site as one user (an application password)."""

    def __init__(self, url: str, user: str, password: str,
                 options: ClientOptions | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.url = url.rstrip("/")
        self.options = options or ClientOptions()
        self._api: str | None = None
        self._http = httpx.Client(auth=(user, password), timeout=self.options.timeout,
                                  transport=transport, follow_redirects=True,
                                  headers={"User-Agent": f"babelwire/{__version__}"})
        self.user = user

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def __enter__(self) -> WordPressClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the API's address ---------------------------------------------------------------------

    def index(self) -> JSON:
        """The REST API's index (its namespaces), found at ``/wp-json/`` or ``?rest_route=/``."""
        for base in (f"{self.url}/wp-json/", f"{self.url}/?rest_route=/"):
            try:
                answer = self._send("GET", base, what="the REST API index")
            except TargetError as exc:
                if exc.retryable:
                    raise
                continue
            if isinstance(answer, dict) and "wp/v2" in answer.get("namespaces", []):
                self._api = base
                return answer
        raise TargetRefused("no WordPress REST API here (is it a WordPress site, with the REST "
                          "API on?)", subject=self.url)

    def _route(self, path: str) -> str:
        if self._api is None:
            self.index()
        assert self._api is not None
        if self._api.endswith("rest_route=/"):
            route, _, query = path.partition("?")
            return f"{self._api}wp/v2/{route}" + (f"&{query}" if query else "")
        return f"{self._api}wp/v2/{path}"

    # -- requests ------------------------------------------------------------------------------

    def call(self, method: str, path: str, *, what: str, json: JSON | None = None,
             params: Mapping[str, str | int] | None = None, content: bytes | None = None,
             headers: Mapping[str, str] | None = None, retry: bool = True) -> Any:
        """One API request (``path`` under ``wp/v2/``), retried while the error is transient
        unless ``retry`` is False (a request that makes something: its answer may be lost after
        WordPress made it, and the caller must look before asking again)."""
        url = self._route(path)
        return self._send(method, url, what=what, json=json, params=params, content=content,
                          headers=headers, retry=retry)

    def _send(self, method: str, url: str, *, what: str, retry: bool = True,
              **kwargs: Any) -> Any:
        attempt = 0
        while True:
            try:
                return self._once(method, url, what=what, **kwargs)
            except TargetError as exc:
                attempt += 1
                if not exc.retryable or not retry or attempt > self.options.retries:
                    raise
                time.sleep(self.options.backoff * 2 ** (attempt - 1))

    def _once(self, method: str, url: str, *, what: str, **kwargs: Any) -> Any:
        subject = f"{self.url} ({what})"
        try:
            response = self._http.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            raise TargetError(f"timed out after {self.options.timeout:g}s", subject=subject,
                              retryable=True) from exc
        except httpx.TransportError as exc:
            raise TargetError(f"cannot connect: {exc.__class__.__name__}: {exc}",
                              subject=subject, retryable=True) from exc
        return _answer(response, subject, self.user)


def _answer(response: httpx.Response, subject: str, user: str) -> Any:
    """The JSON of a successful answer, else the error it means."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.is_success and body is not None:
        return body
    status, code, message = response.status_code, "", ""
    if isinstance(body, dict):
        code, message = str(body.get("code", "")), str(body.get("message", ""))
    said = f" ({code}: {message})" if code else ""
    if response.is_success:
        kind = response.headers.get("content-type", "?").split(";")[0]
        start = " ".join(response.text[:80].split())
        raise TargetError(f"answered {kind} where JSON belongs (a plugin or the server printed "
                          f"something else: {start!r})", subject=subject, retryable=True)
    if status == 401:
        raise TargetRefused(f"the user {user!r} or its application password is wrong (401){said}",
                          subject=subject)
    if status == 403:
        raise TargetRefused(f"the user {user!r} may not do this (403){said}: it needs the "
                          "Editor role", subject=subject)
    if status in (404, 410) and code in ("rest_post_invalid_id", "rest_term_invalid"):
        raise PostGone(f"it is gone from WordPress (deleted there?) ({status}){said}",
                       subject=subject)
    if status == 404 and (body is None or code == "rest_no_route"):
        raise TargetRefused(f"no WordPress REST API route here (404){said}", subject=subject)
    retry = status == 429 or status >= 500
    raise TargetError(f"HTTP {status}{said or ''}" + ("" if body is not None else
                      f" (not JSON: {' '.join(response.text[:80].split())!r})"),
                      subject=subject, retryable=retry)
