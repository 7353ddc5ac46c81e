"""``babelwire sources``: follow, list, pause, resume and remove sources."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import click

from babelwire.cli.common import app_context, one_lang, split_langs

if TYPE_CHECKING:
    from babelwire.store import Store


def _store() -> Store:
    from babelwire.store import Store

    return Store(app_context().settings.db_url)


@click.group()
def sources() -> None:
    """Manage followed sources (feeds or single article URLs)."""


@sources.command("add")
@click.argument("url")
@click.option("--to", "targets", required=True, callback=split_langs, metavar="LANG[,LANG...]",
              help="Languages to translate the source's articles into.")
@click.option("--name", default="", help="Display name (default: the URL until the feed names it).")
@click.option("--from", "source_lang", callback=one_lang, metavar="LANG",
              help="Language of the source (default: detected per article).")
def add(url: str, targets: tuple[str, ...], name: str, source_lang: str | None) -> None:
    """Follow URL: an RSS, Atom or JSON feed, or a single article page (told apart on first poll).

    Adding a source again updates its targets and name; its items are kept.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter("expected an http:// or https:// URL", param_hint="URL")
    store = _store()
    try:
        source, created = store.add_source(url, targets=targets, name=name,
                                           source_lang=source_lang or "")
    finally:
        store.close()
    verb = "Added" if created else "Updated"
    click.echo(f"{verb} source #{source.id} {source.url} → {', '.join(source.targets)}")
    if created:
        click.echo("Run `babelwire run --once` to fetch and translate it now.")


@sources.command("list")
def list_sources() -> None:
    """List followed sources with their state and last error."""
    store = _store()
    try:
        rows = store.list_sources()
    finally:
        store.close()
    if not rows:
        click.echo("No sources yet. Add one with `babelwire sources add URL --to LANG`.")
        return
    for s in rows:
        polled = s.last_polled_at.strftime("%Y-%m-%d %H:%M") if s.last_polled_at else "never"
        status = "active" if s.active else "paused"
        click.echo(f"#{s.id:<3} {s.name or s.url}\n     {s.url}\n     {s.kind}, {status}, "
                   f"→ {','.join(s.targets)}, {s.items} items, polled {polled}")
        if s.last_error:
            click.echo(f"     last error ({s.error_count}x): {s.last_error}")


def _set_active(source_id: int, active: bool) -> None:
    store = _store()
    try:
        if store.get_source(source_id) is None:
            raise click.BadParameter(f"no source #{source_id}", param_hint="ID")
        store.set_source_active(source_id, active)
    finally:
        store.close()
    click.echo(f"Source #{source_id} {'resumed' if active else 'paused'}.")


@sources.command("pause")
@click.argument("source_id", type=int, metavar="ID")
def pause(source_id: int) -> None:
    """Stop polling a source (its published articles stay)."""
    _set_active(source_id, False)


@sources.command("resume")
@click.argument("source_id", type=int, metavar="ID")
def resume(source_id: int) -> None:
    """Poll a paused source again."""
    _set_active(source_id, True)


@sources.command("remove")
@click.argument("source_id", type=int, metavar="ID")
@click.confirmation_option(prompt="Remove the source with all its articles and translations?")
def remove(source_id: int) -> None:
    """Stop following a source and delete its articles and translations."""
    store = _store()
    try:
        if store.get_source(source_id) is None:
            raise click.BadParameter(f"no source #{source_id}", param_hint="ID")
        store.remove_source(source_id)
    finally:
        store.close()
    click.echo(f"Source #{source_id} removed.")
