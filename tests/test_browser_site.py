"""The site in a real browser: Debian's Chromium driven by Playwright against the app served by
uvicorn on a free port, on a store filled through the store's real transitions with real news
articles and human translations (tests/data/browser).

A reader's path (front page, article, side by side view, language switch, search) and an
editor's (token sign-in, a held translation fixed and approved, then seen on the site and in the
feed). Every page is also watched for what the Content-Security-Policy would block: the site
must need no inline script, style or outside resource.
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import uvicorn

from babelwire.i18n import notice
from babelwire.models import Attribution, Translation, TranslationStatus
from babelwire.publish import create_app
from babelwire.quality.checks import run_checks, status_for
from babelwire.run.stories import join_story
from babelwire.settings import load as load_settings
from babelwire.store import Store
from babelwire.translate.names.detect import ProtectedTerm
from tests.helpers.articles import case, load_article, translation_data
from tests.helpers.store import add_article

CHROMIUM = "/usr/bin/chromium"
# The launch flags ENGINES.md gives for Debian's Chromium in a container.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-quic", "--disable-dev-shm-usage"]
TIMEOUT_MS = 10_000


def human(name: str, lang: str, html: str | None = None) -> Translation:
    """The human translation of a page into ``lang`` (or ``html`` in its place), checked by the
    real fidelity checks: published if they all pass, held otherwise."""
    article = load_article(name)
    data = translation_data(name, lang)
    html = html or data["html"]
    checks = run_checks(article.html, html, source_lang=article.lang, target=lang,
                        terms=[ProtectedTerm(t, "name") for t in case(name)["protect"]],
                        source_title=article.title, output_title=data["title"])
    status = status_for(checks)
    text = "\n".join(p.text_content() for p in lxml.html.fragments_fromstring(html))
    attribution = Attribution(site_name=article.site_name, url=article.canonical_url,
                              author=article.author, published=article.published,
                              notice=notice(lang, article.lang, "apertium"))
    return Translation(lang=lang, engine="apertium", title=data["title"], html=html, text=text,
                       status=status, checks=checks, attribution=attribution,
                       source_lang=article.lang,
                       reason="" if status == TranslationStatus.PUBLISHED else "checks failed")


@dataclass(frozen=True)
class Served:
    """The running site: its address, store, token and the ids of its articles."""

    url: str
    store: Store
    token: str
    chips: int
    vivienda: int
    garbled: int


def fill(store: Store) -> tuple[int, int, int]:
    """Two real articles published in three languages, and a third whose machine-damaged
    translation the checks held back: "The Information" turned into a common noun and the
    Bloomberg link lost."""
    chips = add_article(store, load_article("en-chips"), [human("en-chips", "es")],
                        source_url="https://circuitdaily.example/feed.xml",
                        source_name="Circuit Daily")
    vivienda = add_article(store, load_article("es-vivienda"),
                           [human("es-vivienda", "en"), human("es-vivienda", "fr")],
                           source_url="https://noticiaslevante.example/rss",
                           source_name="Noticias del Levante")
    good = translation_data("en-chips", "es")
    damaged = good["html"].replace('<a href="https://www.bloomberg.com/">Bloomberg</a>',
                                   "Bloomberg").replace("The Information", "La Información")
    held = human("en-chips", "es", damaged)
    assert held.status == TranslationStatus.HELD
    garbled = add_article(store, replace(load_article("en-chips"),
                                         url="https://circuitdaily.example/news/modem-2"),
                          [replace(held, title="Apple desarrollará su propio módem (2)")],
                          source_url="https://circuitdaily.example/feed.xml",
                          source_name="Circuit Daily")
    return chips, vivienda, garbled


def _serve(app: Any, sock: socket.socket) -> tuple[uvicorn.Server, threading.Thread]:
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", ws="none",
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    return server, thread


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The app under uvicorn (a real server, real sockets) on a free local port."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))  # bound first: the site's own URL names the port
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = load_settings({"site_url": url, "site_title": "Babelwire News"},
                             home=tmp_path_factory.mktemp("browser"), environ={})
    store = Store(settings.db_url)
    chips, vivienda, garbled = fill(store)
    _, token = store.create_token("editor")
    server, thread = _serve(create_app(settings, store), sock)
    try:
        yield Served(url, store, token, chips, vivienda, garbled)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium under Playwright; missing Chromium fails loudly (CI installs it)."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: apt-get install -y chromium "
                    "(the browser tests need it; they are not skipped)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the playwright package is missing: pip install playwright "
                    "(never `playwright install`: the tests drive Debian's Chromium)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def watch(tab: Any, problems: list[str]) -> None:
    """Record in ``problems`` what a reader's browser would show as broken: console errors
    (a Content-Security-Policy violation), requests that failed, and resources answered with
    an error status. A request the browser itself cancelled (``net::ERR_ABORTED``: the tab
    went to another page or closed before the favicon came) is not the site's failure; a
    missing resource still shows as its 404."""
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.on("requestfailed", lambda r: None if r.failure == "net::ERR_ABORTED"
           else problems.append(f"{r.url}: {r.failure}"))
    tab.on("response", lambda r: problems.append(f"{r.url}: {r.status}")
           if r.status >= 400 and r.request.resource_type != "document" else None)


@pytest.fixture
def page(browser: Any, served: Served) -> Iterator[Any]:
    """A fresh browser tab (own cookies); fails the test if the page logged a console error
    such as a Content-Security-Policy violation, or a request failed."""
    context = browser.new_context(base_url=served.url, java_script_enabled=True)
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    watch(tab, problems)
    yield tab
    context.close()
    assert problems == []


def test_front_page_lists_the_translations(page: Any, served: Served) -> None:
    page.goto("/es/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == "Últimas traducciones"
    cards = page.locator("article.card h2 a")
    assert cards.all_inner_texts() == ["Apple desarrollará su propio módem mientras se agota el "
                                       "acuerdo con Qualcomm"]
    assert "Apertium" in page.locator("article.card .notice").inner_text()
    # the stylesheet is applied: the site's own CSS, nothing inline, nothing from elsewhere
    weight = page.locator("a.brand").evaluate("el => getComputedStyle(el).fontWeight")
    assert weight == "700"


def test_article_and_side_by_side_view(page: Any, served: Served) -> None:
    page.goto("/es/")
    page.locator("article.card h2 a").click()
    page.wait_for_url(re.compile(rf"/es/a/{served.chips}-apple-desarrollara-su-propio-modem"))
    assert page.locator("h1").inner_text().startswith("Apple desarrollará")
    assert page.locator("div.body p").count() == 4
    assert page.locator("p.notice").inner_text() == \
        "Traducción automática del inglés hecha con Apertium; puede contener errores."
    original = page.locator("dl.attribution a").first
    assert original.get_attribute("href") == load_article("en-chips").canonical_url
    page.get_by_role("link", name="En paralelo con el original").click()
    page.wait_for_url(re.compile(r"/bilingual$"))
    rows = page.locator("div.pairs div.pair:not(.head)")
    assert rows.count() == 4
    first = rows.first
    assert first.locator(".col-original").get_attribute("lang") == "en"
    assert first.locator(".col-original").inner_text().startswith("Apple plans to")
    assert first.locator(".col-translation").inner_text().startswith("Apple prevé")


def test_language_switch_keeps_the_article(page: Any, served: Served) -> None:
    page.goto(f"/en/a/{served.vivienda}")
    assert page.locator("h1").inner_text().startswith("Government approves plan")
    switcher = page.get_by_role("navigation", name="Languages")
    assert switcher.get_by_role("link").all_inner_texts() == ["English", "Français"]
    switcher.get_by_role("link", name="Français").click()
    page.wait_for_url(re.compile(rf"/fr/a/{served.vivienda}-le-gouvernement-approuve"))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text().startswith("Le gouvernement approuve")


def test_search_from_the_footer_to_the_article(page: Any, served: Served) -> None:
    page.goto("/fr/")
    page.get_by_role("contentinfo").get_by_role("link", name="Rechercher").click()
    page.wait_for_url(re.compile(r"/fr/search$"))
    page.get_by_label("Mots à chercher").fill("logements locatifs")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"/fr/search\?q=logements\+locatifs$"))
    assert page.get_by_role("status").inner_text() == "1 traduction(s) trouvée(s)."
    page.locator("article.card h2 a").click()
    page.wait_for_url(re.compile(rf"/fr/a/{served.vivienda}-"))
    assert "Isabel Rodríguez" in page.locator("div.body").inner_text()


def test_editor_signs_in_fixes_and_approves_a_held_translation(page: Any,
                                                               served: Served) -> None:
    held_title = "Apple desarrollará su propio módem (2)"
    # Asked outside the tab: the tab's HTTP cache would rightly keep /es/ for its max-age.
    assert held_title not in page.request.get("/es/").text()  # held: not on the site
    page.goto("/admin/review")
    page.wait_for_url(re.compile(r"/admin/login\?next=/admin/review$"))
    page.get_by_label("Access token").fill(served.token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/review$"))
    page.get_by_role("link", name=held_title).click()
    page.wait_for_url(re.compile(rf"/admin/review/{served.garbled}/es$"))
    failed = page.locator("li.check-failed").all_inner_texts()
    assert [f.split(" — ")[0] for f in failed] == ["Failed: protected_names",
                                                  "Failed: link_targets"]
    flags = page.locator("div.pair.flagged ul.flags li").all_inner_texts()
    assert flags == ["link to https://www.bloomberg.com/ missing",
                     "name “The Information” missing"]
    good = translation_data("en-chips", "es")
    page.get_by_label("Title").fill("Apple tendrá su propio módem, revisado")
    page.get_by_label("Text (HTML)").fill(good["html"])
    page.get_by_role("button", name="Save edit").click()
    page.wait_for_url(re.compile(r"\?done=saved$"))
    assert "Your edit was saved" in page.get_by_role("status").inner_text()
    assert page.locator("div.pair.flagged").count() == 0
    page.get_by_role("button", name="Approve and publish").click()
    page.wait_for_url(re.compile(r"/admin/review\?done=approved"))
    page.get_by_role("link", name="See it on the site").click()
    page.wait_for_url(re.compile(rf"/es/a/{served.garbled}-apple-tendra-su-propio-modem"))
    assert page.locator("h1").inner_text() == "Apple tendrá su propio módem, revisado"
    assert page.locator("div.body a[href='https://www.bloomberg.com/']").count() == 1
    page.goto("/es/")
    assert "Apple tendrá su propio módem, revisado" in page.locator("main").inner_text()
    feed = page.request.get("/es/feed.xml")
    assert feed.ok and "<title>Apple tendrá su propio módem, revisado</title>" in feed.text()


@dataclass(frozen=True)
class ServedStory:
    """A second site: one story run by two sources (the same article, two addresses)."""

    url: str
    first: int
    second: int


@pytest.fixture(scope="module")
def served_story(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedStory]:
    """The app with the Valencian housing story from two sources, grouped by the pipeline's
    own story step (``run.stories.join_story``), as published items are."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = load_settings({"site_url": url, "site_title": "Babelwire News"},
                             home=tmp_path_factory.mktemp("browser-story"), environ={})
    store = Store(settings.db_url)
    translations = [human("es-vivienda", "en"), human("es-vivienda", "fr")]
    first = add_article(store, load_article("es-vivienda"), translations,
                        source_url="https://noticiaslevante.example/rss",
                        source_name="Noticias del Levante")
    copy = replace(load_article("es-vivienda"), url="https://agencia.example/vivienda",
                   canonical_url="https://agencia.example/vivienda", site_name="Agencia Hoy")
    credited = [replace(t, attribution=replace(t.attribution, site_name=copy.site_name,
                                               url=copy.canonical_url))
                for t in translations if t.attribution is not None]
    second = add_article(store, copy, credited, source_url="https://agencia.example/rss",
                         source_name="Agencia Hoy")
    stories = []
    for item_id in (first, second):
        item = store.get_item(item_id)
        assert item is not None
        stories.append(join_story(settings, store, item))
    assert stories[0] is not None and stories[0] == stories[1]
    server, thread = _serve(create_app(settings, store), sock)
    try:
        yield ServedStory(url, first, second)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        store.close()


def test_a_reader_goes_from_an_article_to_its_story_and_to_the_other_source(
        browser: Any, served_story: ServedStory) -> None:
    context = browser.new_context(base_url=served_story.url, java_script_enabled=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    watch(page, problems)
    try:
        page.goto(f"/fr/a/{served_story.first}")
        also = page.locator("p.also-reported")
        assert also.inner_text().startswith("Également rapporté par")
        assert also.get_by_role("link", name="Agencia Hoy").get_attribute("href") == \
            f"/fr/a/{served_story.second}"
        also.get_by_role("link", name="L'histoire dans toutes les sources").click()
        page.wait_for_url(re.compile(r"/fr/stories/\d+$"))
        assert page.locator("html").get_attribute("lang") == "fr"
        assert page.locator("h1").inner_text().startswith("Le gouvernement approuve")
        items = page.locator("ul.coverage-list li")
        assert items.locator("strong").all_inner_texts() == ["Noticias del Levante",
                                                               "Agencia Hoy"]
        originals = items.locator("a[rel~=nofollow]")
        assert [originals.nth(i).get_attribute("href") for i in range(2)] == [
            load_article("es-vivienda").canonical_url, "https://agencia.example/vivienda"]
        # from the story to the other source's translation, in the reader's language
        items.nth(1).get_by_role("link", name="fr", exact=True).click()
        page.wait_for_url(re.compile(rf"/fr/a/{served_story.second}-le-gouvernement"))
        assert "Agencia Hoy" in page.locator("dl.attribution").inner_text()
    finally:
        context.close()
    assert problems == []
