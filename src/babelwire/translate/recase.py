"""Capitals an engine lost, put back, and capitals it added, taken out: the words of a text as a
reader sees them.

Apertium's Spanish post-generation writes "e italia" for "y Italia": a lower-case word that no
dictionary of the target language knows, but whose capitalised form it knows, is that name.
And Apertium capitalises the first word it knows in a sentence that starts with a word it does
not know or a protected name: "Forte A dit", "Ennahda Est responsable", "Ajmi Lourimi, Un
membre", "Staffers De la oficina". A capitalised closed-class word in mid-sentence, before a
lower-case word, that the source does not write so, is one of those (``mid_sentence_capitals``).
``WORD`` and ``words_of`` are also what the checks (``quality.words``) count as words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from babelwire.translate.dictionaries import Dictionaries

# A word: letters, with inner apostrophes and hyphens ("aujourd'hui", "state-owned"), or a dotted
# abbreviation ("EE.UU.", "U.S.").
# Letters tied to a digit ("2nd", "3e") or inside an address ("foo@bar.com", "news.example/a")
# are not words of any language.
WORD = re.compile(r"(?<![\w@./\\])(?>(?:[^\W\d_ºª]{1,3}\.){2,}|[^\W\d_ºª]+(?:['’-][^\W\d_ºª]+)*)"
                  r"(?![\d@/]|\.[^\W\d_])")
# A tag or a character reference: what a replacement in HTML text never touches.
MARKUP = re.compile(r"(<[^>]*>|&#?\w+;)")


def words_of(text: str) -> list[str]:
    """The words of ``text`` as a reader sees them."""
    return WORD.findall(text)


def case_fixes(output: str, target: str, dictionaries: Dictionaries,
               source: str = "") -> dict[str, str]:
    """Lower-case words no dictionary of ``target`` knows but whose capitalised form it knows
    as they stand ("e italia": Apertium's Spanish post-generation writes "y Italia" so), each
    with that form. A word the source has as it is ("bin" of "Osama bin Laden") stays."""
    lower = {w for w in words_of(output) if w.islower()} - set(words_of(source))
    unknown = lower - dictionaries.known(target, lower)
    if not unknown:
        return {}
    capital = {w: w[0].upper() + w[1:] for w in unknown}
    known = dictionaries.known(target, capital.values())
    return {w: c for w, c in capital.items() if c in known}


def replace_words(html: str, fixes: dict[str, str]) -> str:
    """``html`` with each whole word of ``fixes`` replaced, in text only (never in a tag)."""
    if not fixes:
        return html
    pattern = re.compile(r"(?<![\w'’@./-])(" + "|".join(map(re.escape, fixes))
                         + r")(?![\w'’@/-]|\.\w)")
    parts = MARKUP.split(html)
    for index in range(0, len(parts), 2):
        parts[index] = pattern.sub(lambda m: fixes[m.group(1)], parts[index])
    return "".join(parts)


# A capitalised word in mid-sentence (after a word, a number or a comma) before a lower-case
# word: "Forte A dit", not "Forte A" at a line's end nor "El Salvador".
_MID_CAPITAL = re.compile(r"(?<=[\w%),;] )([^\W\d_][^\W\d_]*)(?= [^\W\d_])")


def mid_sentence_capitals(text: str, source: str,
                          closed_class: Callable[[Collection[str]], Collection[str]]) -> set[str]:
    """Capitalised words of ``text`` standing in mid-sentence before a lower-case word, which
    the source never writes so in mid-sentence and which ``closed_class`` says are closed-class
    words of the target (an article, a preposition, an auxiliary) that its dictionary does not
    write with a capital ("11 May"): Apertium's capitals."""
    found = {m.group(1) for m in _MID_CAPITAL.finditer(text)
             if m.group(1)[0].isupper() and (len(m.group(1)) == 1 or m.group(1)[1:].islower())
             and text[m.end() + 1:m.end() + 2].islower()}
    # (the source's own capitals in mid-sentence, "De la Rúa"; an English source's "A" that
    # opens its sentences is no reason to keep "Forte A dit")
    found -= {m.group(1) for m in _MID_CAPITAL.finditer(source)}
    if not found:
        return set()
    return set(closed_class(found)) & found


def lower_mid_sentence(html: str, words: Collection[str]) -> str:
    """``html`` with each of ``words`` lower-cased where it stands as ``mid_sentence_capitals``
    found it (in text only, never in a tag; the same word opening a sentence stays)."""
    if not words:
        return html
    pattern = re.compile(r"(?<=[\w%),;] )(" + "|".join(map(re.escape, sorted(words)))
                         + r")(?= [^\W\d_])")

    def lower(match: re.Match[str]) -> str:
        after = match.string[match.end() + 1:match.end() + 2]
        return match.group(1).lower() if after.islower() else match.group(1)

    parts = MARKUP.split(html)
    for index in range(0, len(parts), 2):
        parts[index] = pattern.sub(lower, parts[index])
    return "".join(parts)
