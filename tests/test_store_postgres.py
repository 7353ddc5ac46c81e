"""The store on a real PostgreSQL server: migrations, concurrent leases, bytes and time zones.

The store's behaviour tests (tests/test_store_store.py) run on both databases through the
``db_store`` fixture; these are the things that only a server with real concurrency shows.
"""

from __future__ import annotations

import gzip
import threading
from collections import Counter
from datetime import timedelta

from alembic import command
from sqlalchemy import inspect, text

from babelwire.models import FeedItem, FetchResult
from babelwire.store import Store, new_owner
from babelwire.store.db import alembic_config
from babelwire.store.tables import utcnow
from tests.helpers import DATA

LATIN1_FEED = DATA / "sources" / "feeds" / "real" / "rss2" / "de" / "golem-2018-iso-8859-1.xml.gz"
TABLES = {"sources", "items", "documents", "articles", "translations"}


def _items(n: int) -> list[FeedItem]:
    return [FeedItem(guid=f"g{i}", url=f"https://news.example/{i}", title=f"T{i}")
            for i in range(n)]


def test_a_new_database_is_migrated_to_the_newest_revision(fresh_pg_url: str) -> None:
    store = Store(fresh_pg_url)
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() \
                == _head(store)
            assert set(inspect(conn).get_table_names()) >= TABLES
        command.downgrade(alembic_config(store.engine), "base")
        with store.engine.connect() as conn:
            assert not TABLES & set(inspect(conn).get_table_names())
        command.upgrade(alembic_config(store.engine), "head")
        assert store.list_sources() == []
    finally:
        store.close()


def _head(store: Store) -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(store.engine)).get_current_head()
    assert head is not None
    return head


def test_concurrent_runners_never_claim_the_same_item(pg_url: str) -> None:
    setup = Store(pg_url)
    source, _ = setup.add_source("https://news.example/feed.xml", targets=["en"])
    setup.upsert_feed_items(source.id, _items(60))
    setup.close()
    claims: Counter[int] = Counter()
    lock = threading.Lock()

    def runner(store: Store) -> None:
        owner = new_owner()
        try:
            while (item := store.claim_item(owner, utcnow(), 60)) is not None:
                with lock:
                    claims[item.id] += 1
        finally:
            store.close()

    # each runner its own engine and connections, like another process; opened one after the
    # other because Alembic's migration context is global to the Python process
    threads = [threading.Thread(target=runner, args=(Store(pg_url),)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(claims) == 60 and set(claims.values()) == {1}


def test_concurrent_schedulers_poll_each_source_once(pg_url: str) -> None:
    setup = Store(pg_url)
    for n in range(20):
        setup.add_source(f"https://news{n}.example/feed.xml", targets=["en"])
    setup.close()
    claimed: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(4, timeout=30)

    def scheduler(store: Store) -> None:
        try:
            barrier.wait()
            due = store.claim_due_sources(utcnow(), 60)
            with lock:
                claimed.extend(s.id for s in due)
        finally:
            store.close()

    threads = [threading.Thread(target=scheduler, args=(Store(pg_url),)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(claimed) == list(range(1, 21))


def test_downloaded_bytes_come_back_unchanged(pg_store: Store) -> None:
    body = gzip.decompress(LATIN1_FEED.read_bytes())
    assert b"\xe4" in body or b"\xfc" in body  # ISO-8859-1 umlauts: not valid UTF-8
    source, _ = pg_store.add_source("https://www.golem.de/rss", targets=["en"])
    pg_store.upsert_feed_items(source.id, _items(1))
    owner = new_owner()
    item = pg_store.claim_item(owner, utcnow(), 60)
    assert item is not None
    result = FetchResult(url=item.url, final_url=item.url, status=200, content=body,
                         content_type="application/rss+xml", encoding="iso-8859-1")
    pg_store.save_document(item.id, owner, result)
    assert pg_store.load_document(item.id) == FetchResult(
        url=item.url, final_url=item.url, status=200, content=body,
        content_type="application/rss+xml", encoding="iso-8859-1")


def test_leases_compare_times_in_utc_whatever_the_session_time_zone(pg_url: str) -> None:
    store = Store(pg_url)
    try:
        with store.engine.connect() as conn:
            conn.execute(text("ALTER DATABASE " + pg_url.rsplit("/", 1)[1]
                              + " SET timezone TO 'America/Lima'"))
            conn.commit()
        store.engine.dispose()  # new connections get the new zone
        source, _ = store.add_source("https://news.example/feed.xml", targets=["en"])
        store.upsert_feed_items(source.id, _items(1))
        now = utcnow()
        assert store.claim_item("a", now, 60) is not None
        assert store.claim_item("b", now + timedelta(seconds=59), 60) is None
        assert store.claim_item("b", now + timedelta(seconds=61), 60) is not None
    finally:
        with store.engine.connect() as conn:
            conn.execute(text("ALTER DATABASE " + pg_url.rsplit("/", 1)[1] + " RESET timezone"))
            conn.commit()
        store.close()
