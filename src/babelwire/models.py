"""Plain data passed between the stages of the pipeline.

Everything here is a frozen dataclass with no behaviour beyond small conveniences: stages take these
and return these, and the store turns them into rows and back.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class ItemState(StrEnum):
    """Where an item is in the pipeline."""

    DISCOVERED = "discovered"
    FETCHED = "fetched"
    EXTRACTED = "extracted"
    TRANSLATED = "translated"
    PUBLISHED = "published"
    HELD = "held"
    FAILED = "failed"
    TAKEN_DOWN = "takendown"


class Access(StrEnum):
    """Whether a page is free to read, as its markup says."""

    FREE = "free"
    PAYWALLED = "paywalled"
    UNKNOWN = "unknown"


class Mode(StrEnum):
    """How much of an article babelwire republishes, from the most to the least."""

    FULL = "full"           # the whole translation
    EXCERPT = "excerpt"     # title, the first paragraph (or what robots allow) and a link
    HEADLINE = "headline"   # title and link only
    NONE = "none"           # nothing

    @property
    def strictness(self) -> int:
        """0 for ``full`` up to 3 for ``none``: the stricter of two modes has the higher."""
        return list(Mode).index(self)


class TranslationStatus(StrEnum):
    """Outcome of one translation of one article into one language."""

    PUBLISHED = "published"
    HELD = "held"
    FAILED = "failed"
    REJECTED = "rejected"


@dataclass(frozen=True)
class FetchResult:
    """A downloaded resource, or the news that it did not change (``not_modified``)."""

    url: str
    final_url: str
    status: int
    content: bytes = b""
    content_type: str = ""
    encoding: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    robots_tag: tuple[str, ...] = ()   # the response's X-Robots-Tag header values


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed, as the feed describes it."""

    guid: str
    url: str
    title: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    author: str = ""
    summary: str = ""
    content_html: str = ""

    @property
    def version(self) -> str:
        """What tells us the item changed: the feed's updated date, else its published date."""
        stamp = self.updated or self.published
        return stamp.isoformat() if stamp else ""


@dataclass(frozen=True)
class Feed:
    """A parsed feed: its own metadata and its entries."""

    url: str
    title: str = ""
    link: str = ""
    language: str = ""
    format: str = ""
    items: tuple[FeedItem, ...] = ()


@dataclass(frozen=True)
class Rights:
    """What a page says about its reuse: its licence, whether it is free to read, and the
    robots directives of its markup and headers. ``problems`` says, in words, what markup could
    not be read or contradicted other markup (the stricter reading was kept)."""

    license: str | None = None          # the licence's URL (canonical for Creative Commons)
    access: Access = Access.UNKNOWN
    robots: tuple[str, ...] = ()        # "noarchive", "nosnippet", "max-snippet:120" ...
    problems: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The ``extract`` command's rights fields."""
        return {"license": self.license, "access": str(self.access),
                "robots": list(self.robots)}


@dataclass(frozen=True)
class Policy:
    """What may be republished of one article, and why."""

    mode: Mode
    reason: str
    license: str | None = None          # the recognised licence shown with the translation
    license_name: str = ""              # "CC BY-SA 4.0"
    share_alike: bool = False           # the translation keeps the original's licence
    max_chars: int | None = None        # longest excerpt robots allow (max-snippet)
    declared: bool = False              # the operator's override, not the page's rights

    def to_json(self) -> dict[str, Any]:
        """The mode and its reason, as the command line and the API show them."""
        return {"mode": str(self.mode), "reason": self.reason, "license": self.license,
                "license_name": self.license_name, "declared": self.declared}


@dataclass(frozen=True)
class Article:
    """The main content of a page: clean HTML limited to a small tag set, plus metadata."""

    url: str
    title: str
    html: str
    text: str
    lang: str = ""
    author: str = ""
    published: datetime | None = None
    site_name: str = ""
    canonical_url: str = ""
    image: str = ""
    keywords: tuple[str, ...] = ()    # the page's keywords and tags: evidence of its names
    summary: str = ""                 # the page's own description (og:description)
    rights: Rights = field(default_factory=Rights)

    def to_json(self) -> dict[str, Any]:
        """The ``extract`` command's JSON shape."""
        return {
            "url": self.canonical_url or self.url,
            "title": self.title,
            "author": self.author,
            "published": self.published.isoformat() if self.published else None,
            "site_name": self.site_name,
            "lang": self.lang,
            "html": self.html,
            "text": self.text,
            **self.rights.to_json(),
        }


@dataclass(frozen=True)
class Check:
    """One fidelity check of a translation."""

    name: str
    ok: bool
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        """The contract's ``{"name", "ok", "detail"}`` shape."""
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


@dataclass(frozen=True)
class Attribution:
    """Where a translation comes from, shown with every published translation."""

    site_name: str
    url: str
    author: str
    published: datetime | None
    notice: str

    def to_json(self) -> dict[str, Any]:
        """The contract's attribution shape."""
        return {
            "site_name": self.site_name,
            "url": self.url,
            "author": self.author,
            "published": self.published.isoformat() if self.published else None,
            "notice": self.notice,
        }


@dataclass(frozen=True)
class Translation:
    """An article translated into one language, with its checks and resulting status."""

    lang: str
    engine: str
    title: str
    html: str
    text: str
    status: TranslationStatus
    checks: tuple[Check, ...] = ()
    attribution: Attribution | None = None
    reason: str = ""
    source_lang: str = ""
    repairs: tuple[str, ...] = field(default=())
    names: tuple[str, ...] = field(default=())   # names of the source kept verbatim
    # the title as HTML with its words left in another language marked (``<span lang>``, as in
    # ``html``); "" when it has none
    title_html: str = ""

    def to_json(self) -> dict[str, Any]:
        """The ``translate --json`` shape of one translation."""
        return {
            "lang": self.lang,
            "engine": self.engine,
            "title": self.title,
            "html": self.html,
            "text": self.text,
            "status": str(self.status),
            "checks": [c.to_json() for c in self.checks],
            "attribution": self.attribution.to_json() if self.attribution else None,
            "reason": self.reason,
            "repairs": list(self.repairs),
        }


@dataclass(frozen=True)
class SourceInfo:
    """A followed source as the store knows it."""

    id: int
    url: str
    name: str
    kind: str
    targets: tuple[str, ...]
    source_lang: str = ""
    active: bool = True
    last_polled_at: datetime | None = None
    next_poll_at: datetime | None = None
    last_error: str | None = None
    error_count: int = 0
    items: int = 0
    republish: str = ""               # the operator's mode for the source ("": the pages' rights)
    republish_reason: str = ""        # why the operator declared it


@dataclass(frozen=True)
class ItemInfo:
    """An item of a source and where it stands in the pipeline."""

    id: int
    source_id: int
    guid: str
    url: str
    state: ItemState
    attempts: int = 0
    reason: str | None = None
    feed_title: str = ""
    feed_content: str = ""
    targets: tuple[str, ...] = ()
    source_lang: str = ""
    source_name: str = ""
    republish: str = ""
    republish_reason: str = ""


@dataclass(frozen=True)
class PublishedArticle:
    """A published translation together with what the reader needs to know about its original."""

    item_id: int
    lang: str
    title: str
    html: str
    text: str
    engine: str
    notice: str
    published_at: datetime | None
    updated_at: datetime | None
    source_lang: str
    original_title: str
    original_url: str
    original_html: str
    site_name: str
    author: str
    original_published: datetime | None
    source_id: int
    source_name: str
    image: str = ""
    status: TranslationStatus = TranslationStatus.PUBLISHED
    checks: tuple[Check, ...] = ()
    rights: Rights = field(default_factory=Rights)
    republish: str = ""               # the source's declared mode ("": the page's rights)
    republish_reason: str = ""
    # Rendered for readers once (``publish.render``); None: not yet, render from ``html``.
    # A listing row carries no bodies: ``html``, ``original_html`` and ``safe_html`` are empty,
    # ``text`` is only its start, and ``safe_lead`` is the first paragraph.
    safe_html: str | None = None
    safe_lead: str | None = None
    original_safe_html: str | None = None
    translation_id: int = 0
    brief: bool = False               # a listing row (no bodies)
    title_html: str = ""              # the title, words in another language marked


@dataclass(frozen=True)
class GlossaryEntry:
    """A term never to translate (``translation`` None) or to translate one fixed way.

    ``source_lang`` / ``target_lang`` restrict the entry to one language ("" = any).
    """

    term: str
    source_lang: str = ""
    target_lang: str = ""
    translation: str | None = None
    case_sensitive: bool = True


@dataclass
class Counts:
    """What one engine spent: calls, segments and characters sent, tokens, seconds."""

    calls: int = 0
    segments: int = 0
    characters: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    seconds: float = 0.0
    failures: int = 0
    memory_hits: int = 0

    def add(self, other: Counts) -> None:
        """Add ``other`` into this one."""
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass(frozen=True)
class UsageLine:
    """One engine's usage for one source over the period asked for."""

    engine: str
    source_id: int
    source_name: str
    day: date | None
    counts: Counts


@dataclass(frozen=True)
class PageBlocks:
    """The folded candidate blocks of one page, as remembered for its site (the furniture of
    a site is learnt from its pages: ``extract.furniture``), and the folded segments the block
    model may add to them (``extract.combine.may_add``; empty in a memory written before)."""

    key: str
    blocks: tuple[str, ...] = field(default=())
    additions: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class StoryMember:
    """One article of a story: where it ran, in what language, and what it copied if a copy."""

    item_id: int
    source_name: str
    site_name: str
    url: str
    lang: str
    title: str
    similarity: float = 1.0
    duplicate_of: int | None = None
    translations: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoryInfo:
    """A story: the coverage of one event across sources and languages."""

    id: int
    title: str
    lang: str
    created_at: datetime
    updated_at: datetime
    members: tuple[StoryMember, ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        """The distinct sources that ran it, in order of arrival."""
        return tuple(dict.fromkeys(m.source_name or m.site_name for m in self.members))

    @property
    def languages(self) -> tuple[str, ...]:
        """The distinct original languages of its articles."""
        return tuple(dict.fromkeys(m.lang for m in self.members))
