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
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from babelwire.exceptions import (
    EngineFailed,
    EngineUnavailable,
    TranslateError,
    UnsupportedPair,
)
from babelwire.models import Counts, GlossaryEntry
from babelwire.settings import Settings, parse_numbers
from babelwire.translate import markup
from babelwire.translate.dictionaries import Dictionaries
from babelwire.translate.engines.base import PIVOTS, Answer, Engine, Job, check_answer
from babelwire.translate.engines.registry import build_engines
from babelwire.translate.memory import HUMAN, MemoryKey, TranslationMemory, normalize
from babelwire.translate.names.lexicon import ApertiumLexicon, LexiconCache
from babelwire.translate.usage import UsageMeter

log = logging.getLogger(__name__)

DEFAULT_CHUNK = 256          # segments per engine call: each chunk is remembered once paid for
# Calls in flight per engine unless ``engine_concurrency`` says otherwise (others: no limit).
DEFAULT_CONCURRENCY = {"openai": 4, "deepl": 4, "libretranslate": 4}
# Without ``engine_deadline``, the router waits this many ``engine_timeout`` for one call: an
# engine's own timeout should end a stalled call first, the router's is the backstop.
DEADLINE_TIMEOUTS = 2.0
SLOT_POLL = 0.05             # seconds between two looks at a failed engine while waiting a slot
_MAX_FILL_WORDS = 2          # longest answer put in place of a word the route did not know


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


@dataclass
class _Shared:
    """What every view of one router shares: concurrency limits and cooldowns per engine, and
    the dictionaries name detection reads.

    An engine that fails (or does not answer by the deadline) is cooling down for
    ``engine_cooldown`` seconds: no call is started on it, except by a caller with no other
    route left. When the cooldown is over one caller is let through (a probe) and the others go
    on falling back until the probe has answered: a stalled engine costs one call per cooldown,
    not one per article.
    """

    settings: Settings
    lexicons: LexiconCache = field(default_factory=LexiconCache)
    dictionaries: Dictionaries = field(default_factory=Dictionaries)
    lock: threading.Lock = field(default_factory=threading.Lock)
    limits: dict[str, threading.BoundedSemaphore] = field(default_factory=dict)
    down_until: dict[str, float] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    # runs the other routes of a pair side by side (route choice: see ``Router._alternatives``)
    alternatives: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(
        max_workers=4, thread_name_prefix="babelwire-route"))
    routes: dict[tuple[str, str], tuple[str, ...]] = field(init=False)
    concurrency: dict[str, int] = field(init=False)
    deadline: float = field(init=False)

    def __post_init__(self) -> None:
        self.routes = self.settings.pair_routes()
        given = parse_numbers(self.settings.engine_concurrency, "engine_concurrency")
        self.concurrency = {name: max(1, int(value))
                            for name, value in {**DEFAULT_CONCURRENCY, **given}.items()}
        self.deadline = float(self.settings.engine_deadline) or \
            DEADLINE_TIMEOUTS * float(self.settings.engine_timeout)

    def limit(self, engine: str) -> threading.BoundedSemaphore | None:
        size = self.concurrency.get(engine)
        if not size:
            return None
        with self.lock:
            return self.limits.setdefault(engine, threading.BoundedSemaphore(size))

    def admit(self, engine: str) -> bool:
        """Whether a call may start on ``engine`` now: it is not cooling down, or its cooldown
        is over and this caller is the probe (the others see it cooling until the probe ends)."""
        with self.lock:
            until = self.down_until.get(engine)
            now = time.monotonic()
            if until is None:
                return True
            if until > now:
                return False
            self.down_until[engine] = now + self.deadline     # this caller probes
            return True

    def generation(self, engine: str) -> int:
        """How many times ``engine`` has failed: a caller waiting for a slot gives up when
        this changes (the engine failed meanwhile: it is cooling down now)."""
        with self.lock:
            return self.failures.get(engine, 0)

    def failed(self, engine: str, problem: object) -> None:
        cooldown = float(self.settings.engine_cooldown)
        with self.lock:
            self.down_until[engine] = time.monotonic() + cooldown
            self.failures[engine] = self.failures.get(engine, 0) + 1
        log.warning("engine %s failed (%s): cooling down for %gs, other routes are used",
                    engine, problem, cooldown)

    def recovered(self, engine: str) -> None:
        with self.lock:
            self.down_until.pop(engine, None)


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
                taken = next((r for r in routes if r.label == label), None)
                if taken is not None and len(taken.steps) > 1:
                    texts = self._fewest_unknown(routes, label, todo, texts, tgt)
                texts = self._fill_unknown(routes, label, texts, tgt)
            answers.update(zip(todo, texts, strict=True))
        return Routed([answers.get(s, "") if s.strip() else "" for s in segments], label)

    def _fewest_unknown(self, routes: Sequence[Route], label: str, segments: list[str],
                        texts: list[str], tgt: str) -> list[str]:
        """Each segment from the route whose output leaves the fewest words unknown to the
        target's dictionaries: the one taken (``label``), or another route of the same engine
        (another pivot). Words that are not the source's own count first: a word of the pivot
        language is worse for a reader than the source's word left as it was. Only segments
        with unknown words are translated again; a route that fails is skipped; ties keep the
        route taken."""
        if not self._shared.dictionaries.available(tgt):
            return texts
        taken = next(r for r in routes if r.label == label) if label != HUMAN else None
        others = [r for r in routes if taken is not None and r is not taken
                  and r.engines == taken.engines]
        best = list(texts)
        scores = self._unknown_scores(segments, best, tgt)
        todo = [i for i, score in enumerate(scores) if score[2]]
        if not todo or not others:
            return best
        # every other route translates the same segments at once (their engines are separate
        # processes); the answers are then taken in route order exactly as if each route had
        # been tried after the one before: a segment goes on to the next route only while it
        # still has unknown words, and a route's answer is kept only when it scores better
        answers = self._alternatives(others, [segments[i] for i in todo])
        for alternative in answers:
            if alternative is None:
                continue                # the route failed or its engine is cooling down
            still = [(i, text) for i, text in zip(todo, alternative, strict=True) if scores[i][2]]
            if not still:
                break
            rescored = self._unknown_scores([segments[i] for i, _ in still],
                                            [text for _, text in still], tgt)
            for (i, text), score in zip(still, rescored, strict=True):
                if score < scores[i]:
                    best[i], scores[i] = text, score
        return best

    def _alternatives(self, routes: Sequence[Route], segments: list[str]
                      ) -> list[list[str] | None]:
        """Each route's translation of ``segments`` (None where the route failed or cools
        down), the routes run concurrently, the answers in the order of ``routes``."""
        if not routes:
            return []
        texts: list[list[str] | None] = [segments for _ in routes]
        # leg by leg, so that the memory is read once a leg for every route: the next legs'
        # sources are the answers of the legs before
        for leg in range(max(len(r.steps) for r in routes)):
            todo = [(i, routes[i].steps[leg], _leg_input(leg, given))
                    for i, given in enumerate(texts)
                    if given is not None and leg < len(routes[i].steps)]
            self._prefetch_legs([(step, inputs) for _, step, inputs in todo])

            def attempt(job: tuple[int, Step, list[str]]) -> list[str] | None:
                try:
                    return self._run_step(job[1], job[2], patient=False)
                except (_Cooling, TranslateError):
                    return None
            done = [attempt(todo[0])] if len(todo) == 1 else \
                list(self._shared.alternatives.map(attempt, todo))
            for (i, _, _), answer in zip(todo, done, strict=True):
                texts[i] = answer
        return [None if t is None else _route_output(r, t)
                for r, t in zip(routes, texts, strict=True)]

    def _fill_unknown(self, routes: Sequence[Route], label: str, texts: list[str],
                      tgt: str) -> list[str]:
        """Words the route left untranslated (``<u>``), translated on their own through the
        other routes of the same engine and put in their place where one gives target words.

        A direct pair is best served by its own route sentence by sentence (a pivot route
        costs grammar); only its unknown words are worth another route ("unusable" ->
        "inservible" through Catalan). An answer of more than ``_MAX_FILL_WORDS`` words, or with
        a word the target's dictionaries do not know, is not used.
        """
        dictionaries = self._shared.dictionaries
        words = sorted({w for t in texts for w in markup.unknown_words(t)})
        taken = next((r for r in routes if r.label == label), None)
        if not words or taken is None or not dictionaries.available(tgt):
            return texts
        found: dict[str, str] = {}
        others = [r for r in routes if r is not taken and r.engines == taken.engines]
        # the routes run at once; a word takes the first route (in order) that answers it well
        for answers in self._alternatives(others, words) if others else []:
            if answers is None:
                continue
            plain = {w: markup.plain_text(markup.parse(a)).strip()
                     for w, a in zip(words, answers, strict=True)
                     if "<u>" not in a and w not in found}
            known = dictionaries.known(tgt, {x for a in plain.values() for x in a.split()})
            found.update((w, a) for w, a in plain.items()
                         if a and a.casefold() != w.casefold() and len(a.split()) <= _MAX_FILL_WORDS
                         and all(x in known for x in a.split()))
        return [markup.fill_unknown(t, found) for t in texts] if found else texts

    def _unknown_scores(self, sources: Sequence[str], texts: Sequence[str],
                        tgt: str) -> list[tuple[int, int, int]]:
        """Per text, protected terms left out: (words no installed dictionary of any language
        knows and its source does not have, words unknown to ``tgt`` that its source does not
        have, all words unknown to ``tgt``)."""
        dictionaries = self._shared.dictionaries
        words = [markup.free_words(t) for t in texts]
        known = dictionaries.known(tgt, {w for ws in words for w in ws})
        foreign = [[w for w in ws if w not in known and w not in set(markup.free_words(source))]
                   for source, ws in zip(sources, words, strict=True)]
        left = {w for ws in foreign for w in ws}
        for lang in dictionaries.languages() - {tgt}:
            if left:
                left -= dictionaries.known(lang, left)
        return [(sum(1 for w in ws if w in left), len(ws), sum(1 for w in all_ if w not in known))
                for ws, all_ in zip(foreign, words, strict=True)]

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
            texts = self._run_step(step, _leg_input(leg, texts), patient=patient)
        return _route_output(route, texts)

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
        answer = _run_within(engine, job, limit, deadline, partial(self._failed, engine.name))
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
        self._shared.failed(name, problem)
        self._meter(name, Counts(failures=1))

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

    def close(self) -> None:
        """Close every engine and the dictionaries (errors of one do not stop the others)."""
        for engine in self.engines:
            with contextlib.suppress(OSError, TranslateError):
                engine.close()
        with contextlib.suppress(OSError, TranslateError):
            self._shared.lexicons.close()
        with contextlib.suppress(OSError, TranslateError):
            self._shared.dictionaries.close()
        self._shared.alternatives.shutdown(wait=False, cancel_futures=True)


class _CallThreads:
    """Threads that run engine calls, started when none is idle and kept for the next call.

    A pool of fixed size would not do: a call past its deadline is abandoned, not stopped (an
    engine call cannot be interrupted), and a few stalled engines would take every thread of a
    fixed pool. Here a stalled call holds its own thread and the next call starts another; a
    thread idle for ``IDLE_S`` ends. Starting a thread per call cost up to a tenth of a run.
    """

    IDLE_S = 30.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle = 0
        self._work: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()

    def submit(self, call: Callable[[], None]) -> None:
        with self._lock:
            if self._idle > 0:
                self._idle -= 1     # claimed: the next submit will not count on this thread
                start = False
            else:
                start = True
        self._work.put(call)
        if start:
            threading.Thread(target=self._serve, name="babelwire-engine-call",
                             daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                call = self._work.get(timeout=self.IDLE_S)
            except queue.Empty:
                with self._lock:
                    if self._idle > 0 and self._work.empty():
                        self._idle -= 1
                        return
                continue   # a call was handed to this thread as it timed out: take it
            try:
                call()
            finally:
                with self._lock:
                    self._idle += 1


_CALLERS = _CallThreads()


def _run_within(engine: Engine, job: Job, limit: threading.BoundedSemaphore | None,
                deadline: float, failed: Callable[[BaseException], None]) -> Answer:
    """``engine.run(job)`` in a thread of its own, waited for ``deadline`` seconds.

    The slot in ``limit`` (already taken) is given back when the engine returns, even after the
    deadline. ``failed`` is told of an engine failure before the slot is given back (so that a
    caller waiting for the slot sees the engine cooling down), and of a call past the deadline.
    """
    done, abandoned = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def call() -> None:
        try:
            outcome["answer"] = engine.run(job)
        except (EngineFailed, EngineUnavailable) as exc:
            if not abandoned.is_set():      # an abandoned call's failure was counted
                failed(exc)
            outcome["error"] = exc
        except BaseException as exc:  # handed to the caller, whatever it is
            outcome["error"] = exc
        finally:
            if limit is not None:
                limit.release()
            done.set()

    _CALLERS.submit(call)
    if not done.wait(deadline):
        abandoned.set()
        problem = EngineFailed(f"{engine.name} did not answer within {deadline:g}s",
                               subject=engine.name, retryable=True)
        failed(problem)
        raise problem
    if "error" in outcome:
        raise outcome["error"]
    answer: Answer = outcome["answer"]
    return answer


def _leg_input(leg: int, texts: list[str]) -> list[str]:
    """What a route's leg is sent: after the first, what the leg before did not know goes on
    as the source's own word."""
    return [markup.shield_unknown(t) for t in texts] if leg else texts


def _route_output(route: Route, texts: list[str]) -> list[str]:
    """A route's answer from its last leg's."""
    return [markup.unshield(t) for t in texts] if len(route.steps) > 1 else texts


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
