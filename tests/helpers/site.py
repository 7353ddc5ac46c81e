"""The publishing site under test: its settings, its test client, signing in to the admin
pages, and what must never reach a reader."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from babelwire.settings import Settings, load
from babelwire.store import Store
from tests.helpers.store import Filled, fill

with warnings.catch_warnings():
    # Starlette 1.x warns that its TestClient prefers the httpx2 package; httpx (a dependency
    # of babelwire) works, so the warning says nothing about our code.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

__all__ = ["TestClient"]

SITE = "https://news.example.org"
BASE = "https://testserver"  # the test site is https: its session cookie is Secure

# What must never reach a reader, in markup or in a JSON string.
FORBIDDEN = [re.compile(pattern, re.I) for pattern in (
    r"<script(?![^>]*application/ld\+json)",  # the JSON-LD data block is ours
    r"javascript:", r"vbscript:", r"""(href|src|data|action)\s*=\s*["']?\s*data:""",
    r"\son[a-z]+\s*=", r"\sstyle\s*=", r"<(iframe|form|input|button|object|embed)\b",
    r"<(svg|math|style|base|meta http)\b", r"evil\.example", r"alert\(",
)]


def site_settings(home: Path, **overrides: Any) -> Settings:
    """Settings of a test site on ``home``, blind to the environment."""
    return load({"site_url": SITE, "site_title": "Babelwire News", **overrides}, home=home,
                environ={})


class FilledSite(NamedTuple):
    """A test site: its settings, and its store filled with the publishing test data."""

    settings: Settings
    store: Store
    filled: Filled


@contextmanager
def filled_site_at(home: Path) -> Iterator[FilledSite]:
    """A test site on ``home``, its store filled by ``tests.helpers.store.fill``."""
    settings = site_settings(home)
    store = Store(settings.db_url)
    try:
        yield FilledSite(settings, store, fill(store))
    finally:
        store.close()


def csrf_of(html: str) -> str:
    """The form token of an admin page."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no form token on the page"
    return found[1]


def sign_in(client: TestClient, secret: str) -> str:
    """Sign ``client`` in with a token; returns the session's form token."""
    response = client.post("/admin/login", data={"token": secret}, follow_redirects=True)
    assert response.status_code == 200 and "Signed in as" in response.text, response.text[:500]
    return csrf_of(response.text)
