"""``babelwire tokens`` (editors' access tokens) and ``babelwire opml`` (source lists)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from babelwire.cli.common import app_context, echo_err, one_lang, split_langs

if TYPE_CHECKING:  # imported inside the commands so that --help stays fast
    from babelwire.store import Store
    from babelwire.store.tokens import TokenInfo


@contextmanager
def _store() -> Iterator[Store]:
    from babelwire.store import Store

    store = Store(app_context().settings.db_url)
    try:
        yield store
    finally:
        store.close()


@click.group()
def tokens() -> None:
    """Manage the access tokens that open the review and admin pages (/admin/)."""


@tokens.command("create")
@click.argument("name")
def create(name: str) -> None:
    """Create a token for NAME (an editor or a script) and print it once.

    Only a hash of the token is stored: copy it now, it cannot be shown again.
    """

    with _store() as store:
        info, secret = store.create_token(name)
    echo_err(f"Token #{info.id} for {info.name!r} created. It is shown only this once:")
    click.echo(secret)
    echo_err("Sign in at /admin/login with it, or send it as `Authorization: Bearer TOKEN`.")


def _line(t: TokenInfo) -> str:
    def day(when: datetime | None) -> str:
        return when.strftime("%Y-%m-%d %H:%M") if when else "never"

    state = "active" if t.active else f"revoked {day(t.revoked_at)}"
    return (f"#{t.id:<3} {t.name}  ({state}; created {day(t.created_at)}, "
            f"last used {day(t.last_used_at)})")


@tokens.command("list")
def list_tokens() -> None:
    """List tokens (never the tokens themselves: they are not stored)."""

    with _store() as store:
        rows = store.list_tokens()
    if not rows:
        click.echo("No tokens yet. Create one with `babelwire tokens create NAME`.")
    for row in rows:
        click.echo(_line(row))


@tokens.command("revoke")
@click.argument("ref", metavar="ID|NAME")
def revoke(ref: str) -> None:
    """Revoke a token by id or name: it and every browser signed in with it stop at once."""

    with _store() as store:
        revoked = store.revoke_token(ref)
    if not revoked:
        raise click.BadParameter(f"no active token {ref!r}", param_hint="ID|NAME")
    for row in revoked:
        click.echo(f"Revoked token #{row.id} ({row.name}).")


@click.group()
def opml() -> None:
    """Import sources from an OPML subscription list, or export them as one."""


@opml.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--to", "targets", required=True, callback=split_langs, metavar="LANG[,LANG...]",
              help="Languages to translate the imported sources into (unless an outline "
                   "names its own).")
@click.option("--from", "source_lang", callback=one_lang, metavar="LANG",
              help="Language of the sources (default: the outline's, else detected).")
def import_file(path: Path, targets: tuple[str, ...], source_lang: str | None) -> None:
    """Follow every feed listed in the OPML file PATH; report each outline's outcome."""
    from babelwire.publish.opml import import_opml

    with _store() as store:
        report = import_opml(store, path.read_bytes(), targets=targets,
                             source_lang=source_lang or "")
    if report.warning:
        echo_err(f"warning: {report.warning}")
    for r in report.results:
        click.echo(f"line {r.line}: {r.outcome}: {r.name or '(no name)'} <{r.url}> {r.detail}")
    click.echo(f"{report.count('added')} added, {report.count('exists')} already followed, "
               f"{report.count('skipped')} duplicate(s), {report.count('error')} error(s).")


@opml.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (default: standard output).")
def export_file(output: Path | None) -> None:
    """Write every source as an OPML 2.0 subscription list."""
    from babelwire.publish.opml import export_opml

    settings = app_context().settings
    with _store() as store:
        data = export_opml(store.list_sources(), title=f"{settings.site_title} sources",
                           now=datetime.now(UTC))
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        output.write_bytes(data)
        echo_err(f"wrote {output}")
