"""Making one translation's WordPress post what the store says it should be.

``WordPressPublisher.apply`` creates, updates, turns into a draft or trashes the post of one
``TargetPost``. Before creating a post it writes the slug down in the store
(``Store.begin_target_post``) and, when the store has a slug but no post id (a process died
between WordPress's answer and the store's record), it first looks the post up by that slug:
a post is never made twice. The featured image is uploaded once per post, the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from html import escape
from typing import Any

from babelwire.exceptions import TargetError
from babelwire.i18n import language_name
from babelwire.publish.present import Entry
from babelwire.store import Store
from babelwire.store.targets import TRASH, TargetInfo, TargetPost
from babelwire.targets.wordpress.client import PostGone, WordPressClient
from babelwire.targets.wordpress.mapping import image_caption, post_fields, post_slug, slugify

log = logging.getLogger(__name__)

# (image URL) -> (bytes, content type), or None when it cannot be had
ImageFetcher = Callable[[str], tuple[bytes, str] | None]
ANY_STATUS = "publish,future,draft,pending,private,trash"
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}


class WordPressPublisher:
    """Posts of one target, through one client."""

    def __init__(self, target: TargetInfo, client: WordPressClient, store: Store,
                 fetch_image: ImageFetcher) -> None:
        self.target, self.client, self.store = target, client, store
        self.fetch_image = fetch_image
        self._terms: dict[tuple[str, str], int] = {}
        self._post = ""   # the post being applied, named by every error
        # the site and the user first: an error of the whole target is said once, as such
        self.polylang = "pll/v1" in client.index().get("namespaces", [])
        client.call("GET", "users/me", what="the user")

    def apply(self, post: TargetPost, entry: Entry | None, owner: str) -> str:
        """Make the post what ``post.want`` says; returns what was done (created, updated,
        trashed)."""
        self._post = _what(post)
        if post.want == TRASH or entry is None:
            return self._trash(post, owner)
        post_id, slug = post.post_id, post.slug
        if post_id is None and slug:
            post_id = self._find(slug, post)
        if post_id is None and not slug:
            slug = post_slug(entry)
            self.store.begin_target_post(post, owner, slug)
        media_id = post.media_id if post.media_id else self._image(post, entry, owner)
        fields = post_fields(entry, status=post.want, categories=self._categories(entry),
                             tags=self._tags(entry), media_id=media_id, polylang=self.polylang)
        if post_id is None:
            # not retried here: a lost answer may hide a made post, which the next attempt
            # finds by its slug
            made = self.client.call("POST", "posts", json={**fields, "slug": slug},
                                    what=_what(post), retry=False)
            self.store.finish_target_post(post, owner, post_id=int(made["id"]), done=post.want)
            return "created"
        self._check_not_trashed_by_hand(post, post_id)
        self.client.call("POST", f"posts/{post_id}", json=fields, what=_what(post, post_id))
        self.store.finish_target_post(post, owner, post_id=post_id, done=post.want)
        return "updated"

    def _trash(self, post: TargetPost, owner: str) -> str:
        post_id = post.post_id or (self._find(post.slug, post) if post.slug else None)
        if post_id is not None:
            try:
                self.client.call("DELETE", f"posts/{post_id}", what=_what(post, post_id))
            except PostGone:
                pass  # deleted on WordPress already: nothing left to trash
            except TargetError as exc:
                if "rest_already_trashed" not in str(exc):
                    raise
        self.store.finish_target_post(post, owner, post_id=post_id, done=TRASH)
        return "trashed"

    def _find(self, slug: str, post: TargetPost) -> int | None:
        """The post with ``slug`` (trashed or not), made by a process that died before
        recording its id."""
        found = self.client.call("GET", "posts", what=f"{_what(post)}, looking up {slug}",
                                 params={"slug": f"{slug},{slug}__trashed", "status": ANY_STATUS,
                                         "context": "edit", "per_page": 5})
        return int(found[0]["id"]) if found else None

    def _check_not_trashed_by_hand(self, post: TargetPost, post_id: int) -> None:
        current = self.client.call("GET", f"posts/{post_id}", params={"context": "edit"},
                                   what=_what(post, post_id))
        if current.get("status") == "trash" and post.done != TRASH:
            raise PostGone("it was moved to the trash on WordPress; babelwire leaves it there",
                           subject=f"{self.target.url} ({_what(post, post_id)})")

    # -- terms ---------------------------------------------------------------------------------

    def _categories(self, entry: Entry) -> list[int]:
        wanted = [(f"bw-source-{entry.article.source_id}", entry.source_name or entry.site_name)]
        if not self.polylang:
            wanted.append((f"bw-lang-{entry.lang}", language_name(entry.lang, entry.lang)
                           or entry.lang))
        return [self._term("categories", slug, name) for slug, name in wanted]

    def _tags(self, entry: Entry) -> list[int]:
        names = [entry.site_name, language_name(entry.source_lang, entry.lang)]
        return [self._term("tags", slugify(name) or "site", name) for name in names if name]

    def _term(self, taxonomy: str, slug: str, name: str) -> int:
        """The id of the category or tag ``slug``, made if missing."""
        key = (taxonomy, slug)
        if key not in self._terms:
            what = f"{self._post}, {taxonomy} {slug}"
            found = self.client.call("GET", taxonomy, params={"slug": slug}, what=what)
            if found:
                self._terms[key] = int(found[0]["id"])
            else:
                self._terms[key] = self._make_term(taxonomy, slug, name, what)
        return self._terms[key]

    def _make_term(self, taxonomy: str, slug: str, name: str, what: str) -> int:
        try:
            made: dict[str, Any] = self.client.call(
                "POST", taxonomy, json={"name": escape(name, quote=False), "slug": slug},
                what=what)
            return int(made["id"])
        except TargetError as exc:   # made by another worker meanwhile
            if "term_exists" not in str(exc):
                raise
            found = self.client.call("GET", taxonomy, params={"slug": slug}, what=what)
            if not found:
                raise
            return int(found[0]["id"])

    # -- the featured image --------------------------------------------------------------------

    def _image(self, post: TargetPost, entry: Entry, owner: str) -> int | None:
        """Upload the lead image once (with its caption and credit); None without one."""
        if not entry.image:
            return None
        slug = f"bw{post.item_id}-{post.lang}-image"
        found = self.client.call("GET", "media", params={"slug": slug, "context": "edit"},
                                 what=f"{_what(post)}, image")
        if found:
            media_id = int(found[0]["id"])
        else:
            got = self.fetch_image(entry.image)
            if got is None:
                return None
            content, kind = got
            ext = IMAGE_TYPES.get(kind.split(";")[0].strip().lower())
            if ext is None:
                log.info("%s: not an image (%s), no featured image", entry.image, kind)
                return None
            made = self.client.call(
                "POST", "media", content=content, what=f"{_what(post)}, image",
                headers={"Content-Type": kind.split(";")[0],
                         "Content-Disposition": f'attachment; filename="{slug}.{ext}"'},
                params={"slug": slug, "title": escape(entry.title, quote=False),
                        "caption": image_caption(entry), "alt_text": entry.title}, retry=False)
            media_id = int(made["id"])
        self.store.keep_target_media(post, owner, media_id)
        return media_id


def _what(post: TargetPost, post_id: int | None = None) -> str:
    """How errors name the post: its item, language and id on the target."""
    pid = post_id if post_id is not None else post.post_id
    return f"item {post.item_id} ({post.lang})" + (f", post {pid}" if pid else "")
