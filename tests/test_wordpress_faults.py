"""A broken WordPress or bad credentials: a clear error naming the target and the post, transient
errors retried, and nothing lost (the translation stays on babelwire's own site and the target
catches up later). Against the real WordPress, behind a proxy that breaks on demand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.store.tables import utcnow
from tests.fakes.wp_proxy import HTML_PAGE, BreakingProxy
from tests.helpers.articles import reference_translation
from tests.helpers.http import LocalServer
from tests.helpers.store import retranslate
from tests.helpers.wordpress import add_chips, add_target, posts, sync
from tests.services_wordpress import WordPressServer


@pytest.fixture
def proxy(wordpress: WordPressServer) -> Iterator[BreakingProxy]:
    """A proxy in front of the test WordPress (forwarding until told to break)."""
    p = BreakingProxy(wordpress.url)
    yield p
    p.close()


@pytest.fixture
def quick(settings: Settings) -> Settings:
    """Settings with short timeouts and immediate retries (two of them)."""
    return settings.replace(target_timeout=1.0, target_retries=2, target_backoff=0.01,
                            retry_backoff=0.0)


def _still_on_our_site(store: Store, item_id: int) -> None:
    assert store.published_article(item_id, "es") is not None


def test_a_wrong_password_names_the_target_and_the_user_and_is_caught_up_later(
        quick: Settings, store: Store, wordpress: WordPressServer, tmp_path: Path) -> None:
    [item] = add_chips(store, 1)
    target = add_target(store, wordpress, tmp_path)
    good = Path(target.password_file).read_text()
    Path(target.password_file).write_text("abcd efgh ijkl mnop qrst uvwx\n")
    report = sync(quick, store, target)
    assert report.stopped == (f"{wordpress.url} (the user): the user 'babelwire' or its "
                              "application password is wrong (401) (rest_not_logged_in: You "
                              "are not currently logged in.)")
    assert good.strip() not in report.stopped and "abcd" not in report.stopped
    assert posts(wordpress) == [] and store.target_counts(target.id).pending == 1
    _still_on_our_site(store, item)
    Path(target.password_file).write_text(good)
    assert sync(quick, store, target).done == {"created": 1}


def test_a_site_without_the_rest_api_is_named(quick: Settings, store: Store,
                                              server: LocalServer, wordpress: WordPressServer,
                                              tmp_path: Path) -> None:
    add_chips(store, 1)
    target = add_target(store, wordpress, tmp_path, url=server.url(""))
    report = sync(quick, store, target)
    assert report.stopped == (f"{server.url('')}: no WordPress REST API here (is it a WordPress "
                              "site, with the REST API on?)")
    assert store.target_counts(target.id).pending == 1


@pytest.mark.parametrize(("mode", "message"), [
    ("500", "HTTP 500 (not JSON: '<html><body>Internal Server Error</body></html>')"),
    ("slow", "timed out after 1s"),
    ("html", "answered text/html where JSON belongs (a plugin or the server printed something "
             f"else: {HTML_PAGE.decode()[:80]!r})"),
])
def test_a_broken_site_is_retried_then_caught_up(
        quick: Settings, store: Store, wordpress: WordPressServer, proxy: BreakingProxy,
        tmp_path: Path, mode: str, message: str) -> None:
    items = add_chips(store, 2)
    target = add_target(store, wordpress, tmp_path, url=proxy.url)
    assert sync(quick, store, target).done == {"created": 1 + 1}
    retranslate(store, items[0], [reference_translation("en-chips", "es", second=True)])
    proxy.mode, proxy.only, seen = mode, "/wp/v2/posts", len(proxy.requests)
    report = sync(quick, store, target)
    post_id = store.target_posts(target.id)[0].post_id
    assert report.stopped == f"{proxy.url} (item {items[0]} (es), post {post_id}): {message}"
    broken = [r for r in proxy.requests_since(seen) if "/wp/v2/posts" in r[1]]
    assert len(broken) == 1 + 2                                # tried, then retried twice
    [waiting] = [p for p in store.target_posts(target.id) if p.item_id == items[0]]
    assert waiting.attempts == 1
    _still_on_our_site(store, items[0])
    proxy.mode = "pass"
    assert sync(quick, store, target).done == {"updated": 1}   # caught up
    assert len(posts(wordpress)) == 2


def test_a_post_deleted_by_hand_is_named_and_made_again_when_its_translation_changes(
        quick: Settings, store: Store, wordpress: WordPressServer, tmp_path: Path) -> None:
    items = add_chips(store, 2)
    target = add_target(store, wordpress, tmp_path)
    sync(quick, store, target)
    gone = store.target_posts(target.id)[0].post_id
    wordpress.sql(f"DELETE FROM wp_posts WHERE ID = {gone}")
    retranslate(store, items[0], [reference_translation("en-chips", "es", second=True)])
    report = sync(quick, store, target)
    assert report.errors == [f"{wordpress.url} (item {items[0]} (es), post {gone}): it is gone "
                             "from WordPress (deleted there?) (404) (rest_post_invalid_id: "
                             "Invalid post ID.)"]
    assert report.total == 0 and not report.stopped
    assert store.target_counts(target.id).failed == 1
    assert sync(quick, store, target).total == 0                # not retried in a loop
    _still_on_our_site(store, items[0])
    retranslate(store, items[0], [reference_translation("en-chips", "es")])
    assert sync(quick, store, target).done == {"created": 1}
    assert len(posts(wordpress)) == 2


def test_a_post_trashed_by_hand_stays_in_the_trash(
        quick: Settings, store: Store, wordpress: WordPressServer, tmp_path: Path) -> None:
    items = add_chips(store, 1)
    target = add_target(store, wordpress, tmp_path)
    sync(quick, store, target)
    post_id = store.target_posts(target.id)[0].post_id
    wordpress.sql(f"UPDATE wp_posts SET post_status = 'trash' WHERE ID = {post_id}")
    retranslate(store, items[0], [reference_translation("en-chips", "es", second=True)])
    report = sync(quick, store, target)
    assert report.errors == [f"{wordpress.url} (item {items[0]} (es), post {post_id}): it was "
                             "moved to the trash on WordPress; babelwire leaves it there"]
    assert [p[1] for p in posts(wordpress)] == ["trash"]


def test_a_retryable_failure_waits_before_the_next_try(
        settings: Settings, store: Store, wordpress: WordPressServer, proxy: BreakingProxy,
        tmp_path: Path) -> None:
    add_chips(store, 1)
    target = add_target(store, wordpress, tmp_path, url=proxy.url)
    slow = settings.replace(target_retries=0, retry_backoff=120.0)
    proxy.mode, proxy.only = "500", "/wp/v2/posts"
    assert sync(slow, store, target).stopped
    seen = len(proxy.requests)
    proxy.mode = "pass"
    assert sync(slow, store, target).total == 0                  # not yet:
    assert [r for r in proxy.requests_since(seen) if "/posts" in r[1]] == []
    assert store.claim_target_post(target.id, "x", utcnow(), 60) is None


def test_an_answer_lost_after_the_post_was_made_makes_no_second_post(
        quick: Settings, store: Store, wordpress: WordPressServer, proxy: BreakingProxy,
        tmp_path: Path) -> None:
    [item] = add_chips(store, 1)
    target = add_target(store, wordpress, tmp_path, url=proxy.url)
    proxy.mode, proxy.only = "lose", "/wp/v2/posts"
    report = sync(quick, store, target)
    assert report.stopped.startswith(f"{proxy.url} (item {item} (es)): cannot connect: ")
    assert len(posts(wordpress)) == 1                          # made, but babelwire never heard
    [record] = store.target_posts(target.id)
    assert record.post_id is None and record.slug.endswith(f"-bw{item}-es")
    proxy.mode = "pass"
    assert sync(quick, store, target).done == {"updated": 1}  # found by its slug
    assert len(posts(wordpress)) == 1
    assert store.target_posts(target.id)[0].post_id == int(posts(wordpress)[0][0])
