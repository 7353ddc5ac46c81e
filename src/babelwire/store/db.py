"""Database connections: the SQLAlchemy engine, SQLite tuned for concurrent use, migrations."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from babelwire.exceptions import StoreError
from babelwire.store.errors import store_error

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and enforced foreign keys."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, future=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
                                              "check_same_thread": False})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


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
