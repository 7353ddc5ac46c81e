"""Fixtures shared by every test module: isolated data directories, settings and stores."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from babelwire.demo.sites import SampleSitesServer
from babelwire.publish import create_app
from babelwire.settings import Settings, load
from babelwire.store import Store
from babelwire.translate.engines.apertium.engine import ApertiumEngine
from babelwire.translate.router import Router
from tests.fakes.localservers import Backend, apertium_backend
from tests.helpers.http import LocalServer
from tests.helpers.runs import SITES as RELIABILITY_SITES
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


# -- a local HTTP server whose routes each test sets (tests/helpers/http.py) --------------------

@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A local HTTP server of the test's own; it answers 404 until the test sets routes."""
    srv = LocalServer()
    yield srv
    srv.close()


@pytest.fixture
def local(settings: Settings, server: LocalServer) -> Settings:
    """Settings allowing only the local test server (as the demo does)."""
    return settings.replace(allowed_hosts=(f"127.0.0.1:{server.port}",), connect_timeout=2.0,
                            read_timeout=2.0)


# -- the sample-sites server (babelwire.demo.sites) ---------------------------------------------

@pytest.fixture(scope="module")
def sample_sites() -> Iterator[SampleSitesServer]:
    """The demo's sample news sites, played on a local port (one server for the module)."""
    with SampleSitesServer() as server:
        yield server


@pytest.fixture
def reliability_sites(tmp_path: Path) -> Iterator[SampleSitesServer]:
    """The sample-sites server playing a private copy of the reliability sites
    (tests/data/reliability/sites), which the test may change."""
    data = tmp_path / "sites"
    shutil.copytree(RELIABILITY_SITES, data)
    with SampleSitesServer(0, data=data) as server:
        yield server


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

# -- a real WordPress for the publishing-target tests (tests/services_wordpress.py) -------------
from tests.services_wordpress import wordpress, wordpress_server  # noqa: E402, F401


@pytest.fixture(scope="module")
def apertium() -> Iterator[ApertiumEngine]:
    """Apertium with its pipelines kept up for the module."""
    engine = ApertiumEngine()
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def router() -> Iterator[Router]:
    """A router over Apertium alone, for the module (its analysers stay up)."""
    r = Router([ApertiumEngine()])
    yield r
    r.close()


@pytest.fixture(scope="module")
def backend() -> Iterator[Backend]:
    """Neutral-markup translation by Apertium, for the fake HTTP engine servers."""
    translate, router = apertium_backend()
    yield translate
    router.close()
