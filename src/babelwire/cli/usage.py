"""``babelwire usage``: what the engines cost, per engine, source and day."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from babelwire.cli.common import app_context

if TYPE_CHECKING:  # imported inside the commands so that --help stays fast
    from babelwire.models import Counts


@click.command()
@click.option("--days", default=30, show_default=True, type=click.IntRange(min=1),
              help="How many days back, today included.")
@click.option("--by-day", is_flag=True, help="One line per day.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
def usage(days: int, by_day: bool, as_json: bool) -> None:
    """What each engine spent: calls, segments, characters, tokens and seconds, by source."""
    from babelwire.store import Store
    from babelwire.translate.usage import totals_by_engine

    settings = app_context().settings
    store = Store(settings.db_url)
    try:
        lines = store.usage(days, by_day=by_day)
    finally:
        store.close()
    if as_json:
        for line in lines:
            click.echo(json.dumps({"engine": line.engine, "source_id": line.source_id,
                                   "source": line.source_name,
                                   "day": line.day.isoformat() if line.day else None,
                                   **vars(line.counts)}, ensure_ascii=False))
        return
    if not lines:
        click.echo(f"no engine usage in the last {days} day(s)")
        return
    click.echo(f"{'engine':<15} {'source':<28} {'day':<10} {'calls':>6} {'segments':>9} "
               f"{'chars':>9} {'tokens in/out':>15} {'seconds':>8} {'memory':>7} {'fail':>4}")
    for line in lines:
        click.echo(_row(line.engine, line.source_name or ("-" if not line.source_id
                                                          else f"#{line.source_id}"),
                        line.day.isoformat() if line.day else "", line.counts))
    for engine, counts in totals_by_engine(lines).items():
        click.echo(_row(engine, "= total", "", counts))


def _row(engine: str, source: str, day: str, c: Counts) -> str:
    tokens = f"{c.tokens_in}/{c.tokens_out}" if c.tokens_in or c.tokens_out else "-"
    return (f"{engine:<15} {source[:28]:<28} {day:<10} {c.calls:>6} {c.segments:>9} "
            f"{c.characters:>9} {tokens:>15} {c.seconds:>8.1f} {c.memory_hits:>7} "
            f"{c.failures:>4}")
