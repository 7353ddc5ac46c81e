"""Engines' daily usage counters: characters, tokens and seconds per engine, source and day.

``translate.usage.UsageMeter`` collects what one piece of work spent; ``add_usage`` adds it to
the counters in one transaction, and ``usage`` reads them back for the CLI and the admin view.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from datetime import date, timedelta

from sqlalchemy import select

from babelwire.models import Counts, UsageLine
from babelwire.store.base import StoreBase
from babelwire.store.tables import SourceRow, UsageRow, utcnow


class UsageMixin(StoreBase):
    """Daily usage counters per engine and source."""

    def add_usage(self, totals: Mapping[str, Counts], *, source_id: int | None,
                  day: date | None = None) -> None:
        """Add ``totals`` (per engine) to the daily counters of ``source_id`` (None: none).

        One ``INSERT ... ON CONFLICT DO UPDATE`` per engine: two workers adding to the same
        day's counter at once both count, whatever the database.
        """
        if not totals:
            return
        day = day or utcnow().date()
        names = [f.name for f in fields(Counts)]
        with self.session() as s:
            insert = self.dialect_insert()
            for engine, counts in totals.items():
                values = {name: getattr(counts, name) for name in names}
                stmt = insert(UsageRow).values(day=day, engine=engine,
                                               source_id=source_id or 0, **values)
                stmt = stmt.on_conflict_do_update(
                    index_elements=["day", "engine", "source_id"],
                    set_={name: getattr(UsageRow, name) + stmt.excluded[name] for name in names})
                s.execute(stmt)

    def usage(self, days: int = 30, *, by_day: bool = False,
              by_source: bool = True) -> list[UsageLine]:
        """Usage of the last ``days`` days (today included), per engine and source (and day).

        Sorted by engine, then source name, then day. Source id 0 is work done for no source
        (the ``translate`` command); with ``by_source=False`` every line has source id 0.
        """
        since = utcnow().date() - timedelta(days=max(1, days) - 1)
        with self.session() as s:
            names = {i: n for i, n in s.execute(select(SourceRow.id, SourceRow.name)).all()}
            rows = s.scalars(select(UsageRow).where(UsageRow.day >= since)).all()
            merged: dict[tuple[str, int, date | None], Counts] = {}
            for row in rows:
                key = (row.engine, row.source_id if by_source else 0,
                       row.day if by_day else None)
                merged.setdefault(key, Counts()).add(
                    Counts(**{f.name: getattr(row, f.name) for f in fields(Counts)}))
        lines = [UsageLine(engine, source, names.get(source, ""), day, counts)
                 for (engine, source, day), counts in merged.items()]
        return sorted(lines, key=lambda ln: (ln.engine, ln.source_name, ln.day or date.min))
