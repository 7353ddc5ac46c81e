"""Take docs/wordpress-post.png: a translation published by babelwire, in WordPress's own theme.

    python scripts/wordpress_screenshot.py [OUT]

Starts the tests' WordPress (tests/services_wordpress.py), publishes the human Spanish
translation of the en-chips test article with a lead image made on the spot (a gradient: the
article's own image is not stored in the repository), and photographs the post with headless
Chromium (Playwright, with the launch flags ENGINES.md gives for Debian's Chromium).
"""

from __future__ import annotations

import struct
import sys
import tempfile
import zlib
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # for tests.services_wordpress and tests.helpers: the same helpers

from tests.helpers.http import LocalServer, reply  # noqa: E402
from tests.helpers.wordpress import add_chips, add_target, rest, sync  # noqa: E402
from tests.services_wordpress import WordPressServer  # noqa: E402

from babelwire.settings import load  # noqa: E402
from babelwire.store import Store  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-quic", "--disable-dev-shm-usage"]


def gradient(width: int = 960, height: int = 400) -> bytes:
    """A PNG of a blue-to-teal gradient."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"".join(bytes((20, 60 + 120 * x // width, 140 + 60 * y // height))
                                       for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def main() -> None:
    """Publish one post and photograph it."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "wordpress-post.png"
    server = WordPressServer.start()
    images = LocalServer()
    images.routes["/lead.png"] = reply(200, gradient(), Content_Type="image/png")
    try:
        with tempfile.TemporaryDirectory() as home:
            settings = load({"per_host_delay": 0.0,
                             "allowed_hosts": f"127.0.0.1:{images.port}"},
                            home=Path(home), environ={})
            store = Store(settings.db_url)
            add_chips(store, 1, image=images.url("/lead.png"))
            target = add_target(store, server, Path(home))
            sync(settings, store, target)
            post_id = store.target_posts(target.id)[0].post_id
            link = rest(server, f"posts/{post_id}")["link"]
            store.close()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 900, "height": 1200})
            page.goto(link, wait_until="load", timeout=30_000)
            page.screenshot(path=str(out), full_page=True)
            browser.close()
        print(f"{link} -> {out}")
    finally:
        images.close()
        server.stop()


if __name__ == "__main__":
    main()
