"""The pipeline learns a site's template across its pages: a notice inside the article container
of every page is removed from every stored article, the first one included."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from babelwire.extract import extract_article
from babelwire.extract.source import parse_page
from babelwire.models import ItemState, PageBlocks
from babelwire.run.runner import Runner
from babelwire.run.shared_state import StoreSiteMemory
from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.store.tables import SiteTemplatePageRow, utcnow
from tests.helpers.template_site import NOTICE, build_site


@pytest.fixture
def site_server() -> Iterator[tuple[str, dict[str, bytes]]]:
    """A local site serving the six stories (a notice inside each article) and their RSS feed."""
    pages = build_site(set(), updated_copy=False)
    routes: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = routes.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml" if self.path.endswith(".xml")
                             else "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    items = []
    for index, (page, _url) in enumerate(pages):
        routes[f"/nota-{index}"] = page
        items.append(f"<item><title>Nota {index}</title><link>{base}/nota-{index}</link>"
                     f"<guid>{base}/nota-{index}</guid>"
                     f"<pubDate>{format_datetime(utcnow())}</pubDate></item>")
    routes["/feed.xml"] = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                           f"<title>La Nacion</title><link>{base}/</link>{''.join(items)}"
                           "</channel></rss>").encode()
    routes["/robots.txt"] = b"User-agent: *\nAllow: /\n"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base, routes
    server.shutdown()
    server.server_close()


def test_first_article_of_a_new_site_is_cleaned_of_the_notice(
        settings: Settings, store: Store, site_server: tuple[str, dict[str, bytes]]) -> None:
    base, routes = site_server
    port = base.rsplit(":", 1)[1]
    settings = settings.replace(allowed_hosts=(f"127.0.0.1:{port}",))
    # The source is translated into its own language only: this test is about extraction.
    source, _ = store.add_source(f"{base}/feed.xml", targets=["es"], source_lang="es")
    runner = Runner(settings, store)
    try:
        report = runner.run(once=True)
    finally:
        runner.close()
    assert report.outcomes == {"published": 6}
    texts = []
    for index in range(6):
        item_id = store.item_id(source.id, f"{base}/nota-{index}")
        assert item_id is not None
        item = store.get_item(item_id)
        assert item is not None and item.state == ItemState.PUBLISHED
        article = store.load_article(item_id)
        assert article is not None and len(article.text) > 300
        texts.append(article.text)
    assert all(NOTICE not in text for text in texts)
    # the template's standfirst, which the block model adds to a page seen alone, is refused
    # through the store's memory too (it keeps the segments the model may add)
    standfirst = parse_page(routes["/nota-0"], f"{base}/nota-0").metadata.description
    assert standfirst in extract_article(routes["/nota-0"], f"{base}/nota-0").text
    assert all(standfirst not in text for text in texts)
    assert StoreSiteMemory(store).count("127.0.0.1") == 6


def test_without_the_site_memory_the_notice_would_stay(
        site_server: tuple[str, dict[str, bytes]]) -> None:
    """The control: the same first page extracted alone keeps the notice."""
    base, routes = site_server
    assert NOTICE in extract_article(routes["/nota-0"], f"{base}/nota-0").text


def test_the_store_keeps_the_segments_the_model_may_add(store: Store) -> None:
    memory = StoreSiteMemory(store)
    page = PageBlocks("https://example.org/a", ("a block", "another"), ("a standfirst",))
    memory.remember("example.org", page)
    memory.remember("example.org", page)
    assert memory.pages("example.org") == (page,)


def test_a_page_remembered_before_the_additions_were_kept_reads_without_them(
        store: Store) -> None:
    """A row of the earlier form (the list of blocks alone) still reads: no migration."""
    with store.session() as s:
        s.add(SiteTemplatePageRow(site="example.org", page_key="https://example.org/old",
                                  blocks=json.dumps(["a block"]), seen_at=utcnow()))
    newer = PageBlocks("https://example.org/new", ("a block",), ("a standfirst",))
    StoreSiteMemory(store).remember("example.org", newer)
    assert StoreSiteMemory(store).pages("example.org") == (
        PageBlocks("https://example.org/old", ("a block",)), newer)
