"""The demo: sample news sites played by a local server, followed, translated and served."""

from __future__ import annotations

import threading

from babelwire.cli.common import echo_err
from babelwire.cli.running import run_pipeline, serve_site, summary_lines
from babelwire.demo.sites import SampleSitesServer, load_sites
from babelwire.exceptions import BabelwireError
from babelwire.run.runner import Runner
from babelwire.settings import Settings
from babelwire.store import Store


def demo_settings(settings: Settings, sites_port: int) -> Settings:
    """The user's settings, moved to HOME/demo and allowed to reach only the local sample server."""
    return settings.replace(home=settings.home / "demo", database_url="",
                            allowed_hosts=(f"127.0.0.1:{sites_port}",), per_host_delay=0.0)


def subscribe(store: Store, server: SampleSitesServer) -> int:
    """Follow every sample site (idempotent); returns how many were new."""
    created = 0
    for site in load_sites(server.data):
        _, new = store.add_source(server.feed_url(site), targets=site.targets, name=site.name,
                                  kind="feed", source_lang=site.lang)
        created += new
    return created


def run_demo(settings: Settings, *, once: bool, port: int, sites_port: int) -> None:
    """Run the demo; with ``once``, process everything, print a summary and return."""
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
