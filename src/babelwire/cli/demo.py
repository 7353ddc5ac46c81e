"""``babelwire demo``: sample news sites played by a local server, followed, translated and
served."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import click

from babelwire.cli.common import app_context, echo_err
from babelwire.cli.run import run_pipeline, summary_lines
from babelwire.cli.serve import serve_site
from babelwire.demo.sites import SampleSitesServer, load_sites
from babelwire.exceptions import BabelwireError
from babelwire.settings import Settings

if TYPE_CHECKING:  # imported when the demo runs, so that --help stays fast
    from babelwire.store import Store


def demo_settings(settings: Settings, sites_port: int) -> Settings:
    """The user's settings, moved to HOME/demo and allowed to reach only the local sample server."""
    return settings.replace(home=settings.home / "demo", database_url="",
                            allowed_hosts=(f"127.0.0.1:{sites_port}",), per_host_delay=0.0)


# The sample pages are saved copies of public test pages (most are all rights reserved, some
# paywalled), served and translated on the user's own machine: nothing leaves it, so the demo
# declares ``full`` for its sources, as an operator with permission would, and says why.
DEMO_REASON = ("demo: saved copies of public test pages, served by a local server and read "
               "only on this machine, not republished")


def subscribe(store: Store, server: SampleSitesServer) -> int:
    """Follow every sample site, declared ``full`` (idempotent); returns how many were new."""
    created = 0
    for site in load_sites(server.data):
        _, new = store.add_source(server.feed_url(site), targets=site.targets, name=site.name,
                                  kind="feed", source_lang=site.lang, republish="full",
                                  republish_reason=DEMO_REASON)
        created += new
    return created


def run_demo(settings: Settings, *, once: bool, port: int, sites_port: int) -> None:
    """Run the demo; with ``once``, process everything, print a summary and return."""
    from babelwire.store import Store

    settings = demo_settings(settings, sites_port)
    try:
        server = SampleSitesServer(sites_port).start()
    except OSError as exc:
        raise BabelwireError(f"cannot start the sample sites on port {sites_port}: {exc} "
                             "(use --sites-port)") from exc
    store = Store(settings.db_url)
    try:
        sites = load_sites(server.data)
        echo_err(f"demo data in {settings.home}")
        echo_err(f"sample sites at {server.base}: "
                 + ", ".join(f"{s.name} ({s.lang}, {s.pages} pages)" for s in sites))
        subscribe(store, server)
        report = run_pipeline(settings, store, once=True)
        for line in summary_lines(store, report):
            echo_err(line)
        if report.worked == 0 and not report.interrupted:
            echo_err("nothing new: every sample article is already translated")
        if not once and not report.interrupted:
            _serve_while_running(settings, store, port)
    finally:
        store.close()
        server.stop()


def _serve_while_running(settings: Settings, store: Store, port: int) -> None:
    from babelwire.run.runner import Runner

    runner = Runner(settings, store, progress=echo_err)
    worker = threading.Thread(target=runner.run, kwargs={"once": False}, daemon=True,
                              name="babelwire-runner")
    worker.start()
    try:
        serve_site(settings, "127.0.0.1", port)
    finally:
        runner.stop.set()
        worker.join(timeout=30)
        runner.close()


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
    run_demo(app_context().settings, once=once, port=port, sites_port=sites_port)
