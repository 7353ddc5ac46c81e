"""Capitals an engine lost, put back: the words of a text as a reader sees them.

Apertium's Spanish post-generation writes "e italia" for "y Italia": a lower-case word that no
dictionary of the target language knows, but whose capitalised form it knows, is that name.
``WORD`` and ``words_of`` are also what the checks (``quality.words``) count as words.
"""

from __future__ import annotations

import re

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
