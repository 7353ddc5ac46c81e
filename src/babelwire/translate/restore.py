"""From a unit to a neutral-markup segment, and from the engine's answer back to HTML atoms.

``encode_unit`` writes a unit's inline tags as ``<g>`` and its protected terms as ``<k>``.
``tidy`` repairs what can be repaired without the engine (a link split in two parts is joined,
a duplicated term or placeholder is dropped) and says what is still missing; the caller re-asks
the engine for those. ``render`` puts the original tags back, with their attributes and with the
whitespace at their edges where the source had it.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from babelwire.translate import markup
from babelwire.translate.markup import Node
from babelwire.translate.names.detect import ProtectedTerm
from babelwire.translate.runs import Tag, Unit
from babelwire.translate.typography import Atom

_MAX_MERGE_GAP_WORDS = 3
_Event = tuple[int, int, tuple[int, int], str]       # (offset, order, rank, markup)


@dataclass
class Encoding:
    """A unit as a segment, with what each id stands for."""

    segment: str
    tags: dict[int, Tag] = field(default_factory=dict)
    terms: dict[int, ProtectedTerm] = field(default_factory=dict)
    term_text: dict[int, str] = field(default_factory=dict)

    def expected(self) -> set[tuple[str, int]]:
        """Every (kind, id) that must come back."""
        return {("g", i) for i in self.tags} | {("k", i) for i in self.terms}


def encode_unit(unit: Unit, spans: Sequence[tuple[int, int, ProtectedTerm]]) -> Encoding:
    """The unit in neutral markup: tags as ``<g>``, protected terms (that nest) as ``<k>``."""
    enc = Encoding("")
    events: list[_Event] = []
    for number, tag in enumerate(unit.tags, start=1):
        enc.tags[number] = tag
        _add_events(events, "g", number, tag.start, tag.end, tag.depth)
    next_id = 1
    for start, end, term in _nesting_pieces(unit, spans):
        enc.terms[next_id] = term
        enc.term_text[next_id] = unit.text[start:end]
        _add_events(events, "k", next_id, start, end, 99)
        next_id += 1
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    out, pos = [], 0
    for offset, _, _, tag_markup in events:
        out.append(markup.escape(unit.text[pos:offset]) + tag_markup)
        pos = offset
    out.append(markup.escape(unit.text[pos:]))
    enc.segment = "".join(out)
    return enc


def _add_events(events: list[_Event], kind: str, ident: int, start: int, end: int,
                depth: int) -> None:
    """Opening and closing events; outer elements open first and close last (a g holds a k)."""
    length = end - start
    if length == 0:
        events.append((start, 1, (0, 0), markup.open_tag(kind, ident) + f"</{kind}>"))
        return
    events.append((start, 2, (-length, depth), markup.open_tag(kind, ident)))
    events.append((end, 0, (length, -depth), f"</{kind}>"))


def _nesting_pieces(unit: Unit, spans: Sequence[tuple[int, int, ProtectedTerm]]
                    ) -> list[tuple[int, int, ProtectedTerm]]:
    """Protected spans, each cut at the tag edges inside it so that every piece nests.

    "Selon <em>Mediapart</em>" inside one link becomes two kept pieces, "Selon" and "Mediapart",
    which come back side by side. A term with a fixed translation cannot be cut: it is dropped.
    """
    out = []
    for start, end, term in spans:
        if _nests(start, end, unit.tags):
            out.append((start, end, term))
            continue
        if term.replacement is not None:
            continue
        cuts = sorted({start, end, *(p for t in unit.tags for p in (t.start, t.end)
                                     if start < p < end)})
        for lo, hi in itertools.pairwise(cuts):
            piece = unit.text[lo:hi]
            lo += len(piece) - len(piece.lstrip())
            hi -= len(piece) - len(piece.rstrip())
            if lo < hi and _nests(lo, hi, unit.tags):
                out.append((lo, hi, replace(term, text=unit.text[lo:hi])))
    return out


def _nests(start: int, end: int, tags: Sequence[Tag]) -> bool:
    """A term must sit inside or outside every tag, never across one, nor hold a tag."""
    return all(end <= t.start or start >= t.end or (t.start <= start and end <= t.end)
               for t in tags)


def tidy(nodes: list[Node], enc: Encoding, where: str) -> tuple[set[tuple[str, int]], list[str]]:
    """Join split links and drop duplicated terms in place; return what is missing and the log."""
    repairs: list[str] = []
    for (kind, ident), count in sorted(markup.count_ids(nodes).items()):
        if count < 2:
            continue
        if kind == "g":
            how = "joined" if _join(nodes, ident) else "kept the longest part"
            repairs.append(f"{where}: the engine split {_label(enc, kind, ident)} in {count} "
                           f"parts; {how}")
        else:
            _drop_extra(nodes, kind, ident)
            repairs.append(f"{where}: the engine repeated {_label(enc, kind, ident)}; "
                           "kept the first")
    missing = enc.expected() - set(markup.count_ids(nodes))
    return missing, repairs


def _label(enc: Encoding, kind: str, ident: int) -> str:
    if kind == "k":
        return f"protected term {enc.term_text.get(ident, '')!r}"
    tag = enc.tags.get(ident)
    return f"<{tag.tag}> #{ident}" if tag else f"placeholder {ident}"


def _occurrences(nodes: list[Node], kind: str, ident: int) -> list[tuple[Node, list[Node]]]:
    return [(n, parent) for n, parent in markup.walk(nodes) if n.kind == kind and n.id == ident]


def _join(nodes: list[Node], ident: int) -> bool:
    """Merge the parts of a split element when they are siblings separated by a few words."""
    found = _occurrences(nodes, "g", ident)
    parent = found[0][1]
    if any(p is not parent for _, p in found):
        _keep_longest(found)
        return False
    indices = [next(i for i, n in enumerate(parent) if n is node) for node, _ in found]
    between = parent[indices[0] + 1:indices[-1]]
    gap = [n for n in between if not (n.kind == "g" and n.id == ident)]
    if len(markup.plain_text(gap).split()) > _MAX_MERGE_GAP_WORDS * (len(found) - 1):
        _keep_longest(found)
        return False
    children: list[Node] = []
    for node in parent[indices[0]:indices[-1] + 1]:
        children.extend(node.children if node.kind == "g" and node.id == ident else [node])
    parent[indices[0]:indices[-1] + 1] = [Node("g", id=ident, children=children)]
    return True


def _keep_longest(found: list[tuple[Node, list[Node]]]) -> None:
    best = max(found, key=lambda f: len(markup.plain_text(f[0].children).split()))[0]
    for node, parent in found:
        if node is not best:
            at = next(i for i, n in enumerate(parent) if n is node)
            parent[at:at + 1] = node.children


# An article at the end of a text, and the first word of a fixed form that makes it one too
# many: an article, or a date's "on", "next", "last" ("que el miércoles" -> "that the on
# Wednesday").
_OPENS_WITH_ITS_OWN = frozenset({"el", "la", "los", "las", "le", "les", "the", "on", "next",
                                 "last"})
_LAST_ARTICLE = re.compile(r"(?:^|(?<=\s))(el|la|los|las|le|les|the)\s+$", re.IGNORECASE)
_FIRST_WORD = re.compile(r"^(\w+)\s")


def _after_article(atoms: list[Atom], written: str) -> str:
    """``written`` (a term's fixed form, "el sábado") after the text atoms so far; an article
    the engine put before a form that opens with its own is taken out of ``atoms`` (a rule of
    eng-spa writes "On Saturday" as "El" and the day: "El el sábado"), its capital going to
    the form."""
    first = _FIRST_WORD.match(written)
    if not atoms or atoms[-1][0] or first is None:
        return written
    before = _LAST_ARTICLE.search(atoms[-1][1])
    if before is None or first.group(1).lower() not in _OPENS_WITH_ITS_OWN:
        return written
    atoms[-1] = (False, atoms[-1][1][:before.start()])
    if before.group(1)[0].isupper():
        written = written[0].upper() + written[1:]
    return written


def _drop_extra(nodes: list[Node], kind: str, ident: int) -> None:
    for node, parent in _occurrences(nodes, kind, ident)[1:]:
        at = next(i for i, n in enumerate(parent) if n is node)
        del parent[at]


def render(nodes: Sequence[Node], enc: Encoding) -> list[Atom]:
    """HTML atoms of a translated unit: original tags back, whitespace outside them."""
    atoms: list[Atom] = []
    for node in nodes:
        if node.kind == "text":
            atoms.append((False, node.text))
        elif node.kind == "k":
            term = enc.terms.get(node.id)
            kept = markup.plain_text(node.children)
            if term and term.replacement:
                atoms.append((False, _after_article(atoms, term.replacement)))
            else:
                atoms.append((False, kept))
        elif node.kind == "g" and node.id in enc.tags:
            atoms.extend(_render_tag(enc.tags[node.id], render(node.children, enc)))
        elif node.kind != "x":
            atoms.extend(render(node.children, enc))
    return atoms


def _render_tag(tag: Tag, inner: list[Atom]) -> list[Atom]:
    lead, inner, trail = _split_edges(inner)
    before = [] if tag.lead or not lead else [(False, lead)]
    after = [] if tag.trail or not trail else [(False, trail)]
    if tag.lead:
        inner.insert(0, (False, lead or " "))
    if tag.trail:
        inner.append((False, trail or " "))
    return [*before, (True, tag.open_html()), *inner, (True, f"</{tag.tag}>"), *after]


def _split_edges(atoms: list[Atom]) -> tuple[str, list[Atom], str]:
    out = list(atoms)
    lead = trail = ""
    if out and not out[0][0]:
        text = out[0][1]
        lead = text[:len(text) - len(text.lstrip(" "))]
        out[0] = (False, text.lstrip(" "))
    if out and not out[-1][0]:
        text = out[-1][1]
        trail = text[len(text.rstrip(" ")):]
        out[-1] = (False, text.rstrip(" "))
    return lead, [a for a in out if a[0] or a[1]], trail


def atoms_html(atoms: Sequence[Atom]) -> str:
    """Atoms as an HTML string."""
    return "".join(text if is_tag else html.escape(text, quote=False) for is_tag, text in atoms)


def atoms_text(atoms: Sequence[Atom]) -> str:
    """Atoms as plain text."""
    return "".join(text for is_tag, text in atoms if not is_tag)
