"""Table of the pages remembered per site for learning its template (see extract/templates.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from babelwire.store.tables import Base, UTCDateTime, utcnow


class SiteTemplatePageRow(Base):
    """The folded candidate blocks of one page of a site, kept while it is among the newest."""

    __tablename__ = "site_template_pages"
    __table_args__ = (Index("ix_site_template_pages_site_seen", "site", "seen_at"),)

    site: Mapped[str] = mapped_column(String(300), primary_key=True)
    page_key: Mapped[str] = mapped_column(String(2048), primary_key=True)
    blocks: Mapped[str] = mapped_column(Text, default="[]")
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
