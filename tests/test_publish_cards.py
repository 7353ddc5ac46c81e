"""Listing cards are rendered once per version of what they show (``publish.context.Cards``) and
listing rows are read once per version of their columns (``store.site.brief_row_view``): with
the page cache off, a change to anything a card shows is on the next page served, never a card
of before."""

from __future__ import annotations

from datetime import timedelta

import lxml.html
from sqlalchemy import update

from babelwire.publish import create_app
from babelwire.store.tables import TranslationRow, utcnow
from tests.helpers.articles import reference_translation
from tests.helpers.site import FilledSite, TestClient


def cards(client: TestClient, path: str) -> list[str]:
    """The text of each card of a listing page."""
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 200, path
    doc = lxml.html.fromstring(response.content)
    return [" ".join(c.text_content().split()) for c in doc.xpath("//article[@class='card']")]


def test_a_card_shows_each_change_of_its_row_at_once(fresh_site: FilledSite) -> None:
    store, filled = fresh_site.store, fresh_site.filled
    title = reference_translation("es-vivienda", "en").title
    with TestClient(create_app(fresh_site.settings, store, cache=False)) as client:
        for _ in range(3):   # served several times: its card and row are kept
            before = cards(client, "/en/")
            assert len(before) == 1 and title in before[0]
        # The source's republishing mode declared ``headline`` (``babelwire sources add
        # --republish``): its cards keep the headline and lose the summary.
        source = store.get_source(store.get_item(filled.vivienda).source_id)  # type: ignore[union-attr]
        assert source is not None
        summary = "The Housing Minister"
        assert summary in before[0]
        store.add_source(source.url, targets=list(source.targets), republish="headline",
                         republish_reason="the publisher allows headlines")
        headline = cards(client, "/en/")
        assert title in headline[0] and summary not in headline[0]
        store.add_source(source.url, targets=list(source.targets), republish="full",
                         republish_reason="the publisher allows it all")
        assert summary in cards(client, "/en/")[0]
        # The translation re-translated: a new title, written as the pipeline writes one.
        with store.connection() as conn:
            conn.execute(update(TranslationRow).where(TranslationRow.item_id == filled.vivienda,
                                                      TranslationRow.lang == "en")
                         .values(title="Housing plan passes its last vote",
                                 updated_at=utcnow() + timedelta(seconds=1), safe_html=None,
                                 safe_lead=None))
        retitled = cards(client, "/en/")
        assert "Housing plan passes its last vote" in retitled[0] and title not in retitled[0]
        # The same card on the source's page, and the article's own page agree.
        assert retitled[0] in cards(client, f"/en/sources/{source.id}")
        page = client.get(f"/en/a/{filled.vivienda}", follow_redirects=True)
        assert "Housing plan passes its last vote" in page.text


def test_an_article_page_reads_its_other_languages_and_story_with_it(
        fresh_site: FilledSite) -> None:
    store, filled = fresh_site.store, fresh_site.filled
    found = store.article_page(filled.vivienda, "en")
    assert found is not None
    assert found.article.lang == "en" and found.article.html and found.article.original_html
    # Its other public translation (French); the held Catalan one is not offered.
    assert [code for code, _title, _original in found.others] == ["fr"]
    assert found.others[0][1] == reference_translation("es-vivienda", "fr").title
    assert found.story_id is None
    assert store.article_page(filled.held, "es") is None   # held: not public
    assert store.article_page(filled.vivienda, "ca") is None
    story = store.join_story(filled.vivienda, None, title="Vivienda", lang="en",
                             similarity=1.0, keys=[], at=utcnow())
    joined = store.article_page(filled.vivienda, "fr")
    assert joined is not None and joined.story_id == story
    assert [code for code, _t, _o in joined.others] == ["en"]
