"""The store's side of publishing targets, on SQLite and PostgreSQL: what each target should
carry, handed out post by post under leases, oldest first."""

from __future__ import annotations

from datetime import timedelta

from babelwire.models import FeedItem, TranslationStatus
from babelwire.store import Store
from babelwire.store.tables import utcnow
from babelwire.store.targets import DRAFT, PUBLISH, TRASH
from tests.helpers.wordpress import add_chips

URL = "https://wp.example.org"


def _claim_all(store: Store, target_id: int) -> list[tuple[int, str]]:
    done = []
    while (post := store.claim_target_post(target_id, "me", utcnow(), 60)) is not None:
        store.finish_target_post(post, "me", post_id=1000 + post.item_id, done=post.want)
        done.append((post.item_id, post.want))
    return done


def test_published_translations_are_planned_oldest_first_and_held_ones_only_as_drafts(
        db_store: Store) -> None:
    published = add_chips(db_store, 3)
    held = add_chips(db_store, 1, status=TranslationStatus.HELD)
    plain = db_store.add_target("wordpress", URL, "bw", "/pw", ("es",))
    drafts = db_store.add_target("wordpress", URL + "/b", "bw", "/pw", ("es",), drafts=True)
    other = db_store.add_target("wordpress", URL + "/c", "bw", "/pw", ("fr",))
    assert [db_store.plan_target(t.id) for t in (plain, drafts, other)] == [3, 4, 0]
    assert _claim_all(db_store, plain.id) == [(i, PUBLISH) for i in published]
    assert _claim_all(db_store, drafts.id) == [*((i, PUBLISH) for i in published),
                                               (held[0], DRAFT)]
    assert db_store.plan_target(plain.id) == 0 and _claim_all(db_store, plain.id) == []


def test_a_takedown_wants_the_trash_and_a_post_never_made_needs_no_work(db_store: Store) -> None:
    items = add_chips(db_store, 2)
    target = db_store.add_target("wordpress", URL, "bw", "/pw", ("es",))
    db_store.plan_target(target.id)
    first = db_store.claim_target_post(target.id, "me", utcnow(), 60)
    assert first is not None and first.item_id == items[0]
    db_store.finish_target_post(first, "me", post_id=7, done=PUBLISH)
    for item_id in items:                       # one made, one never made
        item = db_store.get_item(item_id)
        assert item is not None
        db_store.take_down(item.url)
    assert db_store.plan_target(target.id) == 2
    assert _claim_all(db_store, target.id) == [(items[0], TRASH)]
    counts = db_store.target_counts(target.id)
    assert (counts.trashed, counts.pending, counts.published) == (1, 0, 0)


def test_a_leased_post_is_not_handed_out_twice_and_a_failure_waits(db_store: Store) -> None:
    add_chips(db_store, 1)
    target = db_store.add_target("wordpress", URL, "bw", "/pw", ("es",))
    db_store.plan_target(target.id)
    now = utcnow()
    post = db_store.claim_target_post(target.id, "a", now, 60)
    assert post is not None
    assert db_store.claim_target_post(target.id, "b", now, 60) is None
    # a dead process's lease runs out: the post is handed out again, with its slug
    db_store.begin_target_post(post, "a", "a-slug-bw1-es")
    again = db_store.claim_target_post(target.id, "b", now + timedelta(seconds=61), 60)
    assert again is not None and again.slug == "a-slug-bw1-es"
    db_store.fail_target_post(again, "b", "HTTP 503", retryable=True, backoff_seconds=100)
    assert db_store.claim_target_post(target.id, "c", utcnow(), 60) is None
    later = db_store.claim_target_post(target.id, "c", utcnow() + timedelta(seconds=101), 60)
    assert later is not None and later.attempts == 1
    db_store.fail_target_post(later, "c", "gone", retryable=False, backoff_seconds=100)
    assert db_store.claim_target_post(target.id, "d", utcnow() + timedelta(days=1), 60) is None
    assert db_store.target_counts(target.id).errors == ("item 1 (es): gone",)


def test_an_item_worked_again_keeps_its_post_until_it_is_done(db_store: Store) -> None:
    [item_id] = add_chips(db_store, 1)
    target = db_store.add_target("wordpress", URL, "bw", "/pw", ("es",))
    db_store.plan_target(target.id)
    assert _claim_all(db_store, target.id) == [(item_id, PUBLISH)]
    item = db_store.get_item(item_id)
    assert item is not None
    changed = FeedItem(guid=item.guid, url=item.url, updated=utcnow())
    assert db_store.upsert_feed_items(item.source_id, [changed]) == (0, 1)   # to be fetched again
    assert db_store.plan_target(target.id) == 0 and _claim_all(db_store, target.id) == []
