"""Readings Apertium's tagger is not offered: rules on the analysed stream, between a pair's
analyser and its tagger (``tagger.CleanTagger`` hands each segment to them).

English "on" is an adverb and a preposition to the English analyser, and eng-spa's tagger picks
the adverb ("encima") before most noun phrases: "on Twitter" -> "encima Twitter", "a report on
the economy" -> "un informe encima la economía", "on Nov. 8" -> "encima Nov. 8"; 409 of the
1,328 "on" of the English development texts came out "encima", almost all wrongly. An adverb
"on" before the start of a noun phrase is rare ("turn on the lights", which the preposition
renders no worse), so there the adverb is taken out and the tagger reads a preposition, which
the pair translates "en" or "sobre" by its own lexical rules.

Why not in the pair's data: the Debian package's tagger model and rules are what is installed;
the filter keeps them as they are and touches only the readings of one word.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

# A lexical unit of the stream: "^surface/reading/reading$" (an escaped character stands for
# itself); the blank between two units: spaces and word-bound blanks ("[[t:b:x]]") only.
_UNIT = re.compile(rb"\^((?:\\.|[^$\\^])*)\$")
_BLANK = re.compile(rb"(?:\s|\[\[(?:\\.|[^\]\\])*\]\])*")
_ON_ADVERB = re.compile(rb"/on<adv>(?=/|$)", re.IGNORECASE)
# The first tags of a reading that opens a noun phrase (a determiner, a number, a name, a noun,
# an adjective, an object or possessive pronoun, a gerund) or a question word ("on how").
_PHRASE_START = re.compile(rb"^[^<]*<(?:det|num|np|n|adj|prn><(?:obj|pos)|vblex><ger|"
                           rb"(?:adv|prn)><itg)>")


def _readings(unit: bytes) -> list[bytes]:
    return re.split(rb"(?<!\\)/", unit)[1:]


def english(segment: bytes) -> bytes:
    """``segment`` with the adverb reading of "on" taken out where a noun phrase follows, the
    numeral reading of "I" after a dash, and the surname reading of a post before a name."""
    return _post_before_name(_i_after_dash(_on_before_phrase(segment)))


# Posts the English analyser also has as surnames. Before a name eng-spa's tagger read the
# surname: "Mayor Gérald Tremblay" came out "Mayor Gérald Tremblay" in Spanish and, through
# Spanish, "Majeur Gérald Tremblay" in French (the Spanish adjective "mayor"); "Stephen King"
# and "Mervyn King spoke" keep the surname (no name follows), and so does "King JC Jr" in a list
# of references (initials are no name after a post).
_SURNAME_POST = re.compile(rb"\^(?:Mayor|King|Prince|Princess|Justice)/[^$]*<n>[^$]*\$")
_NAME_AFTER = re.compile(rb"\^[A-Z\xc3-\xc5][^/$a-z]*[a-z][^/$]*(?:/\*|(?:/[^/$]*)*?/[^/$]*<np>)")
_SURNAME_READING = re.compile(rb"/[^/$<]*<np>[^/$]*")


def _post_before_name(segment: bytes) -> bytes:
    if _SURNAME_POST.search(segment) is None:
        return segment
    out, last = [], 0
    for post in _SURNAME_POST.finditer(segment):
        rest = segment[post.end():]
        gap = _BLANK.match(rest)
        if gap is None or _NAME_AFTER.match(rest, gap.end()) is None:
            continue
        out += [segment[last:post.start()], _SURNAME_READING.sub(b"", post.group(0))]
        last = post.end()
    return b"".join(out) + segment[last:]


def _i_after_dash(segment: bytes) -> bytes:
    """"I" after a dash is the pronoun: eng-spa's tagger read the Roman numeral there ("my dream
    as a boy - I always liked James Bond" -> "- I siempre gustado"). A dash is a unit of its
    own ("-", "–") or, for "—", part of the blank before the word."""
    return _I_NUMERAL.sub(rb"\1", segment) if b"^I/I<num>" in segment else segment


_I_NUMERAL = re.compile(rb"((?:\^[-\xe2\x80\x93]+/[^$]*<guio>\$|\xe2\x80\x94)\s*\^I)/I<num><mf><sg>"
                        rb"(?=/prpers<prn>)")


def _on_before_phrase(segment: bytes) -> bytes:
    if b"/on<adv>" not in segment.lower():
        return segment
    units = list(_UNIT.finditer(segment))
    cuts: list[tuple[int, int]] = []
    for unit, after in itertools.pairwise(units):
        body = unit.group(1)
        adverb = _ON_ADVERB.search(body)
        if adverb is None or b"<pr>" not in body:
            continue
        gap = segment[unit.end():after.start()]
        if _BLANK.fullmatch(gap) is None:
            continue
        following = after.group(1)
        readings = _readings(following)
        if (readings and readings[0].startswith(b"*")) or any(
                _PHRASE_START.match(r) for r in readings):
            cuts.append((unit.start(1) + adverb.start(), unit.start(1) + adverb.end()))
    for start, end in reversed(cuts):
        segment = segment[:start] + segment[end:]
    return segment


_RULES: dict[str, Callable[[bytes], bytes]] = {"en": english}


def rules_for(source: str) -> Callable[[bytes], bytes] | None:
    """The rules for a pair whose source is ``source`` (None: the stream goes as it is)."""
    return _RULES.get(source)
