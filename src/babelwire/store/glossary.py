"""The glossary in the store: terms never to translate or to translate one fixed way.

Entries are global or belong to one source; the translate stage gets the global ones plus those
of the item's source, restricted to the language pair. ``glossary_version`` fingerprints the
entries that apply (``translate.glossary.glossary_version``), so the translation memory never
reuses a sentence translated under another glossary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select

from babelwire.exceptions import ConfigError
from babelwire.models import GlossaryEntry
from babelwire.store.base import StoreBase
from babelwire.store.tables import GlossaryRow


@dataclass(frozen=True)
class StoredTerm:
    """A glossary entry with its id and scope."""

    id: int
    entry: GlossaryEntry
    source_id: int | None


def _stored(row: GlossaryRow) -> StoredTerm:
    return StoredTerm(id=row.id, source_id=row.source_id, entry=GlossaryEntry(
        term=row.term, source_lang=row.source_lang, target_lang=row.target_lang,
        translation=row.translation, case_sensitive=row.case_sensitive))


class GlossaryMixin(StoreBase):
    """Glossary terms, global and per source."""

    def add_term(self, entry: GlossaryEntry, *, source_id: int | None = None) -> StoredTerm:
        """Add (or update the translation of) one entry; returns it with its id."""
        if not entry.term.strip():
            raise ConfigError("a glossary term cannot be empty")
        with self.session() as s:
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

    def import_terms(self, entries: Sequence[GlossaryEntry], *,
                       source_id: int | None = None) -> int:
        """Add many entries (as read by ``protect.load_glossary_file``); returns how many."""
        for entry in entries:
            self.add_term(entry, source_id=source_id)
        return len(entries)

    def remove_term(self, term_id: int) -> bool:
        """Delete one entry by id; False if there was none."""
        with self.session() as s:
            row = s.get(GlossaryRow, term_id)
            if row is None:
                return False
            s.delete(row)
            return True

    def list_terms(self, *, source_id: int | None = None) -> list[StoredTerm]:
        """Every entry, or the global ones plus one source's."""
        query = select(GlossaryRow).order_by(GlossaryRow.term, GlossaryRow.id)
        if source_id is not None:
            query = query.where(or_(GlossaryRow.source_id.is_(None),
                                    GlossaryRow.source_id == source_id))
        with self.session() as s:
            return [_stored(r) for r in s.scalars(query).all()]

    def glossary_entries(self, source_id: int | None, src: str, tgt: str) -> list[GlossaryEntry]:
        """The entries that apply to one source translated from ``src`` to ``tgt``."""
        return self.glossaries(source_id, src, [tgt])[tgt]

    def glossaries(self, source_id: int | None, src: str,
                   targets: Sequence[str]) -> dict[str, list[GlossaryEntry]]:
        """``glossary_entries`` for each of ``targets``, read in one transaction."""
        terms = self.list_terms(source_id=source_id)
        return {tgt: [t.entry for t in terms if t.entry.source_lang in ("", src)
                      and t.entry.target_lang in ("", tgt)] for tgt in targets}
