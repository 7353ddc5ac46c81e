"""Token buckets kept in the store, so that a limit holds for every process that serves the site.

Each ``babelwire serve`` process once kept its login and API throttles in memory: two processes
let a client fail twice as many sign-ins and make twice as many API requests. ``take_token``
spends a token of a client's bucket in one atomic upsert (the bucket refills at ``rate`` tokens
a second up to ``burst``; a new client starts full), ``token_wait`` says how long until the
next one. A bucket is named by its ``scope`` (the limit, with its rate and burst) and the
client. Wall-clock seconds: the machines serving one store need their clocks in sync (NTP) to
the precision of the rate.

The API spends a token on every request, so the statements are plain SQL on a Core connection
(the same text for SQLite and PostgreSQL, both of which have ``ON CONFLICT ... DO UPDATE ...
WHERE`` and ``RETURNING``): through the ORM a token cost several times as much.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import text

from babelwire.store.base import StoreBase

NEVER = 1e18          # when a bucket that never refills (rate 0) is full again

# The bucket as it is now: refilled since it was last written, up to the burst.
_REFILLED = ("(CASE WHEN throttles.tokens + (:now - throttles.updated) * :rate > :burst "
             "THEN :burst ELSE throttles.tokens + (:now - throttles.updated) * :rate END)")
_TAKE = text(f"""
INSERT INTO throttles (scope, client, tokens, updated, full_at)
VALUES (:scope, :client, :burst - 1, :now, :first_full)
ON CONFLICT (scope, client) DO UPDATE SET
    tokens = {_REFILLED} - 1,
    updated = :now,
    full_at = CASE WHEN :refills THEN :now + (:burst - ({_REFILLED} - 1)) * :per_token
                   ELSE :never END
WHERE {_REFILLED} >= 1
RETURNING tokens
""")
_READ = text("SELECT tokens, updated FROM throttles WHERE scope = :scope AND client = :client")
_PRUNE = text("DELETE FROM throttles WHERE full_at <= :now")


class ThrottlesMixin(StoreBase):
    """Per-client token buckets shared by every process on the store."""

    def take_token(self, scope: str, client: str, rate: float, burst: float,
                   now: float) -> float:
        """Spend one token of ``client``'s bucket: 0.0 if it had one, else the seconds until
        it has one (``math.inf`` if it never will)."""
        if burst < 1:
            return _wait(0.0, rate)
        per_token = 1 / rate if rate > 0 else 0.0
        values: dict[str, Any] = {
            "scope": scope, "client": client, "rate": float(rate), "burst": float(burst),
            "now": now, "refills": rate > 0, "per_token": per_token, "never": NEVER,
            "first_full": now + per_token if rate > 0 else NEVER}
        with self.connection() as conn:
            if conn.execute(_TAKE, values).first() is not None:
                return 0.0
            row = conn.execute(_READ, values).first()
        return _wait(_refilled(row, rate, burst, now), rate) if row is not None else 0.0

    def token_wait(self, scope: str, client: str, rate: float, burst: float,
                   now: float) -> float:
        """Seconds until ``client``'s bucket has a token (0.0 if it has one now); spends none."""
        if burst < 1:
            return _wait(0.0, rate)
        with self.connection() as conn:
            row = conn.execute(_READ, {"scope": scope, "client": client}).first()
        tokens = _refilled(row, rate, burst, now) if row is not None else float(burst)
        return 0.0 if tokens >= 1 else _wait(tokens, rate)

    def prune_throttles(self, now: float) -> int:
        """Forget the buckets that are full again (the same as never seen); returns how many."""
        with self.connection() as conn:
            return int(conn.execute(_PRUNE, {"now": now}).rowcount)


def _refilled(row: Any, rate: float, burst: float, now: float) -> float:
    tokens, updated = row
    return min(float(burst), float(tokens) + max(0.0, now - float(updated)) * rate)


def _wait(tokens: float, rate: float) -> float:
    return (1.0 - tokens) / rate if rate > 0 else math.inf
