"""Table of glossary terms: global ones and per-source ones."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from babelwire.store.tables import Base, UTCDateTime, utcnow


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
