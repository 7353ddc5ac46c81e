"""Engines by name: a dict, not a plugin system (see STYLE.md)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from babelwire.exceptions import ConfigError, EngineUnavailable, TranslateError
from babelwire.settings import Settings
from babelwire.translate.engines.base import PIVOTS, Engine

log = logging.getLogger(__name__)


def _apertium(settings: Settings) -> Engine:
    from babelwire.translate.engines.apertium.engine import ApertiumEngine

    return ApertiumEngine(settings)


def _ctranslate2(settings: Settings) -> Engine:
    from babelwire.translate.engines.neural import NeuralEngine

    return NeuralEngine(settings)


def _libretranslate(settings: Settings) -> Engine:
    from babelwire.translate.engines.libretranslate import LibreTranslateEngine

    return LibreTranslateEngine(settings)


def _openai(settings: Settings) -> Engine:
    from babelwire.translate.engines.openai_chat import OpenAIChatEngine

    return OpenAIChatEngine(settings)


def _deepl(settings: Settings) -> Engine:
    from babelwire.translate.engines.deepl import DeepLEngine

    return DeepLEngine(settings)


# Each engine module is imported only when the engine is wanted (ctranslate2 is optional).
ENGINES: dict[str, Callable[[Settings], Engine]] = {
    "apertium": _apertium,
    "ctranslate2": _ctranslate2,
    "libretranslate": _libretranslate,
    "openai": _openai,
    "deepl": _deepl,
}


@dataclass(frozen=True)
class EngineStatus:
    """Whether an engine can run here, the pairs it serves and, if not, what to install."""

    name: str
    available: bool
    pairs: frozenset[tuple[str, str]] = frozenset()
    pivots: tuple[str, ...] = ()            # "en→fr (via es)"
    hint: str = ""
    enabled: bool = False                   # named in the ``engines`` setting or a route


def build_engines(settings: Settings) -> list[Engine]:
    """The engines named in ``settings.engines`` and in ``routes``, in order.

    An unknown name is a ``ConfigError``. An engine that cannot run here is left out with a
    warning while another one can run (the router falls back to it); when none can, the first
    one's ``EngineUnavailable`` is raised with its hint.
    """
    wanted = settings.wanted_engines()
    unknown = [name for name in wanted if name not in ENGINES]
    if unknown:
        raise ConfigError(f"unknown engine(s): {', '.join(unknown)}; known: "
                          f"{', '.join(sorted(ENGINES))}", subject="engines")
    engines: list[Engine] = []
    missing: list[EngineUnavailable] = []
    try:
        for name in wanted:
            try:
                engines.append(ENGINES[name](settings))
            except EngineUnavailable as exc:
                log.warning("engine %s is unavailable: %s (%s)", name, exc, exc.hint)
                missing.append(exc)
    except BaseException:
        for engine in engines:          # do not leave the pipelines of the others running
            engine.close()
        raise
    if not engines and missing:
        raise missing[0]
    return engines


def describe_engines(settings: Settings) -> list[EngineStatus]:
    """Every known engine: available or not here, its pairs and the pairs it reaches by pivot."""
    wanted = set(settings.wanted_engines())
    out = []
    for name, factory in ENGINES.items():
        try:
            engine = factory(settings)
        except EngineUnavailable as exc:
            out.append(EngineStatus(name, False, hint=exc.hint or str(exc),
                                    enabled=name in wanted))
            continue
        try:
            pairs = frozenset(engine.pairs())
            out.append(EngineStatus(name, True, pairs, _pivots(pairs), enabled=name in wanted))
        except TranslateError as exc:           # a server that does not answer
            hint = getattr(exc, "hint", "") or f"{exc}; check that the server runs"
            out.append(EngineStatus(name, False, hint=hint, enabled=name in wanted))
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
