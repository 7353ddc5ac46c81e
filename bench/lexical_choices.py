"""babelwire's lexical choices for English news (translate/engines/apertium/lexical.py), against
the pairs' defaults, on the newstest2013 sentences that hold one of the chosen words.

    python bench/lexical_choices.py [DATA] [--targets es fr] [--split dev|aside|all]

For each English line with "party", "court", "quarter", "race", "cabinet" or "poll" (and
their plurals), the whole pipeline translates it (``translate_lines``) with Apertium with and
without the choices, in the same process; a line counts as *agreeing* with the human
translation when the sense's target word the output holds is one the reference holds too
("partido"/"parti" against "fiesta"/"fête", "tribunal" against "corte"/"cour", "trimestre"
against "barrio"/"quartier", "carrera"/"course" against "raza"/"race", "gabinete" against
"armario", "encuesta"/"sondage" against "urna"/"urne"). Lines where the reference holds none of
the sense words are counted apart (the translator wrote around the word). chrF (sacrebleu) of
those lines is printed too.

The lists were written from what a news page says, before these lines were read; ``--split``
divides the lines in two: "dev" the first 1,500 lines, "aside" the rest.

DATA defaults to ../shared/data.
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

import sacrebleu

from babelwire.run.translation import translate_lines
from babelwire.translate.engines.apertium.engine import ApertiumEngine
from babelwire.translate.router import Router

ROOT = Path(__file__).resolve().parent.parent
_WORDS = re.compile(r"\b(part(?:y|ies)|courts?|quarters?|races?|cabinets?|polls?)\b",
                    re.IGNORECASE)
# each sense's words in the targets, and the pair's default words for the other sense
_SENSES: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "es": {"part": (("partido",), ("fiesta",)), "court": (("tribunal", "juzgado"), ("corte",)),
           "quarter": (("trimestre",), ("barrio",)), "race": (("carrera",), ("raza",)),
           "cabinet": (("gabinete",), ("armario",)), "poll": (("encuesta", "sondeo"), ("urna",))},
    "fr": {"part": (("parti",), ("fête",)), "court": (("tribunal",), ("cour",)),
           "quarter": (("trimestre",), ("quartier", "quart")), "race": (("course",), ("race",)),
           "cabinet": (("gouvernement", "cabinet"), ("armoire",)),
           "poll": (("sondage", "enquête"), ("urne",))},
}


def _sense(word: str) -> str:
    word = word.lower()
    return next(k for k in ("part", "court", "quarter", "race", "cabinet", "poll")
                if word.startswith(k))


def _holds(text: str, words: tuple[str, ...]) -> bool:
    return any(re.search(rf"\b{w}s?\b", text, re.IGNORECASE) for w in words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--targets", nargs="+", default=["es", "fr"])
    parser.add_argument("--split", choices=("dev", "aside", "all"), default="all")
    args = parser.parse_args()
    folder = args.data / "mt" / "newstest2013"
    english = (folder / "en.txt").read_text(encoding="utf-8").splitlines()
    span = {"dev": range(0, 1500), "aside": range(1500, len(english)),
            "all": range(len(english))}[args.split]
    lines = [i for i in span if _WORDS.search(english[i])]
    print(f"newstest2013 {args.split}: {len(lines)} English lines with party, court, quarter, "
          f"race, cabinet or poll")
    for tgt in args.targets:
        refs = (folder / f"{tgt}.txt").read_text(encoding="utf-8").splitlines()
        outputs: dict[str, list[str]] = {}
        for label, choices in (("pair's default", False), ("babelwire's choices", True)):
            engine = ApertiumEngine(lexical_choices=choices)
            router = Router([engine])
            try:
                started = time.perf_counter()
                outputs[label] = translate_lines([english[i] for i in lines], "en", tgt,
                                                 router).text.split("\n")
                took = time.perf_counter() - started
            finally:
                router.close()
            agree = other = silent = 0
            for i, out in zip(lines, outputs[label], strict=True):
                for word in {_sense(m.group(1)) for m in _WORDS.finditer(english[i])}:
                    right, wrong = _SENSES[tgt][word]
                    if not (_holds(refs[i], right) or _holds(refs[i], wrong)):
                        silent += 1
                    elif _holds(out, right) == _holds(refs[i], right) and \
                            _holds(out, wrong) == _holds(refs[i], wrong):
                        agree += 1
                    else:
                        other += 1
            chrf = sacrebleu.corpus_chrf(outputs[label], [[refs[i] for i in lines]]).score
            print(f"  en->{tgt} {label:20} agree with the reference {agree:3}, differ {other:3}, "
                  f"reference silent {silent:3}; chrF {chrf:.2f}; {took:.1f} s")
        changed = sum(a != b for a, b in zip(*outputs.values(), strict=True))
        print(f"  en->{tgt}: {changed} of {len(lines)} outputs changed")


if __name__ == "__main__":
    main()
