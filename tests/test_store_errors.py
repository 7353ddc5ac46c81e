"""Database errors as babelwire's (``store/errors.py``): the ones meaning that the store cannot
be used right now are ``StoreUnavailable`` (``DiskFull``, ``StoreReadOnly``), on the real
databases; anything else stays a plain ``StoreError``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from babelwire.exceptions import StoreError, StoreReadOnly, StoreUnavailable
from babelwire.store import Store
from tests.services import PostgresServer


def test_a_terminated_postgresql_connection_is_unavailable_and_the_next_session_works(
        postgres_server: PostgresServer, pg_url: str) -> None:
    store = Store(pg_url)
    try:
        with pytest.raises(StoreUnavailable, match="unreachable"), store.session() as s:
            s.execute(text("SELECT 1"))
            assert postgres_server.terminate_connections(pg_url) != []
            s.execute(text("SELECT 1"))       # the connection is gone mid-transaction
        with store.session() as s:                # a new connection (pool_pre_ping)
            assert s.execute(text("SELECT 1")).scalar() == 1
    finally:
        store.close()


def test_a_read_only_sqlite_database_is_read_only(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    Store(f"sqlite:///{path}").close()
    store = Store(f"sqlite:///file:{path}?mode=ro&uri=true", migrate_schema=False)
    try:
        with pytest.raises(StoreReadOnly, match="read-only"):
            store.add_source("https://example.org/feed.xml", targets=["fr"])
        assert store.list_sources() == []         # reading still works
    finally:
        store.close()


def test_other_database_errors_stay_plain_store_errors(store: Store) -> None:
    with pytest.raises(StoreError) as caught, store.session() as s:
        s.execute(text("SELECT * FROM no_such_table"))
    assert not isinstance(caught.value, StoreUnavailable)
    assert isinstance(caught.value.__cause__.orig, sqlite3.OperationalError)  # type: ignore[union-attr]
