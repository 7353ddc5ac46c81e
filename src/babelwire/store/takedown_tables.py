"""The table of takedowns: addresses the operator removed and that must never come back.

Kept apart from ``tables.py`` but on the same ``Base``, so Alembic sees it once ``tables.py``
imports this module; migration 0005 creates it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from babelwire.store.tables import Base, UTCDateTime, utcnow


class TakedownRow(Base):
    """One taken-down address: as the operator gave it, normalised, why and when."""

    __tablename__ = "takedowns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048))
    # ``takedown.url_key(url)``: what every item, final and canonical URL is compared with
    key: Mapped[str] = mapped_column(String(2048), unique=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
