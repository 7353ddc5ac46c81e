"""Names of the source, found again by the checker, and looked for in the translation.

The translator protects the names its detector finds (``translate.names.detect``); a name the
detector missed is translated ("Target" -> "Objetivo", "Shell" -> "La Concha") and a check
that only looks at protected terms cannot see it. This module finds the source's names by a
second method of its own, from capitalisation and the dictionaries alone, and the ``names``
check then asks that each one be in the same block of the output.

The method, for a word of the source:

1. **Evidence.** The word is written with a capital in mid-sentence somewhere in the document
   (not at a sentence start, not in a headline-case title, a heading or a label), or it is in
   the page's metadata (author, names kept before from the same source). A word with evidence
   is checked in every block that holds it, sentence starts and title included.
2. **What a capital does not make a name.** Function words ("The", "La"); words the dictionary
   writes with a capital that are not proper nouns ("French", "Monday"); acronyms the
   dictionary knows ("UN", "UE"); a common word whose capitalised occurrences follow a
   lower-case article ("the Board", "el Gobierno"), follow "de" after a lower-case noun in
   Spanish ("ministra de Vivienda"; French puts an article there, "ministre de l'Intérieur",
   so "les actions de Total" names a company), stand in a run of capitalised words or beside a
   name as its title or head ("Supreme Court", "President Biden", "Tahrir Square"), or are an
   English plural ("Democrats"); a bare institution ("Congress", "Hacienda"); and a common word
   that stands bare only once and is not capitalised elsewhere, or is also written in lower
   case (a name comes back: "shares of Target", "Target said").
3. **What the translation may do with it.** Keep it verbatim; translate it as the glossary says;
   or, for a proper noun the bilingual dictionary gives a target form ("London" -> "Londres",
   "New York" -> "Nueva York"), use that form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from babelwire.translate.names.lexicon import Reading, Unit
from babelwire.translate.names.rules import (
    POSTS,
    acronym_as_word,
    adjective_as_noun,
    attributive_plural,
    before_surname,
    before_unknown_name,
    company_name,
    dateline_literals,
    headed_place,
    hyphen_chains,
    in_town_name,
    is_demonym,
    is_function_word,
    surname_like,
)
from babelwire.translate.names.wordlists import DETERMINERS, bare_institutions

_OPENERS = re.compile(r"[.!?¿¡:;…\"“”«»(\[{—–•|\n]|\s-\s")
_DE = frozenset({"de", "del", "d", "du", "des"})
_LEADING_PARTICLE = re.compile(r"^(?:de|del|de la|du|des|of|d['’])\s+(?=[A-ZÀ-Ý])")
_CONNECTORS = frozenset({"de", "del", "la", "las", "los", "el", "of", "the", "for", "on", "du",
                         "des", "d'", "d’", "le", "les", "l'", "l’", "von", "van", "da", "di"})
_HEADLINE_SHARE = 0.75
_HEADLINE_MIN_WORDS = 3
_LABEL_MAX_WORDS = 15       # a block this short with no sentence end is a label or a heading
_MIN_BARE = 2
_HEADLINE_MAX_WORDS = 25
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")

Translate = Callable[[Sequence[Reading]], list[str | None]]


@dataclass
class SourceNames:
    """The names of a source document: each name (a word, or a multiword unit of the
    dictionary), the blocks holding it, and the target forms the bilingual dictionary allows."""

    blocks: dict[str, set[int]] = field(default_factory=dict)
    exonyms: dict[str, set[str]] = field(default_factory=dict)
    surfaces: dict[str, str] = field(default_factory=dict)     # name -> the analyser's unit
    spellings: dict[str, set[str]] = field(default_factory=dict)   # other cases in the source

    def words(self) -> frozenset[str]:
        """Every name word."""
        return frozenset(self.blocks)


@dataclass(frozen=True)
class _Occurrence:
    block: int
    unit: Unit
    index: int
    initial: bool


def find_names(blocks: Sequence[str], units: Sequence[Sequence[Unit]], lang: str, *,
               translate: Translate | None = None, evidence: Collection[str] = (),
               checked: int | None = None) -> SourceNames:
    """The names of a document whose blocks (title first) are ``blocks``, analysed as ``units``.

    ``translate`` gives the bilingual dictionary's target lemma of proper-noun readings (for
    exonyms); ``evidence`` holds names known from outside the text (the author, names earlier
    articles kept). Only the first ``checked`` blocks are the document; the others are more
    text of the page (its description), read for evidence only.
    """
    return source_names(blocks, units, lang, evidence=evidence,
                        checked=checked).with_exonyms(translate)


@dataclass(frozen=True)
class NamesInText:
    """The names a text holds, before the target's exonyms: the same for every target
    language whose pair analyses the source alike (see :func:`source_names`)."""

    found: SourceNames
    readings: tuple[tuple[str, Reading], ...]     # (name, proper-noun reading) to translate

    def with_exonyms(self, translate: Translate | None) -> SourceNames:
        """The names with the target forms ``translate`` gives their proper-noun readings
        (a new ``SourceNames``: this one stays as it is, for another target)."""
        found = SourceNames(blocks={k: set(v) for k, v in self.found.blocks.items()},
                            exonyms={k: set(v) for k, v in self.found.exonyms.items()},
                            surfaces=dict(self.found.surfaces),
                            spellings={k: set(v) for k, v in self.found.spellings.items()})
        if translate is None:
            return found
        targets = translate([r for _, r in self.readings])
        for (word, reading), target in zip(self.readings, targets, strict=True):
            # a name found only in the page's other text has no exonyms to keep
            if target and target != reading.lemma and word in found.exonyms:
                found.exonyms[word].add(target)
        return found


def source_names(blocks: Sequence[str], units: Sequence[Sequence[Unit]], lang: str, *,
                 evidence: Collection[str] = (), checked: int | None = None) -> NamesInText:
    """What :func:`find_names` finds without a bilingual dictionary, and the readings whose
    target forms it adds (``NamesInText.with_exonyms``)."""
    occurrences = _occurrences(blocks, units)
    # the title (block 0) is judged as a title: Title Case or not, never as a label
    headlines = [_headline(block_units) or (i > 0 and _label(text, block_units))
                 for i, (text, block_units) in enumerate(zip(blocks, units, strict=True))]
    institutions = bare_institutions(lang)
    outside = {text.strip() for text in evidence if _capitalised(text.strip())}
    candidates: dict[str, list[_Occurrence]] = {}
    for occ in occurrences:
        if _capitalised(occ.unit.surface):
            candidates.setdefault(occ.unit.surface, []).append(occ)
    found = SourceNames()
    for surface, occs in candidates.items():
        mid = [o for o in occs if not o.initial and not headlines[o.block]]
        # a word in capitals read as a common word, a town's name after the word for a town,
        # a place's name after the word for a place ("Punta del Este", "Puerto Pirámides"), a
        # company's, the first word of a name: wanted as written wherever it stands so
        as_written = bool(mid) and all(acronym_as_word(units[o.block], o.index, lang)
                                    or before_unknown_name(units[o.block], o.index, lang)
                                    or before_surname(units[o.block], o.index) or (
            (in_town_name(units[o.block], o.index, lang)
             or company_name(units[o.block], o.index, lang)
             or headed_place(units[o.block], o.index, lang) is not None)
            and not is_function_word(o.unit)) for o in mid)
        if not as_written and (not (mid or surface in outside)
                             or not _may_be_name(occs[0].unit)):
            continue
        # every capital of the word outside labels and headings, sentence starts included
        seen = [o for o in occs if not (o.block > 0 and headlines[o.block])]
        # evidence from outside the text decides only for a word the text never writes in
        # mid-sentence; where it does, the text's own use decides ("la Fiscalía")
        if not as_written and (mid or surface not in outside) and not _is_name(
                mid, units, blocks, lang, institutions, len(seen)) \
                and not _plural_name(seen, units, lang):
            continue
        # A multiword unit of the dictionary ("El País", "New York") is one name, looked for
        # whole: its article alone is no name ("El Gobierno"); a leading particle is not the
        # name's ("de Mendoza" comes out "of Mendoza").
        name = _LEADING_PARTICLE.sub("", surface) or surface
        found.blocks.setdefault(name, set()).update(o.block for o in occs)
        found.exonyms.setdefault(name, set())
        found.surfaces[name] = surface
    # a place's name that is part of a person's ("Mauricio Macri", "Magaly Medina") has no
    # target form: "Mauritius Macri" and "Magaly Médine" misname the person
    persons = {name for name, surface in found.surfaces.items()
               if all(_beside_surname(units[o.block], o.index) for o in candidates[surface])}
    readings = tuple((name, r) for name, r in _proper_readings(found, candidates)
                     if name not in persons)
    # a dateline's place the dictionary does not read as one proper noun comes out as
    # written: "PROGRESO, Yucatán" is no "Progress, Yucatán", "Culiacán, Sin.-" no "Culiacán,
    # Without.-" (``rules.dateline_literals``)
    for b, (text, block_units) in enumerate(zip(blocks, units, strict=True)):
        for place in [*dateline_literals(text, block_units), *hyphen_chains(text, block_units)]:
            found.blocks.setdefault(place, set()).add(b)
            found.exonyms.setdefault(place, set())
            found.surfaces.setdefault(place, place)
    for word in list(found.blocks):
        _add_inside(found, word, blocks)
    by_case: dict[str, set[str]] = {}
    for block_units in units:
        for unit in block_units:
            by_case.setdefault(unit.surface.casefold(), set()).add(unit.surface)
    for name in found.blocks:            # "MoDem", written "Modem" further on: both are it
        found.spellings[name] = by_case.get(name.casefold(), set()) - {name}
    limit = len(blocks) if checked is None else checked
    for word in list(found.blocks):
        found.blocks[word] = {b for b in found.blocks[word] if b < limit}
        if not found.blocks[word]:
            del found.blocks[word]
            found.exonyms.pop(word, None)
    return NamesInText(found, readings)


def _beside_surname(units: Sequence[Unit], index: int) -> bool:
    """Right before or after (one space, no sign between) a surname (``rules.surname_like``):
    the other half of a person's name. One of two capitalised words only: "Banco Santander
    Chile" is no person."""
    def surname(at: int) -> bool:
        return 0 <= at < len(units) and surname_like(units[at])

    def capital(at: int) -> bool:
        return 0 <= at < len(units) and units[at].surface[:1].isupper()

    unit = units[index]
    after = index + 1 < len(units) and units[index + 1].start - unit.end == 1 \
        and surname(index + 1) and not capital(index + 2) and not capital(index - 1)
    before = index > 0 and unit.start - units[index - 1].end == 1 \
        and surname(index - 1) and not capital(index - 2) and not capital(index + 1)
    return after or before


def _add_inside(found: SourceNames, word: str, blocks: Sequence[str]) -> None:
    """Also every block where the word stands inside a longer unit ("Shell's", a multiword)."""
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
    found.blocks[word].update(i for i, text in enumerate(blocks)
                              if word in text and pattern.search(text))


def _occurrences(blocks: Sequence[str], units: Sequence[Sequence[Unit]]) -> list[_Occurrence]:
    out: list[_Occurrence] = []
    for b, (text, block_units) in enumerate(zip(blocks, units, strict=True)):
        previous_end = 0
        first = True
        for i, unit in enumerate(block_units):
            if not _is_word(unit):
                continue
            gap = text[previous_end:unit.start]
            initial = first or bool(_OPENERS.search(gap)) or _after_abbreviation(block_units, i) \
                or _after_number(block_units, i, gap)
            out.append(_Occurrence(b, unit, i, initial))
            previous_end, first = unit.end, False
    return out


def _after_abbreviation(units: Sequence[Unit], i: int) -> bool:
    """After a word the analyser read with its full stop ("Corp.", "Sr."): maybe a new
    sentence, so no evidence either way."""
    return i > 0 and units[i - 1].surface.endswith(".")


def _after_number(units: Sequence[Unit], i: int, gap: str) -> bool:
    """Tied by a hyphen to a number ("1er-Mai", "G-7"): a date or a code, no evidence."""
    return gap in ("-", "‑") and i > 0 and any(c.isdigit() for c in units[i - 1].surface)


def _is_word(unit: Unit) -> bool:
    return any(c.isalpha() for c in unit.surface)


def _capitalised(word: str) -> bool:
    if not word[:1].isalpha():
        return False
    return word[0].isupper() or any(c.isupper() for c in word[1:])


def _headline(units: Sequence[Unit]) -> bool:
    """A title or heading in Title Case or ALL CAPS: its capitals say nothing about names.

    Judged on the dictionary's common words of four letters or more after the first word (names
    are capitalised anyway): most of them capitalised, in a block of a title's length.
    """
    words = [u for u in units if _is_word(u)]
    common = [u for u in words[1:] if len(u.surface) > 3 and u.readings
              and not any(r.pos == "np" or r.lemma[:1].isupper() for r in u.readings)]
    if len(common) < _HEADLINE_MIN_WORDS or len(words) > _HEADLINE_MAX_WORDS:
        return False
    return sum(1 for u in common if u.surface[0].isupper()) / len(common) >= _HEADLINE_SHARE


def _label(text: str, units: Sequence[Unit]) -> bool:
    """A heading, list label or caption ("Instant Access", "Common Mistake #1: ..."): short,
    with no sentence end; capitals there are the layout's, not evidence of names."""
    words = [u for u in units if _is_word(u)]
    return len(words) <= _LABEL_MAX_WORDS and not re.search(r"[.!?…]\W*$", text.strip())


def _may_be_name(unit: Unit) -> bool:
    """Not a function word or adverb, a word the dictionary writes with a capital
    that is not a proper noun, an acronym or abbreviation it knows, a known multiword that is
    not a proper noun ("Premier ministre"), or a lone letter."""
    readings = unit.readings
    if len(unit.surface) < 2:
        return False
    if not readings:
        return True
    if is_function_word(unit):
        return False           # (an adjective may be one: ``_is_name``, "the Wild")
    if any(r.pos != "np" and r.lemma[:1].isupper() for r in readings):
        return False   # "French", "Monday", "April": the dictionary capitalises them itself
    if unit.surface.isupper() or unit.surface.endswith("."):
        return False   # "US", "UN", "CONTACT", "Feb.": known, and written so
    return not (" " in unit.surface and not any(r.pos == "np" for r in readings))


def _is_name(mid: Sequence[_Occurrence], units: Sequence[Sequence[Unit]],
             blocks: Sequence[str], lang: str, institutions: frozenset[str],
             capitals: int) -> bool:
    """Whether a capitalised word, from its mid-sentence occurrences, is a name.

    Unknown words (a hyphenated one by its parts), mixed case ("iPhone") and proper nouns with
    no common reading that are not places are names. A place is one unless it only stands in
    runs of capitalised common words ("Federación Agraria Argentina", which the engine may
    translate whole). A word with both readings ("White", "Rey", "Pence") is one next to a name
    ("Mike Pence"), else it is judged as a common word: a name where it stands bare more often
    than after an article ("shares of Target" vs "the Gulf").
    """
    unit = mid[0].unit
    surface = unit.surface
    if any(c.isupper() for c in surface[1:]) and not surface.isupper() and "-" not in surface:
        return True
    if not unit.readings:
        return not _compound_of_known(mid, units) and not all(
            _origin_adjective(units[o.block], o.index) for o in mid)
    if all(r.pos == "adj" for r in unit.readings):
        # an adjective is a name only where it stands for a noun, after a determiner, again
        # and again, and the article never writes it in lower case ("the Wild beat the Sabres",
        # "gave the Wild a lead": the Minnesota Wild)
        nouns = sum(_context(o, units[o.block], blocks[o.block], lang) == "noun" for o in mid)
        lower = surface.lower()
        return nouns >= _MIN_BARE and not any(lower == u.surface for b in units for u in b)
    proper = [r for r in unit.readings if r.pos == "np"]
    common = [r for r in unit.readings if r.pos != "np"]
    if proper and not common:
        if not all("loc" in r.tags or "top" in r.tags for r in proper):
            return True
        return any(not _in_run(units[o.block], o.index, blocks[o.block], lang, common_only=True)
                   for o in mid)
    if proper and any(r.pos == "adj" for r in common):
        return False            # "Mediterranean beaches": the adjective of a place
    if proper and any(_beside_a_name(units[o.block], o.index, lang) for o in mid):
        return True
    if any(_hyphen_tied_to_name(units[o.block], o.index) for o in mid):
        return True             # "Waller-Bridge", "Parent-Massin": one surname
    if surface in institutions or is_demonym(unit, lang):
        return False            # "Hacienda"; "trois Français"
    votes = [_context(o, units[o.block], blocks[o.block], lang) for o in mid]
    bare = votes.count("bare")
    if not bare or bare <= votes.count("article"):
        return False
    # One bare capital of a common word can be a writer's habit ("however Alcohol is not
    # permitted"); a name comes back, bare or opening a sentence or the title ("shares of
    # Target", "Target said"), and the article never writes it in lower case.
    lower = surface.lower()
    written_lower = any(lower == u.surface for block in units for u in block)
    return bare >= _MIN_BARE or (capitals >= _MIN_BARE and not written_lower)


# Endings of Spanish and French adjectives of origin and membership ("Interamericana",
# "Franciscanos", "Montréalaise"): an unknown word so ending after a capitalised common noun
# qualifies it ("Comisión Interamericana", "Hermanos Franciscanos") and is no name.
_ORIGIN_ENDINGS = ("ano", "ana", "anos", "anas", "ense", "enses", "eño", "eña", "eños", "eñas",
                   "ien", "ienne", "iens", "iennes", "ais", "aise", "aises", "ois", "oise",
                   "oises", "ista", "istas", "ino", "ina", "inos", "inas")


def _origin_adjective(units: Sequence[Unit], index: int) -> bool:
    """An unknown word with an adjective-of-origin ending right after a capitalised common
    noun or adjective ("Consejo Episcopal Latinoamericano", which the producer's rules leave to
    the engine: "Conseil Épiscopal Latino-américain" was held for the word missing)."""
    if index < 1 or not units[index].surface.lower().endswith(_ORIGIN_ENDINGS):
        return False
    before = units[index - 1]
    return _capitalised(before.surface) and bool(before.readings) and any(
        r.pos in ("n", "adj") for r in before.readings) and units[index].start - before.end <= 1


def _compound_of_known(mid: Sequence[_Occurrence], units: Sequence[Sequence[Unit]]) -> bool:
    """A hyphenated word the analyser does not know whole whose parts are common words
    ("Vice-President"): judged as a title, not as an unknown name."""
    parts = [p for p in re.split(r"[-‑]", mid[0].unit.surface) if p]
    return len(parts) > 1 and all(p[:1].isupper() or p.islower() for p in parts) and all(
        p.casefold() in _KNOWN_TITLE_PARTS for p in parts)


# Parts of hyphenated titles and offices ("Vice-President", "Secrétaire-général").
_KNOWN_TITLE_PARTS = frozenset({"vice", "president", "président", "presidente", "prime",
                                "minister", "chief", "deputy", "general", "général", "secretary",
                                "secrétaire", "co", "ex", "premier", "ministre", "sous",
                                "sub", "director", "directeur", "directora", "chair"})


def _hyphen_tied_to_name(units: Sequence[Unit], index: int) -> bool:
    """Tied by a hyphen, with no blank, to a word with no common reading."""
    if index < 2 or units[index - 1].surface not in ("-", "‑"):
        return False
    before, hyphen = units[index - 2], units[index - 1]
    if before.end != hyphen.start or hyphen.end != units[index].start:
        return False
    return _capitalised(before.surface) and (not before.readings or all(
        r.pos == "np" for r in before.readings))


def _beside_a_name(units: Sequence[Unit], index: int, lang: str) -> bool:
    """Next to a word with no common reading that is a proper noun or unknown ("Mike Pence").
    An English post the dictionary also has as a surname counts only after a name ("Stephen
    King"): before one it is the name's title ("Mayor Gérald Tremblay"), which the translation
    writes in its own words."""
    post = lang == "en" and units[index].surface.lower() in POSTS
    for at in (index - 1,) if post else (index - 1, index + 1):
        if 0 <= at < len(units) and _is_word(units[at]) and _capitalised(units[at].surface) \
                and abs(units[at].start - units[index].end if at > index
                        else units[index].start - units[at].end) <= 1:
            readings = units[at].readings
            if not readings or all(r.pos == "np" for r in readings):
                return True
    return False


def _context(occ: _Occurrence, units: Sequence[Unit], text: str, lang: str) -> str:
    """How a capitalised common word stands: in a run of capitalised words ("run"), after an
    article or as the complement of a lower-case noun ("article"), an adjective after an article
    qualifying nothing ("noun"), as an English plural ("plural"), or alone ("bare")."""
    index = occ.index
    if _in_run(units, index, text, lang, common_only=False):
        return "run"
    before = _previous_word(units, index)
    if before is not None and before.surface.casefold().strip("'’") in DETERMINERS \
            and (before.surface[:1].islower() or _starts_sentence(units, text, index)):
        if adjective_as_noun(occ.unit, index, units):
            return "noun"       # an adjective standing for a noun: "the Wild beat the Sabres"
        return "article"        # "the Board", "El Gobierno", "la Poste"
    if lang == "es" and before is not None and before.surface.casefold().strip("'’") \
            in _DE and _noun_before(units, index):
        return "article"        # "ministra de Vivienda" (French puts an article: "de l'Intérieur")
    nouns = [r for r in occ.unit.readings if r.pos == "n"]
    if nouns and all("pl" in r.tags for r in nouns):
        return "plural"         # "Democrats", "Republicans", "los Franciscanos"
    return "bare"


def _plural_name(occs: Sequence[_Occurrence], units: Sequence[Sequence[Unit]],
                 lang: str) -> bool:
    """An English plural noun that qualifies a noun twice or more and is never written in lower
    case: a name ("Sabres captain", "Sabres defenseman"; ``rules.attributive_plural``)."""
    if lang != "en" or sum(attributive_plural(o.unit, o.index, units[o.block])
                           for o in occs) < 2:
        return False
    lower = occs[0].unit.surface.lower()
    return not any(lower == u.surface for block in units for u in block)


def _in_run(units: Sequence[Unit], index: int, text: str, lang: str, *,
            common_only: bool) -> bool:
    """Whether ``units[index]`` stands beside another capitalised word, directly or across a
    connector ("Cámara de Diputados", "Bank of America"); with ``common_only``, beside a
    capitalised common word (the run names an institution, not a place). In English a word
    opening the sentence has its capital for that reason and makes no run ("Shares of
    Target"), unless it is an adjective right before the word ("Supreme Court"); in Spanish and
    French such a run is an institution ("Tribunal de Apelación")."""
    for step in (-1, 1):
        at = index + step
        skipped = 0
        while 0 <= at < len(units) and skipped <= 2:
            unit = units[at]
            gap = _gap(units, at, index, step)
            if gap > 1 or not _is_word(unit):
                break
            if _capitalised(unit.surface):
                if (not common_only or (unit.readings and not any(
                        r.pos == "np" for r in unit.readings))) \
                        and (lang != "en" or not _sentence_start(units, text, at)
                             or (step < 0 and not skipped and _adjective(unit))):
                    return True
                break
            if unit.surface.casefold() not in _CONNECTORS:
                break
            skipped += 1
            at += step
    return False


def _adjective(unit: Unit) -> bool:
    """Whether the dictionary reads ``unit`` as an adjective: one opening an English sentence
    right before a capitalised word qualifies it, and the two are a run ("Supreme Court
    justices heard the case": "Court" is not bare)."""
    return any(r.pos == "adj" for r in unit.readings)


def _gap(units: Sequence[Unit], at: int, index: int, step: int) -> int:
    """Characters between ``units[at]`` and its neighbour towards ``units[index]``."""
    near = units[at - step]
    return (near.start - units[at].end) if step < 0 else (units[at].start - near.end)


def _sentence_start(units: Sequence[Unit], text: str, index: int) -> bool:
    """Whether ``units[index]`` is the first word of a sentence (a quote or a colon before it
    does not count: a title in quotes is written with capitals, "Blue House")."""
    words = [i for i in range(index) if _is_word(units[i])]
    return not words or bool(re.search(r"[.!?…]", text[units[words[-1]].end:units[index].start]))


def _starts_sentence(units: Sequence[Unit], text: str, index: int) -> bool:
    """Whether the word before ``units[index]`` opens a sentence."""
    words = [i for i in range(index) if _is_word(units[i])]
    if not words:
        return False
    at = words[-1]
    earlier = [i for i in words if i < at]
    return not earlier or bool(_OPENERS.search(text[units[earlier[-1]].end:units[at].start]))


def _previous_word(units: Sequence[Unit], index: int) -> Unit | None:
    for unit in reversed(units[:index]):
        if _is_word(unit):
            return unit
        if unit.surface.strip() not in ("'", "’"):
            return None         # punctuation between: nothing governs the word
    return None


def _noun_before(units: Sequence[Unit], index: int) -> bool:
    """A lower-case noun before the "de" that precedes ``units[index]``."""
    words = [u for u in units[:index] if _is_word(u)]
    words = [u for u in words if u.surface.casefold().strip("'’") not in DETERMINERS]
    if len(words) < 2:
        return False
    noun = words[-2]
    return noun.surface[:1].islower() and (not noun.readings
                                          or any(r.pos == "n" for r in noun.readings))


def _proper_readings(found: SourceNames, candidates: dict[str, list[_Occurrence]]
                     ) -> tuple[tuple[str, Reading], ...]:
    """(name, reading) for every proper-noun reading of a name: their target forms, where the
    bilingual dictionary gives one, are allowed forms of the name (exonyms)."""
    readings: list[tuple[str, Reading]] = []
    for name, surface in found.surfaces.items():
        for reading in candidates[surface][0].unit.readings:
            if reading.pos == "np" or "acr" in reading.tags:
                readings.append((name, reading))
    return tuple(readings)


def missing_names(names: SourceNames, output_blocks: Sequence[str], aligned: bool,
                  glossary: dict[str, str] | None = None) -> list[tuple[str, int]]:
    """(name, block) for each name word of a source block that the same output block does not
    hold verbatim, in a glossary translation, or in a target form of the dictionary's.

    ``aligned`` says whether ``output_blocks`` are the source's blocks one for one; when not,
    the whole output stands for every block.
    """
    whole = "\n".join(output_blocks)
    missing = []
    for word, blocks in sorted(names.blocks.items()):
        fixed = {word, *names.spellings.get(word, ()),
                 *(t for s, t in (glossary or {}).items() if _holds(s, word))}
        exonyms = {f for form in names.exonyms.get(word, ()) for f in _forms(form)}
        for block in sorted(blocks):
            text = output_blocks[block] if aligned and block < len(output_blocks) else whole
            if not any(_holds(text, form) for form in fixed) and not any(
                    _holds(text, form, ignore_case=True) or _inside(text, form)
                    for form in exonyms):
                missing.append((word, block))
    return missing


_LEADING_ARTICLE = re.compile(r"^(?:(?:the|los|las|les|el|la|le)\s+|l['’]\s*)", re.IGNORECASE)


def _forms(exonym: str) -> set[str]:
    """A target form as the dictionary gives it and without its article ("les États-Unis" is
    "aux États-Unis", "des États-Unis" in a sentence)."""
    bare = _LEADING_ARTICLE.sub("", exonym)
    return {exonym, bare} if bare else {exonym}


def _inside(text: str, form: str) -> bool:
    """A long target form inside a compound word ("África" in "Sudáfrica")."""
    return len(form) >= 5 and form.casefold() in text.casefold()


def _holds(text: str, form: str, *, ignore_case: bool = False) -> bool:
    """Whether ``form`` stands in ``text`` as whole words (an exonym in any case: the engine
    writes "Africano" or "africanos" as the sentence wants). An underscore is a boundary:
    "DIRS" stands in "STATICFILES_DIRS"."""
    flags = re.IGNORECASE if ignore_case else 0
    return re.search(rf"(?<![^\W_]){re.escape(form)}(?![^\W_])", text, flags) is not None
