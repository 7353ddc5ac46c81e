"""Takedown: an article leaves the site, feeds, sitemap, search and API, and never comes back.

The store-level tests put articles through the store's real transitions; the site test runs the
real pipeline (sample-sites server, real extraction, real Apertium) and the real web app, then
the real `babelwire takedown` command, then the pipeline again with the article offered anew.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from babelwire.cli import cli
from babelwire.cli.takedown import takedown as takedown_command
from babelwire.demo.sites import SampleSitesServer, load_sites
from babelwire.exceptions import StoreError
from babelwire.models import (
    Article,
    Attribution,
    Check,
    FeedItem,
    FetchResult,
    ItemState,
    Translation,
    TranslationStatus,
)
from babelwire.publish import create_app
from babelwire.run.runner import Runner, work_item
from babelwire.run.stages import Services
from babelwire.settings import Settings, load
from babelwire.sources.fetch import Fetcher
from babelwire.store import Store, new_owner
from babelwire.store.db import alembic_config
from babelwire.store.tables import Base, ItemRow, TakedownRow, utcnow
from babelwire.store.takedown import url_key
from tests.helpers import DATA
from tests.helpers.site import TestClient
from tests.helpers.store import add_article

SITES = DATA / "reliability" / "sites"
if "takedown" not in cli.commands:  # until the command is registered in babelwire.cli
    cli.add_command(takedown_command)


# -- addresses -------------------------------------------------------------------------------

@pytest.mark.parametrize(("one", "other"), [
    ("https://www.Example.com/news/a/", "http://example.com/news/a"),
    ("https://example.com/a?utm_source=feed&id=3#top", "https://example.com/a?id=3"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("http://example.com:80/a", "https://example.com/a"),
    ("https://reader:pw@example.com/a", "https://example.com/a"),
    ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
    ("  https://example.com/caf%C3%A9  ", "https://example.com/café"),
    ("https://xn--mnchen-3ya.de/a", "https://münchen.de/a"),
])
def test_one_page_written_two_ways_has_one_key(one: str, other: str) -> None:
    assert url_key(one) == url_key(other)


@pytest.mark.parametrize(("one", "other"), [
    ("https://example.com/a", "https://example.com/A"),
    ("https://example.com/a?id=3", "https://example.com/a?id=4"),
    ("https://example.com:8443/a", "https://example.com/a"),
    ("https://example.com/a", "https://example.org/a"),
    ("https://example.com/a/b", "https://example.com/a"),
    ("https://news.example.com/a", "https://example.com/a"),
])
def test_different_pages_have_different_keys(one: str, other: str) -> None:
    assert url_key(one) != url_key(other)


hosts = st.from_regex(r"[a-z][a-z0-9-]{0,10}\.(com|org|example|de)", fullmatch=True)
segments = st.lists(st.from_regex(r"[A-Za-z0-9._~-]{1,8}", fullmatch=True), max_size=4)


@given(st.text(max_size=200))
def test_any_text_has_a_key(text: str) -> None:
    assert isinstance(url_key(text), str)


@given(hosts, segments, st.booleans(), st.booleans(), st.booleans())
def test_scheme_www_slash_and_tracking_do_not_change_the_key(
        host: str, path: list[str], https: bool, www: bool, slash: bool) -> None:
    plain = f"https://{host}/{'/'.join(path)}"
    variant = (f"{'https' if https else 'http'}://{'www.' if www else ''}{host}/"
               f"{'/'.join(path)}{'/' if slash else ''}?utm_campaign=x#section")
    assert url_key(variant) == url_key(plain)


# -- the store ---------------------------------------------------------------------------------

ARTICLE = Article(
    url="https://noticias.example/valencia/plan-viviendas",
    title="El Gobierno aprueba un plan de viviendas en Valencia",
    html="<p>El Consejo de Ministros aprobó este martes un plan para levantar viviendas.</p>",
    text="El Consejo de Ministros aprobó este martes un plan para levantar viviendas.",
    lang="es", author="Marcos Ibáñez", site_name="Noticias del Levante",
    published=datetime.fromisoformat("2024-09-22T18:10:00+02:00"),
    canonical_url="https://www.levante.example/2024/09/22/plan-viviendas/")


def _translation(lang: str) -> Translation:
    return Translation(lang=lang, engine="apertium", title=f"Title {lang}", html="<p>Body.</p>",
                       text="Body.", status=TranslationStatus.PUBLISHED,
                       checks=(Check("paragraphs", True, "1 of 1"),), source_lang="es",
                       attribution=Attribution("Noticias del Levante", ARTICLE.url,
                                               ARTICLE.author, ARTICLE.published, "MT notice"))


def _other(n: int) -> Article:
    url = f"https://noticias.example/otra-{n}"
    return Article(url=url, title=f"Otra noticia {n}", html="<p>Otra.</p>", text="Otra.",
                   lang="es", canonical_url=url)


@pytest.mark.parametrize("address", [
    ARTICLE.url,
    "https://levante.example/2024/09/22/plan-viviendas?utm_medium=social",  # canonical
])
def test_takedown_withdraws_the_article_and_its_translations(store: Store, address: str) -> None:
    item_id = add_article(store, ARTICLE, [_translation("en"), _translation("fr")])
    kept = add_article(store, _other(1), [_translation("en")])
    result = store.take_down(address, "court order 123")

    assert result.new and result.items == (item_id,) and result.translations == 2
    item = store.get_item(item_id)
    assert item is not None and item.state == ItemState.TAKEN_DOWN
    assert item.reason == "taken down: court order 123"
    assert store.load_article(item_id) is None and store.load_document(item_id) is None
    assert [t[0] for t in store.iter_translations()] == [kept]
    assert [a.item_id for a in store.published_articles("en")] == [kept]
    assert store.published_article(item_id, "fr") is None
    assert store.claim_item(new_owner(), utcnow(), 60, item_id=item_id) is None


def test_takedown_matches_the_final_address_of_a_redirect(store: Store) -> None:
    source, _ = store.add_source("https://noticias.example/feed.xml", targets=["en"])
    store.upsert_feed_items(source.id, [FeedItem(guid="g1", url="https://t.example/x1")])
    owner = new_owner()
    item = store.claim_item(owner, utcnow(), 60)
    assert item is not None
    store.save_document(item.id, owner, FetchResult(
        url=item.url, final_url="https://noticias.example/la-noticia", status=200,
        content=b"<p>x</p>"))
    assert store.take_down("http://noticias.example/la-noticia/").items == (item.id,)
    with pytest.raises(StoreError, match="lease lost"):  # the runner working it is fenced off
        store.save_article(item.id, owner, ARTICLE)
    after = store.get_item(item.id)
    assert after is not None and after.state == ItemState.TAKEN_DOWN


def test_taking_down_again_keeps_the_first_record(store: Store) -> None:
    first = store.take_down("https://noticias.example/a", "complaint")
    again = store.take_down("http://www.noticias.example/a/", "second complaint")
    assert first.new and not again.new
    assert again.takedown.id == first.takedown.id and again.takedown.reason == "complaint"
    assert [t.url for t in store.list_takedowns()] == ["https://noticias.example/a"]


def test_an_address_taken_down_in_advance_is_never_discovered(store: Store) -> None:
    store.take_down("https://noticias.example/before", "embargo")
    source, _ = store.add_source("https://noticias.example/feed.xml", targets=["en"])
    items = [FeedItem(guid="g1", url="https://www.noticias.example/before?utm_source=rss"),
             FeedItem(guid="g2", url="https://noticias.example/other")]
    assert store.upsert_feed_items(source.id, items) == (1, 0)
    blocked = store.get_item(store.item_id(source.id, "g1") or 0)
    assert blocked is not None and blocked.state == ItemState.TAKEN_DOWN
    claimed = store.claim_item(new_owner(), utcnow(), 60)
    assert claimed is not None and claimed.guid == "g2"
    assert store.claim_item(new_owner(), utcnow(), 60) is None


def test_a_changed_feed_entry_does_not_bring_it_back(store: Store) -> None:
    item_id = add_article(store, ARTICLE, [_translation("en")])
    store.take_down(ARTICLE.url)
    source_id = store.list_sources()[0].id
    changed = FeedItem(guid=ARTICLE.url, url=ARTICLE.url, title="New title",
                       updated=datetime.fromisoformat("2030-01-01T00:00:00+00:00"))
    assert store.upsert_feed_items(source_id, [changed]) == (0, 0)
    item = store.get_item(item_id)
    assert item is not None and item.state == ItemState.TAKEN_DOWN


def test_the_fetch_stage_refuses_a_redirect_to_a_taken_down_page(
        settings: Settings, store: Store) -> None:
    store.take_down("https://noticias.example/la-noticia")
    source, _ = store.add_source("https://noticias.example/feed.xml", targets=["en"])
    store.upsert_feed_items(source.id, [FeedItem(guid="g1", url="https://t.example/x1")])
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        if request.url.host == "t.example":
            return httpx.Response(301, headers={"location": "https://noticias.example/la-noticia"})
        return httpx.Response(200, html="<html><body><p>Texto.</p></body></html>")

    services = Services(settings, fetcher=Fetcher(settings, transport=httpx.MockTransport(handler)))
    owner = new_owner()
    item = store.claim_item(owner, utcnow(), 60)
    assert item is not None
    assert work_item(settings, store, services, item, owner) == ItemState.TAKEN_DOWN
    services.close()
    assert store.load_document(item.id) is None
    assert "https://t.example/x1" in seen


def test_the_migration_matches_the_table(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "takedowns" in repr(d)] == []
    assert TakedownRow.__tablename__ == "takedowns"


def test_the_migration_goes_down_and_up(store: Store) -> None:
    store.take_down("https://noticias.example/a")
    cfg = alembic_config(store.engine)
    command.downgrade(cfg, "0004")
    command.upgrade(cfg, "head")
    assert store.list_takedowns() == []


# -- the command line --------------------------------------------------------------------------

def test_the_command_takes_down_and_lists(store: Store) -> None:
    add_article(store, ARTICLE, [_translation("en")])
    runner = CliRunner()
    done = runner.invoke(cli, ["takedown", ARTICLE.url, "--reason", "DMCA notice"])
    assert done.exit_code == 0, done.output
    assert "1 article(s) withdrawn, 1 translation(s) deleted" in done.stderr
    listed = runner.invoke(cli, ["takedown", "--list"])
    assert listed.exit_code == 0
    assert ARTICLE.url in listed.stdout and "DMCA notice" in listed.stdout


@pytest.mark.parametrize("args", [[], ["ftp://example.com/a"], ["--list", "https://e.com/a"]])
def test_the_command_refuses_bad_usage(args: list[str]) -> None:
    result = CliRunner().invoke(cli, ["takedown", *args])
    assert result.exit_code == 2


# -- the real pipeline and the real site -------------------------------------------------------

MAPUCHE = "https://lanacion.com.ar/2089096-una-solucion-no-violenta-para-la-cuestion-mapuche"


def _pipeline(settings: Settings, store: Store) -> None:
    runner = Runner(settings, store)
    try:
        runner.run(once=True)
    finally:
        runner.close()


def _public_urls(item_id: int, lang: str) -> list[str]:
    return [f"/{lang}/", f"/{lang}/feed.xml", f"/{lang}/atom.xml", f"/{lang}/feed.json",
            "/sitemaps/0.xml", f"/api/v1/articles?lang={lang}", f"/{lang}/search?q=mapuche",
            f"/{lang}/a/{item_id}", f"/api/v1/articles/{item_id}/{lang}"]


def _shows(client: TestClient, url: str, item_id: int) -> bool:
    response = client.get(url, follow_redirects=True)
    if response.status_code == 404:
        return False
    assert response.status_code == 200, (url, response.status_code)
    return bool(re.search(rf'/a/{item_id}(?:[-"<?/]|$)|"item_id": ?{item_id}\b',
                          response.text))


def _wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_takedown_on_the_live_site_and_the_pipeline_never_brings_it_back(
        tmp_path: Path, reliability_sites: SampleSitesServer) -> None:
    prensa = reliability_sites  # its Spanish site "prensa" publishes the article taken down
    # The article taken down must first be live in both languages: its Argentine words
    # ("porteño", "chequean") are above the default share left untranslated in English.
    settings = load({"allowed_hosts": f"127.0.0.1:{prensa.port}", "per_host_delay": 0,
                     "site_url": "https://news.example", "max_foreign_share": 0.05},
                    home=tmp_path / "home", environ={})
    store = Store(settings.db_url)
    site = next(s for s in load_sites(prensa.data) if s.slug == "prensa")
    source, _ = store.add_source(prensa.feed_url(site), targets=site.targets, name=site.name,
                                 kind="feed", source_lang=site.lang)
    _pipeline(settings, store)
    page = f"{prensa.base}/prensa/es-lanacion-mapuche.html"
    item_id = store.item_id(source.id, "urn:babelwire-demo:es-lanacion-mapuche")
    other_id = store.item_id(source.id, "urn:babelwire-demo:es-elmundo-2012")
    assert item_id and other_id and store.published_languages(item_id) == ["en", "fr"]

    with TestClient(create_app(settings, store)) as client:
        urls = [u for lang in ("en", "fr") for u in _public_urls(item_id, lang)]
        assert [u for u in urls if not _shows(client, u, item_id)] == []
        assert client.get("/en/feed.xml").headers["x-cache"] == "hit"  # the cache holds it

        done = CliRunner().invoke(cli, ["--home", str(settings.home), "--set",
                                        f"allowed_hosts=127.0.0.1:{prensa.port}", "takedown",
                                        MAPUCHE, "--reason", "publisher request"])
        assert done.exit_code == 0, done.output
        assert "1 article(s) withdrawn, 2 translation(s) deleted" in done.stderr
        # the page cache checks the store's generation once a second
        assert _wait_until(lambda: not any(_shows(client, u, item_id) for u in urls), 3.0)
        assert _shows(client, f"/en/a/{other_id}", other_id)
        assert _shows(client, "/en/feed.xml", other_id)

        _offer_again(prensa, store, page)
        requests_before = list(prensa.requests)
        _pipeline(settings, store)
        fetched = prensa.requests[len(requests_before):]
        assert [r for r in fetched if "mapuche" in r] == ["/prensa/copia-mapuche.html"]
        time.sleep(1.1)
        assert [u for u in urls if _shows(client, u, item_id)] == []
    items = [store.get_item(i) for i in _items(store) if i != other_id]
    assert [i.state if i else None for i in items] == [ItemState.TAKEN_DOWN] * 3
    store.close()


def _offer_again(server: SampleSitesServer, store: Store, page: str) -> None:
    """The feed says the article changed; a mirror feed lists it under another address, and a
    copy of it (same canonical URL) at a third address."""
    feed = server.data / "prensa" / "feed.xml"
    feed.write_text(feed.read_text(encoding="utf-8").replace(
        "Thu, 07 Dec 2017 08:00:00 +0000", "Fri, 08 Dec 2017 09:00:00 +0000"), encoding="utf-8")
    copy = server.data / "prensa" / "copia-mapuche.html.gz"
    copy.write_bytes((server.data / "prensa" / "es-lanacion-mapuche.html.gz").read_bytes())
    (server.data / "espejo").mkdir()
    items = "".join(f"<item><title>Copia {n}</title><link>{link}</link><guid>espejo-{n}</guid>"
                    f"</item>" for n, link in enumerate(
                        [f"{page}?utm_source=espejo", "{base}/prensa/copia-mapuche.html"]))
    (server.data / "espejo" / "feed.xml").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Espejo</title>'
        f"<link>{{base}}/espejo/</link>{items}</channel></rss>", encoding="utf-8")
    store.add_source(f"{server.base}/espejo/feed.xml", targets=["en", "fr"], name="Espejo",
                     kind="feed", source_lang="es")


def _items(store: Store) -> list[int]:
    with store.session() as s:
        return list(s.scalars(select(ItemRow.id).order_by(ItemRow.id)))
