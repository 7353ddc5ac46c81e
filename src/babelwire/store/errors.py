"""Database errors as babelwire's: which ones mean that the store itself cannot be used right now.

A stage that meets a full disk, a read-only data directory or a database that restarts has done
nothing wrong with its item: ``StoreUnavailable`` (and its ``DiskFull`` and ``StoreReadOnly``)
tells the runners to wait and try again without counting an attempt against the item. Every
other database error stays a plain ``StoreError``.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError

from babelwire.exceptions import DiskFull, StoreError, StoreReadOnly, StoreUnavailable

# SQLite's primary result codes (the low byte of the extended code)
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
# PostgreSQL's SQLSTATEs for a full disk and for a read-only transaction (a standby)
PG_DISK_FULL = "53100"
PG_READ_ONLY = "25006"


def store_error(exc: SQLAlchemyError, database: str | None = None) -> StoreError:
    """The ``StoreError`` that ``exc`` is: ``DiskFull``, ``StoreReadOnly``,
    ``StoreUnavailable`` or, for anything else, a plain (retryable) ``StoreError``.
    ``database`` is the SQLite file, whose file system is looked at when SQLite only says
    that a write failed."""
    orig = getattr(exc, "orig", None)
    # the driver's own words (SQLAlchemy's adds the statement and a link)
    cause = orig if isinstance(orig, Exception) else exc
    message = f"database error: {cause.__class__.__name__}: {str(cause).strip()}"
    if isinstance(orig, sqlite3.Error):
        return _sqlite_error(orig, message, database)
    kind = _os_error(orig) or _pg_error(orig)
    if kind is not None:
        return kind(_plain(kind, message))
    if isinstance(exc, OperationalError | InterfaceError) or (
            isinstance(exc, DBAPIError) and exc.connection_invalidated):
        return StoreUnavailable(f"the database is unreachable: {message}")
    return StoreError(message, retryable=True)


def _sqlite_error(orig: sqlite3.Error, message: str, database: str | None) -> StoreError:
    code = getattr(orig, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary not in (SQLITE_FULL, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_IOERR):
        return StoreError(message, retryable=True)
    # SQLite does not always say why the file system refused a write: look at it
    directory = str(Path(database).parent) if database else None
    if directory and _read_only(directory):
        return StoreReadOnly(f"the data directory {directory} is on a read-only file system "
                             f"({message})")
    if primary == SQLITE_FULL or (directory and _full(directory)):
        where = f" holding {directory}" if directory else ""
        return DiskFull(f"disk full: the disk{where} has no space left ({message})")
    if primary in (SQLITE_READONLY, SQLITE_CANTOPEN):
        return StoreReadOnly(_plain(StoreReadOnly, message))
    return StoreUnavailable(f"the database's disk refused a write: {message}")


def _read_only(directory: str) -> bool:
    """Whether the file system holding ``directory`` refuses writes as read-only: mounted so,
    or turned so under its open files (ext4 after an error, whose mount flags still say rw,
    only a write tells)."""
    try:
        if os.statvfs(directory).f_flag & os.ST_RDONLY:
            return True
    except OSError:
        return False
    return _probe(directory) == errno.EROFS


def _full(directory: str) -> bool:
    try:
        if os.statvfs(directory).f_bavail == 0:
            return True
    except OSError:
        return False
    return _probe(directory) in (errno.ENOSPC, errno.EDQUOT)


def _probe(directory: str) -> int | None:
    """The errno of writing a byte to a new file in ``directory`` (None: it worked)."""
    probe = os.path.join(directory, f".babelwire-probe-{os.getpid()}")
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, b"\0")
            os.fsync(fd)
        finally:
            os.close(fd)
            os.unlink(probe)
    except OSError as exc:
        return exc.errno
    return None


def _os_error(orig: object) -> type[StoreUnavailable] | None:
    if isinstance(orig, OSError):
        if orig.errno in (errno.ENOSPC, errno.EDQUOT):
            return DiskFull
        if orig.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return StoreReadOnly
    return None


def _pg_error(orig: object) -> type[StoreUnavailable] | None:
    state = getattr(orig, "sqlstate", None)
    if state == PG_DISK_FULL:
        return DiskFull
    if state == PG_READ_ONLY:
        return StoreReadOnly
    return None


def _plain(kind: type[StoreUnavailable], message: str) -> str:
    if kind is DiskFull:
        return f"disk full: the database cannot grow ({message})"
    if kind is StoreReadOnly:
        return f"the database or its directory is read-only ({message})"
    return message
