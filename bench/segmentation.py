"""Sentence segmentation on newstest2013: babelwire's splitter against pysbd.

Each document of ``mt/newstest2013`` (boundaries from ``docs.tsv``) is joined back into one text
with single spaces; the line boundaries are the truth. Prints boundary precision, recall and F1 per
language for babelwire's ``split_sentences`` and for the baseline (pysbd, if installed).

    python bench/segmentation.py [DATA_DIR]        # DATA_DIR defaults to ../shared/data
"""

from __future__ import annotations

import argparse
import csv
import time
from collections.abc import Callable
from pathlib import Path

from babelwire.translate.segment import boundaries

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("en", "es", "fr")
Splitter = Callable[[str, str], set[int]]


def load_documents(data: Path, lang: str) -> list[list[str]]:
    """The documents of newstest2013 in ``lang``, each as its list of lines."""
    folder = data / "mt" / "newstest2013"
    lines = (folder / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
    docs = []
    with (folder / "docs.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            docs.append(lines[int(row["first_line"]) - 1:int(row["last_line"])])
    return docs


def true_boundaries(doc: list[str]) -> tuple[str, set[int]]:
    """The joined text and the offsets where each line but the last ends."""
    text, cuts, pos = " ".join(doc), set(), 0
    for line in doc[:-1]:
        pos += len(line)
        cuts.add(pos)
        pos += 1
    return text, cuts


def babelwire_splitter(text: str, lang: str) -> set[int]:
    """Boundaries found by babelwire."""
    return set(boundaries(text, lang))


def pysbd_splitter_factory() -> Splitter | None:
    """pysbd as a splitter, or None when it is not installed."""
    try:
        import pysbd
    except ImportError:
        return None
    segmenters = {lang: pysbd.Segmenter(language=lang, clean=False, char_span=True)
                  for lang in LANGS}

    def split(text: str, lang: str) -> set[int]:
        spans = segmenters[lang].segment(text)
        return {len(text[:s.end].rstrip()) for s in spans[:-1]}

    return split


def score(splitter: Splitter, docs: list[list[str]],
          lang: str) -> tuple[float, float, float, float]:
    """Precision, recall, F1 of boundaries, and seconds taken."""
    tp = fp = fn = 0
    started = time.perf_counter()
    for doc in docs:
        text, truth = true_boundaries(doc)
        found = splitter(text, lang)
        tp += len(found & truth)
        fp += len(found - truth)
        fn += len(truth - found)
    seconds = time.perf_counter() - started
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, seconds


def main() -> None:
    """Print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default=str(ROOT.parent / "shared" / "data"))
    args = parser.parse_args()
    data = Path(args.data)
    splitters: dict[str, Splitter] = {"babelwire": babelwire_splitter}
    baseline = pysbd_splitter_factory()
    if baseline is None:
        print("pysbd not installed: baseline skipped (pip install pysbd)")
    else:
        splitters["pysbd"] = baseline
    print("Headlines have no final punctuation: no splitter finds their boundary (recall ceiling).")
    print(f"{'lang':4} {'splitter':10} {'precision':>9} {'recall':>7} {'F1':>6} {'seconds':>8}")
    folder = data / "mt" / "newstest2013"
    # a folder of documents kept outside the repository may hold some of the languages only
    langs = [lang for lang in LANGS if (folder / f"{lang}.txt").is_file()]
    if not langs or not (folder / "docs.tsv").is_file():
        parser.error(f"no newstest2013 documents (LANG.txt and docs.tsv) under {folder}")
    for lang in langs:
        docs = load_documents(data, lang)
        for name, splitter in splitters.items():
            p, r, f, s = score(splitter, docs, lang)
            print(f"{lang:4} {name:10} {p:9.3f} {r:7.3f} {f:6.3f} {s:8.2f}")


if __name__ == "__main__":
    main()
