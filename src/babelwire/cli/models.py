"""``babelwire models``: local neural models for the ctranslate2 engine."""

from __future__ import annotations

from pathlib import Path

import click

from babelwire.cli.common import app_context


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
