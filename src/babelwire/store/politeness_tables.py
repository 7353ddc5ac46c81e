"""Table of the next moment each host may be asked for a page, shared by every process that
fetches (see store/politeness.py)."""

from __future__ import annotations

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from babelwire.store.tables import Base


class HostSlotRow(Base):
    """When the next request to ``host`` may start, in seconds since the epoch (wall clock)."""

    __tablename__ = "host_slots"

    host: Mapped[str] = mapped_column(String(300), primary_key=True)
    next_at: Mapped[float] = mapped_column(Float, default=0.0)
