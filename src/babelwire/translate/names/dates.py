"""English dates, written as the target language writes them.

Apertium's English analyser reads "March", "April" and "August" as names more often than as
months ("in March" -> "en March", "in August" -> "en August"), its bilingual dictionary
gives the month "March" as "Marcha", its transfer knows only "on 3 March" (British order, after
"on"), and its tagger reads "on" before a date as the adverb "encima": "On March 3" came out
"Encima Marcha 3", "between October 2019 and March 2020" "entre octubre 2019 a Marcha 2020",
and through Spanish into French "Il dessus Part 3" and "en Agost" (Catalan, from a pivot).
News text is full of dates, so they are not left to the engine: a date of the source becomes a
protected term with its fixed target form (``ProtectedTerm.replacement``), as a glossary term
does, which every engine and every pivot passes through untouched.

What is a date here, in English sources (a month alone is not: "the March for Our Lives",
"Fredric March"):

- a day and a month in either order, maybe after "on", a weekday and before a year: "on
  March 3", "Tuesday, March 3, 2020", "the 3rd of March", "Dec. 5" (AP's abbreviations, with a
  day or a year only);
- a month and a year: "March 2020";
- a month after a word that makes it one: "in March", "since April", "early August", "mid-May",
  "last March", "the end of March" ("of May" is left: "the resignation of May");
- "on" and a weekday: "on Tuesday" (a weekday alone the engines translate).

In Spanish and French sources, a weekday naming the day of the event ("anunció el martes",
"manifestaient mardi", "el próximo lunes", "vendredi 3 mars"), which Apertium wrote "announced
the Tuesday" and "manifestaban martes"; not after a preposition or a determiner ("hasta el
martes", "le samedi": every Saturday), and not at all in an article that also writes the same
words so (a term is found wherever its text stands).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from babelwire.translate.segment import opens_sentence

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
_ABBREVIATIONS = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8,
                  "Sep": 9, "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MONTH = "(?:" + "|".join(MONTHS) + ")"
_ABBREVIATED = "(?:" + "|".join(sorted(_ABBREVIATIONS, key=len, reverse=True)) + r")\."
_ANY_MONTH = f"(?:{_MONTH}|{_ABBREVIATED})"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_WEEKDAY = "(?:" + "|".join(WEEKDAYS) + ")"
_ON = r"(?:(?P<on>[Oo]n)\s+)?"
# (not "May's cabinet", nor "March-April")
_END = r"(?![\w-]|['’]\w)"
# The words before a month alone that make it the month ("in early" before "early": the longest
# first), lower-cased and with single spaces a key of the target's ``prepositions``.
_BEFORE = (r"(?P<prep>(?:[Ii]n\s+)?(?:early|late|mid-)|[Ee]arly|[Ll]ate|[Mm]id-|[Ii]n|[Ss]ince"
           r"|[Uu]ntil|[Ll]ast|[Nn]ext|of)")

_PATTERNS = (
    # Tuesday, March 3, 2020 / on March 3rd / Dec. 5
    re.compile(rf"(?<![\w-]){_ON}(?:(?P<weekday>{_WEEKDAY}),?\s+)?(?P<month>{_ANY_MONTH})\s+"
               rf"(?P<day>{_DAY})(?:,?\s+(?P<year>{_YEAR}))?{_END}"),
    # on Tuesday 3 March 2020 / the 3rd of March
    re.compile(rf"(?<![\w-]){_ON}(?:(?P<weekday>{_WEEKDAY}),?\s+)?(?:(?P<the>the)\s+)?"
               rf"(?P<day>{_DAY})\s+"
               rf"(?:of\s+)?(?P<month>{_ANY_MONTH})(?:,?\s+(?P<year>{_YEAR}))?{_END}"),
    # in March 2020 / March 2020 / since last March
    re.compile(rf"(?<![\w-])(?:{_BEFORE}\s*)?(?P<month>{_ANY_MONTH})\s+(?P<year>{_YEAR}){_END}"),
    re.compile(rf"(?<![\w-]){_BEFORE}\s*(?P<month>{_MONTH}){_END}"),
    # on Tuesday
    re.compile(rf"(?<![\w-])(?P<on>[Oo]n)\s+(?P<weekday>{_WEEKDAY}){_END}"),
)


@dataclass(frozen=True)
class _Date:
    """A date as the source gives it, in no language."""

    on: bool                 # the day of an event: "on", "the" or, in es/fr, the weekday's own
    weekday: int | None      # 0 = Monday
    day: int | None
    month: int | None        # 1 = January
    year: str = ""
    prep: str = ""           # before a month alone: a key of ``_PREPOSITIONS``
    relative: str = ""       # "next" or "last", before or after a weekday


_MONTH_WORDS = {
    "en": MONTHS,
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"),
}
_WEEKDAY_WORDS = {
    "en": WEEKDAYS,
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
}
def month_words(lang: str) -> tuple[str, ...]:
    """The language's months, in lower case but English's."""
    return _MONTH_WORDS.get(lang, ())


def weekday_words(lang: str) -> tuple[str, ...]:
    """The language's weekdays, in lower case but English's."""
    return _WEEKDAY_WORDS.get(lang, ())


# The words before an English month alone, in Spanish and French ("{}" stands for the month
# where it goes first: "julio pasado" has no article that a "de" before it would have to take
# in, "como de el pasado julio").
_PREPOSITIONS = {
    "es": {"in": "en", "since": "desde", "until": "hasta", "early": "principios de",
           "late": "finales de", "mid-": "mediados de", "in early": "a principios de",
           "in late": "a finales de", "in mid-": "a mediados de", "last": "{} pasado",
           "next": "{} próximo", "of": "de"},
    "fr": {"in": "en", "since": "depuis", "until": "jusqu'en", "early": "début", "late": "fin",
           "mid-": "mi-", "in early": "début", "in late": "fin", "in mid-": "à la mi-",
           "last": "{} dernier", "next": "{} prochain", "of": "de"},
}
_VOWELS = "aeiouyàâéèêëîïôûù"


def _write(date: _Date, target: str) -> str:
    """``date`` in ``target``'s words."""
    weekday = _WEEKDAY_WORDS[target][date.weekday] if date.weekday is not None else ""
    month = _MONTH_WORDS[target][date.month - 1] if date.month else ""
    if target == "en":
        return _english(date, weekday, month)
    if date.day is None and weekday:
        if target == "es":
            return {"next": f"el próximo {weekday}", "last": f"el {weekday} pasado"}.get(
                date.relative, f"el {weekday}" if date.on else weekday)
        return {"next": f"{weekday} prochain", "last": f"{weekday} dernier"}.get(
            date.relative, weekday)
    if date.day is not None:
        # (a day of the month says what "next" or "last" would)
        day = "1er" if target == "fr" and date.day == 1 else str(date.day)
        parts = [weekday, day] if weekday else [day]
        if target == "es":
            parts = (["el"] if date.on else []) + parts + ([f"de {month}"] if month else [])
            return " ".join(parts + ([f"de {date.year}"] if date.year else []))
        lead = ["le"] if date.on and not weekday else []
        return " ".join(lead + parts + ([month] if month else []) + (
            [date.year] if date.year else []))
    year = (" de " if target == "es" else " ") + date.year if date.year else ""
    prep = _PREPOSITIONS[target].get(date.prep, "")
    if "{}" in prep:
        return prep.format(month + year)
    if target == "fr" and (prep == "de" or prep.endswith(" de")) and month[0] in _VOWELS:
        return f"{prep[:-2]}d'{month}{year}"
    if prep.endswith("-"):
        return f"{prep}{month}{year}"
    return f"{prep} {month}{year}".strip()


def _english(date: _Date, weekday: str, month: str) -> str:
    """A Spanish or French weekday in English: "on Tuesday", "next Monday", "on Friday,
    March 3, 2023", "on Wednesday the 18th"."""
    lead = f"{date.relative or 'on'} {weekday}"
    if date.day and month:
        return f"{lead}, {month} {date.day}" + (f", {date.year}" if date.year else "")
    return f"{lead} the {_ordinal(date.day)}" if date.day else lead


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


# Spanish and French sources: a weekday said as the day something happens. Apertium writes
# Spanish "anunció el martes" as "announced the Tuesday" ("El martes, el Gobierno" -> "The
# Tuesday, the Government") and French "manifestaient mardi" as "manifestaban martes".
def _alternatives(words: Sequence[str]) -> str:
    return "(?:" + "|".join(w for word in words for w in (word, word.capitalize())) + ")"


_WEEKDAY_PATTERNS = {
    # el martes / el próximo lunes / el viernes 3 de marzo de 2023 / el lunes pasado
    "es": re.compile(
        rf"(?<![\w-])[Ee]l\s+(?:(?P<rel1>próximo|pasado)\s+)?"
        rf"(?P<weekday>{_alternatives(_WEEKDAY_WORDS['es'])})"
        rf"(?:\s+(?P<day>[12]\d|3[01]|0?[1-9])(?:\s+de\s+"
        rf"(?P<month>{_alternatives(_MONTH_WORDS['es'])}|setiembre)"
        rf"(?:\s+de\s+(?P<year>{_YEAR}))?)?)?(?:\s+(?P<rel2>pasado|próximo))?(?![\w°º.,:-]\w|[\w°º-])"),
    # mardi / mardi dernier / vendredi 3 mars 2023
    "fr": re.compile(
        rf"(?<![\w'’-])(?P<weekday>{_alternatives(_WEEKDAY_WORDS['fr'])})"
        rf"(?:\s+(?P<day>1er|[12]\d|3[01]|0?[1-9])(?:\s+"
        rf"(?P<month>{_alternatives(_MONTH_WORDS['fr'])})(?:\s+(?P<year>{_YEAR}))?)?)?"
        rf"(?:\s+(?P<rel2>dernier|prochain))?(?![\w°º.,:-]\w|[\w°º-])"),
}
# A word before the weekday that makes it something else than the day of the event: a
# preposition ("hasta el martes", "depuis mardi") or a determiner ("le mardi", "chaque mardi").
_NOT_AFTER = {
    "es": frozenset({"de", "desde", "hasta", "para", "a", "entre", "por", "con", "sin", "sobre",
                     "tras", "durante", "ante", "en", "y", "o", "e", "u"}),
    "fr": frozenset({"le", "la", "les", "ce", "cet", "chaque", "du", "au", "aux", "de", "des",
                     "d", "depuis", "dès", "jusqu", "avant", "après", "pour", "par", "un",
                     "une", "tous", "toutes", "entre", "sur", "et", "ou", "l", "à", "même",
                     "premier", "dernier", "prochain", "seul", "autre"}),
}
_WORD_BEFORE = re.compile(r"([^\W\d_]+)['’]?\s*$")
_RELATIVE = {"próximo": "next", "prochain": "next", "pasado": "last", "dernier": "last"}


def _weekday_dates(text: str, source: str, target: str
                   ) -> Iterator[tuple[int, str, str | None]]:
    """Where a weekday of a Spanish or French text stands, what is written there and its form
    in ``target``; None where it is not the day of the event (a protected term is found
    wherever its text stands, so the caller drops a text that stands so once)."""
    for match in _WEEKDAY_PATTERNS[source].finditer(text):
        before = _WORD_BEFORE.search(text[:match.start()])
        if before is not None and before.group(1).lower() in _NOT_AFTER[source]:
            yield match.start(), match.group(0), None
            continue
        groups = match.groupdict()
        weekday = _WEEKDAY_WORDS[source].index(groups["weekday"].lower())
        month_text = (groups.get("month") or "").lower().replace("setiembre", "septiembre")
        month = _MONTH_WORDS[source].index(month_text) + 1 if month_text else None
        day = int(re.sub(r"\D", "", groups["day"])) if groups.get("day") else None
        relative = _RELATIVE.get(groups.get("rel1") or groups.get("rel2") or "", "")
        date = _Date(on=True, weekday=weekday, day=day, month=month,
                     year=groups.get("year") or "", relative=relative)
        yield match.start(), match.group(0), _write(date, target)


def supported(source: str, target: str) -> bool:
    """Whether dates of ``source`` are written by this module for ``target``."""
    if source == "en":
        return target in _PREPOSITIONS
    return source in _WEEKDAY_PATTERNS and target in _WEEKDAY_WORDS and target != source


def find_dates(paragraphs: Sequence[str], source: str, target: str
               ) -> Iterator[tuple[str, str]]:
    """Each date of ``paragraphs`` as written there, with its form in ``target``; nothing for
    a pair this module does not write. The form is capitalised where the date opens a
    sentence (its first occurrence decides for a text found more than once)."""
    if not supported(source, target):
        return
    if source != "en":
        forms: dict[str, str] = {}
        elsewhere: set[str] = set()
        for text in paragraphs:
            for start, found, written in _weekday_dates(text, source, target):
                if written is None:
                    elsewhere.add(found)
                elif found not in forms:
                    if opens_sentence(text[:start], source):
                        written = written[0].upper() + written[1:]
                    forms[found] = written
        # (also a shorter text found inside such a one: "Ce même vendredi" and "Le vendredi
        # 3 janvier" in one article)
        yield from ((found, written) for found, written in forms.items()
                    if not any(_occurs(found, other) for other in elsewhere))
        return
    seen: set[str] = set()
    for text in paragraphs:
        taken: list[tuple[int, int]] = []
        for pattern in _PATTERNS:
            for match in pattern.finditer(text):
                start, end = match.span()
                if any(s < end and start < e for s, e in taken):
                    continue
                date = _read(match)
                if date is None:
                    continue
                taken.append((start, end))
                found = match.group(0)
                if found in seen:
                    continue
                seen.add(found)
                written = _write(date, target)
                if opens_sentence(text[:start], source) and written:
                    written = written[0].upper() + written[1:]
                yield found, written


def _occurs(words: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text) is not None


def _read(match: re.Match[str]) -> _Date | None:
    groups = match.groupdict()
    month_text = groups.get("month")
    month = None
    if month_text:
        month = (MONTHS.index(month_text) + 1 if month_text in MONTHS
                 else _ABBREVIATIONS[month_text.rstrip(".")])
    day_text = groups.get("day")
    day = int(re.sub(r"\D", "", day_text)) if day_text else None
    prep = " ".join((groups.get("prep") or "").lower().split())
    if prep == "of" and month == 5 and not groups.get("year"):
        return None                 # "the resignation of May"
    weekday_text = groups.get("weekday")
    return _Date(on=bool(groups.get("on") or groups.get("the")),
                 weekday=WEEKDAYS.index(weekday_text) if weekday_text else None,
                 day=day, month=month, year=groups.get("year") or "", prep=prep)
