"""The real pages with licence, paywall and robots markup (tests/data/rights), and pages
served with X-Robots-Tag headers by a local server."""

from __future__ import annotations

import gzip
import json
from http.server import BaseHTTPRequestHandler

from tests.helpers import DATA
from tests.helpers.http import Route

RIGHTS = DATA / "rights"
URLS: dict[str, str] = json.loads((RIGHTS / "urls.json").read_text(encoding="utf-8"))


def page(name: str) -> bytes:
    """The original bytes of a saved page."""
    return gzip.decompress((RIGHTS / f"{name}.html.gz").read_bytes())


def with_head(name: str, markup: str) -> bytes:
    """A saved page with ``markup`` added at the end of its head (markup a test adds to a real
    page: a second licence, an unreadable one)."""
    raw = page(name)
    at = raw.lower().index(b"</head>")
    return raw[:at] + markup.encode() + raw[at:]


def html_page(body: bytes, *robots_tags: str) -> Route:
    """A route answering with an HTML page and one ``X-Robots-Tag`` header per value."""
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        for value in robots_tags:
            handler.send_header("X-Robots-Tag", value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    return route
