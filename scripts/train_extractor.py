"""Train the block model that ships in the package (``babelwire/extract/models/``).

    python scripts/train_extractor.py [--data PATH] [--out FILE] [--limit N]

Reads every page of the shared extraction benchmarks (``extraction/`` under PATH, default
``../shared/data``: the ScrapingHub split, trafilatura's evaluation pages, the multilingual pages),
labels each page segment from the page's expectation (:mod:`babelwire.extract.training`) and fits
scikit-learn's ``HistGradientBoostingClassifier`` with a fixed seed; the two thresholds the
extractor applies to its scores are chosen on the same pages by an inner cross-validation by site
(:func:`~babelwire.extract.training.choose_thresholds`). The file it writes records the model
version, its thresholds, the seed and settings, scikit-learn's version and the ids of the pages
that trained it, split by split; the same data and versions give the same file.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import sklearn
from trafilatura import __version__ as trafilatura_version

from babelwire.extract.classifier import MODEL_FILE, MODEL_VERSION
from babelwire.extract.source import TRAFILATURA_OPTIONS
from babelwire.extract.training import PARAMS, SEED, SPLITS, load_split, page_rows, train

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "src" / "babelwire" / "extract" / "models" / MODEL_FILE


def main(argv: Sequence[str] | None = None) -> int:
    """Train on the shared splits and write the model file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--limit", type=int, default=None, help="first N pages of each split")
    args = parser.parse_args(argv)
    if not (args.data / "extraction").is_dir():
        parser.error(f"no extraction/ folder under {args.data}")
    pages = [p for split in SPLITS for p in load_split(args.data, split, args.limit)]
    rows = page_rows(pages)
    info = {"seed": SEED, "params": PARAMS, "sklearn": sklearn.__version__,
            "trafilatura": trafilatura_version, "trafilatura_options": TRAFILATURA_OPTIONS,
            "rows": sum(len(r.labels) for r in rows),
            "text_rows": sum(sum(r.labels) for r in rows),
            "trained_on": {split: sorted(r.id for r in rows if r.split == split)
                           for split in SPLITS}}
    data = train(rows, MODEL_VERSION, info)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(args.out, "wb", mtime=0) as handle:
        handle.write(json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8"))
    print(f"{args.out}: {len(data['trees'])} trees, {info['rows']} rows "
          f"({info['text_rows']} text) from {len(rows)} pages; drop below "
          f"{data['drop_below']}, add from {data['add_above']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
