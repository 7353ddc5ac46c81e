"""``babelwire glossary``: terms never to translate, or to translate one fixed way."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from babelwire.cli.common import app_context, one_lang

if TYPE_CHECKING:  # imported inside the commands so that --help stays fast
    from babelwire.models import GlossaryEntry
    from babelwire.store import Store


@click.group()
def glossary() -> None:
    """Manage the glossary (global, or per source with --source ID).

    Names the automatic detection misses go here ("Wired", "The Information"), and terms that
    must always be translated one way ("Board of Directors" -> "Consejo de Administración").
    """


@glossary.command("add")
@click.argument("term")
@click.option("--as", "translation", metavar="TEXT",
              help="Always translate TERM as TEXT (needs --to); without --as TERM is kept as is.")
@click.option("--from", "source_lang", callback=one_lang, metavar="LANG",
              help="Only when translating from LANG.")
@click.option("--to", "target_lang", callback=one_lang, metavar="LANG",
              help="Only when translating into LANG.")
@click.option("--source", "source_id", type=int, metavar="ID", help="Only for this source.")
@click.option("--ignore-case", is_flag=True, help="Match TERM whatever its case.")
def add(term: str, translation: str | None, source_lang: str | None, target_lang: str | None,
        source_id: int | None, ignore_case: bool) -> None:
    """Add TERM to the glossary (adding it again updates it)."""
    from babelwire.models import GlossaryEntry

    if translation and not target_lang:
        raise click.UsageError("--as needs --to: a fixed translation is for one target language")
    store = _store(source_id)
    try:
        stored = store.add_term(GlossaryEntry(
            term=term, source_lang=source_lang or "", target_lang=target_lang or "",
            translation=translation, case_sensitive=not ignore_case), source_id=source_id)
    finally:
        store.close()
    click.echo(f"#{stored.id} {_describe(stored.entry)}")


@glossary.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", "source_id", type=int, metavar="ID", help="Only for this source.")
def import_file(path: Path, source_id: int | None) -> None:
    """Import terms from a TOML or CSV file (format: see the glossary section of the README)."""
    from babelwire.translate.glossary import load_glossary_file

    entries = load_glossary_file(path)
    store = _store(source_id)
    try:
        count = store.import_terms(entries, source_id=source_id)
    finally:
        store.close()
    click.echo(f"imported {count} term(s) from {path}")


@glossary.command("list")
@click.option("--source", "source_id", type=int, metavar="ID",
              help="Global terms plus this source's.")
def list_glossary(source_id: int | None) -> None:
    """List glossary terms."""

    store = _store(source_id)
    try:
        terms = store.list_terms(source_id=source_id)
    finally:
        store.close()
    if not terms:
        click.echo("The glossary is empty. Add a term with `babelwire glossary add TERM`.")
    for t in terms:
        scope = f" (source #{t.source_id})" if t.source_id else ""
        click.echo(f"#{t.id} {_describe(t.entry)}{scope}")


@glossary.command("remove")
@click.argument("term_id", type=int, metavar="ID")
def remove(term_id: int) -> None:
    """Remove a term by its id (see `glossary list`)."""

    store = _store(None)
    try:
        if not store.remove_term(term_id):
            raise click.BadParameter(f"no glossary term #{term_id}", param_hint="ID")
    finally:
        store.close()
    click.echo(f"removed #{term_id}")


def _store(source_id: int | None) -> Store:
    from babelwire.store import Store

    store = Store(app_context().settings.db_url)
    if source_id is not None and store.get_source(source_id) is None:
        store.close()
        raise click.BadParameter(f"no source #{source_id}", param_hint="--source")
    return store


def _describe(entry: GlossaryEntry) -> str:
    pair = f"{entry.source_lang or '*'}→{entry.target_lang or '*'}"
    action = f"→ {entry.translation!r}" if entry.translation else "kept as is"
    case = "" if entry.case_sensitive else ", any case"
    return f"{entry.term!r} {action} [{pair}{case}]"
