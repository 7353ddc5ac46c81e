"""Sentence segmentation of news text in English, Spanish and French.

Written here rather than taken from pysbd because pysbd (and most rule splitters tried) cut after
abbreviations that news text is full of ("Nov. 17", "Sr. García", "EE.UU. y"), and a cut sentence
is exactly the fault babelwire exists to avoid. ``bench/segmentation.py`` measures this splitter
against pysbd on newstest2013.

The rule: a boundary follows ``.``, ``!``, ``?`` or an ellipsis (plus any closing quotes or
brackets), then whitespace, then something that can open a sentence (an upper-case letter, a digit,
an opening quote or ``¿``/``¡``), unless the word before the period is a known abbreviation, a
single initial or a dotted acronym.

Scraped news text also runs sentences together where a paragraph break or a space was lost
("en los hospitales generales.Enfatizó que", "citado por The Jakarta Post.Según los
reportes"): 33 times in the 841 es/fr articles of ``stories/pairs.jsonl``. Given to the engine
as one token, such a pair comes back garbled ("generales.en fatizó"), so a stop between a
lower-case word and a capitalised one, with no space, is a boundary too (``glued_boundaries``),
and so is the dash that ends a dateline (``dateline_end``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles and forms of address: a period after them never ends a sentence (a name follows).
_TITLES: dict[str, frozenset[str]] = {
    "en": _words("mr mrs ms dr prof sr st mt gen gov sen rep lt col capt sgt rev hon pres "
        "supt cmdr adm maj messrs"),
    "es": _words("sr sra srta sres sras dr dra dña d lic ing arq prof pdte gral excmo "
        "excma ilmo ilma av avda sto sta ud uds vd vds dn mons"),
    "fr": _words("m mme mmes mlle mlles mm dr pr me mgr st ste bd av"),
}
# Abbreviations that rarely end a sentence: a period after them is a boundary only before an
# upper-case word that is itself a common sentence opener ("... etc. The").
_ABBREVIATIONS: dict[str, frozenset[str]] = {
    "en": _words("jan feb mar apr jun jul aug sep sept oct nov dec no nos vs inc corp ltd "
        "co approx dept est fig figs vol p pp ch art ave blvd ft mins hrs e.g i.e "
        "cf al jr"),
    "es": _words("ene feb mar abr may jun jul ago sep sept set oct nov dic núm nº n pág "
        "págs art arts aprox tel p pp vol cap cía ej fig trad ed vs cf"),
    "fr": _words("janv févr fév avr juil sept oct nov déc n° no nº p pp vol chap env cf ex "
        "art fig éd av. tél vs"),
}
# Capitalised words that open sentences often: after an abbreviation they mean a new sentence.
_OPENERS = _words("the a an this that these those it he she they we i but and in on at for "
        "if when while el la los las un una este esta estos estas pero y en con "
        "por para si cuando mientras le les une ce cette ces il elle ils elles "
        "nous on mais et dans pour si quand alors")

_CLOSERS = "\"'”’»)]"
_OPENERS_CHARS = "\"'“‘«¿¡([—–-"
# Candidate end of sentence: terminal punctuation, closing quotes/brackets, then whitespace.
_CANDIDATE = re.compile(r"(?:\.\.\.|…|[.!?])[" + re.escape(_CLOSERS) + r"]*(?=\s)")
_WORD_BEFORE = re.compile(r"([\w.'’°º-]+)$")
_DOTTED_ACRONYM = re.compile(r"^(?:[^\W\d_]{1,3}\.)+[^\W\d_]{1,3}$")


def split_sentences(text: str, lang: str = "en") -> list[str]:
    """Split ``text`` into sentences (joined with the whitespace between, they give ``text``)."""
    return [text[start:end] for start, end in sentence_spans(text, lang)]


def sentence_spans(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence of ``text``, whitespace between sentences excluded."""
    spans: list[tuple[int, int]] = []
    start = _skip_space(text, 0)
    for end in boundaries(text, lang):
        spans.append((start, end))
        start = _skip_space(text, end)
    tail_end = len(text.rstrip())
    if start < tail_end:
        spans.append((start, tail_end))
    return spans


def boundaries(text: str, lang: str = "en") -> list[int]:
    """Offsets just after the last character of every sentence but the last (with no space
    after it where the source lost one: ``glued_boundaries``), a dateline's dash included."""
    out: list[int] = glued_boundaries(text, lang)
    dateline = dateline_end(text)
    if dateline and dateline < len(text.rstrip()):
        out.append(dateline)
    for match in _CANDIDATE.finditer(text):
        end = match.end()
        start = _skip_space(text, end)
        following = text[start:start + 40]
        before = text[max(0, match.start() - 40):match.start()]
        if following and _is_boundary(before, match.group(0), following, lang):
            out.append(end)
    return sorted(out)


# A stop with no space after it, between a word ending in two lower-case letters or two
# capitals and a capitalised word, neither of them part of an address, a handle or a dotted
# name ("Node.js", "ASP.NET", "Yahoo.com", "p.m.The" are not matched): "generales.Enfatizó",
# "del Atlántico.El acto", "l'ADAGP.Le documentaire", "el PSOE.Los socialistas".
# (A straight quote after the stop may open the next sentence: 'dijo."Estados Unidos', no cut.)
# (The scan looks for the stop first, then at the word before it: a pattern that starts with
# the word tried every letter of the text, and made the splitter 2.5 times slower.)
_GLUED = re.compile(r"[.!?](?<=[^\W\d_A-Z]{2}[.!?]|[^\W\d_a-z]{2}[.!?])[”’»)\]]*"
                    r"(?=[A-ZÁÉÍÓÚÑÀÂÇÈÉÊÎÔÛÜ][^\W\d_A-Z]+(?![\w@/]|\.\w))")
_LETTERS_BEFORE = re.compile(r"[^\W\d_]+$")


# A dateline: the place in capitals, maybe its region or date and the agency, then a dash
# ("DUBAI, United Arab Emirates — Dubai's flagship carrier", "NEW YORK (Reuters) - Oil",
# "PROGRESO, Yucatán, 31 de diciembre.- Cuando"). Apertium does not end a sentence at a dash:
# its rules moved words across it ("DUBAI, Dubai de Emirates — árabe Unida insignia").
_DATELINE = re.compile(r"[A-ZÀ-ÝŒ][A-ZÀ-ÝŒ'’.&-]+(?: [A-ZÀ-ÝŒ][A-ZÀ-ÝŒ'’.&-]+){0,4}"
                       r"(?:, [^—–\n()]{1,50}?)?(?: \([^()\n]{1,30}\))?"
                       r"(?: (?:—|–|--|-)(?= )|\.[-—–])"
                       # Mexican and other Latin American papers write the place in lower
                       # case, always with a stop and a dash: "Culiacán, Sin.-Los comerciantes"
                       # (Sinaloa), "Ciudad de México.-". A dash alone is no dateline then.
                       r"|[A-ZÀ-ÝŒ][^\W\d_]+(?: (?:de |del |de la )?[A-ZÀ-ÝŒ][^\W\d_]+){0,3}"
                       r"(?:, [^—–\n().]{1,50}?)?(?: \([^()\n]{1,30}\))?\.[-—–]")


def dateline_end(text: str) -> int:
    """The end of a dateline that opens ``text`` (0 if none)."""
    match = _DATELINE.match(text)
    return match.end() if match else 0


def glued_boundaries(text: str, lang: str = "en") -> list[int]:
    """Offsets of sentence ends with no space after them: "generales.Enfatizó que"."""
    out = []
    for match in _GLUED.finditer(text):
        if not text[max(0, match.start() - 2):match.start()].isalpha():
            continue        # "A¹!Aa": to the pattern's classes "¹" is a letter (\w, not \d)
        before = _LETTERS_BEFORE.search(text, max(0, match.start() - 60), match.start())
        start = before.start() if before else match.start()
        if before is None or (start and (text[start - 1].isalnum() or text[start - 1] in
                                         "_.@/#-")):
            continue        # part of an address, a handle, a dotted or hyphenated name
        if match.group(0)[0] != "." or _period_ends_sentence(
                before.group(0), text[match.end():match.end() + 40], lang):
            out.append(match.end())
    return out


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _is_boundary(before: str, punct: str, following: str, lang: str) -> bool:
    if not _opens_sentence(following):
        return False
    if punct[0] != "." or punct.startswith("..."):
        return True
    word_match = _WORD_BEFORE.search(before)
    word = word_match.group(1) if word_match else ""
    return _period_ends_sentence(word, following, lang)


def _opens_sentence(following: str) -> bool:
    first = following[0]
    if first in _OPENERS_CHARS:
        rest = following.lstrip(_OPENERS_CHARS + " ")
        return not rest or not rest[0].islower()
    return first.isupper() or first.isdigit()


def _period_ends_sentence(word: str, following: str, lang: str) -> bool:
    """Whether a period after ``word`` ends a sentence, given the text that follows."""
    key = word.lower().rstrip(".")
    if not key:
        return True
    titles = _TITLES.get(lang, _TITLES["en"]) | _TITLES["en"]
    if key in titles and not (len(word) > 1 and word.isupper()):
        return False
    next_word = re.match(r"[\w'’]+", following.lstrip(_OPENERS_CHARS))
    opener = next_word is not None and next_word.group(0).lower() in _OPENERS
    if key in _ABBREVIATIONS.get(lang, frozenset()) or key in _ABBREVIATIONS["en"]:
        return opener
    if _DOTTED_ACRONYM.match(word.rstrip(".")) or _is_initial(key, word):
        return opener
    return True


def ends_with_abbreviation(text: str, lang: str = "en") -> bool:
    """Whether ``text`` ends with an abbreviation, an initial or a dotted acronym ("EE.UU.")."""
    match = _WORD_BEFORE.search(text.rstrip()[-40:])
    if not match or not match.group(1).endswith("."):
        return False
    word = match.group(1)
    key = word.lower().rstrip(".")
    known = _TITLES.get(lang, frozenset()) | _TITLES["en"] | _ABBREVIATIONS.get(
        lang, frozenset()) | _ABBREVIATIONS["en"]
    return key in known or bool(_DOTTED_ACRONYM.match(word.rstrip("."))) \
        or _is_initial(key, word)


# What may stand between a sentence's end and its first word: blanks, quotes, brackets, dashes.
OPENING_MARKS = "\"'“”«»‘’(¿¡—–- \t"


def opens_sentence(before: str, lang: str = "en") -> bool:
    """Whether a word after ``before`` (the text before it) opens a paragraph, a line or a
    sentence: not a quotation in mid-sentence ("su participación en ‘Soltero con hijas’": a
    show's title), nor a word after a colon ("José En Otáez: Bajío de Vacas") or after an
    abbreviation ("U.S. Treasury")."""
    before = before.rstrip(OPENING_MARKS)
    return not before or before[-1] in "!?…\n" or (
        before[-1] == "." and not ends_with_abbreviation(before, lang))


def _is_initial(key: str, word: str) -> bool:
    """A single letter ("J." in "J. K. Rowling", "a." in "a. C.") is an initial or abbreviation."""
    return len(key) == 1 and word[:1].isalpha()


def join_sentences(sentences: Sequence[str]) -> str:
    """Sentences back into one paragraph, separated by single spaces."""
    return " ".join(s.strip() for s in sentences if s.strip())
