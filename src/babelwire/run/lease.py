"""Keeping an item's lease while a stage works on it.

A lease runs out after ``lease_seconds``; a stage can take longer (a slow engine, a busy
machine). Without renewal another runner or worker would take the item over and do the stage a
second time, and the first one's writes would fail with "lease lost". Both the embedded runner
and the Celery tasks hold their lease with ``kept_lease``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from babelwire.exceptions import StoreError
from babelwire.store import Store
from babelwire.store.tables import utcnow

log = logging.getLogger(__name__)


@contextmanager
def kept_lease(store: Store, item_id: int, owner: str, lease_seconds: float) -> Iterator[None]:
    """Renew ``owner``'s lease on the item every third of its length for the ``with`` block."""
    done = threading.Event()

    def renew() -> None:
        while not done.wait(max(0.05, lease_seconds / 3)):
            try:
                if not store.renew_lease(item_id, owner, utcnow(), lease_seconds):
                    return  # lost (taken down, or taken over after a long stall): stop trying
            except StoreError as exc:  # try again at the next beat; the lease may hold
                log.warning("cannot renew the lease on item %s: %s", item_id, exc)

    beat = threading.Thread(target=renew, name="babelwire-lease", daemon=True)
    beat.start()
    try:
        yield
    finally:
        done.set()
        beat.join()
