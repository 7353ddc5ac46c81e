"""``babelwire opml``: source lists in and out as OPML."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from babelwire.cli.common import app_context, echo_err, one_lang, open_store, split_langs


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

    with open_store() as store:
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
    with open_store() as store:
        data = export_opml(store.list_sources(), title=f"{settings.site_title} sources",
                           now=datetime.now(UTC))
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        output.write_bytes(data)
        echo_err(f"wrote {output}")
