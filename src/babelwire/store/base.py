"""What every area of the store is built on: a database session per unit of work.

The store is one class, ``Store``, made of one mixin per thing it serves (sources, items, the
site's reads, the review queue, the translation memory, usage...), each in its own module of
this package. Every SQL statement of babelwire is in one of them.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session


class StoreBase:
    """What every area needs from the store: ``session()``, a transaction, and the engine
    (for what depends on the database's dialect)."""

    engine: Engine

    def session(self) -> AbstractContextManager[Session]:
        """A session whose transaction commits when the block ends (rolls back on error)."""
        raise NotImplementedError

    def connection(self) -> AbstractContextManager[Connection]:
        """A Core connection in one transaction, without the ORM's cost per statement."""
        raise NotImplementedError

    def dialect_insert(self) -> Any:
        """``insert`` of the store's database, with its ``ON CONFLICT`` clauses (PostgreSQL and
        SQLite share them)."""
        return pg_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
