"""The demo publishes whole translations of its sample pages through a declared mode, though
the pages themselves allow no more than an excerpt: one sample article through every stage."""

from __future__ import annotations

import lxml.html

from babelwire.cli.demo import DEMO_REASON, subscribe
from babelwire.demo.sites import SampleSitesServer
from babelwire.models import ItemState, Mode
from babelwire.publish import create_app
from babelwire.rights.policy import decide
from babelwire.run.stages import (
    Services,
    extract_item,
    fetch_item,
    poll_source,
    publish_item,
    translate_item,
)
from babelwire.settings import Settings
from babelwire.store import Store, new_owner
from babelwire.store.tables import utcnow
from tests.helpers.site import TestClient


def test_the_demo_declares_full_and_publishes_whole_translations(
        settings: Settings, store: Store, sample_sites: SampleSitesServer) -> None:
    settings = settings.replace(allowed_hosts=(f"127.0.0.1:{sample_sites.port}",))
    assert subscribe(store, sample_sites) == 3
    sources = store.list_sources()
    assert {(s.republish, s.republish_reason) for s in sources} == {("full", DEMO_REASON)}
    prensa = next(s for s in sources if s.source_lang == "es")
    services = Services(settings, store=store)
    try:
        started = utcnow()
        assert poll_source(settings, store, services, prensa).new == 8
        found = [store.get_item(i) for i in store.discovered_since(prensa.id, started)]
        chosen = next(i for i in found if i is not None and "es-elmundo-2012" in i.url)
        owner = new_owner()
        item = store.claim_item(owner, utcnow(), 600, item_id=chosen.id)
        assert item is not None
        for stage in (fetch_item, extract_item, translate_item):
            stage(settings, store, services, item, owner)
            item = store.get_item(item.id) or item
        assert publish_item(settings, store, services, item, owner) == ItemState.PUBLISHED
    finally:
        services.close()
    article = store.load_article(item.id)
    assert article is not None
    assert decide(article.rights).mode == Mode.EXCERPT       # the page alone: all rights reserved
    for lang in ("en", "fr"):
        translation = store.load_translation(item.id, lang)
        assert translation is not None
        with TestClient(create_app(settings, store, cache=False)) as client:
            page = client.get(f"/{lang}/a/{item.id}", follow_redirects=True)
        doc = lxml.html.fromstring(page.text)
        shown = [" ".join(p.text_content().split()) for p in doc.xpath("//div[@class='body']/*")]
        whole = [" ".join(p.text_content().split())
                 for p in lxml.html.fragments_fromstring(translation.html)]
        assert shown == whole and len(whole) > 3
        mode = doc.xpath("//dd[@class='republish']")[0]
        assert mode.get("data-mode") == "full"
        assert f"declared by the operator: {DEMO_REASON}" in mode.text_content()

