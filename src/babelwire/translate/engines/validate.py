"""Checking an engine's answer for one segment before it is accepted.

Engines that are asked to keep the neutral markup themselves (an LLM, DeepL) can drop a
placeholder, invent one, change a protected term or add words of their own ("Here is the
translation:"). Their answers are checked here; a segment that fails is asked again and, if it
still fails, the engine call fails so that the router falls back to the next engine.
"""

from __future__ import annotations

import re

from babelwire.translate import markup

_ANY_TAG = re.compile(r"</?([A-Za-z][\w:-]*)[^<>]*?/?>")
_ALLOWED = frozenset({"g", "k", "x", "u"})
MAX_GROWTH = 3.0          # an answer more than 3x (+ 40 chars) the source's length added text


def problems(source: str, answer: str) -> list[str]:
    """What is wrong with ``answer`` as a translation of ``source`` (empty: nothing)."""
    found: list[str] = []
    src_nodes, out_nodes = markup.parse(source), markup.parse(answer)
    src_text, out_text = markup.plain_text(src_nodes).strip(), markup.plain_text(out_nodes)
    if src_text and not out_text.strip():
        return ["empty answer"]
    foreign = sorted({m.group(1) for m in _ANY_TAG.finditer(answer)} - _ALLOWED)
    if foreign:
        found.append(f"added markup <{'>, <'.join(foreign)}>")
    want, got = markup.count_ids(src_nodes), markup.count_ids(out_nodes)
    for (kind, ident), count in sorted(want.items()):
        seen = got.get((kind, ident), 0)
        if seen != count:
            found.append(f'<{kind} id="{ident}"> {"missing" if not seen else "repeated"}')
    extra = sorted(set(got) - set(want))
    if extra:
        found.append("added " + ", ".join(f'<{k} id="{i}">' for k, i in extra))
    found.extend(_changed_terms(src_nodes, out_nodes))
    if len(out_text) > MAX_GROWTH * len(src_text) + 40:
        found.append("answer much longer than the source (added text?)")
    return found


def _changed_terms(source: list[markup.Node], answer: list[markup.Node]) -> list[str]:
    """Protected terms must come back verbatim."""
    want = {n.id: markup.plain_text(n.children) for n, _ in markup.walk(source) if n.kind == "k"}
    got = {n.id: markup.plain_text(n.children) for n, _ in markup.walk(answer) if n.kind == "k"}
    return [f"protected term {text!r} changed to {got[ident]!r}"
            for ident, text in sorted(want.items()) if ident in got and got[ident] != text]
