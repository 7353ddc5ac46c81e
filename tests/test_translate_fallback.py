"""Routing with fallback: engines down, failing mid-article, failing checks; routes and limits.

HTTP engines run against the local servers of tests/fakes/localservers.py (they translate
with Apertium); the pipeline test runs the real translate stage on a real SQLite store.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from babelwire.exceptions import ConfigError, EngineFailed
from babelwire.models import Article, FeedItem, FetchResult, ItemState, TranslationStatus
from babelwire.run.runner import work_item
from babelwire.run.stages import Services
from babelwire.run.translation import translate_article, translate_lines
from babelwire.settings import Settings, parse_routes
from babelwire.store import Store, new_owner
from babelwire.store.tables import ItemRow, TranslationRow, utcnow
from babelwire.translate.engines.apertium.engine import ApertiumEngine
from babelwire.translate.engines.base import Answer, Job, translate
from babelwire.translate.engines.deepl import DeepLEngine
from babelwire.translate.engines.libretranslate import LibreTranslateEngine
from babelwire.translate.engines.openai_chat import OpenAIChatEngine
from babelwire.translate.engines.registry import describe_engines
from babelwire.translate.memory import MemoryKey, TranslationMemory
from babelwire.translate.router import Router
from babelwire.translate.usage import UsageMeter
from tests.fakes.localservers import (
    Backend,
    DeepLServer,
    LibreTranslateServer,
    OpenAIServer,
)

DATA = Path(__file__).parent / "data" / "engines"
LINES = (DATA / "newstest-en.txt").read_text(encoding="utf-8").splitlines()
FAST = Settings(engine_timeout=2.0, engine_retries=1, engine_backoff=0.01)


@pytest.fixture
def llm(backend: Backend) -> Iterator[OpenAIServer]:
    with OpenAIServer(backend, model="local-mt") as server:
        assert isinstance(server, OpenAIServer)
        yield server


def _llm_engine(server: OpenAIServer, batch: int = 3) -> OpenAIChatEngine:
    return OpenAIChatEngine(FAST.replace(openai_url=server.url + "/v1", openai_model="local-mt",
                                         openai_languages=("en", "es"), openai_batch=batch))


def _article(lines: Sequence[str]) -> Article:
    body = "".join(f"<p>{lines[i]} {lines[i + 1]}</p>" for i in range(1, len(lines) - 1, 2))
    return Article(url="https://news.example/screening", title=lines[0], html=body, text="",
                   lang="en", site_name="Example News")


def _settings(*names: str, cooldown: float = 60.0, **changes: object) -> Settings:
    return Settings().replace(engines=names, engine_cooldown=cooldown, **changes)


def test_an_engine_that_is_down_is_skipped_then_cooled(llm: OpenAIServer,
                                                       apertium: ApertiumEngine) -> None:
    llm.faults.down = True
    engine = _llm_engine(llm)
    meter = UsageMeter()
    router = Router([engine, apertium], settings=_settings("openai", "apertium", cooldown=1.5))
    view = router.bind(meter=meter)
    assert view.translate(["The house is red."], "en", "es").texts == ["La casa es roja."]
    assert view.translate(["The car is blue."], "en", "es").engine == "apertium"
    seen = llm.traffic.requests
    assert seen == 2                            # one request and one retry, then cooled down
    assert meter.totals()["openai"].failures == 1
    llm.faults.down = False
    time.sleep(1.6)                             # the cooldown is over: the engine is back
    assert view.translate(["The dog is black."], "en", "es").engine == "openai"
    engine.close()


def test_an_engine_failing_mid_article_falls_back_whole(llm: OpenAIServer,
                                                        apertium: ApertiumEngine,
                                                        store: Store) -> None:
    llm.faults.fail_after = 2                   # the third request and every later one: 500
    engine = _llm_engine(llm, batch=3)
    memory = TranslationMemory(store)
    router = Router([engine, apertium], settings=_settings("openai", "apertium"))
    tr = translate_article(_article(LINES[:15]), "es", router.bind(memory=memory))
    engine.close()
    assert tr.status == TranslationStatus.PUBLISHED and tr.engine == "apertium"
    # what the LLM did translate before failing is kept: it will not be paid for again
    sent = llm.traffic.texts
    assert len(sent) == 6
    key = MemoryKey("openai", "local-mt", "en", "es")
    assert set(memory.lookup(key, sent)) == set(sent)


def test_with_no_fallback_the_item_waits_and_resumes(llm: OpenAIServer, settings: Settings,
                                                     store: Store) -> None:
    llm.faults.fail_after = 1
    engine = _llm_engine(llm, batch=4)
    services = Services(settings, _router=Router([engine], settings=_settings("openai")))
    item_id = _extracted_item(store, _article(LINES[:15]))
    state = _work(settings, store, services, item_id)
    assert state == ItemState.EXTRACTED                 # not published, to be tried again
    with store.session() as s:
        row = s.get_one(ItemRow, item_id)
        assert row.next_attempt_at is not None and "every route failed" in (row.reason or "")
        assert s.query(TranslationRow).count() == 0     # nothing half-translated is stored
        s.execute(update(ItemRow).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    first_sent = llm.traffic.segments
    llm.faults.fail_after = None
    services._router = Router([engine], settings=_settings("openai"))       # cooldown forgotten
    assert _work(settings, store, services, item_id) == ItemState.PUBLISHED
    assert first_sent == 4 and llm.traffic.segments - first_sent == 15 - 4     # not resent
    lines = store.usage(1)
    assert {ln.engine for ln in lines} == {"openai"}
    assert lines[0].counts.failures == 1 and lines[0].counts.segments == 15
    services.close()


def _work(settings: Settings, store: Store, services: Services, item_id: int) -> ItemState:
    owner = new_owner()
    item = store.claim_item(owner, utcnow(), 60, item_id=item_id)
    assert item is not None
    return work_item(settings, store, services, item, owner)


def _extracted_item(store: Store, article: Article) -> int:
    source, _ = store.add_source("https://news.example/feed.xml", targets=["es"],
                                 name="Example News", source_lang="en")
    store.upsert_feed_items(source.id, [FeedItem(guid=article.url, url=article.url)])
    item_id = store.item_id(source.id, article.url)
    owner = new_owner()
    claimed = store.claim_item(owner, utcnow(), 60, item_id=item_id)
    assert claimed is not None
    store.save_document(claimed.id, owner, FetchResult(url=article.url, final_url=article.url,
                                                       status=200, content=b"<html></html>"))
    store.save_article(claimed.id, owner, article)
    store.release(claimed.id, owner)
    return claimed.id


class WrongLanguage:
    """Apertium answering in another language than asked: the checks must catch it."""

    name = "wrongway"
    max_segments = 0

    def __init__(self, inner: ApertiumEngine) -> None:
        self.inner = inner

    def pairs(self) -> Mapping[tuple[str, str], str]:
        return self.inner.pairs()

    def run(self, job: Job) -> Answer:
        segments, src, tgt = job.segments, job.src, job.tgt
        return Answer(translate(self.inner, segments, src, "ca" if tgt != "ca" else "es"))

    def close(self) -> None:
        pass


def test_failed_checks_fall_back_to_the_next_engine(apertium: ApertiumEngine) -> None:
    router = Router([WrongLanguage(apertium), apertium])
    tr = translate_article(_article(LINES[:11]), "es", router)
    assert tr.status == TranslationStatus.PUBLISHED and tr.engine == "apertium"
    assert any("wrongway's translation failed checks (language" in r for r in tr.repairs)
    lines = translate_lines(LINES[20:26], "en", "es", router)
    assert lines.status == TranslationStatus.PUBLISHED and lines.engine == "apertium"
    held = translate_article(_article(LINES[:11]), "es", Router([WrongLanguage(apertium)]))
    assert held.status == TranslationStatus.HELD and held.engine == "wrongway"


def test_pivot_through_a_third_language_across_engines(backend: Backend) -> None:
    with DeepLServer(backend, [("en", "es"), ("es", "en")]) as deepl, \
            LibreTranslateServer(backend, [("es", "fr")]) as libre:
        first = DeepLEngine(FAST.replace(deepl_api_key="test-key:fx", deepl_url=deepl.url))
        second = LibreTranslateEngine(FAST.replace(libretranslate_url=libre.url))
        router = Router([first, second])
        routed = router.translate(['The <g id="1">house</g> is red.'], "en", "fr")
        router.close()
    assert routed.engine == "deepl+libretranslate (en→es→fr)"
    assert routed.texts == ['La <g id="1">maison</g> est rouge.']


class Slow:
    """An engine that takes a while and records how many calls overlap."""

    max_segments = 0

    def __init__(self, name: str) -> None:
        self.name, self.active, self.most = name, 0, 0
        self.lock = threading.Lock()

    def pairs(self) -> Mapping[tuple[str, str], str]:
        return dict.fromkeys({("en", "es")}, "")

    def run(self, job: Job) -> Answer:
        with self.lock:
            self.active += 1
            self.most = max(self.most, self.active)
        time.sleep(0.05)
        with self.lock:
            self.active -= 1
        return Answer([s.upper() for s in job.segments])

    def close(self) -> None:
        pass


@pytest.mark.parametrize("limit", [1, 3])
def test_concurrency_limit_per_engine(limit: int) -> None:
    engine = Slow("slow")
    router = Router([engine], settings=_settings("slow", engine_concurrency=(f"slow={limit}",)))
    threads = [threading.Thread(target=router.translate, args=([f"s{i}"], "en", "es"))
               for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert engine.most == limit


def test_routes_order_engines_per_pair() -> None:
    a, b = Slow("a"), Slow("b")
    router = Router([a, b], settings=_settings("a", "b", routes=("en-es: b a",)))
    assert [r.label for r in router.routes("en", "es")] == ["b", "a"]
    plain = Router([a, b], settings=_settings("a", "b"))
    assert plain.route("en", "es").label == "a"


@pytest.mark.parametrize(("value", "expected"), [
    (["en-es: ctranslate2 apertium", "es-en = deepl>apertium"],
     {("en", "es"): ("ctranslate2", "apertium"), ("es", "en"): ("deepl", "apertium")}),
    ("en-fr: openai | apertium; fr-en: apertium",
     {("en", "fr"): ("openai", "apertium"), ("fr", "en"): ("apertium",)}),
    ({"en-es": ["deepl", "apertium"]}, {("en", "es"): ("deepl", "apertium")}),
])
def test_parse_routes(value: object, expected: dict[tuple[str, str], tuple[str, ...]]) -> None:
    assert parse_routes(value) == expected


@pytest.mark.parametrize("bad", [["english-spanish: apertium"], ["en-es"], ["en-es:"]])
def test_bad_routes_are_config_errors(bad: list[str]) -> None:
    with pytest.raises(ConfigError):
        parse_routes(bad)


def test_every_route_failing_is_retryable(llm: OpenAIServer) -> None:
    llm.faults.down = True
    engine = _llm_engine(llm)
    with pytest.raises(EngineFailed) as info:
        Router([engine]).translate(["Hello."], "en", "es")
    assert info.value.retryable
    engine.close()


def test_describe_engines_says_what_to_set(settings: Settings) -> None:
    statuses = {s.name: s for s in describe_engines(settings)}
    assert set(statuses) == {"apertium", "ctranslate2", "libretranslate", "openai", "deepl"}
    assert statuses["apertium"].available and statuses["apertium"].enabled
    assert not statuses["openai"].available and "openai_url" in statuses["openai"].hint
    assert "deepl_api_key" in statuses["deepl"].hint
    assert "models install" in statuses["ctranslate2"].hint or \
        "pip install" in statuses["ctranslate2"].hint
