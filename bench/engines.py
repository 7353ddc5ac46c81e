"""Engine throughput on the same news sentences: batching and keeping engines alive.

    python bench/engines.py [DATA] [--articles 4] [--per-article 40] [--size base|tiny]

1. CTranslate2 (a random-weight model of OPUS-MT/Argos size, built on the spot: no download):
   the sentences of several articles translated by concurrent callers, gathered across articles
   by the micro-batcher, against one sentence per call. Output length is bounded (a random model
   never ends a sentence), so this measures cost, not quality.
2. Apertium: the kept-alive pipeline, one sentence per call, against a new ``apertium`` process
   per call (what a plain wrapper does).
3. Apertium: what determinism costs. babelwire's pipeline is cut at the tagger, which is
   replaced after any segment that changed its model (``translate.engines.apertium.tagger``),
   so that a sentence reads the same whatever was translated before; against the plain
   kept-alive pipeline of the same mode (which does not), article-sized calls of newstest2013
   sentences, per pair.

DATA defaults to ../shared/data (newstest2013 English sentences from mt/newstest2013/en.txt).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from unittest import mock

from babelwire.settings import Settings
from babelwire.translate.engines.apertium import engine as apertium
from babelwire.translate.engines.apertium.engine import ApertiumEngine
from babelwire.translate.engines.apertium.tagger import ModeParts
from babelwire.translate.engines.base import translate
from babelwire.translate.engines.neural import NeuralEngine
from babelwire.translate.engines.neural_models import ModelInfo, read_model

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.fakes: the tiny model the tests build
from tests.fakes import tiny  # noqa: E402


def sentences(data: Path, count: int) -> list[str]:
    """The first ``count`` English sentences of newstest2013."""
    lines = (data / "mt" / "newstest2013" / "en.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip()][:count]


def ctranslate2_ratio(data: Path, articles: int, per_article: int, size: tiny.Size) -> None:
    """Batched across concurrent articles vs one sentence per call, same model and sentences."""
    corpus = sentences(data, 3000)
    texts = corpus[:articles * per_article]
    with tempfile.TemporaryDirectory() as tmp:
        built = time.perf_counter()
        folder = tiny.build_package_dir(Path(tmp) / "translate-en_es", "en", "es", corpus,
                                        size=size)
        info = read_model(folder)
        assert info is not None
        print(f"model: {size.layers}+{size.layers} layers, d={size.d_model}, vocab "
              f"{size.vocab}, int8, built in {time.perf_counter() - built:.1f} s")
        common = Settings(ctranslate2_beam_size=2, ctranslate2_max_length=40,
                          ctranslate2_threads=2)
        alone = NeuralEngine(common.replace(ctranslate2_max_batch=1, ctranslate2_batch_wait=0.0),
                             models={("en", "es"): info})
        translate(alone, [texts[0]], "en", "es")                   # load before timing
        started = time.perf_counter()
        for text in texts:
            translate(alone, [text], "en", "es")
        single = time.perf_counter() - started
        alone.close()
        batched, mean = _concurrent(info, texts, articles, per_article, common)
    words = sum(len(t.split()) for t in texts)
    print(f"ctranslate2, one sentence per call:     {single:6.2f} s  "
          f"({words / single:6.0f} words/s)")
    print(f"ctranslate2, batched across {articles} articles: {batched:6.2f} s  "
          f"({words / batched:6.0f} words/s, {mean:.1f} sentences per batch)")
    print(f"ratio (batched / one per call):         {single / batched:6.2f}x")


def _concurrent(info: ModelInfo, texts: list[str], articles: int, per_article: int,
                common: Settings) -> tuple[float, float]:
    engine = NeuralEngine(common.replace(ctranslate2_max_batch=64, ctranslate2_batch_wait=0.01),
                          models={("en", "es"): info})
    translate(engine, [texts[0]], "en", "es")
    engine._loaded[("en", "es")].batcher.stats.batches = 0
    engine._loaded[("en", "es")].batcher.stats.sentences = 0
    barrier = threading.Barrier(articles)

    def article(index: int) -> None:
        barrier.wait()
        # each article's sentences arrive as the document layer sends them: in one call
        translate(engine, texts[index * per_article:(index + 1) * per_article], "en", "es")

    threads = [threading.Thread(target=article, args=(i,)) for i in range(articles)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    mean = engine._loaded[("en", "es")].batcher.stats.mean_batch
    engine.close()
    return seconds, mean


def apertium_ratio(data: Path, count: int) -> None:
    """The kept-alive pipeline vs a new process per call, one sentence per call each."""
    texts = sentences(data, count)
    engine = ApertiumEngine()
    translate(engine, ["warm up"], "en", "es")
    started = time.perf_counter()
    for text in texts:
        translate(engine, [text], "en", "es")
    alive = time.perf_counter() - started
    engine.close()
    started = time.perf_counter()
    for text in texts:
        subprocess.run(["apertium", "-u", "eng-spa"], input=text.encode(), check=True,
                       capture_output=True)
    fresh = time.perf_counter() - started
    print(f"apertium, kept alive:                   {alive:6.2f} s for {count} sentences "
          f"({alive / count * 1000:.0f} ms per call)")
    print(f"apertium, a new process per call:       {fresh:6.2f} s "
          f"({fresh / count * 1000:.0f} ms per call)")
    print(f"ratio (new process / kept alive):       {fresh / alive:6.2f}x")


def apertium_determinism(data: Path, count: int, per_call: int = 25) -> None:
    """The tagger-replacing pipeline vs the plain kept-alive one, per pair, best of two rounds."""
    print(f"apertium determinism ({count} sentences per pair, {per_call} per call):")
    for src, tgt in (("es", "fr"), ("en", "es"), ("es", "en"), ("fr", "es")):
        lines = (data / "mt" / "newstest2013" / f"{src}.txt").read_text(encoding="utf-8")
        texts = [line for line in lines.splitlines() if line.strip()][:count]
        # the plain pipeline: the same engine with its mode left whole (no tagger to replace)
        with mock.patch.object(apertium, "split_mode", lambda command: ModeParts(command, (), "")):
            plain = ApertiumEngine()
            translate(plain, texts[:1], src, tgt)            # start it while the patch holds
        clean = ApertiumEngine()
        best: dict[str, float] = {}
        for label, engine in (("plain", plain), ("clean", clean)) * 2:
            translate(engine, texts[:2], src, tgt)
            started = time.perf_counter()
            for start in range(0, len(texts), per_call):
                translate(engine, texts[start:start + per_call], src, tgt)
            best[label] = min(best.get(label, 1e9), time.perf_counter() - started)
        tagger = clean._pipelines[(src, tgt)].tagger
        restarts = tagger.restarts if tagger else 0
        plain.close()
        clean.close()
        print(f"  {src}->{tgt}: plain {best['plain']:5.2f} s, deterministic "
              f"{best['clean']:5.2f} s, ratio {best['clean'] / best['plain']:.2f}x, "
              f"tagger replaced {restarts} times in 2 rounds")


def main() -> None:
    """Parse arguments and run the three measurements."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", nargs="?", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--articles", type=int, default=4)
    parser.add_argument("--per-article", type=int, default=24)
    parser.add_argument("--apertium-sentences", type=int, default=30)
    parser.add_argument("--size", choices=("base", "tiny"), default="base")
    parser.add_argument("--determinism-sentences", type=int, default=600)
    args = parser.parse_args()
    size = tiny.BASE if args.size == "base" else tiny.TINY
    ctranslate2_ratio(args.data, args.articles, args.per_article, size)
    apertium_ratio(args.data, args.apertium_sentences)
    apertium_determinism(args.data, args.determinism_sentences)


if __name__ == "__main__":
    main()
