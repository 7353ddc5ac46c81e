"""Tables of the translation memory and of engine usage.

Kept apart from ``tables.py`` but on the same ``Base``, so Alembic sees them once ``tables.py``
imports this module; migration 0004 creates them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from babelwire.store.tables import Base, UTCDateTime, utcnow


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
