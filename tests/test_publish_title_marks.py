"""A word the translation left in another language is marked in the title as in the body.

The body's such words were published inside ``<span lang>``; the title was plain text, so a
third of them (50 of 150 on the aside story texts) reached readers unmarked. The article's
heading, the listings' cards and the API's ``title_html`` show the marked title; feeds the plain
one.
"""

from __future__ import annotations

from dataclasses import replace

import lxml.html

from babelwire.models import Article, TranslationStatus
from babelwire.publish import create_app
from babelwire.run.translation import translate_article
from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.translate.router import Router
from tests.helpers.site import TestClient
from tests.helpers.store import add_article

# es-f366651aa103 (1) of ../shared/data/stories/pairs.jsonl (development): no route of Apertium
# knows "gobernabilidad" into English
TITLE = "Gobernabilidad en tiempos del Covid-19"
LEAD = ("La percepción del riesgo es una construcción social, que tiene una fuerte influencia "
        "política y refleja la distribución del poder y la autoridad para proteger de las "
        "amenazas.")


def _article() -> Article:
    return Article(url="https://stories.invalid/es-f366651aa103-1", title=TITLE,
                   html=f"<p>{LEAD}</p>", text=LEAD, lang="es")


def _heading(client: TestClient, item_id: int) -> lxml.html.HtmlElement:
    response = client.get(f"/en/a/{item_id}", follow_redirects=True)
    assert response.status_code == 200
    heading = lxml.html.fromstring(response.content).xpath("//article//h1")[0]
    assert isinstance(heading, lxml.html.HtmlElement)
    return heading


def test_a_source_word_kept_in_the_title_is_marked_on_the_page(
        router: Router, store: Store, settings: Settings) -> None:
    done = translate_article(_article(), "en", router)
    assert done.status is TranslationStatus.PUBLISHED, done.checks
    assert done.title.startswith("Gobernabilidad ")
    assert '<span lang="es">Gobernabilidad</span>' in done.title_html
    item_id = add_article(store, _article(), [done])
    with TestClient(create_app(settings, store, cache=False)) as client:
        heading = _heading(client, item_id)
        front = lxml.html.fromstring(client.get("/en/").content)
        api = client.get(f"/api/v1/articles/{item_id}/en").json()
    assert heading.text_content() == done.title
    assert [(s.get("lang"), s.text) for s in heading.xpath(".//span")] == [
        ("es", "Gobernabilidad")]
    assert api["title"] == done.title and api["title_html"] == done.title_html
    # and in the listings' cards
    card = front.xpath(f"//article[@class='card']//h2[a[contains(@href, '/a/{item_id}')]]")[0]
    assert [(s.get("lang"), s.text) for s in card.xpath(".//span")] == [("es", "Gobernabilidad")]


def test_the_title_s_marks_never_change_its_text_nor_carry_other_markup(
        router: Router, store: Store, settings: Settings) -> None:
    done = translate_article(_article(), "en", router)
    smuggled = replace(done, title_html=done.title_html.replace(
        "Gobernabilidad</span>", 'Gobernabilidad</span><a href="https://x.invalid/">!</a>'))
    other = replace(done, title_html='<span lang="es">Otra</span> cosa')
    first = add_article(store, _article(), [smuggled], guid="one")
    second = add_article(store, replace(_article(), url=_article().url + "-b"), [other],
                         guid="two")
    with TestClient(create_app(settings, store, cache=False)) as client:
        with_link, unrelated = _heading(client, first), _heading(client, second)
    # an anchor smuggled in goes (its text stays: the marked text is then not the title's,
    # and the plain title is shown)
    assert not with_link.xpath(".//a") and with_link.text_content() == done.title
    assert unrelated.text_content() == done.title and not unrelated.xpath(".//span")


def test_an_editor_s_title_replaces_the_marked_one(
        router: Router, store: Store, settings: Settings) -> None:
    done = translate_article(_article(), "en", router)
    held = replace(done, status=TranslationStatus.HELD)
    item_id = add_article(store, _article(), [held], guid="edited")
    kept = store.load_translation(item_id, "en")
    assert kept is not None and kept.title_html == done.title_html
    title = "Governability in the time of Covid-19"
    assert store.save_edit(item_id, "en", title=title, html=done.html, text=done.text,
                           editor="alice")
    assert store.approve(item_id, "en", editor="alice") is not None
    edited = store.load_translation(item_id, "en")
    assert edited is not None and edited.title == title and edited.title_html == ""
    with TestClient(create_app(settings, store, cache=False)) as client:
        heading = _heading(client, item_id)
    assert heading.text_content() == title and not heading.xpath(".//span")
