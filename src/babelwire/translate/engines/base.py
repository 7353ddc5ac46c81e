"""The one interface every translation engine implements.

Like an httpx transport: a small protocol, engines plug in behind it, and tests plug in fakes.
Segments are sentences in babelwire's engine-neutral inline markup (see ``translate.markup``);
an engine answers each segment in the same markup, in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from babelwire.exceptions import EngineFailed

if TYPE_CHECKING:
    from babelwire.models import GlossaryEntry

# Languages tried, in order, as the middle of a two-leg route (English -> French via Spanish).
PIVOTS = ("es", "en", "fr", "ca", "gl", "eo")


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


@dataclass(frozen=True)
class Job:
    """One call to an engine: segments, the pair, and the glossary entries that apply to it."""

    segments: tuple[str, ...]
    src: str
    tgt: str
    glossary: tuple[GlossaryEntry, ...] = ()


@dataclass(frozen=True)
class Answer:
    """An engine's translations and what they cost, as far as the engine can tell.

    ``tokens_in``/``tokens_out`` are what the API reported (0 when it reports nothing);
    ``seconds`` is the engine's own share of compute time when it knows it better than the
    caller's wall clock (a batch decoded for several callers), else None.
    """

    texts: list[str]
    tokens_in: int = 0
    tokens_out: int = 0
    seconds: float | None = None


@runtime_checkable
class JobTranslator(Protocol):
    """An engine that also reports usage and accepts the glossary (``Translator`` plus ``run``)."""

    name: str

    def run(self, job: Job) -> Answer:
        """Translate ``job.segments``; one text per segment, in order."""
        ...


def run_job(engine: Translator, job: Job) -> Answer:
    """Call an engine the richest way it offers."""
    if isinstance(engine, JobTranslator):
        return engine.run(job)
    return Answer(engine.translate(job.segments, job.src, job.tgt))


def model_of(engine: Translator, src: str, tgt: str) -> str:
    """Which model of ``engine`` translates the pair (part of the translation-memory key)."""
    model_for = getattr(engine, "model_for", None)
    return str(model_for(src, tgt)) if callable(model_for) else ""
