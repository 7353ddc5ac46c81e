"""Neutral inline markup to Apertium's raw stream format and back.

Apertium keeps formatting in blanks. A *word-bound blank* ``[[g1 k2]]words[[/]]`` is attached by
``apertium-wblank-attach`` to every word it covers and travels with those words when transfer
reorders them; a *superblank* ``[...]`` passes through untouched but keeps its place among the
words, whatever the words do. So:

- ``<g>`` elements become word-bound blanks: the link stays on the words that translate its text;
- ``<k>`` protected terms become word-bound blanks too, which keeps the real word in the sentence
  for the tagger (a name where a name is, good grammar around it); the words that come back
  carrying the blank are replaced by the original term, which makes the term verbatim;
- ``<x>`` placeholders and empty elements become superblanks.

Where transfer scatters a term's words ("Morgan Stanley" -> "Stanley del Morgan"), the nearest
cluster takes the term and the stray words go. A link's words can come back split too: that is
left in the neutral output (as two ``<g>`` with one id) for the caller to repair and record.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from babelwire.translate import markup
from babelwire.translate.markup import Node
from babelwire.translate.names.dates import MONTHS, WEEKDAYS
from babelwire.translate.names.wordlists import DETERMINERS

# How this module reads Apertium's answers, as the translation memory keys them: changed when
# a fix changes what the same answer decodes to, so that answers kept before are not served
# ("2": its "@" marks and the handles' punctuation, 2026-12-06; "3": the underscores beside a
# name from code, 2026-12-06; "4": the slash that opens a path, and the words before a term
# that Apertium generated with its first word, 2026-12-06; "5": the capital Apertium puts after
# an unknown word opening a sentence, 2026-12-06; "6": the words transfer put between a term's
# words are kept, 2026-12-06; "7": English "no." before no number is a word and a stop, and
# English "on" before a noun phrase a preposition (``readings``), and the capital after a
# term and a comma, 2026-12-06; "8": English "I" after a dash the pronoun, 2026-12-06; "9": an
# English post before a name no surname, 2026-12-06; "10": English words with a prefix and a
# hyphen written solid where the analyser knows them so, 2026-12-06; "11": a capitalised word
# inside a term's words that begins as no capitalised word of the source outside it goes,
# 2026-12-07; "12": the article transfer puts before a term in capitals that had none goes,
# 2026-12-07; "13": the subject pronoun transfer puts after a term that is the subject goes,
# 2026-12-07).
READING = "stream 13"
_SPECIAL = re.compile(r"([\[\]$/@\\<>{}])")
# A segment whose last word is a caret ("\^": Wikipedia's "^" back-links) makes apertium-transfer
# drop the segment's end, and the pipeline waits for it until the timeout. The caret travels as a
# private-use character instead, which every stage passes through as punctuation.
_CARET = "\ue002"
# A generation error: "#" then the lemma (maybe none) and its tags ("x y" fr->es: "#\<prn\>").
_GENERATION_ERROR = re.compile(r"#([^\W\d_][\w'’-]*)?((?:\\<[\w:+-]+\\>)+)")
# Blanks in Apertium's output; an escaped character comes first, so that "\[" (a bracket of
# the text) is never read as the start of a blank ("Details\[[[g2]]edit[[/]]\]").
_OUTPUT = re.compile(r"\\.|\[\[/\]\]|\[\[((?:[^\]\\]|\\.)*)\]\]|\[((?:[^\]\\]|\\.)*)\]")
# A generation error on a lemma the dictionaries use inside only ("#prpers": a personal pronoun
# the generator could not inflect) leaves no word a reader could read: it goes.
_INTERNAL_LEMMA = re.compile(r"#prpers\b ?")
# Apertium's marks before a word: "*" (unknown to the analyser), "@" (a lemma the bilingual
# dictionary lacks: "\@subject" in en->es, "\@darse" in es->en) and "#" (not generated), or an
# escaped character of the text. The "@" mark comes out escaped, exactly as a literal "@" of the
# text does ("@home" -> "\@casa"), so an escaped "@" before a word is a mark unless the source
# has a literal "@" before a word outside its protected terms (``Encoded.at_words``).
_MARK = re.compile(r"\\(.)|([*@#])(?=\w)", re.DOTALL)
_AT_WORD = re.compile(r"(?<![\w@])@(?=[^\W\d_])")
# English "no." is the abbreviation of "number" to Apertium's English analyser ("No. 10"), also
# where it is the word "no" ending a sentence ("he said no." -> "dijo núm."). Where no number
# follows, an empty superblank between the word and its stop makes two tokens of them.
_NO_STOP = re.compile(r"(?<![\w'’.-])([Nn][Oo])(?=\.(?!\s*[\d#]))")
_TERM_STOP = re.compile(r"^[.!?]+(?=\w)")
_TERM_EDGE = "@#_/"         # signs at a term's edges that Apertium passes through as punctuation
_UNESCAPE = re.compile(r"\\(.)")
_CURLY = re.compile(r"(?<=[^\W\d_])’(?=[^\W\d_])")      # an apostrophe between two letters
_STRAIGHT = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
UNKNOWN = "\ue001"      # marks, inside decoded text, a word Apertium did not know
_MAX_GAP_WORDS = 2


@dataclass(frozen=True)
class Piece:
    """A stretch of Apertium output with the ids of the elements it belongs to."""

    text: str
    ids: frozenset[str] = frozenset()
    void: str = ""                       # "x3" / "g5" for a superblank placeholder


@dataclass
class Encoded:
    """One segment in stream format, with what decoding needs to know about it."""

    stream: str
    terms: dict[str, str] = field(default_factory=dict)      # "k2" -> verbatim content
    depth: dict[str, tuple[int, int]] = field(default_factory=dict)  # id -> (depth, order)
    lowercase_start: bool = False
    lowercase_after_term: bool = False    # "Qualcomm said" (a term, then a lower-case word)
    # capitalised words before a lower-case word ("Ambientalistas recomendaron")
    before_lower: frozenset[str] = frozenset()
    curly: bool = False                   # the source writes apostrophes as "’"
    glued: set[str] = field(default_factory=set)   # ids glued to a word in the source
    at_words: bool = False                # a literal "@" before a word, outside the terms
    # per term, how the source's capitalised words outside it begin ("the Voices for Africa
    # Association": "as"): a capitalised word transfer puts between the term's words may be
    # one of them ("Asociación")
    capitals_outside: dict[str, set[str]] = field(default_factory=dict)
    # terms in capitals with no determiner right before them in the source ("General Motors
    # said", "shares of Whole Foods")
    bare_terms: set[str] = field(default_factory=set)
    # terms that may be a subject: no preposition right before them in the source, and a word
    # (no pronoun, no punctuation) right after them ("Toyota dice", "Montecon transmitió")
    subject_terms: set[str] = field(default_factory=set)


def escape(text: str) -> str:
    """Text escaped for Apertium's raw stream format."""
    return _NO_STOP.sub(r"\1[]", _SPECIAL.sub(r"\\\1", text.replace("^", _CARET)))


def encode(segment: str) -> Encoded:
    """A neutral-markup segment as one line of Apertium stream (newlines become spaces)."""
    enc = Encoded("")
    out: list[str] = []
    nodes = _widen(markup.parse(segment))
    _encode_nodes(nodes, (), enc, out)
    enc.stream = "".join(out).replace("\n", " ").replace("\0", " ")
    # Apertium's analysers know elisions and genitives with "'" only: "l’Italie" is read as an
    # unknown word ("e italia"), "l'Italie" as "la" + "Italia". The answer gets "’" back.
    enc.curly = bool(_CURLY.search(enc.stream))
    enc.stream = _CURLY.sub("'", enc.stream)
    flat = _flat(nodes)
    enc.glued = _glued_ids(flat)
    enc.capitals_outside = _capitals_outside(flat)
    enc.bare_terms = _bare_terms(flat, enc.terms)
    enc.subject_terms = _subject_terms(flat, enc.terms)
    plain = markup.plain_text(nodes)
    enc.at_words = len(_AT_WORD.findall(plain)) > sum(len(_AT_WORD.findall(term))
                                                      for term in enc.terms.values())
    first = re.search(r"[^\W\d_]", plain)
    enc.lowercase_start = bool(first and first.group(0).islower())
    lead = _leading_term(nodes)
    if lead is not None:
        rest = markup.plain_text(nodes)[len(markup.plain_text([lead])):]
        # ("Orange, el operador"; not an elided article before a capital: "Szabo, l'Allemagne"
        # is "Alemania" in Spanish, a capital of the source's)
        after = re.match(r"[\s,]*(?:[cdjlmnst]['’](?=[^\W\d_]))?([^\W\d_])", rest)
        enc.lowercase_after_term = bool(after and after.group(1).islower())
    enc.before_lower = frozenset(_BEFORE_LOWER.findall(plain))
    return enc


# A capitalised word and a lower-case word after it ("Ambientalistas recomendaron").
_BEFORE_LOWER = re.compile(r"(?<![\w'’-])([A-ZÀ-Þ][\w'’-]*)(?=\s+[^\W\d_A-ZÀ-Þ])")


_LAST_LETTERS = re.compile(r"[^\W\d_]+$")
_FIRST_LETTERS = re.compile(r"^[^\W\d_]+")


def _widen(nodes: list[Node]) -> list[Node]:
    """A link or emphasis that starts or ends inside a word ("i<g>niciar un negocio</g>",
    pages do that) covers the whole word: Apertium would read its two parts as two words
    ("and niciar"). The translated word then carries the element whole."""
    for node in nodes:
        if node.kind == "g":
            _widen(node.children)
    for left, right in itertools.pairwise(nodes):
        if left.kind == "text" and right.kind == "g" and right.children \
                and right.children[0].kind == "text":
            inner = right.children[0]
            moved = _LAST_LETTERS.search(left.text)
            if moved and _FIRST_LETTERS.match(inner.text):
                left.text, inner.text = left.text[:moved.start()], moved.group(0) + inner.text
        elif left.kind == "g" and right.kind == "text" and left.children \
                and left.children[-1].kind == "text":
            inner = left.children[-1]
            moved = _FIRST_LETTERS.match(right.text)
            if moved and _LAST_LETTERS.search(inner.text):
                inner.text, right.text = inner.text + moved.group(0), right.text[moved.end():]
    return [n for n in nodes if n.kind != "text" or n.text]


def _leading_term(nodes: list[Node]) -> Node | None:
    """The protected term the segment starts with, inside any links it starts with."""
    while nodes and nodes[0].kind == "g":
        nodes = nodes[0].children
    return nodes[0] if nodes and nodes[0].kind == "k" else None


def _encode_nodes(nodes: list[Node], active: tuple[str, ...], enc: Encoded,
                  out: list[str]) -> None:
    for node in nodes:
        if node.kind == "text":
            out.append(_wordbound(node.text, active))
        elif node.kind == "x":
            out.append(f"[x{node.id}]")
        elif node.kind in ("g", "k"):
            key = f"{node.kind}{node.id}"
            enc.depth.setdefault(key, (len(active), len(enc.depth)))
            if node.kind == "k":
                enc.terms[key] = markup.plain_text(node.children)
            if not markup.plain_text(node.children).strip():
                out.append(f"[{key}]")
            else:
                _encode_nodes(node.children, (*active, key), enc, out)
        else:
            _encode_nodes(node.children, active, enc, out)


_Flat = list[tuple[str, frozenset[str]]]


def _glued_ids(flat: _Flat) -> set[str]:
    """Ids of elements touching a letter or digit outside them in the source ("iPhone<g>s</g>")."""
    glued: set[str] = set()
    for (left, lids), (right, rids) in itertools.pairwise(flat):
        if left and right and left[-1].isalnum() and right[0].isalnum():
            glued |= lids ^ rids
    return glued


def _flat(nodes: list[Node]) -> _Flat:
    """The segment's text, piece by piece, with the ids of the elements around each piece."""
    flat: _Flat = []

    def collect(items: list[Node], active: frozenset[str]) -> None:
        for node in items:
            if node.kind == "text":
                flat.append((node.text, active))
            elif node.kind in ("g", "k"):
                collect(node.children, active | {f"{node.kind}{node.id}"})

    collect(nodes, frozenset())
    return flat


def _around(flat: _Flat, key: str) -> tuple[str, str] | None:
    """The source's text before and after the element ``key``; None where it is not."""
    inside = [i for i, (_, ids) in enumerate(flat) if key in ids]
    if not inside:
        return None
    return ("".join(text for text, ids in flat[:inside[0]] if key not in ids),
            "".join(text for text, ids in flat[inside[-1] + 1:] if key not in ids))


def _capitals_outside(flat: _Flat) -> dict[str, set[str]]:
    """Per protected term, the beginnings (``_beginning``) of the capitalised words of the
    source outside it, and of their parts ("Attorney-General George Brandis": "General"), for
    transfer may put one between the term's words ("Mexico's new president Enrique Pena
    Nieto" -> "el presidente nuevo Enrique de México Pena Nieto")."""
    found: dict[str, set[str]] = {}
    for key in {k for _, ids in flat for k in ids if k.startswith("k")}:
        found[key] = {_beginning(part) for text, ids in flat if key not in ids
                      for w in _LETTERS.findall(text) if w[:1].isupper()
                      for part in (w, *re.split(r"['’-]", w)) if part}
    return found


def _beginning(word: str) -> str:
    """A word's first two letters, in lower case and without accents: a name and its
    translation mostly share them ("Mexico", "México"; "Association", "Asociación")."""
    return unicodedata.normalize("NFD", word[:2]).encode("ascii", "ignore").decode().lower()


# Determiners of the source languages, in one set: a term after one of them takes the article
# the target gives it ("the Voices for Africa Association", "la Policía", "l'Élysée"). One set
# for all sources errs on keeping the engine's article (English "a", Spanish "a": "to").
_SOURCE_DETERMINERS = DETERMINERS | frozenset({
    "every", "each", "any", "some", "no", "estos", "estas", "ese", "esa", "esos", "esas",
    "aquel", "aquella",
    "els", "dels", "als", "pel", "pels", "d"})
_SOURCE_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_CLAUSE_EDGE = re.compile(r"[.,;:!?«»“”\"()\[\]—–]")
_LOOK_BACK = 3          # words before a term in which a determiner of its noun phrase may be


def _bare_terms(flat: _Flat, terms: dict[str, str]) -> set[str]:
    """Ids of protected terms opening with a capital with no determiner before them in the
    source, within the clause and ``_LOOK_BACK`` words: "the blue-chip Dow Jones" and "the
    current crisis Credit" (transfer put the head first: "el Credit de crisis") have one."""
    found: set[str] = set()
    for key, term in terms.items():
        around = _around(flat, key)
        if around is None or not term.lstrip()[:1].isupper():
            continue
        before = around[0]
        clause = _CLAUSE_EDGE.split(before)[-1]
        words = [w.lower() for part in _SOURCE_WORD.findall(clause)
                 for w in re.split(r"['’]", part) if w][-_LOOK_BACK:]
        if not _SOURCE_DETERMINERS.intersection(words):
            found.add(key)
    return found


# Prepositions and subject pronouns of the source languages, in one set each: a term after a
# preposition is no subject, and a pronoun after a term was the source's.
_SOURCE_PREPOSITIONS = frozenset({
    "de", "del", "desde", "en", "con", "por", "para", "a", "al", "sobre", "entre", "hacia",
    "según", "sin", "tras", "ante", "contra", "hasta", "des", "amb", "per", "cap", "segons",
    "sense", "fins", "of", "from", "in", "with", "by", "for", "to", "on", "at", "about", "into",
    "over", "under", "than", "du", "à", "au", "aux", "dans", "avec", "pour", "par", "sur",
    "selon", "sans", "chez", "vers"})
_SOURCE_PRONOUNS = frozenset({
    "él", "ella", "ellos", "ellas", "ell", "ells", "elles", "il", "ils", "elle", "he", "she",
    "it", "they", "we", "you", "i", "yo", "tú", "nosotros", "vosotros", "usted", "ustedes",
    "je", "tu", "nous", "vous", "on", "jo", "nosaltres", "vosaltres", "vostè"})


_CALENDAR = frozenset((*WEEKDAYS, *MONTHS))


def _subject_terms(flat: _Flat, terms: dict[str, str]) -> set[str]:
    """Ids of protected terms opening with a capital that may be a sentence's subject: no
    preposition right before them in the source, a word right after them that is no
    pronoun, and no punctuation between. Not a date nor a time, which is more often when
    something happens ("El lunes 30 no habrá" -> "Monday the 30th it will not": the
    pronoun is the verb's)."""
    found: set[str] = set()
    for key, term in terms.items():
        around = _around(flat, key)
        words = _SOURCE_WORD.findall(term)
        if around is None or not term.lstrip()[:1].isupper() \
                or words[0].lower() in _SOURCE_PREPOSITIONS \
                or _CALENDAR.intersection(words):
            continue
        before, after = around
        last = _SOURCE_WORD.findall(_CLAUSE_EDGE.split(before)[-1])[-1:]
        following = re.match(r"\s+([^\W\d_]+)", after)
        if following and following.group(1).lower() not in _SOURCE_PRONOUNS \
                and not (last and last[0].lower() in _SOURCE_PREPOSITIONS):
            found.add(key)
    return found


def _drop_pronoun(pieces: list[Piece], key: str, term: str, tgt: str) -> list[Piece]:
    """Without the subject pronoun transfer wrote right after a term that is the verb's
    subject."""
    pronoun = markup.INSERTED_PRONOUN.get(tgt)
    at = next((i for i, p in enumerate(pieces) if key in p.ids and p.text == term), None)
    if pronoun is None or at is None:
        return pieces
    after = at + 1
    while after < len(pieces) and not pieces[after].text and not pieces[after].void:
        after += 1
    if after >= len(pieces) or pieces[after].void:
        return pieces
    piece = pieces[after]
    found = pronoun.match(piece.text)
    if not found or not found.group(1):
        return pieces
    out = list(pieces)
    out[after] = Piece(piece.text[found.end():], piece.ids, piece.void)
    return out


# The definite article Apertium's transfer puts before a noun phrase it reads as common (a
# plural subject in Spanish: "Los General Motors dijeron", "La Big Machine ha negado",
# "Les General Motors ils ont dit"), and the contractions of a preposition with it, by target.
_WORD_EDGE = r"(?<![^\s(«“\"'‘])"
_ARTICLE_BEFORE = {
    "es": re.compile(rf"(?i){_WORD_EDGE}(el|la|los|las|del|al) +$"),
    "fr": re.compile(rf"(?i){_WORD_EDGE}(le|la|les|du|des|au|aux) +$|{_WORD_EDGE}(l)['’]$"),
    "ca": re.compile(rf"(?i){_WORD_EDGE}(el|la|els|les|del|dels|al|als|pel|pels) +$"
                     rf"|{_WORD_EDGE}(l)['’]$"),
}
# what a contraction leaves when its article goes
_PREPOSITION = {"del": "de", "dels": "de", "du": "de", "des": "de", "al": "a", "als": "a",
                "au": "à", "aux": "à", "pel": "per", "pels": "per"}


def _drop_article(pieces: list[Piece], key: str, term: str, tgt: str) -> list[Piece]:
    """Without the article transfer put before a term that had none in the source, outside
    the term's blank: it read the term's words as common ones, and a name takes none
    ("General Motors dijo", "d'Amazon"). An article under the blank is the generator's, with
    a proper noun it knows ("de l'Uruguay", "l'Iran"): it stays (``_outside_words``)."""
    article = _ARTICLE_BEFORE.get(tgt)
    at = next((i for i, p in enumerate(pieces) if key in p.ids and not p.void), None)
    if article is None or at is None or _outside_words(pieces[at].text, term):
        return pieces           # ("le [de Madrid]": the article is a pronoun's, "the one of")
    before = at - 1
    while before >= 0 and not pieces[before].text and not pieces[before].void:
        before -= 1
    if before < 0 or pieces[before].void:
        return pieces
    piece = pieces[before]
    found = article.search(piece.text)
    if not found:
        return pieces
    word = found.group(1) or found.group(2)
    left = _PREPOSITION.get(word.lower(), "")
    if left and tgt in ("fr", "ca") and left == "de" and _VOWEL_START.match(term):
        left = "d'"
    elif left:
        left += " "
    if left and word[:1].isupper():
        left = left[:1].upper() + left[1:]
    out = list(pieces)
    out[before] = Piece(piece.text[:found.start()] + left, piece.ids, piece.void)
    return out


_VOWEL_START = re.compile(r"(?i)[aeiouàâéèêëîïôöùûüh]")


def _wordbound(text: str, active: tuple[str, ...]) -> str:
    if not active or not text.strip():
        return escape(text)
    core = text.strip()
    if any(key[0] == "k" for key in active):
        # a protected term's words are only the tagger's to read (the term comes back
        # verbatim): a stop that starts it (".DJI", ".NET") would end Apertium's sentence there
        # and capitalise the next word ("Industrial .DJI Cayó 102 puntos")
        core = _TERM_STOP.sub("", core)
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return f"{lead}[[{' '.join(active)}]]{escape(core)}[[/]]{trail}"


def decode(output: str, enc: Encoded, *, head_first: bool = True, tgt: str = "") -> str:
    """Apertium's answer to ``enc`` as neutral markup; ``head_first``: the target puts a noun
    before the words that qualify it (Spanish, French), not after them (English); ``tgt`` the
    target language, whose articles are known (``_ARTICLE_BEFORE``)."""
    pieces = _pieces(output.strip("\n"), enc)
    for key, term in enc.terms.items():
        if key in enc.bare_terms:
            pieces = _drop_article(pieces, key, term, tgt)
        # (English writes words with a capital that the source writes in lower case: "el
        # Nobel de la Paz ruso" -> "the Russian Nobel Peace Prize")
        capitals = None if tgt == "en" else enc.capitals_outside.get(key, set())
        pieces = _restore_term(pieces, key, term, head_first=head_first,
                               capitals_outside=capitals)
        if key in enc.subject_terms:
            pieces = _drop_pronoun(pieces, key, term, tgt)
    pieces = _separate(pieces, enc.glued)
    pieces = _strip_edges(pieces)
    pieces = _case_first(pieces, lower=enc.lowercase_start)
    if enc.lowercase_after_term:
        pieces = _lowercase_after_term(pieces)
    if enc.before_lower:
        pieces = _lowercase_after_unknown(pieces, enc.before_lower)
    answer = _to_markup(_bridge(pieces), enc.depth)
    return _STRAIGHT.sub("’", answer) if enc.curly else answer


def _pieces(output: str, enc: Encoded) -> list[Piece]:
    pieces: list[Piece] = []
    pos, ids = 0, frozenset[str]()
    for match in _OUTPUT.finditer(output):
        if match.group(0)[0] == "\\":
            continue                     # an escaped character: text, left for _text
        if match.start() > pos:
            pieces.append(Piece(_text(output[pos:match.start()], enc), ids))
        pos = match.end()
        if match.group(0) == "[[/]]":
            ids = frozenset()
        elif match.group(1) is not None:
            ids = frozenset(match.group(1).split())
        else:
            pieces.append(Piece("", ids, void=_UNESCAPE.sub(r"\1", match.group(2))))
    if pos < len(output):
        pieces.append(Piece(_text(output[pos:], enc), ids))
    return pieces


def _text(raw: str, enc: Encoded) -> str:
    """Apertium's text between two blanks, unescaped, its marks read: the word after a "*" or
    "@" mark starts with ``UNKNOWN``, a "#" mark goes (the lemma stays: a word of the target)."""
    raw = _GENERATION_ERROR.sub(lambda m: m.group(1) or "", raw)
    raw = _INTERNAL_LEMMA.sub("", raw)
    out: list[str] = []
    pos, last = 0, ""
    for match in _MARK.finditer(raw):
        if match.start() > pos:
            out.append(raw[pos:match.start()])
            last = raw[match.start() - 1]
        pos = match.end()
        char = match.group(1) if match.group(1) is not None else match.group(2)
        escaped = match.group(1) is not None
        word_next = bool(re.match(r"\w", raw[pos:pos + 1]))
        at_start = not re.match(r"\w", last)
        if not (at_start and word_next):
            mark = False
        elif char == "@":
            mark = not (escaped and enc.at_words)
        else:
            mark = not escaped
        if mark:
            out.append("" if char == "#" else UNKNOWN)
        else:
            out.append(char)
        last = char
    out.append(raw[pos:])
    return "".join(out).replace(_CARET, "^")


_LOWER_LEAD = re.compile(r"^(?:[^\W\d_A-ZÀ-ÝŒ]+(?:['’]|\s+))+(?=[A-ZÀ-ÝŒ])")


def _outside_words(text: str, term: str) -> str:
    """Lower-case words that open the first piece of a term that opens with a capital: the
    preposition and article before it, which Apertium generated with the term's first word and
    under its blank ("la Policía del [Valle de Aburrá]" came back "la Police [de la Vallée de
    Aburrá]", and "de la" went with the words the term replaced: "la Police Valle de Aburrá")."""
    if not term[:1].isupper():
        return ""
    lead = _LOWER_LEAD.match(text.lstrip())
    return lead.group(0) if lead else ""


def _restore_term(pieces: list[Piece], key: str, term: str, *,
                  head_first: bool = True,
                  capitals_outside: set[str] | None = None) -> list[Piece]:
    """Replace the words carrying ``key`` by the verbatim term (nearest cluster wins).

    Words of the source that transfer put between the term's words are kept, beside the term:
    before it where the target puts a noun's head first ("The Voices for Africa Association"
    -> "la Asociación Voices for Africa", "said Brian E. Smith" -> "dijo Brian E. Smith"),
    after it otherwise ("Al-Qaeda organisation"). A placeholder there stays where it is.
    Such a word with a capital comes from a capitalised word of the source; where it does not
    begin as one of those outside the term does (``capitals_outside``: None for any), it is a
    word of the term that lost the term's blank: English -> Catalan writes a past tense "van"
    + infinitive, and only "van" kept the blank ("Passengers on United Airlines" -> "damunt
    [van] Unir [les aerolínies]", then "sur Unir United Airlines" in French).
    """
    hits = [i for i, p in enumerate(pieces) if key in p.ids and not p.void]
    if not hits:
        return pieces
    clusters = _clusters(pieces, hits)
    best = max(clusters, key=len)
    out = list(pieces)
    strays: list[Piece] = []
    for cluster in clusters:
        for index in range(cluster[0], cluster[-1] + 1):
            piece = pieces[index]
            words = "" if key in piece.ids or piece.void else _interleaved(piece.text)
            if capitals_outside is not None:
                words = " ".join(w for w in words.split()
                                 if not w[:1].isupper() or _beginning(w) in capitals_outside)
            if words:
                strays.append(Piece(words, piece.ids))
            out[index] = piece if piece.void else Piece("", frozenset())
    out[best[0]] = Piece(term, pieces[best[0]].ids)
    term_piece = out[best[0]]
    outside = _outside_words(pieces[best[0]].text, term)
    # Apertium reads the "@" of a handle, the "#" of a hashtag, the underscores of a name from
    # code and the slash that opens a path as punctuation, which the word-bound blank does not
    # cover: they come back beside the term, which has its own ("@@keizi666", "##Esperanza",
    # "____init__.py", "//etc/hosts.allow").
    lead = term[:len(term) - len(term.lstrip(_TERM_EDGE))]
    trail = term[len(term.rstrip(_TERM_EDGE)):]
    before = best[0] - 1
    while before >= 0 and not out[before].text and not out[before].void:
        before -= 1
    if lead and before >= 0 and out[before].text.endswith(lead):
        out[before] = Piece(out[before].text[:-len(lead)], out[before].ids, out[before].void)
    after = best[-1] + 1
    while after < len(out) and not out[after].text and not out[after].void:
        after += 1
    if trail and after < len(out) and out[after].text.startswith(trail):
        out[after] = Piece(out[after].text[len(trail):], out[after].ids, out[after].void)
    if outside:         # outside the term's element: a pivot's next leg translates them
        out.insert(best[0], Piece(outside, pieces[best[0]].ids - {key}))
    if strays:
        at = next(i for i, p in enumerate(out) if p is term_piece)
        if head_first:
            out[at:at] = [Piece(p.text + " ", p.ids) for p in strays]
        else:
            out[at + 1:at + 1] = [Piece(" " + p.text, p.ids) for p in strays]
    return out


# the words transfer generates when it reorders a name's words ("Stanley del Morgan", "Anto
# Wijaya's case"), and the subject pronouns it adds ("11:34 Il EL PAÍS", "Par : tu Victor")
_GLUE = frozenset({"de", "del", "of", "the", "la", "le", "les", "el", "los", "las", "lo", "du",
                   "des", "un", "une", "una", "uno", "a", "an", "s", "il", "ils", "elle", "elles",
                   "tu", "it", "él", "ella"})
_ELIDED = re.compile(r"^[dl]['’]", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _interleaved(text: str) -> str:
    """The source's words that transfer put between a term's words, without the articles and
    "de" it generated ("Stanley del Morgan" loses "del"; "The Voices for Africa Association"
    came back "Las Voces para Asociación de África", and "Asociación" went with the term's
    words). Words only: the punctuation there is the term's or the glue's ("/usr/local/",
    "req_distinguished_name"). "" when only glue is there."""
    words = (_ELIDED.sub("", w) for w in _LETTERS.findall(text))
    return " ".join(w for w in words if w and w.lower() not in _GLUE)


def _clusters(pieces: list[Piece], hits: list[int]) -> list[list[int]]:
    clusters = [[hits[0]]]
    for index in hits[1:]:
        between = " ".join(p.text for p in pieces[clusters[-1][-1] + 1:index])
        if len(between.split()) <= _MAX_GAP_WORDS:
            clusters[-1].append(index)
        else:
            clusters.append([index])
    return clusters


def _separate(pieces: list[Piece], glued: set[str]) -> list[Piece]:
    """Put back the blank Apertium drops next to a tagged word in compounds ("basadoen[Seattle]").

    Where an element starts or ends against a letter or digit in the output but was separated
    in the source, a space goes between.
    """
    out: list[Piece] = []
    for piece in pieces:
        previous = next((p for p in reversed(out) if p.text), None)
        changed = (previous.ids ^ piece.ids) - glued if previous else set()
        if previous and piece.text and changed and previous.text[-1].isalnum() \
                and piece.text[0].isalnum():
            piece = Piece(" " + piece.text, piece.ids, piece.void)
        out.append(piece)
    return out


def _strip_edges(pieces: list[Piece]) -> list[Piece]:
    """Drop the blank Apertium leaves where it dropped a leading word ("He said" -> " Dijo")."""
    out = list(pieces)
    for index, piece in enumerate(out):
        if piece.void or piece.text.strip():
            out[index] = Piece(piece.text.lstrip(), piece.ids, piece.void)
            break
        out[index] = Piece("", piece.ids, piece.void)
    return out


def _case_first(pieces: list[Piece], *, lower: bool) -> list[Piece]:
    """Give the first letter the case the source's first letter had.

    Apertium capitalises a segment that started in lower case, and puts the capital of a
    source word it dropped or moved on nothing ("No dijo" -> "il n'a pas dit").
    """
    for index, piece in enumerate(pieces):
        match = re.search(r"[^\W\d_]", piece.text)
        if piece.void or not match:
            continue
        if not any(i.startswith("k") for i in piece.ids):
            at = match.start()
            letter = piece.text[at].lower() if lower else piece.text[at].upper()
            pieces[index] = Piece(piece.text[:at] + letter + piece.text[at + 1:], piece.ids)
        break
    return pieces


def _lowercase_after_term(pieces: list[Piece]) -> list[Piece]:
    """"Qualcomm said" comes back "Qualcomm Dijo", "Orange, el operador" "Orange, L'opérateur":
    Apertium capitalised the first word it knew."""
    filled = [i for i, p in enumerate(pieces) if p.text.strip() or p.void]
    if len(filled) < 2 or not any(k.startswith("k") for k in pieces[filled[0]].ids):
        return pieces
    index = filled[1]
    piece = pieces[index]
    match = re.match(r"([\s,]*)([^\W\d_])([^\W\d_]*)", piece.text)
    if piece.void or any(k.startswith("k") for k in piece.ids) or not match \
            or (match.group(3) and not match.group(3).islower()):
        return pieces
    at = match.start(2)
    pieces[index] = Piece(piece.text[:at] + piece.text[at].lower() + piece.text[at + 1:],
                          piece.ids)
    return pieces


_AFTER_UNKNOWN = re.compile(rf"{UNKNOWN}([^\W\d_][\w'’-]*)(\s+)([A-ZÀ-Þ])"
                            r"(?=[^\W\d_A-ZÀ-Þ]*(?!\w))")


def _lowercase_after_unknown(pieces: list[Piece], before_lower: frozenset[str]) -> list[Piece]:
    """"Ambientalistas recomendaron" comes back "Ambientalistas Recommended", "Instructional
    video:" "Instructional Vídeo:": where a sentence opens with a word Apertium does not know,
    it capitalises the first word it knows. Lower-cased where the source has the unknown word
    before a lower-case word (``before_lower``). The two words may be in two pieces (markup
    around them, or a blank between them)."""
    if not any(UNKNOWN in piece.text for piece in pieces):
        return pieces       # (a void piece has no text)
    texts = ["" if piece.void else piece.text for piece in pieces]
    joined = "".join(texts)
    starts = list(itertools.accumulate((len(t) for t in texts), initial=0))
    out = list(pieces)
    for match in _AFTER_UNKNOWN.finditer(joined):
        if match.group(1) not in before_lower:
            continue
        at = match.start(3)
        index = bisect.bisect_right(starts, at) - 1
        piece = out[index]
        if piece.void or any(k.startswith("k") for k in piece.ids):
            continue
        offset = at - starts[index]
        out[index] = Piece(piece.text[:offset] + piece.text[offset].lower()
                           + piece.text[offset + 1:], piece.ids)
    return out


def _bridge(pieces: list[Piece]) -> list[Piece]:
    """Let whitespace between two pieces of the same element belong to that element."""
    out = list(pieces)
    for index in range(1, len(out) - 1):
        piece = out[index]
        if piece.ids or piece.void or piece.text.strip():
            continue
        before = next((p for p in reversed(out[:index]) if p.text or p.void), None)
        after = next((p for p in out[index + 1:] if p.text or p.void), None)
        if before and after and not before.void and not after.void:
            out[index] = Piece(piece.text, before.ids & after.ids)
    return out


def _to_markup(pieces: list[Piece], depth: dict[str, tuple[int, int]]) -> str:
    out: list[str] = []
    stack: list[str] = []
    for piece in pieces:
        wanted = sorted((i for i in piece.ids if i in depth), key=lambda i: depth[i])
        if piece.void:
            wanted = stack[:]
        while stack and stack != wanted[:len(stack)]:
            out.append(f"</{stack.pop()[0]}>")
        for key in wanted[len(stack):]:
            out.append(markup.open_tag(key[0], int(key[1:])))
            stack.append(key)
        out.append(_void_markup(piece.void) if piece.void else _text_markup(piece.text))
    out.extend(f"</{key[0]}>" for key in reversed(stack))
    return "".join(out)


def _void_markup(void: str) -> str:
    if re.fullmatch(r"x\d+", void):
        return markup.void_tag(int(void[1:]))
    if re.fullmatch(r"[gk]\d+", void):
        return markup.open_tag(void[0], int(void[1:])) + f"</{void[0]}>"
    return ""


def _text_markup(text: str) -> str:
    escaped = markup.escape(text)
    return re.sub(UNKNOWN + r"(\w(?:[\w'’-]*\w)?)", r"<u>\1</u>", escaped).replace(UNKNOWN, "")
