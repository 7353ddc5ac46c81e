"""What a reader is shown of one published translation, built once for the site, feeds and API.

``present()`` is the one door between the store and the outside: every string that leaves
through a page, a feed or the API has passed through it, so sanitising happens here and nowhere
else. It also owns the URL layout and the stable identifier (GUID) of each translation.
``present_review()`` and ``present_queue_entry()`` are the same door for the admin pages.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cached_property, lru_cache
from html import unescape

from markupsafe import Markup

from babelwire import i18n
from babelwire.models import Check, Mode, Policy, PublishedArticle
from babelwire.publish.excerpt import cut_body
from babelwire.publish.sanitize import (
    block_text,
    clean_html,
    clean_marks,
    plain_text,
    safe_url,
    strip_tags,
)
from babelwire.rights.policy import decide
from babelwire.store.review import QueueEntry, ReviewDetail

SUMMARY_CHARS = 240
SLUG_CHARS = 80
MAX_ID = 2**31 - 1
LANG_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
_LANG_RE = re.compile(LANG_PATTERN)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_REPEATED = frozenset({"noindex", "nosnippet", "noarchive"})


def valid_lang(lang: str) -> bool:
    """Whether ``lang`` looks like a language tag (``es``, ``pt-BR``)."""
    return bool(_LANG_RE.match(lang))


@lru_cache(maxsize=8192)   # every listing slugs each of its titles: keep the recent ones
def slugify(title: str) -> str:
    """A URL slug from a title: accents dropped, letters of any script kept, words joined by -."""
    decomposed = unicodedata.normalize("NFKD", title.lower())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    slug = re.sub(r"[\W_]+", "-", bare).strip("-")
    return slug[:SLUG_CHARS].rstrip("-")


def shown_title(title: str, original_title: str) -> str:
    """The title a translation's page shows (and its URL slug is made from): its own, else the
    original's."""
    return plain_text(title) or plain_text(original_title)


def article_path(lang: str, item_id: int, title: str) -> str:
    """The canonical path of a translation's page."""
    slug = slugify(title)
    return f"/{lang}/a/{item_id}-{slug}" if slug else f"/{lang}/a/{item_id}"


def permalink_path(lang: str, item_id: int) -> str:
    """A path that always leads to the translation, whatever its title becomes."""
    return f"/{lang}/a/{item_id}"


def front_path(lang: str, page: int = 1) -> str:
    """The path of a language's front page (or of one of its later pages)."""
    return f"/{lang}/" if page <= 1 else f"/{lang}/page/{page}"


def source_path(lang: str, source_id: int, page: int = 1) -> str:
    """The path of a source's page in one language."""
    base = f"/{lang}/sources/{source_id}"
    return base if page <= 1 else f"{base}/page/{page}"


_CURSOR = re.compile(r"^(\d{1,19})-(\d{1,10})$")


def cursor_of(article: PublishedArticle) -> str:
    """The keyset position just after ``article`` in the newest-first order, for URLs:
    ``<microseconds since 1970>-<translation id>``."""
    at = article.published_at or _EPOCH
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    return f"{(at - _EPOCH) // timedelta(microseconds=1)}-{article.translation_id}"


def parse_cursor(cursor: str) -> tuple[datetime, int] | None:
    """The (published_at, translation id) of a cursor, or None if it is not one."""
    match = _CURSOR.match(cursor)
    if match is None or int(match[2]) > MAX_ID:
        return None
    try:
        return _EPOCH + timedelta(microseconds=int(match[1])), int(match[2])
    except OverflowError:
        return None


def older_path(base: str, after: PublishedArticle | tuple[datetime, int]) -> str:
    """The path of the listing under ``base`` (``/es/``, ``/es/sources/3``) that continues after
    ``after`` (an article, or a parsed cursor)."""
    if isinstance(after, tuple):
        at, last = after
        cursor = f"{(at - _EPOCH) // timedelta(microseconds=1)}-{last}"
    else:
        cursor = cursor_of(after)
    return f"{base.rstrip('/')}/older/{cursor}"


def summarise(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The start of a text, cut at a word boundary, with an ellipsis if it was cut."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


@lru_cache(maxsize=4096)   # listings and feeds show the same newest summaries on every read
def _summary_of(start: str) -> str:
    return summarise(plain_text(start))


@dataclass(frozen=True)
class Entry:
    """A published translation as shown to readers; URLs safe, text clean, HTML sanitised lazily,
    and the body cut to what its republishing ``policy`` allows (``excerpt``)."""

    article: PublishedArticle
    site_url: str
    policy: Policy

    @cached_property
    def title(self) -> str:
        """The translated title."""
        return shown_title(self.article.title, self.article.original_title)

    @cached_property
    def heading(self) -> Markup | str:
        """The translated title as its page's heading: with its words left in another language
        marked (``<span lang>``, sanitised) when it has some."""
        marked = self.article.title_html
        if not marked or plain_text(marked) != self.title:
            return self.title
        return Markup(clean_marks(marked))

    @cached_property
    def original_title(self) -> str:
        """The title in the original language."""
        return plain_text(self.article.original_title)

    @cached_property
    def original_url(self) -> str:
        """Link to the original article; empty if the store holds no http(s) address."""
        return safe_url(self.article.original_url)

    @cached_property
    def body(self) -> Markup:
        """The translated article, sanitised, as much of it as the policy allows (from what
        ``publish.render`` stored when there is some: reads do not sanitise again)."""
        if self.cut and self.article.safe_lead is not None:
            # An excerpt is cut from the first paragraph alone, stored beside the body.
            return Markup(cut_body(self.article.safe_lead, self.policy))
        if self.article.brief:
            raise ValueError("a listing row has no body")  # a bug: ask for the whole article
        safe = self.article.safe_html
        if safe is None:
            safe = clean_html(self.article.html, self.original_url)
        return Markup(cut_body(safe, self.policy))

    @cached_property
    def original_body(self) -> Markup:
        """The original article, sanitised, cut like the translation."""
        safe = self.article.original_safe_html
        if safe is None:
            safe = clean_html(self.article.original_html, self.original_url)
        return Markup(cut_body(safe, self.policy))

    @cached_property
    def text(self) -> str:
        """The translation as plain text (as much of it as the policy allows)."""
        if self.cut:
            return plain_text(block_text(self.body), one_line=False)
        return (plain_text(self.article.text, one_line=False)
                or plain_text(unescape(strip_tags(self.body))))

    @cached_property
    def summary(self) -> str:
        """A short plain-text extract (none for a headline)."""
        if self.cut:
            return summarise(" ".join(self.text.split()))
        # From the start of the text only: listings show many summaries and no full text.
        start = _summary_of(self.article.text[:SUMMARY_CHARS * 4])
        return start or summarise(self.text)

    @property
    def mode(self) -> Mode:
        """How much of the article is republished."""
        return self.policy.mode

    @property
    def cut(self) -> bool:
        """Whether readers see less than the whole translation."""
        return self.policy.mode != Mode.FULL

    @property
    def mode_reason(self) -> str:
        """Why the article is republished in its mode."""
        return plain_text(self.policy.reason)

    @cached_property
    def license_url(self) -> str:
        """The original's licence (the translation's too when it allows one), or empty."""
        return safe_url(self.policy.license or "")

    @property
    def license_name(self) -> str:
        """The licence's short name ("CC BY-SA 4.0")."""
        return plain_text(self.policy.license_name)

    @property
    def robots(self) -> str:
        """The original's robots directives this page repeats (not when the operator declared
        a mode with the publisher's permission)."""
        if self.policy.declared:
            return ""
        return ", ".join(d for d in self.article.rights.robots if d in _REPEATED
                         or d.startswith("max-snippet:"))

    @cached_property
    def image(self) -> str:
        """The article's lead image (absolute http(s) URL) or empty; none with an excerpt or a
        headline, which republish the words they must and nothing more."""
        return "" if self.cut else safe_url(self.article.image, self.original_url)

    @property
    def site_name(self) -> str:
        """Name of the site the original appeared on."""
        return plain_text(self.article.site_name or self.article.source_name)

    @property
    def source_name(self) -> str:
        """Name of the followed source."""
        return plain_text(self.article.source_name)

    @property
    def author(self) -> str:
        """Author of the original."""
        return plain_text(self.article.author)

    @property
    def engine(self) -> str:
        """The engine that machine-translated it."""
        return plain_text(self.article.engine)

    @cached_property
    def notice(self) -> str:
        """The machine-translation notice stored with the translation, else the one it would have
        been given."""
        stored = plain_text(self.article.notice)
        return stored or i18n.notice(self.lang, self.source_lang, self.engine, self.site_name)

    @property
    def lang(self) -> str:
        """Language of the translation."""
        return self.article.lang

    @property
    def source_lang(self) -> str:
        """Language of the original."""
        return self.article.source_lang

    @property
    def item_id(self) -> int:
        """The store's id of the article."""
        return self.article.item_id

    @property
    def published(self) -> datetime:
        """When the translation was published here."""
        return self.article.published_at or self.article.updated_at or _EPOCH

    @property
    def updated(self) -> datetime:
        """When the translation last changed."""
        return max(self.article.updated_at or self.published, self.published)

    @property
    def original_published(self) -> datetime | None:
        """When the original was published."""
        return self.article.original_published

    @cached_property
    def path(self) -> str:
        """Canonical path of the page."""
        return article_path(self.lang, self.item_id, self.title)

    @property
    def url(self) -> str:
        """Canonical absolute URL of the page."""
        return self.site_url + self.path

    @property
    def guid(self) -> str:
        """Stable identifier for feeds: from (site URL, item, language) only, so a new translation
        of the same article keeps it; it is also a permalink that redirects to the page."""
        return self.site_url + permalink_path(self.lang, self.item_id)


def present(article: PublishedArticle, site_url: str, *, non_commercial: bool = False) -> Entry:
    """Wrap a published article for display; ``site_url`` is the public base URL and
    ``non_commercial`` the operator's statement that the site is non-commercial."""
    policy = decide(article.rights, declared=article.republish,
                    declared_reason=article.republish_reason, non_commercial=non_commercial)
    return Entry(article=article, site_url=site_url.rstrip("/"), policy=policy)


def present_check(check: Check) -> Check:
    """A fidelity check with its name and detail as plain text."""
    return Check(plain_text(check.name), check.ok, plain_text(check.detail))


def present_queue_entry(entry: QueueEntry) -> QueueEntry:
    """A review queue entry for the admin pages, every text field plain text."""
    return replace(entry, title=plain_text(entry.title),
                   original_title=plain_text(entry.original_title),
                   source_name=plain_text(entry.source_name), reason=plain_text(entry.reason),
                   failed=tuple(plain_text(name) for name in entry.failed))


def present_review(detail: ReviewDetail) -> ReviewDetail:
    """A translation under review for the admin pages: text fields plain text, the original's
    URL safe. The HTML fields stay as stored: the page sanitises them block by block for
    display, and shows the translation's own HTML only as the escaped text of the edit box."""
    return replace(
        detail, title=plain_text(detail.title), engine=plain_text(detail.engine),
        reason=plain_text(detail.reason), checks=tuple(present_check(c) for c in detail.checks),
        original_title=plain_text(detail.original_title),
        original_url=safe_url(detail.original_url), site_name=plain_text(detail.site_name),
        source_name=plain_text(detail.source_name), author=plain_text(detail.author),
        edited_by=plain_text(detail.edited_by), decided_by=plain_text(detail.decided_by))
