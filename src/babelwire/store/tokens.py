"""Editors' access tokens and the login sessions made from them.

A token is 256 random bits, shown once when it is created; the store keeps only its SHA-256.
A fast hash is enough here, unlike for passwords: slow password hashes (bcrypt, Argon2) exist to
make guessing *low-entropy* secrets expensive, and nobody can guess 2**256 possibilities however
fast each try is. A plain digest also lets a token be found by an indexed lookup of its hash, so
no stored secret is ever compared byte by byte in Python.

A browser that signs in with a token gets a session: a second random value in an HttpOnly
cookie, also stored only as a hash, bound to the token. Every request looks the session up
together with its token, so revoking a token ends its sessions at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from babelwire.exceptions import ConfigError
from babelwire.store.base import StoreBase
from babelwire.store.tables import AdminSessionRow, AdminTokenRow, utcnow

TOKEN_PREFIX = "bw_"
MAX_NAME = 100
# Writing ``last_used_at`` on every API call would turn reads into writes; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class TokenInfo:
    """An access token as the store knows it (never the token itself)."""

    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        """Whether the token still opens the admin pages."""
        return self.revoked_at is None


@dataclass(frozen=True)
class SessionInfo:
    """A signed-in browser: which token it signed in with, its CSRF form token, its expiry."""

    token_id: int
    editor: str
    csrf: str
    expires_at: datetime


def digest(secret: str) -> str:
    """The SHA-256 (hex) under which a token or session id is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret() -> str:
    """A new random token: 256 bits, URL-safe, with a prefix that makes it recognisable."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def _info(row: AdminTokenRow) -> TokenInfo:
    return TokenInfo(id=row.id, name=row.name, created_at=row.created_at,
                     last_used_at=row.last_used_at, revoked_at=row.revoked_at)


def check_name(name: str) -> str:
    """A token name, stripped; refused if empty, too long, all digits or not printable."""
    name = name.strip()
    if not name or len(name) > MAX_NAME or not name.isprintable():
        raise ConfigError(f"a token name is 1 to {MAX_NAME} printable characters",
                          subject=name or "(empty)")
    if name.isdigit():
        # ``tokens revoke ID|NAME`` must never wonder whether 12 is an id or a name.
        raise ConfigError("a token name cannot be only digits", subject=name)
    return name


class TokensMixin(StoreBase):
    """Editors' access tokens and their login sessions."""

    def create_token(self, name: str) -> tuple[TokenInfo, str]:
        """A new token named ``name``; returns its record and the token, which is never kept."""
        name = check_name(name)
        secret = new_secret()
        with self.session() as s:
            taken = s.scalar(select(AdminTokenRow.id).where(AdminTokenRow.name == name,
                                                            AdminTokenRow.revoked_at.is_(None)))
            if taken is not None:
                raise ConfigError("an active token already has this name; revoke it first",
                                  subject=name)
            row = AdminTokenRow(name=name, token_hash=digest(secret), created_at=utcnow())
            s.add(row)
            s.flush()
            return _info(row), secret

    def list_tokens(self) -> list[TokenInfo]:
        """Every token, active or revoked, oldest first."""
        with self.session() as s:
            return [_info(r) for r in s.scalars(select(AdminTokenRow).order_by(AdminTokenRow.id))]

    def revoke_token(self, ref: str) -> list[TokenInfo]:
        """Revoke the active token with id ``ref`` (digits) or name ``ref``; its sessions end.

        Returns the tokens revoked (none if nothing active matched).
        """
        ref = ref.strip()
        match = AdminTokenRow.id == int(ref) if ref.isdigit() else AdminTokenRow.name == ref
        now = utcnow()
        with self.session() as s:
            rows = s.scalars(select(AdminTokenRow).where(match,
                                                         AdminTokenRow.revoked_at.is_(None))).all()
            for row in rows:
                row.revoked_at = now
            ids = [r.id for r in rows]
            if ids:
                s.execute(delete(AdminSessionRow).where(AdminSessionRow.token_id.in_(ids)))
            return [_info(r) for r in rows]

    def verify_token(self, secret: str) -> TokenInfo | None:
        """The active token ``secret`` is, else None; records when it was last used."""
        if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
            return None
        now = utcnow()
        with self.session() as s:
            row = s.scalar(select(AdminTokenRow).where(AdminTokenRow.token_hash == digest(secret),
                                                       AdminTokenRow.revoked_at.is_(None)))
            if row is None:
                return None
            if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
                row.last_used_at = now
            return _info(row)

    def start_session(self, token: TokenInfo, lifetime: timedelta) -> tuple[str, SessionInfo]:
        """A new session for ``token``: the cookie value (kept only hashed) and the session."""
        session_id = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        now = utcnow()
        with self.session() as s:
            # Expired sessions are swept here, the only place sessions are made.
            s.execute(delete(AdminSessionRow).where(AdminSessionRow.expires_at < now))
            s.add(AdminSessionRow(id_hash=digest(session_id), token_id=token.id, csrf=csrf,
                                  created_at=now, expires_at=now + lifetime))
        return session_id, SessionInfo(token.id, token.name, csrf, now + lifetime)

    def get_session(self, session_id: str) -> SessionInfo | None:
        """The live session of a cookie value: unexpired, and its token not revoked."""
        if not session_id or len(session_id) > 200:
            return None
        query = (select(AdminSessionRow, AdminTokenRow.name)
                 .join(AdminTokenRow, AdminTokenRow.id == AdminSessionRow.token_id)
                 .where(AdminSessionRow.id_hash == digest(session_id),
                        AdminSessionRow.expires_at > utcnow(), AdminTokenRow.revoked_at.is_(None)))
        with self.session() as s:
            found = s.execute(query).first()
            if found is None:
                return None
            row, name = found
            return SessionInfo(row.token_id, name, row.csrf, row.expires_at)

    def end_session(self, session_id: str) -> None:
        """Sign a browser out."""
        with self.session() as s:
            s.execute(delete(AdminSessionRow).where(AdminSessionRow.id_hash == digest(session_id)))
