"""Same story? babelwire's article similarity against human judgements, beside TF-IDF.

    python bench/stories.py [DATA] [--fit] [--grouping 1000,10000,100000]

DATA defaults to ../shared/data; the pairs are DATA/stories/pairs.jsonl (es and fr article pairs
of SemEval-2022 Task 8 with human scores) and DATA/stories/crosslingual.jsonl (newstest2013
documents paired across en, es and fr). "Same story" is ``overall <= 2``.

One pair in five (chosen by a hash of its id) is held out: never fitted, reported apart. On the
other four (development) everything tuned (the linear model's weights, the same-story cut, and
the baseline's cut) is cross-validated in 5 folds; ``--fit`` prints the weights fitted on all
the development pairs, which is what ``babelwire.stories.similarity`` ships. The held-out
figures are those of the shipped model. The baseline is plain TF-IDF cosine of title and text,
fitted in the same run on the same documents.

``--grouping`` stores that many synthetic articles (built from the newstest documents, spread
over time at a steady rate) and times ``babelwire.stories.grouping`` per new article.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy.stats import pearsonr
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import KFold

from babelwire.stories.compare import Pair, read_pairs
from babelwire.stories.similarity import CROSS_LANGUAGE, SAME_LANGUAGE, Model, features

ROOT = Path(__file__).resolve().parent.parent
KINDS = {"pairs": SAME_LANGUAGE, "crosslingual": CROSS_LANGUAGE}
CUTS = np.linspace(0.0, 1.0, 201)


def held_out(pair_id: str) -> bool:
    """Whether a pair is kept aside: one in five, by a hash of its id."""
    return hashlib.blake2b(pair_id.encode(), digest_size=4).digest()[0] % 5 == 0


def load(path: Path) -> tuple[list[Pair], np.ndarray]:
    """The pairs of a file and their ``overall`` human scores."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return read_pairs(lines, origin=str(path)), np.array(
        [json.loads(line)["overall"] for line in lines if line.strip()], dtype=float)


def signals(pairs: Sequence[Pair]) -> tuple[np.ndarray, np.ndarray]:
    """babelwire's four signals and the baseline's TF-IDF cosine, per pair."""
    docs = [d for p in pairs for d in (p.first, p.second)]
    index = [(2 * k, 2 * k + 1) for k in range(len(pairs))]
    ours = np.array(features(docs, index))
    tfidf = TfidfVectorizer().fit_transform([d.body for d in docs])
    base = np.array([float(tfidf[i].multiply(tfidf[j]).sum()) for i, j in index])
    return ours, base


def best_cut(scores: np.ndarray, same: np.ndarray) -> float:
    """The cut on ``scores`` that maximises F1 on these pairs (the middle of the best cuts:
    the widest margin on both sides)."""
    found = [f1(scores >= c, same) for c in CUTS]
    best = [c for c, f in zip(CUTS, found, strict=True) if f == max(found)]
    return float(best[len(best) // 2])


def f1(predicted: np.ndarray, truth: np.ndarray) -> float:
    """F1 of the positive class."""
    tp = float(np.sum(predicted & truth))
    return 0.0 if tp == 0 else 2 * tp / (float(np.sum(predicted)) + float(np.sum(truth)))


def fit(x: np.ndarray, overall: np.ndarray) -> Model:
    """The linear model and its same-story cut fitted on these pairs."""
    reg = LinearRegression(positive=True).fit(x, -overall)
    model = Model(tuple(float(w) for w in reg.coef_), float(reg.intercept_), 0.5)  # type: ignore[arg-type]
    scores = np.array([model.similarity(row) for row in x])
    return Model(model.weights, model.bias, best_cut(scores, overall <= 2))


def cross_validated(x: np.ndarray, base: np.ndarray, overall: np.ndarray
                    ) -> dict[str, float]:
    """Pearson and F1 of babelwire and of the baseline, each fold predicted by a fit on the
    four others."""
    ours, ours_same, base_same = np.zeros(len(x)), np.zeros(len(x), bool), np.zeros(len(x), bool)
    for train, test in KFold(5, shuffle=True, random_state=0).split(x):
        model = fit(x[train], overall[train])
        ours[test] = [model.similarity(row) for row in x[test]]
        ours_same[test] = ours[test] >= model.cut
        base_same[test] = base[test] >= best_cut(base[train], overall[train] <= 2)
    truth = overall <= 2
    return {"pearson": pearson(ours, overall), "f1": f1(ours_same, truth),
            "tfidf_pearson": pearson(base, overall), "tfidf_f1": f1(base_same, truth)}


def pearson(scores: np.ndarray, overall: np.ndarray) -> float:
    """Pearson correlation of similarity with the human score (1 = same story, so negated)."""
    return float(pearsonr(scores, -overall)[0])


def shipped(model: Model, x: np.ndarray, base: np.ndarray, overall: np.ndarray,
            base_cut: float) -> dict[str, float]:
    """The shipped model's figures on held-out pairs (and the baseline with its dev cut)."""
    scores = np.array([model.similarity(row) for row in x])
    truth = overall <= 2
    return {"pearson": pearson(scores, overall), "f1": f1(scores >= model.cut, truth),
            "tfidf_pearson": pearson(base, overall), "tfidf_f1": f1(base >= base_cut, truth)}


def quality(data: Path, show_fit: bool) -> None:
    """Print cross-validated development figures and held-out figures, per file and language."""
    for name, model in KINDS.items():
        pairs, overall = load(data / "stories" / f"{name}.jsonl")
        x, base = signals(pairs)
        dev = np.array([not held_out(p.id) for p in pairs])
        if show_fit:
            print(f"{name}: fitted on {dev.sum()} development pairs: {fit(x[dev], overall[dev])}")
        base_cut = best_cut(base[dev], overall[dev] <= 2)
        for lang in sorted({p.first.lang + "-" + p.second.lang for p in pairs}):
            mask = np.array([p.first.lang + "-" + p.second.lang == lang for p in pairs])
            if name == "crosslingual":
                mask = np.ones(len(pairs), bool)
                lang = "all"
            cv = cross_validated(x[dev & mask], base[dev & mask], overall[dev & mask])
            out = shipped(model, x[~dev & mask], base[~dev & mask], overall[~dev & mask],
                          base_cut)
            print(f"{name} {lang}: dev {int((dev & mask).sum())} pairs (5-fold CV) "
                  + _figures(cv) + f" | held-out {int((~dev & mask).sum())} pairs "
                  + _figures(out))
            if name == "crosslingual":
                break


def _figures(f: dict[str, float]) -> str:
    return (f"Pearson {f['pearson']:.3f} F1 {f['f1']:.3f} "
            f"(TF-IDF {f['tfidf_pearson']:.3f} / {f['tfidf_f1']:.3f})")


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--fit", action="store_true", help="print the fitted models")
    parser.add_argument("--grouping", default="", help="store sizes to time grouping at")
    args = parser.parse_args(argv)
    quality(args.data, args.fit)
    if args.grouping:
        from bench_stories_grouping import time_grouping  # type: ignore[import-not-found]

        time_grouping(args.data, [int(n) for n in args.grouping.split(",")])


if __name__ == "__main__":
    sys.exit(main())
