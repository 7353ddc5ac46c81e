"""The ``babelwire`` command line (contract in DESIGN.md): one module per group of commands."""

from __future__ import annotations

import sys

import click

from babelwire.cli.common import cli
from babelwire.cli.demo import demo
from babelwire.cli.engines import engines
from babelwire.cli.extract import extract
from babelwire.cli.glossary import glossary
from babelwire.cli.models import models
from babelwire.cli.opml import opml
from babelwire.cli.run import run
from babelwire.cli.serve import serve
from babelwire.cli.settings import show_settings
from babelwire.cli.sources import sources
from babelwire.cli.stories import stories
from babelwire.cli.takedown import takedown
from babelwire.cli.targets import targets
from babelwire.cli.tokens import tokens
from babelwire.cli.translate import translate
from babelwire.cli.usage import usage
from babelwire.cli.workers import scheduler, worker
from babelwire.exceptions import BabelwireError
from babelwire.run.malloc import fix_mmap_threshold, limit_arenas

for command in (extract, translate, sources, glossary, run, serve, demo, engines,
                show_settings, tokens, opml, worker, scheduler, usage, models, takedown, stories,
                targets):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    """Run the command line: exit 0 on success, 1 on failure, 2 on bad usage, 130 on Ctrl-C."""
    limit_arenas()
    fix_mmap_threshold()
    try:
        cli.main(args=argv, prog_name="babelwire", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):
        click.echo("babelwire: interrupted", err=True)
        sys.exit(130)
    except BabelwireError as exc:
        click.echo(f"babelwire: error: {exc}", err=True)
        sys.exit(1)
    sys.exit(0)


__all__ = ["cli", "main"]
