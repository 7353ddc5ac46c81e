"""``babelwire tokens``: the access tokens that open the review and admin pages."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import click

from babelwire.cli.common import echo_err, open_store

if TYPE_CHECKING:  # imported inside the commands so that --help stays fast
    from babelwire.store.tokens import TokenInfo


@click.group()
def tokens() -> None:
    """Manage the access tokens that open the review and admin pages (/admin/)."""


@tokens.command("create")
@click.argument("name")
def create(name: str) -> None:
    """Create a token for NAME (an editor or a script) and print it once.

    Only a hash of the token is stored: copy it now, it cannot be shown again.
    """

    with open_store() as store:
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

    with open_store() as store:
        rows = store.list_tokens()
    if not rows:
        click.echo("No tokens yet. Create one with `babelwire tokens create NAME`.")
    for row in rows:
        click.echo(_line(row))


@tokens.command("revoke")
@click.argument("ref", metavar="ID|NAME")
def revoke(ref: str) -> None:
    """Revoke a token by id or name: it and every browser signed in with it stop at once."""

    with open_store() as store:
        revoked = store.revoke_token(ref)
    if not revoked:
        raise click.BadParameter(f"no active token {ref!r}", param_hint="ID|NAME")
    for row in revoked:
        click.echo(f"Revoked token #{row.id} ({row.name}).")
