"""``babelwire usage`` (what engines cost) and ``babelwire models`` (local neural models)."""

from __future__ import annotations

import json
from pathlib import Path
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


@click.group()
def models() -> None:
    """Local neural models for the ctranslate2 engine (Argos packages, CTranslate2 folders)."""


@models.command("install")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def install(archive: Path) -> None:
    """Install an Argos Translate package (FILE.argosmodel) into the models directory."""
    from babelwire.translate.engines.neural_models import install_package, models_dirs

    target = models_dirs(app_context().settings)[0]
    info = install_package(archive, target)
    click.echo(f"installed {info.src}→{info.tgt} {info.label} in {info.path.parent}")


@models.command("list")
def list_models() -> None:
    """List the models the ctranslate2 engine finds, and where it looks."""
    from babelwire.translate.engines.neural_models import find_models, models_dirs

    folders = models_dirs(app_context().settings)
    found = find_models(folders)
    for (src, tgt), info in sorted(found.items()):
        click.echo(f"{src}→{tgt}  {info.label}  {info.path}")
    if not found:
        click.echo("no model installed")
    click.echo("searched: " + ", ".join(str(d) for d in folders))
