"""``babelwire engines``: what can translate here."""

from __future__ import annotations

import click

from babelwire.cli.common import app_context


@click.command()
def engines() -> None:
    """List translation engines: available or not, the pairs they serve, what to install."""
    from babelwire.translate.engines.registry import describe_engines

    settings = app_context().settings
    for status in describe_engines(settings):
        mark = "available" if status.available else "unavailable"
        click.echo(f"{status.name}: {mark}")
        if status.pairs:
            click.echo("  pairs: " + ", ".join(f"{s}→{t}" for s, t in sorted(status.pairs)))
        if status.pivots:
            click.echo("  via pivot: " + ", ".join(status.pivots))
        if not status.available and status.hint:
            click.echo(f"  to enable: {status.hint}")
