"""End-to-end throughput of the embedded pipeline on the demo sources, against Apertium alone.

    python bench/pipeline.py [--workers N]

Runs the whole pipeline (poll, fetch from the local sample sites, extract, translate, check,
store, publish) on the bundled demo sources in a fresh data directory, then translates the same
extracted text with the Apertium engine alone (same pairs, English<->French through Spanish, one
kept-alive pipeline per pair, paragraphs sent in batches) and prints both and their ratio, with
the CPU of babelwire's own process and of the engines' processes during the pipeline run
(``bench/pipeline_cpu.py`` splits the latter by pair and purpose).

What each side's time includes: the pipeline's, everything from the first poll to the last
publish, with starting every engine process it uses (the four pairs' pipelines and the twelve
that only route choice uses, the analysers of the checks and of name detection); Apertium
alone's, translating the text, and, in the fair ratio, starting its four pipelines too (timed
apart: before 2026-12-06 the only ratio printed left that start out).
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from proc import TICK, cpu_ticks, stat_fields

from babelwire.cli.demo import demo_settings, subscribe
from babelwire.demo.sites import SampleSitesServer
from babelwire.run.runner import Runner
from babelwire.settings import load
from babelwire.store import Store
from babelwire.translate.engines.apertium.engine import ApertiumEngine
from babelwire.translate.engines.base import translate


def run_pipeline(home: Path, workers: int) -> tuple[float, Store, int]:
    """Run the demo pipeline once; returns (seconds, store, translations made)."""
    with SampleSitesServer(0) as server:
        settings = demo_settings(load({"workers": workers}, home=home), server.port)
        store = Store(settings.db_url)
        subscribe(store, server)
        runner = Runner(settings, store)
        started, cpu, engines = time.perf_counter(), _own_cpu(), engines_cpu()
        report = runner.run(once=True)
        seconds = time.perf_counter() - started
        cpu = _own_cpu() - cpu
        engines = engines_cpu() - engines
        runner.close()
    made = sum(store.summary()["translations"].values())
    print(f"pipeline: {report.worked} articles, {made} translations, {seconds:.1f} s "
          f"(babelwire's own process: {cpu:.1f} CPU s, {cpu / max(report.worked, 1) * 1000:.0f} ms "
          f"an article; the engines' processes: {engines:.1f} CPU s; load average "
          f"{os.getloadavg()[0]:.1f})")
    return seconds, store, made


def engines_cpu() -> float:
    """CPU seconds of every process this one started, alive (read in ``/proc``, with the
    children they reaped) or ended and reaped: the engines' processes."""
    stats = {int(name): fields for name in os.listdir("/proc") if name.isdigit()
             and (fields := stat_fields(int(name))) is not None}
    me, total = os.getpid(), 0.0
    for pid, fields in stats.items():
        up = int(fields[1])
        while up not in (0, 1, me) and up in stats:
            up = int(stats[up][1])
        if up == me and pid != me:
            total += cpu_ticks(fields) / TICK
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return total + children.ru_utime + children.ru_stime


def _own_cpu() -> float:
    """CPU seconds of this process (all threads), without its child processes (the engines)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def apertium_alone(store: Store) -> tuple[float, int, float]:
    """Translate the stored articles' text with Apertium alone; returns (seconds, words,
    seconds spent before, starting the pipelines). Debian's pipelines as they are: without
    babelwire's lexical stages (``lexical``), which are babelwire's work, as the pipeline's
    (until 2026-12-07 they were counted on this side: then they cost nothing measurable; the
    offers and defaults added that day cost Apertium alone 10-15 %)."""
    engine = ApertiumEngine(lexical_choices=False)
    jobs = []
    for item_id, lang, _status in store.iter_translations():
        article = store.load_article(item_id)
        if article is not None:
            paragraphs = [article.title, *[p for p in article.text.split("\n") if p.strip()]]
            jobs.append((paragraphs, article.lang, lang))
    starting = time.perf_counter()
    for src, tgt in {(s, t) for _, s, t in jobs}:  # start every pipeline before timing
        for a, b in _steps(src, tgt):
            translate(engine, ["warm up"], a, b)
    start = time.perf_counter() - starting
    words = sum(len(" ".join(p).split()) for p, _, _ in jobs)
    started = time.perf_counter()
    for paragraphs, src, tgt in jobs:
        texts = paragraphs
        for a, b in _steps(src, tgt):
            texts = translate(engine, texts, a, b)
    seconds = time.perf_counter() - started
    engine.close()
    print(f"apertium alone: {len(jobs)} translations, {words} source words, {seconds:.1f} s "
          f"({words / seconds:,.0f} words/s), after {start:.1f} s starting its pipelines")
    return seconds, words, start


def _steps(src: str, tgt: str) -> list[tuple[str, str]]:
    if {src, tgt} == {"en", "fr"}:
        return [(src, "es"), ("es", tgt)]
    return [(src, tgt)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        seconds, store, made = run_pipeline(Path(tmp), args.workers)
        articles = store.summary()["items"]
        total = sum(articles.values())
        alone, _, start = apertium_alone(store)
        store.close()
    print()
    print(f"{'embedded pipeline':28} {total / seconds * 60:8.1f} articles/min "
          f"({made / seconds * 60:.1f} translations/min)")
    print(f"{'apertium alone, same text':28} {total / alone * 60:8.1f} articles/min "
          f"({total / (alone + start) * 60:.1f} with starting its pipelines)")
    print(f"{'ratio, both with starts':28} {seconds / (alone + start):8.2f}x the time of Apertium "
          f"alone with its pipelines' start")
    print(f"{'ratio pipeline/apertium':28} {seconds / alone:8.2f}x the time of Apertium alone "
          f"without it (the figure printed before 2026-12-06)")


if __name__ == "__main__":
    main()
