"""The per-host delay kept in the store, so that it holds for every process that fetches.

One ``babelwire run`` spaces its own requests to a host in memory (``sources/throttle.py``), but
ten Celery workers -- or two runners on one store -- would each keep the delay on their own and
together ask a site ten times as often. ``reserve_host_slot`` hands out start times instead: each
request reserves the next free slot of its host in one atomic ``UPDATE`` (``next_at`` becomes
``max(next_at, now) + delay``) and waits until the slot it got. Wall-clock seconds, so the
machines of a fleet need their clocks in sync (NTP) to the precision of the delay.
"""

from __future__ import annotations

from sqlalchemy import case

from babelwire.store.base import StoreBase
from babelwire.store.tables import HostSlotRow


class HostSlotsMixin(StoreBase):
    """Request slots per host, shared by every process on the store."""

    def reserve_host_slot(self, host: str, delay: float, now: float) -> float:
        """Reserve the next request to ``host``; returns when it may start (epoch seconds):
        ``now`` if the host is free, else ``delay`` after the last reservation."""
        with self.session() as s:
            # One statement: a new host's row starts at now + delay; an existing one moves to
            # max(next_at, now) + delay, under the row lock the conflict takes.
            start = case((HostSlotRow.next_at > now, HostSlotRow.next_at), else_=now)
            upsert = self.dialect_insert()(HostSlotRow).values(host=host, next_at=now + delay)
            after = s.execute(upsert.on_conflict_do_update(
                index_elements=["host"], set_={"next_at": start + delay})
                .returning(HostSlotRow.next_at)).scalar_one()
            return float(after) - delay
