"""Every word a reader reads, checked against the target language's dictionaries.

Each word of a translation (title and body) must be one of:

- a word of the target language: some dictionary of the language knows it
  (:class:`~babelwire.quality.dictionaries.Dictionaries`);
- part of a protected term or a glossary translation, as the output must carry it;
- copied from the source: a name ("Fujimori", "Target") or a word no dictionary knows.

The rest is what a reader must not be shown unflagged:

- **left in another language**: a word of the source language copied through ("aprovechamiento"
  in English) or a word of the pivot language that the second leg did not know ("apresamiento" in
  English from French through Spanish). Counted, and marked with its language in the published
  HTML (:func:`foreign_spans` says where);
- **quoted in a third language**: a word the source itself has in another language (an English
  title in a French article). Faithful, so not counted, but marked too;
- **terms no engine knows**: a word of the source that no Apertium analyser of any language has,
  only a word list ("halibut", "ransomware", "frosting"): an engine of this kind could not have
  translated it, so it is not counted, but it is marked with the source's language.

Which language a word left over belongs to is decided by Apertium's analysers (the engines'
own dictionaries, as the project measures it); hunspell's word lists only say whether a word is
a word of the target, and which language a term no analyser has comes from.
- **glued**: known to no dictionary, absent from the source, and made of two or more target words
  run together ("listadoenLondres", "escenariodecaso", "hapodido");
- **garbled**: known to no dictionary and absent from the source, and not a glue of words; or a
  word behind an engine's mark ("@darse", "*displaystyle") or a doubled handle ("@@nytimes")
  that the source does not have: the reader's words are looked at with what stands before them,
  since ``words_of`` skips a word after "@" (a handle, an address); or a name from code
  ("github_Casos", "is-CL.put.svg.Material") that the source does not have as it stands:
  ``words_of`` cuts such a name into words, each of which may be a word.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from babelwire.translate.dictionaries import Dictionaries
from babelwire.translate.names.detect import CODE_NAME, PATH, ProtectedTerm, find_spans
from babelwire.translate.recase import MARKUP, WORD, words_of
from babelwire.translate.segment import glued_boundaries

_PARTS = re.compile(r"[-]")
_MIN_PART = 3
# Words shorter than ``_MIN_PART`` that may stand inside a glue ("mayoríadedos", "hapodido"):
# the function words; any other short piece would make nearly every long word "segmentable".
_SHORT_WORDS = {
    "en": frozenset({"a", "I", "an", "as", "at", "be", "by", "do", "he", "if", "in", "is", "it",
                     "me", "my", "no", "of", "on", "or", "so", "to", "up", "us", "we"}),
    "es": frozenset({"a", "e", "o", "u", "y", "al", "de", "el", "en", "ha", "he", "la", "le",
                     "lo", "me", "mi", "ni", "no", "se", "si", "su", "te", "tu", "un", "ya"}),
    "fr": frozenset({"a", "à", "y", "au", "ce", "de", "du", "en", "et", "il", "je", "la", "le",
                     "ma", "me", "ne", "on", "ou", "où", "sa", "se", "si", "ta", "te", "tu",
                     "un"}),
}
# Spanish and French elided articles and pronouns glue to the next word with an apostrophe, and
# English genitives to the previous one: such a token is known when its parts are.
_ELISION = re.compile(r"^(?:[ldjmntsc]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
# A word with "@", "#" or "*" before it: a handle or a hashtag when the source has it too.
# (Not after a letter or digit, "e@mail"; after an underscore it counts: "__#hueco__".)
_MARKED = re.compile(r"(?<![^\W_]|[@#*])[@#*]+[^\W\d_][\w'’-]*")
_CODE_NAME = re.compile(f"{CODE_NAME}|{PATH}")
# A path whose slash came back twice ("//etc/hosts.allow"); an address's "://" is no such.
_DOUBLED_SLASH = re.compile(r"(?<![:/\w])//[^\W\d_][\w./-]*")
# A word, a stop and a capitalised word, with no space: "resultado.Anexa", "Pipfile.Cerradura".
_RUN_TOGETHER = re.compile(r"(?<![\w.])[^\W\d_]*[^\W\d_A-Z]{2}[.!?][A-ZÁÉÍÓÚÑ][^\W\d_A-Z]{2,}"
                           r"(?!\w|\.\w)")


@dataclass(frozen=True)
class WordReport:
    """What the words of one translation are, by kind."""

    words: int = 0
    foreign: dict[str, tuple[str, ...]] = field(default_factory=dict)  # language -> words
    quoted: dict[str, tuple[str, ...]] = field(default_factory=dict)   # language -> words
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)    # language -> words
    glued: tuple[str, ...] = ()
    garbled: tuple[str, ...] = ()

    @property
    def foreign_count(self) -> int:
        """Words left in the source or a pivot language, each occurrence counted."""
        return sum(len(words) for words in self.foreign.values())

    @property
    def foreign_share(self) -> float:
        """Share of the words left in another language."""
        return self.foreign_count / self.words if self.words else 0.0

    def marks(self) -> dict[str, str]:
        """Each word in another language and that language, for ``mark_languages``: those left
        in the source or a pivot language, the source's words no engine dictionary has, and
        those the source itself quoted in a third language."""
        return {word: lang for kind in (self.quoted, self.terms, self.foreign)
                for lang, words in kind.items() for word in words}


def classify_words(output: str, source: str, *, target: str, source_lang: str,
                   dictionaries: Dictionaries, kept: Collection[str] = (),
                   names: Collection[str] = (), pivots: Sequence[str] = (),
                   others: Sequence[str] = ("en", "es", "fr", "ca", "gl", "eo")) -> WordReport:
    """Sort every word of ``output`` (a translation of ``source``) into the kinds above.

    ``kept`` are the protected terms and glossary translations as the output carries them;
    ``names`` the source's names (words copied on purpose); ``pivots`` the languages the text
    passed through; ``others`` further languages to recognise words of.
    """
    kept_words = {w for term in kept for w in words_of(term)}
    tokens = [w for w in words_of(_without_terms(output, kept)) if w not in kept_words]
    source_words = {p for w in words_of(_unglued(source, source_lang)) for p in (w, *_split(w))}
    source_folded = {fold(w) for w in source_words}
    source_common = common_words(source)
    # A capital at a sentence's start says nothing: a word copied there whose lower-case form
    # the source's analyser knows is a common word of the source ("Hoy il reste", "Su body").
    openers = {w for w in _sentence_openers(output) if w in source_words and w not in names
               and not _lowercase(w)}
    lowered = dictionaries.analysed(source_lang, {w.lower() for w in openers}) \
        if openers else frozenset()
    common_openers = {w for w in openers if w.lower() in lowered}
    unknown = _unknown(set(tokens), target, dictionaries)
    # An unknown compound is judged by its parts ("próximo-de-kin": two Spanish words, one
    # English word copied from "next-of-kin").
    tokens = [p for w in tokens for p in (_split(w) if w in unknown and w not in source_words
                                          else [w])]
    unknown = _unknown(set(tokens), target, dictionaries)
    languages = list(dict.fromkeys([*pivots, source_lang, *others]))
    languages = [lang for lang in languages if lang != target and dictionaries.available(lang)]
    by_engine = {lang: dictionaries.analysed(lang, unknown) for lang in languages}
    by_list = {lang: dictionaries.known(lang, unknown) for lang in languages}
    kinds: dict[str, dict[str, list[str]]] = {"foreign": {}, "quoted": {}, "terms": {}}
    strange: list[str] = []
    for word in tokens:
        if word not in unknown or _abbreviation(word):
            continue
        copied = word in source_words or fold(word) in source_folded
        if copied and (word in names or not (_lowercase(word) or fold(word) in source_common
                                             or word in common_openers)):
            continue  # a name, or a capitalised word of the source no check can call foreign
        # (a capitalised word the source also writes in lower case is one of its common words
        # at a sentence's start, "Su" or "Poco": copied through, it is left in that language)
        kind, lang = _kind(word, copied, source_lang, languages, by_engine, by_list)
        if kind:
            kinds[kind].setdefault(lang, []).append(word)
        elif not copied:
            strange.append(word)
    glued = _glues(set(strange), target, dictionaries, source_words)
    strange += _marked(output, source)
    strange += _code_names(output, source)
    frozen = {k: {lang: tuple(ws) for lang, ws in v.items()} for k, v in kinds.items()}
    return WordReport(
        words=len(words_of(output)), foreign=frozen["foreign"], quoted=frozen["quoted"],
        terms=frozen["terms"], glued=tuple(w for w in strange if w in glued),
        garbled=tuple(w for w in strange if w not in glued))


def _unglued(source: str, lang: str) -> str:
    """``source`` with a space after each stop it ran into the next sentence ("les
    inondations.Baswedan a donné"): the translation has one there (``segment``), and the word
    after it is the source's ("Baswedan" was held as glued)."""
    cuts = glued_boundaries(source, lang)
    if not cuts:
        return source
    return " ".join(source[a:b] for a, b in zip([0, *cuts], [*cuts, len(source)], strict=True))


def _marked(output: str, source: str) -> list[str]:
    """Words of ``output`` behind "@", "#" or "*" that the source does not have so. Handles and
    hashtags are protected terms, copied as they are; a footnote's "*" before a translated
    word ("*Note that" -> "*Nota que") is the source's when the source has one."""
    source_marked = set(_MARKED.findall(source))
    # a handle in the genitive gives its "'s" to the translation ("@khamenei_ir's kleptocracy"
    # -> "la kleptocratie de @khamenei_ir")
    source_marked |= {re.split("['’]", w, maxsplit=1)[0] for w in source_marked}
    footnotes = any(w.startswith("*") and w[1] not in "@#*" for w in source_marked)
    return [w for w in _MARKED.findall(output) if w not in source_marked
            and not (footnotes and w[0] == "*" and w[1] not in "@#*")]


def _code_names(output: str, source: str) -> list[str]:
    """Names from code in ``output`` ("github_Casos") that the source does not have so, and
    words run into the next by a stop the source does not have so: Apertium ends a sentence
    at a dot and capitalises what follows ("result.append" came out "resultado.Anexa"); where
    the source ran two sentences together, the translation has a space (``segment``)."""
    return [w for w in [*_CODE_NAME.findall(output), *_RUN_TOGETHER.findall(output),
                        *_DOUBLED_SLASH.findall(output)] if w not in source]


def _kind(word: str, copied: bool, source_lang: str, languages: Sequence[str],
          by_engine: dict[str, frozenset[str]],
          by_list: dict[str, frozenset[str]]) -> tuple[str, str]:
    """("foreign" | "quoted" | "terms" | "", language) for a word no target dictionary knows."""
    lang = _language_of(word, copied, source_lang, languages, by_engine)
    if lang and copied and lang != source_lang and word in by_list.get(source_lang, ()):
        # a word of the source's own language its engine lacks ("boleta" in Argentine Spanish)
        # is no quote in the language of another engine that has it (Catalan "boleta")
        return "terms", source_lang
    if lang:
        return ("quoted" if copied and lang != source_lang else "foreign"), lang
    lang = _language_of(word, copied, source_lang, languages, by_list)
    if not lang:
        return "", ""
    # a word only a word list knows: a term of the source no engine has, or (not copied) a
    # word of a pivot the engine wrote all the same
    return ("terms" if copied else "foreign"), lang


_OPENING = re.compile(r"(?:^|[.!?…:]\s)[\s\"'“”«»‘’(¿¡—–-]*(\w+)", re.MULTILINE)


def _sentence_openers(text: str) -> set[str]:
    """The words that stand first in a sentence or a line of ``text``."""
    return {m.group(1) for m in _OPENING.finditer(text)}


def common_words(text: str) -> frozenset[str]:
    """The words ``text`` writes in lower case somewhere (folded): its common words."""
    return frozenset(fold(w) for w in words_of(text) if _lowercase(w))


def fold(word: str) -> str:
    """A word for comparing source and output: case and apostrophe style do not count."""
    return word.casefold().replace("’", "'")


def _abbreviation(word: str) -> bool:
    """Capitals only ("UU", "OTAN") or a dotted abbreviation: no dictionary test applies."""
    return word.isupper() or word.endswith(".")


def _lowercase(word: str) -> bool:
    return word[:1].islower()


def _language_of(word: str, copied: bool, source_lang: str, languages: Sequence[str],
                 known: dict[str, frozenset[str]]) -> str:
    """The language a word not of the target belongs to ('' when no dictionary knows it)."""
    if copied and source_lang in known and word in known[source_lang]:
        return source_lang
    return next((lang for lang in languages if word in known[lang]), "")


def _without_terms(text: str, kept: Collection[str]) -> str:
    """``text`` with every occurrence of a kept term blanked (its words are not the engine's)."""
    for term in sorted(kept, key=len, reverse=True):
        if term:
            text = blank_term(text, term)
    return text


def blank_term(text: str, term: str) -> str:
    r"""``text`` with every occurrence of ``term`` not inside a longer word (no word character
    just before or after it) replaced by a space: ``re.sub(rf"(?<!\w){re.escape(term)}(?!\w)",
    " ", text)`` without a pattern. Such a pattern cannot use the regular expression engine's
    literal search (it opens with a look-behind), so it tried every position of the text, for
    each of an article's terms, and was compiled anew for each past the re module's cache."""
    pieces: list[str] = []
    done, start = 0, text.find(term)
    while start >= 0:
        end = start + len(term)
        if not (start and _word_char(text[start - 1])) and not (
                end < len(text) and _word_char(text[end])):
            pieces.extend((text[done:start], " "))
            done, start = end, text.find(term, end)
        else:
            start = text.find(term, start + 1)
    return "".join(pieces) + text[done:] if pieces else text


def _word_char(char: str) -> bool:
    r"""What ``\w`` matches in a str pattern: a letter or digit of any script, or "_"."""
    return char.isalnum() or char == "_"


def _unknown(tokens: set[str], lang: str, dictionaries: Dictionaries) -> set[str]:
    """The tokens no dictionary of ``lang`` knows, a compound counting as known by its parts,
    a word in lower case as known when the language writes it with capitals ("vip": "VIP",
    "mapuche": "Mapuche")."""
    known = dictionaries.known(lang, tokens)
    unknown = tokens - known
    variants = {w: (w.upper(), w[:1].upper() + w[1:]) for w in unknown if w.islower()}
    if variants:
        capitals = dictionaries.known(lang, {v for vs in variants.values() for v in vs})
        unknown -= {w for w, vs in variants.items() if capitals & set(vs)}
    parts = {w: _split(w) for w in unknown}
    pieces = {p for ps in parts.values() if len(ps) > 1 for p in ps}
    known_pieces = dictionaries.known(lang, pieces) if pieces else frozenset()
    return {w for w in unknown if len(parts[w]) < 2 or not all(p in known_pieces
                                                                 for p in parts[w])}


def _split(word: str) -> list[str]:
    """A compound's parts: hyphenated words, and an elided article or pronoun ("l'Office")."""
    parts: list[str] = []
    elided = _ELISION.match(word)
    if elided:
        parts.append(elided.group(0))
        word = word[elided.end():]
    if word.endswith(("'s", "’s")):
        parts.append(word[-2:])
        word = word[:-2]
    parts.extend(p for p in _PARTS.split(word) if p)
    return parts


def _glues(words: set[str], lang: str, dictionaries: Dictionaries,
           source_words: Collection[str]) -> set[str]:
    """The words that are two or more known words (or source words) run together."""
    if not words:
        return set()
    pieces = {w[i:j] for w in words for i in range(len(w)) for j in range(i + 1, len(w) + 1)}
    known = set(dictionaries.known(lang, pieces)) | (set(source_words) & pieces)
    short = _SHORT_WORDS.get(lang, frozenset())
    known = {p for p in known if len(p) >= _MIN_PART or p in short}
    return {w for w in words if _segmentable(w, frozenset(known))}


def _segmentable(word: str, known: frozenset[str]) -> bool:
    """Whether ``word`` is two or more pieces of ``known`` end to end."""

    @cache
    def ways(start: int) -> int:        # the fewest pieces covering word[start:], 0 if none
        if start == len(word):
            return 0
        best = 0
        for end in range(len(word), start, -1):
            if word[start:end] in known:
                rest = ways(end)
                if end == len(word) or rest:
                    count = 1 + rest
                    best = count if not best else min(best, count)
        return best

    return ways(0) >= 2


def foreign_spans(text: str, marks: dict[str, str]) -> list[tuple[int, int, str]]:
    """Where the words of ``marks`` stand in ``text``: (start, end, language), neighbours of one
    language joined into one span across the blanks between them."""
    spans: list[tuple[int, int, str]] = []
    for start, end, word in _marked_words(text, marks):
        lang = marks[word]
        if spans and spans[-1][2] == lang and not text[spans[-1][1]:start].strip():
            spans[-1] = (spans[-1][0], end, lang)
        else:
            spans.append((start, end, lang))
    return spans


def _marked_words(text: str, marks: dict[str, str]) -> Iterable[tuple[int, int, str]]:
    """(start, end, word) of each word of ``text`` in ``marks``, or of each part of a
    hyphenated word that is: a pivot's word stays inside a compound the next leg did not know
    ("mid-diciembre", "co-fundador", "e-comerç"), and the words check counts the part
    (``_split``)."""
    for match in WORD.finditer(text):
        word = match.group(0)
        if word in marks:
            yield match.start(), match.end(), word
        elif "-" in word:       # (a word of ``WORD`` holds no other hyphen)
            offset = match.start()
            for part in word.split("-"):
                if part in marks:
                    yield offset, offset + len(part), part
                offset += len(part) + 1


def count_words(texts: Iterable[str]) -> Counter[str]:
    """How often each word occurs in ``texts``."""
    return Counter(w for text in texts for w in words_of(text))


def mark_languages(html: str, marks: dict[str, str],
                   phrases: Mapping[str, str] | None = None) -> str:
    """``html`` with each word of ``marks`` wrapped in ``<span lang="…">`` (neighbours of one
    language in one span), and each of ``phrases`` (kept titles: "The Good Life") as a whole.
    Only text is touched: tags, attributes and character references stay as they are, and a
    span never crosses a tag."""
    if not marks and not phrases:
        return html
    kept = [ProtectedTerm(p, "title") for p in phrases or {}]
    parts = MARKUP.split(html)
    for index in range(0, len(parts), 2):          # even indexes are text
        text = parts[index]
        whole = [(a, b, (phrases or {})[t.text]) for a, b, t in find_spans(text, kept)]
        spans = sorted([*whole, *(s for s in foreign_spans(text, marks)
                                  if not any(a < s[1] and s[0] < b for a, b, _ in whole))])
        for start, end, lang in reversed(spans):
            text = f'{text[:start]}<span lang="{lang}">{text[start:end]}</span>{text[end:]}'
        parts[index] = text
    return "".join(parts)
