"""Tables of the editors' side: access tokens, login sessions and the review of translations.

Kept apart from ``tables.py`` but on the same ``Base``, so Alembic sees them once ``tables.py``
imports this module; migration 0003 creates them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    column,
    literal_column,
    table,
)
from sqlalchemy.orm import Mapped, mapped_column

from babelwire.store.tables import Base, UTCDateTime, utcnow


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


# ``translations.human_edited`` (migration 0003) is not mapped on ``TranslationRow`` yet: a
# lightweight table clause writes it and a column expression reads it in queries on
# ``TranslationRow``, without redefining the mapped table.
TRANSLATION_FLAGS = table("translations", column("id", Integer),
                          column("human_edited", Boolean))
HUMAN_EDITED = literal_column("translations.human_edited", Boolean)
