"""``babelwire run``: poll the sources and work their items until Ctrl-C (or once)."""

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
