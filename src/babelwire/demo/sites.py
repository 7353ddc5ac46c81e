"""A local web server that plays the bundled sample news sites for the demo (and for tests).

It serves each site's feed (with ``{base}`` replaced by the server's own address) and its real
saved pages, answers conditional requests with 304 like a real site, and serves a robots.txt.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

DATA = Path(str(resources.files("babelwire.demo") / "data"))
CONTENT_TYPES = {".xml": "application/rss+xml", "atom.xml": "application/atom+xml",
                 ".json": "application/feed+json", ".html": "text/html"}
# One fixed date for every resource: the bundled files never change, so validators stay stable
# across restarts and a second demo run gets 304s, as it would from a real site.
LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)


@dataclass(frozen=True)
class SampleSite:
    """One bundled site: where its feed is and what it is translated into."""

    slug: str
    name: str
    lang: str
    feed: str
    targets: tuple[str, ...]
    pages: int


def load_sites(data: Path = DATA) -> list[SampleSite]:
    """The bundled sample sites described by ``sites.json``."""
    manifest = json.loads((data / "sites.json").read_text(encoding="utf-8"))
    return [SampleSite(slug=s["slug"], name=s["name"], lang=s["lang"], feed=s["feed"],
                       targets=tuple(s["targets"]), pages=len(s["pages"])) for s in manifest]


class SampleSitesServer:
    """Serves the bundled sites on 127.0.0.1 in a background thread."""

    def __init__(self, port: int = 0, data: Path = DATA) -> None:
        self.data = data
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None
        self.requests: list[str] = []

    @property
    def port(self) -> int:
        """The port actually listened on."""
        return int(self._server.server_address[1])

    @property
    def base(self) -> str:
        """The server's base URL, e.g. ``http://127.0.0.1:8765``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def articles(self) -> int:
        """How many articles the sites played hold, all feeds together."""
        return sum(site.pages for site in load_sites(self.data))

    def feed_url(self, site: SampleSite) -> str:
        """Address of a site's feed on this server."""
        return f"{self.base}/{site.slug}/{site.feed}"

    def start(self) -> SampleSitesServer:
        """Start serving in a daemon thread."""
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="babelwire-sample-sites", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> SampleSitesServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def body(self, path: str) -> tuple[bytes, str] | None:
        """The bytes and content type served at ``path``, or None."""
        if path == "/robots.txt":
            return b"User-agent: *\nAllow: /\n", "text/plain; charset=utf-8"
        parts = [p for p in path.split("/") if p]
        if len(parts) != 2 or any(p.startswith(".") for p in parts):
            return None
        file = self.data / parts[0] / parts[1]
        if parts[1].endswith(".html"):
            packed = file.with_name(parts[1] + ".gz")
            return (gzip.decompress(packed.read_bytes()), "text/html") if packed.is_file() \
                else None
        if not file.is_file():
            return None
        text = file.read_text(encoding="utf-8").replace("{base}", self.base)
        kind = CONTENT_TYPES.get(parts[1]) or CONTENT_TYPES.get(file.suffix, "text/plain")
        return text.encode("utf-8"), kind


def _handler(server: SampleSitesServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server.requests.append(self.path)
            found = server.body(self.path.split("?", 1)[0])
            if found is None:
                self.send_error(404)
                return
            content, kind = found
            etag = '"' + hashlib.sha256(content).hexdigest()[:20] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(content)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", LAST_MODIFIED)
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, format: str, *args: Any) -> None:  # quiet: the CLI shows progress
            return

    return Handler
