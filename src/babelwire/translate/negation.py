"""The words that negate a sentence, by language: a translation must not lose them all.

Apertium's Spanish -> English drops the "no" of "no habrá" ("No habrá clases" -> "There will
be classes") and writes a negative word before the verb as its positive ("ningún estado
exigía" -> "any state demanded", "Si nadie fumara" -> "If anybody smoked"): the reader reads
the opposite, and every other check passes. Counting is no use across languages (Spanish
"no ... nada" is English "not ... anything"), so what is compared is whether a sentence holds
a negation at all (``negated``).
"""

from __future__ import annotations

import re

# ("No. 1", "el No. 5": the abbreviation of "number" is no negation)
_NO = r"no(?!\.\s*\d)"
_WORDS = {
    "en": rf"not|{_NO}|never|nor|neither|nobody|nothing|none|nowhere|cannot|without|\w+n['’]t",
    "es": rf"{_NO}|nunca|jamás|tampoco|ni|nadie|nada|ningún|ninguna|ninguno|ningunos|ningunas"
          r"|sin(?! embargo)",
    "fr": r"ne|n['’]|pas|jamais|rien|aucun|aucune|aucuns|aucunes|ni|non|sans|nul|nulle"
          r"|(?<!la )(?<!une )(?<!cette )(?<!chaque )(?<!toute )personne",
    "ca": rf"{_NO}|mai|cap|ningú|ningun|ninguna|res|ni|tampoc|sense",
}
# (a word, not the first part of a compound: "no-fly zone", "non-lieu")
NEGATIONS = {lang: re.compile(rf"(?i)(?<![\w'’-])(?:{words})(?=$|[^\w'’-]|(?<=['’]))")
             for lang, words in _WORDS.items()}


# A negative word after a comparison is no negation: "más que ninguna otra" is "more than any
# other", "mejor que nunca" "better than ever", "mieux que personne" "better than anyone".
_COMPARED = {
    "es": re.compile(r"(?i)\b(?:más|menos|mejor|peor|mayor|menor|antes)\b[^.;:!?]{0,40}?"
                     r"\bque (?:nunca|jamás|nadie|nada|ningún|ninguna|ninguno)\b"),
    "fr": re.compile(r"(?i)\b(?:plus|moins|mieux|pire|avant)\b[^.;:!?]{0,40}?"
                     r"\bque (?:jamais|personne|rien|quiconque)\b"),
    "ca": re.compile(r"(?i)\b(?:més|menys|millor|pitjor|abans)\b[^.;:!?]{0,40}?"
                     r"\bque (?:mai|ningú|res|cap)\b"),
}


def negated(text: str, lang: str) -> bool | None:
    """Whether plain ``text`` in ``lang`` holds a negation; None for a language not known."""
    pattern = NEGATIONS.get(lang)
    if pattern is None:
        return None
    compared = _COMPARED.get(lang)
    return pattern.search(compared.sub(" ", text) if compared else text) is not None


# English words a negation turned positive: Apertium writes Spanish "ningún", "nadie", "nunca"
# before the verb as the words of "no ... ningún" ("not ... any"), without the "not".
_POSITIVE = {"en": {"any": "no", "anybody": "nobody", "anyone": "no one",
                    "anything": "nothing", "ever": "never", "either": "neither"}}
_POSITIVES = {lang: re.compile(rf"(?i)\b({'|'.join(words)})\b")
              for lang, words in _POSITIVE.items()}


def negate_first(text: str, lang: str) -> str | None:
    """Plain ``text`` with its first word that a lost negation turned positive made negative
    again ("Before 2004 any state demanded" -> "no state"); None where it has none."""
    pattern = _POSITIVES.get(lang)
    found = pattern.search(text) if pattern else None
    if found is None:
        return None
    word = found.group(1)
    negative = _POSITIVE[lang][word.lower()]
    if word[:1].isupper():
        negative = negative[:1].upper() + negative[1:]
    return text[:found.start()] + negative + text[found.end():]
