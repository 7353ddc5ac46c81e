"""Rules that find names in analysed paragraphs (see ``lexicon`` for the analysis).

What they rest on, measured on WMT newstest2013 (how often a capitalised word of a class, met in
mid-sentence, was kept verbatim by the human translation): words the analyser does not know
75-85 %, proper nouns with no target form of their own (``<np>``, bilingual entry equal) most,
capitalised common nouns ("Gobierno", "Board", "University", "President") 16-27 %. So a single
capitalised common word is *not* a name by itself. It becomes one only with more evidence: it
follows a capitalised article in mid-sentence ("told The Information", "informó La Vanguardia"),
it stands in a run of capitalised words holding a real name ("Enrique Peña Nieto", "Deutsche
Bank"), or it is a bare singular noun right before a finite verb, which a common noun cannot be
("Idealista calcula", ", and Tesla said"; at an English sentence start only for a word the
dictionary also knows as a proper noun: "Apple plans").

Titles before a name ("President", "Mayor", "la ministra de"), institutions whose head is a common
noun ("el Consejo de Ministros"), places with a target form ("Banco de España" -> "Bank of
Spain") and the places after "de"/"of" in a title ("Rosario de Bulgaria") are left to the engine.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import Enum

from babelwire.translate.names.lexicon import Reading, Unit
from babelwire.translate.names.wordlists import ENGLISH_PREFIXES
from babelwire.translate.segment import dateline_end

_PUNCT = frozenset({"sent", "cm", "lpar", "rpar", "lquest", "apos", "guio", "lquot", "rquot",
                    "percent", "rquest", "quot"})
# Lower-case word sequences that may join two capitalised parts of one name.
# Particles of foreign names ("Gloria von Thurn und Taxis", "Ludwig van Beethoven") join in every
# language.
_PARTICLES = frozenset({("van",), ("von",), ("van", "der"), ("von", "der"), ("van", "den"),
                        ("da",), ("di",), ("bin",), ("und",), ("zu",)})
_CONNECTORS: dict[str, frozenset[tuple[str, ...]]] = {
    "es": _PARTICLES | {("de",), ("del",), ("de", "la"), ("de", "las"), ("de", "los")},
    "fr": _PARTICLES | {("de",), ("du",), ("des",), ("d'",), ("d’",), ("de", "la"),
                        ("de", "l'"), ("de", "l’")},
    # Spanish names in English text: "Guillermo del Toro", "Pilar del Río" (whose "del", unknown
    # to the English analyser, went through the pivot as a word: "Pilar Río" in French)
    "en": _PARTICLES | {("of",), ("of", "the"), ("de",), ("de", "la"), ("du",), ("al",),
                        ("del",), ("de", "los"), ("de", "las")},
}
_DEFAULT_CONNECTORS = _PARTICLES | {("de",), ("of",)}
# Endings of Spanish and French adjectives of origin: an unknown word with one of them right
# after a common noun qualifies it ("Naciones Suramericanas"), it is not a name.
_ADJECTIVE_ENDINGS = ("ano", "ana", "anos", "anas", "ense", "enses", "eño", "eña", "eños", "eñas",
                      "ien", "ienne", "iens", "iennes", "ais", "aise", "aises", "ois", "oise",
                      "oises")
ALL_CONNECTORS = frozenset(w for c in _CONNECTORS.values() for seq in c for w in seq)
# The words of each language's connectors, one at a time (for the rules that walk units).
_CONNECTOR_WORDS = {lang: frozenset(w for seq in seqs for w in seq)
                    for lang, seqs in _CONNECTORS.items()}
_DEFAULT_CONNECTOR_WORDS = frozenset(w for seq in _DEFAULT_CONNECTORS for w in seq)
# Heads that make a company's name (kept whole: "Deutsche Bank"); other English heads after a
# name are common nouns the target language puts first ("Tahrir Square" -> "plaza Tahrir").
_CORPORATE = frozenset({"bank", "group", "holdings", "capital", "partners", "motors", "motor",
                        "airlines", "airways", "technologies", "systems", "electric", "energy",
                        "pharmaceuticals", "inc", "corp", "corporation", "co", "ltd", "llc", "plc",
                        "media", "entertainment", "studios", "records", "games", "networks",
                        "labs", "software", "securities", "ventures", "brands", "industries",
                        "resources", "petroleum", "insurance", "financial", "communications",
                        "pictures", "semiconductor", "store"})
# English nouns naming the kind of thing a name is, which the target language translates and
# puts first: "Tahrir Square" -> "plaza Tahrir", "Max Planck Institute" -> "Instituto Max
# Planck", "Cairo University". Another common noun after a name belongs to the name: "Fort
# Worth" (was "Fort Valor"), "Kentucky Fried Chicken" ("Kentucky Frió Pollo"), "Huffington
# Post", "BBC Two", "Svarc System", "Liverpool Limited".
_KIND_HEADS = frozenset({
    "institute", "institution", "university", "college", "school", "academy", "foundation",
    "association", "society", "club", "council", "committee", "commission", "agency",
    "authority", "department", "ministry", "office", "bureau", "board", "court", "tribunal",
    "party", "union", "federation", "confederation", "league", "alliance", "organisation",
    "organization", "unit", "service", "services", "center", "centre", "museum", "gallery",
    "library", "archive", "archives", "hospital", "clinic", "observatory", "telescope",
    "telescopes", "airport", "station", "stadium", "arena", "square", "house", "palace",
    "castle", "fortress", "fort", "tower", "bridge", "wall", "cathedral", "church", "chapel",
    "temple", "mosque", "synagogue", "monastery", "abbey", "prison", "avenue", "road",
    "river", "lake", "sea", "ocean", "bay", "gulf", "strait", "canal", "island", "islands",
    "peninsula", "mountain", "mountains", "mount", "hill", "hills", "valley", "desert",
    "forest", "coast", "province", "state", "county", "district", "region", "republic",
    "kingdom", "empire", "city", "nebula", "galaxy", "prize", "award", "awards", "medal",
    "cup", "championship", "championships", "olympics", "contest", "festival", "week",
    "conference", "summit", "forum", "congress", "parliament", "assembly", "senate",
    "government", "administration", "army", "navy", "police", "guard", "force", "forces",
    "corps", "act", "law", "bill", "treaty", "pact", "agreement", "accord", "convention",
    "declaration", "charter", "plan", "programme", "program", "project", "report", "fund",
    "company", "choir", "orchestra", "christians", "muslims", "jews", "people", "head",
    "chief", "chairman", "president", "director", "minister", "secretary", "leader",
    "spokesman", "spokeswoman", "governor", "mayor", "general", "team", "group", "family",
    "dynasty", "era", "war", "revolution", "crisis", "movement", "campaign", "mission",
    "base", "zone", "border", "tunnel", "highway",
    "street", "park", "garden", "gardens", "zoo", "market", "hall", "theatre", "theater",
    "strip", "village", "rule", "women", "men", "children", "workers", "students",
})
_OPEN_CLASS = frozenset({"n", "adj"})
# Closed classes and adverbs: a word read only so ("En", "Hoy", "Su") is never a name alone,
# whatever its capital says (it opens a sentence the segmenter or the analyser missed).
_FUNCTION = frozenset({"det", "pr", "cnjcoo", "cnjsub", "cnjadv", "prn", "rel", "predet",
                       "preadv", "vaux", "vbser", "vbhaver", "vbmod", "ij", "num", "adv"})
_OPENERS = frozenset("\"“«‘'(—–[¿¡")
_FINITE = frozenset({"pri", "pii", "ifi", "fti", "cni", "prs", "pis", "pres", "past"})
_VERBS = frozenset({"vblex", "vbser", "vbhaver", "vbmod", "vaux"})
_HEADLINE_SHARE = 0.75
_HEADLINE_MIN_WORDS = 3
_HEADLINE_MAX_WORDS = 25


class Word(Enum):
    """How strongly a capitalised word points at a name."""

    STRONG = "strong"        # unknown, mixed case (iPhone), or a proper noun kept as is
    AMBIGUOUS = "ambiguous"  # a proper noun kept as is that is also a common word (Apple, Valencia)
    COMMON = "common"        # a common word ("Board", "Gobierno") or a lexicalised one ("December")
    EXONYM = "exonym"        # a proper noun with its own target form (España -> Spain)
    DETERMINER = "det"       # a capitalised determiner ("The", "La")


@dataclass(frozen=True)
class Candidate:
    """A name found in one paragraph, with the rule that found it (for reports and tests)."""

    text: str
    paragraph: int
    start: int
    end: int
    kind: str    # "name" | "title" (of a book, a show, a film: marked in its language)
    rule: str


@dataclass(frozen=True)
class _Token:
    unit: Unit
    index: int            # position in the paragraph's unit list
    initial: bool         # first word of a sentence, or after an opening quote or colon
    word: Word | None     # None: not capitalised
    hyphen: bool = False  # tied to the previous word by a hyphen ("Jean-Marc")


def classify(unit: Unit, exonyms: frozenset[str]) -> Word | None:
    """Class of a capitalised unit (None when it is not capitalised or not a word)."""
    surface = unit.surface
    if not surface or not surface[0].isalpha():
        return None
    mixed = surface[0].islower() and surface.isalnum() and any(c.isupper() for c in surface)
    if not surface[0].isupper() and not mixed:
        return None  # lower case, or a multiword unit such as "de la Cruz", "with Dignity"
    # capitals inside a word ("MoDem", "YouTube", "PlayStation"): written so only in names
    inner = surface.isalpha() and not surface.isupper() and any(c.isupper() for c in surface[1:])
    if mixed or inner or not unit.known:
        return Word.STRONG
    if any(r.pos == "det" and "def" in r.tags for r in unit.readings) and all(
            r.pos in ("det", "prn", "predet") for r in unit.readings):
        return Word.DETERMINER  # a definite article: "The", "La", "Le"
    proper = [r for r in unit.readings if r.pos == "np"]
    if proper and (all(r.analysis in exonyms for r in proper) or any(
            r.analysis in exonyms and ("loc" in r.tags or "top" in r.tags) for r in proper)):
        # A place with its own target name wins over a person of the same name: "London"
        # (also a first name) is "Londres" in Spanish, and Apertium translates it so.
        return Word.EXONYM
    acronyms = [r for r in unit.readings if "acr" in r.tags]
    if acronyms and surface.isupper():
        # "PSOE", "BBC" stay as they are; "ONU", "UE" have target forms (UN, EU).
        # "SIDA" (lemma "sida") is a common word written in capitals.
        translated = all(r.analysis in exonyms or r.lemma[:1].islower() for r in acronyms)
        return Word.COMMON if translated else Word.STRONG
    common = [r for r in unit.readings if r.pos != "np"]
    if any(r.lemma[:1].isupper() for r in common):
        return Word.COMMON  # lexicalised with its capital: "German", "April", "EU"
    if proper:
        return Word.AMBIGUOUS if common else Word.STRONG
    return Word.COMMON


def proper_readings(units: Iterable[Unit]) -> list[Reading]:
    """Every proper-noun or acronym reading of capitalised units, for the exonym lookup."""
    seen: dict[str, Reading] = {}
    for unit in units:
        if unit.surface[:1].isupper():
            for r in unit.readings:
                if r.pos == "np" or "acr" in r.tags:
                    seen.setdefault(r.analysis, r)
    return list(seen.values())


def find_candidates(index: int, text: str, units: Sequence[Unit], lang: str,
                    exonyms: frozenset[str]) -> list[Candidate]:
    """Names in one paragraph (``index`` is its number in the document)."""
    tokens = _tokens(text, units, exonyms)
    headline = _is_headline(tokens)
    found: list[Candidate] = []
    runs = _runs(tokens, units, lang)
    for run in runs:
        found.extend(_judge(index, text, run, tokens, units, lang, headline))
    if not headline:
        towns = [_trim(run) for run in runs]
        found.extend(_candidate(index, text, town, "name", SETTLEMENT_RULE) for town in towns
                     if town and not town[0].initial
                     and after_settlement(units, town[0].index, lang)
                     and not _all_exonyms(town))
        spans = {span for t in tokens if t.word is not None
                 and (span := headed_place(units, t.index, lang)) is not None}
        found.extend(Candidate(text[units[a].start:units[b].end], index, units[a].start,
                               units[b].end, "name", PLACE_HEAD_RULE) for a, b in spans)
        # the whole name, its first word too: the English press writes "Grupo Televisa",
        # "Banco Santander", and word for word the engine made "Daily Day" of "Diario Jornada"
        found.extend(_candidate(index, text, [before, t], "name", COMPANY_RULE)
                     for before, t in itertools.pairwise(tokens)
                     if t.word is not None and company_name(units, t.index, lang)
                     and before.index == t.index - 1)
        # inside a run or alone: "Técnicos de la ANDE acudieron"
        found.extend(_candidate(index, text, [t], "name", ACRONYM_RULE) for t in tokens
                     if t.word is not None and not t.initial
                     and acronym_as_word(units, t.index, lang)
                     and not any(c.start <= t.unit.start < c.end for c in found))
    if lang == "en":
        at = {u.start: i for i, u in enumerate(units)}
        initial = {t.unit.start for t in tokens if t.initial}
        found.extend(trade for c in found if c.start not in initial
                     and (trade := _trade_name(c, text, units, at)))
        if not headline:
            found.extend(quoted_titles(index, text, units))
    # A lone initial ("J", "R") would match every "J'" and "R." of the article; nor is a
    # prefix a name, written with a hyphen before a word in lower case ("Co-founder", "Ex-wife").
    return [c for c in found if len(c.text) > 1 and not _prefix(text, c)]


def _prefix(text: str, found: Candidate) -> bool:
    """Whether ``found`` is a prefix followed by a hyphen and a letter in lower case (not a
    place: "Seattle-based")."""
    return found.text.lower() in ENGLISH_PREFIXES and text[found.end:found.end + 1] in ("-", "‑") \
        and text[found.end + 1:found.end + 2].islower()


TITLE_RULE = "title in Title Case between quotes"
TRADE_NAME_RULE = "shop's or firm's name in 's"
_QUOTED = re.compile(r'(?<!\w)["“]([^"“”\n]{3,160}?)["”](?!\w)')
_TITLE_WORD = re.compile(r"[^\W_][\w'’.-]*")
# the words English leaves in lower case inside a title ("Harry and Tonto", "I Dream of
# Jeannie", "Tales About My Life" writes even these with a capital)
_TITLE_SMALL = frozenset({"a", "an", "the", "and", "or", "nor", "but", "of", "in", "on", "at",
                          "to", "for", "with", "by", "from", "as", "into", "about", "over",
                          "vs", "via", "per", "de", "la", "le", "du"})
_TITLE_MAX_WORDS = 12


def quoted_titles(index: int, text: str, units: Sequence[Unit]) -> list[Candidate]:
    """Titles of books, shows, films and organisations that English quotes in Title Case:
    "The Good Life", "Here We Go Again", "Harry and Tonto". The engine translated them word by
    word ("El Bien Vida", "Aquí Vamos Otra vez"); the press that translates the story keeps
    them as they are. Two capitalised words at least, every other word one of those a title
    leaves in lower case, one sentence only, and not the whole paragraph (a quoted headline is
    the headline rule's). Not where a noun follows the quote ("the "Voices for Africa"
    Association"): the engine moves that noun into the title's words."""
    found = []
    for m in _QUOTED.finditer(text):
        inner = m.group(1).rstrip(",.;:!? ")
        start = m.start(1)
        words = _TITLE_WORD.findall(inner)
        small = [w for w in words if not (w[0].isupper() or w[0].isdigit())]
        alone = not (text[:m.start()] + text[m.end():]).strip(" .,;:!?")
        if len(words) - len(small) < 2 or len(words) > _TITLE_MAX_WORDS or ". " in inner \
                or inner.isupper() or not inner[-1].isalnum() or alone \
                or any(w not in _TITLE_SMALL for w in small):
            continue
        after = next((u for u in units if u.start >= m.end()), None)
        if after is not None and after.surface[:1].isalpha() and (
                after.surface[0].isupper() or not after.known
                or any(r.pos in _OPEN_CLASS for r in after.readings)):
            continue
        found.append(Candidate(inner, index, start, start + len(inner), "title", TITLE_RULE))
    return found


_GENITIVE = frozenset({"'s", "’s"})
_CLAUSE_MARKS = frozenset(",;:)”\"—–")     # not "." (the elliptic "than Thatcher's.") nor "$"
# what may follow a shop's or a firm's name in "'s" but never the noun a genitive qualifies
_AFTER_TRADE_NAME = frozenset({"det", "pr", "cnjcoo", "cnjsub", "cnjadv", "rel", "prn", "adv"})


def _trade_name(found: Candidate, text: str, units: Sequence[Unit],
                starts: dict[int, int]) -> Candidate | None:
    """A name that goes on with "'s" where no noun follows is a shop's or a firm's name:
    "at McDonald's for a year", "like McDonald's, Burger King, Taco Bell, Wendy's and", "near
    the McDonald's on 40th street". The engine read the "'s" as "is" ("McDonald es", "McDonald
    il est"). A genitive qualifies a noun that follows ("Obama's government", "McDonald's
    employees"): that stays the engine's; so does a word that may be an adjective or a
    participle ("Sotheby's sold", "Obama's planned visit"). ``starts``: each unit's index by
    its start. (The caller leaves out a name that opens a sentence: "“Grocery's a category",
    "is".)"""
    at = starts.get(found.end)
    if at is None or units[at].surface not in _GENITIVE:
        return None
    after = units[at + 1] if at + 1 < len(units) else None
    if after is not None and after.surface[:1] not in _CLAUSE_MARKS and not (
            after.known and after.readings
            and all(r.pos in _AFTER_TRADE_NAME for r in after.readings)
            and any(r.pos != "adv" for r in after.readings)):
        return None
    end = units[at].end
    return Candidate(text[found.start:end], found.paragraph, found.start, end, found.kind,
                     TRADE_NAME_RULE)


def _is_word(unit: Unit) -> bool:
    return not unit.known or unit.readings[0].pos not in _PUNCT


def _ends_sentence(units: Sequence[Unit], i: int) -> bool:
    unit = units[i]
    if unit.surface in ("?", "!", ":", "…", "...", ";") or unit.surface.endswith("."):
        if unit.surface != ".":
            return True
        before = units[i - 1].surface if i > 0 else ""
        # "M. Hollande", "Dr. Smith": an abbreviation's dot does not end the sentence; an
        # acronym's, a code's or a numeral's does ("de ETA. Poco después", "la T4. En el
        # proceso", "siglo XX. Hoy").
        return not (_title_abbreviation(before) and units[i - 1].end == unit.start)
    return any(r.pos == "sent" for r in unit.readings)


def is_function_word(unit: Unit) -> bool:
    """Read by the analyser only as a closed-class word or an adverb ("En", "Hoy", "Su")."""
    return bool(unit.readings) and all(r.pos in _FUNCTION for r in unit.readings)


# Plural (or invariable) endings of French nouns of nationality: "les Français", "deux
# Italiens", "des Américaines". Singular "-ain" or "-ien" forms are left out: they are also
# first names ("Romain", "Julien").
_DEMONYM_ENDINGS = ("ais", "aises", "ois", "oises", "ains", "aines", "iens", "iennes", "ands",
                    "andes", "ols", "oles", "éens", "éennes")


def is_demonym(unit: Unit, lang: str) -> bool:
    """A French noun of nationality, capitalised as French writes it ("trois Français"), that
    the dictionary also has as the same lower-case adjective: a common noun, never a name."""
    if lang != "fr" or not unit.surface.lower().endswith(_DEMONYM_ENDINGS):
        return False
    nouns = {r.lemma for r in unit.readings if r.pos == "n"}
    return bool(nouns) and nouns <= {r.lemma for r in unit.readings if r.pos == "adj"} and all(
        "pl" in r.tags or "sp" in r.tags for r in unit.readings if r.pos == "n")


# Titles and honorifics written short before a name, in en, es and fr.
_TITLES = frozenset({"mr", "mrs", "ms", "dr", "drs", "st", "ste", "sr", "sra", "srs", "srta",
                     "jr", "dra", "lic", "ing", "arq", "mme", "mlle", "mlles", "mmes", "mgr",
                     "me", "pr", "fr", "gen", "gov", "sen", "rep", "col", "lt", "sgt", "capt",
                     "cpt", "rev", "hon", "prof", "av", "pdte", "gral", "cap", "cdt", "cmdt"})


def _title_abbreviation(word: str) -> bool:
    """An initial or a title that a name follows ("M", "J", "Dr", "Sr", "Mme"), not an
    acronym, a code or a word ("ETA", "T4", "XX", "Las")."""
    return word.isalpha() and ((len(word) == 1 and word.isupper())
                               or (word[0].isupper() and word.lower() in _TITLES))


def _tokens(text: str, units: Sequence[Unit], exonyms: frozenset[str]) -> list[_Token]:
    tokens: list[_Token] = []
    initial = True
    last_end = word_end = 0
    for i, unit in enumerate(units):
        if not _is_word(unit):
            initial = initial or _ends_sentence(units, i) or unit.surface in _OPENERS
            last_end = unit.end
            continue
        gap = text[last_end:unit.start]
        opened = any(c in _OPENERS for c in gap) and gap.strip() not in ("'", "’")
        hyphen = bool(tokens) and text[word_end:unit.start] in ("-", "‑")
        tokens.append(_Token(unit, i, initial or opened, classify(unit, exonyms), hyphen))
        # A word the analyser read with its full stop ("min.", "Corp.") may end the sentence;
        # short ones are titles ("Sr.", "Dr.") that a name follows.
        initial = unit.surface.endswith(".") and len(unit.surface) > 3
        last_end = word_end = unit.end
    return tokens


def _is_headline(tokens: Sequence[_Token]) -> bool:
    """Title Case or ALL CAPS: capitals there say nothing about names. Only a block of a
    title's length can be one; sentence starts do not count."""
    long_words = [t for t in tokens[1:] if len(t.unit.surface) > 3 and t.unit.surface[0].isalpha()
                  and not t.initial and t.word not in (Word.STRONG, Word.AMBIGUOUS, Word.EXONYM)]
    if len(long_words) < _HEADLINE_MIN_WORDS or len(tokens) > _HEADLINE_MAX_WORDS:
        return False
    capitalised = sum(1 for t in long_words if t.unit.surface[0].isupper())
    return capitalised / len(long_words) >= _HEADLINE_SHARE


def _runs(tokens: Sequence[_Token], units: Sequence[Unit], lang: str) -> list[list[_Token]]:
    """Maximal runs of capitalised tokens, with a connector ("de", "of the") between two parts."""
    connectors = _CONNECTORS.get(lang, _DEFAULT_CONNECTORS)
    longest = max(len(c) for c in connectors)
    runs: list[list[_Token]] = []
    i = 0
    while i < len(tokens):
        if tokens[i].word is None:
            i += 1
            continue
        run = [tokens[i]]
        j = i + 1
        while j < len(tokens):
            k = j
            while k < len(tokens) and k - j < longest and tokens[k].word is None:
                k += 1
            gap = tuple(t.unit.surface.lower() for t in tokens[j:k])
            nxt = next((n for n in range(j, k + 1) if n < len(tokens)
                        and tokens[n].word is not None), None)
            if nxt is None or tokens[nxt].initial or (nxt > j and gap[:nxt - j] not in connectors):
                break
            if lang == "en" and nxt > j and len(run) == 1 and run[0].initial \
                    and run[0].word is Word.COMMON:
                break           # "Shares of Target": the capital of "Shares" is the sentence's
            if not all(_adjacent(a, b, units)
                       for a, b in zip([run[-1], *tokens[j:nxt]], tokens[j:nxt + 1], strict=True)):
                break
            run.extend(tokens[j:nxt + 1])
            j = nxt + 1
        runs.append(run)
        i = j
    return runs


def _adjacent(a: _Token, b: _Token, units: Sequence[Unit]) -> bool:
    """No punctuation between two tokens except a hyphen; at most one space."""
    between = units[a.index + 1:b.index]
    if any(u.surface not in ("-", "‑") for u in between):
        return False
    return b.unit.start - a.unit.end <= 1


def _judge(index: int, text: str, run: list[_Token], tokens: Sequence[_Token],
           units: Sequence[Unit], lang: str, headline: bool) -> list[Candidate]:
    first = run[0]
    if first.word is Word.DETERMINER and len(run) > 1:
        rest = _trim(run[1:])
        if not first.initial and not headline and not _all_exonyms(rest):
            return [_candidate(index, text, run, "name", "capitalised article in mid-sentence",
                               units)]
        run, after_det = rest, True
        if not run:
            return []
    else:
        after_det = _after_determiner(first, units)
    named = _trim(list(run))
    if len(named) > 1 and not headline and not after_det and not named[0].initial \
            and after_firm_noun(units, named[0].index, lang) and not _all_exonyms(named):
        return [_candidate(index, text, named, "name", FIRM_RUN_RULE, units)]
    start = _name_start(run, after_det, lang)
    if start == 1 and lang == "en" and not after_det and not headline \
            and _leading_word(run[0]) and all(
                not t.hyphen and t.unit.surface.isalpha() and t.unit.surface[1:].islower()
                for t in run[1:] if t.word is Word.STRONG):
        start = 0
    if start == 0 and not after_det and _first_name(run):
        return [_candidate(index, text, _before_place(list(run)), "name", FIRST_NAME_RULE,
                           units)]
    if start == 0 and not after_det and not headline and lang != "en" \
            and _surname_as_adjective(run):
        return [_candidate(index, text, run, "name", FIRST_NAME_RULE, units)]
    if start is None and lang == "en" and not headline and not after_det \
            and _firm_of_place(run, units):
        return [_candidate(index, text, run, "name", PLACE_FIRM_RULE, units)]
    if start is not None:
        parts = [_cut_tail(p, lang) for p in _split_at_titles(run[start:], headline)]
        return [_candidate(index, text, p, "name", _rule(p), units) for p in parts if p]
    if len(run) == 1 and not headline and not after_det and (
            run[0].initial or _bare_context(run[0], units)) and _opens_clause(
            run[0], tokens, lang):
        return [_candidate(index, text, run, "name", CLAUSE_RULE)]
    if len(run) == 1 and not headline and not after_det and not run[0].initial \
            and _bare_name(run[0], units, lang):
        return [_candidate(index, text, run, "name", BARE_RULE)]
    if len(run) == 1 and not headline and not after_det and not run[0].initial \
            and _lone_adjective(run[0], units, lang):
        return [_candidate(index, text, run, "name", LONE_ADJECTIVE_RULE)]
    if len(run) == 1 and not headline and after_det and not run[0].initial \
            and adjective_as_noun(run[0].unit, run[0].index, units):
        return [_candidate(index, text, run, "name", ADJECTIVE_RULE)]
    if not headline and lang == "en" and all(t.word is not None for t in run) \
            and attributive_plural(run[-1].unit, run[-1].index, units):
        # the run it ends names the company or team: "Sabres", "Whole Foods" (shoppers)
        return [_candidate(index, text, run, "name", PLURAL_RULE)]
    if not headline and lang == "en" and not after_det and _common_words_name(run, units):
        return [_candidate(index, text, run, "name", COMMON_RUN_RULE)]
    if run[0].initial and _introduced_firm(run, units, lang):
        return [_candidate(index, text, run, "name", APPOSITION_RULE)]
    return []


# What an apposition calls a firm or an organisation ("Orange, the French telecom operator,",
# "Mango, la cadena de moda catalana,", "Free, l'opérateur de Xavier Niel,"), after one of the
# language's articles.
_FIRM_NOUNS = {
    "en": frozenset({
        "company", "firm", "group", "operator", "chain", "retailer", "maker", "manufacturer",
        "producer", "carrier", "airline", "bank", "lender", "insurer", "giant", "major",
        "brand", "startup", "start-up", "publisher", "broadcaster", "network", "platform",
        "app", "provider", "supplier", "developer", "supermarket", "grocer", "conglomerate",
        "newspaper", "magazine", "website", "site", "service", "charity", "organisation",
        "organization", "band", "label", "studio", "distributor", "owner", "subsidiary",
        "unit", "business"}),
    "es": frozenset({
        "empresa", "compañía", "firma", "cadena", "grupo", "operador", "operadora",
        "aerolínea", "banco", "entidad", "fabricante", "marca", "multinacional", "gigante",
        "distribuidora", "editorial", "periódico", "diario", "plataforma", "red", "sociedad",
        "tecnológica", "petrolera", "eléctrica", "energética", "constructora", "aseguradora",
        "farmacéutica", "textil", "automovilística", "startup", "filial", "supermercado",
        "organización", "fundación", "asociación", "banda", "sello"}),
    "fr": frozenset({
        "entreprise", "société", "groupe", "opérateur", "chaîne", "enseigne", "compagnie",
        "banque", "constructeur", "fabricant", "marque", "géant", "distributeur", "éditeur",
        "journal", "quotidien", "hebdomadaire", "plateforme", "réseau", "assureur", "firme",
        "multinationale", "start-up", "pétrolier", "énergéticien", "filiale", "organisation",
        "association", "fondation", "label"}),
}
_ARTICLES = {"en": frozenset({"the", "a", "an"}),
             "es": frozenset({"el", "la", "los", "las", "un", "una"}),
             "fr": frozenset({"le", "la", "les", "l'", "l’", "un", "une"})}
_APPOSITION_WORDS = 8
# The words for a firm that head no institution's name, so that the capitalised words after
# them are the firm's name, all of it: "la aseguradora Línea Directa", "la marca Cabaña
# Argentina", "la empresa Transporte Castelli SRL", "l'assureur Direct Assurance" (not "el
# banco Central Europeo", "el grupo Estado Islámico", "la red Natura").
_FIRM_HEADS = {
    "es": frozenset({
        "empresa", "compañía", "firma", "cadena", "marca", "aseguradora", "constructora",
        "operadora", "distribuidora", "editorial", "multinacional", "tecnológica", "petrolera",
        "eléctrica", "energética", "farmacéutica", "textil", "automovilística", "aerolínea",
        "fabricante", "startup", "filial", "supermercado", "supermercados", "tienda",
        "tiendas", "consultora", "naviera", "inmobiliaria", "promotora", "productora"}),
    "fr": frozenset({
        "entreprise", "société", "enseigne", "marque", "compagnie", "constructeur", "fabricant",
        "distributeur", "éditeur", "assureur", "firme", "multinationale", "start-up",
        "filiale", "opérateur", "cabinet", "magasin", "magasins", "chaîne", "producteur"}),
}


def after_firm_noun(units: Sequence[Unit], index: int, lang: str) -> bool:
    """Whether the unit at ``index`` follows a lower-case word for a firm (``_FIRM_HEADS``)."""
    if index < 1:
        return False
    before = units[index - 1].surface
    return before[:1].islower() and before.lower().split()[-1] in _FIRM_HEADS.get(lang, ())


def _introduced_firm(run: Sequence[_Token], units: Sequence[Unit], lang: str) -> bool:
    """Capitalised common words opening a sentence, then an apposition between commas that
    calls them a firm ("Orange, the French telecom operator, said", "Mango, la cadena de moda
    catalana, abrirá"): a name, which the engine made "Naranja" and "Manche". Not a word of a
    closed class nor an adverb ("Yesterday, the company, which..."; "Hoy, la empresa, que...")."""
    nouns = _FIRM_NOUNS.get(lang)
    if nouns is None or len(run) > 3 or any(
            t.word not in (Word.COMMON, Word.AMBIGUOUS) or not _name_word(t) for t in run):
        return False
    at = run[-1].index + 1
    if at + 2 >= len(units) or units[at].surface != "," \
            or units[at + 1].surface.lower() not in _ARTICLES[lang]:
        return False
    firm = False
    for unit in units[at + 2:at + 2 + _APPOSITION_WORDS]:
        if unit.surface == ",":
            return firm
        # ("major" is only an adjective to the analyser)
        firm = firm or unit.surface.lower() in nouns
    return False


# Words that end a run of capitalised common words naming a time, an event or a person's post,
# not a firm ("Labor Day", "the L.A. Auto Show", "Deputy Editor", "General Manager").
_OTHER_HEADS = frozenset({"day", "days", "year", "eve", "night", "season", "time", "show", "fair",
                         "editor", "manager", "officer", "consultant", "adviser", "advisor",
                         "agent", "agents", "correspondent", "reporter", "analyst", "economist",
                         "scientist", "scientists", "researcher", "professor", "executive",
                         "founder", "member", "members", "democrats", "republicans"})
# Posts before a name, which make a run a title and a name ("President Trump").
POSTS = frozenset({"president", "senator", "governor", "minister", "secretary", "chancellor",
                    "king", "queen", "prince", "princess", "lord", "lady", "sir", "dame",
                    "judge", "justice", "mayor", "chief", "deputy", "senior", "vice", "director",
                    "professor", "captain", "commander", "sergeant", "representative",
                    "former", "acting", "interim"})


def _common_words_name(run: Sequence[_Token], units: Sequence[Unit]) -> bool:
    """English: two or more capitalised common words in mid-sentence, side by side, outside a
    heading and not after a determiner, not ending in the kind of thing named, a time or a post
    (``_OTHER_HEADS``), nor opening with a post (``POSTS``): a firm's or an organisation's
    name made of ordinary words ("a spokesman for General Motors", "talks with Virgin Media",
    "a report by Amnesty International"), which the engine turned into "Motores Generales",
    "los medios de comunicación Vírgenes" and "la amnistía Internacional". With a determiner
    the words are more often a capitalised description ("the Foreign Office", "the Supreme
    Court"), which the target translates. Opening a sentence, the capitals are the sentence's
    as much as the name's; there the run is a name only as the subject of a finite verb right
    after it ("General Motors said", "Home Depot reported": a subject made of common words
    takes a determiner), which came out "Les moteurs généraux ont dit"."""
    if len(run) < 2 or len(run[0].unit.surface) < 2 or any(
            t.word not in (Word.COMMON, Word.AMBIGUOUS) for t in run):
        return False
    if run[0].initial and (not _before_finite_verb(run[-1], units) or not all(
            t.unit.surface[1:].islower() for t in run)):
        return False            # (nor "Vitamin A helps": a letter names no firm)
    head = run[-1].unit.surface.lower().rstrip(".")
    if head in _KIND_HEADS or head in _OTHER_HEADS or run[0].unit.surface.lower() in POSTS:
        return False
    return all(_name_word(t) for t in run) \
        and not any(any("acr" in r.tags for r in t.unit.readings) or _nationality(t)
                    for t in run)


def _before_finite_verb(token: _Token, units: Sequence[Unit]) -> bool:
    """Whether the unit right after ``token`` (no punctuation between) is a finite verb."""
    at = token.index + 1
    return at < len(units) and _is_word(units[at]) and _finite(units[at])


def _finite(unit: Unit) -> bool:
    """Whether the analyser reads ``unit`` as a finite verb, among its readings."""
    return any(r.pos in _VERBS and _FINITE & set(r.tags) for r in unit.readings)


def _nationality(token: _Token) -> bool:
    """A people's or a faith's word, a noun the dictionary writes with a capital ("Arab",
    "Muslim", "British"): a run holding one is more often a place or a movement the target
    names in its own words ("United Arab Emirates", "Muslim Brotherhood") than a firm."""
    return any(r.pos == "n" and r.lemma[:1].isupper() for r in token.unit.readings)


_PLACE_END = re.compile(r",| \(| [—–-]|\.[-—–]")


# The region after a dateline's place, written short: "Culiacán, Sin.-" (Sinaloa), "Xalapa,
# Ver.-" (Veracruz), "JESÚS MARÍA, AGS.-" (Aguascalientes), "Santo Domingo, RD.-".
_REGION = re.compile(r", ([A-ZÀ-Ý][a-zà-ÿ]{1,4}(?=\.)|[A-ZÀ-Ý]{2,4}(?=[.,]| \())")


_AGENCY = re.compile(r"\(([A-ZÀ-Ý][A-ZÀ-Ý&'’. -]*[A-ZÀ-Ý.])\)")


def dateline_literals(text: str, units: Sequence[Unit]) -> list[str]:
    """What a dateline that opens ``text`` holds that must come out as written: its place in
    capitals (``dateline_place``), its region's abbreviation and its agency's name in capitals.
    Word by word the engine made
    "Culiacán, Sin.-" (Sinaloa) "Culiacán, Without.-" and "Culiacán, Sans.-"."""
    end = dateline_end(text)
    if not end:
        return []
    found = [place] if (place := dateline_place(text, units)) else []
    region = _REGION.search(text, 0, end)
    if region and region.group(1) not in found:
        found.append(region.group(1))
    # the agency in capitals, in brackets: "BARCELONA, 1 Ene. (EUROPA PRESS) –" came out
    # "(EUROPE PRESS)"; one word is left to the rest ("(AFP)", "(EFE)" stay as they are)
    agency = _AGENCY.search(text, 0, end)
    if agency and " " in agency.group(1) and agency.group(1) not in found:
        found.append(agency.group(1))
    return found


# Capitalised words tied by hyphens to short lower-case ones: "Mar-a-Lago",
# "Stratford-upon-Avon", "Aix-en-Provence".
_HYPHEN_CHAIN = re.compile(r"(?<![\w-])[A-ZÀ-Ý][^\W\d_]+(?:-[a-zà-ÿ]{1,4})+-[A-ZÀ-Ý][^\W\d_]+"
                           r"(?![\w-])")


def hyphen_chains(text: str, units: Sequence[Unit]) -> list[str]:
    """Names whose capitalised words no dictionary has, tied by hyphens to short lower-case
    words, which are the name's own: "sa résidence de Mar-a-Lago" came out "Mar-has-Lago"
    and "Mar-ha-Lago" (the French "a" is "has"). Where the dictionary knows a capitalised part
    ("Castille-et-León"), the engine's reading is left as it is."""
    out = []
    for match in _HYPHEN_CHAIN.finditer(text):
        parts = [u for u in units if match.start() <= u.start and u.end <= match.end()
                 and u.surface[:1].isupper()]
        if parts and not any(u.known for u in parts):
            out.append(match.group(0))
    return out


def dateline_place(text: str, units: Sequence[Unit]) -> str:
    """The place in capitals that opens a dateline ("PROGRESO, Yucatán, 31 de diciembre.-",
    "WEST PALM BEACH —"), as written, when it is to stay so: when the dictionary does not read
    it (``units``, the analysis of ``text``) as one proper noun. Word by word the engine made
    "PROGRESO" "Progress", "WEST PALM BEACH" "PLAYA de PALMA del oeste" and "NAPA COUNTY" "NAPA
    Condado"; "LONDON" is one proper noun, whose target form ("LONDRES") is right. "" if the
    text has no such place. The protector keeps it (``detect``), the checker asks for it
    (``quality.names``)."""
    end = dateline_end(text)
    cut = _PLACE_END.search(text, 0, end) if end else None
    place = text[:cut.start()].strip() if cut else ""
    if not place or place.upper() != place or not any(c.isalpha() for c in place):
        return ""
    words = [u for u in units if u.end <= len(place) and u.surface[:1].isalnum()]
    proper = len(words) == 1 and words[0].known and all(r.pos == "np"
                                                        for r in words[0].readings)
    return "" if proper else place


# Words for a town, a district or a neighbourhood, whose name follows them after "de" or "of".
# (Not "pueblo", also "people": "el pueblo de Dios".)
_SETTLEMENTS = {
    "es": frozenset({"ciudad", "localidad", "municipio", "comuna", "barrio", "colonia",
                     "aldea", "villa", "distrito", "parroquia", "cantón", "corregimiento",
                     "vereda", "caserío", "poblado", "fraccionamiento", "urbanización"}),
    "fr": frozenset({"ville", "commune", "village", "localité", "quartier", "bourg", "hameau",
                     "canton"}),
    "en": frozenset({"city", "town", "village", "township", "borough", "municipality",
                     "neighbourhood", "neighborhood", "suburb", "hamlet"}),
}
_OF = frozenset({"de", "del", "of", "d'", "d’"})


def after_settlement(units: Sequence[Unit], index: int, lang: str) -> bool:
    """A capitalised word right after the word for a town and "de" or "of" (a determiner may
    come between: "municipio de El Marqués"): it begins the town's name, which is no common
    word even where the dictionary has one. "la ciudad de Limpio" came out "the city of Clean",
    "el municipio de Bello" "the municipality of Beautiful", "la ciudad de Corrientes" "the
    city of Currents", "la localidad de Virrey del Pino" "the location of Viceroy of Pino".
    (Places with a target form of their own stay exonyms: "la ciudad de Nueva York".)"""
    settlements = _SETTLEMENTS.get(lang, frozenset())
    at = index - 1
    if at >= 0 and any(r.pos == "det" for r in units[at].readings) \
            and units[at].surface[:1].isupper():
        at -= 1                     # "de El Marqués": the article is the name's
    if at < 1 or units[at].surface.lower() not in _OF or units[at - 1].surface not in settlements:
        return False
    return all(units[i + 1].start - units[i].end <= 1 for i in range(at - 1, index))


# Spanish words for a place that open its name, which the names after them complete:
# "Punta del Este" came out "east Punta" and "Pointe de l'Est", "Puerto Pirámides" "Port
# Pyramids", "Santiago de Cuba" "Santiago of Cuba".
_PLACE_HEADS = {"es": frozenset({"Puerto", "Punta", "Villa", "Playa", "Cerro", "Bahía", "Río",
                                 "Sierra", "Valle", "Lago", "Laguna", "Cabo", "Isla", "Monte",
                                 "Santiago", "Santo", "Santa", "San"})}


def headed_place(units: Sequence[Unit], index: int, lang: str) -> tuple[int, int] | None:
    """The span (first and last unit) of a place's name that holds the unit at ``index`` and
    opens with a word for a place ("Punta", "Puerto", "Río") followed, maybe after "de",
    "del", "de la", by capitalised nouns or names: "Punta del Este", "Puerto Pirámides",
    "Río de la Plata". Not when a word after the head may be an adjective ("Mar Rojo", "Cerro
    Azul": the Red Sea is a translation) or the dictionary knows the whole ("Isla de Pascua",
    one unit with its target form)."""
    heads = _PLACE_HEADS.get(lang)
    if not heads:
        return None
    connectors = _CONNECTOR_WORDS.get(lang, _DEFAULT_CONNECTOR_WORDS)

    def capital(unit: Unit) -> bool:        # "del Este" is one unit of the dictionary
        return unit.surface[:1].isupper() or (
            unit.surface.split(" ")[0] in connectors and unit.surface[-1:].isalpha()
            and unit.surface.split(" ")[-1][:1].isupper())

    def joined(a: int, b: int) -> bool:
        return units[b].start - units[a].end <= 1 and (
            capital(units[b]) or units[b].surface in connectors)

    start = index
    while start > 0 and joined(start - 1, start):
        start -= 1
    while start < index and units[start].surface not in heads:
        start += 1
    if units[start].surface not in heads:
        return None
    end = start
    while end + 1 < len(units) and joined(end, end + 1):
        end += 1
    while end > start and not capital(units[end]):
        end -= 1
    rest = [u for u in units[start + 1:end + 1] if capital(u)]
    # (a capitalised "Este" after "del" is no determiner, whatever the dictionary says; a
    # word that may only be an adjective qualifies the head: "Mar Rojo", "Río Grande")
    if not rest or end < index or any(u.surface in heads for u in rest) or any(
            u.surface[:1].isupper() and u.readings and all(r.pos == "adj" for r in u.readings)
            for u in rest):
        return None
    return start, end


# Words that open the name of a company, a foundation or a newspaper in Spanish and French:
# the word after them is the name. "Grupo Televisa" came out "Group Televises" and "Groupe il
# Télévise", "Diario Jornada" (a newspaper) "Daily Day" and "Quotidienne Journée".
_COMPANY_HEADS = {
    "es": frozenset({"Grupo", "Banco", "Fundación", "Industrias", "Corporación", "Compañía",
                     "Empresas", "Laboratorios", "Inversiones", "Constructora", "Transportes",
                     "Editorial", "Aerolíneas", "Cervecería", "Tiendas", "Almacenes",
                     "Farmacias", "Supermercados", "Radio", "Canal", "Diario"}),
    "fr": frozenset({"Groupe", "Banque", "Fondation", "Société", "Compagnie", "Laboratoires",
                     "Industries", "Éditions", "Radio", "Chaîne", "Journal"}),
}


def company_name(units: Sequence[Unit], index: int, lang: str) -> bool:
    """A capitalised noun or verb right after the capitalised word that opens a company's name
    ("Grupo Televisa", "Grupo Prisa", "Banque Postale" is left: an adjective qualifies the
    head, "Banco Central", "Banco Mundial", which have target forms)."""
    heads = _COMPANY_HEADS.get(lang)
    unit = units[index]
    if not heads or index < 1 or units[index - 1].surface not in heads \
            or unit.start - units[index - 1].end != 1 or not unit.surface[:1].isupper():
        return False
    readings = unit.readings
    return bool(readings) and not any(r.pos in ("adj", "det", "num", "np") or "acr" in r.tags
                                      for r in readings) and not is_function_word(unit)


def in_town_name(units: Sequence[Unit], index: int, lang: str) -> bool:
    """A capitalised word of a town's name after the word for a town (``after_settlement``),
    first or after other capitalised words and connectors ("Virrey del Pino"): for the
    checker, which looks at one word at a time."""
    connectors = _CONNECTOR_WORDS.get(lang, _DEFAULT_CONNECTOR_WORDS)
    start = index
    while start > 0 and units[start].start - units[start - 1].end <= 1 and (
            units[start - 1].surface[:1].isupper() or (
                units[start - 1].surface.lower() in connectors and start > 1
                and units[start - 2].surface[:1].isupper())):
        start -= 1
    return any(after_settlement(units, i, lang) for i in range(start, index + 1)
               if units[i].surface[:1].isupper())


_ACRONYM_LENGTH = (2, 5)
# Closed classes and adverbs, which writers set in capitals for emphasis ("de TODOS los
# puertos", "NO"); verbs count as other words ("la cadena SER", "la tarjeta SUBE").
_CLOSED = frozenset({"det", "pr", "cnjcoo", "cnjsub", "cnjadv", "prn", "rel", "predet",
                     "preadv", "adv", "ij"})


def _word_neighbours(units: Sequence[Unit], index: int) -> list[Unit]:
    """The nearest word before and after ``units[index]`` (punctuation skipped)."""
    out = []
    for step in (-1, 1):
        at = index + step
        while 0 <= at < len(units) and not any(c.isalpha() for c in units[at].surface):
            at += step
        if 0 <= at < len(units):
            out.append(units[at])
    return out


def acronym_as_word(units: Sequence[Unit], index: int, lang: str) -> bool:
    """A word of two to five capitals in mid-sentence of Spanish or French lower-case text
    that the dictionary reads only as a common word of the same letters: an acronym, the name
    of a party, a card, a network or an election ("Derrotamos al MAS" was "We defeat to the
    BUT", "las PASO" "the STEP", "la cadena SER" "the chain BE", "la tarjeta SUBE" "the card
    GOES UP", "en CABA" "in I WAS BACKING"). A function word counts only after an article
    ("al MAS"; not "de TODOS los puertos", "disponible ICI": capitals for emphasis or a link).
    Not in English, whose writers set common words in capitals ("OK", "CLICK", "the IT
    department"), and not among other words in capitals (a heading, a shout).

    Measured on newstest2013 (es, fr): of 11 such words, the human translation kept 9 as
    written ("la ESA", "el ACTA", "les NOM"); the two others were "de TI" (after no article)
    and "l'EU"."""
    unit = units[index]
    surface = unit.surface
    low, high = _ACRONYM_LENGTH
    if lang not in ("es", "fr") or not (low <= len(surface) <= high and surface.isalpha()
                                        and surface.isupper()) or not unit.readings:
        return False
    common = [r for r in unit.readings if r.pos != "np"]
    if not common or any("acr" in r.tags or r.pos == "num" or not r.lemma[:1].islower()
                         for r in common):
        return False        # an acronym the dictionary knows ("ONU", "SIDA"), a numeral
    if any(w.surface.isupper() for w in _word_neighbours(units, index)):
        return False
    if not any(r.pos in _CLOSED for r in common):
        return True
    before = units[index - 1] if index else None
    return before is not None and unit.start - before.end <= 1 and any(
        r.pos == "det" or "det" in r.tags for r in before.readings)


def attributive_plural(unit: Unit, index: int, units: Sequence[Unit]) -> bool:
    """A capitalised English word read only as a plural noun, right before a lower-case word
    that may be a noun: English puts a noun that qualifies another in the singular ("shoe
    store"), so this one is a name ("Sabres captain Jack Eichel", "Sabres defenseman": the
    Buffalo Sabres). Sentence starts count: the plural, not the capital, is the evidence.
    Whether the article uses it so twice at least and never in lower case is asked over the
    whole document (``detect``, and the checker's ``quality.names``)."""
    if not unit.readings or not all(r.pos == "n" and "pl" in r.tags for r in unit.readings):
        return False
    after = units[index + 1] if index + 1 < len(units) else None
    return after is not None and after.surface[:1].islower() and after.surface.isalpha() \
        and after.start - unit.end <= 1 \
        and (not after.readings or any(r.pos == "n" for r in after.readings))


def adjective_as_noun(unit: Unit, index: int, units: Sequence[Unit]) -> bool:
    """A word the dictionary reads only as an adjective that could qualify nothing after it (no
    word that may be a noun or an adjective: "the Swedish approach" qualifies "approach"): after
    a determiner it stands for a noun, so, capitalised, it names one ("gave the Wild a lead",
    "the Wild are": the Minnesota Wild). Whether the article uses it so twice at least and never
    writes it in lower case is asked over the whole document (``detect``, and the checker's
    ``quality.names``)."""
    if not unit.readings or not all(r.pos == "adj" for r in unit.readings):
        return False
    after = units[index + 1] if index + 1 < len(units) else None
    return after is None or not any(r.pos in ("n", "adj") for r in after.readings)


def _bare_name(token: _Token, units: Sequence[Unit], lang: str) -> bool:
    """A lone capitalised word in mid-sentence that only a name explains: "shares of Target",
    "Shell said", "el grupo Prisa", "chez Orange".

    Not a word the dictionary itself writes with a capital ("German"), an adjective, a place,
    an English plural ("Democrats"), or in Spanish the complement of a lower-case noun
    ("ministra de Vivienda": institutions are written so; French puts an article before
    them, "ministère de l'Intérieur", so "les actions de Total" names a company).
    Whether the article uses the word as a name is decided over the whole document
    (``protect``): bare uses must outnumber uses after a determiner ("the Gulf").
    """
    unit = token.unit
    if token.word not in (Word.COMMON, Word.AMBIGUOUS) or not unit.readings \
            or is_function_word(unit) or _joined_to_lower(token, units) \
            or is_demonym(unit, lang):
        return False
    common = [r for r in unit.readings if r.pos != "np"]
    if any(r.lemma[:1].isupper() for r in common) or all(r.pos == "adj" for r in common) \
            or _place(token):
        return False
    nouns = [r for r in common if r.pos == "n"]
    if lang == "en" and nouns and all("pl" in r.tags for r in nouns):
        return False
    if token.index >= 1 and nouns and all("pl" in r.tags for r in nouns) and any(
            r.pos == "num" for r in units[token.index - 1].readings):
        return False           # a quantity's unit: "500 Euros", "41 States" (not "95 House
                               # members", where the number counts the members)
    if lang == "es" and token.index >= 2:     # French puts an article: "de l'Intérieur"
        before = units[token.index - 1].surface.lower()
        noun = units[token.index - 2]
        if before in ("de", "del") and noun.surface[:1].islower():
            return False
    return True


def _lone_adjective(token: _Token, units: Sequence[Unit], lang: str) -> bool:
    """A capitalised word only an adjective to the dictionary, alone in a Spanish sentence: a
    name ("las ventas de Desigual", "radio Continental", "los legisladores de Morena", "la
    gasolina Magna"), since Spanish writes its adjectives in lower case, nationalities
    included. Not a plural, which stands for people or things ("Mexicanos contra la
    Corrupción", "más Clásicos disputados"; the dictionary of a pair may lack the noun), nor
    one that ends or joins a Title Case phrase (:func:`_in_title_case_phrase`);
    whether the article also writes it so elsewhere ("el Poder Judicial") is asked over the
    whole document (``detect``). English capitalises "Conservative" and "Democratic", French its
    peoples' nouns, which the dictionary may read as adjectives ("de Brésiliens")."""
    unit = token.unit
    if lang != "es" or token.word not in (Word.COMMON, Word.AMBIGUOUS) or not unit.readings \
            or is_function_word(unit) or _joined_to_lower(token, units) \
            or is_demonym(unit, lang) or _place(token):
        return False
    common = [r for r in unit.readings if r.pos != "np"]
    return bool(common) and all(r.pos == "adj" and r.lemma[:1].islower() and "pl" not in r.tags
                                for r in common) and not _in_title_case_phrase(token, units)


_AND = frozenset({"y", "e", "o", "u"})


def _in_title_case_phrase(token: _Token, units: Sequence[Unit]) -> bool:
    """An adjective that ends a capitalised run or is coordinated with a capitalised adjective:
    a Title Case phrase, translated as one ("Año Nuevo", "la Cruz Roja", "el Consejo Económico
    y Social", "Rápido y Furioso", "las policías Estatal Preventiva, Metropolitana")."""
    i = token.index

    def capital(k: int) -> bool:
        # the word next to the adjective: a unit may be several ("este Año", "de la Cruz")
        words = units[k].surface.split() if 0 <= k < len(units) else []
        return bool(words) and words[-1 if k < i else 0][:1].isupper()

    def capital_adjective(k: int) -> bool:
        return capital(k) and any(r.pos == "adj" for r in units[k].readings)

    def word(k: int) -> str:
        return units[k].surface.lower() if 0 <= k < len(units) else ""

    return capital(i - 1) or (word(i - 1) in _AND | {","} and capital_adjective(i - 2)) \
        or (word(i + 1) in _AND and capital_adjective(i + 2))


def _joined_to_lower(token: _Token, units: Sequence[Unit]) -> bool:
    """Tied by a hyphen, with no blank, to a lower-case word after it: one compound common word
    ("President-elect", "Vice-president")."""
    i = token.index
    if i + 2 >= len(units) or units[i + 1].surface not in ("-", "‑"):
        return False
    hyphen, after = units[i + 1], units[i + 2]
    return token.unit.end == hyphen.start and hyphen.end == after.start \
        and after.surface[:1].islower()


def _bare_context(token: _Token, units: Sequence[Unit]) -> bool:
    """Mid-sentence with nothing that could govern a common noun right before it.

    Not a determiner, noun, adjective, number or preposition ("entire Union", "mar Muerto",
    "41 States", "ministra de Vivienda", "sur Terre"): a subject follows a clause boundary.
    """
    before = units[token.index - 1]
    if before.surface.lower().strip("'’") in ("de", "of", "du", "des", "del", "d"):
        return False
    return not any(r.pos in ("det", "n", "adj", "num", "np", "predet", "pr") or "det" in r.tags
                   for r in before.readings) and before.known


# Nouns for a person that stand capitalised before a name as a title, beside ``POSTS`` and the
# heads of ``_KIND_HEADS`` and ``_OTHER_HEADS``: a common word between two names is the name's
# own unless it is one of these ("Real Madrid [Coach] Ancelotti").
_ROLES = frozenset({
    "admiral", "ambassador", "attorney", "auditor", "aunt", "ayatollah", "bishop", "boss",
    "brother", "candidate", "cardinal", "chair", "chairwoman", "champion", "co-founder", "coach",
    "col", "colonel", "commissioner", "comptroller", "constable", "counsel", "defender",
    "detective", "doctor", "dr", "emir", "emperor", "father", "forward", "gen", "goalkeeper",
    "gov", "imam", "inspector", "lieutenant", "lt", "midfielder", "mr", "mrs", "ms", "owner",
    "pastor", "pitcher", "pope", "premier", "quarterback", "rabbi", "rep", "rev", "reverend",
    "saint", "sen", "sgt", "sheikh", "sheriff", "sister", "spokesperson", "st", "star",
    "striker", "sultan", "superintendent", "supt", "treasurer", "trustee", "uncle",
    "administrator", "republican", "democrat", "composer", "writer", "author", "producer",
    "singer", "rapper", "actor", "actress", "artist", "poet", "novelist", "designer",
    "architect", "photographer", "chef", "host", "anchor", "comedian", "presenter", "activist",
    "lawyer", "assemblyman", "assemblywoman", "councillor", "councilman", "councilwoman",
    "congressman", "congresswoman", "delegate", "nominee", "challenger", "incumbent",
    "speaker", "whip", "agent", "rookie", "veteran", "legend", "frontman", "drummer",
    "guitarist", "bassist", "keyboardist"})
# The points of the compass, which name a part of a place the target words its own way
# ("North India": "el norte de la India"; "North Macedonia": "Macedonia del Norte").
_COMPASS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast",
                      "southwest", "central", "upper", "lower", "greater", "new", "old",
                      "northern", "southern", "eastern", "western"})


def _split_at_titles(run: list[_Token], headline: bool = False) -> list[list[_Token]]:
    """Cut a run where common words stand between two names: "Microsoft [President] Brad
    Smith". One common word between a name and the run's last word is the name's own unless it
    is a post or a person's role: "Meta Quest Pro", "SoftBank Group Corp" ("Meta Búsqueda Pro"
    and "SoftBank Grupo Corp" cut), not "Madrid [Coach] Ancelotti"; not a word of a closed
    class, nor in a heading in Title Case ("Puerto Rico [From] St")."""
    parts: list[list[_Token]] = [[]]
    i = 0
    while i < len(run):
        if run[i].word is Word.COMMON and parts[-1]:
            j = i
            while j < len(run) and run[j].word is Word.COMMON:
                j += 1
            word = run[i].unit.surface.lower().rstrip(".")
            last = run[-1].unit.surface
            if not headline and j == i + 1 and j == len(run) - 1 and _name_word(run[i]) \
                    and run[j].word is Word.STRONG \
                    and parts[-1][-1].word is Word.STRONG and not run[i].hyphen \
                    and not run[j].hyphen and len(last) > 1 and last[1:].islower() \
                    and last.isalpha() and not _title_word(word):
                parts[-1].extend(run[i:])
                break
            if j < len(run) and run[j].word is Word.STRONG:
                parts.append([])
                i = j
                continue
        parts[-1].append(run[i])
        i += 1
    return parts


def _leading_word(token: _Token) -> bool:
    """A singular common noun in mid-sentence before names only, that is neither a title nor
    the kind of thing named (``_title_word``) nor a people's word (a plural is a verb as often:
    "Walks Jas home" in a timetable): the first word of the name ("Rice Krispies", "Apple's
    Vision Pro", "Scooter Braun"), which the engine translated ("Arroz Krispies", "la Visión
    de Apple Pro")."""
    surface = token.unit.surface
    return token.word is Word.COMMON and not token.initial and len(surface) > 2 \
        and surface.istitle() and surface.isalpha() and not _title_word(surface.lower()) \
        and surface.lower() not in _COMPASS and not _nationality(token) \
        and any(r.pos == "n" for r in token.unit.readings) \
        and not any(r.pos == "n" and "pl" in r.tags for r in token.unit.readings)


# English nouns before a place's name that name part of the place or what befell it, not a
# firm ("Cape Cod", "downtown Chicago" written "Downtown Chicago", "Hurricane Florence").
_PLACE_PARTS = frozenset({"cape", "port", "point", "downtown", "midtown", "uptown", "mainland",
                          "metro", "hurricane", "storm", "typhoon", "cyclone", "saint", "camp",
                          "inner", "outer", "coastal", "rural", "urban", "lake", "mount"})


def _firm_of_place(run: Sequence[_Token], units: Sequence[Unit]) -> bool:
    """Two capitalised words, a place's name and a common noun that makes a firm of it: a
    singular noun before it ("Air France", "Radio Canada": the engine made "Airear Francia"
    and "Canadá radiofónico") or a firm's word after it ("Singapore Airlines": "Aerolíneas de
    Singapur"), in mid-sentence; the noun may open a sentence that goes on in lower case
    ("Air France said") if the dictionary has it only as a noun or a verb's base form (not
    "Yesterday Paris", "Today France"). Not a title ("Senator Warren"), the kind of place
    ("Lake Victoria") nor a part of one ("Cape Town", "Hurricane Florence")."""
    if len(run) != 2 or any(t.word is None or t.hyphen for t in run):
        return False
    first, last = run
    if first.unit.surface.lower() not in _PLACE_PARTS and (
            _leading_word(first) or (first.initial and _opening_noun(first, last, units))):
        return _place_name(last)
    return _place_name(first) and last.word is Word.COMMON \
        and last.unit.surface.istitle() and last.unit.surface.lower() in _CORPORATE


def _opening_noun(first: _Token, last: _Token, units: Sequence[Unit]) -> bool:
    """``_leading_word`` for a sentence's first word: read only as a singular noun, an
    adjective or a verb's base form, and the sentence going on in lower case after the two
    words."""
    nxt = units[last.index + 1:last.index + 3]
    following = next((u.surface for u in nxt if u.surface.strip()), "")
    return _leading_word(replace(first, initial=False)) and bool(first.unit.readings) and all(
        r.pos in ("n", "adj") or (r.pos == "vblex" and {"inf", "imp", "pres"} & set(r.tags))
        for r in first.unit.readings) and (following[:1].islower() or following in _GENITIVE)


def _place_name(token: _Token) -> bool:
    surface = token.unit.surface
    return surface.isalpha() and surface.istitle() and (
        token.word is Word.EXONYM or (token.word is Word.STRONG and _place(token)))


def _title_word(word: str) -> bool:
    """A post, a person's role, or the kind of thing named (not a firm's: "SoftBank Group
    Corp"), in lower case."""
    return word in POSTS or word in _ROLES or word in _OTHER_HEADS or (
        word in _KIND_HEADS and word not in _CORPORATE)


def _rule(part: Sequence[_Token]) -> str:
    if len(part) == 1 and part[0].initial and not part[0].unit.known and (
            part[0].unit.surface[1:].islower()):
        return INITIAL_UNKNOWN_RULE
    return STRONG_RULE if any(t.word is Word.STRONG for t in part) else AMBIGUOUS_RULE


STRONG_RULE = "unknown word or proper noun"
INITIAL_UNKNOWN_RULE = "unknown word opening a sentence"
AMBIGUOUS_RULE = "proper noun that is also a common word"
CLAUSE_RULE = "bare noun before a verb"
BARE_RULE = "lone capitalised word in mid-sentence"
ADJECTIVE_RULE = "capitalised adjective standing for a noun"
LONE_ADJECTIVE_RULE = "capitalised adjective alone in mid-sentence"
PLURAL_RULE = "capitalised plural noun qualifying a noun"
FIRST_NAME_RULE = "first name and the capitalised words after it"
ACRONYM_RULE = "word in capitals in mid-sentence"
SETTLEMENT_RULE = "name of a town after the word for one"
PLACE_HEAD_RULE = "place's name opening with the word for a place"
COMPANY_RULE = "company's name after the word that opens it"
COMMON_RUN_RULE = "capitalised common words side by side in mid-sentence"
APPOSITION_RULE = "capitalised words an apposition calls a firm"
FIRM_RUN_RULE = "capitalised words after the word for a firm"
PLACE_FIRM_RULE = "firm named by a common noun and a place"


def _name_start(run: Sequence[_Token], after_det: bool, lang: str = "") -> int | None:
    """Where the name in a run starts, if the run holds one.

    Words before the first unknown word or plain proper noun are titles ("President", "Mayor",
    "Universidad de"). A word that is both a proper and a common noun ("Apple", "Tierra",
    "Blanca") makes a name only where the common reading is unlikely: not right after a
    determiner ("la Tierra"), not beside common words ("Casa Blanca", "White House"), and not
    alone at the start of a sentence (that case is ``_opens_clause``'s).
    """
    kinds = [_effective(run, i) for i in range(len(run))]
    if not after_det and _first_name(run):
        return 0                # "Gloria Hermosa", "Pilar del Río": a first name leads
    if len(run) == 2 and not after_det and _saint(run[0]) and not run[1].hyphen:
        return 0                # "Santa Cruz", "San Juan": a place's or a saint's name
    if Word.STRONG in kinds:
        start = kinds.index(Word.STRONG)
        # A first name that is also a common word belongs to the name ("Jean-Marc", "Gloria von
        # Thurn"), even across a particle.
        while True:
            before = start - 1
            while before >= 0 and run[before].word is None:
                before -= 1
            if before >= 0 and before == start - 1 and _saint(run[before]):
                start = before  # "San Clemente", "Santo Domingo": a place, or a saint's name
                continue
            if lang != "en" and before >= 0 and before == start - 1 \
                    and not run[before].initial and not run[start].unit.known \
                    and _function_word_in_name(run[before]):
                # a capitalised word of a closed class in mid-sentence, right before a word no
                # dictionary has, is the name's: "En noviembre de 2018 He Jiankui" came out
                # "j'Ai Jiankui" in French ("he": "I have"). Not in English, whose headings
                # capitalise every word ("Tips And Emacs Lisp", "Integration With Chef").
                start = before
                continue
            if before < 0 or run[before].word is not Word.AMBIGUOUS or not (
                    run[start].hyphen or any("ant" in r.tags for r in run[before].unit.readings)
            ) or _post(run[before]):
                return start
            start = before
    if Word.COMMON in kinds or Word.AMBIGUOUS not in kinds:
        return None
    i = kinds.index(Word.AMBIGUOUS)
    words = sum(1 for k in kinds if k is not None)
    if (after_det and i == 0) or (run[i].initial and words == 1):
        return None
    return i


def _function_word_in_name(token: _Token) -> bool:
    """A capitalised word read only as a pronoun, a possessive, an auxiliary or a preposition
    ("He", "Su", "Ma" of Chinese names; not an article: "la Haya", "El Cairo" are the
    dictionary's)."""
    return token.word is Word.COMMON and closed_word_of_name(token.unit)


def closed_word_of_name(unit: Unit) -> bool:
    """``_function_word_in_name`` on a unit alone (for the checker)."""
    readings = unit.readings
    return bool(readings) and unit.surface.istitle() and all(
        r.pos in ("prn", "vbhaver", "vaux", "vbser", "pr", "cnjcoo")
        or (r.pos == "det" and "pos" in r.tags) for r in readings)


def before_unknown_name(units: Sequence[Unit], index: int, lang: str) -> bool:
    """In Spanish or French text, a capitalised pronoun, possessive or auxiliary (not a
    preposition or a conjunction) in mid-sentence right before a capitalised word no dictionary
    has: the first word of a person's name ("En noviembre de 2018 He Jiankui", "Su
    Bingtian"), which the producer keeps (``_name_start``) and the checker asks for as
    written."""
    unit = units[index]
    if lang == "en" or index + 1 >= len(units) or not closed_word_of_name(unit) or any(
            r.pos in ("pr", "cnjcoo") for r in unit.readings):
        return False    # a preposition or "O" of a title in capitals ("San José En Otáez")
    after = units[index + 1]
    return after.start - units[index].end == 1 and not after.known \
        and after.surface[:1].isupper() and after.surface[1:].islower()


# "San", "Santa", "Saint" before a name make a place's or a saint's name with it: translated
# alone they gave "Saint Clemente" (San Clemente, Chile) and "Sainte Isabel" (Santa Isabel).
SAINTS = frozenset({"San", "Santa", "Santo", "São", "Saint", "Sainte", "St", "Ste"})


def _saint(token: _Token) -> bool:
    return token.unit.surface in SAINTS and not token.hyphen


def _first_name(run: Sequence[_Token]) -> bool:
    """A first name the dictionary knows, followed by another capitalised word: what follows
    is a surname, even a common word ("Donald Trump", "Gloria Hermosa", "Pilar del Río"). A
    first name that is also a common word ("Rosa", "Gloria") counts only in mid-sentence; a
    name that is also a place ("Washington") not at all."""
    first = run[0]
    words = [t for t in run if t.word is not None]
    readings = first.unit.readings
    if len(words) < 2:
        return False
    if any("loc" in r.tags for r in readings):
        # ... unless it is one of two words and the other a surname (``surname_like``),
        # as a place is not followed ("el expresidente Mauricio Macri" was "Mauritius Macri" in
        # English and "Maurice Macri" in French, whose pair knows "Mauricio" only as a place)
        return len(run) == 2 and _surname(run[1]) and first.word in (
            Word.AMBIGUOUS, Word.STRONG, Word.EXONYM)
    if first.word is Word.AMBIGUOUS and first.initial:
        return False
    if _post(first):
        return False
    if first.word is Word.COMMON:
        return _unlisted_first_name(run)
    # a first name the dictionary gives a target form ("Horacio" -> "Horace", "Julio César"
    # -> "Jules César") is still a person's: "su presidente, Horacio Rosatti" was "his
    # president, Horace Rosatti"
    if first.word not in (Word.AMBIGUOUS, Word.STRONG, Word.EXONYM):
        return False
    proper = [r for r in readings if r.pos == "np"]
    if any("ant" in r.tags for r in proper):
        return True
    # a proper noun of another kind, before a surname: "Leo Messi" (es-fr has "Leo" only as
    # the sign of the zodiac, and made him "Lion Messi")
    return bool(proper) and len(run) == 2 and _surname(run[1])


# Spanish and French adjectives that place or rank what they follow ("Java Occidental",
# "Pinotepa Nacional", "Trump International"): after an unknown word they make no surname.
_PLACING_ADJECTIVES = frozenset({
    "nacional", "general", "federal", "regional", "provincial", "municipal", "internacional",
    "social", "central", "estatal", "mayor", "menor", "superior", "inferior", "occidental",
    "oriental", "septentrional", "meridional", "austral", "alto", "alta", "bajo", "baja", "gran",
    "grande", "nuevo", "nueva", "viejo", "vieja", "norte", "sur", "este", "oeste", "nord", "sud",
    "est", "ouest", "national", "nationale", "général", "générale", "fédéral", "fédérale",
    "régional", "régionale", "international", "internationale", "sociale", "centrale",
    "supérieur", "supérieure", "inférieur", "inférieure", "occidentale", "orientale", "haut",
    "haute", "bas", "basse", "grand", "nouveau", "nouvelle", "vieux", "vieille", "petit",
    "petite", "primero", "primera", "premier", "première", "único", "única", "unique"})
# Endings of Spanish and French abstract nouns: an unknown capitalised word with one heads an
# institution's name ("Gendarmería Nacional", "Fiscalía General"), it is not a first name.
_ABSTRACT_ENDINGS = ("ía", "ción", "sión", "dad", "tad", "tud", "encia", "ancia", "ería", "ismo",
                     "miento", "tion", "sion", "ité", "erie", "ence", "ance", "isme", "ment")


def _surname_as_adjective(run: Sequence[_Token]) -> bool:
    """An unknown first name and a surname the dictionary reads as an adjective, the run's two
    words, in mid-sentence, in Spanish or French ("de Niki Caro" was "of Niki Expensive",
    "le président Lenín Moreno" was "Lenín Brun"): ``_cut_tail`` would drop the adjective as a
    place's ("California [Central]"), but an unknown word before it is no place the
    dictionary knows. Not an adjective that places or ranks ("Java Occidental"), nor one that
    is also a noun, a people's word ("Columbia Británica"), nor after an abstract noun the
    dictionary lacks ("Gendarmería Nacional")."""
    if len(run) != 2 or any(t.word is None for t in run):
        return False
    first, last = run
    name, surname = first.unit.surface, last.unit.surface
    return first.word is Word.STRONG and not first.unit.known and not first.initial \
        and not first.hyphen and not last.hyphen and name.isalpha() and name.istitle() \
        and not name.lower().endswith(_ABSTRACT_ENDINGS) \
        and last.word is Word.COMMON and surname.isalpha() and surname.istitle() \
        and surname.lower() not in _PLACING_ADJECTIVES and not _nationality(last) \
        and bool(last.unit.readings) and all(r.pos in ("adj", "np") for r in last.unit.readings) \
        and any(r.pos == "adj" for r in last.unit.readings) \
        and not any("pl" in r.tags for r in last.unit.readings)


def _post(token: _Token) -> bool:
    """A post or a role the dictionary also has as a first name ("Princess", "Prince"): before
    a name it is the title, which the target translates ("Princess Diana" was kept whole,
    English in a Spanish sentence)."""
    word = token.unit.surface.lower().rstrip(".")
    # (not "Justice": the engines know only the virtue, "Justicia Kagan")
    return (word in POSTS or word in _ROLES) and word != "justice"


def _unlisted_first_name(run: Sequence[_Token]) -> bool:
    """A first name the dictionary has only as an adjective or a verb (``first_name_as_word``)
    before a surname, the run's two words, in mid-sentence."""
    first = run[0]
    return len(run) == 2 and not first.initial and not first.hyphen and _surname(run[1]) \
        and first_name_as_word(first.unit)


def first_name_as_word(unit: Unit) -> bool:
    """Whether a capitalised word the dictionary reads only as an adjective or a verb, not a
    gerund nor an English third person ("Matt", "Rich", "Dawn", "Lucho"; not "Walks Jas home"
    in a timetable) may be a first name: before a surname in mid-sentence it is one, as a title
    before a name is a noun ("Coach", "Justice"), a people's word is written so in its lemma
    ("Korean"), and no other adjective or verb stands capitalised there. Read as a title,
    "defenseman Matt Dumba" came out "Mate Dumba" in Spanish and "Tuez Dumba" in French."""
    surface = unit.surface
    return surface.istitle() and surface.isalpha() and surface.lower() not in POSTS \
        and surface.lower() not in _COMPASS \
        and bool(unit.readings) and all(
            (r.pos == "adj" or (r.pos == "vblex" and "ger" not in r.tags
                                and surface.lower() != r.lemma + "s"))
            and r.lemma[:1].islower() for r in unit.readings)


def before_surname(units: Sequence[Unit], index: int) -> bool:
    """``first_name_as_word`` for the checker: the word right before a surname, the two a run
    of capitalised words of their own, not after a determiner ("defenseman Matt Dumba, who";
    not "el Centro Cultural Kirchner", "el Gran Magdalena")."""
    if not first_name_as_word(units[index]) or index + 1 >= len(units):
        return False
    if index > 0:
        before = units[index - 1]
        if units[index].start - before.end <= 1 and (
                before.surface[:1].isupper() or any("det" in r.tags for r in before.readings)):
            return False
    after = units[index + 1]
    if after.start - units[index].end != 1 or not surname_like(after):
        return False
    rest = units[index + 2] if index + 2 < len(units) else None
    return rest is None or not (rest.start - after.end <= 1 and rest.surface[:1].isupper())


def _surname(token: _Token) -> bool:
    """A word that makes a person's name with a first name before it (``surname_like``)."""
    return token.word is Word.STRONG and not token.hyphen and surname_like(token.unit)


def surname_like(unit: Unit) -> bool:
    """A capitalised word written as a name is (not an acronym: "FC") that the dictionary does
    not know, or knows only as a proper noun that is no place ("Rivera": a surname, or "other"
    in the es-fr pair), so that a first name before it makes a person's name."""
    surface = unit.surface
    if not (surface[:1].isupper() and surface[1:].isalpha() and surface[1:].islower()):
        return False
    return not unit.known or (bool(unit.readings) and all(
        r.pos == "np" and not ({"loc", "top"} & set(r.tags)) for r in unit.readings))


def _before_place(run: list[_Token]) -> list[_Token]:
    """A first name's run up to a connector followed only by places ("Rosario [de Bulgaria]",
    the engine translates the place and the "de"); "Pilar del Río" stays whole."""
    for i, token in enumerate(run):
        right = [t for t in run[i + 1:] if t.word is not None]
        if token.word is None and right and all(t.word is Word.EXONYM or _place(t)
                                                for t in right):
            return _trim(run[:i])
    return _trim(run)


def _effective(run: Sequence[_Token], i: int) -> Word | None:
    """A token's class inside its run: a place after a connector ("Rosario de Bulgaria") or an
    adjective of origin after a common noun ("Naciones Suramericanas") names nothing itself."""
    token = run[i]
    if token.word is not Word.STRONG or i == 0:
        return token.word
    before = run[i - 1]
    if before.word is None and _place(token):
        return Word.EXONYM
    if (before.word is Word.COMMON and not token.unit.known
            and token.unit.surface.lower().endswith(_ADJECTIVE_ENDINGS)):
        return Word.COMMON
    return token.word


def _after_determiner(token: _Token, units: Sequence[Unit]) -> bool:
    if token.index == 0:
        return False
    before = units[token.index - 1]
    return any("det" in r.tags for r in before.readings) and before.end + 1 >= token.unit.start


def _cut_tail(run: list[_Token], lang: str) -> list[_Token]:
    """End a name before what is not part of it.

    A connector whose right side holds no name but a place ("Sibilla [de Luxemburgo]", "Rosario
    [of Bulgaria]": the engine translates the title's "of"); a place with its own target name, or
    a common word tied by a hyphen ("FC [Barcelone]", "Mexico-[Américains]"); a trailing adjective
    in Spanish and French ("California [Central]"); in English, common nouns after the name, which
    are the head of the phrase ("Jedlicka [Institute]") unless one names a company ("Deutsche
    Bank").
    """
    run = _trim(_before_bare_connector(run))
    while len(run) > 1 and ((run[-1].word is Word.EXONYM and not _surname_place(run)) or (
            run[-1].word is Word.COMMON and (_hyphen_tied_adjective(run[-1])
                                             or (lang != "en" and _adjective(run[-1]))))):
        run = _trim(run[:-1])
    if lang == "en":
        tail = len(run)
        while tail > 1 and run[tail - 1].word in (Word.COMMON, Word.EXONYM) \
                and not run[tail - 1].hyphen:       # "Waller-Bridge" is one surname
            tail -= 1
        heads = {t.unit.surface.lower().rstrip(".") for t in run[tail:]}
        if tail < len(run) and not heads & _CORPORATE and (
                _kind_head(run[-1]) or not all(_name_word(t) for t in run[tail:])):
            run = _trim(run[:tail])
    return run


def _name_word(token: _Token) -> bool:
    """A common word that may stand in a name: a noun, an adjective, a number or a participle
    ("Fort Worth", "BBC Two", "Kentucky Fried Chicken", "Dow Jones Industrial Average"), not a
    word of a closed class nor another verb form (in a heading in Title Case: "Ransomware
    Spreads Via", "Tinker With This", "CBP Says"; an adverb that is also a noun may: "Home
    Depot"). Initials in capitals after a surname are
    the name's ("Chang A", "Kaira AN" in a list of references; not "I")."""
    surface = token.unit.surface
    if surface.isupper() and surface.isalpha() and len(surface) <= 2 and surface != "I":
        return True
    readings = token.unit.readings
    # an adverb that is also a noun may ("Home Depot": "home" is both)
    noun = any(r.pos == "n" for r in readings)
    return any(r.pos in ("n", "np", "num", "adj") or "pp" in r.tags for r in readings) \
        and not any(r.pos in _CLOSED and not (noun and r.pos == "adv") for r in readings)


def _kind_head(token: _Token) -> bool:
    """Whether an English name's last word, a common word, is the kind of thing named (which
    the target translates: "Square", "Institute"), a place with its own target name ("BBC
    Russia"), an abbreviation with its own target form ("the Victoria Derbyshire TV show":
    "televisión") or an adjective ("Austro-Hungarian"), rather than a word of the name."""
    readings = token.unit.readings
    return token.word is Word.EXONYM or token.unit.surface.lower() in _KIND_HEADS \
        or any("acr" in r.tags for r in readings) or (
            any(r.pos == "adj" for r in readings) and not any(r.pos == "n" for r in readings))


def _surname_place(run: Sequence[_Token]) -> bool:
    """A run of two words, a name no dictionary has and then a place: the place is a surname
    ("Magaly Medina" was "Magaly Médine"; a company's branch, "Telefónica España", keeps its
    name too). Not after an acronym: "FC Barcelone" is "FC Barcelona" in Spanish."""
    return len(run) == 2 and _surname(run[0]) and not run[1].hyphen \
        and run[1].word is Word.EXONYM


def _hyphen_tied_adjective(token: _Token) -> bool:
    """A common word tied by a hyphen that is an adjective ("Mexico-Américains"); a noun so
    tied belongs to a double surname ("Waller-Bridge", "Parent-Massin")."""
    return token.hyphen and (_adjective(token) or not any(
        r.pos == "n" for r in token.unit.readings))


def _before_bare_connector(run: list[_Token]) -> list[_Token]:
    """The run up to the first connector whose right-hand part holds no name but a place."""
    for i, token in enumerate(run):
        if token.word is not None:
            continue
        right: list[_Token] = []
        for later in run[i + 1:]:
            if later.word is None and right:
                break
            if later.word is not None:
                right.append(later)
        if not any(t.word in (Word.STRONG, Word.AMBIGUOUS) and not _place(t) for t in right):
            return run[:i]
    return run


def _place(token: _Token) -> bool:
    proper = [r for r in token.unit.readings if r.pos == "np"]
    return bool(proper) and all("loc" in r.tags or "top" in r.tags for r in proper)


def _adjective(token: _Token) -> bool:
    return any(r.pos == "adj" for r in token.unit.readings)


def determiner_uses(units: Sequence[Unit]) -> list[str]:
    """Capitalised words met right after a determiner ("the Gulf", "la Tierra"), each time.

    Not when another capitalised word follows: the determiner then heads the whole name ("the
    Apple Vision Pro", "la Casa Blanca"), not the word as a common noun.
    """
    found = []
    for i, unit in enumerate(units):
        if not i or not unit.surface[:1].isupper():
            continue
        before, after = units[i - 1], units[i + 1] if i + 1 < len(units) else None
        if after is not None and after.surface[:1].isupper() and after.start - unit.end <= 1:
            continue
        if any("det" in r.tags for r in before.readings) and before.end + 1 >= unit.start:
            found.append(unit.surface)
    return found


def _trim(run: list[_Token]) -> list[_Token]:
    """Drop connectors and determiners at the edges of a run."""
    while run and (run[-1].word is None or run[-1].word is Word.DETERMINER):
        run = run[:-1]
    while run and run[0].word is None:
        run = run[1:]
    return run


def _all_exonyms(run: Sequence[_Token]) -> bool:
    words = [t for t in run if t.word is not None]
    return bool(words) and all(t.word is Word.EXONYM for t in words)


def _opens_clause(token: _Token, tokens: Sequence[_Token], lang: str) -> bool:
    """A capitalised singular noun with no determiner right before a finite verb.

    A common singular subject needs a determiner, so "Idealista calcula" or ", and Tesla said" can
    only hold a name. At the start of an English sentence bare subjects are common ("Research
    shows"), so there the rule needs an ambiguous proper noun ("Apple plans", "Valencia lidera").
    """
    position = tokens.index(token)
    if position + 1 >= len(tokens):
        return False
    verb = tokens[position + 1].unit
    if tokens[position + 1].index != token.index + 1:
        return False  # punctuation between: "Trabajo, tengo..."
    finite = _finite(verb)
    if token.word is Word.AMBIGUOUS:
        return finite and all(r.pos in _OPEN_CLASS for r in token.unit.readings if r.pos != "np")
    if token.word is not Word.COMMON or (token.initial and lang not in ("es", "fr")):
        return False
    noun = any(r.pos == "n" and "pl" not in r.tags and not r.lemma[:1].isupper()
               for r in token.unit.readings)
    only_verb = all(r.pos in _VERBS for r in verb.readings) if verb.readings else False
    return noun and finite and only_verb


def _candidate(index: int, text: str, run: Sequence[_Token], kind: str, rule: str,
               units: Sequence[Unit] = ()) -> Candidate:
    start, end = run[0].unit.start, run[-1].unit.end
    end = _hyphenated_end(text, end, units) if run[-1].word is Word.STRONG else end
    return Candidate(text[start:end], index, start, end, kind, rule)


def _hyphenated_end(text: str, end: int, units: Sequence[Unit]) -> int:
    """The end of a name whose last word goes on after a hyphen with a part the dictionary
    does not know ("Han Dong-hoon", "Lee Jae-myung"); "Paris-based" stops at "Paris"."""
    while end < len(text) and text[end] in "-‑":
        part = next((u for u in units if u.start == end + 1), None)
        if part is None or part.known or not part.surface[:1].isalpha():
            break
        end = part.end
    return end
