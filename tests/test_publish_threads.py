"""``serve_threads``: how many threads of a serving process run the site's handlers."""

from __future__ import annotations

from pathlib import Path

from anyio import to_thread
from fastapi import APIRouter

from babelwire.publish import create_app
from babelwire.store import Store
from tests.helpers.site import TestClient, site_settings


def test_the_handlers_thread_pool_has_serve_threads_threads(tmp_path: Path) -> None:
    probe = APIRouter()

    @probe.get("/probe/limit")
    async def limit() -> dict[str, float]:
        return {"tokens": to_thread.current_default_thread_limiter().total_tokens}

    for threads in (1, 3):
        settings = site_settings(tmp_path / str(threads), serve_threads=threads)
        store = Store(settings.db_url)
        try:
            app = create_app(settings, store, routers=[probe])
            with TestClient(app) as client:
                assert client.get("/probe/limit").json() == {"tokens": threads}
                assert client.get("/healthz").status_code == 200
        finally:
            store.close()
