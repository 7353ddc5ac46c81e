"""Names the human translator kept that babelwire's translation lost, and negations it lost, on
newstest2013.

    python bench/reference_names.py [DATA] [--pairs en-es,es-en,...] [--show dev|aside|all]

newstest2013 (``DATA/mt/newstest2013``: 3,000 lines of news, the same text in en, es and fr,
with ``docs.tsv`` cutting it into documents) has a human translation of every line. The
documents after its first 300 lines were never used to tune translation (``bench/fidelity.py``
scores chrF on the first 300). Each document is translated as one text, as an article, with
the embedded pipeline's checks, for every pair.

A *kept name* is a capitalised word of a source line, not its first word nor after a
sentence's end, an opening quote or a colon, that the human translation of that line also
writes, letter for letter ("McDonald's", "Times", "Tonto"). It is *lost* when the output line
does not have it: translated as a common word ("Plaza de Tiempo", "Harry and Fool"), cut, or
changed. Exonyms the translator also changed ("Wikipedia" -> "Wikipédia") are not counted;
some counted losses are right (a place with its own target name the translator did not use,
"Federal" in a name the translator kept in English): the figure is for comparing two versions
of the code, in the same run.

A line is *negated* when its source holds a negation (``babelwire.translate.negation``); the
negation is *lost* when the output line holds none (Apertium's Spanish -> English writes "No
habrá clases" as "There will be classes").

Documents are split by their number in ``docs.tsv``: even ones are *dev* (read while writing
rules), odd ones *aside* (only counted). The printed table has both, beside Apertium alone on
the same documents in the same run (each line as one segment, through Spanish where the pair has
no direct mode, markup and unknown-word marks removed, nothing else done).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from babelwire.run.translation import translate_lines
from babelwire.translate import markup
from babelwire.translate.engines.apertium.engine import ApertiumEngine
from babelwire.translate.engines.base import translate
from babelwire.translate.negation import negated
from babelwire.translate.router import Router

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ("en-es", "es-en", "fr-es", "fr-en", "es-fr", "en-fr")
FIRST_UNTUNED_LINE = 301
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_AFTER = tuple(".!?:\"«“¿¡—–-('‘")


def kept_names(source: str, reference: str) -> list[str]:
    """The capitalised words of ``source`` in mid-sentence that ``reference`` also writes."""
    theirs = set(_WORD.findall(reference))
    out = []
    for match in _WORD.finditer(source):
        word = match.group()
        before = source[:match.start()].rstrip()
        if word[0].isupper() and len(word) > 1 and before and not before.endswith(_AFTER) \
                and word in theirs:
            out.append(word)
    return out


def apertium_alone(engine: ApertiumEngine, lines: list[str], src: str, tgt: str) -> list[str]:
    """Apertium's own output for each line, through Spanish where the pair has no mode."""
    legs = [(src, tgt)] if (src, tgt) in engine.pairs() else [(src, "es"), ("es", tgt)]
    out = lines
    for a, b in legs:
        answers = translate(engine, [markup.escape(line) for line in out], a, b)
        out = []
        for answer in answers:
            nodes = markup.parse(answer)
            markup.strip_unknown(nodes)
            out.append(markup.plain_text(nodes).strip())
    return out


def documents(folder: Path) -> list[tuple[int, int, int]]:
    """(number, first line, last line) of each document from ``FIRST_UNTUNED_LINE`` on."""
    rows = [line.split("\t") for line in (folder / "docs.tsv").read_text().splitlines()[1:]]
    return [(number, int(first), int(last)) for number, (_, first, last, *_) in enumerate(rows)
            if int(first) >= FIRST_UNTUNED_LINE]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="?", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--pairs", default=",".join(PAIRS))
    parser.add_argument("--show", choices=("dev", "aside", "all"), default=None,
                        help="print each lost name with its line")
    args = parser.parse_args()
    folder = Path(args.data) / "mt" / "newstest2013"
    if not (folder / "docs.tsv").exists():
        sys.exit(f"no newstest2013 documents in {folder}")
    text = {lang: (folder / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
            for lang in ("en", "es", "fr")}
    docs = documents(folder)
    kept: Counter[tuple[str, str]] = Counter()
    lost: Counter[tuple[str, str, str]] = Counter()
    held: Counter[tuple[str, str]] = Counter()
    negations: Counter[tuple[str, str]] = Counter()
    unsaid: Counter[tuple[str, str, str]] = Counter()
    engine = ApertiumEngine()
    router = Router([engine])
    try:
        for pair in args.pairs.split(","):
            src, tgt = pair.split("-")
            started = time.perf_counter()
            for number, first, last in docs:
                part = "dev" if number % 2 == 0 else "aside"
                lines = text[src][first - 1:last]
                tr = translate_lines(lines, src, tgt, router)
                held[pair, part] += str(tr.status) != "published"
                alone = apertium_alone(engine, lines, src, tgt)
                for at, (source, reference, output, plain) in enumerate(zip(
                        lines, text[tgt][first - 1:last], tr.text.split("\n"), alone,
                        strict=False)):
                    ours, theirs = set(_WORD.findall(output)), set(_WORD.findall(plain))
                    if negated(source, src):
                        negations[pair, part] += 1
                        unsaid[pair, part, "apertium"] += not negated(plain, tgt)
                        unsaid[pair, part, "babelwire"] += not negated(output, tgt)
                        if args.show in (part, "all") and not negated(output, tgt):
                            print(f"{pair} {first + at} negation lost\n  {source}\n  {output}")
                    for name in kept_names(source, reference):
                        kept[pair, part] += 1
                        lost[pair, part, "apertium"] += name not in theirs
                        if name not in ours:
                            lost[pair, part, "babelwire"] += 1
                            if args.show in (part, "all"):
                                print(f"{pair} {first + at} {name!r}\n  {source}\n  {output}")
            print(f"{pair}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    finally:
        router.close()
    print(f"newstest2013 documents from line {FIRST_UNTUNED_LINE}: {len(docs)} "
          f"({sum(1 for d in docs if d[0] % 2 == 0)} dev, "
          f"{sum(1 for d in docs if d[0] % 2)} aside)")
    print(f"{'pair':8} {'part':6} {'kept names':>10} {'lost, apertium':>15} "
          f"{'lost, babelwire':>16} {'held docs':>9}")
    rows = [(pair, part) for pair in args.pairs.split(",") for part in ("dev", "aside")]
    for pair, part in rows:
        print(f"{pair:8} {part:6} {kept[pair, part]:>10} {lost[pair, part, 'apertium']:>15} "
              f"{lost[pair, part, 'babelwire']:>16} {held[pair, part]:>9}")
    for part in ("dev", "aside"):
        print(f"{'all':8} {part:6} {_total(kept, part):>10} "
              f"{_total(lost, part, 'apertium'):>15} {_total(lost, part, 'babelwire'):>16} "
              f"{_total(held, part):>9}")
    print(f"\n{'pair':8} {'part':6} {'negated lines':>13} {'negation lost, apertium':>23} "
          f"{'negation lost, babelwire':>24}")
    for pair, part in rows:
        print(f"{pair:8} {part:6} {negations[pair, part]:>13} "
              f"{unsaid[pair, part, 'apertium']:>23} {unsaid[pair, part, 'babelwire']:>24}")
    for part in ("dev", "aside"):
        print(f"{'all':8} {part:6} {_total(negations, part):>13} "
              f"{_total(unsaid, part, 'apertium'):>23} {_total(unsaid, part, 'babelwire'):>24}")


def _total(counter: Counter[Any], *key: str) -> int:
    """The sum over every pair of the counts under ``key`` (part, then maybe the tool)."""
    return sum(v for k, v in counter.items() if k[1:] == key)


if __name__ == "__main__":
    main()
