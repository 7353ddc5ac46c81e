"""``serve_threads``: how many threads of a serving process run the site's handlers."""

from __future__ import annotations

import threading
from pathlib import Path

from anyio import to_thread
from fastapi import APIRouter

from babelwire.publish import create_app
from babelwire.store import Store
from tests.helpers.site import TestClient, site_settings


def test_the_handlers_thread_pool_has_serve_threads_threads(tmp_path: Path) -> None:
    probe = APIRouter()
    seen: set[int] = set()

    @probe.get("/probe/limit")
    async def limit() -> dict[str, float]:
        return {"tokens": to_thread.current_default_thread_limiter().total_tokens}

    @probe.get("/probe/thread")
    def thread() -> dict[str, int]:   # a plain handler, as the site's: run in the pool
        seen.add(threading.get_ident())
        return {"thread": threading.get_ident()}

    for threads in (1, 3):
        settings = site_settings(tmp_path / str(threads), serve_threads=threads)
        store = Store(settings.db_url)
        try:
            app = create_app(settings, store, routers=[probe])
            with TestClient(app) as client:
                assert client.get("/probe/limit").json() == {"tokens": threads}
                assert client.get("/healthz").status_code == 200
                seen.clear()
                for _ in range(5):
                    assert client.get("/probe/thread").status_code == 200
                assert 1 <= len(seen) <= threads
        finally:
            store.close()
