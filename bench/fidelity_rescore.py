"""Score translations dumped by ``bench/fidelity.py --dump`` with this checkout's reader stick.

    python bench/fidelity_rescore.py BEFORE.jsonl AFTER.jsonl

Two runs of different code each judge their own output with their own ``quality/words.py``;
when the change is in that module too, their figures are measured with two sticks. This reads
the translations both runs dumped and counts, with the stick of the code it runs from, the
words left in another language, those of them without a ``lang`` mark in the HTML, glued and
garbled words, and the datelines and run-together sentences (``fidelity.reader_patterns``), per
dump and per set of pages.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from fidelity import reader_patterns, unmarked

from babelwire.quality.words import classify_words
from babelwire.translate.dictionaries import Dictionaries


def score(path: Path, dictionaries: Dictionaries) -> dict[str, dict[str, int]]:
    """The reader's counts over the translations of one dump, per set (cases, demo, ...)."""
    sets: dict[str, dict[str, int]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        totals = sets.setdefault(d.get("set", ""), dict.fromkeys(
            ("translations", "held", "words", "foreign", "unmarked", "glued", "garbled"), 0))
        report = classify_words(d["output"], d["source"], target=d["lang"],
                                source_lang=d["source_lang"], dictionaries=dictionaries)
        totals["translations"] += 1
        totals["held"] += d["status"].endswith("held")
        totals["words"] += report.words
        totals["foreign"] += report.foreign_count
        # dumps made before titles were marked have no "title_html": their titles count as
        # unmarked, as they were published
        totals["unmarked"] += unmarked(report, f"{d.get('title_html', '')}\n{d['html']}")
        totals["glued"] += len(report.glued)
        totals["garbled"] += len(report.garbled)
        patterns = reader_patterns(d["source"], d["output"])
        for key, n in zip(("datelines", "datelines_kept", "run_together", "run_together_out"),
                          patterns, strict=True):
            totals[key] = totals.get(key, 0) + n
    return sets


def main() -> None:
    """Print each dump's counts with this checkout's stick."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dumps", nargs="+", type=Path)
    args = parser.parse_args()
    with Dictionaries() as dictionaries:
        for path in args.dumps:
            for name, t in score(path, dictionaries).items():
                w = max(t["words"], 1)
                print(f"{path.name} {name}: {t['translations']} translations, {t['held']} held,"
                      f" {t['words']} words: left in another language {t['foreign']} "
                      f"({t['foreign'] / w:.2%}), without a lang mark {t['unmarked']} "
                      f"({t['unmarked'] / w:.2%}), glued {t['glued']}, garbled {t['garbled']};"
                      f" datelines' places kept {t['datelines_kept']}/{t['datelines']}, run "
                      f"together {t['run_together']} in sources, {t['run_together_out']} in "
                      "translations")


if __name__ == "__main__":
    main()
