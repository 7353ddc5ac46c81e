"""The HTTP engines (LibreTranslate, OpenAI-compatible chat, DeepL) against local servers.

The servers (tests/fakes/localservers.py) implement each API's documented shapes and
really translate through Apertium, so the assertions are about real output; faults (429 with
Retry-After, 5xx, hangs, dropped placeholders, prose instead of JSON) are switched on per test.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from babelwire.exceptions import EngineFailed, EngineUnavailable, UnsupportedPair
from babelwire.models import GlossaryEntry
from babelwire.settings import Settings
from babelwire.translate.engines.base import Job, translate
from babelwire.translate.engines.deepl import DeepLEngine
from babelwire.translate.engines.http import RateLimiter
from babelwire.translate.engines.libretranslate import LibreTranslateEngine
from babelwire.translate.engines.openai_chat import OpenAIChatEngine
from tests.fakes.localservers import (
    Backend,
    DeepLServer,
    LibreTranslateServer,
    OpenAIServer,
)

PAIRS = [("en", "es"), ("es", "en"), ("en", "fr"), ("fr", "en")]
LINKED = 'Analysts at <k id="1">Morgan Stanley</k> wrote <g id="1">the report</g> today.'
PLACEHOLDER = 'Prices rose <x id="10001"/> in May.'
FAST = Settings(engine_timeout=2.0, engine_retries=2, engine_backoff=0.01)


@pytest.fixture
def libre(backend: Backend) -> Iterator[LibreTranslateServer]:
    with LibreTranslateServer(backend, PAIRS, api_key="lt-key") as server:
        assert isinstance(server, LibreTranslateServer)
        yield server


@pytest.fixture
def chat(backend: Backend) -> Iterator[OpenAIServer]:
    with OpenAIServer(backend, model="local-mt", api_key="sk-local") as server:
        assert isinstance(server, OpenAIServer)
        yield server


@pytest.fixture
def deepl(backend: Backend) -> Iterator[DeepLServer]:
    with DeepLServer(backend, PAIRS, api_key="test-key:fx") as server:
        assert isinstance(server, DeepLServer)
        yield server


def _openai(server: OpenAIServer, settings: Settings = FAST) -> OpenAIChatEngine:
    return OpenAIChatEngine(settings.replace(
        openai_url=server.url + "/v1", openai_model="local-mt", openai_api_key="sk-local",
        openai_languages=("en", "es", "fr")))


# -- LibreTranslate -----------------------------------------------------------------------------


def test_libretranslate_translates_whole_sentences_and_projects_markup(
        libre: LibreTranslateServer) -> None:
    engine = LibreTranslateEngine(FAST.replace(libretranslate_url=libre.url,
                                               libretranslate_api_key="lt-key"))
    try:
        assert set(engine.pairs()) == set(PAIRS)
        out = translate(engine, [LINKED, "The house is red.", ""], "en", "es")
    finally:
        engine.close()
    assert out == ['Los analistas en <k id="1">Morgan Stanley</k> escribieron '
                   '<g id="1">el informe</g> hoy.', "La casa es roja.", ""]
    # the sentence went whole, and the link's text alongside it, in one request
    assert libre.traffic.translate_requests == 1
    assert "Analysts at Morgan Stanley wrote the report today." in libre.traffic.texts
    assert "the report" in libre.traffic.texts


def test_libretranslate_wrong_key_is_unavailable(libre: LibreTranslateServer) -> None:
    engine = LibreTranslateEngine(FAST.replace(libretranslate_url=libre.url,
                                               libretranslate_api_key="wrong"))
    with pytest.raises(EngineUnavailable) as info:
        translate(engine, ["Hello."], "en", "es")
    assert "libretranslate_api_key" in info.value.hint
    engine.close()


def test_libretranslate_refuses_unlisted_pair(libre: LibreTranslateServer) -> None:
    engine = LibreTranslateEngine(FAST.replace(libretranslate_url=libre.url,
                                               libretranslate_api_key="lt-key"))
    with pytest.raises(UnsupportedPair):
        translate(engine, ["Hola."], "es", "fr")
    engine.close()


def test_unconfigured_engines_say_what_to_set() -> None:
    with pytest.raises(EngineUnavailable, match="LibreTranslate") as lt:
        LibreTranslateEngine(Settings())
    assert "libretranslate_url" in lt.value.hint
    with pytest.raises(EngineUnavailable) as chat:
        OpenAIChatEngine(Settings())
    assert "openai_url" in chat.value.hint
    with pytest.raises(EngineUnavailable) as dl:
        DeepLEngine(Settings())
    assert "deepl_api_key" in dl.value.hint


# -- OpenAI-compatible chat ---------------------------------------------------------------------


def test_openai_translates_keeps_markup_and_reports_tokens(chat: OpenAIServer) -> None:
    engine = _openai(chat)
    answer = engine.run(Job((LINKED, PLACEHOLDER, ""), "en", "es"))
    engine.close()
    assert answer.texts[0] == ('Los analistas en <k id="1">Morgan Stanley</k> escribieron '
                               '<g id="1">el informe</g> hoy.')
    assert answer.texts[1] == 'Los precios ascendieron <x id="10001"/> en mayo.'
    assert answer.texts[2] == ""
    assert answer.tokens_in > 100 and answer.tokens_out > 10          # the server's usage
    assert chat.traffic.translate_requests == 1 and engine.pairs()[("en", "es")] == "local-mt"


def test_openai_asks_again_for_answers_that_lost_a_placeholder(chat: OpenAIServer) -> None:
    chat.faults.drop_markup = 1
    engine = _openai(chat)
    out = translate(engine, [LINKED, "The house is red.", PLACEHOLDER], "en", "es")
    engine.close()
    assert '<x id="10001"/>' in out[2] and '<g id="1">el informe</g>' in out[0]
    # one batch, then the two broken segments alone; the good one was kept
    assert chat.traffic.translate_requests == 3


def test_openai_answering_prose_is_retried(chat: OpenAIServer) -> None:
    chat.faults.garbage = 1
    engine = _openai(chat)
    assert translate(engine, ["The house is red."], "en", "es") == ["La casa es roja."]
    engine.close()
    assert chat.traffic.translate_requests == 2


def test_openai_that_keeps_dropping_placeholders_fails(chat: OpenAIServer) -> None:
    chat.faults.drop_markup = 100
    engine = _openai(chat)
    with pytest.raises(EngineFailed, match="missing") as info:
        translate(engine, [PLACEHOLDER], "en", "es")
    engine.close()
    assert info.value.retryable


def test_openai_waits_out_429_with_retry_after(chat: OpenAIServer) -> None:
    chat.faults.throttle, chat.faults.retry_after = 2, "1"
    engine = _openai(chat)
    started = time.monotonic()
    assert translate(engine, ["The house is red."], "en", "es") == ["La casa es roja."]
    assert time.monotonic() - started >= 2.0             # Retry-After: 1, twice
    assert engine.client.retried == 2
    engine.close()


def test_retry_after_longer_than_the_timeout_fails_at_once(chat: OpenAIServer) -> None:
    chat.faults.throttle, chat.faults.retry_after = 1, "3600"
    engine = _openai(chat)
    started = time.monotonic()
    with pytest.raises(EngineFailed, match="429"):
        translate(engine, ["The house is red."], "en", "es")
    assert time.monotonic() - started < 1.0 and engine.client.retried == 0
    engine.close()


def test_5xx_is_retried_with_backoff_then_fails(chat: OpenAIServer) -> None:
    chat.faults.fail_after, chat.faults.fail_status = 0, 503
    engine = _openai(chat, Settings(engine_timeout=2.0, engine_retries=3, engine_backoff=0.05))
    started = time.monotonic()
    with pytest.raises(EngineFailed, match="503") as info:
        translate(engine, ["The house is red."], "en", "es")
    assert info.value.retryable and engine.client.retried == 3
    assert time.monotonic() - started >= 0.05 + 0.1 + 0.2          # exponential backoff
    engine.close()


def test_a_hanging_server_times_out(chat: OpenAIServer) -> None:
    chat.faults.delay = 1.0
    engine = _openai(chat, Settings(engine_timeout=0.3, engine_retries=1, engine_backoff=0.01))
    with pytest.raises(EngineFailed, match="timed out"):
        translate(engine, ["The house is red."], "en", "es")
    engine.close()


def test_openai_wrong_key_is_unavailable(chat: OpenAIServer) -> None:
    engine = OpenAIChatEngine(FAST.replace(
        openai_url=chat.url + "/v1", openai_model="local-mt", openai_api_key="nope"))
    with pytest.raises(EngineUnavailable):
        translate(engine, ["Hi."], "en", "es")
    engine.close()


# -- DeepL ---------------------------------------------------------------------------------------


def test_deepl_uses_xml_tag_handling_and_ignored_tags(deepl: DeepLServer) -> None:
    engine = DeepLEngine(FAST.replace(deepl_api_key="test-key:fx", deepl_url=deepl.url))
    out = translate(engine, [LINKED, PLACEHOLDER], "en", "fr")
    engine.close()
    assert '<k id="1">Morgan Stanley</k>' in out[0] and '<g id="1">le rapport</g>' in out[0]
    assert '<x id="10001"/>' in out[1]
    assert deepl.billed == len(LINKED) + len(PLACEHOLDER)


def test_deepl_glossary_is_created_once_and_applied(deepl: DeepLServer) -> None:
    engine = DeepLEngine(FAST.replace(deepl_api_key="test-key:fx", deepl_url=deepl.url))
    entry = GlossaryEntry("Board of Directors", "en", "es", "Junta Directiva")
    segment = 'The <k id="1">Board of Directors</k> met on Monday.'
    for _ in range(2):
        answer = engine.run(Job((segment,), "en", "es", (entry,)))
        assert '<k id="1">Junta Directiva</k>' in answer.texts[0]
    engine.close()
    assert [g["name"] for g in deepl.glossaries.values()] == [
        next(iter(deepl.glossaries.values()))["name"]]          # one glossary, reused
    again = DeepLEngine(FAST.replace(deepl_api_key="test-key:fx", deepl_url=deepl.url))
    again.run(Job((segment,), "en", "es", (entry,)))           # another process finds it
    again.close()
    assert len(deepl.glossaries) == 1


def test_deepl_that_drops_markup_twice_fails(deepl: DeepLServer) -> None:
    deepl.faults.drop_markup = 2
    engine = DeepLEngine(FAST.replace(deepl_api_key="test-key:fx", deepl_url=deepl.url))
    with pytest.raises(EngineFailed, match="lost markup"):
        translate(engine, [LINKED], "en", "es")
    deepl.faults.drop_markup = 1
    assert '<g id="1">' in translate(engine, [LINKED], "en", "es")[0]    # once: asked again
    engine.close()


def test_deepl_wrong_key(deepl: DeepLServer) -> None:
    engine = DeepLEngine(FAST.replace(deepl_api_key="other:fx", deepl_url=deepl.url))
    with pytest.raises(EngineUnavailable):
        engine.pairs()
    engine.close()


# -- rate limit ----------------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [20.0, 50.0])
def test_rate_limiter_spaces_requests(rate: float) -> None:
    limiter = RateLimiter(rate)
    started = time.monotonic()
    for _ in range(6):
        limiter.wait()
    assert time.monotonic() - started >= 5 / rate * 0.95


def test_rate_limit_applies_to_requests(chat: OpenAIServer) -> None:
    engine = _openai(chat, Settings(engine_timeout=2.0, engine_retries=0,
                                    engine_rate=("openai=10",)))
    calls: list[Callable[[], list[str]]] = [
        lambda: translate(engine, ["The house is red."], "en", "es")] * 4
    started = time.monotonic()
    for call in calls:
        call()
    engine.close()
    assert time.monotonic() - started >= 0.3                    # 4 requests at 10 per second
