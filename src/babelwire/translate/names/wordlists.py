"""The word lists bundled with babelwire (``data/``): publications and bare institutions.

- ``publications.txt``: newspapers, magazines and news agencies, protected wherever they stand
  (a line starting with ``?`` only in mid-sentence and not after an article: "told Wired", not
  "la Marca");
- ``bare_institutions.txt``: institutions newspapers name with a bare capitalised common noun
  ("Congress", "el Congreso"), per language.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

# Articles, possessives and demonstratives of English, Spanish and French, in one set: a
# capitalised word after one is described ("the Board", "el Gobierno"), not named.
DETERMINERS = frozenset({
    "the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our",
    "my", "your", "el", "la", "los", "las", "lo", "un", "una", "unos", "unas", "del", "al",
    "este", "esta", "su", "sus", "mi", "tu", "le", "les", "l", "une", "des", "du", "au", "aux",
    "ce", "cet", "cette", "ces", "son", "sa", "ses", "leur", "leurs", "mon", "ma", "mes",
    "ton", "ta", "tes", "notre", "nos", "votre", "vos"})


# English prefixes written with a hyphen before a word ("co-founder", "post-war", "ex-wife"): no
# name opens with one (``rules``), and Apertium's analyser knows many such words only written
# solid (``engines.apertium.engine``)
ENGLISH_PREFIXES = ("co", "ex", "re", "pre", "post", "semi", "non", "sub", "multi", "anti",
                    "pro", "mid", "self", "vice", "inter", "intra", "pseudo", "quasi")

_ARTICLES = ("The ", "El ", "La ", "Los ", "Las ", "Le ", "Les ", "L'", "L’", "Il ", "Der ",
             "Die ", "Das ")


def _lines(name: str) -> list[str]:
    raw = resources.files("babelwire.translate.names").joinpath(f"data/{name}")
    return [line.strip() for line in raw.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


@cache
def publications() -> tuple[tuple[str, bool], ...]:
    """Each publication's name and whether it counts in mid-sentence only; a name that starts
    with an article comes again without it ("The Guardian", "Guardian")."""
    names: list[tuple[str, bool]] = []
    for line in _lines("publications.txt"):
        mid_only = line.startswith("?")
        name = line.lstrip("?")
        names.append((name, mid_only))
        for article in _ARTICLES:
            rest = name.removeprefix(article)
            if rest != name and len(rest.split()) >= 2:
                names.append((rest, mid_only))
    return tuple(names)


@cache
def bare_institutions(lang: str) -> frozenset[str]:
    """Institutions newspapers name with a bare capitalised common noun ("Congress")."""
    pairs = (line.split(None, 1) for line in _lines("bare_institutions.txt"))
    return frozenset(word.strip() for code, word in pairs if code == lang)
