"""babelwire's lexical choices for English news (translate/engines/apertium/lexical.py), against
the pairs' defaults, on the newstest2013 sentences that hold one of the chosen words.

    python bench/lexical_choices.py [DATA] [--targets es fr] [--split dev|aside|all]
    python bench/lexical_choices.py [DATA] --source es|fr [--split dev|aside|all]
    python bench/lexical_choices.py [DATA] --defaults en-es|es-en [--split dev|aside|all]
    python bench/lexical_choices.py [DATA] --possessives [--split dev|aside|all]

With ``--source es``, the Spanish lines with "banco", "tierra", "tasa" or a form of "necesitar",
"considerar" or "lograr" are translated into French, with and without the offers (the senses:
"banque" against "banc", "terre" against "terroir", "taux" against "taxe", "besoin" against
"préciser", "estimer" against "envisager", "obtenir" against "remporter"); with
``--source fr``, the French lines with "réseau", "important", "site", "soin", "régime",
"domaine", "saison", "couche" or "fusée" into Spanish ("red" against "cobertura", "importante"
against "de entidad", "sitio" against "website", "cuidado" against "cura", "régimen" against
"dieta", "ámbito" against "propiedad", "temporada" against "estación", "capa" against
"corteza", "cohete" against "bengala"). With ``--defaults``, the English lines with a word
of the English -> Spanish defaults or offers (``lexical._defaults``: "article", "market",
"research", "migrant", "work", ...) into Spanish: the default's word against the one the
pair's rules left first ("artículo" against "prenda", "mercado" against "lonja"). The
defaults were chosen by what the human translations of the dev half hold; the aside half
measures them.

With ``--possessives``, the Spanish lines with "su" or "sus" into English and French (and the
French lines with "leur(s)" into English, through Spanish), with and without the possessors'
filter (``lexical.POSSESSORS``): how often the output and the human translation use each
possessive ("his", "its", "their", "her"; "son", "sa", "ses", "leur", "leurs"), and chrF. The
filter's rules and word lists were written before the dev half was read; "their" 0 -> 51 and
"its" 0 -> 10 there, and the aside half measures them.

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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sacrebleu

from babelwire.run.translation import translate_lines
from babelwire.translate.engines.apertium import lexical
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


# Spanish into French: the words the offers are for ("tasas", "necesitan"), and each one's
# words in French (a word ending in "-" is a stem: "précise", "précisons")
_SPANISH = re.compile(r"\b(bancos?|tierras?|tasas?|necesit[a-záéíó]*|consider[a-záéíó]*|"
                      r"logr[a-záéíó]*)\b", re.IGNORECASE)
_SPANISH_SENSES: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "fr": {"banco": (("banque",), ("banc",)), "tierra": (("terre",), ("terroir",)),
           "tasa": (("taux",), ("taxe",)), "necesit": (("besoin",), ("précis-",)),
           "consider": (("estim-", "consid-", "jug-", "pens-"), ("envisag-",)),
           "logr": (("obt-", "parv-", "réuss-", "atteint-", "atteign-"), ("remport-",))},
}


_FRENCH = re.compile(r"\b(réseaux?|importante?s?|sites?|soins?|régimes?|domaines?|saisons?|"
                     r"couches?|fusées?)\b", re.IGNORECASE)
_FRENCH_SENSES: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "es": {"rése": (("red", "redes"), ("cobertura",)), "impo": (("importante",), ("entidad",)),
           "site": (("sitio",), ("website",)), "soin": (("cuidado", "atención"), ("cura",)),
           "régi": (("régimen", "regímenes"), ("dieta",)), "doma": (("ámbito",), ("propiedad",)),
           "sais": (("temporada",), ("estación", "estaciones")), "couc": (("capa",), ("corteza",)),
           "fusé": (("cohete",), ("bengala",))},
}
# English -> Spanish: the defaults' and offers' words ("-": a stem, for verbs)
_DEFAULT_WORDS = re.compile(
    r"\b(works?|worked|working|articles?|markets?|goals?|seasons?|conditions?|great|"
    r"authorit(?:y|ies)|rais(?:e|es|ed|ing)|show(?:s|ed|n|ing)?|events?|"
    r"cards?|drivers?|styles?|nature|devices?|platforms?|research|"
    r"migrants?)\b", re.IGNORECASE)
_DEFAULT_SENSES: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "es": {"work": (("trabaj-",), ("obra", "obr-")), "arti": (("artículo",), ("prenda",)),
           "mark": (("mercado",), ("lonja",)), "goal": (("objetivo", "gol"), ()),
           "seas": (("temporada",), ("estación", "estaciones")),
           "cond": (("condición", "condiciones"), ("afección", "afecciones")),
           "grea": (("gran", "grande"), ("sumo", "suma")),
           "auth": (("autoridad", "autoridades"), ("potestad", "potestades")),
           "rais": (("aument-",), ("cri-",)), "show": (("mostr-", "muestr-"), ("asom-",)),
           "even": (("acontecimiento", "evento"), ("caso",)),
           "card": (("tarjeta",), ("carta",)), "driv": (("conductor",), ("motor",)),
           "styl": (("estilo",), ("moda",)), "natu": (("naturaleza",), ("carácter",)),
           "devi": (("dispositivo",), ("aparato",)), "plat": (("plataforma",), ("programa",)),
           "rese": (("investigación", "investigaciones"), ("búsqueda",)),
           "migr": (("inmigrante", "migrante", "emigrante"), ("nómada",))},
}
# Spanish -> English: the defaults' and offers' words
_ES_EN_WORDS = re.compile(
    r"\b(comidas?|monedas?|equipos?|apoy[a-záéíó]*|alt[oa]s?|presupuestos?|dolor(?:es)?|"
    r"dedos?|carnes?|fals[oa]s?|anterior(?:es)?|evit[a-záéíó]*|tiendas?|suci[oa]s?|tasas?|"
    r"redes|red|lenguas?|contratos?|electores|elector|niños?|sitios?)\b", re.IGNORECASE)
_ES_EN_SENSES: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "en": {"comi": (("food",), ("lunch",)), "mone": (("currenc-",), ("coin",)),
           "equi": (("team",), ("squad",)), "apoy": (("support-",), ("lean-",)),
           "alt": (("high-",), ("tall-",)), "pres": (("budget",), ("estimate",)),
           "dolo": (("pain",), ("ache",)), "dedo": (("finger",), ("toe",)),
           "carn": (("meat",), ("flesh",)), "fals": (("false",), ("dud",)),
           "ante": (("previous",), ("anterior",)), "evit": (("avoid-",), ("avert-",)),
           "tien": (("shop", "store"), ("tent",)), "suci": (("dirty",), ("soiled",)),
           "tasa": (("rate",), ("tax", "taxes")), "red": (("network",), ("net",)),
           "leng": (("language",), ("tongue",)), "cont": (("contract",), ("agreement",)),
           "elec": (("voter",), ("constituent",)), "niño": (("child", "children"), ("boy",)),
           "siti": (("site",), ("place",))},
}
_KEYS = ("part", "court", "quarter", "race", "cabinet", "poll", "banco", "tierra", "tasa",
         "necesit", "consider", "logr", "rése", "impo", "site", "soin", "régi", "doma", "sais",
         "couc", "fusé",
         "work", "arti", "mark", "goal", "seas", "cond", "grea", "auth", "rais", "show",
         "comi", "mone", "equi", "apoy", "alt", "pres", "dolo", "dedo", "carn", "fals",
         "ante", "evit", "tien", "suci", "red", "leng", "cont", "elec", "niño", "siti",
         "even", "card", "driv", "styl", "natu", "devi", "plat", "rese",
         "migr")


def _sense(word: str) -> str:
    word = word.lower()
    return next(k for k in _KEYS if word.startswith(k[:4]))


def _holds(text: str, words: tuple[str, ...]) -> bool:
    return any(re.search(rf"\b{w[:-1]}\w*" if w.endswith("-") else rf"\b{w}s?\b", text,
                         re.IGNORECASE) for w in words)


_POSSESSIVES = {"en": ("his", "its", "their", "her"), "fr": ("son", "sa", "ses", "leur", "leurs")}


def _counts(texts: list[str], tgt: str) -> str:
    return ", ".join(f"{word} {sum(len(re.findall(pattern, t)) for t in texts)}"
                     for word in _POSSESSIVES[tgt]
                     for pattern in [re.compile(r"(?<!\w)" + word + r"(?!\w)", re.I)])


@contextmanager
def _without_possessors() -> Iterator[None]:
    kept = dict(lexical.POSSESSORS)
    lexical.POSSESSORS.clear()
    try:
        yield
    finally:
        lexical.POSSESSORS.update(kept)


def possessives(folder: Path, split: str) -> None:
    """The ``--possessives`` measurement (see the module's docstring)."""
    for src, tgt, marker in (("es", "en", r"\b[Ss]us?\b"), ("es", "fr", r"\b[Ss]us?\b"),
                             ("fr", "en", r"\b[Ll]eurs?\b")):
        source = (folder / f"{src}.txt").read_text(encoding="utf-8").splitlines()
        refs = (folder / f"{tgt}.txt").read_text(encoding="utf-8").splitlines()
        span = {"dev": range(0, 1500), "aside": range(1500, len(source)),
                "all": range(len(source))}[split]
        lines = [i for i in span if re.search(marker, source[i])]

        print(f"{src}->{tgt}, {len(lines)} {split} lines with {marker}: reference "
              f"{_counts([refs[i] for i in lines], tgt)}")
        for label, filtered in (("without the filter", False), ("with the filter", True)):
            router = Router([ApertiumEngine()])
            try:
                if filtered:
                    out = translate_lines([source[i] for i in lines], src, tgt, router).text
                else:
                    with _without_possessors():
                        out = translate_lines([source[i] for i in lines], src, tgt,
                                              router).text
            finally:
                router.close()
            texts = out.split("\n")
            chrf = sacrebleu.corpus_chrf(texts, [[refs[i] for i in lines]]).score
            print(f"  {label:20} {_counts(texts, tgt)}; chrF {chrf:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--targets", nargs="+", default=["es", "fr"])
    parser.add_argument("--split", choices=("dev", "aside", "all"), default="all")
    parser.add_argument("--source", choices=("en", "es", "fr"), default="en")
    parser.add_argument("--defaults", choices=("en-es", "es-en"),
                        help="the defaults' and offers' words of the pair")
    parser.add_argument("--possessives", action="store_true",
                        help='Spanish "su" into English and French, with the possessors\' '
                             "filter and without")
    args = parser.parse_args()
    if args.possessives:
        possessives(args.data / "mt" / "newstest2013", args.split)
        return
    if args.defaults:
        args.source, target = args.defaults.split("-")
        args.targets = [target]
    folder = args.data / "mt" / "newstest2013"
    english = (folder / f"{args.source}.txt").read_text(encoding="utf-8").splitlines()
    span = {"dev": range(0, 1500), "aside": range(1500, len(english)),
            "all": range(len(english))}[args.split]
    words, senses = {"en": (_WORDS, _SENSES), "es": (_SPANISH, _SPANISH_SENSES),
                     "fr": (_FRENCH, _FRENCH_SENSES)}[args.source]
    if args.defaults:
        words, senses = ((_DEFAULT_WORDS, _DEFAULT_SENSES) if args.defaults == "en-es"
                         else (_ES_EN_WORDS, _ES_EN_SENSES))
    lines = [i for i in span if words.search(english[i])]
    print(f"newstest2013 {args.split}: {len(lines)} lines of {args.source} with "
          f"{', '.join(sorted({_sense(w) for i in lines for w in words.findall(english[i])}))}")
    for tgt in (args.targets if args.source == "en" or args.defaults else list(senses)):
        refs = (folder / f"{tgt}.txt").read_text(encoding="utf-8").splitlines()
        outputs: dict[str, list[str]] = {}
        for label, choices in (("pair's default", False), ("babelwire's choices", True)):
            engine = ApertiumEngine(lexical_choices=choices)
            router = Router([engine])
            try:
                started = time.perf_counter()
                outputs[label] = translate_lines([english[i] for i in lines], args.source, tgt,
                                                 router).text.split("\n")
                took = time.perf_counter() - started
            finally:
                router.close()
            agree = other = silent = 0
            for i, out in zip(lines, outputs[label], strict=True):
                for word in {_sense(m.group(1)) for m in words.finditer(english[i])}:
                    right, wrong = senses[tgt][word]
                    if not (_holds(refs[i], right) or _holds(refs[i], wrong)):
                        silent += 1
                    elif _holds(out, right) == _holds(refs[i], right) and \
                            _holds(out, wrong) == _holds(refs[i], wrong):
                        agree += 1
                    else:
                        other += 1
            chrf = sacrebleu.corpus_chrf(outputs[label], [[refs[i] for i in lines]]).score
            print(f"  {args.source}->{tgt} {label:20} agree with the reference {agree:3}, "
                  f"differ {other:3}, reference silent {silent:3}; chrF {chrf:.2f}; "
                  f"{took:.1f} s")
        changed = sum(a != b for a, b in zip(*outputs.values(), strict=True))
        print(f"  {args.source}->{tgt}: {changed} of {len(lines)} outputs changed")


if __name__ == "__main__":
    main()
