"""``babelwire sources``: follow, list, pause, resume and remove sources."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import click

from babelwire.cli.common import app_context, one_lang, split_langs
from babelwire.models import Mode
from babelwire.rights.policy import parse_mode, source_mode

if TYPE_CHECKING:
    from babelwire.store import Store


def _store() -> Store:
    from babelwire.store import Store

    return Store(app_context().settings.db_url)


REPUBLISH_CHOICES = ("auto", *(m.value for m in Mode))


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
@click.option("--republish", type=click.Choice(REPUBLISH_CHOICES), default=None,
              help="Declare how much of the source to republish, whatever its pages say: "
                   "full, excerpt, headline, none; auto takes a declaration back (each page's "
                   "licence, paywall and robots rules decide).")
@click.option("--reason", default="", metavar="TEXT",
              help='Why the mode is declared, stored and shown with it (needed with '
                   '--republish): "permission from the publisher, 2026-12-01".')
def add(url: str, targets: tuple[str, ...], name: str, source_lang: str | None,
        republish: str | None, reason: str) -> None:
    """Follow URL: an RSS, Atom or JSON feed, or a single article page (told apart on first poll).

    Adding a source again updates its targets and name (and its declared mode, if given); its
    items are kept.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter("expected an http:// or https:// URL", param_hint="URL")
    declared = _declared(republish, reason)
    store = _store()
    try:
        source, created = store.add_source(url, targets=targets, name=name,
                                           source_lang=source_lang or "", republish=declared,
                                           republish_reason=reason.strip())
        requeued = store.retranslate_untranslated(source.id) \
            if declared is not None and declared != Mode.NONE and not created else 0
    finally:
        store.close()
    verb = "Added" if created else "Updated"
    click.echo(f"{verb} source #{source.id} {source.url} → {', '.join(source.targets)}")
    if declared is not None:
        click.echo(f"Republishing: {source.republish or 'auto (each page decides)'}"
                   + (f" ({source.republish_reason})" if source.republish_reason else ""))
    if requeued:
        click.echo(f"{requeued} article(s) not translated under `none` will be translated.")
    if created:
        click.echo("Run `babelwire run --once` to fetch and translate it now.")


def _declared(republish: str | None, reason: str) -> str | None:
    """The mode to store ("" for auto), None when none was given; a mode needs a reason."""
    if republish is None:
        if reason.strip():
            raise click.UsageError("--reason goes with --republish")
        return None
    mode = parse_mode(republish)
    if mode is not None and not reason.strip():
        raise click.UsageError("--republish needs --reason: who allowed what, and when")
    return str(mode) if mode is not None else ""


@sources.command("list")
def list_sources() -> None:
    """List followed sources with their state, their republishing mode and why, and their last
    error."""
    store = _store()
    try:
        rows, pages = store.list_sources(), store.rights_by_source()
    finally:
        store.close()
    settings = app_context().settings
    if not rows:
        click.echo("No sources yet. Add one with `babelwire sources add URL --to LANG`.")
        return
    for s in rows:
        polled = s.last_polled_at.strftime("%Y-%m-%d %H:%M") if s.last_polled_at else "never"
        status = "active" if s.active else "paused"
        click.echo(f"#{s.id:<3} {s.name or s.url}\n     {s.url}\n     {s.kind}, {status}, "
                   f"→ {','.join(s.targets)}, {s.items} items, polled {polled}")
        mode, why = source_mode(s.republish, s.republish_reason, pages.get(s.id, []),
                                non_commercial=settings.non_commercial_site)
        click.echo(f"     republish: {mode} ({why})")
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
