"""The pipeline's shared memories, kept in the store so that every runner and worker shares them.

``sources.throttle`` and ``extract.furniture`` define what they need as protocols and keep it in
memory by default; these classes are the same protocols over a ``Store``.
"""

from __future__ import annotations

from collections.abc import Sequence

from babelwire.models import PageBlocks
from babelwire.store import Store


class StoreHostSlots:
    """``sources.throttle.SharedSlots`` kept in the store: one request schedule per host for
    every process that fetches (see ``store.politeness``)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def reserve(self, host: str, delay: float, now: float) -> float:
        """Reserve the next request to ``host``; when it may start (epoch seconds)."""
        return self.store.reserve_host_slot(host, delay, now)


class StoreSiteMemory:
    """``extract.furniture.SiteFurniture`` kept in the store (see ``store.sitememory``).

    Made for one piece of work (an article's extraction): a site's pages are read once, and
    remembering a page reads them again in its own transaction (the extract stage read them
    in a transaction of their own after each page it remembered). A page another worker
    remembers meanwhile is seen by the next read.
    """

    def __init__(self, store: Store, *, window: int = 50, min_share: float = 0.5) -> None:
        self.store = store
        self.window = window
        self.min_share = min_share
        self._read: dict[str, Sequence[PageBlocks]] = {}

    def pages(self, site: str) -> Sequence[PageBlocks]:
        """The newest ``window`` remembered pages of ``site``, oldest first."""
        if site not in self._read:
            self._read[site] = self.store.remembered_pages(site, window=self.window)
        return self._read[site]

    def remember(self, site: str, page: PageBlocks) -> None:
        """Add (or refresh) ``page`` and forget the site's pages beyond the window."""
        self._read[site] = self.store.remember_page(site, page, window=self.window)

    def count(self, site: str) -> int:
        """How many pages of ``site`` are remembered."""
        return len(self.pages(site))
