"""The one interface every translation engine implements.

Like an httpx transport: a small protocol, engines plug in behind it, and tests plug in fakes.
Segments are sentences in babelwire's engine-neutral inline markup (see ``translate.markup``);
an engine answers each segment in the same markup, in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from babelwire.exceptions import EngineFailed

# Languages tried, in order, as the middle of a two-leg route (English -> French via Spanish).
PIVOTS = ("es", "en", "fr", "ca", "eo")


@runtime_checkable
class Translator(Protocol):
    """A translation engine: which language pairs it serves, and translating a batch of segments.

    Language codes are ISO 639-1 (``en``, ``es``, ``fr``, ``ca``, ``eo``). ``translate`` raises
    ``UnsupportedPair`` for a pair it does not serve, ``EngineUnavailable`` when it cannot run here
    and ``EngineFailed`` when it answered with an error or garbage.
    """

    name: str

    def pairs(self) -> frozenset[tuple[str, str]]:
        """Every (source, target) pair this engine translates directly."""
        ...

    def supports(self, src: str, tgt: str) -> bool:
        """Whether the engine translates ``src`` into ``tgt`` directly."""
        ...

    def translate(self, segments: Sequence[str], src: str, tgt: str) -> list[str]:
        """Translate each segment; the answer has exactly one string per segment, in order."""
        ...

    def close(self) -> None:
        """Release processes, connections or models. The engine may not be used afterwards."""
        ...


def check_answer(segments: Sequence[str], answer: Sequence[str], engine: str) -> list[str]:
    """``answer`` as a list, after checking it has one translation per segment."""
    if len(answer) != len(segments):
        raise EngineFailed(f"{engine} answered {len(answer)} segments for {len(segments)}",
                           subject=engine)
    return list(answer)
