"""The one interface every translation engine implements.

Like an httpx transport: a small protocol, engines plug in behind it, and tests plug in fakes.
Segments are sentences in babelwire's engine-neutral inline markup (see ``translate.markup``);
an engine answers each segment in the same markup, in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from babelwire.exceptions import EngineFailed, UnsupportedPair

if TYPE_CHECKING:
    from babelwire.models import GlossaryEntry

# Languages tried, in order, as the middle of a two-leg route (English -> French via Spanish).
PIVOTS = ("es", "en", "fr", "ca", "gl", "eo")


@runtime_checkable
class Engine(Protocol):
    """A translation engine: the language pairs it serves, one call, and its release.

    Language codes are ISO 639-1 (``en``, ``es``, ``fr``, ``ca``, ``eo``). ``run`` raises
    ``UnsupportedPair`` for a pair it does not serve, ``EngineUnavailable`` when it cannot run
    here and ``EngineFailed`` when it answered with an error or garbage. An engine takes a job of
    any size (one whose API limits a request splits the job itself); ``max_segments`` says how
    many segments one request carries (0: any number), so that the router can send jobs of that
    size and remember each answer as soon as it is paid for.
    """

    name: str
    max_segments: int

    def pairs(self) -> Mapping[tuple[str, str], str]:
        """Every (source, target) pair the engine translates directly, with the model that
        translates it (part of the translation-memory key; ``""`` for the engine's one model)."""
        ...

    def run(self, job: Job) -> Answer:
        """Translate ``job.segments``: one text per segment, in order."""
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


def translate(engine: Engine, segments: Sequence[str], src: str, tgt: str) -> list[str]:
    """The texts of one call of ``engine`` (for callers that need neither usage nor glossary)."""
    return engine.run(Job(tuple(segments), src, tgt)).texts


def require_pair(engine: Engine, job: Job) -> None:
    """Raise ``UnsupportedPair`` unless ``engine`` serves the job's pair."""
    if (job.src, job.tgt) not in engine.pairs():
        raise UnsupportedPair(f"{engine.name} has no {job.src}->{job.tgt}", subject=engine.name)


def chunks(indexes: Sequence[int], size: int) -> list[list[int]]:
    """``indexes`` cut into runs of at most ``size`` (an API's largest request)."""
    return [list(indexes[at:at + size]) for at in range(0, len(indexes), max(1, size))]
