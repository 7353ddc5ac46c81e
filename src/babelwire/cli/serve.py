"""``babelwire serve``: the translated site, its feeds and the JSON API."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from babelwire.cli.common import app_context, echo_err
from babelwire.settings import Settings

if TYPE_CHECKING:  # imported inside the commands so that --help stays fast
    pass


def serve_site(settings: Settings, host: str, port: int) -> None:
    """Serve the site, feeds and API with uvicorn until Ctrl-C."""
    import uvicorn

    from babelwire.publish.app import create_app

    echo_err(f"serving http://{host}:{port}/  (Ctrl-C to stop)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


@click.command()
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default 8000).")
def serve(host: str | None, port: int | None) -> None:
    """Serve the translated site, its feeds and the JSON API."""
    settings = app_context().settings
    serve_site(settings, host or settings.host, port or settings.port)
