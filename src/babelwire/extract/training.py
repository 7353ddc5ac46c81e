"""Training the block model (:mod:`~babelwire.extract.classifier`) on the shared benchmarks.

Used by ``scripts/train_extractor.py`` (the shipped model) and ``bench/extraction.py`` (one model
per cross-validation fold). Needs scikit-learn, which only training needs.

Pages come from ``extraction/`` under the shared data folder (its README describes the splits).
Each segment of a page is labelled from the page's expectation:

- a full expected text (ScrapingHub, the "full" multilingual pages): text when at least half of the
  segment's word 4-grams (its words, when it has fewer than four) occur in the expected text,
  boilerplate otherwise;
- snippets (trafilatura's evaluation pages, goose3's prefixes): text when it holds, or is held by,
  a "with" snippet; boilerplate when it holds, or is held by, a "without" snippet; other segments
  are left out, as nothing says what they are.

Rows are weighted by the square root of the segment's length, since the metrics count words, not
blocks.

The two thresholds of :mod:`~babelwire.extract.combine` are chosen on the training pages alone
(:func:`choose_thresholds`): an inner cross-validation by site gives every training row a score
from a model that never saw its site, and each threshold is the candidate that gains most words
(page by page, as the metrics average pages) on those scores. No page outside the training set
tunes anything, so a cross-validation fold's pages tune neither the model nor its thresholds.
"""

from __future__ import annotations

import gzip
import json
import math
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babelwire.exceptions import ExtractError
from babelwire.extract.features import Segment, own_segments
from babelwire.extract.furniture import InMemoryFurniture, remembered, site_of
from babelwire.extract.source import ParsedPage, parse_page

SPLITS = ("scrapinghub", "trafilatura", "multilingual_extra")
SEED = 20261205
PARAMS: dict[str, Any] = {"max_iter": 150, "learning_rate": 0.1, "max_leaf_nodes": 24,
                          "max_depth": 7, "min_samples_leaf": 20, "l2_regularization": 1.0}
ASIDE_SHARE = 0.2
INNER_FOLDS = 3
DROP_CANDIDATES = (0.1, 0.2, 0.3, 0.4, 0.5)
ADD_CANDIDATES = (0.9, 0.8, 0.7, 0.6, 0.5)
TEXT_SHARE = 0.5
MIN_SNIPPET_CHARS = 15
_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Truth:
    """What a page's article is: its full text, or snippets it must and must not contain."""

    text: str | None = None
    with_: tuple[str, ...] = ()
    without: tuple[str, ...] = ()


@dataclass(frozen=True)
class BenchPage:
    """One labelled benchmark page: split, id, raw bytes, URL ('' when unknown) and truth."""

    split: str
    id: str
    raw: bytes
    url: str
    truth: Truth

    @property
    def site(self) -> str:
        """The site the page groups with (its id when it has no URL)."""
        return site_of(self.url) or self.id


def _read(folder: Path, relative: str) -> bytes:
    with gzip.open(folder / relative) as handle:
        return handle.read()


def _url(value: Any) -> str:
    url = str(value or "")
    return url if url.startswith(("http://", "https://")) else ""


def load_split(data: Path, split: str, limit: int | None = None) -> list[BenchPage]:
    """The pages of one split of ``data/extraction`` with their truths, in id order."""
    folder = data / "extraction" / split
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    if split == "scrapinghub":
        return [BenchPage(split, i, _read(folder, f"html/{i}.html.gz"), _url(truth[i]["url"]),
                          Truth(text=truth[i]["articleBody"])) for i in sorted(truth)[:limit]]
    pages = []
    for record in truth[:limit]:
        if split == "trafilatura":
            expected = Truth(with_=tuple(record["with"]), without=tuple(record["without"]))
        elif record["expected_type"] == "full":
            expected = Truth(text=record["expected_text"])
        else:
            expected = Truth(with_=(record["expected_text"],))
        pages.append(BenchPage(split, str(record["id"]), _read(folder, record["html"]),
                               _url(record.get("url")), expected))
    return pages


def aside_sites(sites: dict[tuple[str, str], str], seed: int = SEED) -> set[str]:
    """The sites kept aside: :data:`ASIDE_SHARE` of each split's sites (seeded), given the site
    of each ``(split, id)``. Their pages neither train nor tune while the extractor is developed
    (``bench/extraction.py --part dev``); ``--part aside`` measures them once at the end."""
    chosen: set[str] = set()
    for split in SPLITS:
        names = sorted({site for (s, _), site in sites.items() if s == split})
        random.Random(f"{seed}-{split}").shuffle(names)
        chosen.update(names[:math.ceil(ASIDE_SHARE * len(names))])
    return chosen


def _shingles(tokens: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i:i + 4]) for i in range(len(tokens) - 3)}


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _holds(text: str, snippets: Iterable[str]) -> bool:
    """Whether ``text`` holds one of ``snippets`` or is (long enough and) held by one."""
    for snippet in snippets:
        snippet = _normal(snippet)
        if snippet and (snippet in text or (len(text) >= MIN_SNIPPET_CHARS and text in snippet)):
            return True
    return False


def labels(segs: Sequence[Segment], truth: Truth) -> list[int | None]:
    """1 (text), 0 (boilerplate) or None (unknown) for each segment, by the rules above."""
    if truth.text is not None:
        tokens = _TOKEN.findall(truth.text)
        known, joined = _shingles(tokens), f" {' '.join(tokens)} "
        out: list[int | None] = []
        for seg in segs:
            words = _TOKEN.findall(seg.text)
            if len(words) < 4:
                out.append(int(bool(words) and f" {' '.join(words)} " in joined))
                continue
            mine = _shingles(words)
            out.append(int(len(mine & known) >= TEXT_SHARE * len(mine)))
        return out
    result: list[int | None] = []
    for seg in segs:
        good, bad = _holds(seg.text, truth.with_), _holds(seg.text, truth.without)
        result.append(1 if good and not bad else 0 if bad and not good else None)
    return result


def parse_site(pages: Sequence[BenchPage]) -> list[tuple[BenchPage, ParsedPage]]:
    """Parse pages of one site and add them to a fresh site memory, as a feed batch would."""
    parsed = []
    for page in pages:
        try:
            parsed.append((page, parse_page(page.raw, page.url or "http://unknown.invalid/")))
        except ExtractError:
            continue
    return parsed


def by_site(pages: Sequence[BenchPage]) -> dict[str, list[BenchPage]]:
    """Pages grouped by site, in first-seen order."""
    groups: dict[str, list[BenchPage]] = defaultdict(list)
    for page in pages:
        groups[page.site].append(page)
    return dict(groups)


@dataclass
class PageRows:
    """The labelled feature rows of one page."""

    split: str
    id: str
    rows: list[list[float]]
    labels: list[int]
    weights: list[float]
    site: str = ""


def page_rows(pages: Sequence[BenchPage]) -> list[PageRows]:
    """Feature rows and labels of every segment with a label, page by page (sites together).

    The segments are the page's own block elements: text that no block element holds is not
    made into segments here (:mod:`~babelwire.extract.runs`), so the model learns what article
    paragraphs are from what pages mark as paragraphs, and at extraction judges such text as it
    judges them. Trained on those runs too, the cross-validated gain on trafilatura's pages was
    larger, but the shipped model's thresholds moved and ScrapingHub's kept-aside pages lost
    a little (docs/performance.md, "Text that no element holds")."""
    from babelwire.extract.article import block_features, learned_furniture

    out = []
    for site, site_pages in by_site(pages).items():
        templates = InMemoryFurniture()
        parsed = parse_site(site_pages)
        for _page, one in parsed:
            own_segments(one)   # before the memory and the features read them: see above
            templates.remember(site_of(one.url), remembered(one))
        for page, one in parsed:
            segs, rows = block_features(one, learned_furniture(one, templates))
            marks = labels(segs, page.truth)
            kept = [(r, m, s) for r, m, s in zip(rows, marks, segs, strict=True) if m is not None]
            out.append(PageRows(page.split, page.id, [r for r, _, _ in kept],
                                [m for _, m, _ in kept if m is not None],
                                [len(s.text) ** 0.5 for _, _, s in kept], site))
    return out


def fit(pages: Sequence[PageRows], seed: int = SEED) -> Any:
    """A fitted ``HistGradientBoostingClassifier`` on the rows of ``pages``."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    rows = [r for p in pages for r in p.rows]
    marks = [m for p in pages for m in p.labels]
    weights = [w for p in pages for w in p.weights]
    model = HistGradientBoostingClassifier(random_state=seed, early_stopping=False, **PARAMS)
    return model.fit(rows, marks, sample_weight=weights)


def export(model: Any, version: int, info: dict[str, Any]) -> dict[str, Any]:
    """The JSON form of a fitted model (read back by
    :func:`babelwire.extract.classifier.model_from_dict`)."""
    from babelwire.extract.features import FEATURES

    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        trees.append({"feature": nodes["feature_idx"].tolist(),
                      "threshold": [float(t) for t in nodes["num_threshold"]],
                      "left": nodes["left"].tolist(), "right": nodes["right"].tolist(),
                      "missing_left": nodes["missing_go_to_left"].astype(int).tolist(),
                      "leaf": nodes["is_leaf"].astype(int).tolist(),
                      "value": [round(float(v), 6) for v in nodes["value"]]})
    depth = max(int(p[0].nodes["depth"].max()) for p in model._predictors)
    return {"version": version, "features": list(FEATURES), "trees": trees,
            "baseline": float(model._baseline_prediction.ravel()[0]), "depth": depth,
            "info": info}


def _inner_scores(pages: Sequence[PageRows], seed: int) -> list[list[float]]:
    """Each page's row scores from a model fitted without the page's site (inner folds)."""
    sites = sorted({p.site or p.id for p in pages})
    random.Random(seed).shuffle(sites)
    fold_of = {site: i % INNER_FOLDS for i, site in enumerate(sites)}
    scores: list[list[float]] = [[] for _ in pages]
    for fold in range(INNER_FOLDS):
        test = [i for i, p in enumerate(pages) if fold_of[p.site or p.id] == fold]
        train = [p for p in pages if fold_of[p.site or p.id] != fold]
        if not test or not train:
            continue
        model = fit(train, seed)
        for i in test:
            if pages[i].rows:
                scores[i] = model.predict_proba(pages[i].rows)[:, 1].tolist()
    return scores


def choose_thresholds(pages: Sequence[PageRows], seed: int = SEED) -> tuple[float, float]:
    """``(drop_below, add_above)`` for :func:`~babelwire.extract.combine.combine`, from
    ``pages`` only (see the module docstring).

    Dropping a block of trafilatura's body (``in_candidate``) that is not running text gains its
    words when it is boilerplate and loses them when it is text; adding a paragraph-like segment
    next to that body (``near_candidate``) gains its words when it is text and loses them
    otherwise. Words count as a share of the page's labelled words. Ties go to the cautious
    candidate (drop less, add less).
    """
    from babelwire.extract.combine import MIN_ADDED_CHARS, PROSE_LINK_DENSITY, PROSE_WORDS
    from babelwire.extract.features import FEATURES

    column = {name: FEATURES.index(name) for name in (
        "in_candidate", "near_candidate", "log_words", "log_chars", "link_density",
        "tag_0", "tag_2", "tag_5", "tag_6")}
    drops: list[tuple[float, float]] = []
    adds: list[tuple[float, float]] = []
    for page, scores in zip(pages, _inner_scores(pages, seed), strict=True):
        words = [math.expm1(row[column["log_words"]]) for row in page.rows]
        total = sum(words) or 1.0
        for row, mark, score, count in zip(page.rows, page.labels, scores, words, strict=False):
            gain = count / total * (1.0 if mark else -1.0)
            if row[column["in_candidate"]]:
                prose = count >= PROSE_WORDS and row[column["link_density"]] < PROSE_LINK_DENSITY
                if not prose:
                    drops.append((score, -gain))
            elif (row[column["near_candidate"]] > 0
                  and math.expm1(row[column["log_chars"]]) >= MIN_ADDED_CHARS
                  and any(row[column[t]] for t in ("tag_0", "tag_2", "tag_5", "tag_6"))):
                adds.append((score, gain))

    def best(candidates: Sequence[float], pairs: list[tuple[float, float]],
             taken: Any) -> float:
        choice, top = candidates[0], sum(g for s, g in pairs if taken(s, candidates[0]))
        for value in candidates[1:]:
            total = sum(g for s, g in pairs if taken(s, value))
            if total > top:
                choice, top = value, total
        return choice

    return (best(DROP_CANDIDATES, drops, lambda s, t: s < t),
            best(ADD_CANDIDATES, adds, lambda s, t: s >= t))


def train(pages: Sequence[PageRows], version: int, info: dict[str, Any],
          seed: int = SEED) -> dict[str, Any]:
    """The JSON form of a model fitted on ``pages``, with thresholds chosen on them alone."""
    drop_below, add_above = choose_thresholds(pages, seed)
    data = export(fit(pages, seed), version, info)
    data.update(drop_below=drop_below, add_above=add_above)
    return data
