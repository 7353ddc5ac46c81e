"""Article-extraction benchmark: babelwire vs trafilatura alone vs readability-lxml, same run.

    python bench/extraction.py [--data PATH] [--split NAME ...] [--limit N] [--folds K]
                               [--part all|dev|aside] [--tools NAME ...]
    python bench/extraction.py --furniture [--data PATH]
    python bench/extraction.py --speed [--split NAME ...] [--rounds N] [--data PATH]

Data: ``extraction/`` under PATH (default ``../shared/data`` next to the repository), described in
its README. Splits and metrics:

- ``scrapinghub``: the article-extraction-benchmark metric (word 4-gram shingles, per-page
  tp/fp/fn normalised by their sum, corpus precision and recall as means over pages, F1 of the two
  means; accuracy = identical token lists), as its ``evaluate.py`` defines it.
- ``trafilatura``: trafilatura's snippet metric (whitespace-normalised, case-sensitive substring
  tests of "with" / "without" snippets, micro-averaged counts).
- ``multilingual_extra``: "full" pages with the shingle metric; "prefix" pages counted as found
  when the whitespace-normalised expected prefix occurs in the output.

Tools: ``babelwire-cv`` is babelwire with a block model trained afresh for each of K folds
(default 5) on every other page of every split: the folds group pages by site (the same folds for
every split, so the splits share their K models), and no page of a test fold's sites trains its
model or chooses its thresholds (an inner cross-validation on the training pages does,
:func:`babelwire.extract.training.choose_thresholds`), so each page is scored by a model that
never saw its site.

Parts (``--part``): ``all`` pages; ``dev``, the development pages: a fifth of each split's sites
(:func:`babelwire.extract.training.aside_sites`, seeded) is kept aside, neither scored nor
training; ``aside``, those pages alone, each scored by one model trained on every development
page (measured once, when the development is done).
``babelwire`` is babelwire with the shipped model, which was trained on all of the shared pages:
on them its figures are *training-set* figures. Each table says how many of its pages trained
the shipped model (the model file records them), so that the same command on pages kept outside
the repository prints a held-out figure, labelled as one. babelwire's cleanup rules were written
while looking at the shared pages, so even the cross-validated figures are on pages that tuned
the rules. PATH may hold any of the three splits: those it holds are run (and, for
``babelwire-cv``, train the folds' models).

Every tool gets the page's raw bytes and its URL and decodes them itself; pages run one after the
other in one process, so pages per second compare like with like; they are pages per second of
this process's CPU time (``time.process_time``), since the machine is shared and wall-clock
figures move with the other processes' load. ``--speed`` measures only that, the way the
documentation's figures are measured: babelwire and trafilatura alone take turns, eight pages
at a time, in one process, so that the load of the machine falls on both alike; it prints both
rates and their ratio. babelwire sees the pages of each
site together (as a feed batch would give them) and learns that site's furniture from them; it
never sees the expected outputs. trafilatura runs as the README's reference does
(``fast=False, include_tables=True, include_comments=False``); readability-lxml as
``Document(page).summary()``, its HTML turned into text block by block.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import html as lxml_html
from readability import Document
from urllib3.exceptions import DependencyWarning

from babelwire.exceptions import ExtractError
from babelwire.extract import InMemoryFurniture, extract_article, extract_articles, site_of
from babelwire.extract.classifier import BlockModel, model_from_dict, shipped_model
from babelwire.extract.training import (
    SEED,
    SPLITS,
    PageRows,
    aside_sites,
    load_split,
    page_rows,
    train,
)

with warnings.catch_warnings():
    # trafilatura probes urllib3's optional SOCKS support; without PySocks urllib3 warns.
    warnings.simplefilter("ignore", DependencyWarning)
    import trafilatura

REPO = Path(__file__).resolve().parent.parent
TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)
SPACE = re.compile(r"\s+")
TOOLS = ("babelwire-cv", "babelwire", "trafilatura", "readability")
LABELS = {"babelwire-cv": "babelwire-cv", "babelwire": "babelwire*"}


@dataclass(frozen=True)
class Page:
    """One benchmark page: id, raw bytes, URL (may be empty) and the site it groups with."""

    id: str
    raw: bytes
    url: str


# --- metrics ---------------------------------------------------------------------------------


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of word n-grams; a text shorter than n gives one shorter tuple."""
    tokens = TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def shingle_counts(truth: str, prediction: str, n: int = 4) -> tuple[float, float, float]:
    """Per-page (tp, fp, fn), normalised by their sum when it is positive."""
    expected, got = shingles(truth, n), shingles(prediction, n)
    tp = fp = fn = 0
    for key in expected.keys() | got.keys():
        tp += min(expected[key], got[key])
        fp += max(0, got[key] - expected[key])
        fn += max(0, expected[key] - got[key])
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def shingle_scores(pairs: Iterable[tuple[str, str]]) -> dict[str, float]:
    """Corpus precision, recall, F1 and accuracy of (truth, prediction) pairs."""
    precisions, recalls, exact, pages = [], [], 0, 0
    for truth, prediction in pairs:
        pages += 1
        exact += TOKEN.findall(truth) == TOKEN.findall(prediction or "")
        tp, fp, fn = shingle_counts(truth, prediction)
        if fp == 0 and fn == 0:
            precision = recall = 1.0
        else:
            precision = tp / (tp + fp) if tp + fp > 0 else 0.0
            recall = tp / (tp + fn) if tp + fn > 0 else 0.0
        if tp + fp > 0:
            precisions.append(precision)
        if tp + fn > 0:
            recalls.append(recall)
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f1, "accuracy": exact / max(pages, 1)}


def snippet_scores(records: Iterable[tuple[Sequence[str], Sequence[str], str]]) -> dict[str, float]:
    """trafilatura's metric over (with, without, prediction) triples, micro-averaged."""
    tp = fn = fp = tn = 0
    for with_, without, prediction in records:
        text = SPACE.sub(" ", prediction or "").strip()
        for snippet in with_:
            found = SPACE.sub(" ", snippet).strip() in text
            tp, fn = tp + found, fn + (not found)
        for snippet in without:
            found = SPACE.sub(" ", snippet).strip() in text
            fp, tn = fp + found, tn + (not found)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": precision, "recall": recall,
            "f1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0,
            "accuracy": (tp + tn) / max(tp + fp + fn + tn, 1)}


# --- tools -----------------------------------------------------------------------------------


def run_babelwire(pages: Sequence[Page], model: BlockModel | None = None) -> dict[str, str]:
    """babelwire's article text per page, each site's pages extracted together."""
    by_site: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        by_site[site_of(page.url) or page.id].append(page)
    out: dict[str, str] = {}
    for site_pages in by_site.values():
        batch = [(p.raw, p.url or "http://unknown.invalid/") for p in site_pages]
        results = extract_articles(batch, InMemoryFurniture(), model=model)
        for page, result in zip(site_pages, results, strict=True):
            out[page.id] = "" if isinstance(result, ExtractError) else result.text
    return out


def run_trafilatura(pages: Sequence[Page]) -> dict[str, str]:
    """trafilatura alone, as the benchmark README's reference row runs it."""
    return {p.id: trafilatura.extract(p.raw, url=p.url or None, fast=False, include_tables=True,
                                      include_comments=False) or "" for p in pages}


def _html_text(fragment: str) -> str:
    if not fragment.strip():
        return ""
    root = lxml_html.fromstring(fragment)
    for element in root.iter("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br",
                             "td", "blockquote", "pre", "dd", "dt", "figcaption"):
        element.tail = "\n" + (element.tail or "")
    return str(root.text_content())


def run_readability(pages: Sequence[Page]) -> dict[str, str]:
    """readability-lxml's summary, as text."""
    out = {}
    for page in pages:
        try:
            out[page.id] = _html_text(Document(page.raw, url=page.url or None).summary())
        except Exception:  # a crash counts as an empty output
            out[page.id] = ""
    return out


RUNNERS: dict[str, Callable[[Sequence[Page]], dict[str, str]]] = {
    "babelwire": lambda pages: run_babelwire(pages), "trafilatura": run_trafilatura,
    "readability": run_readability}


SPEED_CHUNK = 8


def speed(pages: Sequence[Page], rounds: int = 1, chunk: int = SPEED_CHUNK) -> dict[str, float]:
    """Pages per second of CPU time of babelwire and of trafilatura alone, taking turns
    ``chunk`` pages at a time (babelwire sees each chunk's pages of a site together), over
    ``rounds`` passes; the first chunk runs once beforehand, unmeasured (the block model and
    language model load, imports warm up)."""
    runners = {"babelwire": RUNNERS["babelwire"], "trafilatura": run_trafilatura}
    for run in runners.values():
        run(pages[:chunk])
    spent = dict.fromkeys(runners, 0.0)
    for _ in range(rounds):
        for start in range(0, len(pages), chunk):
            part = pages[start:start + chunk]
            for tool, run in runners.items():
                started = time.process_time()
                run(part)
                spent[tool] += time.process_time() - started
    return {tool: rounds * len(pages) / max(seconds, 1e-9) for tool, seconds in spent.items()}


# --- splits ----------------------------------------------------------------------------------


def _read(folder: Path, relative: str) -> bytes:
    with gzip.open(folder / relative) as handle:
        return handle.read()


def load_scrapinghub(folder: Path, limit: int | None) -> tuple[list[Page], dict[str, str]]:
    """Pages and expected article bodies of the scrapinghub split."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[:limit]
    pages = [Page(i, _read(folder, f"html/{i}.html.gz"), truth[i]["url"]) for i in ids]
    return pages, {i: truth[i]["articleBody"] for i in ids}


def load_records(folder: Path, limit: int | None) -> tuple[list[Page], list[dict[str, Any]]]:
    """Pages and ground-truth records of the trafilatura or multilingual_extra split."""
    records = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))[:limit]
    pages = []
    for record in records:
        url = str(record.get("url") or "")
        url = url if url.startswith(("http://", "https://")) else ""
        pages.append(Page(str(record["id"]), _read(folder, str(record["html"])), url))
    return pages, records


def score_scrapinghub(truth: dict[str, str], output: dict[str, str]) -> dict[str, float]:
    """Shingle scores of one tool's output on the scrapinghub split."""
    return shingle_scores((truth[i], output.get(i, "")) for i in truth)


def score_trafilatura(records: list[dict[str, Any]], output: dict[str, str]) -> dict[str, float]:
    """Snippet scores of one tool's output on the trafilatura split."""
    return snippet_scores((r["with"], r["without"], output.get(str(r["id"]), "")) for r in records)


def score_multilingual(records: list[dict[str, Any]], output: dict[str, str]) -> dict[str, float]:
    """Shingle scores on the "full" pages, plus the share of "prefix" pages found."""
    full = [r for r in records if r["expected_type"] == "full"]
    prefix = [r for r in records if r["expected_type"] == "prefix"]
    scores = shingle_scores((str(r["expected_text"]), output.get(str(r["id"]), "")) for r in full)
    found = sum(SPACE.sub(" ", str(r["expected_text"])).strip()
                in SPACE.sub(" ", output.get(str(r["id"]), "")) for r in prefix)
    scores["prefixes"] = found / max(len(prefix), 1)
    return scores


# --- furniture ---------------------------------------------------------------------------------


def fidelity_cases(folders: Sequence[Path]) -> list[tuple[Path, dict[str, Any]]]:
    """Every fidelity case under ``folders``: a folder with ``case.json`` and a page."""
    cases = []
    for folder in folders:
        for case in sorted(folder.glob("*/case.json")):
            if (case.parent / "page.html").exists() or (case.parent / "page.html.gz").exists():
                cases.append((case.parent, json.loads(case.read_text(encoding="utf-8"))))
    return cases


def _case_page(folder: Path) -> bytes:
    plain = folder / "page.html"
    return plain.read_bytes() if plain.exists() else _read(folder, "page.html.gz")


def furniture_left(folders: Sequence[Path]) -> dict[str, dict[str, int]]:
    """Per tool: the fidelity cases' template phrases found in the extracted title and text,
    the cases with any, and the cases whose paragraph count is the case's."""
    tally: dict[str, dict[str, int]] = {t: Counter() for t in ("babelwire", "trafilatura")}
    for folder, case in fidelity_cases(folders):
        raw, phrases = _case_page(folder), [p.lower() for p in case["template_phrases"]]
        try:
            article = extract_article(raw, case["url"])
            ours, paragraphs = f"{article.title}\n{article.text}", article.html.count("<p>")
        except ExtractError:
            ours, paragraphs = "", 0
        theirs = trafilatura.extract(raw, url=case["url"], fast=False, include_tables=True,
                                     include_comments=False, with_metadata=True) or ""
        for tool, text in (("babelwire", ours), ("trafilatura", theirs)):
            left = sum(p in text.lower() for p in phrases)
            tally[tool].update({"cases": 1, "phrases": len(phrases), "left": left,
                                "cases_with_furniture": int(left > 0)})
        tally["babelwire"]["paragraphs_right"] += paragraphs == case["paragraphs"]
    return {tool: dict(counts) for tool, counts in tally.items()}


# --- main ------------------------------------------------------------------------------------


# --- cross-validation ------------------------------------------------------------------------


def site_folds(pages: Sequence[Page], folds: int, seed: int = SEED,
               known: Iterable[str] = ()) -> list[tuple[set[str], list[Page]]]:
    """``pages`` in ``folds`` groups, all pages of a site in one group, with each group's sites.

    The sites of ``pages`` and the ``known`` ones (every site of the training pages) are shuffled
    (seeded) and dealt round, so that a site falls in the same fold whichever split is scored:
    the folds of all splits share their models. A fold's sites include the known sites dealt to
    it that have no page in ``pages``."""
    by_site: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        by_site[site_of(page.url) or page.id].append(page)
    sites = sorted(set(by_site) | set(known))
    random.Random(seed).shuffle(sites)
    groups: list[tuple[set[str], list[Page]]] = [(set(), []) for _ in range(folds)]
    for i, site in enumerate(sites):
        groups[i % folds][0].add(site)
        groups[i % folds][1].extend(by_site.get(site, []))
    return [g for g in groups if g[1]]


@dataclass
class Training:
    """Every shared page's labelled rows, and the site of each (split, id)."""

    rows: list[PageRows]
    sites: dict[tuple[str, str], str]
    models: dict[frozenset[str], BlockModel] = field(default_factory=dict)

    def model_without(self, sites: set[str]) -> BlockModel:
        """A block model trained on every page whose site is not in ``sites``, its thresholds
        chosen on those pages alone (each one trained once per run)."""
        key = frozenset(sites)
        if key not in self.models:
            kept = [r for r in self.rows if self.sites[(r.split, r.id)] not in sites]
            self.models[key] = model_from_dict(train(kept, 0, {}))
        return self.models[key]


def present_splits(data: Path) -> list[str]:
    """The splits ``data/extraction`` holds (a folder of held-out pages may hold only one)."""
    return [split for split in SPLITS
            if (data / "extraction" / split / "ground-truth.json").is_file()]


def trained_shipped(split: str, pages: Sequence[Page]) -> int:
    """How many of ``pages`` trained the shipped model (its file lists them by split and id)."""
    trained = set(shipped_model().info.get("trained_on", {}).get(split, ()))
    return sum(page.id in trained for page in pages)


def run_cross_validated(pages: Sequence[Page], training: Training, folds: int,
                        excluded: frozenset[str] = frozenset()) -> tuple[dict[str, str], float]:
    """babelwire's output on every page by the model of its fold, and the extraction seconds
    (training time left out). Pages of the ``excluded`` sites train no model. With ``folds``
    1, ``pages`` are one fold (the aside pages, measured by a model of every other page)."""
    out: dict[str, str] = {}
    elapsed = 0.0
    groups = [({site_of(p.url) or p.id for p in pages}, list(pages))] if folds == 1 \
        else site_folds(pages, folds, known=set(training.sites.values()) - excluded)
    for fold_sites, fold in groups:
        model = training.model_without(fold_sites | excluded)
        started = time.process_time()
        out.update(run_babelwire(fold, model))
        elapsed += time.process_time() - started
    return out, elapsed


# --- main ------------------------------------------------------------------------------------


def _scorer(name: str, data: Path, limit: int | None, keep: Callable[[Page], bool]
            ) -> tuple[list[Page], Callable[[dict[str, str]], dict[str, float]]]:
    """The split's pages that ``keep`` accepts, and the scorer of an output on those pages."""
    folder = data / "extraction" / name
    if name == "scrapinghub":
        pages, truth = load_scrapinghub(folder, limit)
        pages = [p for p in pages if keep(p)]
        kept = {p.id: truth[p.id] for p in pages}
        return pages, lambda out: score_scrapinghub(kept, out)
    pages, records = load_records(folder, limit)
    pages = [p for p in pages if keep(p)]
    ids = {p.id for p in pages}
    chosen = [r for r in records if str(r["id"]) in ids]
    score = score_trafilatura if name == "trafilatura" else score_multilingual
    return pages, lambda out: score(chosen, out)


PARTS = ("all", "dev", "aside")


def part_filter(part: str, aside: set[str]) -> Callable[[Page], bool]:
    """Which pages a ``--part`` holds: all, those of the sites not kept aside, or the aside."""
    if part == "all":
        return lambda page: True
    wanted = part == "aside"
    return lambda page: ((site_of(page.url) or page.id) in aside) == wanted


def run_split(name: str, data: Path, limit: int | None, tools: Sequence[str],
              dump: Path | None = None, training: Training | None = None,
              folds: int = 5, part: str = "all", aside: frozenset[str] = frozenset()) -> None:
    """Run every tool on one split and print its table (and save outputs under ``dump``).

    ``part``: all pages, the development pages (``aside`` sites left out, of training too) or
    the aside pages alone (scored by one model trained on every development page)."""
    pages, scorer = _scorer(name, data, limit, part_filter(part, set(aside)))
    print(f"\n{name} ({part}): {len(pages)} pages")
    if "babelwire" in tools:
        trained = trained_shipped(name, pages)
        kind = ("a held-out figure" if not trained else "a training-set figure"
                if trained == len(pages) else "pages partly held out")
        print(f"babelwire*: {trained} of these {len(pages)} pages trained the shipped model "
              f"({kind})")
    header = ("tool", "F1", "prec", "recall", "acc", "extra", "pages/s")
    print(f"{header[0]:<13} " + " ".join(f"{h:>6}" for h in header[1:5])
          + f" {header[5]:>7} {header[6]:>8}")
    for tool in tools:
        if tool == "babelwire-cv":
            assert training is not None
            output, elapsed = run_cross_validated(
                pages, training, 1 if part == "aside" else folds,
                aside if part != "all" else frozenset())
        else:
            started = time.process_time()
            output = RUNNERS[tool](pages)
            elapsed = time.process_time() - started
        if dump is not None:
            dump.mkdir(parents=True, exist_ok=True)
            (dump / f"{name}.{tool}.json").write_text(json.dumps(output, ensure_ascii=False))
        s = scorer(output)
        extra = f"{s['prefixes']:.2f}" if "prefixes" in s else ""
        print(f"{LABELS.get(tool, tool):<13} {s['f1']:6.3f} {s['precision']:6.3f} "
              f"{s['recall']:6.3f} {s['accuracy']:6.3f} {extra:>7} "
              f"{len(pages) / elapsed:8.1f}", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run the chosen splits and tools, print one table per split."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data",
                        help="folder holding extraction/ (default: ../shared/data)")
    parser.add_argument("--split", nargs="+", default=None,
                        help="splits to run (default: those the data folder holds; "
                             "scrapinghub for --speed)")
    parser.add_argument("--tools", nargs="+", default=list(TOOLS), choices=TOOLS)
    parser.add_argument("--limit", type=int, default=None, help="first N pages of each split")
    parser.add_argument("--dump", type=Path, default=None,
                        help="folder where each tool's outputs are saved as JSON")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds")
    parser.add_argument("--part", choices=PARTS, default="all",
                        help="all pages; dev: leave the aside sites out (of training too); "
                             "aside: only those, scored by a model of every dev page")
    parser.add_argument("--furniture", action="store_true",
                        help="only count the fidelity cases' template phrases left in the "
                             "extracted article (shared fidelity/ and tests/data/fidelity)")
    parser.add_argument("--speed", action="store_true",
                        help="only measure pages per second of CPU time, babelwire and "
                             "trafilatura alone taking turns eight pages at a time "
                             "(default split: scrapinghub)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="passes over the pages for --speed")
    args = parser.parse_args(argv)
    if args.furniture:
        folders = [args.data / "fidelity", REPO / "tests" / "data" / "fidelity"]
        for tool, counts in furniture_left(folders).items():
            print(f"{tool:<12} {counts}")
        return 0
    present = present_splits(args.data)
    if not present:
        parser.error(f"no split of the benchmark under {args.data / 'extraction'}")
    if args.split is None:
        args.split = (["scrapinghub"] if "scrapinghub" in present else present[:1]) \
            if args.speed else present
    missing = [name for name in args.split if name not in present]
    if missing:
        parser.error(f"no {', '.join(missing)} split under {args.data / 'extraction'} "
                     f"(it holds: {', '.join(present)})")
    if args.speed:
        for name in args.split:
            pages, _ = _scorer(name, args.data, args.limit, lambda page: True)
            rates = speed(pages, args.rounds)
            print(f"{name}: {len(pages)} pages x {args.rounds}, pages/s of CPU time: "
                  f"babelwire {rates['babelwire']:.1f}, trafilatura {rates['trafilatura']:.1f}, "
                  f"ratio {rates['babelwire'] / rates['trafilatura']:.2f}", flush=True)
        return 0
    print("extra = share of goose3 prefixes found (multilingual_extra only)")
    print("babelwire-cv: k-fold by site, no test page's site trains its model; babelwire*: the "
          "shipped model, trained on the shared pages (each table says how many of its pages "
          "trained it). babelwire's cleanup rules were tuned on the shared pages.")
    # every page of every split the folder holds: each page's site, and the folds' training rows
    everything = [p for split in present for p in load_split(args.data, split, args.limit)]
    sites = {(p.split, p.id): p.site for p in everything}
    aside = frozenset(aside_sites(sites))
    training = Training(page_rows(everything), sites) if "babelwire-cv" in args.tools else None
    for name in args.split:
        run_split(name, args.data, args.limit, args.tools, args.dump, training, args.folds,
                  args.part, aside)
    return 0


if __name__ == "__main__":
    sys.exit(main())
