"""Fixtures shared by every test module: isolated data directories, settings and stores."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from babelwire.publish import create_app
from babelwire.settings import Settings, load
from babelwire.store import Store
from tests.helpers.site import FilledSite, TestClient, filled_site_at


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


# -- the publishing site on a filled store (tests/helpers/site.py) ------------------------------

@pytest.fixture(scope="module")
def filled_site(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
                ) -> Iterator[FilledSite]:
    """One filled test site for the whole module: its tests only read it, or undo what they
    change (a test that changes it for good takes ``fresh_site``)."""
    name = request.module.__name__.rpartition(".")[2]
    with filled_site_at(tmp_path_factory.mktemp(name)) as site:
        yield site


@pytest.fixture
def fresh_site(tmp_path: Path) -> Iterator[FilledSite]:
    """A filled test site of the test's own."""
    with filled_site_at(tmp_path / "site") as site:
        yield site


@pytest.fixture(scope="module")
def app_options() -> dict[str, Any]:
    """Keyword arguments of ``create_app`` for ``client``: a module that wants others (no page
    cache, one result a page...) overrides this fixture."""
    return {}


@pytest.fixture(scope="module")
def client(filled_site: FilledSite, app_options: dict[str, Any]) -> Iterator[TestClient]:
    """A client of the app on the module's ``filled_site``, built with ``app_options``."""
    with TestClient(create_app(filled_site.settings, filled_site.store, **app_options)) as c:
        yield c


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
