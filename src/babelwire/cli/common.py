"""The root command, its global options, and helpers every command uses."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from babelwire import __version__
from babelwire.exceptions import ConfigError
from babelwire.settings import Settings, load

if TYPE_CHECKING:  # imported when a command opens it, so that --help stays fast
    from babelwire.store import Store

LANG_CODES = frozenset([
    "af", "ar", "bg", "bn", "ca", "cs", "cy", "da", "de", "el", "en", "eo", "es", "et", "eu",
    "fa", "fi", "fr", "ga", "gl", "he", "hi", "hr", "hu", "id", "is", "it", "ja", "ko", "lt",
    "lv", "mk", "ms", "mt", "nb", "nl", "nn", "no", "pl", "pt", "ro", "ru", "sk", "sl", "sq",
    "sr", "sv", "sw", "ta", "th", "tl", "tr", "uk", "ur", "vi", "zh",
])


@dataclass
class AppContext:
    """What the root command hands to every subcommand: settings, loaded on first use."""

    home: Path | None
    overrides: dict[str, str] = field(default_factory=dict)
    _settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        """Settings from defaults, file, environment and ``--set`` options."""
        if self._settings is None:
            self._settings = load(self.overrides, home=self.home)
        return self._settings


def parse_overrides(values: tuple[str, ...]) -> dict[str, str]:
    """Turn ``NAME=VALUE`` options into a dict, refusing malformed ones."""
    out = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint="--set")
        out[name.strip().replace("-", "_")] = setting
    return out


def split_langs(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...]:
    """Validate a comma-separated list of ISO 639-1 language codes."""
    if value is None:
        return ()
    langs = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    bad = [lang for lang in langs if lang not in LANG_CODES]
    if bad or not langs:
        raise click.BadParameter(f"not a language code: {', '.join(bad) or value!r} "
                                 "(use ISO 639-1 codes such as en, es, fr)")
    return langs


def one_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Validate a single ISO 639-1 language code."""
    if value is None:
        return None
    langs = split_langs(ctx, param, value)
    if len(langs) != 1:
        raise click.BadParameter("give one language code")
    return langs[0]


def echo_err(line: str) -> None:
    """Progress and diagnostics go to standard error, results to standard output."""
    click.echo(line, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--home", type=click.Path(path_type=Path, file_okay=False),
              help="Data directory (default: $BABELWIRE_HOME, else ~/.local/share/babelwire).")
@click.option("--set", "-s", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a setting for this command (repeatable); see `babelwire settings`.")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(__version__, prog_name="babelwire")
@click.pass_context
def cli(ctx: click.Context, home: Path | None, overrides: tuple[str, ...], verbose: int) -> None:
    """babelwire follows news sources in any language, extracts each article, translates it
    faithfully (names, links and formatting intact) and republishes it as a site, feeds and an
    API, with attribution and a machine-translation notice.

    \b
    Quick start:
      babelwire demo                         sample sources, translated and served, offline
      babelwire sources add URL --to en,fr   follow a feed (or a single article URL)
      babelwire run                          poll sources and translate new articles
      babelwire serve                        the site at http://127.0.0.1:8000
    """
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = AppContext(home=home, overrides=parse_overrides(overrides))


def app_context() -> AppContext:
    """The current command's AppContext."""
    obj = click.get_current_context().find_object(AppContext)
    if obj is None:
        raise ConfigError("no command context")
    return obj


@contextmanager
def open_store() -> Iterator[Store]:
    """The store of the current settings, closed when the block ends."""
    from babelwire.store import Store

    store = Store(app_context().settings.db_url)
    try:
        yield store
    finally:
        store.close()
