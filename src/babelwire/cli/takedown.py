"""``babelwire takedown``: remove an article from the site, feeds and API for good."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import click

from babelwire.cli.common import app_context, echo_err

if TYPE_CHECKING:  # imported inside the command so that --help stays fast
    from babelwire.store.takedown import TakedownInfo, TakedownResult


@click.command()
@click.argument("url", required=False)
@click.option("--reason", default="", help="Why (a complaint, a court order...); kept with it.")
@click.option("--list", "show_list", is_flag=True, help="List every taken-down address.")
def takedown(url: str | None, reason: str, show_list: bool) -> None:
    """Take the article at URL down: its translations leave the site, feeds, search and API at
    once, and it is never fetched or published again.

    URL may be the address the feed gave, the page's final address or the article's canonical
    address (the original publisher's); http/https, www. and tracking parameters do not matter.
    """
    from babelwire.store import Store

    if show_list == (url is not None):
        raise click.UsageError("give a URL to take down, or --list")
    if url is not None:
        _check_url(url)
    store = Store(app_context().settings.db_url)
    try:
        if url is None:
            for info in store.list_takedowns():
                click.echo(_line(info))
            return
        result = store.take_down(url, reason)
    finally:
        store.close()
    echo_err(_summary(result))


def _check_url(url: str) -> None:
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise click.BadParameter(f"not an http(s) address: {url!r}", param_hint="URL")


def _line(info: TakedownInfo) -> str:
    when = info.created_at.strftime("%Y-%m-%d %H:%M") if info.created_at else "?"
    return f"{when}  {info.url}" + (f"  ({info.reason})" if info.reason else "")


def _summary(result: TakedownResult) -> str:
    head = "taken down" if result.new else "already taken down"
    items = len(result.items)
    return (f"{head}: {result.takedown.url} -- {items} article(s) withdrawn, "
            f"{result.translations} translation(s) deleted; it will not be fetched again")
