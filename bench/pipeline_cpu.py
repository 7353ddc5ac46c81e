"""Who spends the CPU of one ``bench/pipeline.py`` run: babelwire's process and each engine
process, by language pair and by purpose.

    python bench/pipeline_cpu.py [--workers N]

Runs the demo pipeline as ``bench/pipeline.py`` does, with probes: every Apertium call (a
translation pipeline's, an ``lt-proc`` analyser's of the word checks or route choice, name
detection's analysers and bilingual dictionaries) is run while its lock is held, so the CPU its
processes spend between the start and the end of the call (read in ``/proc``: every process of
the pipeline's process group, the tagger and its spare) is that call's. Each call is counted under
what babelwire was doing when it made it: the translation itself, route choice's other pivots
(``_fewest_unknown``), its word probes (``_fill_unknown``), the word checks, the recasing, name
detection; a call that had to start its processes first is counted apart, with its own work
(starting one of Apertium's pipelines costs 30-600 ms of CPU, once a run). What the engines spent
outside any call (replaced taggers, spare taggers started) is the rest of their processes' CPU.
The probes cost babelwire's process some CPU: its figure here is a little above the plain
bench's.
"""

from __future__ import annotations

import argparse
import contextvars
import functools
import os
import resource
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pipeline as bench  # bench/pipeline.py, beside this file
from proc import TICK, cpu_ticks, stat_fields

from babelwire.quality import verdict
from babelwire.translate import dictionaries, document, router
from babelwire.translate.engines.apertium import engine as apertium
from babelwire.translate.engines.apertium import tagger
from babelwire.translate.names import lexicon

try:            # since h27 (this script also measures the commits before)
    from babelwire.translate import calls, route_choice
except ImportError:
    calls = route_choice = None  # type: ignore[assignment]

PURPOSE: contextvars.ContextVar[str] = contextvars.ContextVar("purpose", default="translation")
_lock = threading.Lock()
# (kind, what, purpose) -> [calls, items, wall seconds, CPU seconds]
SPENT: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0, 0, 0.0, 0.0])
_members: dict[int, list[int]] = {}
REPLACED: dict[str, int] = defaultdict(int)      # taggers replaced, by model


def _cpu(pid: int) -> float:
    """CPU seconds of ``pid``, with its reaped children's."""
    fields = stat_fields(pid)
    return 0.0 if fields is None else cpu_ticks(fields) / TICK


def _session(leader: int) -> list[int]:
    """Every process of the session ``leader`` started (kept while all live)."""
    known = _members.get(leader)
    if known and all(os.path.exists(f"/proc/{p}") for p in known):
        return known
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            fields = stat_fields(int(name))
            if fields is not None and int(fields[3]) == leader:
                found.append(int(name))
    _members[leader] = found
    return found


def _pipeline_pids(pipe: Any) -> list[int]:
    pids = list(_session(pipe.before.proc.pid))
    if pipe.after is not None:
        pids += _session(pipe.after.proc.pid)
    if pipe.tagger is not None:
        pids.append(pipe.tagger._tagger.process.proc.pid)
        spare = pipe.tagger._spare
        if spare is not None and spare.done():
            pids.append(spare.result().process.proc.pid)
    return pids


@contextmanager
def _measured(kind: str, what: str, items: int, pids: Callable[[], list[int]]) -> Iterator[None]:
    before = {p: _cpu(p) for p in pids()}
    started = time.perf_counter()
    try:
        yield
    finally:
        wall = time.perf_counter() - started
        cpu = sum(_cpu(p) - before.get(p, 0.0) for p in set(pids()) | set(before))
        # a call that started the processes pays their start-up: counted apart
        why = PURPOSE.get() if before else "starting the processes"
        with _lock:
            row = SPENT[(kind, what, why)]
            row[0] += 1
            row[1] += items
            row[2] += wall
            row[3] += cpu


def _get(owner: object, name: str) -> Any:
    return getattr(owner, name)


def _set(owner: object, name: str, value: object) -> None:
    setattr(owner, name, value)


def _install() -> None:
    # the purpose travels with the work into the threads that run it
    callers = calls.CALLERS if calls else _get(router, "_CALLERS")
    submit = callers.submit

    def submit_in_context(call: Callable[[], None]) -> None:
        submit(functools.partial(contextvars.copy_context().run, call))
    _set(callers, "submit", submit_in_context)

    class ContextPool(ThreadPoolExecutor):
        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
            return super().submit(contextvars.copy_context().run, fn, *args, **kwargs)
    _set(router, "ThreadPoolExecutor", ContextPool)   # the routes side by side, before h27

    def purpose(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            token = PURPOSE.set(name)
            try:
                return function(*args, **kwargs)
            finally:
                PURPOSE.reset(token)
        return wrapped

    # route choice: methods of the router before h27, of ``RouteChoice`` since
    choice = getattr(route_choice, "RouteChoice", router.Router) if route_choice else router.Router
    for kind, names in (("other pivots", ("fewest_unknown", "_fewest_unknown")),
                        ("word probes", ("fill_unknown", "_fill_unknown"))):
        name = next(n for n in names if hasattr(choice, n))
        _set(choice, name, purpose(f"route choice: {kind}", _get(choice, name)))
    import babelwire.run.translation as run_translation
    for module in (verdict, run_translation):
        _set(module, "check_draft", purpose("word checks", _get(module, "check_draft")))
    _set(document, "_recase", purpose("recasing", _get(document, "_recase")))
    # protected-term detection asks the lexicon; the draft's other engine calls are translations
    translate_ = apertium.ApertiumEngine._translate

    def translate(self: Any, src: str, tgt: str, lines: Any) -> Any:
        def pids() -> list[int]:
            pipe = self._pipelines.get((src, tgt))
            return _pipeline_pids(pipe) if pipe is not None else []
        with _measured("apertium", f"{src}-{tgt}", len(lines), pids):
            return translate_(self, src, tgt, lines)
    apertium.ApertiumEngine._translate = translate  # type: ignore[method-assign]

    if hasattr(apertium.ApertiumEngine, "unknown_words"):    # since h27: route choice's analysers
        unknown = _get(apertium.ApertiumEngine, "unknown_words")

        def unknown_words(self: Any, src: str, tgt: str, segments: Any) -> Any:
            def pids() -> list[int]:
                process = self._analysers.get((src, tgt))
                return _session(process.proc.pid) if process is not None else []
            with _measured("lt-proc (routes)", f"{src}-{tgt}", len(segments), pids):
                return unknown(self, src, tgt, segments)
        _set(apertium.ApertiumEngine, "unknown_words", unknown_words)

    analyse = dictionaries.Dictionaries._analyse

    def analyse_words(self: Any, paths: Any, words: Any) -> Any:
        def pids() -> list[int]:
            return [self._processes[p].proc.pid for p in paths if p in self._processes]
        lang = paths[0].name.split(".")[0] if paths else "?"
        with _measured("lt-proc (words)", f"{lang} x{len(paths)}", len(words), pids):
            return analyse(self, paths, words)
    dictionaries.Dictionaries._analyse = analyse_words  # type: ignore[method-assign]

    replace = tagger.CleanTagger._replace

    def replaced(self: Any, flow: Any) -> None:
        with _lock:
            REPLACED[Path(self.argv[-1]).name] += 1
        replace(self, flow)
    _set(tagger.CleanTagger, "_replace", replaced)

    for method in ("_analyse", "_translate_lemmas"):
        original = getattr(lexicon.ApertiumLexicon, method)

        def call(self: Any, items: Any, *, _original: Any = original,
                 _method: str = method) -> Any:
            def pids() -> list[int]:
                return [p.proc.pid for p in self._processes.values()]
            token = PURPOSE.set("name detection")
            try:
                with _measured("lt-proc (names)", f"{self.source}-{self.target}{_method}",
                               len(items), pids):
                    return _original(self, items)
            finally:
                PURPOSE.reset(token)
        setattr(lexicon.ApertiumLexicon, method, call)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    _install()
    from babelwire.run.runner import Runner
    close = Runner.close
    engines_cpu: list[float] = []

    def close_after_reading(self: Any) -> None:
        engines_cpu.append(bench.engines_cpu())
        close(self)
    Runner.close = close_after_reading  # type: ignore[method-assign]
    own = resource.getrusage(resource.RUSAGE_SELF)
    with tempfile.TemporaryDirectory() as tmp:
        seconds, store, _ = bench.run_pipeline(Path(tmp), args.workers)
        store.close()
    own_after = resource.getrusage(resource.RUSAGE_SELF)
    own_cpu = own_after.ru_utime + own_after.ru_stime - own.ru_utime - own.ru_stime
    print(f"\nload average {os.getloadavg()[0]:.1f}; pipeline {seconds:.1f} s; babelwire's "
          f"process {own_cpu:.1f} CPU s (with start-up); engine processes "
          f"{engines_cpu[0]:.1f} CPU s\n")
    by_purpose: dict[str, float] = defaultdict(float)
    print(f"{'kind':16} {'pair/lang':24} {'purpose':28} {'calls':>6} {'items':>7} "
          f"{'wall s':>7} {'CPU s':>7}")
    for (kind, what, why), (calls, items, wall, cpu) in sorted(
            SPENT.items(), key=lambda kv: -kv[1][3]):
        by_purpose[why] += cpu
        print(f"{kind:16} {what:24} {why:28} {calls:6.0f} {items:7.0f} {wall:7.2f} {cpu:7.2f}")
    attributed = sum(by_purpose.values())
    print("\nengine CPU by purpose:")
    for why, cpu in sorted(by_purpose.items(), key=lambda kv: -kv[1]):
        print(f"  {why:28} {cpu:6.2f} s")
    print(f"  {'outside any call':28} {engines_cpu[0] - attributed:6.2f} s")
    print(f"\ntaggers replaced (each a new process): {sum(REPLACED.values())} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(REPLACED.items(), key=lambda kv: -kv[1]))})")


if __name__ == "__main__":
    main()
