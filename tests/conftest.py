"""Fixtures shared by every test module: isolated data directories, settings and stores."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from babelwire.settings import Settings, load
from babelwire.store import Store


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own BABELWIRE_HOME, so no test reads or writes a real data directory."""
    home = tmp_path / "home"
    monkeypatch.setenv("BABELWIRE_HOME", str(home))
    for name in list(os.environ):
        if name.startswith("BABELWIRE_") and name != "BABELWIRE_HOME":
            monkeypatch.delenv(name)
    return home


@pytest.fixture
def settings(_isolated_home: Path) -> Settings:
    """Settings on the test's own data directory, with no politeness delay."""
    return load({"per_host_delay": 0.0}, home=_isolated_home)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    """A migrated SQLite store in the test's data directory."""
    st = Store(settings.db_url)
    yield st
    st.close()


# -- Redis and PostgreSQL servers for the scale-out tests (tests/services.py) --------------------
from tests.services import (  # noqa: E402, F401
    db_store,
    db_url,
    fresh_pg_url,
    pg_store,
    pg_url,
    postgres_server,
    redis_server,
    redis_url,
    shared_pg_url,
)
