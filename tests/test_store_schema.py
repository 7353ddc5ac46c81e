"""The Alembic migrations build exactly the schema the SQLAlchemy models describe."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from babelwire.store import Store
from babelwire.store.tables import Base


def _ours(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    # Full-text search is built by migration 0002 with each database's own machinery and has no
    # model: SQLite's FTS5 virtual table and its shadow tables, PostgreSQL's generated tsvector
    # column and its index.
    search = (name or "").startswith("translations_fts") or "search" in (name or "")
    return not (reflected and compare_to is None and search)


def _diff(store: Store) -> list[Any]:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _ours,
                                                         "compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_sqlite_schema_matches_the_models(store: Store) -> None:
    assert _diff(store) == []


def test_postgresql_schema_matches_the_models(pg_store: Store) -> None:
    assert _diff(pg_store) == []
