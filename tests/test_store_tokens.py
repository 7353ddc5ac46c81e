"""Editors' access tokens and sessions: stored only hashed, revoked at once; and the
``babelwire tokens`` commands that manage them."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from babelwire.cli.common import AppContext
from babelwire.cli.tokens import tokens
from babelwire.exceptions import ConfigError
from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.store.tokens import TOKEN_PREFIX


def db_path(settings: Settings) -> Path:
    """The SQLite file of the test's store."""
    return settings.home / "babelwire.db"


def test_a_token_is_256_random_bits_and_only_its_hash_is_stored(store: Store,
                                                                settings: Settings) -> None:
    info, secret = store.create_token("alice")
    other = store.create_token("bob")[1]
    assert secret.startswith(TOKEN_PREFIX) and secret != other
    # token_urlsafe(32): 32 random bytes, 43 base64url characters
    assert len(secret) == len(TOKEN_PREFIX) + 43
    with sqlite3.connect(db_path(settings)) as db:
        rows = db.execute("SELECT * FROM admin_tokens").fetchall()
        dump = "\n".join(db.iterdump())
    assert secret not in dump and secret[len(TOKEN_PREFIX):] not in dump
    assert hashlib.sha256(secret.encode()).hexdigest() in [str(v) for r in rows for v in r]
    assert info.name == "alice" and info.active and info.last_used_at is None


def test_verify_accepts_the_token_only(store: Store) -> None:
    info, secret = store.create_token("alice")
    used = store.verify_token(secret)
    assert used is not None and used.id == info.id and used.last_used_at is not None
    for wrong in ("", secret[:-1], secret + "x", secret.upper(), TOKEN_PREFIX, "bw_" + "a" * 300,
                  hashlib.sha256(secret.encode()).hexdigest()):
        assert store.verify_token(wrong) is None, wrong


def test_revoking_ends_the_token_and_its_sessions_at_once(store: Store) -> None:
    info, secret = store.create_token("alice")
    cookie, session = store.start_session(info, timedelta(hours=1))
    assert store.get_session(cookie) == session
    assert [t.id for t in store.revoke_token("alice")] == [info.id]
    assert store.verify_token(secret) is None
    assert store.get_session(cookie) is None
    assert store.revoke_token("alice") == []  # nothing active is left to revoke
    assert not store.list_tokens()[0].active


def test_revoke_by_id_and_names_reused_after_revocation(store: Store) -> None:
    first, _ = store.create_token("ci-bot")
    with pytest.raises(ConfigError, match="already has this name"):
        store.create_token("ci-bot")
    assert [t.id for t in store.revoke_token(str(first.id))] == [first.id]
    second, secret = store.create_token("ci-bot")
    assert second.id != first.id and store.verify_token(secret) is not None
    assert [(t.name, t.active) for t in store.list_tokens()] == [("ci-bot", False),
                                                                ("ci-bot", True)]


@pytest.mark.parametrize("name", ["", "   ", "12", "x" * 101, "tab\there"])
def test_bad_token_names_are_refused(store: Store, name: str) -> None:
    with pytest.raises(ConfigError):
        store.create_token(name)


def test_sessions_expire_and_end_on_sign_out(store: Store) -> None:
    info, _ = store.create_token("alice")
    expired, _ = store.start_session(info, timedelta(seconds=-1))
    assert store.get_session(expired) is None
    cookie, session = store.start_session(info, timedelta(hours=1))
    assert session.editor == "alice" and len(session.csrf) >= 43
    assert store.get_session("") is None and store.get_session(cookie + "x") is None
    store.end_session(cookie)
    assert store.get_session(cookie) is None


def test_session_ids_are_stored_hashed(store: Store, settings: Settings) -> None:
    info, _ = store.create_token("alice")
    cookie, _ = store.start_session(info, timedelta(hours=1))
    with sqlite3.connect(db_path(settings)) as db:
        assert cookie not in "\n".join(db.iterdump())


def invoke(*args: str) -> tuple[int, str, str]:
    """Run ``babelwire tokens ARGS`` (on the test's BABELWIRE_HOME); (exit code, out, err)."""
    result = CliRunner().invoke(tokens, list(args), obj=AppContext(home=None))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_tokens_commands_create_list_and_revoke(settings: Settings) -> None:
    code, out, err = invoke("create", "alice")
    assert code == 0, err
    secret = out.strip()
    assert secret.startswith(TOKEN_PREFIX) and "shown only this once" in err
    code, out, _ = invoke("list")
    assert code == 0 and "alice" in out and "active" in out and secret not in out
    store = Store(settings.db_url)
    try:
        assert store.verify_token(secret) is not None
        code, out, _ = invoke("revoke", "alice")
        assert code == 0 and "Revoked token #1 (alice)" in out
        assert store.verify_token(secret) is None
    finally:
        store.close()
    code, _, err = invoke("revoke", "alice")
    assert code == 2 and "no active token" in err
    with pytest.raises(ConfigError, match="digits"):  # `babelwire` prints it and exits 1
        invoke("create", "123")
