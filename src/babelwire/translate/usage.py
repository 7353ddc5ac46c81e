"""What translation costs: characters, tokens and seconds per engine, by source and by day.

A ``UsageMeter`` collects what one piece of work (an item's translations) spent, engine by engine;
the router adds to it after every engine call. ``Store.add_usage`` adds a meter's totals to the
store's daily counters in one transaction, and ``Store.usage`` reads them back for the CLI and the
admin view.
Memory hits are counted too (segments that cost nothing), so the figures show what the memory saved.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from babelwire.models import Counts, UsageLine


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


def totals_by_engine(lines: Sequence[UsageLine]) -> dict[str, Counts]:
    """Lines added up per engine."""
    out: dict[str, Counts] = {}
    for line in lines:
        out.setdefault(line.engine, Counts()).add(line.counts)
    return out
