"""Keeping every publishing target in step with the store: the stage after ``publish``.

``sync_targets`` plans each target (``Store.plan_target``) and then works its posts one at a time
under the store's leases, oldest translation first, so that several runners or workers can sync
the same target without making a post twice. A failure never touches babelwire's own site:
the translation stays published there, and the target catches up at a later sync.

A transient failure (a timeout, a 5xx, HTML where JSON belongs) or a target that refuses the
user stops this sync of that target (the site is down or misconfigured: the next posts would fail
the same way) and is tried again after ``retry_backoff``, doubled each time. A failure of one post
(WordPress refuses its fields, or it was deleted or trashed there by hand) is recorded on that
post, which waits until its translation changes; the sync goes on with the next one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from textwrap import shorten
from threading import Event

from babelwire.exceptions import BabelwireError, TargetError
from babelwire.publish.present import present
from babelwire.settings import Settings
from babelwire.sources.fetch import Fetcher
from babelwire.store import Store, new_owner
from babelwire.store.tables import utcnow
from babelwire.store.targets import TRASH, TargetInfo, TargetPost
from babelwire.targets.wordpress.client import (
    ClientOptions,
    PostGone,
    TargetRefused,
    WordPressClient,
)
from babelwire.targets.wordpress.publisher import ImageFetcher, WordPressPublisher

log = logging.getLogger(__name__)
Progress = Callable[[str], None]


@dataclass
class SyncReport:
    """What one sync of one target did."""

    target: str
    done: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    stopped: str = ""

    @property
    def total(self) -> int:
        """Posts created, updated or trashed."""
        return sum(self.done.values())


def read_password(target: TargetInfo) -> str:
    """The application password, from the target's file (never stored, logged or shown)."""
    path = Path(target.password_file).expanduser()
    try:
        password = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise TargetError(f"cannot read the application password file {path}: "
                          f"{exc.strerror or exc}", subject=target.url) from exc
    if not password:
        raise TargetError(f"the application password file {path} is empty", subject=target.url)
    return password


def open_client(settings: Settings, target: TargetInfo) -> WordPressClient:
    """A client of the target as its user."""
    options = ClientOptions(timeout=settings.target_timeout, retries=settings.target_retries,
                            backoff=settings.target_backoff)
    return WordPressClient(target.url, target.user, read_password(target), options)


def sync_targets(settings: Settings, store: Store, fetch_image: ImageFetcher, *,
                 progress: Progress | None = None, stop: Event | None = None,
                 limit: int | None = None) -> list[SyncReport]:
    """Sync every target (see the module); returns a report per target."""
    return [sync_target(settings, store, target, fetch_image, progress=progress, stop=stop,
                        limit=limit) for target in store.list_targets()]


def sync_target(settings: Settings, store: Store, target: TargetInfo, fetch_image: ImageFetcher,
                *, progress: Progress | None = None, stop: Event | None = None,
                limit: int | None = None) -> SyncReport:
    """Bring one target in step with the store (at most ``limit`` posts)."""
    say = progress or (lambda line: None)
    report = SyncReport(target.url)
    store.plan_target(target.id)
    waiting = store.target_counts(target.id).pending
    if not waiting:
        return report
    say(f"→ {target.url}: {waiting} post(s) to bring in step")
    try:
        client = open_client(settings, target)
        with client:
            publisher = WordPressPublisher(target, client, store, fetch_image)
            while not (stop and stop.is_set()) and (limit is None or report.total < limit):
                owner = new_owner()
                post = store.claim_target_post(target.id, owner, utcnow(),
                                               settings.lease_seconds)
                if post is None:
                    break
                if not _one(settings, store, publisher, post, owner, report, say, waiting):
                    break
    except TargetError as exc:   # no password, no API, refused user: nothing can be posted
        report.stopped = named(target.url, exc)
        say(f"! {report.stopped}")
    return report


def _one(settings: Settings, store: Store, publisher: WordPressPublisher, post: TargetPost,
         owner: str, report: SyncReport, say: Progress, waiting: int) -> bool:
    """Apply one post; False when the sync of this target must stop."""
    article = store.target_article(post.item_id, post.lang)
    if article is None and post.want != TRASH:
        # taken down or withdrawn since the plan: the next plan says what to do with its post
        store.fail_target_post(post, owner, "the translation is gone since the sync began",
                               retryable=True, backoff_seconds=max(60.0, settings.retry_backoff))
        return True
    entry = present(article, settings.site_url, non_commercial=settings.non_commercial_site) \
        if article is not None else None
    try:
        done = publisher.apply(post, entry, owner)
    except PostGone as exc:
        store.fail_target_post(post, owner, str(exc), retryable=False,
                               backoff_seconds=settings.retry_backoff, forget_post=True)
        report.errors.append(str(exc))
        say(f"! {exc}")
        return True
    except TargetError as exc:
        store.fail_target_post(post, owner, str(exc), retryable=exc.retryable or _whole(exc),
                               backoff_seconds=settings.retry_backoff)
        report.errors.append(str(exc))
        say(f"! {exc}")
        if exc.retryable or _whole(exc):
            report.stopped = str(exc)
            return False
        return True
    except BabelwireError as exc:   # the store (a lost lease): the next sync takes it up
        report.stopped = named(publisher.target.url, exc)
        say(f"! {report.stopped}")
        return False
    report.done[done] = report.done.get(done, 0) + 1
    title = entry.title if entry is not None else f"item {post.item_id}"
    say(f"  [{report.total}/{waiting}] {done} ({post.lang}): {shorten(title, 60, placeholder='…')}")
    return True


def named(url: str, exc: object) -> str:
    """The error, with the target's address in front unless it names it already."""
    text = str(exc)
    return text if url in text else f"{url}: {text}"


def _whole(exc: TargetError) -> bool:
    """Whether the error concerns the whole target (its user, its API), not one post."""
    return isinstance(exc, TargetRefused)


def image_fetcher(fetcher: Fetcher) -> ImageFetcher:
    """Lead images downloaded by babelwire's polite fetcher; None (no featured image) when one
    cannot be had."""
    def fetch(url: str) -> tuple[bytes, str] | None:
        try:
            got = fetcher.get(url, accept="image/avif,image/webp,image/png,image/jpeg,*/*;q=0.5")
        except BabelwireError as exc:
            log.info("no featured image: %s", exc)
            return None
        return got.content, got.content_type
    return fetch


# What the user must be allowed to do: post and publish, upload the featured image, make the
# categories and tags, trash its posts. WordPress's Editor role has all of them.
NEEDED_CAPABILITIES = ("edit_posts", "publish_posts", "edit_published_posts",
                       "delete_published_posts", "upload_files", "manage_categories")


def check_target(settings: Settings, target: TargetInfo) -> list[str]:
    """Lines saying the target answers, knows its user and lets it do what publishing needs;
    raises ``TargetError`` naming what is wrong."""
    with open_client(settings, target) as client:
        index = client.index()
        me = client.call("GET", "users/me", params={"context": "edit"}, what="the user")
    capabilities = me.get("capabilities", {})
    missing = [c for c in NEEDED_CAPABILITIES if not capabilities.get(c)]
    if missing:
        raise TargetRefused(f"the user {target.user!r} lacks {', '.join(missing)}: give it the "
                            "Editor role", subject=target.url)
    languages = "Polylang (the post's language is set)" if "pll/v1" in index.get(
        "namespaces", []) else "none (one category per language)"
    return [f"{target.url}: WordPress REST API answers ({index.get('name', '')!s})",
            f"user {target.user}: roles {', '.join(me.get('roles', []))}; may post, publish, "
            "upload images and make categories",
            f"language plugin: {languages}"]
