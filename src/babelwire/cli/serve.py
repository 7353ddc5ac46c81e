"""``babelwire serve``: the translated site, its feeds and the JSON API."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from babelwire.cli.common import app_context, echo_err
from babelwire.settings import Settings

if TYPE_CHECKING:  # imported inside the commands so that --help stays fast
    pass


def serve_site(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    """Serve the site, feeds and API with uvicorn until Ctrl-C, in ``workers`` processes."""
    import uvicorn

    from babelwire.publish.app import create_app, hand_down

    echo_err(f"serving http://{host}:{port}/ with {workers} process{'es' * (workers > 1)}"
             "  (Ctrl-C to stop)")
    if workers <= 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
        return
    # Several processes: uvicorn starts each from an import string, and each opens the store
    # with the settings this command read. The store is migrated here first, once, so that
    # the processes do not race to do it.
    hand_down(settings)
    uvicorn.run("babelwire.publish.app:handed_down_app", factory=True, host=host, port=port,
                workers=workers, log_level="warning")


@click.command()
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default 8000).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Processes serving the same address: one per core the site may use. "
                   "They share the store, its rate limits and sign-in throttles; each keeps "
                   "its own page cache.")
def serve(host: str | None, port: int | None, workers: int) -> None:
    """Serve the translated site, its feeds and the JSON API."""
    settings = app_context().settings
    serve_site(settings, host or settings.host, port or settings.port, workers)
