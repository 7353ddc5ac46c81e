"""``babelwire settings``: every setting, its value and its help."""

from __future__ import annotations

import click

from babelwire.cli.common import app_context


@click.command("settings")
def show_settings() -> None:
    """Show every setting: its current value (after file, environment and --set) and help."""
    from babelwire.settings import describe

    current = app_context().settings
    for name, default, help_text in describe():
        value = getattr(current, name)
        marker = "" if value == default else f"   (default: {default!r})"
        click.echo(f"{name} = {value!r}{marker}\n    {help_text}")
