"""Database errors as babelwire's (``store/errors.py``): the ones meaning that the store cannot
be used right now are ``StoreUnavailable`` (``DiskFull``, ``StoreReadOnly``), on the real
databases; anything else stays a plain ``StoreError``."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from babelwire.exceptions import StoreError, StoreReadOnly, StoreUnavailable
from babelwire.store import Store, db
from tests.services import PostgresServer


def test_a_terminated_postgresql_connection_is_unavailable_and_the_next_session_works(
        postgres_server: PostgresServer, pg_url: str) -> None:
    store = Store(pg_url)
    try:
        with pytest.raises(StoreUnavailable, match="unreachable"), store.session() as s:
            s.execute(text("SELECT 1"))
            assert postgres_server.terminate_connections(pg_url) != []
            s.execute(text("SELECT 1"))       # the connection is gone mid-transaction
        with store.session() as s:                # a new connection (the pool's)
            assert s.execute(text("SELECT 1")).scalar() == 1
    finally:
        store.close()


def _server_transactions(server: PostgresServer, url: str) -> int:
    """Transactions PostgreSQL counted on ``url``'s database, once every other connection to it
    has ended (a backend reports its counts when it exits)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(host="127.0.0.1", port=server.port, user="postgres",
                         dbname="postgres", autocommit=True) as conn:
        deadline = time.monotonic() + 10
        while conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
                           (name,)).fetchone() != (0,) and time.monotonic() < deadline:
            time.sleep(0.05)
        row = conn.execute("SELECT xact_commit + xact_rollback FROM pg_stat_database "
                           "WHERE datname = %s", (name,)).fetchone()
    assert row is not None
    return int(row[0])


def test_a_postgresql_connection_in_use_costs_one_transaction_per_store_call(
        postgres_server: PostgresServer, pg_url: str) -> None:
    store = Store(pg_url, migrate_schema=False)
    store.list_sources()                          # the pool holds one connection now
    store.close()
    before = _server_transactions(postgres_server, pg_url)
    store = Store(pg_url, migrate_schema=False)
    try:
        for _ in range(50):
            assert store.item_status(1) is None
    finally:
        store.close()
    # 50 calls, one new connection: no ping before each (it was two transactions a call)
    assert _server_transactions(postgres_server, pg_url) - before <= 52


def test_an_idle_postgresql_connection_cut_meanwhile_is_replaced_before_use(
        postgres_server: PostgresServer, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "PING_AFTER_IDLE", 0.2)
    store = Store(pg_url, migrate_schema=False)
    try:
        assert store.list_sources() == []         # a pooled connection, then idle
        time.sleep(0.3)
        assert postgres_server.terminate_connections(pg_url) != []
        assert store.list_sources() == []         # pinged, found dead, replaced: no error
    finally:
        store.close()


def test_a_read_only_sqlite_database_is_read_only(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "store.db"
    Store(f"sqlite:///{path}").close()
    monkeypatch.chdir(tmp_path)
    store = Store(f"sqlite:///file:{path}?mode=ro&uri=true", migrate_schema=False)
    assert not (tmp_path / "file:").exists()  # a URI filename is not a path to make
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
