"""The translation memory: a segment already translated is never sent to an engine again.

Each translated segment is kept under (engine, model, source and target language, glossary
version, normalised segment). A re-run translates nothing; an article edited at the source sends
only its changed sentences; a sentence shared by many articles (wire copy, boilerplate) is
translated once. The memory lives in the store, so every worker process shares it.

Approved human edits are kept too, aligned with their source sentence by sentence (or block by
block where the sentence counts differ), under the engine name ``human``; a segment with a human
translation is never sent to an engine. Keys of human entries ignore protected-term markup, which
depends on detection, and the terms are put back around the same words of the edit on the way out.
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from babelwire.store import Store
from babelwire.store.review import Approval
from babelwire.translate import markup
from babelwire.translate.restore import encode_unit
from babelwire.translate.runs import Run, Unit, parse_document, parse_text

HUMAN = "human"
# ASCII whitespace only: a no-break space is typography (French « », 10 000) and stays distinct
_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_K_ELEMENT = re.compile(r'<k id="(\d+)">(.*?)</k>', re.S)


def normalize(segment: str) -> str:
    """The form a segment is looked up by, and sent to engines in (so that what an engine
    answers depends on the key alone): Unicode NFC, runs of ASCII whitespace as one space."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", segment)).strip()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def skeleton(segment: str) -> str:
    """A segment without its protected-term elements (their text kept): a human entry's key."""
    return normalize(_K_ELEMENT.sub(lambda m: m.group(2), segment))


# segments from a source language into some target languages: (src, targets, segments)
Wanted = tuple[str, Collection[str], Sequence[str]]


@dataclass(frozen=True)
class MemoryKey:
    """Everything but the segment that a memory entry is keyed by."""

    engine: str
    model: str
    src: str
    tgt: str
    glossary: str = "0"


class TranslationMemory:
    """Segments translated before, in the store. Holds nothing but the store: no cache."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def prefetch(self, wanted: Sequence[Wanted]) -> None:
        """Say which segments are about to be looked up (human and engine entries): ``(src,
        targets, segments)`` each. This memory reads only what it is asked: it does nothing."""

    def lookup(self, key: MemoryKey, segments: Sequence[str]) -> dict[str, str]:
        """The remembered translation of each segment that has one, by segment."""
        by_hash = {_digest(normalize(s)): s for s in segments if s.strip()}
        found = self._fetch(key.engine, key.model, key.src, key.tgt, key.glossary,
                            list(by_hash))
        return {by_hash[h]: text for h, text in found.items()}

    def remember(self, key: MemoryKey, pairs: Sequence[tuple[str, str]]) -> None:
        """Keep each (segment, translation); a segment already kept is left as it is."""
        rows = [_row(key.engine, key.model, key.src, key.tgt, key.glossary, s, t)
                for s, t in pairs if s.strip()]
        self._insert(rows, replace=False)

    def human(self, src: str, tgt: str, segments: Sequence[str]) -> dict[str, str]:
        """Approved human translations of the segments that have one, with terms re-marked."""
        by_hash = {_digest(skeleton(s)): s for s in segments if s.strip()}
        found = self._fetch(HUMAN, "", src, tgt, "", list(by_hash))
        out = {}
        for digest, text in found.items():
            segment = by_hash[digest]
            marked = _mark_terms(segment, text)
            if marked is not None:
                out[segment] = marked
        return out

    def remember_human(self, src: str, tgt: str, pairs: Sequence[tuple[str, str]]) -> int:
        """Keep approved human translations (keys without term markup); a newer one wins."""
        rows = [_row(HUMAN, "", src, tgt, "", skeleton(s), t) for s, t in pairs if s.strip()]
        self._insert(rows, replace=True)
        return len(rows)

    def _fetch(self, engine: str, model: str, src: str, tgt: str, glossary: str,
               hashes: Sequence[str]) -> dict[str, str]:
        return self.store.memory_lookup(engine, model, src, tgt, glossary, hashes)

    def _insert(self, rows: Sequence[dict[str, Any]], *, replace: bool) -> None:
        self.store.memory_keep(rows, replace=replace)


_Key = tuple[str, str, str, str, str, str]     # MEMORY_KEY: engine, model, src, tgt, glossary, hash


class ArticleMemory(TranslationMemory):
    """The memory as one article's translation uses it: the same answers in few transactions.

    Reads: the rows of a segment are fetched once per source and target language, every
    engine's, model's and glossary version's together, with those of the other segments
    ``prefetch`` names (all the units of an article and every first leg of its routes in one
    query), and every later lookup of them is answered from what was fetched. Writes: pairs
    are kept here, answer later lookups, and go to the store together in ``flush``, one
    transaction. The memory is a cache: pairs not yet flushed when the process dies are
    translated again next time, and a row another worker keeps meanwhile costs at most one
    engine call more (the first row kept stays). Human entries are written at once.
    Thread-safe.
    """

    def __init__(self, store: Store, targets: Collection[str] = ()) -> None:
        """``targets``: the article's target languages, fetched with any lookup's own."""
        super().__init__(store)
        self._targets = frozenset(targets)
        self._lock = threading.Lock()
        self._rows: dict[_Key, str] = {}
        self._fetched: set[tuple[str, str, str]] = set()      # (src, tgt, hash) read
        self._pending: dict[_Key, dict[str, Any]] = {}

    def prefetch(self, wanted: Sequence[Wanted]) -> None:
        """Fetch the rows of each ``(src, targets, segments)`` (into ``targets`` and the
        article's targets) not fetched yet, human entries included, in one transaction."""
        self._load([(src, targets, {digest for s in segments if s.strip() for digest in
                                    (_digest(normalize(s)), _digest(skeleton(s)))})
                    for src, targets, segments in wanted])

    def flush(self) -> int:
        """Write the pairs kept since the last flush, in one transaction; returns how many."""
        with self._lock:
            rows = list(self._pending.values())
            self._pending.clear()
        super()._insert(rows, replace=False)
        return len(rows)

    def _load(self, wanted: Sequence[tuple[str, Collection[str], Collection[str]]]) -> None:
        """Fetch what of ``(src, targets, hashes)`` each was not fetched yet, in one read."""
        missing: list[tuple[str, list[str], list[str]]] = []
        with self._lock:
            for src, targets, hashes in wanted:
                langs = sorted({*targets, *self._targets} - {src})
                new = sorted(h for h in hashes
                             if any((src, t, h) not in self._fetched for t in langs))
                if new and langs:
                    missing.append((src, langs, new))
        if not missing:
            return
        rows = self.store.memory_rows(missing)
        with self._lock:
            for engine, model, src, tgt, glossary, digest, text in rows:
                self._rows.setdefault((engine, model, src, tgt, glossary, digest), text)
            self._fetched.update((src, t, h) for src, langs, new in missing
                                 for t in langs for h in new)

    def _fetch(self, engine: str, model: str, src: str, tgt: str, glossary: str,
               hashes: Sequence[str]) -> dict[str, str]:
        self._load([(src, (tgt,), hashes)])
        with self._lock:
            return {h: self._rows[k] for h in hashes
                    if (k := (engine, model, src, tgt, glossary, h)) in self._rows}

    def _insert(self, rows: Sequence[dict[str, Any]], *, replace: bool) -> None:
        if replace:                     # human entries: written at once, and newer wins here too
            super()._insert(rows, replace=True)
        with self._lock:
            for row in rows:
                key = (row["engine"], row["model"], row["source_lang"], row["target_lang"],
                       row["glossary"], row["source_hash"])
                if replace:
                    self._rows[key] = row["target_text"]
                elif key not in self._rows:
                    self._rows[key] = row["target_text"]
                    self._pending[key] = row


def _row(engine: str, model: str, src: str, tgt: str, glossary: str, segment: str,
         target: str) -> dict[str, Any]:
    text = normalize(segment)
    return {"engine": engine, "model": model, "source_lang": src, "target_lang": tgt,
            "glossary": glossary, "source_hash": _digest(text), "source_text": text,
            "target_text": target}


def _mark_terms(segment: str, target: str) -> str | None:
    """Wrap each protected term of ``segment`` around the same words in ``target``.

    None when a term is not in the human translation: the editor changed a protected name,
    and the segment goes to the engine rather than lose the protection silently.
    """
    out = target
    for match in _K_ELEMENT.finditer(segment):
        ident, text = match.group(1), match.group(2)
        at = _find_outside_tags(out, text)
        if at < 0:
            return None
        out = f'{out[:at]}<k id="{ident}">{text}</k>{out[at + len(text):]}'
    return out


def _find_outside_tags(text: str, needle: str) -> int:
    start = 0
    while (at := text.find(needle, start)) >= 0:
        if text.rfind("<", 0, at) <= text.rfind(">", 0, at):
            return at
        start = at + 1
    return -1


# -- learning from approved human edits ---------------------------------------------------------


def remember_approval(store: Store, approval: Approval) -> int:
    """Learn an approved translation's human edits; returns how many segments were kept.

    Only blocks the editor changed are kept (an approved machine block is the engine's, and a
    better engine later should still be used for it). Blocks are aligned in order when the
    source and the edit have as many; each block sentence by sentence when the counts match,
    else as one unit.
    """
    if not approval.human_edited:
        return 0
    src, tgt = approval.source_lang, approval.lang
    pairs = _align_blocks([parse_text(approval.source_title, src)],
                          [parse_text(approval.machine_title, tgt)],
                          [parse_text(approval.title, tgt)])
    source, machine, edited = (parse_document(approval.source_html, src).runs,
                               parse_document(approval.machine_html, tgt).runs,
                               parse_document(approval.html, tgt).runs)
    if len(source) == len(edited):
        pairs.extend(_align_blocks(source, machine if len(machine) == len(source) else [],
                                   edited))
    return TranslationMemory(store).remember_human(src, tgt, pairs)


def _align_blocks(source: Sequence[Run], machine: Sequence[Run],
                  edited: Sequence[Run]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for index, (src_run, out_run) in enumerate(zip(source, edited, strict=False)):
        if not src_run.text or not out_run.text:
            continue
        if index < len(machine) and normalize(machine[index].text) == normalize(out_run.text):
            continue                                  # the editor left this block alone
        if len(src_run.units) == len(out_run.units):
            units = list(zip(src_run.units, out_run.units, strict=True))
        else:
            units = [(Unit(src_run.text, src_run.tags), Unit(out_run.text, out_run.tags))]
        for src_unit, out_unit in units:
            target = _target_markup(src_unit, out_unit)
            if target is not None:
                pairs.append((encode_unit(src_unit, []).segment, target))
    return pairs


def _target_markup(src: Unit, out: Unit) -> str | None:
    """The edited unit in neutral markup, its tags numbered as the source's same tags.

    None when a tag of the edit has no counterpart in the source (the markup could not say
    which source tag it renders).
    """
    numbers: dict[int, int] = {}
    free = {i: (t.tag, t.attrs) for i, t in enumerate(src.tags, start=1)}
    for j, tag in enumerate(out.tags, start=1):
        match = next((i for i, sig in free.items() if sig == (tag.tag, tag.attrs)), None)
        if match is None:
            return None
        numbers[j] = match
        del free[match]
    encoded = encode_unit(out, []).segment
    nodes = markup.parse(encoded)
    for node, _ in markup.walk(nodes):
        if node.kind == "g":
            node.id = numbers.get(node.id, node.id)
    return markup.serialize(nodes)
