"""The per-host delay kept in the store, so that it holds for every process that fetches.

One ``babelwire run`` spaces its own requests to a host in memory (``sources/throttle.py``), but
ten Celery workers -- or two runners on one store -- would each keep the delay on their own and
together ask a site ten times as often. ``StoreHostSlots`` hands out start times instead: each
request reserves the next free slot of its host in one atomic ``UPDATE`` (``next_at`` becomes
``max(next_at, now) + delay``) and waits until the slot it got. Wall-clock seconds, so the
machines of a fleet need their clocks in sync (NTP) to the precision of the delay.
"""

from __future__ import annotations

from sqlalchemy import case
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from babelwire.store.politeness_tables import HostSlotRow
from babelwire.store.store import Store


class StoreHostSlots:
    """Request slots per host, shared through the store (a ``throttle.SharedSlots``)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def reserve(self, host: str, delay: float, now: float) -> float:
        """Reserve the next request to ``host``; returns when it may start (epoch seconds):
        ``now`` if the host is free, else ``delay`` after the last reservation."""
        with self.store.session() as s:
            insert = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
            # One statement: a new host's row starts at now + delay; an existing one moves to
            # max(next_at, now) + delay, under the row lock the conflict takes.
            start = case((HostSlotRow.next_at > now, HostSlotRow.next_at), else_=now)
            upsert = insert(HostSlotRow).values(host=host, next_at=now + delay)
            after = s.execute(upsert.on_conflict_do_update(
                index_elements=["host"], set_={"next_at": start + delay})
                .returning(HostSlotRow.next_at)).scalar_one()
            return float(after) - delay
