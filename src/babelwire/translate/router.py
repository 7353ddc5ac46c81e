"""Choosing engines per language pair, with fallbacks, pivots and the translation memory.

For a pair the router tries, in order: each engine serving it directly (in the pair's ``routes``
order if one is set, else the ``engines`` order), then two-leg routes through a pivot language
(English -> French goes English -> Spanish -> French where no engine has the pair). An engine that
is unavailable, times out or fails is skipped for ``engine_cooldown`` seconds and the next route
is tried; the neutral markup travels through every leg. The router waits for no engine call longer
than ``engine_deadline``, whatever the engine's own timeouts, and a stalled engine holds back no
article longer than that: callers waiting for its slots give up when it fails, and once its
cooldown is over one call probes it while the others go on falling back.

Before any engine is called, each segment is looked up in the translation memory: approved human
translations first, then the route's engine's own earlier translations (keyed by engine, model,
leg and glossary version). Only misses are sent, in chunks, each handed to the memory as soon as
it is paid for (``ArticleMemory`` writes an article's at its end). The memory is told ahead
which segments every route's first leg will look up, for one read instead of one per leg.
``Router.bind`` gives a view of the same engines with the memory, a usage meter and the glossary
of one piece of work; views share the engines, their concurrency limits and cooldowns.

Around it: ``routes`` (a route and its legs), ``calls`` (slots and cooldowns per engine, the
threads engine calls run on) and ``route_choice`` (the other routes asked, sentence by
sentence and word by word, when the route taken left words unknown).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial

from babelwire.exceptions import EngineFailed, TranslateError, UnsupportedPair
from babelwire.models import Counts, GlossaryEntry
from babelwire.settings import Settings
from babelwire.translate import markup
from babelwire.translate.calls import EngineGate, run_within
from babelwire.translate.dictionaries import Dictionaries
from babelwire.translate.engines.base import PIVOTS, Engine, Job, check_answer
from babelwire.translate.engines.registry import build_engines
from babelwire.translate.memory import HUMAN, MemoryKey, TranslationMemory, normalize
from babelwire.translate.names.lexicon import ApertiumLexicon, LexiconCache
from babelwire.translate.route_choice import RouteChoice
from babelwire.translate.routes import (
    Route,
    Routed,
    Step,
    engines_in,
    leg_input,
    route_output,
)
from babelwire.translate.usage import UsageMeter

__all__ = ["Route", "Routed", "Router", "Step", "build_router", "engines_in"]

log = logging.getLogger(__name__)

DEFAULT_CHUNK = 256          # segments per engine call: each chunk is remembered once paid for
SLOT_POLL = 0.05             # seconds between two looks at a failed engine while waiting a slot


@dataclass
class _Shared(EngineGate):
    """What every view of one router shares: concurrency limits and cooldowns per engine (see
    ``EngineGate``), the pairs' routes, and the dictionaries name detection and route choice
    read."""

    lexicons: LexiconCache = field(default_factory=LexiconCache)
    dictionaries: Dictionaries = field(default_factory=Dictionaries)
    routes: dict[tuple[str, str], tuple[str, ...]] = field(init=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.routes = self.settings.pair_routes()


class _Cooling(Exception):
    """The route needs an engine that is cooling down after a failure."""


@dataclass(frozen=True)
class _Work:
    """What one view translates with: memory, meter, glossary and engines to leave out."""

    memory: TranslationMemory | None = None
    meter: UsageMeter | None = None
    glossary: tuple[GlossaryEntry, ...] = ()
    glossary_version: str = "0"
    exclude: frozenset[str] = frozenset()


class Router:
    """Ordered engines; picks routes per pair, falls back, pivots, and remembers translations."""

    def __init__(self, engines: Sequence[Engine], *, settings: Settings | None = None,
                 memory: TranslationMemory | None = None, meter: UsageMeter | None = None,
                 glossary: Sequence[GlossaryEntry] = (), glossary_version: str = "0") -> None:
        """``settings`` give the engine order, routes, memory use, cooldown and concurrency
        (without them: the engines' order, nothing else changed from the defaults)."""
        self.engines = list(engines)
        names = tuple(e.name for e in self.engines)
        self._shared = _Shared(settings or Settings(engines=names))
        self._work = _Work(memory, meter, tuple(glossary), glossary_version)

    def bind(self, *, memory: TranslationMemory | None = None, meter: UsageMeter | None = None,
             glossary: Sequence[GlossaryEntry] = (), glossary_version: str = "0") -> Router:
        """A view of the same engines translating with this memory, meter and glossary."""
        view = self._view()
        view._work = _Work(memory, meter, tuple(glossary), glossary_version, self._work.exclude)
        return view

    def without(self, names: Iterable[str]) -> Router:
        """A view that never uses the engines named (a fallback after failed checks)."""
        view = self._view()
        view._work = replace(self._work, exclude=self._work.exclude | frozenset(names))
        return view

    def _view(self) -> Router:
        view = Router.__new__(Router)
        view.engines, view._shared = self.engines, self._shared
        return view

    # -- routes ---------------------------------------------------------------------------------

    def _ordered(self, src: str, tgt: str) -> list[Engine]:
        """The engines to try for a pair: its route if one is set, else the ``engines`` order."""
        order = self._shared.routes.get((src, tgt), tuple(self._shared.settings.engines))
        rank = {name: i for i, name in enumerate(order)}
        usable = [e for e in self.engines if e.name not in self._work.exclude]
        if (src, tgt) in self._shared.routes:
            usable = [e for e in usable if e.name in rank]
        return sorted(usable, key=lambda e: rank.get(e.name, len(rank)))

    def routes(self, src: str, tgt: str) -> list[Route]:
        """Every route for the pair, best first: direct ones, then through pivot languages."""
        found = [Route((Step(e, src, tgt),)) for e in self._ordered(src, tgt)
                 if (src, tgt) in e.pairs()]
        for pivot in PIVOTS:
            if pivot in (src, tgt):
                continue
            for first in (e for e in self._ordered(src, pivot) if (src, pivot) in e.pairs()):
                for second in (e for e in self._ordered(pivot, tgt) if (pivot, tgt) in e.pairs()):
                    found.append(Route((Step(first, src, pivot), Step(second, pivot, tgt))))
        return found

    def route(self, src: str, tgt: str) -> Route:
        """The preferred route for ``src`` -> ``tgt``; raises ``UnsupportedPair`` when none."""
        found = self.routes(src, tgt)
        if not found:
            names = ", ".join(e.name for e in self.engines) or "no engine"
            raise UnsupportedPair(f"no engine or pivot serves {src}->{tgt} ({names})",
                                  subject=f"{src}->{tgt}")
        return found[0]

    def can_fall_back(self, src: str, tgt: str, label: str) -> bool:
        """Whether a route without the engines of ``label`` serves the pair."""
        return bool(self.without(engines_in(label)).routes(src, tgt))

    # -- translating ----------------------------------------------------------------------------

    def translate(self, segments: Sequence[str], src: str, tgt: str) -> Routed:
        """Translate segments: memory first, then the first route that works."""
        routes = self.routes(src, tgt)
        if not routes:
            self.route(src, tgt)                        # raises UnsupportedPair
        unique = [s for s in dict.fromkeys(segments) if s.strip()]
        # Nothing to translate without a letter ("^", "[1]", "2009", "|"), and engines do
        # odd things with such segments: Apertium drops a link holding only "^" or "@".
        kept = {s: s for s in unique if not _has_letters(s)}
        self._prefetch(routes, [s for s in unique if s not in kept], also=(tgt,))
        human = self._human([s for s in unique if s not in kept], src, tgt)
        todo = [s for s in unique if s not in human and s not in kept]
        answers, label = {**kept, **human}, HUMAN if human else routes[0].label
        if todo:
            texts, label = self._first_working(routes, todo)
            if self._shared.settings.route_choice:
                choice = RouteChoice(self._shared.dictionaries, self._try_route,
                                     self._unknown_words)
                texts = choice.choose(routes, label, todo, texts, tgt)
            answers.update(zip(todo, texts, strict=True))
        return Routed([answers.get(s, "") if s.strip() else "" for s in segments], label)

    def _prefetch(self, routes: Sequence[Route], segments: Sequence[str],
                  also: Sequence[str] = ()) -> None:
        """Tell the memory the segments every route's first leg (and ``also``'s human
        entries) is about to look up: a memory that reads ahead fetches them at once."""
        memory = self._work.memory
        if memory is not None and segments and routes:
            memory.prefetch([(routes[0].steps[0].src,
                              {*also, *(r.steps[0].tgt for r in routes)}, segments)])

    def _prefetch_legs(self, legs: Sequence[tuple[Step, list[str]]]) -> None:
        """Tell the memory the segments each step is about to look up."""
        memory = self._work.memory
        if memory is not None and legs and self._shared.settings.translation_memory:
            memory.prefetch([(step.src, (step.tgt,), segments) for step, segments in legs])

    def _human(self, segments: Sequence[str], src: str, tgt: str) -> dict[str, str]:
        memory = self._work.memory
        if memory is None or not segments:
            return {}
        found = memory.human(src, tgt, segments)
        if found:
            self._meter(HUMAN, Counts(memory_hits=len(found)))
        return found

    def _first_working(self, routes: Sequence[Route], todo: list[str]) -> tuple[list[str], str]:
        errors: list[TranslateError] = []
        cooling: list[Route] = []
        for route in routes:
            try:
                return self._run_route(route, todo, patient=False), route.label
            except _Cooling:
                cooling.append(route)
            except TranslateError as exc:
                log.warning("engine route %s failed: %s", route.label, exc)
                errors.append(exc)
        for route in cooling:                # nothing else worked: the engine may be back
            try:
                return self._run_route(route, todo, patient=True), route.label
            except TranslateError as exc:
                errors.append(exc)
        raise _give_up(errors, routes)

    def _run_route(self, route: Route, segments: list[str], *, patient: bool) -> list[str]:
        texts = segments
        for leg, step in enumerate(route.steps):
            texts = self._run_step(step, leg_input(leg, texts, step.src), patient=patient)
        return route_output(route, texts)

    def _try_route(self, route: Route, segments: list[str]) -> list[str] | None:
        """``route``'s translation of ``segments`` for route choice, or None when the route
        fails or needs an engine cooling down (the memory read once a leg)."""
        texts = segments
        try:
            for leg, step in enumerate(route.steps):
                inputs = leg_input(leg, texts, step.src)
                self._prefetch_legs([(step, inputs)])
                texts = self._run_step(step, inputs, patient=False)
        except (_Cooling, TranslateError):
            return None
        return route_output(route, texts)

    def _unknown_words(self, route: Route, segments: list[str]) -> list[tuple[str, ...]]:
        """Per segment, the words ``route``'s first leg surely leaves unknown: an engine that
        can tell says so (Apertium's analyser); () for the others, and when it cannot."""
        step = route.steps[0]
        ask = getattr(step.engine, "unknown_words", None)
        if ask is None or not segments:
            return [() for _ in segments]
        try:
            return list(ask(step.src, step.tgt, segments))
        except TranslateError:
            return [() for _ in segments]

    def _run_step(self, step: Step, segments: list[str], *, patient: bool) -> list[str]:
        engine = step.engine
        key = MemoryKey(engine.name, engine.pairs().get((step.src, step.tgt), ""), step.src,
                        step.tgt, self._work.glossary_version)
        # engines get the normalised segment, the memory's key: the answer cannot depend on
        # which of two variants of a sentence (NFD, doubled spaces) came first
        unique = [s for s in dict.fromkeys(normalize(s) for s in segments) if s]
        memory = self._work.memory if self._shared.settings.translation_memory else None
        known = memory.lookup(key, unique) if memory is not None else {}
        misses = [s for s in unique if s not in known]
        if known:
            self._meter(engine.name, Counts(memory_hits=len(known)))
        if misses and not patient and not self._shared.admit(engine.name):
            raise _Cooling(engine.name)
        size = engine.max_segments or DEFAULT_CHUNK
        for start in range(0, len(misses), size):
            chunk = misses[start:start + size]
            texts = self._call(step, chunk, patient=patient)
            known.update(zip(chunk, texts, strict=True))
            if memory is not None:
                memory.remember(key, list(zip(chunk, texts, strict=True)))
        return [known.get(normalize(s), "") for s in segments]

    def _call(self, step: Step, chunk: list[str], *, patient: bool) -> list[str]:
        """One engine call under the engine's concurrency limit and the router's deadline,
        metered. A call past the deadline is abandoned (its thread ends when the engine
        returns, and only then frees its slot): the engine cools down and the caller falls
        back."""
        engine, job = step.engine, Job(tuple(chunk), step.src, step.tgt, self._glossary(step))
        deadline = self._shared.deadline
        started = time.monotonic()
        limit = self._shared.limit(engine.name)
        if limit is not None:
            self._wait_for_slot(engine.name, limit, started + deadline, patient=patient)
        answer = run_within(engine, job, limit, deadline, partial(self._failed, engine.name))
        try:
            texts = check_answer(chunk, answer.texts, engine.name)
        except EngineFailed as exc:
            self._failed(engine.name, exc)
            raise
        elapsed = time.monotonic() - started
        self._shared.recovered(engine.name)
        chars = sum(len(markup.plain_text(markup.parse(s))) for s in chunk)
        self._meter(engine.name, Counts(
            calls=1, segments=len(chunk), characters=chars, tokens_in=answer.tokens_in,
            tokens_out=answer.tokens_out,
            seconds=answer.seconds if answer.seconds is not None else elapsed))
        return texts

    def _failed(self, name: str, problem: BaseException) -> None:
        """Count the failure and cool the engine down."""
        cooldown = self._shared.failed(name)
        self._meter(name, Counts(failures=1))
        log.warning("engine %s failed (%s): cooling down for %gs, other routes are used",
                    name, problem, cooldown)

    def _wait_for_slot(self, name: str, limit: threading.BoundedSemaphore, until: float, *,
                       patient: bool) -> None:
        """Take one of the engine's slots; give up (and fall back) when the engine fails while
        this caller waits, or at the deadline."""
        seen = self._shared.generation(name)
        while not limit.acquire(timeout=SLOT_POLL):
            if not patient and self._shared.generation(name) != seen:
                raise _Cooling(name)
            if time.monotonic() >= until:
                problem = EngineFailed(f"{name} had no free slot within "
                                       f"{self._shared.deadline:g}s", subject=name,
                                       retryable=True)
                self._failed(name, problem)
                raise problem
        if not patient and self._shared.generation(name) != seen:
            limit.release()             # the call that freed the slot failed: fall back
            raise _Cooling(name)

    def _glossary(self, step: Step) -> tuple[GlossaryEntry, ...]:
        return tuple(e for e in self._work.glossary if e.source_lang in ("", step.src)
                     and e.target_lang in ("", step.tgt))

    def _meter(self, engine: str, counts: Counts) -> None:
        if self._work.meter is not None:
            self._work.meter.add(engine, counts)

    def pairs(self) -> frozenset[tuple[str, str]]:
        """Every pair served directly by some engine."""
        return frozenset(p for e in self.engines for p in e.pairs())

    def dictionaries(self) -> Dictionaries:
        """Every installed dictionary per language (Apertium analysers, hunspell), kept alive
        and shared by every view and thread until ``close``."""
        return self._shared.dictionaries

    def lexicon(self, src: str, tgt: str) -> ApertiumLexicon | None:
        """Apertium's dictionaries for name detection in ``src`` -> ``tgt`` (None when not
        installed), kept alive and shared by every view and thread until ``close``."""
        return self._shared.lexicons.get(src, tgt)

    def start(self, src: str, tgt: str) -> None:
        """Start, ahead of the first translation, the engines' processes for every leg of the
        routes a translation of the pair may take: the preferred route, and with ``route_choice``
        the other routes, which route choice asks for any sentence with a word no target
        dictionary knows (on the demo, every one of them is used). An engine that cannot start a
        leg is left to fail, as before, when the leg is first used."""
        routes = self.routes(src, tgt)
        if not self._shared.settings.route_choice:
            routes = routes[:1]
        for route in routes:
            for step in route.steps:
                _start(step.engine, "start", step.src, step.tgt)
        self._start_analysers(src, tgt, routes)

    def _start_analysers(self, src: str, tgt: str, routes: Sequence[Route]) -> None:
        """Start the ``lt-proc`` analysers a translation of the pair asks (each loads in
        0.1-0.9 s, which a worker otherwise waits for inside its first article of the pair):
        the dictionaries of every language a route passes through (the word checks and route
        choice look words up in each), name detection's lexicon, recasing's analyser of the
        target (``document._closed_class``), and route choice's analyser of the first leg of
        each other route (``unknown_words``)."""
        for lang in dict.fromkeys(lang for r in routes for s in r.steps for lang in (s.src, s.tgt)):
            with contextlib.suppress(OSError, TranslateError):
                self._shared.dictionaries.start(lang)
        with contextlib.suppress(OSError, TranslateError):
            if (lexicon := self.lexicon(src, tgt)) is not None:
                lexicon.start()
            if (closed := self.closed_class_lexicon(tgt)) is not None:
                closed.start(bilingual=False)
        for route in routes[1:]:
            _start(route.steps[0].engine, "start_analyser", route.steps[0].src,
                   route.steps[0].tgt)

    def closed_class_lexicon(self, lang: str) -> ApertiumLexicon | None:
        """The lexicon whose analyser reads ``lang``'s closed-class words for recasing: that
        of the first installed pair from ``lang``; None when no pair analyses it."""
        return next((found for src, tgt in sorted(self.pairs()) if src == lang
                     and (found := self.lexicon(src, tgt)) is not None), None)

    def close(self) -> None:
        """Close every engine and the dictionaries (errors of one do not stop the others)."""
        for engine in self.engines:
            with contextlib.suppress(OSError, TranslateError):
                engine.close()
        with contextlib.suppress(OSError, TranslateError):
            self._shared.lexicons.close()
        with contextlib.suppress(OSError, TranslateError):
            self._shared.dictionaries.close()


def _start(engine: Engine, method: str, src: str, tgt: str) -> None:
    """Call the engine's ``method`` (a way to start its processes ahead) if it has one; an
    engine that cannot start them is left to fail when the leg is first used."""
    start = getattr(engine, method, None)
    if start is not None:
        with contextlib.suppress(OSError, TranslateError):
            start(src, tgt)


def _give_up(errors: Sequence[TranslateError], routes: Sequence[Route]) -> TranslateError:
    """One error for a call no route could serve; retryable if any failure was."""
    detail = "; ".join(str(e) for e in errors[-3:])
    labels = ", ".join(r.label for r in routes)
    retryable = any(e.retryable for e in errors)
    return EngineFailed(f"every route failed ({labels}): {detail}", retryable=retryable,
                        subject=labels)


def build_router(settings: Settings) -> Router:
    """A router over the engines of ``settings`` (the ``engines`` order and ``routes``)."""
    return Router(build_engines(settings), settings=settings)


def _has_letters(segment: str) -> bool:
    """Whether a neutral-markup segment's text holds a letter."""
    return any(c.isalpha() for c in markup.plain_text(markup.parse(segment)))
