"""The store: every read and write of babelwire, as small transactional methods.

``Store`` is one class made of one mixin per thing the store serves, each in its own module:

==================  ==============================================================
``sources``         followed sources, polls under a lease, items a poll finds
``items``           items under a lease, from state to state; documents, articles,
                    translations, publishing, failures, names kept
``site``            what the site, feeds and API read (published translations only)
``search``          full-text search
``review``          the review queue
``tokens``          editors' tokens and sessions
``glossary``        glossary terms
``takedown``        takedowns
``memory``          the translation memory's rows
``usage``           engines' daily usage counters
``politeness``      request slots per host, shared by every fetcher
``rights``          the rights of stored pages per source, re-translating on a new mode
``throttles``       login and API token buckets, shared by every ``serve`` process
``sitememory``      the pages each site's furniture is learnt from
``stories``         index keys, near-duplicates, stories and their articles
``targets``         publishing targets and each translation's post on each of them
==================  ==============================================================

Every SQL statement of babelwire is in this package; ``tables`` holds every table and ``rows``
every conversion between rows and the pipeline's plain data (``babelwire.models``). The package
imports no pipeline package.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from babelwire.exceptions import StoreError
from babelwire.store.db import make_engine, migrate
from babelwire.store.glossary import GlossaryMixin
from babelwire.store.items import ItemsMixin
from babelwire.store.memory import MemoryMixin
from babelwire.store.politeness import HostSlotsMixin
from babelwire.store.review import ReviewMixin
from babelwire.store.rights import RightsMixin
from babelwire.store.search import SearchMixin
from babelwire.store.site import SiteMixin
from babelwire.store.sitememory import SiteMemoryMixin
from babelwire.store.sources import SourcesMixin
from babelwire.store.stories import StoriesMixin
from babelwire.store.takedown import TakedownMixin
from babelwire.store.targets import TargetsMixin
from babelwire.store.throttles import ThrottlesMixin
from babelwire.store.tokens import TokensMixin
from babelwire.store.usage import UsageMixin


def new_owner() -> str:
    """A lease owner name unique to this process and call."""
    return f"{os.getpid()}-{uuid.uuid4().hex[:12]}"


class Store(SourcesMixin, ItemsMixin, SiteMixin, SearchMixin, ReviewMixin, TokensMixin,
            GlossaryMixin, TakedownMixin, MemoryMixin, UsageMixin, HostSlotsMixin,
            SiteMemoryMixin, RightsMixin, ThrottlesMixin, StoriesMixin, TargetsMixin):
    """Transactional access to everything babelwire keeps (see the module's table)."""

    def __init__(self, url: str, *, engine: Engine | None = None,
                 migrate_schema: bool = True) -> None:
        self.url = url
        self.engine = engine or make_engine(url)
        if migrate_schema:
            migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A Core connection in one transaction (no ORM: for statements on a hot path),
        committed on success; database errors become StoreError."""
        try:
            with self.engine.begin() as connection:
                yield connection
        except SQLAlchemyError as exc:
            raise StoreError(f"database error: {exc.__class__.__name__}: {exc}",
                             retryable=True) from exc

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction, committed on success; database errors become StoreError."""
        try:
            with self._sessions() as session, session.begin():
                yield session
        except SQLAlchemyError as exc:
            raise StoreError(f"database error: {exc.__class__.__name__}: {exc}",
                             retryable=True) from exc
