"""The review queue in the store: what waits, what an approval or a rejection changes, and that
no decision can race the pipeline or another editor. Real articles, human translations and a
machine-like garbled translation judged by the real fidelity checks."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import inspect

from babelwire.models import FeedItem, ItemState, TranslationStatus
from babelwire.settings import Settings
from babelwire.store import Store, new_owner
from babelwire.store.db import alembic_config
from babelwire.store.tables import utcnow
from tests.helpers.articles import garbled_chips, load_article, reference_translation
from tests.helpers.store import HELD_TITLE, MIXED_HELD_TITLE, add_garbled, fill, retranslate


def test_the_garbled_translation_is_held_by_the_real_checks() -> None:
    t = garbled_chips()
    failed = {c.name: c.detail for c in t.checks if not c.ok}
    assert t.status == TranslationStatus.HELD
    assert set(failed) == {"protected_names", "link_targets"}
    assert "The Information" in failed["protected_names"]
    assert "https://www.bloomberg.com/" in failed["link_targets"]


def test_queue_lists_held_translations_of_items_at_rest_only(store: Store) -> None:
    filled = fill(store)
    garbled = add_garbled(store)
    entries, total = store.review_queue()
    assert total == 3 == len(entries)
    assert {(e.item_id, e.lang) for e in entries} == {(filled.vivienda, "ca"), (filled.held, "es"),
                                                      (garbled, "es")}
    by_item = {e.item_id: e for e in entries}
    assert by_item[filled.vivienda].title == MIXED_HELD_TITLE
    assert by_item[garbled].failed == ("protected_names", "link_targets")
    assert by_item[garbled].original_title == load_article("en-chips").title
    assert by_item[garbled].source_name == "Circuit Daily" and not by_item[garbled].human_edited
    assert store.review_queue(limit=1, offset=1)[0] == entries[1:2]
    assert store.review_queue(limit=0) == ([], 3)


def test_approving_a_held_only_item_publishes_it(store: Store) -> None:
    filled = fill(store)
    assert store.published_article(filled.held, "es") is None
    before = store.count_published("es")
    approval = store.approve(filled.held, "es", editor="alice")
    assert approval is not None and approval.editor == "alice" and not approval.human_edited
    assert approval.title == HELD_TITLE and approval.machine_html == approval.html
    assert approval.source_html == load_article("en-chips").html
    public = store.published_article(filled.held, "es")
    assert public is not None and public.title == HELD_TITLE
    assert public.published_at is not None and public.published_at == approval.approved_at
    item = store.get_item(filled.held)
    assert item is not None and item.state == ItemState.PUBLISHED and item.reason is None
    assert store.count_published("es") == before + 1
    assert (filled.held, "es") not in {(e.item_id, e.lang) for e in store.review_queue()[0]}


def test_approving_the_held_language_of_a_published_item(store: Store) -> None:
    filled = fill(store)
    assert store.published_languages(filled.vivienda) == ["en", "fr"]
    assert store.approve(filled.vivienda, "ca", editor="alice") is not None
    assert store.published_languages(filled.vivienda) == ["ca", "en", "fr"]
    item = store.get_item(filled.vivienda)
    assert item is not None and item.state == ItemState.PUBLISHED


def test_an_edited_approval_hands_both_texts_to_the_translation_memory(
        store: Store, settings: Settings) -> None:
    item_id = add_garbled(store)
    machine = garbled_chips()
    fixed = reference_translation("en-chips", "es")
    assert store.save_edit(item_id, "es", title="Apple fabricará su propio módem",
                     html=fixed.html, text=fixed.text, editor="alice")
    detail = store.get_review(item_id, "es")
    assert detail is not None and detail.human_edited and detail.edited_by == "alice"
    assert detail.status == TranslationStatus.HELD  # an edit alone publishes nothing
    approval = store.approve(item_id, "es", editor="bob")
    assert approval is not None and approval.human_edited and approval.editor == "bob"
    assert approval.machine_html == machine.html and approval.machine_title == machine.title
    assert approval.html == fixed.html and approval.title == "Apple fabricará su propio módem"
    assert approval.text == fixed.text and approval.source_lang == "en"
    assert approval.source_title == load_article("en-chips").title
    with sqlite3.connect(settings.home / "babelwire.db") as db:
        assert db.execute("SELECT human_edited FROM translations WHERE item_id = ?",
                          (item_id,)).fetchone() == (1,)
    # The full-text index follows the edit: the restored publication name is found.
    found, total = store.search("es", "Information")
    assert total == 1 and found[0].item_id == item_id


def test_rejecting_keeps_it_out_for_good(store: Store) -> None:
    filled = fill(store)
    assert store.reject(filled.held, "es", editor="alice", note="names garbled")
    detail = store.get_review(filled.held, "es")
    assert detail is not None and detail.status == TranslationStatus.REJECTED
    assert detail.decision == "rejected" and detail.decided_by == "alice"
    assert not detail.reviewable
    item = store.get_item(filled.held)
    assert item is not None and item.state == ItemState.FAILED
    assert item.reason == "es: rejected by alice: names garbled"
    assert store.published_article(filled.held, "es") is None
    assert store.approve(filled.held, "es", editor="bob") is None
    assert store.review_queue()[1] == 1  # only the Catalan one is left


def test_a_decided_translation_cannot_be_decided_or_edited_again(store: Store) -> None:
    filled = fill(store)
    assert store.approve(filled.held, "es", editor="alice") is not None
    assert store.approve(filled.held, "es", editor="bob") is None
    assert not store.reject(filled.held, "es", editor="bob")
    assert not store.save_edit(filled.held, "es", title="x", html="<p>x</p>", text="x",
                         editor="bob")
    assert store.approve(filled.chips, "es", editor="bob") is None  # published by the pipeline
    assert store.approve(999_999, "es", editor="bob") is None


def test_items_the_pipeline_works_on_cannot_be_reviewed(store: Store) -> None:
    item_id = add_garbled(store)
    item = store.get_item(item_id)
    assert item is not None
    # The feed entry changed: the pipeline will fetch and translate the article again.
    changed = FeedItem(guid=item.guid, url=item.url, updated=datetime.now(UTC))
    assert store.upsert_feed_items(item.source_id, [changed]) == (0, 1)
    assert store.review_queue()[1] == 0
    assert store.approve(item_id, "es", editor="alice") is None
    owner = new_owner()
    assert store.claim_item(owner, utcnow(), 60, item_id=item_id) is not None
    assert not store.reject(item_id, "es", editor="alice")
    detail = store.get_review(item_id, "es")
    assert detail is not None and detail.status == TranslationStatus.HELD
    assert detail.item_state == ItemState.DISCOVERED and not detail.reviewable


def test_a_retranslation_replaces_the_editors_text_and_its_mark(store: Store) -> None:
    item_id = add_garbled(store)
    fixed = reference_translation("en-chips", "es")
    assert store.save_edit(item_id, "es", title=fixed.title, html=fixed.html, text=fixed.text,
                     editor="alice")
    second = garbled_chips("La Informació")
    retranslate(store, item_id, [second])
    detail = store.get_review(item_id, "es")
    assert detail is not None and detail.html == second.html and not detail.human_edited
    assert store.save_edit(item_id, "es", title=fixed.title, html=fixed.html, text=fixed.text,
                     editor="bob")
    approval = store.approve(item_id, "es", editor="bob")
    assert approval is not None and approval.machine_html == second.html


def test_migration_0003_goes_down_and_up_leaving_search_intact(store: Store) -> None:
    config = alembic_config(store.engine)
    command.downgrade(config, "0002")
    tables = set(inspect(store.engine).get_table_names())
    assert not {"admin_tokens", "admin_sessions", "translation_reviews"} & tables
    columns = {c["name"] for c in inspect(store.engine).get_columns("translations")}
    assert "human_edited" not in columns
    command.upgrade(config, "head")
    assert {"admin_tokens", "admin_sessions", "translation_reviews"} <= set(
        inspect(store.engine).get_table_names())
    filled = fill(store)
    # The full-text triggers survived both steps: a new translation is found at once.
    assert [a.item_id for a in store.search("es", "Qualcomm")[0]] == [filled.chips]


@pytest.mark.parametrize("lang", ["es", "ca"])
def test_get_review_shows_the_original_beside_the_translation(store: Store, lang: str) -> None:
    filled = fill(store)
    item_id = filled.held if lang == "es" else filled.vivienda
    detail = store.get_review(item_id, lang)
    original = load_article("en-chips" if lang == "es" else "es-vivienda")
    assert detail is not None and detail.reviewable
    assert detail.original_html == original.html and detail.original_title == original.title
    assert detail.original_url == original.canonical_url and detail.author == original.author
    assert detail.source_lang == original.lang and detail.checks
