"""Protection: terms that no engine may translate, or must translate one fixed way.

Before translation the pipeline asks :func:`detect_terms` for an article's protected terms, then
:func:`find_spans` for where they stand in each sentence, and hands those spans to the engine as
opaque placeholders; the check stage later verifies each one came back verbatim.

Protected terms come from, in order of precedence:

1. the glossary (global and per source; :func:`load_glossary_file`): never translate, or translate
   one fixed way;
1b. dates, in the target's words (``dates``: "on March 3" -> "el 3 de marzo");
2. the site's own name;
3. a bundled list of publications and news agencies (``lexicon/publications.txt``);
4. link anchors whose text is a name ("Bloomberg", "The Information");
4b. names known from outside the text: the author, the page's keywords and tags, and names that
   earlier published translations of the same source kept (``known``);
5. names found in the text itself (``rules``): people, organisations, publications and
   places that have no established target-language form. Places and institutions that do
   ("Andalucía" -> "Andalusia", "el Banco de España"), titles ("President", "la ministra de
   Vivienda") and capitalised common nouns ("el Gobierno", "the Board") are left to the engine;
6. literals: web addresses, e-mail addresses, DOIs, domain names, @handles and #hashtags, which
   an engine would otherwise translate piece by piece ("doi:10.1016/j.vaccine" -> "j.Vacuna",
   "@user" -> "@usuario").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from babelwire.exceptions import EngineUnavailable
from babelwire.models import GlossaryEntry
from babelwire.translate.names import rules as names_rules
from babelwire.translate.names.dates import find_dates
from babelwire.translate.names.honorifics import find_titles
from babelwire.translate.names.lexicon import ApertiumLexicon, Unit
from babelwire.translate.names.wordlists import bare_institutions, publications
from babelwire.translate.segment import opens_sentence

KINDS = ("glossary", "date", "honorific", "site", "publication", "anchor", "known", "name", "title",
         "literal")
_PRIORITY = {kind: len(KINDS) - i for i, kind in enumerate(KINDS)}
_SENTENCE_OPENERS = ".!?:;\"“«(¿¡—"
_ARTICLE_WORDS = frozenset({"the", "a", "an", "of", "el", "la", "los", "las", "un", "una", "de",
                            "del", "le", "les", "l", "du", "des", "une", "d"})
_MAX_ANCHOR_WORDS = 6
_END = r"[^\s<>\"'“”«»‘’()\[\]{}]*[^\s<>\"'“”«»‘’()\[\]{},;:!?.…]"  # a literal's rest
# A name from code: with an underscore inside ("target_host", "MOBILE_USER_AGENT",
# "es-CL.post.svg.material_description", "__slots__"), three dotted parts ("os.path.join"), or
# two whose second is in lower case ("result.append", "Pipfile.lock", "rsyncd.log"; a sentence
# the source ran into the next has a capital there, "inondations.Baswedan"; "p.m." and "e.g."
# have one letter before the dot). Given to the engine, its parts were translated one by one
# ("github_Casos", "it is-CL.put.svg", "__#hueco__", "resultado.Anexa", "Pipfile.Cerradura":
# Apertium ends a sentence at the dot and capitalises the next word).
CODE_NAME = (r"(?<![\w.@/#-])(?:(?:\w[\w.-]*)?[^\W_]_[\w.-]*[^\W_]|__[^\W_]\w*__"
             r"|[^\W\d_][\w-]+(?:\.[^\W\d_][\w-]+){2,}"
             r"|[^\W\d_][\w-]+\.[a-z][a-z\d]+)(?![\w@/-])")
# A file's path: parts joined by slashes ending in a file's name with its extension
# ("geexlab-demopack-python3/socket/01-socket-http-request/main.xml", "/var/log/rsyncd.log"),
# or a Unix system directory's ("/etc/services"). Word by word it came out
# "geexlab-demopack-python3/Casquete/01-casquete-http-pedir/principal.xml". ("and/or", "km/h"
# and "24/7" have no extension.)
PATH = (r"(?<![\w/.:@-])(?:(?:/|[\w.-]+/)(?:[\w.-]+/)*[\w-]+\.[A-Za-z][A-Za-z\d]{0,4}"
        r"|/(?:etc|var|usr|home|opt|tmp|dev|proc|bin|sbin|lib|srv|mnt)(?:/[\w.-]+)+)"
        r"(?![\w/-]|\.\w)")
_LITERAL = re.compile("|".join((
    rf"\b(?:https?://|www\.){_END}",                                  # web address
    r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}\b",                # e-mail
    rf"\b10\.\d{{4,9}}/{_END}",                                       # DOI
    # a domain name ("Vocabulary.com", "buecher.de"), with its path if any
    r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|gov|int|info|io|co|ai|app|dev|tv|me|ly|"
    r"uk|us|ca|au|de|fr|es|it|pt|nl|be|ch|at|mx|ar|cl|br|eu)\b(?:/" + _END + ")?",
    r"(?<![\w@#&])[@#][^\W\d_][\w]{1,}",                                # @handle, #hashtag
    r"(?<![\w.])\.[A-Z][A-Z0-9]{1,15}(?!\w)",           # instrument code: ".DJI", ".MIWD00000PUS"
    CODE_NAME,
    PATH,
)))


@dataclass(frozen=True)
class ProtectedTerm:
    """A term as it appears in the source, with why it is protected and its fixed target form."""

    text: str
    kind: str  # one of KINDS
    replacement: str | None = None  # fixed target form; None = keep verbatim


# ---------------------------------------------------------------------------------------------
# Finding protected terms in a sentence


def find_spans(text: str, terms: Sequence[ProtectedTerm]) -> list[tuple[int, int, ProtectedTerm]]:
    """Where ``terms`` occur in ``text``: sorted, non-overlapping, longest match first.

    A term matches only as whole words: "Apple" is not found in "Applebee's" nor "Catalá" in
    "Catalán" (Unicode letters count as word characters; "l'Élysée" holds "Élysée"). Between two
    overlapping matches of equal length the stronger kind (glossary over name) wins.
    """
    found: list[tuple[int, int, ProtectedTerm]] = []
    # an article's terms are looked for in each of its sentences, where most of them are not:
    # one substring test spares making a generator for each
    for term in (t for t in terms if t.text and t.text in text):
        found.extend((s, s + len(term.text), term) for s in _occurrences(text, term.text))
    found.sort(key=lambda m: (m[0] - m[1], -_PRIORITY.get(m[2].kind, 0), m[0]))
    taken: list[tuple[int, int, ProtectedTerm]] = []
    for match in found:
        if all(match[1] <= s or match[0] >= e for s, e, _ in taken):
            taken.append(match)
    return sorted(taken, key=lambda m: m[0])


def missing_terms(source: str, output: str, terms: Sequence[ProtectedTerm]) -> set[str]:
    """Terms of ``source`` that ``output`` does not hold verbatim (or in their fixed form) as
    often as the source does.

    This lets an engine shield only what needs it: Apertium passes most names through untouched
    by itself, and a shielded span (a superblank) is a blank to its rules, which costs grammar
    around it ("según [José]" -> "as José"). Translate plainly first, then again with
    ``missing_terms`` shielded, then with everything shielded if a term is still missing.
    """
    wanted = Counter((t.replacement or t.text, t.text) for _, _, t in find_spans(source, terms))
    return {text for (form, text), n in wanted.items() if output.count(form) < n}


def _occurrences(text: str, term: str) -> Iterable[int]:
    if not term:
        return
    start = text.find(term)
    while start >= 0:
        end = start + len(term)
        left_ok = start == 0 or not (_wordy(text[start - 1]) and _wordy(term[0]))
        right_ok = end == len(text) or not (_wordy(text[end]) and _wordy(term[-1]))
        if left_ok and right_ok:
            yield start
        start = text.find(term, start + 1)


def _wordy(char: str) -> bool:
    return char.isalnum() or char == "_"


# ---------------------------------------------------------------------------------------------
# Detection


def detect_terms(paragraphs: Sequence[str], lang: str, target: str, *, site_name: str = "",
                 anchors: Sequence[str] = (), glossary: Sequence[GlossaryEntry] = (),
                 lexicon: ApertiumLexicon | None = None, context: Sequence[str] = (),
                 known: Sequence[str] = (), keywords: Sequence[str] = (),
                 common: Callable[[set[str]], Collection[str]] | None = None
                 ) -> list[ProtectedTerm]:
    """Every term of one article that must pass through translation untouched (or fixed).

    ``paragraphs`` is the article's plain text (title included if it is to be translated),
    ``anchors`` the texts of its links. ``context`` is more text of the page that is read for
    names but not translated (its description: "Shares of Target fell" makes the title's
    "Target" a name). ``known`` are names from outside the text (the author, names earlier
    articles kept), protected like link texts; ``keywords`` the page's keywords and tags, of
    which a single word counts only if the article never writes it in lower case nor after a
    determiner ("economía", "el Gobierno" are topics). Names are found with Apertium's
    dictionaries for ``lang`` (``lexicon``: pass a long-lived one, such as ``Router.lexicon``;
    when None one is made for the call, which starts and stops its ``lt-proc`` processes);
    without an installed analyser only the glossary, site name, publication list and anchors
    are used. ``common`` tells which lower-case words some dictionary of ``lang`` knows (such
    as ``Dictionaries.analysed``): a sentence's first word the pair's own dictionary lacks but
    another has in lower case is a common word, not a name.
    """
    terms: dict[str, ProtectedTerm] = {}
    add = partial(_add, terms)
    for term in _glossary_terms(paragraphs, lang, target, glossary):
        add(term)
    for text, written in find_dates(paragraphs, lang, target):
        add(ProtectedTerm(text, "date", written))
    for text, written in find_titles(paragraphs, lang, target):
        add(ProtectedTerm(text, "honorific", written))
    if site_name.strip():
        add(ProtectedTerm(site_name.strip(), "site"))
    for text in _publications(paragraphs):
        add(ProtectedTerm(text, "publication"))
    for text in _literals(paragraphs):
        add(ProtectedTerm(text, "literal"))
    read = [*paragraphs, *(c for c in context if c.strip())]
    analysed = _analyse(read, lang, target, lexicon)
    if analysed is not None:
        units, exonyms = analysed
        for text, text_units in zip(paragraphs, units, strict=False):
            for place in [*names_rules.dateline_literals(text, text_units),
                          *names_rules.hyphen_chains(text, text_units)]:
                add(ProtectedTerm(place, "literal"))
        for text in _anchor_names(read, units, anchors, exonyms):
            add(ProtectedTerm(text, "anchor"))
        doc = "\n".join(read)
        after_det = {w for us in units for w in names_rules.determiner_uses(us)}
        outside = [*known, *(k for k in keywords if not _used_in_lower_case(k, doc)
                             and k.strip() not in after_det)]
        for text in _anchor_names(read, units, outside, exonyms):
            add(ProtectedTerm(text, "known"))
        for cand in _name_candidates(read, units, lang, exonyms, common):
            add(ProtectedTerm(cand.text, cand.kind))
    return sorted(terms.values(), key=lambda t: (-len(t.text), t.text))


def _add(terms: dict[str, ProtectedTerm], term: ProtectedTerm) -> None:
    held = terms.get(term.text)
    if held is None or _PRIORITY[term.kind] > _PRIORITY[held.kind]:
        terms[term.text] = term


def _analyse(paragraphs: Sequence[str], lang: str, target: str,
             lexicon: ApertiumLexicon | None) -> tuple[list[list[Unit]], frozenset[str]] | None:
    if lexicon is not None:
        return _analyse_with(paragraphs, lexicon)
    try:
        own = ApertiumLexicon(lang, target)
    except EngineUnavailable:
        return None
    with own:
        return _analyse_with(paragraphs, own)


def _analyse_with(paragraphs: Sequence[str],
                  lexicon: ApertiumLexicon) -> tuple[list[list[Unit]], frozenset[str]]:
    units = lexicon.analyse(paragraphs)
    proper = names_rules.proper_readings(u for para in units for u in para)
    targets = lexicon.translate_lemmas(proper)
    exonyms = frozenset(r.analysis for r, t in zip(proper, targets, strict=True)
                        if t is not None and t != r.lemma)
    return units, exonyms


def _name_candidates(paragraphs: Sequence[str], units: Sequence[Sequence[Unit]], lang: str,
                     exonyms: frozenset[str],
                     common: Callable[[set[str]], Collection[str]] | None = None
                     ) -> list[names_rules.Candidate]:
    found = [c for i, text in enumerate(paragraphs)
             for c in names_rules.find_candidates(i, text, units[i], lang, exonyms)]
    doc = "\n".join(paragraphs)
    institutions = bare_institutions(lang)
    # An unknown plural opening a sentence ("Lawmakers from...", "Staffers said") is more often a
    # word missing from the dictionary than a name, unless the article also uses it elsewhere.
    # Nor is one that another dictionary of the language has in lower case: the pair's lacks
    # it ("Apuñalan a excampeón", "Desalojan avión" and "Étrangement, alors que" were kept as
    # names in English; unprotected, route choice finds them through another route).
    elsewhere = {c.text for c in found if c.rule != names_rules.INITIAL_UNKNOWN_RULE}
    # ("Gallardo habló" is a name where the article also writes "Marcelo Gallardo")
    in_names = {w for text in elsewhere for w in text.split()}
    opening = [c for c in found if c.rule == names_rules.INITIAL_UNKNOWN_RULE
               and c.text not in in_names and opens_sentence(paragraphs[c.paragraph][:c.start],
                                                             lang)]
    lowered = set(common({c.text.lower() for c in opening})) if common and opening else set()
    common_openers = {(c.paragraph, c.start) for c in opening if c.text.lower() in lowered}
    found = [c for c in found if c.rule != names_rules.INITIAL_UNKNOWN_RULE
             or c.text in elsewhere
             or not (c.text.endswith("s") or (c.paragraph, c.start) in common_openers)]
    # A lone word that is also a common noun is a name where the article uses it bare more
    # often than after a determiner: "Target" (shares of Target, Target said) and "Apple" (when
    # Apple shipped, the Apple Vision Pro), but not "Gulf" (the Gulf, the Gulf states) nor
    # "Tierra" (la Tierra). The determiner of a longer name ("the Apple Vision Pro") is not
    # the word's.
    voted = (names_rules.BARE_RULE, names_rules.AMBIGUOUS_RULE, names_rules.LONE_ADJECTIVE_RULE)
    bare = Counter(c.text for c in found if c.rule in voted)
    # an adjective standing for a noun once is a figure of speech ("both sides of the
    # Atlantic"); a name comes back ("the Wild are", "gave the Wild a lead")
    standing = Counter(c.text for c in found
                       if c.rule in (names_rules.ADJECTIVE_RULE, names_rules.PLURAL_RULE))
    after_det = Counter(w for us in units for w in names_rules.determiner_uses(us))
    runs, labels = _common_runs(found, paragraphs, lang)
    kept = [c for c in found
            if not (c.rule in (names_rules.CLAUSE_RULE, names_rules.ADJECTIVE_RULE,
                               names_rules.PLURAL_RULE)
                    and (_used_as_common(c, doc) or c.text in institutions))
            and not (c.rule in (names_rules.ADJECTIVE_RULE, names_rules.PLURAL_RULE)
                     and standing[c.text] < 2)
            and not (c.rule in voted and (bare[c.text] <= after_det[c.text]
                                          or (c.rule == names_rules.BARE_RULE
                                              and c.text in institutions)))
            and not (c.rule == names_rules.TRADE_NAME_RULE and _used_bare(c.text[:-2], doc))
            and not (c.rule == names_rules.COMMON_RUN_RULE
                     and (_used_as_common(c, doc) or len(runs) > _MAX_COMMON_RUNS
                          or c.text.split()[0] in labels))
            and not (c.rule == names_rules.LONE_ADJECTIVE_RULE
                     and (_used_as_common(c, doc) or _ends_a_phrase(c.text, doc)))]
    return kept + _short_names(kept, doc, units)


# Runs of capitalised common words in mid-sentence (``rules.COMMON_RUN_RULE``): a news article
# names a few firms so ("General Motors", "Virgin Media"); a page with more writes its phrases
# in Title Case for emphasis (a recipe's "Powdered Sugar", a roundup's "AI in Patient Care", a
# game's "Large Milk"), and none of them is taken for a name.
_MAX_COMMON_RUNS = 4


def _common_runs(found: Sequence[names_rules.Candidate], paragraphs: Sequence[str], lang: str
                 ) -> tuple[set[str], set[str]]:
    """The runs of capitalised common words found in mid-sentence, which the cap counts, and
    the first words that open two or more different such runs at a sentence's start. Opening
    a sentence, a run is a name only before a verb, and a page that lists labels opens many so
    ("Summary Fiber", "Summary Studies", "Summary Yoga" before "is" or "helps"): the label
    names nothing. Nor does a long list of such openings mean the page writes in Title Case,
    so they are not counted ("Mountain View" in mid-sentence was lost on a page opening
    several sentences with "Summary ...")."""
    runs: set[str] = set()
    openers: dict[str, set[str]] = {}
    for cand in found:
        if cand.rule != names_rules.COMMON_RUN_RULE:
            continue
        if opens_sentence(paragraphs[cand.paragraph][:cand.start], lang):
            openers.setdefault(cand.text.split()[0], set()).add(cand.text)
        else:
            runs.add(cand.text)
    return runs, {first for first, texts in openers.items() if len(texts) > 1}


def _used_bare(name: str, doc: str) -> bool:
    """Whether the article writes ``name`` without the "'s" of a shop's or a firm's name: then
    "'s" is a genitive ("Amazon's strategy", "Amazon's $119-a-year plan"), and the article's
    "Amazon" is the name. McDonald's, Wendy's and Bloomingdale's are never written without
    it."""
    return re.search(rf"(?<!\w){re.escape(name)}(?![\w'’])", doc) is not None


_SHORTENED = (names_rules.PLACE_HEAD_RULE, names_rules.SETTLEMENT_RULE)


def _short_names(found: Sequence[names_rules.Candidate], doc: str,
                 units: Sequence[Sequence[Unit]]) -> list[names_rules.Candidate]:
    """The last word of a place's name made of common words, where the article also names the
    place by it alone and never writes it in lower case: "el camping de Puerto Pirámides" then
    "Pirámides cuenta además con cisternas" (which came out "Pyramids counts"). The checker
    asks for it as written (``quality.names``: every mid-sentence use is in the whole name).
    Not a saint's name ("Santa María Madre de Dios": "una profanación de Dios" is God's) nor
    a word that may be an adjective ("Llano Grande")."""
    if not any(c.rule in _SHORTENED for c in found):
        return []
    adjectives = {u.surface for para in units for u in para
                  if any(r.pos == "adj" for r in u.readings)}
    out = []
    for cand in found:
        words = cand.text.split()
        last = words[-1] if len(words) > 1 else ""
        if cand.rule in _SHORTENED and last[:1].isupper() and len(last) > 3 \
                and words[0] not in names_rules.SAINTS and last not in adjectives \
                and not _used_in_lower_case(last, doc) \
                and len(re.findall(rf"(?<!\w){re.escape(last)}(?!\w)", doc)) > doc.count(cand.text):
            out.append(names_rules.Candidate(last, cand.paragraph, cand.start, cand.end,
                                             cand.kind, cand.rule))
    return out


def _used_in_lower_case(keyword: str, doc: str) -> bool:
    """A one-word keyword the article also writes in lower case is a topic ("economía"), not a
    name."""
    word = keyword.strip()
    return " " not in word and re.search(rf"(?<!\w){re.escape(word.lower())}(?!\w)",
                                         doc) is not None


def _ends_a_phrase(word: str, doc: str) -> bool:
    """The article also writes ``word`` after a capitalised word in mid-sentence, maybe across
    "de" or "y": "el Poder Judicial", "el Instituto Nacional de Estadística", "Geografía y
    Estadística", a Title Case phrase the engine translates whole (then "un partido Judicial"
    and "añadió Estadística" are emphasis or a short name)."""
    return any(m.group(1).lower() not in _ARTICLE_WORDS for m in re.finditer(
        rf"(?<=[\w,;] )([^\W\d_]\w*) (?:(?:de|del|de la|de los|de las|y|e) )?"
        rf"{re.escape(word)}(?!\w)", doc) if m.group(1)[0].isupper())


def _used_as_common(cand: names_rules.Candidate, doc: str) -> bool:
    """The word also appears in lower case elsewhere: a headline's bare noun, not a name."""
    return re.search(rf"(?<!\w){re.escape(cand.text.lower())}(?!\w)", doc) is not None


def _literals(paragraphs: Sequence[str]) -> list[str]:
    """Web and e-mail addresses, DOIs, domain names, handles and hashtags in the text."""
    return sorted({m.group(0) for text in paragraphs for m in _LITERAL.finditer(text)})


def _publications(paragraphs: Sequence[str]) -> list[str]:
    found: set[str] = set()
    doc = "\n".join(paragraphs)
    for name, ambiguous in publications():
        # most of the list is in no article: one substring test on the whole text spares
        # looking for each name paragraph by paragraph
        if name not in doc:
            continue
        for text in paragraphs:
            for start in _occurrences(text, name):
                if not ambiguous or _bare_mid_sentence(text, start):
                    found.add(name)
    return sorted(found)


def _bare_mid_sentence(text: str, start: int) -> bool:
    """Neither at a sentence start nor after an article or "de": "told Wired", not "la Marca"."""
    if _sentence_start(text, start):
        return False
    words = text[:start].split()
    return not words or words[-1].lower().strip("'’") not in _ARTICLE_WORDS


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in _SENTENCE_OPENERS


def _anchor_names(paragraphs: Sequence[str], units: Sequence[Sequence[Unit]],
                  anchors: Sequence[str], exonyms: frozenset[str]) -> list[str]:
    """Link texts that are names: capitalised words only, not after a lower-case determiner."""
    found: list[str] = []
    for anchor in {a.strip() for a in anchors if a.strip()}:
        if not _name_shaped(anchor):
            continue
        for text, para_units in zip(paragraphs, units, strict=True):
            if any(_anchor_ok(text, para_units, start, start + len(anchor), exonyms)
                   for start in _occurrences(text, anchor)):
                found.append(anchor)
                break
    return found


def _name_shaped(text: str) -> bool:
    words = text.split()
    if not words or len(words) > _MAX_ANCHOR_WORDS or not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or any(c.isupper() for c in w)
               or w.lower() in names_rules.ALL_CONNECTORS for w in words)


def _anchor_ok(text: str, units: Sequence[Unit], start: int, end: int,
               exonyms: frozenset[str]) -> bool:
    before = [u for u in units if u.end <= start]
    if before and before[-1].surface[:1].islower() and any(
            "det" in r.tags for r in before[-1].readings):
        return False  # "el [Banco de España]": a common noun's phrase, translate it
    inside = [u for u in units if start <= u.start and u.end <= end]
    if inside and all(names_rules.is_function_word(u) for u in inside):
        return False  # "En", "Hoy": a sentence's first word once kept, never a name
    classes = [names_rules.classify(u, exonyms) for u in inside]
    words = [c for c in classes if c is not None]
    if words == [names_rules.Word.COMMON] and _before_a_name(text, units, end, exonyms):
        return False  # a title ("President Barack Obama"), as the text's own rules judge it
    return bool(words) and not all(c is names_rules.Word.EXONYM for c in words)


def _before_a_name(text: str, units: Sequence[Unit], end: int, exonyms: frozenset[str]) -> bool:
    """Whether a name (a word that is unknown or only a proper noun) follows ``end`` after a
    blank: the word before it is its title or its head."""
    after = next((u for u in units if u.start >= end), None)
    return after is not None and text[end:after.start] == " " and names_rules.classify(
        after, exonyms) is names_rules.Word.STRONG


def _glossary_terms(paragraphs: Sequence[str], lang: str, target: str,
                    glossary: Sequence[GlossaryEntry]) -> list[ProtectedTerm]:
    """The glossary entries for this pair, as the forms they take in the text."""
    terms: list[ProtectedTerm] = []
    for entry in glossary:
        if entry.source_lang not in ("", lang) or entry.target_lang not in ("", target):
            continue
        if entry.case_sensitive:
            terms.append(ProtectedTerm(entry.term, "glossary", entry.translation))
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(entry.term)}(?!\w)", re.IGNORECASE)
        forms = {m.group(0) for text in paragraphs for m in pattern.finditer(text)}
        terms.extend(ProtectedTerm(f, "glossary", entry.translation) for f in sorted(forms))
    return terms
