"""The glossary in the store: terms never to translate or to translate one fixed way.

Entries are global or belong to one source; the translate stage gets the global ones plus those
of the item's source, restricted to the language pair. ``glossary_version`` fingerprints the
entries that apply, so the translation memory never reuses a sentence translated under another
glossary.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select

from babelwire.exceptions import ConfigError
from babelwire.store.glossary_tables import GlossaryRow
from babelwire.store.store import Store
from babelwire.translate.protect import GlossaryEntry


@dataclass(frozen=True)
class StoredTerm:
    """A glossary entry with its id and scope."""

    id: int
    entry: GlossaryEntry
    source_id: int | None


def add_term(store: Store, entry: GlossaryEntry, *, source_id: int | None = None) -> StoredTerm:
    """Add (or update the translation of) one entry; returns it with its id."""
    if not entry.term.strip():
        raise ConfigError("a glossary term cannot be empty")
    with store.session() as s:
        row = s.scalar(select(GlossaryRow).where(
            GlossaryRow.term == entry.term, GlossaryRow.source_lang == entry.source_lang,
            GlossaryRow.target_lang == entry.target_lang,
            GlossaryRow.source_id.is_(None) if source_id is None
            else GlossaryRow.source_id == source_id))
        if row is None:
            row = GlossaryRow(term=entry.term, source_lang=entry.source_lang,
                              target_lang=entry.target_lang, source_id=source_id)
            s.add(row)
        row.translation, row.case_sensitive = entry.translation, entry.case_sensitive
        s.flush()
        return _stored(row)


def import_entries(store: Store, entries: Sequence[GlossaryEntry], *,
                   source_id: int | None = None) -> int:
    """Add many entries (as read by ``protect.load_glossary_file``); returns how many."""
    for entry in entries:
        add_term(store, entry, source_id=source_id)
    return len(entries)


def remove_term(store: Store, term_id: int) -> bool:
    """Delete one entry by id; False if there was none."""
    with store.session() as s:
        row = s.get(GlossaryRow, term_id)
        if row is None:
            return False
        s.delete(row)
        return True


def list_terms(store: Store, *, source_id: int | None = None) -> list[StoredTerm]:
    """Every entry, or the global ones plus one source's."""
    query = select(GlossaryRow).order_by(GlossaryRow.term, GlossaryRow.id)
    if source_id is not None:
        query = query.where(or_(GlossaryRow.source_id.is_(None),
                                GlossaryRow.source_id == source_id))
    with store.session() as s:
        return [_stored(r) for r in s.scalars(query).all()]


def entries_for(store: Store, source_id: int | None, src: str, tgt: str) -> list[GlossaryEntry]:
    """The entries that apply to one source translated from ``src`` to ``tgt``."""
    return [t.entry for t in list_terms(store, source_id=source_id)
            if t.entry.source_lang in ("", src) and t.entry.target_lang in ("", tgt)]


def glossary_version(entries: Sequence[GlossaryEntry]) -> str:
    """A short fingerprint of a set of entries ("0" for none)."""
    if not entries:
        return "0"
    text = "\n".join(sorted(f"{e.term}\t{e.source_lang}\t{e.target_lang}\t{e.translation}\t"
                            f"{e.case_sensitive}" for e in entries))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _stored(row: GlossaryRow) -> StoredTerm:
    return StoredTerm(id=row.id, source_id=row.source_id, entry=GlossaryEntry(
        term=row.term, source_lang=row.source_lang, target_lang=row.target_lang,
        translation=row.translation, case_sensitive=row.case_sensitive))
