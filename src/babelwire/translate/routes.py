"""Routes: the legs (engine, source, target) that take a text from one language to another.

A route is one engine serving the pair directly, or two legs through a pivot language (English ->
French goes English -> Spanish -> French where no engine has the pair). What a first leg did not
know goes on to the next leg as the source's own word (``leg_input``) and comes out marked as a
word the route did not know (``route_output``).
"""

from __future__ import annotations

from dataclasses import dataclass

from babelwire.translate import markup
from babelwire.translate.engines.base import Engine
from babelwire.translate.memory import HUMAN
from babelwire.translate.typography import pivot_text


@dataclass(frozen=True)
class Step:
    """One leg of a route: an engine translating ``src`` into ``tgt``."""

    engine: Engine
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
    def engines(self) -> tuple[str, ...]:
        """Names of the engines on the route, in order, once each."""
        return tuple(dict.fromkeys(step.engine.name for step in self.steps))

    @property
    def label(self) -> str:
        """The engine label: ``apertium`` or ``apertium (en→es→fr)``."""
        if len(self.steps) == 1:
            return self.engines[0]
        chain = "→".join([self.steps[0].src, *(step.tgt for step in self.steps)])
        return f"{'+'.join(self.engines)} ({chain})"


def engines_in(label: str) -> tuple[str, ...]:
    """The engine names of a route label (the inverse of ``Route.label``)."""
    names = label.split(" (")[0]
    return tuple(n for n in names.split("+") if n and n != HUMAN)


@dataclass(frozen=True)
class Routed:
    """Translated segments and the label of the engine(s) that produced them."""

    texts: list[str]
    engine: str


def leg_input(leg: int, texts: list[str], lang: str) -> list[str]:
    """What a route's leg from ``lang`` is sent: after the first, the pivot's text with the
    target typography's word rules (:func:`~babelwire.translate.typography.pivot_text`), and
    what the leg before did not know goes on as the source's own word."""
    return [markup.shield_unknown(pivot_text(t, lang)) for t in texts] if leg else texts


def route_output(route: Route, texts: list[str]) -> list[str]:
    """A route's answer from its last leg's."""
    return [markup.unshield(t) for t in texts] if len(route.steps) > 1 else texts
