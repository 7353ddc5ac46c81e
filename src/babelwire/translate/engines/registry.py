"""Engines by name: a dict, not a plugin system (see STYLE.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from babelwire.exceptions import ConfigError, EngineUnavailable
from babelwire.settings import Settings
from babelwire.translate.engines.apertium import ApertiumEngine
from babelwire.translate.engines.base import PIVOTS, Translator


def _apertium(settings: Settings) -> Translator:
    return ApertiumEngine(modes_dir=settings.apertium_modes_dir)


ENGINES: dict[str, Callable[[Settings], Translator]] = {
    "apertium": _apertium,
}


@dataclass(frozen=True)
class EngineStatus:
    """Whether an engine can run here, the pairs it serves and, if not, what to install."""

    name: str
    available: bool
    pairs: frozenset[tuple[str, str]] = frozenset()
    pivots: tuple[str, ...] = ()            # "en→fr (via es)"
    hint: str = ""


def build_engines(settings: Settings) -> list[Translator]:
    """The engines named in ``settings.engines``, in order.

    An unknown name is a ``ConfigError``; an engine that cannot run here raises
    ``EngineUnavailable`` with a hint naming what to install.
    """
    unknown = [name for name in settings.engines if name not in ENGINES]
    if unknown:
        raise ConfigError(f"unknown engine(s): {', '.join(unknown)}; known: "
                          f"{', '.join(sorted(ENGINES))}", subject="engines")
    engines: list[Translator] = []
    try:
        for name in settings.engines:
            engines.append(ENGINES[name](settings))
    except BaseException:
        for engine in engines:          # do not leave the pipelines of the others running
            engine.close()
        raise
    return engines


def describe_engines(settings: Settings) -> list[EngineStatus]:
    """Every known engine: available or not here, its pairs and the pairs it reaches by pivot."""
    out = []
    for name, factory in ENGINES.items():
        try:
            engine = factory(settings)
        except EngineUnavailable as exc:
            out.append(EngineStatus(name, False, hint=exc.hint or str(exc)))
            continue
        try:
            pairs = engine.pairs()
            out.append(EngineStatus(name, True, pairs, _pivots(pairs)))
        finally:
            engine.close()
    return out


def _pivots(pairs: frozenset[tuple[str, str]]) -> tuple[str, ...]:
    langs = sorted({lang for pair in pairs for lang in pair})
    found = []
    for src in langs:
        for tgt in langs:
            if src == tgt or (src, tgt) in pairs:
                continue
            order = [*PIVOTS, *langs]
            via = [p for p in order if (src, p) in pairs and (p, tgt) in pairs]
            if via:
                found.append(f"{src}→{tgt} (via {via[0]})")
    return tuple(found)
