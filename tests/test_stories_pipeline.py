"""One story, told once, end to end: the demo's sample-sites server plays three sites that run
one wire story (as it is, in another site's template, trimmed under another headline) and
`babelwire run --once` follows them with real extraction, Apertium and SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import feedparser
import lxml.html
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from babelwire.cli import cli
from babelwire.demo.sites import SampleSitesServer
from babelwire.publish.app import create_app
from babelwire.settings import Settings
from babelwire.store import Store
from tests.helpers.runs import db_url, prepare_home, rows, run_once
from tests.helpers.wire import demo_pages, sample_sites, wire_sites

ORIGINAL, OTHER, DISTINCT = "en-reuters-parasite", "en-bbc-gun-laws", "en-cnn-birth-lottery"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data directory that followed the three wire sites once (one worker: the original is
    translated before its copies reach the translate stage)."""
    base = tmp_path_factory.mktemp("wire")
    wire_sites(base / "sites", ORIGINAL, OTHER, DISTINCT)
    with SampleSitesServer(0, data=base / "sites") as server:
        prepare_home(base / "home", server, workers=1)
        run_once(base / "home")
        yield base / "home"


def _store(home: Path) -> Store:
    return Store(db_url(home))


def test_the_copies_are_not_translated_again(home: Path) -> None:
    copies = rows(home, "SELECT d.item_id, d.original_id, d.similarity, i.url FROM "
                        "near_duplicates d JOIN items i ON i.id = d.item_id ORDER BY i.url")
    assert [url.rsplit("/", 1)[1] for *_, url in copies] == [
        f"{ORIGINAL}-copy.html", f"{ORIGINAL}-short.html"]
    original = rows(home, f"SELECT id FROM items WHERE url LIKE '%/agency/{ORIGINAL}.html'")
    assert {o for _, o, _, _ in copies} == {original[0][0]}
    assert all(s >= 0.4 for _, _, s, _ in copies)
    # the copies carry the original's translation, spent no engine time, and are published
    for item_id, original_id, _, _ in copies:
        assert rows(home, f"SELECT html, status, seconds, published_at IS NOT NULL FROM "
                          f"translations WHERE item_id = {item_id}") == [
            (rows(home, f"SELECT html FROM translations WHERE item_id = {original_id}")[0][0],
             "published", 0.0, 1)]
    # the distinct article was translated on its own
    assert rows(home, "SELECT count(*) FROM translations WHERE seconds > 0") == [(2,)]


def test_the_wire_story_is_one_story_with_three_sources(home: Path) -> None:
    store = _store(home)
    try:
        wire = store.list_stories(min_size=2)
        assert len(wire) == 1
        assert wire[0].sources == ("Agency", "Daily", "Weekly")
        assert wire[0].languages == ("en",)
        assert all(m.translations == ("es",) for m in wire[0].members)
        assert sorted(m.duplicate_of is None for m in wire[0].members) == [False, False, True]
        alone = [s for s in store.list_stories() if s.id != wire[0].id]
        assert [m.url.rsplit("/", 1)[1] for s in alone for m in s.members] == [
            f"{DISTINCT}.html"]
    finally:
        store.close()


def test_a_second_run_changes_no_story(home: Path) -> None:
    before = rows(home, "SELECT item_id, story_id FROM story_items ORDER BY item_id")
    keys = rows(home, "SELECT count(*) FROM index_keys")
    run_once(home)
    assert rows(home, "SELECT item_id, story_id FROM story_items ORDER BY item_id") == before
    assert rows(home, "SELECT count(*) FROM index_keys") == keys
    assert rows(home, "SELECT count(*), sum(size) FROM stories") == [(2, 4)]


def test_stories_list_shows_the_story_and_its_copies(home: Path) -> None:
    result = CliRunner().invoke(cli, ["--home", str(home), "stories", "list", "--min-size", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "3 article(s), 3 source(s): Agency, Daily, Weekly [en]" in lines[0]
    assert sum("(copy of #" in line for line in lines[1:]) == 2


@pytest.fixture(scope="module")
def client(home: Path) -> Iterator[TestClient]:
    """The site on the wire data directory."""
    store = _store(home)
    with TestClient(create_app(Settings(home=home), store, cache=False)) as c:
        yield c
    store.close()


def test_the_api_lists_the_story_with_its_coverage(client: TestClient) -> None:
    answer = client.get("/api/v1/stories", params={"lang": "es", "min_size": 2})
    assert answer.status_code == 200
    [story] = answer.json()
    assert story["sources"] == ["Agency", "Daily", "Weekly"]
    assert story["url"].endswith(f"/es/stories/{story['id']}")
    assert [a["translations"] for a in story["articles"]] == [
        {"es": f"/es/a/{a['item_id']}"} for a in story["articles"]]
    assert sum(a["copy_of"] is not None for a in story["articles"]) == 2
    assert client.get(f"/api/v1/stories/{story['id']}").json()["id"] == story["id"]
    assert client.get("/api/v1/stories/99999").status_code == 404


def test_the_story_page_links_every_original_and_translation(client: TestClient) -> None:
    [story] = client.get("/api/v1/stories", params={"min_size": 2}).json()
    page = client.get(f"/es/stories/{story['id']}")
    assert page.status_code == 200
    tree = lxml.html.fromstring(page.text)
    items = tree.cssselect("ul.coverage-list li")
    assert [li.findtext("strong") for li in items] == ["Agency", "Daily", "Weekly"]
    links = {a.get("href") for a in tree.cssselect("ul.coverage-list a")}
    assert {a["original_url"] for a in story["articles"]} <= links
    assert {f"/es/a/{a['item_id']}" for a in story["articles"]} <= links


def test_an_article_page_shows_who_else_reported_it(client: TestClient) -> None:
    [story] = client.get("/api/v1/stories", params={"min_size": 2}).json()
    first = story["articles"][0]["item_id"]
    page = client.get(f"/es/a/{first}", follow_redirects=True)
    assert page.status_code == 200
    [also] = lxml.html.fromstring(page.text).cssselect("p.also-reported")
    assert also.text_content().startswith("También informado por")
    *others, whole = also.findall("a")
    assert [a.text for a in others] == ["Daily", "Weekly"]
    assert whole.get("href") == f"/es/stories/{story['id']}"      # and the story's own page
    assert whole.text == "La noticia en todas las fuentes"


def test_the_front_page_can_show_each_story_once(home: Path, client: TestClient) -> None:
    [story] = client.get("/api/v1/stories", params={"min_size": 2}).json()
    members = {a["item_id"] for a in story["articles"]}

    def cards(page: str) -> list[lxml.html.HtmlElement]:
        found: list[lxml.html.HtmlElement] = lxml.html.fromstring(page).cssselect("article.card")
        return found

    def item_of(card: lxml.html.HtmlElement) -> int:
        href = card.cssselect("h2 a")[0].get("href")
        return int(href.split("/a/")[1].split("-")[0])

    every = cards(client.get("/es/").text)            # by default: every article
    assert members <= {item_of(c) for c in every}
    store = _store(home)
    try:
        settings = Settings(home=home, front_page_stories=True)
        with TestClient(create_app(settings, store, cache=False)) as grouped_client:
            grouped = cards(grouped_client.get("/es/").text)
    finally:
        store.close()
    assert len(grouped) == len(every) - 2             # the story's three articles: one card
    [card] = [c for c in grouped if item_of(c) in members]
    [also] = card.cssselect("p.also-reported")
    sources = {"Agency", "Daily", "Weekly"}
    assert also.text_content().startswith("También informado por")
    *others, whole = also.cssselect("a")
    assert len(others) == 2 and {a.text for a in others} < sources     # the two others
    assert whole.get("href") == f"/es/stories/{story['id']}"
    # articles in no shared story keep their cards, in the same order
    assert [item_of(c) for c in grouped if item_of(c) not in members] == [
        item_of(c) for c in every if item_of(c) not in members]


def test_the_stories_feed_links_each_story_with_its_sources(client: TestClient) -> None:
    [story] = client.get("/api/v1/stories", params={"lang": "es", "min_size": 2}).json()
    answer = client.get("/es/stories.xml")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/rss+xml")
    feed = feedparser.parse(answer.content)
    assert not feed.bozo and feed.feed.language == "es"
    [item] = [e for e in feed.entries if e.link.endswith(f"/es/stories/{story['id']}")]
    assert item.description == "La noticia en todas las fuentes: Agency, Daily, Weekly"
    coverage = client.get(f"/api/v1/stories/{story['id']}").json()["articles"]
    assert item.title and item.title not in {a["title"] for a in coverage}   # translated title
    assert len(feed.entries) == len(client.get("/api/v1/stories", params={"lang": "es"}).json())
    assert client.get("/xx-bogus/stories.xml").status_code == 404


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0)])
def test_unrelated_articles_sharing_ordinary_words_stay_apart_in_any_order(
        tmp_path: Path, order: tuple[int, ...]) -> None:
    # Three long Spanish articles on three stories (Colombia's JEP, ETA in France, the Mapuche
    # question), compared through their English translations: each pair shares enough ordinary
    # words to pass the similarity cut, but few names. Grouped together, which pair met first
    # decided the stories, and a fleet's workers and one process grouped them differently.
    pages = dict(demo_pages())
    names = ("es-elespectador-jep", "es-elmundo-2012", "es-lanacion-mapuche")
    sample_sites(tmp_path / "sites", {"prensa": [(names[k], pages[names[k]]) for k in order]},
                 lang="es", targets=("en",))
    with SampleSitesServer(0, data=tmp_path / "sites") as server:
        prepare_home(tmp_path / "home", server, workers=1)
        run_once(tmp_path / "home")
    assert rows(tmp_path / "home", "SELECT count(*), count(DISTINCT story_id) FROM story_items"
                ) == [(3, 3)]
