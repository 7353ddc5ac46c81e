"""Choosing engines per language pair: a direct pair first, else a pivot through a third language.

Engines are tried in the order given (the ``engines`` setting). English -> French has no Apertium
pair, so it goes English -> Spanish -> French; the neutral markup travels through both legs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass

from babelwire.exceptions import TranslateError, UnsupportedPair
from babelwire.settings import Settings
from babelwire.translate.engines.base import PIVOTS, Translator, check_answer
from babelwire.translate.engines.registry import build_engines


@dataclass(frozen=True)
class Step:
    """One leg of a route: an engine translating ``src`` into ``tgt``."""

    engine: Translator
    src: str
    tgt: str


@dataclass(frozen=True)
class Route:
    """The legs that take a text from one language to another."""

    steps: tuple[Step, ...]

    @property
    def pivot(self) -> str | None:
        """The language in between, for a two-leg route."""
        return self.steps[0].tgt if len(self.steps) > 1 else None

    @property
    def label(self) -> str:
        """The engine label: ``apertium`` or ``apertium (en→es→fr)``."""
        names = list(dict.fromkeys(step.engine.name for step in self.steps))
        if len(self.steps) == 1:
            return names[0]
        chain = "→".join([self.steps[0].src, *(step.tgt for step in self.steps)])
        return f"{'+'.join(names)} ({chain})"


@dataclass(frozen=True)
class Routed:
    """Translated segments and the label of the engine(s) that produced them."""

    texts: list[str]
    engine: str


class Router:
    """Ordered engines; picks a direct pair first, else a pivot through a third language."""

    def __init__(self, engines: Sequence[Translator]) -> None:
        self.engines = list(engines)

    def route(self, src: str, tgt: str) -> Route:
        """The route for ``src`` -> ``tgt``; raises ``UnsupportedPair`` when there is none."""
        for engine in self.engines:
            if engine.supports(src, tgt):
                return Route((Step(engine, src, tgt),))
        for pivot in PIVOTS:
            if pivot in (src, tgt):
                continue
            first = next((e for e in self.engines if e.supports(src, pivot)), None)
            second = next((e for e in self.engines if e.supports(pivot, tgt)), None)
            if first and second:
                return Route((Step(first, src, pivot), Step(second, pivot, tgt)))
        names = ", ".join(e.name for e in self.engines) or "no engine"
        raise UnsupportedPair(f"no engine or pivot serves {src}->{tgt} ({names})",
                              subject=f"{src}->{tgt}")

    def translate(self, segments: Sequence[str], src: str, tgt: str) -> Routed:
        """Translate segments along the route for the pair."""
        route = self.route(src, tgt)
        texts = list(segments)
        for step in route.steps:
            if not texts:
                break
            answer = step.engine.translate(texts, step.src, step.tgt)
            texts = check_answer(texts, answer, step.engine.name)
        return Routed(texts, route.label)

    def pairs(self) -> frozenset[tuple[str, str]]:
        """Every pair served directly by some engine."""
        return frozenset(p for e in self.engines for p in e.pairs())

    def close(self) -> None:
        """Close every engine (errors of one do not stop the others)."""
        for engine in self.engines:
            with contextlib.suppress(OSError, TranslateError):
                engine.close()


def build_router(settings: Settings) -> Router:
    """A router over the engines named in ``settings.engines``."""
    return Router(build_engines(settings))
