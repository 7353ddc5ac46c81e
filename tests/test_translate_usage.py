"""Usage accounting (translate/usage.py): per engine, source and day; `babelwire usage`."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import click
import lxml.html
from click.testing import CliRunner

from babelwire.cli.common import cli
from babelwire.cli.usage import usage
from babelwire.models import Counts
from babelwire.publish import create_app
from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.store.tables import utcnow
from babelwire.translate.engines.apertium.engine import ApertiumEngine
from babelwire.translate.engines.openai_chat import OpenAIChatEngine
from babelwire.translate.memory import TranslationMemory
from babelwire.translate.router import Router
from babelwire.translate.usage import UsageMeter
from tests.fakes.localservers import OpenAIServer, apertium_backend
from tests.helpers.site import BASE, TestClient, sign_in, site_settings

SENTENCES = ["The house is red.", "Prices rose in May.", "We asked two specialists."]


def _cli() -> click.Group:
    if "usage" not in cli.commands:          # the lead registers it in cli/__init__.py
        cli.add_command(usage)
    return cli


def test_counts_add_up_by_engine_source_and_day(store: Store) -> None:
    source, _ = store.add_source("https://news.example/feed.xml", targets=["es"], name="Wire")
    today = utcnow().date()
    for day, chars in ((today, 100), (today, 50), (today - timedelta(days=1), 7)):
        meter = UsageMeter()
        meter.add("deepl", Counts(calls=1, segments=2, characters=chars, seconds=0.5))
        store.add_usage(meter.totals(), source_id=source.id, day=day)
    meter = UsageMeter()
    meter.add("deepl", Counts(calls=1, segments=1, characters=9))
    meter.add("openai", Counts(calls=1, segments=1, tokens_in=40, tokens_out=12))
    store.add_usage(meter.totals(), source_id=None)
    lines = store.usage(7)
    by_key = {(ln.engine, ln.source_name): ln.counts for ln in lines}
    assert by_key[("deepl", "Wire")].characters == 157 and by_key[("deepl", "Wire")].calls == 3
    assert by_key[("deepl", "")].characters == 9
    assert by_key[("openai", "")].tokens_in == 40
    assert store.usage(1, by_source=False)[0].counts.characters == 159
    daily = store.usage(7, by_day=True)
    assert [(ln.day, ln.counts.characters) for ln in daily if ln.source_name == "Wire"] == [
        (today - timedelta(days=1), 7), (today, 150)]


def test_router_meters_characters_segments_seconds_and_memory_hits(
        apertium: ApertiumEngine, store: Store) -> None:
    meter = UsageMeter()
    router = Router([apertium]).bind(memory=TranslationMemory(store), meter=meter)
    router.translate(SENTENCES, "en", "es")
    router.translate(SENTENCES, "en", "es")
    counts = meter.totals()["apertium"]
    assert counts.calls == 1 and counts.segments == 3
    assert counts.characters == sum(len(s) for s in SENTENCES)
    assert counts.seconds > 0 and counts.memory_hits == 3
    assert meter.sent() == 3


def test_router_meters_tokens_the_api_reports(store: Store) -> None:
    backend, inner = apertium_backend()
    with OpenAIServer(backend, model="local-mt") as server:
        engine = OpenAIChatEngine(Settings(openai_url=server.url + "/v1",
                                           openai_model="local-mt", engine_timeout=5.0))
        meter = UsageMeter()
        Router([engine]).bind(meter=meter).translate(SENTENCES, "en", "es")
        engine.close()
    inner.close()
    counts = meter.totals()["openai"]
    assert counts.tokens_in > 50 and counts.tokens_out > 5


def test_usage_command_prints_the_table_and_json(settings: Settings, store: Store) -> None:
    source, _ = store.add_source("https://news.example/feed.xml", targets=["es"], name="Wire")
    meter = UsageMeter()
    meter.add("deepl", Counts(calls=2, segments=5, characters=321, seconds=1.25, failures=1))
    meter.add("openai", Counts(calls=1, segments=2, tokens_in=40, tokens_out=12,
                               memory_hits=4))
    store.add_usage(meter.totals(), source_id=source.id)
    result = CliRunner().invoke(_cli(), ["usage", "--days", "3"])
    assert result.exit_code == 0, result.output
    deepl = next(line for line in result.output.splitlines()
                 if line.startswith("deepl") and "Wire" in line)
    assert "321" in deepl and "1.2" in deepl
    assert "40/12" in result.output and "= total" in result.output
    as_json = CliRunner().invoke(_cli(), ["usage", "--json"])
    rows = [json.loads(line) for line in as_json.output.splitlines()]
    assert {r["engine"] for r in rows} == {"deepl", "openai"}
    assert next(r for r in rows if r["engine"] == "deepl")["characters"] == 321


def test_no_usage_yet(settings: Settings, store: Store) -> None:
    result = CliRunner().invoke(_cli(), ["usage"])
    assert result.exit_code == 0 and "no engine usage" in result.output


def test_old_usage_is_outside_the_window(store: Store) -> None:
    meter = UsageMeter()
    meter.add("deepl", Counts(calls=1, characters=10))
    store.add_usage(meter.totals(), source_id=None, day=date(2000, 1, 1))
    assert store.usage(30) == []


def test_the_admin_view_shows_what_each_engine_spent_by_source_and_day(
        apertium: ApertiumEngine, tmp_path: Path) -> None:
    settings = site_settings(tmp_path)
    store = Store(settings.db_url)
    source, _ = store.add_source("https://news.example/feed.xml", targets=["es"], name="Wire")
    meter = UsageMeter()
    Router([apertium]).bind(memory=TranslationMemory(store), meter=meter).translate(
        SENTENCES, "en", "es")
    store.add_usage(meter.totals(), source_id=source.id)
    old = UsageMeter()
    old.add("deepl", Counts(calls=1, segments=1, characters=4321))
    store.add_usage(old.totals(), source_id=None, day=utcnow().date() - timedelta(days=10))
    _, secret = store.create_token("editor")
    app = create_app(settings, store)
    try:
        with TestClient(app, base_url=BASE) as client:
            assert client.get("/admin/usage", follow_redirects=False).status_code in (302, 303)
            sign_in(client, secret)
            week = lxml.html.fromstring(client.get("/admin/usage?days=7").content)
            month = lxml.html.fromstring(client.get("/admin/usage").content)
            assert client.get("/admin/usage?days=0").status_code == 404  # not a page
    finally:
        store.close()
    characters = f"{sum(len(s) for s in SENTENCES):,}"
    rows = [[c.text_content().strip() for c in tr] for tr in week.xpath("//tbody/tr")]
    assert ["apertium", "1", "3", characters] == rows[0][:4]              # by engine
    assert ["apertium", "Wire", utcnow().date().isoformat(), "1", "3", characters] \
        == rows[1][:6]                                                   # by source and day
    assert "4,321" not in week.text_content()                           # older than 7 days
    month_rows = [[c.text_content().strip() for c in tr] for tr in month.xpath("//tbody/tr")]
    deepl = next(r for r in month_rows[2:] if r[0] == "deepl")
    assert deepl[:2] == ["deepl", "(translate command)"]
    assert "4,321" in month.text_content()
