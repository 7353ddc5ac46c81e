"""What translation costs: characters, tokens and seconds per engine, by source and by day.

A ``UsageMeter`` collects what one piece of work (an item's translations) spent, engine by engine;
the router adds to it after every engine call. ``save_usage`` adds a meter to the store's daily
counters in one transaction, and ``usage_summary`` reads them back for the CLI and the admin view.
Memory hits are counted too (segments that cost nothing), so the figures show what the memory saved.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from babelwire.store import Store
from babelwire.store.memory_tables import UsageRow
from babelwire.store.tables import SourceRow, utcnow


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


class UsageMeter:
    """Counts per engine for one piece of work; safe to share between threads."""

    def __init__(self) -> None:
        self._counts: dict[str, Counts] = {}
        self._lock = threading.Lock()

    def add(self, engine: str, counts: Counts) -> None:
        """Add what one call to ``engine`` spent."""
        with self._lock:
            self._counts.setdefault(engine, Counts()).add(counts)

    def totals(self) -> dict[str, Counts]:
        """A copy of the counts, by engine."""
        with self._lock:
            out = {}
            for name, counts in self._counts.items():
                out[name] = Counts()
                out[name].add(counts)
            return out

    def sent(self) -> int:
        """Segments sent to engines (memory hits excluded)."""
        return sum(c.segments for c in self.totals().values())


def save_usage(store: Store, meter: UsageMeter, *, source_id: int | None,
               day: date | None = None) -> None:
    """Add ``meter``'s counts to the daily counters of ``source_id`` (None: no source).

    One ``INSERT ... ON CONFLICT DO UPDATE`` per engine: two workers adding to the same day's
    counter at once both count, whatever the database (SQLite and PostgreSQL share the syntax).
    """
    totals = meter.totals()
    if not totals:
        return
    day = day or utcnow().date()
    names = [f.name for f in fields(Counts)]
    with store.session() as s:
        insert = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
        for engine, counts in totals.items():
            values = {name: getattr(counts, name) for name in names}
            stmt = insert(UsageRow).values(day=day, engine=engine, source_id=source_id or 0,
                                           **values)
            stmt = stmt.on_conflict_do_update(
                index_elements=["day", "engine", "source_id"],
                set_={name: getattr(UsageRow, name) + stmt.excluded[name] for name in names})
            s.execute(stmt)


@dataclass(frozen=True)
class UsageLine:
    """One engine's usage for one source over the period asked for."""

    engine: str
    source_id: int
    source_name: str
    day: date | None
    counts: Counts


def usage_summary(store: Store, days: int = 30, *, by_day: bool = False,
                  by_source: bool = True) -> list[UsageLine]:
    """Usage of the last ``days`` days (today included), per engine and source (and day).

    Sorted by engine, then source name, then day. Source id 0 is work done for no source (the
    ``translate`` command); with ``by_source=False`` every line has source id 0.
    """
    since = utcnow().date() - timedelta(days=max(1, days) - 1)
    with store.session() as s:
        names = {i: n for i, n in s.execute(select(SourceRow.id, SourceRow.name)).all()}
        rows = s.scalars(select(UsageRow).where(UsageRow.day >= since)).all()
        merged: dict[tuple[str, int, date | None], Counts] = {}
        for row in rows:
            key = (row.engine, row.source_id if by_source else 0, row.day if by_day else None)
            merged.setdefault(key, Counts()).add(
                Counts(**{f.name: getattr(row, f.name) for f in fields(Counts)}))
    lines = [UsageLine(engine, source, names.get(source, ""), day, counts)
             for (engine, source, day), counts in merged.items()]
    return sorted(lines, key=lambda ln: (ln.engine, ln.source_name, ln.day or date.min))


def totals_by_engine(lines: Sequence[UsageLine]) -> dict[str, Counts]:
    """Lines added up per engine."""
    out: dict[str, Counts] = {}
    for line in lines:
        out.setdefault(line.engine, Counts()).add(line.counts)
    return out
