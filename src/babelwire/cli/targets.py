"""``babelwire targets``: publish into sites people already run (WordPress over its REST API).

The application password is read from a file at each use; it is never stored, logged or shown
(``targets list`` shows the file and a mask).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import click

from babelwire.cli.common import app_context, echo_err, split_langs

if TYPE_CHECKING:
    from babelwire.store import Store
    from babelwire.store.targets import TargetInfo

MASK = "••••••••"


def _store() -> Store:
    from babelwire.store import Store

    return Store(app_context().settings.db_url)


@click.group()
def targets() -> None:
    """Publish translations into other sites (WordPress over its REST API)."""


@targets.command("add")
@click.argument("kind", type=click.Choice(["wordpress"]))
@click.argument("url")
@click.option("--user", required=True, help="The WordPress user posts are made as (an Editor).")
@click.option("--app-password-file", "password_file", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="File holding the user's application password (read at each use, never "
                   "stored or shown).")
@click.option("--languages", required=True, callback=split_langs, metavar="LANG[,LANG...]",
              help="Languages whose translations go to this site.")
@click.option("--drafts", is_flag=True,
              help="Send held translations as drafts (never published) for review there.")
def add(kind: str, url: str, user: str, password_file: Path, languages: tuple[str, ...],
        drafts: bool) -> None:
    """Add (or change) a target at URL; its backlog is sent at the next run or `targets sync`."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter("expected an http:// or https:// URL", param_hint="URL")
    store = _store()
    try:
        target = store.add_target(kind, url.rstrip("/"), user, str(password_file.resolve()),
                                  languages, drafts=drafts)
    finally:
        store.close()
    echo_err(f"target {target.id}: {target.url} as {target.user} "
             f"({','.join(target.languages)}{', drafts' if target.drafts else ''})")


@targets.command("list")
def list_targets() -> None:
    """List targets and where their posts stand; the password is never shown."""
    store = _store()
    try:
        for target in store.list_targets():
            counts = store.target_counts(target.id)
            click.echo(f"{target.id}  {target.kind}  {target.url}  user={target.user}  "
                       f"password={MASK} (file {target.password_file})  "
                       f"languages={','.join(target.languages)}"
                       f"{'  drafts' if target.drafts else ''}  "
                       f"published={counts.published} drafts={counts.drafts} "
                       f"trashed={counts.trashed} waiting={counts.pending} "
                       f"failed={counts.failed}")
            for error in counts.errors[:5]:
                click.echo(f"    ! {error}")
    finally:
        store.close()


def _target(store: Store, ref: str) -> TargetInfo:
    target = store.get_target(ref)
    if target is None:
        raise click.BadParameter(f"no target {ref!r} (see `babelwire targets list`)",
                                 param_hint="TARGET")
    return target


@targets.command("remove")
@click.argument("ref", metavar="TARGET")
def remove(ref: str) -> None:
    """Stop publishing into TARGET (its id or URL); its posts stay on the site."""
    store = _store()
    try:
        target = _target(store, ref)
        store.remove_target(target.id)
    finally:
        store.close()
    echo_err(f"removed target {target.id}: {target.url} (its posts stay there)")


@targets.command("test")
@click.argument("ref", metavar="TARGET")
def test(ref: str) -> None:
    """Check that TARGET answers, knows the user and lets it post, upload and make terms."""
    from babelwire.targets.sync import check_target

    store = _store()
    try:
        target = _target(store, ref)
    finally:
        store.close()
    for line in check_target(app_context().settings, target):
        click.echo(line)


@targets.command("sync")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Bring at most this many posts in step per target.")
def sync(limit: int | None) -> None:
    """Bring every target in step now: new translations, edits, drafts, takedowns, in order."""
    from babelwire.exceptions import BabelwireError
    from babelwire.sources.fetch import Fetcher
    from babelwire.targets.sync import image_fetcher, named, sync_targets

    settings = app_context().settings
    store = _store()
    fetcher = Fetcher(settings)
    try:
        reports = sync_targets(settings, store, image_fetcher(fetcher), progress=echo_err,
                               limit=limit)
    finally:
        fetcher.close()
        store.close()
    for report in reports:
        done = ", ".join(f"{n} {what}" for what, n in sorted(report.done.items())) or "nothing"
        echo_err(f"{report.target}: {done}" + (f"; {len(report.errors)} error(s)"
                                                if report.errors else ""))
    stopped = [named(r.target, r.stopped) for r in reports if r.stopped]
    if stopped:
        raise BabelwireError("; ".join(stopped))
