"""The engine-neutral inline markup that segments carry through every engine.

A segment is one sentence of text in which inline structure is written XLIFF-style:

- ``<g id="1">…</g>``  a paired inline tag of the source (a link, emphasis, code): the engine
  translates its content and keeps the element around the words that translate it;
- ``<k id="2">…</k>``  a protected term: the engine returns the element with its content verbatim;
- ``<x id="3"/>``      a void placeholder standing for something translated apart (a repair):
  the engine keeps it at its place;
- ``<u>…</u>``         optional, in engine output only: a word the engine did not know.

Text is XML-escaped (``&amp; &lt; &gt;``). Each engine adapter encodes this its own way (Apertium:
word-bound blanks and superblanks; DeepL or an LLM: the tags themselves) and answers in it.
Parsing is forgiving: engines drop, duplicate and misnest tags, and the caller repairs what it can.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

TOKEN = re.compile(r'<(/?)([gkxu])(?:\s+id="(\d+)")?\s*(/?)>')
"""One tag of the markup (``<g id="1">``, ``</g>``, ``<x id="3"/>``, ``<u>``)."""


@dataclass
class Node:
    """A node of a parsed segment: text (``kind == "text"``), an element, or a void placeholder.

    Mutable on purpose: repairs rewrite parsed segments in place before they are rendered.
    """

    kind: str                       # "text" | "g" | "k" | "x" | "u"
    text: str = ""                  # for text nodes
    id: int = 0                     # for g, k, x
    children: list[Node] = field(default_factory=list)


def escape(text: str) -> str:
    """Text escaped for the neutral markup."""
    return html.escape(text, quote=False)


def open_tag(kind: str, ident: int) -> str:
    """The opening tag of a g or k element."""
    return f'<{kind} id="{ident}">'


def void_tag(ident: int) -> str:
    """A void placeholder."""
    return f'<x id="{ident}"/>'


def parse(segment: str) -> list[Node]:
    """Parse neutral markup into a forest; unmatched closers are dropped, unclosed tags closed."""
    root = Node("root")
    stack = [root]
    pos = 0
    for match in TOKEN.finditer(segment):
        _add_text(stack[-1], segment[pos:match.start()])
        pos = match.end()
        closing, kind, ident, void = match.group(1), match.group(2), match.group(3), match.group(4)
        if void or kind == "x":
            if not closing:
                stack[-1].children.append(Node("x", id=int(ident or 0)))
        elif closing:
            _close(stack, kind)
        else:
            node = Node(kind, id=int(ident or 0))
            stack[-1].children.append(node)
            stack.append(node)
    _add_text(stack[-1], segment[pos:])
    return root.children


def _add_text(parent: Node, raw: str) -> None:
    if raw:
        parent.children.append(Node("text", text=html.unescape(raw)))


def _close(stack: list[Node], kind: str) -> None:
    for depth in range(len(stack) - 1, 0, -1):
        if stack[depth].kind == kind:
            del stack[depth:]
            return


def serialize(nodes: Sequence[Node]) -> str:
    """Neutral markup for a forest (the inverse of ``parse``)."""
    out: list[str] = []
    for node in nodes:
        if node.kind == "text":
            out.append(escape(node.text))
        elif node.kind == "x":
            out.append(void_tag(node.id))
        elif node.kind == "u":
            out.append(f"<u>{serialize(node.children)}</u>")
        else:
            out.append(open_tag(node.kind, node.id) + serialize(node.children) + f"</{node.kind}>")
    return "".join(out)


def plain_text(nodes: Sequence[Node]) -> str:
    """The text of a forest without any markup."""
    return "".join(n.text if n.kind == "text" else plain_text(n.children) for n in nodes)


def segment_text(segment: str) -> str:
    """A segment's plain text (its markup parsed and dropped)."""
    return plain_text(parse(segment))


def in_terms(nodes: Sequence[Node]) -> set[int]:
    """The ``id`` of every node inside a protected term (``<k>``) of ``nodes``."""
    return {id(n) for node, _ in walk(nodes) if node.kind == "k"
            for n, _ in walk(node.children)}


def walk(nodes: Sequence[Node]) -> Iterator[tuple[Node, list[Node]]]:
    """Every node with the list that holds it, depth first."""
    for node in list(nodes):
        yield node, nodes if isinstance(nodes, list) else list(nodes)
        yield from walk(node.children)


def count_ids(nodes: Sequence[Node]) -> dict[tuple[str, int], int]:
    """How many times each (kind, id) element or placeholder occurs."""
    counts: dict[tuple[str, int], int] = {}
    for node, _ in walk(nodes):
        if node.kind in ("g", "k", "x"):
            key = (node.kind, node.id)
            counts[key] = counts.get(key, 0) + 1
    return counts


def strip_unknown(nodes: list[Node]) -> int:
    """Unwrap every ``<u>`` element in place; return how many words were marked unknown."""
    count = 0
    for index in range(len(nodes) - 1, -1, -1):
        node = nodes[index]
        count += strip_unknown(node.children)
        if node.kind == "u":
            count += max(1, len(plain_text(node.children).split()))
            nodes[index:index + 1] = node.children
    return count


SHIELD_BASE = 50_000    # ids of <k> elements standing for words a first leg did not know


def shield_unknown(segment: str) -> str:
    """Turn each ``<u>`` word of a first leg's answer into a protected ``<k>`` for the next leg.

    A word the first engine did not know is the source's own word; the second leg would read it
    as a word of the pivot language and translate it as one ("les" left by French -> Spanish
    becomes "las"/"los" again). Protected, it reaches the output as the source wrote it.
    """
    if "<u>" not in segment:
        return segment
    nodes = parse(segment)
    counter = iter(range(SHIELD_BASE, SHIELD_BASE + 10_000))
    for node, _ in walk(nodes):
        if node.kind == "u":
            node.kind, node.id = "k", next(counter)
    return serialize(nodes)


def unshield(segment: str) -> str:
    """Turn the ``<k>`` elements made by ``shield_unknown`` back into ``<u>`` words."""
    if "<k " not in segment:
        return segment
    nodes = parse(segment)
    for node, _ in walk(nodes):
        if node.kind == "k" and node.id >= SHIELD_BASE:
            node.kind, node.id = "u", 0
    return serialize(nodes)


_FREE_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def free_words(segment: str) -> list[str]:
    """The words of a segment outside its protected terms (``<k>``)."""
    def collect(nodes: Sequence[Node]) -> list[str]:
        words: list[str] = []
        for node in nodes:
            if node.kind == "text":
                words.extend(_FREE_WORD.findall(node.text))
            elif node.kind != "k":
                words.extend(collect(node.children))
        return words
    return collect(parse(segment))


def plain_words(text: str) -> list[str]:
    """The words of plain text, as ``free_words`` cuts them."""
    return _FREE_WORD.findall(text)


def unknown_words(segment: str) -> list[str]:
    """The text of each ``<u>`` element of a segment (words the engine did not know)."""
    if "<u>" not in segment:
        return []
    return [plain_text(n.children) for n, _ in walk(parse(segment)) if n.kind == "u"]


# The subject pronoun a translation writes before a verb whose subject it does not see, by
# target: Apertium's transfer from a language that drops it (Spanish, Catalan) after a name it
# does not know ("Toyota il dit", "Whole Foods ils ont dit"), and a verb translated on its own
# ("trasmitió" -> "it transmitted").
INSERTED_PRONOUN = {
    "fr": re.compile(r"(?i)^(\s*)(?:il|ils|elle|elles)(?=\s)"),
    "en": re.compile(r"(?i)^(\s*)(?:it|he|she|they)(?=\s)"),
}


# Determiners that open a noun phrase, and the words that open a clause, in the targets of
# ``INSERTED_PRONOUN`` (also read by ``typography``).
DETERMINERS_OF = {"en": frozenset({"the", "a", "an", "this", "these", "those", "his", "her",
                                   "its", "their", "our", "my", "your"}),
                  "fr": frozenset({"le", "la", "les", "l", "un", "une", "des", "du", "ce",
                                   "cet", "cette", "ces", "son", "sa", "ses", "leur", "leurs",
                                   "mon", "ma", "mes", "notre", "nos", "votre", "vos"})}
CLAUSE_OPENERS = {"en": frozenset({"that", "which", "who", "whom", "whose", "when", "if",
                                   "where", "while", "because", "and", "but", "or", "as"}),
                  "fr": frozenset({"que", "qu", "qui", "quand", "lorsque", "lorsqu", "si",
                                   "où", "et", "mais", "ou", "dont", "comme", "puis", "donc",
                                   "alors", "car", "ni"})}
_TEXT_WORD = re.compile(r"[^\W\d_]+")


def _subject_before(before: str, tgt: str) -> bool:
    """Whether ``before`` ends with what may be a verb's subject: a capitalised word in
    mid-sentence (a name: "Montecon", "Alberto Fernández"), or a word right after a
    determiner ("the company", "ce problème"); not a word that opens a clause ("When it
    overflows", "Aujourd'hui il reste", "that it took")."""
    words = _TEXT_WORD.findall(before)
    if not words or before.rstrip()[-1:] in ".!?:;\"«“(" or words[-1].lower() in \
            CLAUSE_OPENERS.get(tgt, ()):
        return False
    head = before[:before.rstrip().rfind(words[-1])].rstrip()
    if words[-1][:1].isupper():
        return bool(head) and head[-1:] not in ".!?:;\"«“(—–-"
    return any(w.lower() in DETERMINERS_OF.get(tgt, ()) for w in words[-3:-1])


def fill_unknown(segment: str, found: dict[str, str], *, still_unknown: bool = False,
                 tgt: str = "") -> str:
    """Each ``<u>`` word of ``found`` replaced by its translation (first letter's case kept);
    with ``still_unknown`` by another word that stays marked ``<u>`` (a pivot word by the
    source word it stands for). A verb translated alone comes with a subject pronoun in
    ``tgt`` (``INSERTED_PRONOUN``); right after a word, which is the subject, the pronoun goes
    ("Montecon <u>trasmitió</u>" was "Montecon it transmitted")."""
    if "<u>" not in segment:
        return segment
    nodes = parse(segment)
    pronoun = INSERTED_PRONOUN.get(tgt)
    before = ""                 # the text before the node, in the order of the segment
    term = False                # whether its last words are a protected term's (a name)
    terms = in_terms(nodes)
    for node, _ in walk(nodes):
        if node.kind == "text":
            before += node.text
            term = id(node) in terms if node.text.strip() else term
        word = plain_text(node.children) if node.kind == "u" else ""
        if word in found:
            text = found[word]
            said = pronoun.match(text) if pronoun else None
            if said and len(text.split()) > 1 and (
                    (term and before[-1:].isspace()) or _subject_before(before, tgt)):
                text = text[said.end():].lstrip()
            if word[:1].isupper():
                text = text[:1].upper() + text[1:]
            if still_unknown:
                node.children = [Node("text", text=text)]
            else:
                node.kind, node.children = "text", []
                node.text = text
    return serialize(nodes)
