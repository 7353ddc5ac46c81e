"""Concurrency: runners sharing one store never work the same item twice.

Two real `babelwire run --once` processes start together on the same data directory, with a lease
shorter than translating one article takes, so that only renewing the lease keeps one runner off
the other's items. Every page must be fetched once, every item finished once, and SQLite (WAL,
busy timeout) must never answer "database is locked".
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import text

from babelwire.demo.sites import SampleSitesServer, load_sites
from babelwire.exceptions import StoreError
from babelwire.extract.article import extract_article
from babelwire.models import FeedItem, FetchResult, ItemInfo, ItemState
from babelwire.run.runner import Runner, RunReport
from babelwire.run.stages import Services, extract_item
from babelwire.settings import Settings, load
from babelwire.store import Store, new_owner
from babelwire.store.tables import utcnow
from babelwire.translate.engines.base import Answer, Job
from babelwire.translate.router import Router
from tests.helpers.runs import (
    RUN_TIMEOUT,
    SITES,
    assert_store_whole,
    feed_guids,
    prepare_home,
    rows,
    start_run,
)

FINISHED = re.compile(r"^[✓…✗⊘] \[\d+\] \w+: (.*)$", re.M)


def test_two_runners_on_one_store_share_the_work(tmp_path: Path,
                                                 reliability_sites: SampleSitesServer) -> None:
    home = tmp_path / "home"
    prepare_home(home, reliability_sites, lease_seconds=1.5, workers=2)
    _discover(home)  # else the first runner to poll finds the items and the other one none
    procs = [start_run(home) for _ in range(2)]
    outputs = [p.communicate(timeout=RUN_TIMEOUT) for p in procs]
    errors = [err for _, err in outputs]

    assert [p.returncode for p in procs] == [0, 0], errors
    assert not any("locked" in err.lower() for err in errors), errors
    pages = [r for r in reliability_sites.requests if r.endswith(".html")]
    expected = [f"/{site.slug}/{page}" for site in load_sites(reliability_sites.data)
                for page in _page_files(reliability_sites.data / site.slug)]
    assert sorted(pages) == sorted(expected)  # every page fetched, and only once
    finished = [title for err in errors for title in FINISHED.findall(err)]
    assert len(finished) == len(feed_guids(reliability_sites)) == len(set(finished)), errors
    assert all(FINISHED.findall(err) for err in errors), "one runner did all the work"
    assert_store_whole(home)
    # every item finished: published, or held by a check (with its reason), never failed
    states = {r[0] for r in rows(home, "SELECT DISTINCT state FROM items")}
    assert "published" in states and states <= {"published", "held"}, states


def _discover(home: Path) -> None:
    """Poll every source once, so that both runners find the items waiting."""
    settings = load(home=home)
    store = Store(settings.db_url)
    runner = Runner(settings, store)
    try:
        runner.poll_due(RunReport(), due_only=False)
    finally:
        runner.close()
        store.close()


def _page_files(folder: Path) -> list[str]:
    return sorted(p.name.removesuffix(".gz") for p in folder.glob("*.html.gz"))


class SlowIdentity:
    """An engine that answers each segment unchanged, slowly (longer than a lease)."""

    name = "slow-identity"
    max_segments = 0

    def __init__(self, seconds: float) -> None:
        self.seconds, self.calls = seconds, 0
        self.busy_until = 0.0          # time.monotonic() at which the current call answers

    def pairs(self) -> Mapping[tuple[str, str], str]:
        return dict.fromkeys({("es", "en")}, "")

    def run(self, job: Job) -> Answer:
        self.calls += 1
        self.busy_until = time.monotonic() + self.seconds
        time.sleep(self.seconds)
        return Answer(list(job.segments))

    def close(self) -> None:
        return None


def _extracted_item(store: Store) -> int:
    """An item of a real page, extracted and waiting to be translated (es -> en)."""
    page = gzip.decompress((SITES / "prensa" / "es-lanacion-mapuche.html.gz").read_bytes())
    url = "https://news.example/mapuche"
    source, _ = store.add_source("https://news.example/feed.xml", targets=["en"],
                                 source_lang="es")
    store.upsert_feed_items(source.id, [FeedItem(guid=url, url=url)])
    owner = new_owner()
    item = store.claim_item(owner, utcnow(), 60)
    assert item is not None
    store.save_document(item.id, owner, FetchResult(url=url, final_url=url, status=200,
                                                    content=page))
    store.save_article(item.id, owner, extract_article(page, url))
    store.release(item.id, owner)
    return int(item.id)


def test_a_stage_longer_than_the_lease_is_not_taken_over(settings: Settings,
                                                         store: Store) -> None:
    item_id = _extracted_item(store)
    lease = 0.4
    engine = SlowIdentity(seconds=3 * lease)
    settings = settings.replace(lease_seconds=lease, workers=1)
    runner = Runner(settings, store, services=Services(settings, _router=Router([engine])))
    report = RunReport()
    worker = threading.Thread(target=runner.work_all, args=(report,))
    worker.start()
    while _lease_owner(store) is None and worker.is_alive():
        time.sleep(0.01)  # the runner claims it first
    stolen, tries = [], 0
    while worker.is_alive():
        # Only while the engine works: between two stages the runner lets the item go and
        # claims it again, and a claim in that gap is no takeover.
        if time.monotonic() < engine.busy_until - lease / 2:
            tries += 1
            claimed = store.claim_item(new_owner(), utcnow(), lease, item_id=item_id)
            if claimed is not None:
                stolen.append(claimed.state)
                store.release(claimed.id, "nobody")  # leave it leased: the runner must notice
        time.sleep(lease / 4)
    worker.join()
    runner.close()

    assert stolen == [] and tries >= 3      # tried over more than a lease, never got it
    assert sum(report.outcomes.values()) == 1
    item = store.get_item(item_id)
    assert item is not None and item.state in (ItemState.PUBLISHED, ItemState.HELD)
    assert _lease_owner(store) is None
    assert engine.calls >= 1


def _lease_owner(store: Store) -> str | None:
    with store.engine.connect() as conn:
        owner: str | None = conn.execute(text("SELECT lease_owner FROM items")).scalar()
        return owner


def test_a_runner_that_lost_its_lease_can_neither_renew_nor_write(store: Store) -> None:
    item_id = _extracted_item(store)
    owner, thief = new_owner(), new_owner()
    assert store.claim_item(owner, utcnow(), 0.1, item_id=item_id) is not None
    time.sleep(0.15)
    assert store.claim_item(thief, utcnow(), 60, item_id=item_id) is not None
    assert not store.renew_lease(item_id, owner, utcnow(), 60)
    with pytest.raises(StoreError, match="lease lost"):
        store.save_translations(item_id, owner, [])
    assert store.renew_lease(item_id, thief, utcnow(), 60)
    item = store.get_item(item_id)
    assert item is not None and item.state == ItemState.EXTRACTED


EXTRACT_ROUNDS = 20


def test_threads_extracting_at_once_do_not_crash_the_process(tmp_path: Path) -> None:
    """Worker threads extract pages at the same moment, in a child process (a crash must not take
    the test run down with it). trafilatura keeps one lxml parser for the whole process; while
    its string dictionary still grows (a runner that just started), a parse in one thread under
    a read in another crashed the runner with SIGSEGV or SIGABRT, about one round in eight."""
    child = subprocess.run(
        [sys.executable, "-c", "import sys; from tests.test_reliability_concurrency import "
         "extract_in_rounds as run; run(sys.argv[1], int(sys.argv[2]))", str(tmp_path),
         str(EXTRACT_ROUNDS)], cwd=Path(__file__).parents[1], capture_output=True, text=True,
        timeout=RUN_TIMEOUT)
    assert child.returncode == 0, child.stderr[-3000:]
    assert child.stdout.split() == ["extracted", str(EXTRACT_ROUNDS * len(_pages()))]


def _pages() -> list[tuple[bytes, str]]:
    return [(gzip.decompress(p.read_bytes()), p.name.removesuffix(".gz"))
            for p in sorted(SITES.glob("*/*.html.gz"))]


def extract_in_rounds(home: str, rounds: int) -> None:
    """(In the child process.) Each round, one thread per page runs the extract stage at once,
    with trafilatura's parser made new as in a runner that just started."""
    import faulthandler

    import lxml.html
    import trafilatura.utils

    faulthandler.enable()
    settings = load({"per_host_delay": 0}, home=Path(home), environ={})
    store, services = Store(settings.db_url), Services(settings)
    source, _ = store.add_source("https://news.example/feed.xml", targets=["en"])
    done = 0
    for round_ in range(rounds):
        assert isinstance(trafilatura.utils.HTML_PARSER, lxml.html.HTMLParser)
        trafilatura.utils.HTML_PARSER = lxml.html.HTMLParser(
            collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
            remove_pis=True)
        work = [_fetched(store, source.id, f"{round_}-{name}", page) for page, name in _pages()]
        done += _extract_together(settings, store, services, work)
    services.close()
    store.close()
    print("extracted", done)


def _extract_together(settings: Settings, store: Store, services: Services,
                      work: list[tuple[ItemInfo, str]]) -> int:
    barrier = threading.Barrier(len(work))

    def extract(job: tuple[ItemInfo, str]) -> None:
        barrier.wait()
        extract_item(settings, store, services, *job)

    with ThreadPoolExecutor(len(work)) as pool:
        return len(list(pool.map(extract, work)))


def _fetched(store: Store, source_id: int, name: str, page: bytes) -> tuple[ItemInfo, str]:
    url = f"https://news.example/{name}"
    store.upsert_feed_items(source_id, [FeedItem(guid=url, url=url)])
    owner = new_owner()
    item = store.claim_item(owner, utcnow(), 600, item_id=store.item_id(source_id, url))
    assert item is not None
    store.save_document(item.id, owner, FetchResult(url=url, final_url=url, status=200,
                                                    content=page))
    return item, owner
