"""Real `babelwire run --once` processes on a data directory that follows the reliability sites
(tests/data/reliability/sites, played by the demo's sample-sites server), and what their store
must hold after them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import lxml.html
from sqlalchemy import text

from babelwire.cli.demo import subscribe
from babelwire.demo.sites import SampleSitesServer, load_sites
from babelwire.sources.feeds import parse_feed
from babelwire.store import Store
from tests.helpers import DATA

SITES = DATA / "reliability" / "sites"
RUN_TIMEOUT = 240.0
END_STATES = {"published", "held", "failed"}


def prepare_home(home: Path, server: SampleSitesServer, **settings: Any) -> None:
    """A data directory allowed to reach the sample server, following its sites."""
    home.mkdir(parents=True, exist_ok=True)
    values = {"allowed_hosts": [f"127.0.0.1:{server.port}"], "per_host_delay": 0, **settings}
    (home / "babelwire.toml").write_text(
        "".join(f"{k} = {json.dumps(v)}\n" for k, v in values.items()), encoding="utf-8")
    store = Store(db_url(home))
    try:
        subscribe(store, server)
    finally:
        store.close()


def db_url(home: Path) -> str:
    """The SQLite URL of a data directory's store."""
    return f"sqlite:///{home / 'babelwire.db'}"


def start_run(home: Path) -> subprocess.Popen[str]:
    """`babelwire --home HOME run --once` as a child process."""
    return subprocess.Popen([sys.executable, "-m", "babelwire", "--home", str(home), "run",
                             "--once"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=dict(os.environ))


def run_once(home: Path) -> subprocess.CompletedProcess[str]:
    """Run `babelwire run --once` to the end and check it succeeded."""
    proc = subprocess.run([sys.executable, "-m", "babelwire", "--home", str(home), "run",
                           "--once"], capture_output=True, text=True, timeout=RUN_TIMEOUT,
                          env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr
    return proc


def feed_guids(server: SampleSitesServer) -> set[str]:
    """Every guid the sample sites' feeds list, read with babelwire's own feed parser."""
    guids = set()
    for site in load_sites(server.data):
        body = server.body(f"/{site.slug}/{site.feed}")
        assert body is not None
        guids |= {item.guid for item in parse_feed(body[0], server.feed_url(site)).items}
    return guids


def rows(home: Path, sql: str) -> list[tuple[Any, ...]]:
    """The rows of a query on a data directory's store (opened without migrating)."""
    store = Store(db_url(home), migrate_schema=False)
    try:
        with store.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        store.close()


def assert_store_whole(home: Path) -> None:
    """Integrity, no lease left, every item finished, every translation complete."""
    assert rows(home, "PRAGMA integrity_check") == [("ok",)]
    assert rows(home, "PRAGMA foreign_key_check") == []
    assert rows(home, "SELECT count(*) FROM items WHERE lease_owner IS NOT NULL "
                      "OR lease_until IS NOT NULL") == [(0,)]
    assert rows(home, "SELECT count(*) FROM sources WHERE poll_lease_until IS NOT NULL") == [(0,)]
    assert rows(home, "SELECT source_id, guid FROM items GROUP BY source_id, guid "
                      "HAVING count(*) > 1") == []
    assert rows(home, "SELECT item_id, lang FROM translations GROUP BY item_id, lang "
                      "HAVING count(*) > 1") == []
    for state, html_len in rows(home, "SELECT i.state, length(a.html) FROM items i "
                                      "LEFT JOIN articles a ON a.item_id = i.id"):
        assert state in END_STATES and (state != "published" or html_len)
    for status, title, html, checks, published_at in rows(
            home, "SELECT status, title, html, checks, published_at FROM translations"):
        assert all({"name", "ok", "detail"} <= set(c) for c in json.loads(checks))
        if status == "published":
            assert title.strip() and html.strip() and published_at is not None
            assert lxml.html.fragment_fromstring(html, create_parent="div").text_content().strip()
