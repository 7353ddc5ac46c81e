"""Every table of the store, as SQLAlchemy 2 models, in one module.

Schema changes go through Alembic migrations (``store/migrations``); a test checks that the
migrations build exactly these tables.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and always read back timezone-aware.

    SQLite has no time zones; PostgreSQL does but ``timestamp`` columns are simpler to compare
    across both. Values are converted to UTC on the way in and tagged UTC on the way out.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


class Base(DeclarativeBase):
    """Declarative base of every babelwire table."""


class SourceRow(Base):
    """A followed source: a feed or a single article URL."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    name: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(16), default="feed")
    targets: Mapped[str] = mapped_column(String(200), default="")
    source_lang: Mapped[str] = mapped_column(String(16), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    etag: Mapped[str | None] = mapped_column(String(500), nullable=True)
    last_modified: Mapped[str | None] = mapped_column(String(100), nullable=True)
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    next_poll_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    poll_lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the republishing mode the operator declared ("": the rights of each page decide)
    republish: Mapped[str] = mapped_column(String(16), default="")
    republish_reason: Mapped[str] = mapped_column(Text, default="")

    # removing a source removes its items, and theirs (the database cascades: ``ondelete``)
    items: Mapped[list[ItemRow]] = relationship(back_populates="source",
                                                cascade="all, delete-orphan", passive_deletes=True)


class ItemRow(Base):
    """One article to follow through the pipeline, with its state."""

    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("source_id", "guid", name="uq_items_source_guid"),
        Index("ix_items_state_next", "state", "next_attempt_at"),
        Index("ix_items_updated_at", "updated_at"),   # what changed since (the page cache)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    guid: Mapped[str] = mapped_column(String(2048))
    url: Mapped[str] = mapped_column(String(2048), index=True)
    feed_title: Mapped[str] = mapped_column(Text, default="")
    feed_content: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[str] = mapped_column(String(64), default="")
    state: Mapped[str] = mapped_column(String(16), default="discovered")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    lease_owner: Mapped[str | None] = mapped_column(String(100), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    source: Mapped[SourceRow] = relationship(back_populates="items")


class DocumentRow(Base):
    """The page downloaded for an item, kept until (and after) extraction."""

    __tablename__ = "documents"

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"),
                                         primary_key=True)
    final_url: Mapped[str] = mapped_column(String(2048))
    status: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(200), default="")
    encoding: Mapped[str | None] = mapped_column(String(64), nullable=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    robots_tag: Mapped[str] = mapped_column(Text, default="[]")      # JSON list of header values


class ArticleRow(Base):
    """The extracted article of an item."""

    __tablename__ = "articles"

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"),
                                         primary_key=True)
    url: Mapped[str] = mapped_column(String(2048))
    canonical_url: Mapped[str] = mapped_column(String(2048), default="")
    title: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    published_iso: Mapped[str] = mapped_column(String(40), default="")
    site_name: Mapped[str] = mapped_column(String(300), default="")
    lang: Mapped[str] = mapped_column(String(16), default="")
    html: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    image: Mapped[str] = mapped_column(String(2048), default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="", index=True)
    extracted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    keywords: Mapped[str] = mapped_column(Text, default="[]")        # JSON list of strings
    summary: Mapped[str] = mapped_column(Text, default="")
    # the rights the page declared when this version was extracted (models.Rights)
    license: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    access: Mapped[str] = mapped_column(String(16), default="unknown")
    robots: Mapped[str] = mapped_column(Text, default="[]")          # JSON list of directives
    rights_problems: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of sentences
    # ``html`` sanitised for readers (``publish.render``), kept so that reads do not sanitise;
    # NULL until rendered, and set back to NULL whenever ``html`` changes.
    safe_html: Mapped[str | None] = mapped_column(Text, nullable=True)


class TranslationRow(Base):
    """An article translated into one language, with its checks and status."""

    __tablename__ = "translations"
    __table_args__ = (
        UniqueConstraint("item_id", "lang", name="uq_translations_item_lang"),
        # Newest first per language: front pages, feeds and the API walk it (keyset pages).
        Index("ix_translations_lang_status_order", "lang", "status", "published_at", "id"),
        # The same order per source (source pages and feeds): ``source_id`` is the item's.
        Index("ix_translations_source_order", "source_id", "lang", "status", "published_at",
              "id"),
        # What changed since a moment: the page cache drops only the pages of those rows.
        Index("ix_translations_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    # The item's source, copied here (set on insert, ``_set_source``) so that a source's pages
    # walk one index in order rather than every translation of the language.
    source_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    lang: Mapped[str] = mapped_column(String(16))
    source_lang: Mapped[str] = mapped_column(String(16), default="")
    engine: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    # the title with its words in another language marked (``Translation.title_html``)
    title_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(16))
    checks: Mapped[str] = mapped_column(Text, default="[]")
    repairs: Mapped[str] = mapped_column(Text, default="[]")
    reason: Mapped[str] = mapped_column(Text, default="")
    notice: Mapped[str] = mapped_column(Text, default="")
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    human_edited: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The body sanitised for readers and its first paragraph (``publish.render``): rendered once
    # after a change, not on every read. NULL until rendered and whenever ``html`` changes.
    safe_html: Mapped[str | None] = mapped_column(Text, nullable=True)
    safe_lead: Mapped[str | None] = mapped_column(Text, nullable=True)


@event.listens_for(TranslationRow, "before_insert")
def _set_source(_mapper: Any, connection: Connection, target: TranslationRow) -> None:
    """A new translation gets its item's source (an item never changes source)."""
    if target.source_id is None:
        target.source_id = connection.scalar(select(ItemRow.source_id)
                                             .where(ItemRow.id == target.item_id))


class NameRow(Base):
    """A name a published translation kept verbatim, per source and language: evidence for
    the next articles of the source ("Target" kept once is a name when a title starts with it)."""

    __tablename__ = "known_names"
    __table_args__ = (Index("ix_known_names_lang_count", "lang", "count"),)

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"),
                                           primary_key=True)
    lang: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(300), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=1)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# -- admin ------------------------------------------------------------------------------
class AdminTokenRow(Base):
    """An access token of an editor: only its SHA-256 is kept, never the token."""

    __tablename__ = "admin_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class AdminSessionRow(Base):
    """A signed-in browser: the SHA-256 of its cookie, its CSRF form token and its expiry."""

    __tablename__ = "admin_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("admin_tokens.id", ondelete="CASCADE"),
                                          index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReviewRow(Base):
    """What editors did to one translation: the machine's text kept at the first edit, who
    edited it, and who approved or rejected it."""

    __tablename__ = "translation_reviews"

    translation_id: Mapped[int] = mapped_column(
        ForeignKey("translations.id", ondelete="CASCADE"), primary_key=True)
    machine_title: Mapped[str] = mapped_column(Text, default="")
    machine_html: Mapped[str] = mapped_column(Text, default="")
    edited_html: Mapped[str] = mapped_column(Text, default="")
    edited_by: Mapped[str] = mapped_column(String(100), default="")
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decision: Mapped[str] = mapped_column(String(16), default="")
    decided_by: Mapped[str] = mapped_column(String(100), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


# -- glossary ---------------------------------------------------------------------------
class GlossaryRow(Base):
    """A term never to translate, or to translate one fixed way; global when source_id is NULL."""

    __tablename__ = "glossary"
    __table_args__ = (UniqueConstraint("term", "source_lang", "target_lang", "source_id",
                                       name="uq_glossary_term"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    term: Mapped[str] = mapped_column(String(300))
    source_lang: Mapped[str] = mapped_column(String(16), default="")
    target_lang: Mapped[str] = mapped_column(String(16), default="")
    translation: Mapped[str | None] = mapped_column(Text, nullable=True)
    case_sensitive: Mapped[bool] = mapped_column(Boolean, default=True)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# -- memory -----------------------------------------------------------------------------
class MemoryRow(Base):
    """One translated segment, keyed by engine, model, pair, glossary version and source text.

    ``source_hash`` is the SHA-256 of the normalised source segment (the key stays short and
    indexable whatever the sentence's length). Approved human edits are rows with ``engine``
    ``"human"``; they take precedence over every engine's.
    """

    __tablename__ = "translation_memory"
    __table_args__ = (
        UniqueConstraint("engine", "model", "source_lang", "target_lang", "glossary",
                         "source_hash", name="uq_translation_memory_key"),
        Index("ix_translation_memory_lookup", "source_lang", "target_lang", "source_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    engine: Mapped[str] = mapped_column(String(100))
    model: Mapped[str] = mapped_column(String(300), default="")
    source_lang: Mapped[str] = mapped_column(String(16))
    target_lang: Mapped[str] = mapped_column(String(16))
    glossary: Mapped[str] = mapped_column(String(64), default="0")
    source_hash: Mapped[str] = mapped_column(String(64))
    source_text: Mapped[str] = mapped_column(Text)
    target_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class UsageRow(Base):
    """What one engine spent for one source on one day (source 0: no source)."""

    __tablename__ = "engine_usage"
    __table_args__ = (
        UniqueConstraint("day", "engine", "source_id", name="uq_engine_usage_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    engine: Mapped[str] = mapped_column(String(100))
    source_id: Mapped[int] = mapped_column(Integer, default=0)
    calls: Mapped[int] = mapped_column(Integer, default=0)
    segments: Mapped[int] = mapped_column(Integer, default=0)
    characters: Mapped[int] = mapped_column(Integer, default=0)
    tokens_in: Mapped[int] = mapped_column(Integer, default=0)
    tokens_out: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    memory_hits: Mapped[int] = mapped_column(Integer, default=0)


# -- politeness -------------------------------------------------------------------------
class HostSlotRow(Base):
    """When the next request to ``host`` may start, in seconds since the epoch (wall clock)."""

    __tablename__ = "host_slots"

    host: Mapped[str] = mapped_column(String(300), primary_key=True)
    next_at: Mapped[float] = mapped_column(Float, default=0.0)


class ThrottleRow(Base):
    """One client's token bucket in one throttle (``scope``: which limit, at which rate and
    burst): tokens left at ``updated`` and when the bucket is full again (then the row is the
    same as no row), in seconds since the epoch (wall clock)."""

    __tablename__ = "throttles"
    __table_args__ = (Index("ix_throttles_full_at", "full_at"),)

    scope: Mapped[str] = mapped_column(String(120), primary_key=True)
    client: Mapped[str] = mapped_column(String(100), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float, default=0.0)
    updated: Mapped[float] = mapped_column(Float, default=0.0)
    full_at: Mapped[float] = mapped_column(Float, default=0.0)


# -- takedown ---------------------------------------------------------------------------
class TakedownRow(Base):
    """One taken-down address: as the operator gave it, normalised, why and when."""

    __tablename__ = "takedowns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048))
    # ``takedown.url_key(url)``: what every item, final and canonical URL is compared with
    key: Mapped[str] = mapped_column(String(2048), unique=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# -- template ---------------------------------------------------------------------------
class SiteTemplatePageRow(Base):
    """The folded candidate blocks of one page of a site, and the segments the block model may
    add to them (``blocks`` holds both as JSON: see ``store.sitememory``), kept while it is
    among the newest."""

    __tablename__ = "site_template_pages"
    __table_args__ = (Index("ix_site_template_pages_site_seen", "site", "seen_at"),)

    site: Mapped[str] = mapped_column(String(300), primary_key=True)
    page_key: Mapped[str] = mapped_column(String(2048), primary_key=True)
    blocks: Mapped[str] = mapped_column(Text, default="[]")
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# -- stories ----------------------------------------------------------------------------
class IndexKeyRow(Base):
    """One key an article is found by: an LSH band of its text (``kind`` "dup") or a name,
    number or word of its story (``kind`` "story"). Candidates are the articles sharing keys,
    found through the index, never by comparing all pairs."""

    __tablename__ = "index_keys"
    __table_args__ = (Index("ix_index_keys_lookup", "kind", "key", "at"),)

    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DuplicateRow(Base):
    """An article found to be a copy of an earlier one, whose translations it reused."""

    __tablename__ = "near_duplicates"

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"),
                                         primary_key=True)
    original_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"),
                                             index=True)
    similarity: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StoryRow(Base):
    """One story: the coverage of one event, across sources and languages."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    lang: Mapped[str] = mapped_column(String(16), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class StoryItemRow(Base):
    """An article's place in its story, with how alike it was to what it joined."""

    __tablename__ = "story_items"

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"),
                                         primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"),
                                          index=True)
    similarity: Mapped[float] = mapped_column(Float, default=1.0)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TargetRow(Base):
    """A site babelwire publishes into (a WordPress over its REST API). The application password
    is never stored: only the path of the file that holds it."""

    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="wordpress")
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    user: Mapped[str] = mapped_column(String(200), default="")
    password_file: Mapped[str] = mapped_column(String(2048), default="")
    languages: Mapped[str] = mapped_column(String(200), default="")
    drafts: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TargetPostRow(Base):
    """One translation's post on one target: what it should be (``want``, ``version``), what
    the target has (``done``, ``done_version``, ``post_id``), and the work on it (a lease,
    attempts, the last error)."""

    __tablename__ = "target_posts"
    __table_args__ = (Index("ix_target_posts_work", "target_id", "failed", "sort_at"),)

    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"),
                                           primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)
    lang: Mapped[str] = mapped_column(String(16), primary_key=True)
    want: Mapped[str] = mapped_column(String(16), default="")
    version: Mapped[str] = mapped_column(String(64), default="")
    done: Mapped[str] = mapped_column(String(16), default="")
    done_version: Mapped[str] = mapped_column(String(64), default="")
    post_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    slug: Mapped[str] = mapped_column(String(200), default="")
    media_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sort_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[bool] = mapped_column(Boolean, default=False)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    lease_owner: Mapped[str | None] = mapped_column(String(100), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
