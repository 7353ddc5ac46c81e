"""``babelwire run``, ``serve`` and ``demo``: the long-running commands."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING

import click

from babelwire.cli.common import app_context, echo_err
from babelwire.settings import Settings

if TYPE_CHECKING:  # imported inside the commands so that --help stays fast
    from babelwire.run.runner import RunReport
    from babelwire.store import Store


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """First Ctrl-C (or SIGTERM) asks for a clean stop after the current items; second one quits."""
    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        echo_err("stopping after the current items (Ctrl-C again to quit now)…")

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def summary_lines(store: Store, report: RunReport) -> list[str]:
    """A short account of this run and of the whole store."""
    counts = store.summary()
    items = counts["items"]
    translations = counts["translations"]
    lines = [
        f"this run: {report.polled} source poll(s), {report.new_items} new and "
        f"{report.changed_items} changed item(s), {report.worked} item(s) finished"
        + (f" ({', '.join(f'{n} {s}' for s, n in sorted(report.outcomes.items()))})"
           if report.outcomes else ""),
        f"store: {counts['sources']} source(s), {sum(items.values())} article(s) "
        f"({_fmt(items)}), {sum(translations.values())} translation(s) ({_fmt(translations)})",
    ]
    lines += [f"source error: {e}" for e in report.source_errors]
    return lines


def _fmt(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "none"


def run_pipeline(settings: Settings, store: Store, *, once: bool) -> RunReport:
    """Run the embedded pipeline with progress on standard error and clean Ctrl-C handling."""
    from babelwire.run.runner import Runner

    runner = Runner(settings, store, progress=echo_err)
    try:
        with stop_on_signals(runner.stop):
            return runner.run(once=once)
    finally:
        runner.close()


@click.command()
@click.option("--once", is_flag=True, help="Poll every source once, work every item, then exit.")
def run(once: bool) -> None:
    """Poll sources on their schedule and fetch, extract, translate and publish new articles."""
    from babelwire.store import Store

    settings = app_context().settings
    store = Store(settings.db_url)
    try:
        if not store.list_sources():
            echo_err("No sources yet: add one with `babelwire sources add URL --to LANG`.")
        report = run_pipeline(settings, store, once=once)
        for line in summary_lines(store, report):
            echo_err(line)
    finally:
        store.close()


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


@click.command()
@click.option("--once", is_flag=True, help="Process the sample sources, print a summary, exit.")
@click.option("--port", default=8000, show_default=True, help="Port of the translated site.")
@click.option("--sites-port", default=8765, show_default=True,
              help="Port of the local server playing the sample news sites.")
def demo(once: bool, port: int, sites_port: int) -> None:
    """Translate bundled sample news sites (es, fr, en) into en, es and fr and serve the result.

    Runs offline: a local server plays real saved news pages and their feeds; babelwire follows
    them like any source. Data goes to HOME/demo, apart from your own sources.
    """
    from babelwire.cli.demo import run_demo

    run_demo(app_context().settings, once=once, port=port, sites_port=sites_port)
