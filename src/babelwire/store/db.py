"""Database connections: the SQLAlchemy engine, SQLite tuned for concurrent use, migrations."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError, SQLAlchemyError

from babelwire.exceptions import StoreError
from babelwire.store.errors import store_error

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
# A pooled server connection left unused this long is pinged before it is handed out again.
PING_AFTER_IDLE = 1.0


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and enforced foreign keys; a
    server database's idle connections are checked before use (``ping_idle_connections``)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(url, future=True)
        ping_idle_connections(engine, PING_AFTER_IDLE)
        return engine
    if parsed.database and parsed.database != ":memory:" and not parsed.query.get("uri"):
        # a SQLite URI filename ("file:…?mode=ro&uri=true") is not a path: making its
        # "parent" would create a folder named "file:" where the command runs
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
                                              "check_same_thread": False})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def ping_idle_connections(engine: Engine, idle_seconds: float) -> None:
    """Ping a pooled connection before handing it out only if it has been idle for
    ``idle_seconds``: one that fails the ping (the server restarted, the connection was cut) is
    replaced by a new one at once.

    SQLAlchemy's ``pool_pre_ping`` pings at every checkout, that is before every transaction:
    on PostgreSQL a second round trip and a second transaction for each of the store's
    (``bench/scale.py`` counted 149 server transactions an article instead of 67). A connection
    used a moment ago is alive; if the server went away since, the statement fails, the store
    says ``StoreUnavailable`` (the runner and the tasks wait and try again) and SQLAlchemy
    replaces every connection of the pool that is older than the failure.
    """

    @event.listens_for(engine, "checkin")
    def checkin(_dbapi_conn: Any, record: Any) -> None:
        record.info["babelwire_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("babelwire_idle_since")   # absent: a new connection
        if since is None or time.monotonic() - since < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
            dbapi_conn.rollback()   # the ping opened a transaction
        except Exception as exc:  # whatever the failure, the connection cannot be used
            raise DisconnectionError(f"idle connection lost: {exc}") from exc   # the pool retries


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # NORMAL is durable in WAL mode except for the very last transactions on power loss,
        # which the idempotent stages redo; it never corrupts the database.
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration pointing at the packaged migrations and at ``engine``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    cfg.attributes["engine"] = engine
    return cfg


# Alembic's migration context is global to the process: two threads migrating at once break it.
_MIGRATING = threading.Lock()
# Any fixed number: PostgreSQL advisory lock key that serialises migrations across processes.
_PG_MIGRATION_LOCK = 0x6261_6265_6C77  # "babelw"


def migrate(engine: Engine) -> None:
    """Bring the schema up to the newest migration (a no-op when it already is).

    Safe to call from several threads and, on PostgreSQL, from several processes at once (workers
    starting together on a fresh database): migrations run one at a time.
    """
    try:
        with _MIGRATING:
            if engine.dialect.name == "postgresql":
                with engine.connect() as conn:
                    conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
                    try:
                        command.upgrade(alembic_config(engine), "head")
                    finally:
                        conn.execute(text("SELECT pg_advisory_unlock(:k)"),
                                     {"k": _PG_MIGRATION_LOCK})
            else:
                command.upgrade(alembic_config(engine), "head")
    except SQLAlchemyError as exc:  # the database is down, full, read-only...
        raise store_error(exc, engine.url.database) from exc
    except Exception as exc:  # alembic raises many types; all mean the store is unusable
        raise StoreError(f"cannot migrate the store: {exc}", subject=str(engine.url)) from exc
