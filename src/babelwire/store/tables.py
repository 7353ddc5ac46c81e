"""SQLAlchemy 2 table models. Schema changes go through Alembic migrations (store/migrations)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
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

    items: Mapped[list[ItemRow]] = relationship(back_populates="source")


class ItemRow(Base):
    """One article to follow through the pipeline, with its state."""

    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("source_id", "guid", name="uq_items_source_guid"),
        Index("ix_items_state_next", "state", "next_attempt_at"),
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


class TranslationRow(Base):
    """An article translated into one language, with its checks and status."""

    __tablename__ = "translations"
    __table_args__ = (
        UniqueConstraint("item_id", "lang", name="uq_translations_item_lang"),
        Index("ix_translations_lang_status", "lang", "status", "published_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(16))
    source_lang: Mapped[str] = mapped_column(String(16), default="")
    engine: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
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


# Tables defined beside the code that uses them; imported here so that Base.metadata (and with it
# Alembic's autogenerate and the schema test) knows every table.
from babelwire.store import (  # noqa: E402, F401
    admin_tables,
    glossary_tables,
    memory_tables,
    politeness_tables,
    takedown_tables,
    template_tables,
)
